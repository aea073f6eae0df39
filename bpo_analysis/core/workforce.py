"""From the client's interval demand to agents per interval and FTE per month.

The channels differ (seed 000: voice, chat and email are staffed differently):

* **voice** -- Erlang C on each interval against the channel's service target
  (share answered within ``answer_within_s``) and occupancy cap;
* **chat** -- the same, with an agent holding ``concurrency`` chats at once, modelled
  as the handle time divided by the concurrency (a common planning approximation);
* **email** -- deferrable work: a day's email workload (contacts x AHT) is handled
  during that day's opening hours at the occupancy cap (a closed day's email on the
  next open day), which meets a response target of 24 h or more. A shorter email
  target is refused rather than misjudged.

Scheduled agents add shrinkage (breaks, training, absence). In-house agents work whole
shifts (:mod:`bpo_analysis.core.shifts`), and FTE per month are the paid shift hours over
the paid hours of one FTE. The demand calendar (:class:`Calendar`), the workforce
assumptions (:class:`Workforce`) and the shifts (:class:`Shifts`,
:func:`shift_schedule`) live in their own modules and are importable from here too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core import staffing
from bpo_analysis.core.calendar import Calendar
from bpo_analysis.core.demand import heatmap, heatmap_cube
from bpo_analysis.core.shifts import Shifts, Workforce, shift_schedule
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import Scenario
from bpo_analysis.errors import InputError

__all__ = ["Calendar", "Shifts", "Workforce", "agent_heatmap", "client_workforce",
           "email_agents", "fte_by_month", "shift_schedule", "staffing_plan"]

EMAIL_MIN_TARGET_S = 24 * 3600


def client_workforce(client: Client, **assumptions) -> Workforce:
    """Return the workforce assumptions of ``client``: its paid hours per agent-month.

    ``scenario.yaml``'s ``paid_hours_per_fte_month``, with any other assumption given
    (``shrinkage``, ``shift_hours`` ...).

    >>> from bpo_analysis.data.client import load_client
    >>> client_workforce(load_client("data/sample"), shrinkage=0.3).paid_hours_per_fte_month
    174.0
    """
    return Workforce(paid_hours_per_fte_month=client.scenario.paid_hours_per_fte_month,
                     **assumptions)


def email_agents(contacts: np.ndarray, aht: np.ndarray, day: np.ndarray, is_open: np.ndarray,
                  days: pd.DatetimeIndex, interval_h: float, max_occ: float) -> np.ndarray:
    """Spread each day's email workload over that day's open intervals, as agents.

    The email of a closed day is done on the next open day (it is a backlog); the email of
    the last closed days of the data (a demand ending on a closed weekend) is done on the
    first open day, as the same week would be a week later.

    Parameters
    ----------
    contacts : ndarray
        Emails arriving in each interval (contacts per interval, >= 0).
    aht : ndarray
        Average handle time of each interval's emails, seconds (NaN where none arrive).
    day : ndarray of int
        Each interval's day, as an index into ``days``.
    is_open : ndarray of bool
        Whether each interval is inside the opening hours.
    days : DatetimeIndex
        The days the codes of ``day`` stand for (to name a day in an error).
    interval_h : float
        Length of one interval, hours (0.5 for half-hours).
    max_occ : float
        Occupancy cap, share 0-1 (1.0 when the target sets none).

    Returns
    -------
    ndarray
        Whole agents per interval: the same number in every open interval of a day,
        0 in closed intervals.

    Raises
    ------
    InputError
        Email and no open day at all (``opening_hours``, naming the first day).

    Notes
    -----
    With W_d = sum of contacts x AHT / 3600 over day d (workload, hours), the workload
    of each day goes to d' = the same day or the next open one, and every open interval
    of d' gets

        agents = ceil( sum of W_d moved to d' / (H_d' x max_occ) ),

    where H_d' is the open hours of d'. The whole day's work is done by its end, which
    meets any response target of 24 h or more (shorter targets are refused upstream).

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (email as deferrable work with a response
    time measured in hours, staffed by workload rather than by a queueing model).

    Examples
    --------
    A closed Sunday's 48 emails of 10 minutes wait for Monday, which has 48 of its
    own: 16 hours of email over Monday's 16 open hours at 80 % occupancy is 1.25
    agents, so 2 agents answer email all day.

    >>> days = pd.DatetimeIndex(["2025-03-09", "2025-03-10"])
    >>> day = np.repeat([0, 1], 48)                         # two days of half-hours
    >>> hour = np.tile(np.arange(48) // 2, 2)
    >>> is_open = (day == 1) & (hour >= 8)                  # Monday 08:00-24:00 only
    >>> agents = email_agents(np.ones(96), np.full(96, 600.0), day, is_open, days, 0.5, 0.8)
    >>> float(agents[day == 0].max()), float(agents[is_open].min())
    (0.0, 2.0)
    """
    n_days = int(day.max()) + 1 if day.size else 0
    work = np.bincount(day, contacts * np.nan_to_num(aht) / 3600.0, n_days)
    open_h = np.bincount(day, is_open * interval_h, n_days)
    ahead = np.where(open_h > 0, np.arange(n_days), n_days)
    next_open = np.minimum.accumulate(ahead[::-1])[::-1]  # this day or the next open one
    stranded = (work > 0) & (next_open == n_days)
    if stranded.any():  # the data ends on closed days: their email waits for the first open
        if not (open_h > 0).any():
            first = days[int(np.flatnonzero(stranded)[0])]
            raise InputError("opening_hours", f"{first:%A %Y-%m-%d}",
                             "an open day for the email channel (service_targets.email."
                             "opening_hours, else the centre's)")
        next_open = np.where(stranded, int(np.flatnonzero(open_h > 0)[0]), next_open)
    done = np.bincount(next_open[work > 0], work[work > 0], n_days + 1)[:n_days]
    agents = np.divide(done, open_h * max_occ, out=np.zeros(n_days), where=open_h > 0)
    return np.where(is_open, staffing.ceil_whole(agents[day]), 0.0)


def staffing_plan(client: Client, workforce: Workforce = Workforce(), *,  # noqa: B008 (frozen)
                  volume_scale: float = 1.0, aht_scale: float = 1.0,
                  calendar: Calendar | None = None) -> pd.DataFrame:
    """Compute the agents needed per interval and channel for the client's demand.

    Parameters
    ----------
    client : Client
        Its ``demand`` (contacts per interval, AHT in seconds) and the scenario's
        interval length, opening hours and service targets per channel.
    workforce : Workforce
        Its ``shrinkage`` (share 0-1 of paid time not on contacts).
    volume_scale : float
        Multiplies the contacts (the "what if" slider), >= 0.
    aht_scale : float
        Multiplies the handle times, > 0.
    calendar : Calendar, optional
        The demand's :class:`Calendar`, to save recomputing it.

    Returns
    -------
    DataFrame
        The demand's rows, indexed as the demand, with ``contacts`` and ``aht_s`` scaled,
        ``load_erlangs`` (agent load: handle time, divided by the concurrency for chat),
        ``required`` (whole agents on the phone / chat / mail at once) and
        ``scheduled`` (with shrinkage).

    Raises
    ------
    InputError
        A negative volume scale or an AHT scale <= 0; an email target under 24 h; email
        with no open day after it.
    InfeasibleError
        An interval no staffing meets the target in (names it).

    Notes
    -----
    Per interval of length I seconds, with c contacts and handle time h seconds:

    * voice: N = the smallest whole N with Erlang C service level >= target within T
      and occupancy A / N <= cap, where A = c h / I
      (:func:`bpo_analysis.core.staffing.required_agents`);
    * chat with k chats at once: the same on h / k (load A = c h / (k I));
    * email: :func:`email_agents` (the day's workload over its open hours);
    * scheduled = ceil(N / (1 - shrinkage)).

    References
    ----------
    Erlang C staffing: N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers:
    tutorial, review, and research prospects", MSOM 5(2), 2003; G. Koole, *Call Center
    Optimization* (2013). Shrinkage (the rostered staff factor): B. Cleveland, *Call
    Center Management on Fast Forward* (ICMI). The chat concurrency (handle time
    divided by the chats an agent holds) is a planning approximation, not a published
    queueing model.

    Examples
    --------
    Formosa Click's busy Monday morning, 6 January 2025, 10:00-10:30: 134 calls of
    4.7 minutes need 26 agents on the phone (80 % within 20 s, occupancy at most 85 %)
    and 38 on the schedule once 30 % shrinkage is added.

    >>> from bpo_analysis.data.client import load_client
    >>> plan = staffing_plan(load_client("data/sample"))
    >>> row = plan[(plan["interval_start"] == "2025-01-06 10:00")
    ...            & (plan["channel"] == "voice")].iloc[0]
    >>> float(row["contacts"]), float(row["aht_s"]), int(row["required"]), int(row["scheduled"])
    (134.0, 279.7, 26, 38)
    """
    if not volume_scale >= 0 or not aht_scale > 0:
        raise InputError("volume_scale/aht_scale", (volume_scale, aht_scale), ">= 0 and > 0")
    sc = client.scenario
    d = client.demand
    contacts = d["contacts"].to_numpy(float) * volume_scale
    aht = d["aht_s"].to_numpy(float) * aht_scale
    cal = calendar or Calendar.of(d["interval_start"])
    interval_s = sc.interval_minutes * 60.0
    codes, names = pd.factorize(d["channel"])
    required = np.zeros(len(d))
    concurrency = np.ones(len(d))
    for name, target in sc.service_targets.items():
        if name not in names:
            continue
        rows = codes == names.get_loc(name)
        if name == "email":
            if target.answer_within_s < EMAIL_MIN_TARGET_S:
                raise InputError("service_targets.email.answer_within_s",
                                 target.answer_within_s, f">= {EMAIL_MIN_TARGET_S} s (24 h)")
            required[rows] = email_agents(contacts[rows], aht[rows], cal.day[rows],
                                           cal.is_open(sc, "email")[rows], cal.days,
                                           interval_s / 3600, target.max_occupancy or 1.0)
            continue
        concurrency[rows] = target.concurrency
        required[rows] = staffing.required_agents(
            contacts[rows], aht[rows] / target.concurrency, interval_s=interval_s,
            target_sl=target.service_level, target_t_s=target.answer_within_s,
            max_occupancy=target.max_occupancy)
    return d.assign(contacts=contacts, aht_s=aht,
                    load_erlangs=contacts * np.nan_to_num(aht) / concurrency / interval_s,
                    required=required.astype(np.int64),
                    scheduled=staffing.scheduled_agents(required, workforce.shrinkage))


def fte_by_month(plan: pd.DataFrame, scenario: Scenario, workforce: Workforce | None = None,
                 calendar: Calendar | None = None) -> pd.DataFrame:
    """Total the agent-hours and FTE per month: in-house on whole shifts, and with no loss.

    Parameters
    ----------
    plan : DataFrame
        A :func:`staffing_plan` (columns ``interval_start``, ``contacts`` and
        ``scheduled``).
    scenario : Scenario
        Its interval length (minutes) and opening hours.
    workforce : Workforce, optional
        Paid hours per FTE and month, shift length and starts, night hours (default:
        the scenario's paid hours, the other assumptions' defaults).
    calendar : Calendar, optional
        The plan's :class:`Calendar`, to save recomputing it.

    Returns
    -------
    DataFrame
        One row per month. Columns ``needed_hours`` (the plan's scheduled agents x
        interval length, hours), ``agent_hours`` (paid hours of the
        :func:`shift_schedule` shifts), ``night_hours`` (their paid night hours),
        ``contacts``, ``fte`` (paid shift hours / paid hours per FTE: the in-house
        headcount), ``fte_needed`` (needed hours / paid hours per FTE: a vendor who
        changes shifts without gaps, seed 003), ``schedule_efficiency`` (needed / paid
        hours, share 0-1), ``night_share`` (of paid hours, share 0-1) and
        ``peak_seats`` (the most agents on shift at once; seats are shared across
        shifts).

    Raises
    ------
    InputError, InfeasibleError
        As :func:`shift_schedule`.

    Notes
    -----
    For month m with paid hours P per FTE and month:

    * needed_hours = sum of scheduled agents x interval hours;
    * agent_hours = shifts started x shift hours;
    * fte = agent_hours / P and fte_needed = needed_hours / P;
    * schedule_efficiency = needed_hours / agent_hours (1 when nothing is paid);
    * night_share = night_hours / agent_hours.

    References
    ----------
    The planning chain forecast -> staffing per interval -> shifts -> headcount of
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003.

    Examples
    --------
    Formosa Click's January 2025: 16,713 agent-hours on the schedule take 23,288 paid
    shift hours -- 134 in-house FTE where a vendor changing shifts without gaps would
    need 96; the shifts use 72 % of the paid hours.

    >>> from bpo_analysis.data.client import load_client
    >>> client = load_client("data/sample")
    >>> jan = fte_by_month(staffing_plan(client), client.scenario).iloc[0]
    >>> [round(float(jan[c]), 2) for c in ("needed_hours", "agent_hours", "fte",
    ...                                    "fte_needed", "schedule_efficiency")]
    [16713.0, 23288.0, 133.84, 96.05, 0.72]
    """
    cal = calendar or Calendar.of(plan["interval_start"])
    workforce = workforce or Workforce(paid_hours_per_fte_month=scenario.paid_hours_per_fte_month)
    shifts = shift_schedule(plan, scenario, workforce, cal)
    n = len(cal.months)
    day_month = np.zeros(len(cal.days), dtype=np.int64)
    day_month[cal.slot_day] = cal.slot_month
    needed = cal.per_month(plan["scheduled"].to_numpy(float) * scenario.interval_minutes / 60)
    paid = np.bincount(day_month, shifts.paid_hours(), n)
    night = np.bincount(day_month, shifts.night_paid_hours(), n)
    peak = np.zeros(n)
    np.maximum.at(peak, day_month, shifts.cover.max(axis=1, initial=0.0))
    per_fte = workforce.paid_hours_per_fte_month
    columns = {
        "needed_hours": needed, "agent_hours": paid, "night_hours": night,
        "contacts": cal.per_month(plan["contacts"].to_numpy(float)),
        "fte": paid / per_fte, "fte_needed": needed / per_fte,
        "schedule_efficiency": np.divide(needed, paid, out=np.ones(n), where=paid > 0),
        "night_share": np.divide(night, paid, out=np.zeros(n), where=paid > 0)}
    out = pd.DataFrame(np.column_stack(list(columns.values())), index=cal.months,
                       columns=list(columns))
    out["peak_seats"] = peak.astype(np.int64)
    return out


def agent_heatmap(plan: pd.DataFrame, interval_minutes: int,
                  column: str = "required") -> pd.DataFrame:
    """Average the agents per interval (all channels together), weekday x time of day.

    Uses the demand cube with the agents in place of contacts, so the average is per
    date exactly as for the demand heatmap.

    Parameters
    ----------
    plan : DataFrame
        A :func:`staffing_plan`.
    interval_minutes : int
        Length of one row, minutes (15, 30 or 60).
    column : str
        ``required`` (agents on contacts) or ``scheduled`` (with shrinkage).

    Returns
    -------
    DataFrame
        Rows Mon..Sun, columns 'HH:MM' slot starts: agents per interval, averaged over
        the dates of each weekday.

    Notes
    -----
    For weekday w and slot s: the sum over the dates of weekday w of the agents in slot
    s (all channels), divided by the number of such dates.

    References
    ----------
    Arrival (and so staffing) patterns by day of week and time of day: N. Gans,
    G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and research
    prospects", MSOM 5(2), 2003.

    Examples
    --------
    Formosa Click's Monday 10:00 needs about 42 agents on contacts on average over the
    year, a Sunday 10:00 about 38:

    >>> from bpo_analysis.data.client import load_client
    >>> heat = agent_heatmap(staffing_plan(load_client("data/sample")), 30)
    >>> round(float(heat.loc["Mon", "10:00"]), 1), round(float(heat.loc["Sun", "10:00"]), 1)
    (42.1, 38.0)
    """
    cube = heatmap_cube(plan.assign(contacts=plan[column], aht_s=0.0), interval_minutes)
    return heatmap(cube)
