"""Erlang C and A measures of a staffing level: load, waiting, service level, abandonment.

Every function takes scalars, NumPy arrays or pandas Series (broadcast together) and
returns the same shape: a year of 15-minute intervals is one call. Traffic is in
Erlangs (calls x AHT / interval length), times in seconds. The staffing decisions built
on them (the agents an interval needs, the agents to schedule) are in
:mod:`bpo_analysis.core.staffing`, which also exports every function here.

References
----------
A. K. Erlang (1917); N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers:
tutorial, review, and research prospects", MSOM 5(2), 2003. Erlang A (Palm's M/M/N+M):
O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with impatient
customers", MSOM 4(3), 2002; A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue, with
applications to call centers", 2007.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bpo_analysis.core._erlang_a import erlang_a as _erlang_a
from bpo_analysis.core._erlang_c import aht_where_load as _aht
from bpo_analysis.core._erlang_c import as_array as _array
from bpo_analysis.core._erlang_c import broadcast as _broadcast
from bpo_analysis.core._erlang_c import checked_inputs as _inputs
from bpo_analysis.core._erlang_c import p_wait as _erlang_c
from bpo_analysis.core._erlang_c import service_level_c as _sl_c
from bpo_analysis.core._erlang_c import shaped_like as _like

__all__ = ["abandonment_rate", "asa_s", "erlang_c", "occupancy", "service_level",
           "traffic_erlangs"]


def traffic_erlangs(calls: Any, aht_s: Any, interval_s: float) -> Any:
    """Compute the offered load in Erlangs: calls x AHT / interval length.

    Parameters
    ----------
    calls : scalar, array or Series
        Calls offered per interval (contacts per interval, >= 0).
    aht_s : scalar, array or Series
        Average handle time, seconds (> 0 where there are calls).
    interval_s : float
        Length of one interval, seconds (1800 for half-hours).

    Returns
    -------
    float, ndarray or Series
        Offered load, Erlangs (agents busy on average), shaped like ``calls``.

    Raises
    ------
    InputError
        A negative or non-finite volume, an AHT <= 0 where there are calls, an
        interval <= 0.

    Notes
    -----
    A = lambda x AHT / I, with lambda the calls in an interval of I seconds.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (offered load R = lambda / mu).

    Examples
    --------
    100 calls of 3 minutes in half an hour keep 10 agents busy on average:

    >>> traffic_erlangs(100, 180, 1800)
    10.0
    """
    c = _array("calls", calls)
    t = _array("interval_s", interval_s, strict=True, allowed="a length in seconds > 0")
    a = _aht(aht_s, c)
    return _like(c * a / t, calls, aht_s)


def erlang_c(traffic: Any, agents: Any) -> Any:
    """Compute the probability that a call waits (Erlang C), M/M/N with infinite patience.

    Parameters
    ----------
    traffic : scalar, array or Series
        Offered load, Erlangs (>= 0; see :func:`traffic_erlangs`).
    agents : scalar, array or Series
        Agents on the phone, N (>= 0).

    Returns
    -------
    float, ndarray or Series
        P(wait > 0), share 0-1: 1 when ``agents <= traffic`` (the queue grows without
        bound), 0 when there is no traffic.

    Raises
    ------
    InputError
        A negative or non-finite value, or inputs of different lengths.

    Notes
    -----
    C(N, A) = N B / (N - A (1 - B)) with Erlang B = P(N) / P(X <= N), X ~ Poisson(A),
    evaluated through ``gammaln`` and ``gammaincc`` (no factorials).

    References
    ----------
    A. K. Erlang (1917); N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers:
    tutorial, review, and research prospects", MSOM 5(2), 2003; G. Koole, *Call Center
    Optimization* (2013).

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


def service_level(traffic: Any, agents: Any, aht_s: Any, target_t_s: Any, *,
                  patience_s: Any = None) -> Any:
    """Compute the share of offered calls answered within ``target_t_s`` seconds.

    Parameters
    ----------
    traffic : scalar, array or Series
        Offered load, Erlangs (>= 0).
    agents : scalar, array or Series
        Agents on the phone, N (>= 0).
    aht_s : scalar, array or Series
        Average handle time, seconds (> 0 where there is traffic).
    target_t_s : scalar, array or Series
        Answer-time threshold T, seconds (>= 0).
    patience_s : scalar, array or Series, optional
        Mean caller patience, seconds (> 0): Erlang A, exponential patience.

    Returns
    -------
    float, ndarray or Series
        Service level, share 0-1 of offered calls; 1 with no traffic.

    Raises
    ------
    InputError
        A negative or non-finite value, an AHT <= 0 where there is traffic, a patience
        <= 0, inputs of different lengths.

    Notes
    -----
    Erlang C (default): SL = 1 - C(N, A) exp(-(N - A) T / AHT); 0 when N <= A.
    Erlang A (``patience_s`` = mean patience, exponential): abandoned calls count as not
    answered within the target; the formula is in
    :func:`bpo_analysis.core._erlang_a.erlang_a` and :func:`abandonment_rate` gives the
    model.

    References
    ----------
    Erlang C: N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial,
    review, and research prospects", MSOM 5(2), 2003. Erlang A: O. Garnett,
    A. Mandelbaum, M. Reiman, "Designing a call center with impatient customers", MSOM
    4(3), 2002; A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue, with applications
    to call centers", 2007.

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
    """Compute the average speed of answer (Erlang C), seconds.

    Parameters
    ----------
    traffic : scalar, array or Series
        Offered load, Erlangs (>= 0).
    agents : scalar, array or Series
        Agents on the phone, N (>= 0).
    aht_s : scalar, array or Series
        Average handle time, seconds (> 0 where there is traffic).

    Returns
    -------
    float, ndarray or Series
        Mean queue wait of all offered calls, seconds (those answered at once count 0);
        inf when N <= A, 0 with no traffic.

    Raises
    ------
    InputError
        A negative or non-finite value, an AHT <= 0 where there is traffic.

    Notes
    -----
    ASA = C(N, A) x AHT / (N - A).

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003.

    Examples
    --------
    100 calls of 3 minutes per half hour on 14 agents wait 7.8 s on average:

    >>> round(asa_s(10, 14, 180), 2)
    7.84
    """
    a, n, aht, _ = _inputs(traffic, agents, aht_s, 0)
    c = _erlang_c(a, n)
    gap = n - a
    asa = np.divide(c * aht, gap, out=np.full_like(a, np.inf), where=gap > 0)
    return _like(np.where(a > 0, asa, 0.0), traffic, agents, aht_s)


def occupancy(traffic: Any, agents: Any) -> Any:
    """Compute the share of the agents' time spent handling calls.

    Parameters
    ----------
    traffic : scalar, array or Series
        Offered load, Erlangs (>= 0).
    agents : scalar, array or Series
        Agents on the phone, N (>= 0).

    Returns
    -------
    float, ndarray or Series
        Occupancy, share 0-1 (capped at 1; 0 with no agents).

    Raises
    ------
    InputError
        A negative or non-finite value, or inputs of different lengths.

    Notes
    -----
    occupancy = min(A / N, 1) (every offered call is served: Erlang C).

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (agent utilisation).

    Examples
    --------
    10 Erlangs on 14 agents keep them busy 71.4 % of the time:

    >>> round(occupancy(10, 14), 3)
    0.714
    """
    a = _array("traffic", traffic)
    n = _array("agents", agents)
    a, n = _broadcast(traffic=a, agents=n)
    occ = np.divide(a, n, out=np.zeros_like(a), where=n > 0)
    return _like(np.minimum(occ, 1.0), traffic, agents)


def abandonment_rate(traffic: Any, agents: Any, aht_s: Any, patience_s: Any) -> Any:
    """Compute the share of offered calls that abandon (Erlang A, exponential patience).

    Parameters
    ----------
    traffic : scalar, array or Series
        Offered load, Erlangs (>= 0).
    agents : scalar, array or Series
        Agents on the phone, N (>= 0).
    aht_s : scalar, array or Series
        Average handle time, seconds (> 0 where there is traffic).
    patience_s : scalar, array or Series
        Mean caller patience, seconds (> 0).

    Returns
    -------
    float, ndarray or Series
        P(abandon), share 0-1 of offered calls.

    Raises
    ------
    InputError
        A negative or non-finite value, an AHT <= 0 where there is traffic, a patience
        <= 0.

    Notes
    -----
    With r = patience / AHT, a = N r, x = A r and S(a, x) = sum over j >= 0 of
    x^j / ((a + 1) ... (a + j)): P(abandon) = P(wait) (1 - (N / A)(1 - 1 / S(a, x))),
    P(wait) as in :func:`bpo_analysis.core._erlang_a.erlang_a`.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with impatient
    customers", MSOM 4(3), 2002; A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue,
    with applications to call centers", 2007.

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
