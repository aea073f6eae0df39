"""How a surged channel's queue runs, interval by interval, on the agents it has.

Voice and chat are judged with Erlang A (callers give up after an exponential patience;
a share of those who give up call again at the next open interval, :func:`voice_queue`);
email is deferred work, a first-in first-out backlog (:func:`lindley`,
:func:`email_queue`). :mod:`bpo_analysis.steps.risk.surge` runs them over the surge.
"""

from __future__ import annotations

import numpy as np

from bpo_analysis.core._erlang_a import erlang_a

__all__ = ["email_queue", "lindley", "voice_queue"]


def lindley(arrivals: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compute the FIFO backlog after each interval, and what each interval handles.

    Lindley's recursion B_i = max(0, B_{i-1} + a_i - c_i) from B = 0, in closed form
    (a cumulative sum less its running minimum).

    Parameters
    ----------
    arrivals : ndarray
        Contacts arriving in each interval.
    capacity : ndarray
        Contacts the agents can handle in each interval.

    Returns
    -------
    backlog, handled : ndarray
        Contacts waiting at the end of each interval, and contacts handled in it.

    Examples
    --------
    Five emails an interval against a capacity of three, then none:

    >>> backlog, handled = lindley(np.array([5.0, 5.0, 0.0]), np.array([3.0, 3.0, 3.0]))
    >>> backlog.tolist(), handled.tolist()
    ([2.0, 4.0, 1.0], [3.0, 3.0, 3.0])
    """
    s = np.cumsum(arrivals - capacity)
    backlog = s - np.minimum(0.0, np.minimum.accumulate(s))
    before = np.concatenate([[0.0], backlog[:-1]])
    return backlog, before + arrivals - backlog


def email_queue(arrivals: np.ndarray, aht: np.ndarray, agents: np.ndarray, interval_s: float,
                target_s: float, max_occ: float) -> dict[str, np.ndarray]:
    """Run email as a FIFO backlog over consecutive intervals.

    Parameters
    ----------
    arrivals : ndarray
        Emails arriving in each interval (contacts).
    aht : ndarray
        Handle time per email, seconds.
    agents : ndarray
        Agents on email in each interval.
    interval_s : float
        Length of one interval, seconds.
    target_s : float
        Answer-time target, seconds.
    max_occ : float
        Share (0-1] of the agents' time spent on emails.

    Returns
    -------
    dict of str to ndarray
        Per interval: ``offered``, ``answered`` (handled) and ``backlog`` (= ``waiting``,
        unanswered at the end of the interval), contacts; ``service_level``, the share
        of its arrivals answered within ``target_s`` (NaN where the deadline is past the
        window); ``redials``, ``abandon_rate``, ``abandoned`` and ``lost`` are zero.
    """
    capacity = agents * interval_s * max_occ / aht
    backlog, handled = lindley(arrivals, capacity)
    cum_a, cum_h = np.cumsum(arrivals), np.cumsum(handled)
    n = len(arrivals)
    ahead = np.arange(n) + round(target_s / interval_s) - 1
    known = ahead < n
    done_by = np.where(known, cum_h[np.minimum(ahead, n - 1)], np.nan)
    share = np.clip((done_by - (cum_a - arrivals)) / np.where(arrivals > 0, arrivals, 1), 0, 1)
    zeros = np.zeros(n)
    return {"offered": arrivals, "redials": zeros, "service_level":
            np.where(arrivals > 0, share, np.where(known, 1.0, np.nan)),
            "abandon_rate": zeros, "answered": handled, "abandoned": zeros, "lost": zeros,
            "waiting": backlog, "backlog": backlog}


def voice_queue(arrivals: np.ndarray, aht: np.ndarray, agents: np.ndarray,
                is_open: np.ndarray, interval_s: float, t: float, patience: float,
                redial: float) -> dict[str, np.ndarray]:
    """Run a real-time channel interval by interval with Erlang A, and the redials.

    A share ``redial`` of those who give up call again at the next open interval (past
    the window: still in the backlog).

    Parameters
    ----------
    arrivals : ndarray
        Calls (chats) arriving in each interval, contacts.
    aht : ndarray
        Handle time per agent, seconds.
    agents : ndarray
        Agents on the channel in each interval.
    is_open : ndarray of bool
        Whether each interval is in opening hours.
    interval_s : float
        Length of one interval, seconds.
    t : float
        Answer-time target, seconds.
    patience : float
        Mean caller patience, seconds.
    redial : float
        Share (0-1) of the callers who give up and call again.

    Returns
    -------
    dict of str to ndarray
        Per interval: ``offered`` (arrivals and redials), ``redials``, ``answered``,
        ``abandoned`` (attempts) and ``lost`` (callers who do not call again), contacts;
        ``service_level`` and ``abandon_rate``, shares 0-1; ``waiting``, the mean
        contacts in queue, and ``backlog``, waiting plus the redials not yet made.
    """
    n = len(arrivals)
    pat, tt = np.full(n, patience), np.full(n, float(t))
    open_at = np.flatnonzero(is_open)
    nxt = np.searchsorted(open_at, np.arange(n), side="right")
    has_next = nxt < open_at.size
    dest = open_at[nxt[has_next]]
    redials = np.zeros(n)
    # offered_i = arrivals_i + redials reaching i: a fixed point reached by iteration.
    # Redials only move forward, so a window of n intervals is exact after n passes;
    # they shrink by redial x P(abandon) < 1 a pass, which ends it much sooner.
    for _ in range(n + 1):
        offered = arrivals + redials
        _, p_ab, sl = erlang_a(offered * aht / interval_s, agents, aht, pat, tt)
        new = np.zeros(n)
        np.add.at(new, dest, (redial * offered * p_ab)[has_next])
        if np.allclose(new, redials, rtol=1e-12, atol=1e-12):
            break
        redials = new
    offered = arrivals + redials
    abandoned = offered * p_ab
    pending = np.cumsum(redial * abandoned) - np.cumsum(redials)  # redials not yet made
    waiting = offered / interval_s * p_ab * patience  # Little: theta E[Q] = lambda P(ab)
    return {"offered": offered, "redials": redials, "service_level": sl,
            "abandon_rate": p_ab, "answered": offered - abandoned, "abandoned": abandoned,
            "lost": abandoned * (1 - redial), "waiting": waiting,
            "backlog": waiting + np.maximum(pending, 0.0)}
