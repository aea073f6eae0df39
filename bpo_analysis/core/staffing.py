"""Staffing engine: Erlang C (M/M/N) and Erlang A (M/M/N+M), vectorised over intervals.

Every function takes scalars, NumPy arrays or pandas Series (broadcast together) and
returns the same shape: a year of 15-minute intervals is one call. Traffic is in
Erlangs (calls x AHT / interval length), times in seconds. The measures of one staffing
level (offered load, P(wait), service level, ASA, occupancy, abandonment) are in
:mod:`bpo_analysis.core.erlang` and exported here too; the array kernels in
``core/_erlang_c.py`` and ``core/_erlang_a.py``.

Why not an existing package: the common Python Erlang packages compute one interval
at a time in a Python loop (50-900x slower on a year of intervals), and several are
off by one agent at the target's ceiling (a floating-point 0.7999999 read as a miss)
or divide by zero on an interval with no calls. Here every probability is computed
from special functions in a form that neither overflows nor underflows from 0.01 to
beyond 10,000 Erlangs (no factorials, no ``A**N``), ties at the target are compared
with a 1e-12 tolerance, and zero volume needs zero agents.

References
----------
A. K. Erlang (1917); the Erlang B/C relations in G. Koole, *Call Center Optimization*
(2013), ch. 4. Erlang A (Palm's M/M/N+M): O. Garnett, A. Mandelbaum, M. Reiman,
"Designing a call center with impatient customers", MSOM 4(3), 2002; A. Mandelbaum,
S. Zeltyn, "The Palm/Erlang-A queue, with applications to call centers", 2007.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bpo_analysis.core._erlang_a import TOL as _TOL
from bpo_analysis.core._erlang_a import required_a as _required_a
from bpo_analysis.core._erlang_c import aht_where_load as _aht
from bpo_analysis.core._erlang_c import as_array as _array
from bpo_analysis.core._erlang_c import broadcast as _broadcast
from bpo_analysis.core._erlang_c import erlang_b as _erlang_b
from bpo_analysis.core._erlang_c import erlang_c_from_b as _erlang_c_from_b
from bpo_analysis.core._erlang_c import shaped_like as _like
from bpo_analysis.core.erlang import (
    abandonment_rate,
    asa_s,
    erlang_c,
    occupancy,
    service_level,
    traffic_erlangs,
)
from bpo_analysis.errors import InfeasibleError, InputError

__all__ = ["abandonment_rate", "asa_s", "ceil_whole", "erlang_c", "occupancy", "required_agents",
           "scheduled_agents", "service_level", "traffic_erlangs"]


def ceil_whole(x: Any) -> Any:
    """Round up to a whole number, ignoring floating-point noise.

    Parameters
    ----------
    x : scalar or array
        Counts that may carry rounding noise (agents, seats, supervisors ...).

    Returns
    -------
    int or ndarray
        ``int`` for a scalar, a float array of whole numbers for an array.

    Notes
    -----
    ceil(round(x, 9)): a value within 1e-9 of a whole number is that number, so
    21 / 0.7 = 30.000000000000004 is 30 agents, not 31.

    References
    ----------
    D. Goldberg, "What every computer scientist should know about floating-point
    arithmetic", ACM Computing Surveys 23(1), 1991 (why 21 / 0.7 is not exactly 30).

    Examples
    --------
    21 agents on the floor with 30 % shrinkage is 30 on the schedule, not 31; 30.2 is 31:

    >>> ceil_whole(21 / 0.7), ceil_whole(30.2)
    (30, 31)
    """
    out = np.ceil(np.round(np.asarray(x, float), 9))
    return int(out) if out.ndim == 0 else out


# ---------------------------------------------------------------- staffing
def _required_c(load: np.ndarray, aht: np.ndarray, t: np.ndarray, target: np.ndarray,
                floor_n: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Return the smallest N >= floor_n with SL >= target.

    Erlang B from special functions once, at the first candidate, then the
    overflow-free recursion B(N+1) = A B / (N + 1 + A B) on the intervals still short
    of the target.
    """
    n = floor_n.copy()
    idx = np.flatnonzero(load > 0)
    a, m, lim = load[idx], n[idx], limit[idx]
    rate, goal = t[idx] / aht[idx], target[idx] - _TOL
    b = _erlang_b(a, m)
    while idx.size:  # the arrays shrink to the intervals still short of the target
        c = _erlang_c_from_b(a, m, b)
        short = 1.0 - c * np.exp(-(m - a) * rate) < goal
        n[idx[~short]] = m[~short]
        over = short & (m >= lim)
        if over.any():
            i = idx[np.flatnonzero(over)[0]]
            raise InfeasibleError(f"interval {i}: no staffing up to {int(limit[i])} agents "
                                  f"reaches a service level of {target[i]} within {t[i]} s "
                                  f"at {load[i]:.4g} Erlangs")
        idx, a, m, lim, rate, goal, b = (x[short] for x in (idx, a, m, lim, rate, goal, b))
        m = m + 1
        b = a * b / (m + a * b)
    return n


def required_agents(calls: Any, aht_s: Any, *, interval_s: float, target_sl: Any,
                    target_t_s: Any, max_occupancy: Any = None, patience_s: Any = None,
                    max_agents: int | None = None) -> Any:
    """Find the smallest whole number of agents meeting the service-level target per interval.

    Parameters
    ----------
    calls : scalar, array or Series
        Calls offered in each interval (>= 0).
    aht_s : scalar, array or Series
        Average handle time, s (> 0 where there are calls; ignored, and may be NaN,
        where there are none).
    interval_s : float
        Length of one interval, s (1800 for half-hours).
    target_sl : float or array
        Share of calls to answer within ``target_t_s``, in (0, 1).
    target_t_s : float or array
        Answer-time threshold, s (> 0).
    max_occupancy : float or array, optional
        Cap on occupancy, in (0, 1]; adds agents when the service level alone would
        work them harder.
    patience_s : float or array, optional
        Mean caller patience, s: Erlang A (abandoning callers count as missed). It may
        staff below the traffic, since callers who give up free the queue.
    max_agents : int, optional
        Give up beyond this many agents (default: traffic + 50 sqrt(traffic) + 100).

    Returns
    -------
    Same shape as ``calls``: whole agents (0 where there are no calls).

    Raises
    ------
    InputError
        A negative or non-finite volume or AHT, a target outside (0, 1), a threshold
        <= 0, an occupancy cap outside (0, 1], inputs of different lengths.
    InfeasibleError
        No staffing up to ``max_agents`` meets the target; names the interval.

    Notes
    -----
    With A = calls x AHT / interval (Erlangs), Erlang C (no ``patience_s``):

        N = min { whole N > A : 1 - C(N, A) exp(-(N - A) T / AHT) >= target
                                and A / N <= max_occupancy },

    searched upwards from max(floor(A) + 1, ceil(A / max_occupancy)) with the Erlang B
    recursion B(N + 1) = A B / (N + 1 + A B). Erlang A: the smallest N (found by
    bisection, the service level rising with N) whose Erlang-A service level meets the
    target and whose served load A (1 - P(abandon)) is at most max_occupancy x N.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003; G. Koole, *Call Center Optimization* (2013);
    Erlang A: O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with
    impatient customers", MSOM 4(3), 2002.

    Examples
    --------
    100 calls per half hour, AHT 3 minutes, 80 % within 20 s: 14 agents; callers who
    give up after 2 minutes on average let 12 agents reach the same target:

    >>> required_agents(100, 180, interval_s=1800, target_sl=0.8, target_t_s=20)
    14
    >>> required_agents(100, 180, interval_s=1800, target_sl=0.8, target_t_s=20,
    ...                 patience_s=120)
    12

    With 240 calls of 4 minutes, the 85 % occupancy cap decides:

    >>> required_agents(240, 240, interval_s=1800, target_sl=0.8, target_t_s=20,
    ...                 max_occupancy=0.85)
    38
    """
    c = _array("calls", calls)
    if c.ndim > 1:
        raise InputError("calls", f"an array of shape {c.shape}",
                         "a scalar or one value per interval (1-D)")
    if max_agents is not None and not (isinstance(max_agents, int | np.integer)
                                       and max_agents >= 1):
        raise InputError("max_agents", max_agents, "a whole number of agents >= 1")
    interval = float(_array("interval_s", interval_s, strict=True, allowed="seconds > 0"))
    sl = _array("target_sl", target_sl, strict=True, high=1 - 1e-15,
                allowed="a share strictly between 0 and 1")
    t = _array("target_t_s", target_t_s, strict=True, allowed="a time in seconds > 0")
    occ = _array("max_occupancy", 1.0 if max_occupancy is None else max_occupancy,
                 strict=True, high=1.0, allowed="a share in (0, 1]")
    c, sl, t, occ = (np.atleast_1d(x) for x in _broadcast(calls=c, target_sl=sl, target_t_s=t,
                                                           max_occupancy=occ))
    aht = _aht(aht_s, c)
    load = c * aht / interval
    limit = (np.full_like(load, float(max_agents)) if max_agents is not None
             else np.ceil(load + 50 * np.sqrt(load) + 100))
    if patience_s is None:
        floor_n = np.maximum(np.floor(load) + 1, ceil_whole(load / occ))
        over = (load > 0) & (floor_n > limit)
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise InfeasibleError(f"interval {i}: the occupancy cap alone needs "
                                  f"{int(floor_n[i])} agents, above max_agents {int(limit[i])}")
        n = _required_c(load, aht, t, sl, np.where(load > 0, floor_n, 0.0), limit)
    else:
        p = _array("patience_s", patience_s, strict=True, allowed="a mean patience in s > 0")
        p, _ = _broadcast(patience_s=p, calls=load)
        n = _required_a(load, aht, t, sl, p.astype(float), occ, limit)
    return _like(np.where(load > 0, n, 0).astype(np.int64), calls, aht_s)


def scheduled_agents(agents: Any, shrinkage: Any) -> Any:
    """Compute the agents to schedule so that ``agents`` are available after shrinkage.

    Parameters
    ----------
    agents : scalar, array or Series
        Agents needed on contacts at once (>= 0), e.g. :func:`required_agents`.
    shrinkage : scalar, array or Series
        Share 0-1 of paid time not available for contacts (breaks, training, absence),
        in [0, 1).

    Returns
    -------
    int, ndarray or Series
        Whole agents to schedule, shaped like ``agents``.

    Raises
    ------
    InputError
        A negative agent count or a shrinkage outside [0, 1).

    Notes
    -----
    scheduled = ceil(agents / (1 - shrinkage)), with a float-safe ceiling
    (:func:`ceil_whole`).

    References
    ----------
    The rostered staff factor (shrinkage) of B. Cleveland, *Call Center Management on
    Fast Forward* (ICMI Press).

    Examples
    --------
    21 agents on the phone with 30 % shrinkage: 30 on the schedule (21 / 0.7 is
    30.000000000000004 in floating point); 14 agents: 20.

    >>> scheduled_agents(21, 0.3)
    30
    >>> scheduled_agents(14, 0.3)
    20
    """
    n = _array("agents", agents)
    s = _array("shrinkage", shrinkage, high=1 - 1e-12, allowed="a share in [0, 1)")
    n, s = _broadcast(agents=n, shrinkage=s)
    return _like(np.asarray(ceil_whole(n / (1 - s))).astype(np.int64), agents, shrinkage)
