"""Staffing engine: Erlang C (M/M/N) and Erlang A (M/M/N+M), vectorised over intervals.

Every function takes scalars, NumPy arrays or pandas Series (broadcast together) and
returns the same shape: a year of 15-minute intervals is one call. Traffic is in
Erlangs (calls x AHT / interval length), times in seconds.

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
import pandas as pd
from scipy import special

from bpo_analysis.core._erlang_a import TOL as _TOL
from bpo_analysis.core._erlang_a import erlang_a as _erlang_a
from bpo_analysis.core._erlang_a import required_a as _required_a
from bpo_analysis.errors import InfeasibleError, InputError

__all__ = ["abandonment_rate", "asa_s", "ceil_whole", "erlang_c", "occupancy", "required_agents",
           "scheduled_agents", "service_level", "traffic_erlangs"]



def ceil_whole(x: Any) -> Any:
    """Ceiling that ignores floating-point noise: 21 / 0.7 = 30.000000000000004 -> 30.

    >>> ceil_whole(21 / 0.7), ceil_whole(30.2)
    (30, 31)
    """
    out = np.ceil(np.round(np.asarray(x, float), 9))
    return int(out) if out.ndim == 0 else out


# ---------------------------------------------------------------- inputs and outputs
def _array(name: str, value: Any, *, low: float = 0.0, strict: bool = False,
           high: float | None = None, allowed: str = "a finite number >= 0") -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(name, value, allowed) from None
    bad = ~np.isfinite(a) | ((a <= low) if strict else (a < low))
    if high is not None:
        bad |= a > high
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        where = f"{name}[{i}]" if a.ndim else name
        raise InputError(where, a.ravel()[i].item(), allowed)
    return a


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise InputError("arrays", shapes, "the same length (or scalars)") from None


def _like(result: np.ndarray, *inputs: Any) -> Any:
    """Return ``result`` shaped like the inputs: a Series keeps the index, scalars stay
    scalars."""
    for x in inputs:
        if isinstance(x, pd.Series):
            return pd.Series(result, index=x.index)
    if all(np.ndim(x) == 0 for x in inputs):
        return result.item()
    return result


def _aht(aht_s: Any, load: np.ndarray) -> np.ndarray:
    """AHT in seconds; it must be a positive number wherever there is load (elsewhere
    it is not used, and an empty value (NaN) is allowed, a negative one is not)."""
    try:
        a = np.asarray(aht_s, dtype=float)
    except (TypeError, ValueError):
        raise InputError("aht_s", aht_s, "seconds > 0") from None
    a, load = _broadcast(aht_s=a, calls=load)
    bad = ((load > 0) & ~(np.isfinite(a) & (a > 0))) | (a < 0) | np.isinf(a)
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        raise InputError("aht_s" if np.ndim(aht_s) == 0 else f"aht_s[{i}]",
                         a.ravel()[i].item(), "a finite number of seconds > 0 where there "
                         "are calls (empty where there are none)")
    return np.where(load > 0, a, 1.0)


# ---------------------------------------------------------------- Erlang C
def traffic_erlangs(calls: Any, aht_s: Any, interval_s: float) -> Any:
    """Offered load in Erlangs: calls x AHT / interval length.

    >>> traffic_erlangs(100, 180, 1800)   # 100 calls of 3 min in half an hour
    10.0
    """
    c = _array("calls", calls)
    t = _array("interval_s", interval_s, strict=True, allowed="a length in seconds > 0")
    a = _aht(aht_s, c)
    return _like(c * a / t, calls, aht_s)


def _erlang_b(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Erlang B blocking, load > 0, agents >= load: P(N) / P(X <= N), X ~ Poisson(load),
    from the log of the Poisson mass and the regularised upper incomplete gamma."""
    log_pmf = agents * np.log(load) - load - special.gammaln(agents + 1)
    return np.exp(log_pmf) / special.gammaincc(agents + 1, load)


def _erlang_c_from_b(load: np.ndarray, agents: np.ndarray, b: np.ndarray) -> np.ndarray:
    return agents * b / (agents - load * (1 - b))


def _erlang_c(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    out = np.where(load > 0, 1.0, 0.0)  # no load: nobody waits; agents <= load: all wait
    ok = (load > 0) & (agents > load)
    if ok.any():
        b = _erlang_b(load[ok], agents[ok])
        out[ok] = _erlang_c_from_b(load[ok], agents[ok], b)
    return out


def erlang_c(traffic: Any, agents: Any) -> Any:
    """Probability that a call waits (Erlang C), M/M/N with infinite patience.

    1 when ``agents <= traffic`` (the queue grows without bound), 0 when there is no
    traffic.

    Notes
    -----
    C(N, A) = N B / (N - A (1 - B)) with Erlang B = P(N) / P(X <= N), X ~ Poisson(A),
    evaluated through ``gammaln`` and ``gammaincc`` (no factorials).

    Examples
    --------
    10 Erlangs on 14 agents: about one call in six waits.

    >>> round(erlang_c(10, 14), 4)
    0.1741
    """
    a = _array("traffic", traffic)
    n = _array("agents", agents)
    a, n = _broadcast(traffic=a, agents=n)
    return _like(_erlang_c(a, n), traffic, agents)


def _sl_c(load: np.ndarray, agents: np.ndarray, aht: np.ndarray, t: np.ndarray,
          c: np.ndarray | None = None) -> np.ndarray:
    c = _erlang_c(load, agents) if c is None else c
    decay = np.exp(-np.clip(agents - load, 0, None) * t / aht)
    sl = 1.0 - c * decay
    return np.where(load > 0, np.where(agents > load, sl, 0.0), 1.0)


def _inputs(traffic: Any, agents: Any, aht_s: Any, target_t_s: Any) -> list[np.ndarray]:
    a = _array("traffic", traffic)
    n = _array("agents", agents)
    t = _array("target_t_s", target_t_s, allowed="a time in seconds >= 0")
    a, n, t = _broadcast(traffic=a, agents=n, target_t_s=t)
    return [a, n, _aht(aht_s, a), t]


def service_level(traffic: Any, agents: Any, aht_s: Any, target_t_s: Any, *,
                  patience_s: Any = None) -> Any:
    """Share of offered calls answered within ``target_t_s`` seconds.

    Erlang C (default): 1 - C exp(-(N - A) t / AHT); 0 when agents <= traffic.
    Erlang A (``patience_s`` = mean patience, exponential): abandoned calls count as not
    answered within the target; see :func:`abandonment_rate` for the model.

    Examples
    --------
    100 calls per half hour, AHT 3 min, 14 agents: 88.8 % answered within 20 s. With
    only 10 agents (no more than the traffic) Erlang C has no steady state, but callers
    who give up after 2 minutes on average keep the queue finite: 64.0 % are still
    answered within 20 s.

    >>> round(service_level(10, 14, 180, 20), 4)
    0.8884
    >>> round(service_level(10, 10, 180, 20, patience_s=120), 3)
    0.64
    """
    a, n, aht, t = _inputs(traffic, agents, aht_s, target_t_s)
    if patience_s is None:
        return _like(_sl_c(a, n, aht, t), traffic, agents, aht_s, target_t_s)
    p = _array("patience_s", patience_s, strict=True, allowed="a mean patience in s > 0")
    a, n, aht, t, p = _broadcast(traffic=a, agents=n, aht_s=aht, target_t_s=t, patience_s=p)
    return _like(_erlang_a(a, n, aht, p, t)[2], traffic, agents, aht_s, target_t_s, patience_s)


def asa_s(traffic: Any, agents: Any, aht_s: Any) -> Any:
    """Average speed of answer, s (Erlang C): C x AHT / (N - A); inf when N <= A.

    >>> round(asa_s(10, 14, 180), 2)
    7.84
    """
    a, n, aht, _ = _inputs(traffic, agents, aht_s, 0)
    c = _erlang_c(a, n)
    gap = n - a
    asa = np.divide(c * aht, gap, out=np.full_like(a, np.inf), where=gap > 0)
    return _like(np.where(a > 0, asa, 0.0), traffic, agents, aht_s)


def occupancy(traffic: Any, agents: Any) -> Any:
    """Share of agents' time spent handling calls, A / N (capped at 1; 0 with no agents).

    >>> round(occupancy(10, 14), 3)
    0.714
    """
    a = _array("traffic", traffic)
    n = _array("agents", agents)
    a, n = _broadcast(traffic=a, agents=n)
    occ = np.divide(a, n, out=np.zeros_like(a), where=n > 0)
    return _like(np.minimum(occ, 1.0), traffic, agents)


# ---------------------------------------------------------------- Erlang A


def abandonment_rate(traffic: Any, agents: Any, aht_s: Any, patience_s: Any) -> Any:
    """Share of offered calls that abandon (Erlang A, exponential patience, mean ``patience_s``).

    Examples
    --------
    10 Erlangs on 10 agents with a mean patience of 2 minutes: 13.7 % give up.

    >>> round(abandonment_rate(10, 10, 180, 120), 3)
    0.137
    """
    a, n, aht, _ = _inputs(traffic, agents, aht_s, 0)
    p = _array("patience_s", patience_s, strict=True, allowed="a mean patience in s > 0")
    a, n, aht, p = _broadcast(traffic=a, agents=n, aht_s=aht, patience_s=p)
    return _like(_erlang_a(a, n, aht, p, np.zeros_like(a))[1], traffic, agents, aht_s,
                 patience_s)


# ---------------------------------------------------------------- staffing
def _required_c(load: np.ndarray, aht: np.ndarray, t: np.ndarray, target: np.ndarray,
                floor_n: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Smallest N >= floor_n with SL >= target: Erlang B from special functions once, at
    the first candidate, then the overflow-free recursion B(N+1) = A B / (N + 1 + A B)
    on the intervals still short of the target."""
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
    """The smallest whole number of agents meeting the service-level target per interval.

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

    Examples
    --------
    100 calls per half hour, AHT 3 minutes, 80 % within 20 s:

    >>> required_agents(100, 180, interval_s=1800, target_sl=0.8, target_t_s=20)
    14
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
    """Agents to schedule so that ``agents`` are available after shrinkage (breaks,
    training, absence): ceil(agents / (1 - shrinkage)), with a float-safe ceiling.

    >>> scheduled_agents(21, 0.3)   # 21 / 0.7 = 30.000000000000004 in floating point
    30
    >>> scheduled_agents(14, 0.3)
    20
    """
    n = _array("agents", agents)
    s = _array("shrinkage", shrinkage, high=1 - 1e-12, allowed="a share in [0, 1)")
    n, s = _broadcast(agents=n, shrinkage=s)
    return _like(np.asarray(ceil_whole(n / (1 - s))).astype(np.int64), agents, shrinkage)
