"""Erlang A (M/M/N+M, exponential patience): the formulas behind the staffing engine.

They serve :func:`bpo_analysis.core.staffing.service_level`,
:func:`~bpo_analysis.core.staffing.abandonment_rate` and
:func:`~bpo_analysis.core.staffing.required_agents` with ``patience_s``.

Private: the public, validating API is :mod:`bpo_analysis.core.staffing`. References:
Garnett, Mandelbaum & Reiman (2002); Mandelbaum & Zeltyn (2007).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from bpo_analysis.errors import InfeasibleError

TOL = 1e-12  # a service level within this of the target meets it
_TOL = TOL


def log_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Compute log S(a, x), the series of the Erlang-A probabilities, without overflow.

    Parameters
    ----------
    a : ndarray
        N r: agents times the ratio r = mean patience / AHT (> 0).
    x : ndarray
        A r: offered load (Erlangs) times the same ratio (> 0).

    Returns
    -------
    ndarray
        log S(a, x), element-wise (S >= 1, so >= 0).

    Notes
    -----
    S(a, x) = sum over j >= 0 of x^j / ((a + 1)(a + 2) ... (a + j))
    = a e^x x^(-a) Gamma(a) P(a, x), with P the regularised lower incomplete gamma
    function. The incomplete-gamma form is used where P(a, x) is representable; where
    it underflows (x far below a: many agents, patient callers) the series is summed
    directly, in chunks of 256 terms, until the next term no longer changes the sum.

    References
    ----------
    NIST Digital Library of Mathematical Functions, eq. 8.7.1 (the series of the
    incomplete gamma function); A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue,
    with applications to call centers", 2007 (the same series in the Erlang-A
    formulas).

    Examples
    --------
    Callers as patient as a call is long (r = 1), one agent (a = 1) and one Erlang
    (x = 1): S(1, 1) = e - 1.

    >>> round(float(log_series(np.array([1.0]), np.array([1.0]))[0]), 6)
    0.541325
    >>> round(float(np.log(np.e - 1)), 6)
    0.541325
    """
    p = special.gammainc(a, x)
    safe = p > 1e-250
    out = np.empty_like(a)
    out[safe] = (np.log(a[safe]) + x[safe] - a[safe] * np.log(x[safe])
                 + special.gammaln(a[safe]) + np.log(p[safe]))
    idx = np.flatnonzero(~safe)
    total, term, k = np.ones(idx.size), np.ones(idx.size), 1
    while idx.size:
        steps = np.arange(k, k + 256)[:, None]
        terms = term * np.cumprod(x[idx] / (a[idx] + steps), axis=0)
        total += terms.sum(axis=0)
        term, k = terms[-1], k + 256
        done = term <= 1e-17 * total
        out[idx[done]] = np.log(total[done])
        idx, total, term = idx[~done], total[~done], term[~done]
    return out


def erlang_a(load: np.ndarray, agents: np.ndarray, aht: np.ndarray, patience: np.ndarray,
              t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compute P(wait), P(abandon) and the service level within t of M/M/N+M.

    Parameters
    ----------
    load : ndarray
        Offered load A, Erlangs (>= 0).
    agents : ndarray
        Agents N (>= 0).
    aht : ndarray
        Average handle time, seconds (> 0).
    patience : ndarray
        Mean caller patience, seconds (> 0; exponential).
    t : ndarray
        Answer-time threshold, seconds (>= 0).

    Returns
    -------
    p_wait, p_abandon, sl : ndarray
        Element-wise shares 0-1 of offered calls: those that wait, those that give up,
        and those answered within ``t``. No load: 0, 0, 1; load and no agents: 1, 1, 0.

    Notes
    -----
    With r = patience / AHT, a = N r, x = A r, q = exp(-t / patience) and S as in
    :func:`log_series`: P(wait) = W / (E + W), E = e^A Q(N, A) (sum of A^k/k!, k < N),
    W = A^N / N! S(a, x); P(abandon) = P(wait) (1 - (N/A)(1 - 1/S(a, x))); answered
    within t over offered = 1 - P(wait) + P(wait) (N/A) F, where F = (x / (a+1))
    (S(a+1, x) - q^(a+1) e^(x (1-q)) S(a+1, xq)) / S(a, x) is the share of waiting
    callers answered within t. Both use (N/A)(x/(a+1)) = N r/(a+1), and every ratio
    of S is taken in logs.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with impatient
    customers", MSOM 4(3), 2002; A. Mandelbaum, S. Zeltyn, "The Palm/Erlang-A queue,
    with applications to call centers", 2007.

    Examples
    --------
    100 calls of 3 minutes per half hour (10 Erlangs) on 10 agents, callers giving up
    after 2 minutes on average: half wait, 13.7 % give up, 64.0 % are answered within
    20 s. With callers who never give up and 14 agents it is Erlang C's 88.8 %.

    >>> p = [np.array([v]) for v in (10.0, 10.0, 180.0, 120.0, 20.0)]
    >>> [round(float(v[0]), 3) for v in erlang_a(*p)]
    [0.497, 0.137, 0.64]
    >>> p = [np.array([v]) for v in (10.0, 14.0, 180.0, 1e7, 20.0)]
    >>> round(float(erlang_a(*p)[2][0]), 4)
    0.8884
    """
    p_w, p_ab, sl = np.zeros_like(load), np.zeros_like(load), np.ones_like(load)
    none = (load > 0) & (agents <= 0)  # nobody answers: everyone waits and gives up
    p_w[none], p_ab[none], sl[none] = 1.0, 1.0, 0.0
    m = (load > 0) & (agents > 0)
    if not m.any():
        return p_w, p_ab, sl
    A, N, r, theta_t = load[m], agents[m], patience[m] / aht[m], t[m] / patience[m]
    a, x = N * r, A * r
    log_s = log_series(a, x)
    with np.errstate(divide="ignore"):  # Q(N, A) underflows far below traffic: P(wait) = 1
        log_e = A + np.log(special.gammaincc(N, A))
    pw = special.expit(N * np.log(A) - special.gammaln(N + 1) + log_s - log_e)
    p_w[m] = pw
    # (N/A)(1 - 1/S) = (N/A) (x/(a+1)) S(a+1, x)/S(a, x) = N r/(a+1) S(a+1, x)/S(a, x):
    # no division by A, so a vanishing load cannot overflow
    lead = np.log(N * r / (a + 1)) - log_s
    served_waiting = np.exp(lead + log_series(a + 1, x))
    p_ab[m] = np.clip(pw * (1 - served_waiting), 0.0, 1.0)
    decay = -(a + 1) * theta_t - x * np.expm1(-theta_t)  # log of q^(a+1) e^(x(1-q))
    late = np.exp(lead + decay + log_series(a + 1, x * np.exp(-theta_t)))
    sl[m] = np.clip(1 - pw + pw * (served_waiting - late), 0.0, 1.0)
    return p_w, p_ab, sl


def required_a(load: np.ndarray, aht: np.ndarray, t: np.ndarray, target: np.ndarray,
                patience: np.ndarray, max_occ: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Find the smallest N with Erlang-A SL >= target and served occupancy <= cap.

    Parameters
    ----------
    load : ndarray
        Offered load A per interval, Erlangs (>= 0).
    aht : ndarray
        Average handle time, seconds (> 0 where there is load).
    t : ndarray
        Answer-time threshold, seconds (> 0).
    target : ndarray
        Service-level target, share 0-1.
    patience : ndarray
        Mean caller patience, seconds (> 0).
    max_occ : ndarray
        Occupancy cap, share in (0, 1] (1: no cap).
    limit : ndarray
        Most agents to try per interval.

    Returns
    -------
    ndarray
        Agents per interval (whole numbers as floats; 0 where there is no load).

    Raises
    ------
    InfeasibleError
        No staffing up to ``limit`` meets the target (names the interval).

    Notes
    -----
    N = min { N : SL_A(N) >= target and A (1 - P_abandon(N)) <= max_occ x N }, found by
    doubling an upper bound from ceil(A / max_occ + 3 sqrt(A) + 5), then bisection (the
    service level rises with N), on the intervals with load.

    References
    ----------
    O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with impatient
    customers", MSOM 4(3), 2002.

    Examples
    --------
    100 calls of 3 minutes per half hour, 80 % within 20 s, callers giving up after 2
    minutes on average: 12 agents (Erlang C, with nobody giving up, needs 14).

    >>> p = [np.array([v]) for v in (10.0, 180.0, 20.0, 0.8, 120.0, 1.0, 100.0)]
    >>> required_a(*p).tolist()
    [12.0]
    """
    lo = np.zeros_like(load)
    hi = np.minimum(np.ceil(load / max_occ + 3 * np.sqrt(load) + 5), limit)

    def meets(n: np.ndarray, i: np.ndarray) -> np.ndarray:
        _, p_ab, sl = erlang_a(load[i], n, aht[i], patience[i], t[i])
        served = load[i] * (1 - p_ab)  # never above n in theory; rounding may nudge it
        capped = max_occ[i] < 1.0
        return (sl >= target[i] - _TOL) & (~capped | (served <= max_occ[i] * n * (1 + 1e-9)))

    i = np.flatnonzero(load > 0)
    while (short := i[~meets(hi[i], i)]).size:
        if (hi[short] >= limit[short]).any():
            j = short[np.flatnonzero(hi[short] >= limit[short])[0]]
            raise InfeasibleError(f"interval {j}: no staffing up to {int(limit[j])} agents "
                                  f"reaches a service level of {target[j]} within {t[j]} s")
        lo[short], hi[short] = hi[short], np.minimum(hi[short] * 2, limit[short])
    while (i := i[hi[i] > lo[i]]).size:
        mid = np.floor((lo[i] + hi[i]) / 2)
        ok = meets(mid, i)
        hi[i] = np.where(ok, mid, hi[i])
        lo[i] = np.where(ok, lo[i], mid + 1)
    return hi
