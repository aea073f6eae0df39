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
shifts (seed 003: 8-hour shifts against a 16-hour day, night hours paid more):
:func:`shift_schedule` covers each day's curve of scheduled agents with the fewest shifts
of ``shift_hours`` (starting at any interval inside the opening hours, or only at the
given ``shift_starts``), and FTE per month are the paid shift hours over the paid hours of
one FTE. The hours a shift is on when the curve does not need it are the schedule loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.core import staffing
from bpo_analysis.core.demand import heatmap, heatmap_cube
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import Scenario
from bpo_analysis.errors import InfeasibleError, InputError

__all__ = ["Calendar", "Shifts", "Workforce", "agent_heatmap", "email_agents",
           "fte_by_month", "shift_schedule", "staffing_plan"]

EMAIL_MIN_TARGET_S = 24 * 3600


@dataclass(frozen=True)
class Workforce:
    """Planning assumptions of the in-house workforce.

    Attributes
    ----------
    shrinkage : float
        Share of paid time not available for contacts, in [0, 1) (default 0.30).
    paid_hours_per_fte_month : float
        Paid hours of one full-time agent per month (Taiwan: 40 h a week, about 174 h).
    shift_hours : float
        Paid length of one shift, h, in (0, 24] (8; breaks are in the shrinkage). A
        whole number of demand intervals.
    shift_starts : tuple of str
        Clock times ("HH:MM") a shift may start at, e.g. ("08:00", "16:00") for a day
        and an evening shift; empty (the default): any interval start inside the
        opening hours from which a whole shift ends by closing time (or the opening
        itself on a day shorter than a shift).
    night_from_hour, night_to_hour : int
        Agent hours from ``night_from_hour`` to midnight and from midnight to
        ``night_to_hour`` earn the night-shift premium (22 and 6).
    """

    shrinkage: float = 0.30
    paid_hours_per_fte_month: float = 174.0
    shift_hours: float = 8.0
    shift_starts: tuple[str, ...] = ()
    night_from_hour: int = 22
    night_to_hour: int = 6

    def __post_init__(self) -> None:
        if not 0 <= self.shrinkage < 1:
            raise InputError("shrinkage", self.shrinkage, "a share in [0, 1)")
        if not self.paid_hours_per_fte_month > 0:
            raise InputError("paid_hours_per_fte_month", self.paid_hours_per_fte_month, "> 0")
        if not 0 < self.shift_hours <= 24:
            raise InputError("shift_hours", self.shift_hours, "hours in (0, 24]")
        for name in ("night_from_hour", "night_to_hour"):
            if not 0 <= getattr(self, name) <= 24:
                raise InputError(name, getattr(self, name), "an hour 0-24")
        if isinstance(self.shift_starts, str):
            raise InputError("shift_starts", self.shift_starts, "a tuple of clock times")
        self.start_minutes()  # refuses a malformed time

    def start_minutes(self) -> np.ndarray:
        """The ``shift_starts`` in minutes after midnight."""
        out = []
        for text in self.shift_starts:
            hh, _, mm = str(text).partition(":")
            if not (hh.isdigit() and mm.isdigit() and len(mm) == 2
                    and int(hh) < 24 and int(mm) < 60):
                raise InputError("shift_starts", text, "clock times HH:MM from 00:00 to 23:59")
            out.append(int(hh) * 60 + int(mm))
        return np.array(out, dtype=np.int64)

    def is_night(self, hour: np.ndarray) -> np.ndarray:
        """True for local hours that earn the night-shift premium."""
        return (hour >= self.night_from_hour) | (hour < self.night_to_hour)


@dataclass(frozen=True)
class Calendar:
    """Codes of each demand row, computed once so that every total is a ``bincount``.

    ``month`` and ``day`` index ``months`` and ``days``; ``slot`` indexes the distinct
    interval starts (``slot_month``, ``slot_day`` and ``slot_minute`` give each one's
    month, day and minute of the day; ``day_weekday`` each day's weekday, Monday 0);
    ``hour`` is the local hour.
    """

    months: pd.PeriodIndex
    days: pd.DatetimeIndex
    month: np.ndarray
    day: np.ndarray
    slot: np.ndarray
    slot_month: np.ndarray
    slot_day: np.ndarray
    slot_minute: np.ndarray
    day_weekday: np.ndarray
    hour: np.ndarray
    minute_of_day: np.ndarray
    weekday: np.ndarray

    @classmethod
    def of(cls, starts: pd.Series) -> Calendar:
        """The calendar of a column of interval starts."""
        slot, slots = pd.factorize(starts, sort=True)
        slots = pd.DatetimeIndex(slots)
        slot_month, months = pd.factorize(slots.to_period("M"), sort=True)
        day, days = pd.factorize(slots.normalize(), sort=True)
        minute = (slots.hour * 60 + slots.minute).to_numpy()
        days = pd.DatetimeIndex(days, name="day")
        return cls(pd.PeriodIndex(months, name="month"), days, slot_month[slot], day[slot],
                   slot, slot_month, day, minute, days.day_of_week.to_numpy(),
                   minute[slot] // 60, minute[slot], slots.day_of_week.to_numpy()[slot])

    def is_open(self, scenario: Scenario) -> np.ndarray:
        """Rows inside the scenario's opening hours (as :func:`quality.open_mask`)."""
        opens, closes = scenario.opening_minutes()
        return (self.minute_of_day >= opens[self.weekday]) & (
            self.minute_of_day < closes[self.weekday])

    def per_month(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per month."""
        return np.bincount(self.month, values, len(self.months))

    def per_slot(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per distinct interval (all channels together)."""
        return np.bincount(self.slot, values, len(self.slot_month))


@dataclass(frozen=True)
class Shifts:
    """In-house shifts covering the scheduled agents, day by day.

    Arrays are days x intervals of the day: ``starts`` the shifts starting in each
    interval, ``need`` the agents the plan schedules, ``cover`` the agents on shift (a
    shift running past midnight covers the small hours of the next day; its paid hours
    count on the day it starts). ``night_hours`` gives, per start interval, the hours of
    one shift that earn the night premium.
    """

    days: pd.DatetimeIndex
    interval_minutes: int
    shift_hours: float
    starts: np.ndarray
    need: np.ndarray
    cover: np.ndarray
    night_hours: np.ndarray

    def paid_hours(self) -> np.ndarray:
        """Paid shift hours per day."""
        return self.starts.sum(axis=1) * self.shift_hours

    def night_paid_hours(self) -> np.ndarray:
        """Paid night hours per day."""
        return self.starts @ self.night_hours

    def by_start(self) -> pd.DataFrame:
        """Average shifts starting at each clock time, per weekday (rows: start times
        used at least once; columns Monday..Sunday)."""
        clock = [f"{m // 60:02d}:{m % 60:02d}"
                 for m in range(0, 24 * 60, self.interval_minutes)]
        table = pd.DataFrame(self.starts, index=self.days, columns=clock)
        out = table.groupby(self.days.day_of_week).mean().T
        out.columns = [_WEEKDAY_NAMES[d] for d in out.columns]
        return out[table.sum().to_numpy() > 0].rename_axis("shift start")


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday")


def shift_schedule(plan: pd.DataFrame, scenario: Scenario, workforce: Workforce = Workforce(),
                   calendar: Calendar | None = None) -> Shifts:
    """The fewest in-house shifts that keep the plan's scheduled agents on, every interval.

    All channels are one team (multi-skilled agents). Day by day, the earliest interval
    still short of agents gets new shifts starting at the latest allowed start that
    still covers it; for shifts of one length this greedy rule is optimal (the exchange
    argument of interval covering; a test checks it against an integer program).

    Allowed starts are ``workforce.shift_starts``, or by default every interval from the
    day's first need or opening (the earlier) from which a whole shift ends by its last
    need or closing (the later), and that first interval itself on a shorter day.

    Raises
    ------
    InputError
        ``shift_hours`` or a shift start off the demand's interval grid.
    InfeasibleError
        An interval with agents needed that no allowed shift covers (names it).
    """
    cal = calendar or Calendar.of(plan["interval_start"])
    step = scenario.interval_minutes
    length = workforce.shift_hours * 60 / step
    if abs(length - round(length)) > 1e-9:
        raise InputError("shift_hours", workforce.shift_hours,
                         f"a whole number of {step}-minute intervals")
    span, cols, n_days = round(length), 24 * 60 // step, len(cal.days)
    need = np.zeros((n_days, cols))
    need[cal.slot_day, cal.slot_minute // step] = cal.per_slot(plan["scheduled"].to_numpy(float))
    col = np.arange(cols)
    if workforce.shift_starts:
        fixed = workforce.start_minutes()
        off = fixed % step != 0
        if off.any():
            raise InputError("shift_starts", workforce.shift_starts[int(np.flatnonzero(off)[0])],
                             f"times on the {step}-minute grid of the demand")
        allowed = np.zeros((n_days, cols), bool)
        allowed[:, fixed // step] = True
    else:
        opens, closes = scenario.opening_minutes()
        weekday = cal.day_weekday
        has = need > 0
        first_need = np.where(has.any(1), has.argmax(1), cols)
        last_need = np.where(has.any(1), cols - has[:, ::-1].argmax(1), 0)
        is_open = closes[weekday] > opens[weekday]
        first = np.minimum(np.where(is_open, opens[weekday] // step, cols), first_need)
        end = np.maximum(np.where(is_open, -(-closes[weekday] // step), 0), last_need)
        allowed = (((col >= first[:, None]) & (col + span <= end[:, None]))
                   | (col == first[:, None]))
    def uncovered(day: int, t: int) -> InfeasibleError:
        return InfeasibleError(
            f"{cal.days[day]:%A %Y-%m-%d} {t * step // 60:02d}:{t * step % 60:02d}: agents "
            f"are needed but no allowed {workforce.shift_hours:g}-hour shift covers it "
            f"(shift_starts {list(workforce.shift_starts) or 'inside opening hours'})")

    if (allowed & (col + span > cols)).any():  # a shift may run past midnight
        starts, cover = _cover_timeline(need, allowed, span, cal.days, uncovered)
    else:
        starts, cover = _cover_days(need, allowed, span, uncovered)
    hour_on = (col[:, None] * step + np.arange(span) * step) // 60 % 24
    night = workforce.is_night(hour_on).sum(axis=1) * step / 60
    return Shifts(cal.days, step, workforce.shift_hours, starts, need, cover, night)


def _cover_days(need: np.ndarray, allowed: np.ndarray, span: int, uncovered
                ) -> tuple[np.ndarray, np.ndarray]:
    """The greedy cover, each day on its own (no shift runs past midnight): vectorised
    over the days, a loop over the intervals of one day."""
    n_days, cols = need.shape
    col = np.arange(cols)
    latest = np.maximum.accumulate(np.where(allowed, col, -1), axis=1)
    starts = np.zeros((n_days, cols))
    on = np.zeros(n_days)  # agents on shift in the current interval
    ending = np.zeros((n_days, cols + span))  # shifts ending before each interval
    for t in range(cols):
        on -= ending[:, t]
        short = need[:, t] - on
        rows = np.flatnonzero(short > 0)
        if not rows.size:
            continue
        at = latest[rows, t]
        bad = (at < 0) | (at <= t - span)
        if bad.any():
            raise uncovered(int(rows[np.flatnonzero(bad)[0]]), t)
        starts[rows, at] += short[rows]
        ending[rows, at + span] += short[rows]
        on[rows] += short[rows]
    total = np.cumsum(starts, axis=1)
    return starts, total - np.pad(total, ((0, 0), (span, 0)))[:, :cols]


def _cover_timeline(need: np.ndarray, allowed: np.ndarray, span: int, days: pd.DatetimeIndex,
                    uncovered) -> tuple[np.ndarray, np.ndarray]:
    """The greedy cover on one timeline across the days, for shifts that run past
    midnight (a 22:00 start covers the small hours of the next day). The first day's
    small hours are covered from the evening before (the last day's allowed starts),
    counted on the first day. A plain loop over every interval; used only when such a
    shift is allowed."""
    n_days, cols = need.shape
    if n_days > 1 and (np.diff(days.to_numpy()) != np.timedelta64(1, "D")).any():
        raise InputError("demand", "days missing between its first and last day",
                         "consecutive days when shifts run past midnight")
    need = np.vstack([np.zeros(cols), need])  # the evening before the first day
    allowed = np.vstack([allowed[-1], allowed])
    flat_need = need.ravel().tolist()
    idx = np.arange((n_days + 1) * cols)
    latest = np.maximum.accumulate(np.where(allowed.ravel(), idx, -1)).tolist()
    starts = [0.0] * ((n_days + 1) * cols)
    ending = [0.0] * ((n_days + 1) * cols + span)
    on = 0.0
    for t, want in enumerate(flat_need):
        on -= ending[t]
        short = want - on
        if short > 0:
            at = latest[t]
            if at < 0 or at <= t - span:
                raise uncovered(t // cols - 1, t % cols)
            starts[at] += short
            ending[at + span] += short
            on += short
    flat = np.array(starts)
    total = np.cumsum(flat)
    cover = (total - np.concatenate([np.zeros(span), total[:-span]])).reshape(-1, cols)
    out = flat.reshape(-1, cols)
    out[1] += out[0]  # the evening before is paid with the first day
    return out[1:], cover[1:]


def email_agents(contacts: np.ndarray, aht: np.ndarray, day: np.ndarray, is_open: np.ndarray,
                  days: pd.DatetimeIndex, interval_h: float, max_occ: float) -> np.ndarray:
    """Agents per open interval so that each day's email workload is done that day; the
    email of a closed day is done on the next open day (it is a backlog)."""
    n_days = int(day.max()) + 1 if day.size else 0
    work = np.bincount(day, contacts * np.nan_to_num(aht) / 3600.0, n_days)
    open_h = np.bincount(day, is_open * interval_h, n_days)
    ahead = np.where(open_h > 0, np.arange(n_days), n_days)
    next_open = np.minimum.accumulate(ahead[::-1])[::-1]  # this day or the next open one
    stranded = (work > 0) & (next_open == n_days)
    if stranded.any():
        first = days[int(np.flatnonzero(stranded)[0])]
        raise InputError("opening_hours", f"{first:%A %Y-%m-%d}",
                         "an open day on or after every day that has email to answer")
    done = np.bincount(next_open[work > 0], work[work > 0], n_days + 1)[:n_days]
    agents = np.divide(done, open_h * max_occ, out=np.zeros(n_days), where=open_h > 0)
    return np.where(is_open, staffing.ceil_whole(agents[day]), 0.0)


def staffing_plan(client: Client, workforce: Workforce = Workforce(), *,
                  volume_scale: float = 1.0, aht_scale: float = 1.0,
                  calendar: Calendar | None = None) -> pd.DataFrame:
    """Agents needed per interval and channel for the client's demand.

    ``volume_scale`` and ``aht_scale`` multiply the demand (the "what if" sliders).
    Returns the demand's rows with ``load_erlangs`` (agent load: handle time, divided by the
    concurrency for chat), ``required`` (agents on the phone / chat / mail at once) and
    ``scheduled`` (with shrinkage), indexed as the demand. A :class:`Calendar` of the demand
    may be passed to save recomputing it.
    """
    if not volume_scale >= 0 or not aht_scale > 0:
        raise InputError("volume_scale/aht_scale", (volume_scale, aht_scale), ">= 0 and > 0")
    sc = client.scenario
    d = client.demand
    contacts = d["contacts"].to_numpy(float) * volume_scale
    aht = d["aht_s"].to_numpy(float) * aht_scale
    cal = calendar or Calendar.of(d["interval_start"])
    interval_s = sc.interval_minutes * 60.0
    is_open = cal.is_open(sc)
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
                                           is_open[rows], cal.days,
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


def fte_by_month(plan: pd.DataFrame, scenario: Scenario, workforce: Workforce = Workforce(),
                 calendar: Calendar | None = None) -> pd.DataFrame:
    """Agent-hours and FTE per month: in-house on whole shifts, and with no shift loss.

    Columns: ``needed_hours`` (the plan's scheduled agents x interval length),
    ``agent_hours`` (paid hours of the :func:`shift_schedule` shifts), ``night_hours``
    (their paid night hours), ``contacts``, ``fte`` (paid shift hours / paid hours per
    FTE: the in-house headcount), ``fte_needed`` (needed hours / paid hours per FTE: a
    vendor who changes shifts without gaps, seed 003), ``schedule_efficiency`` (needed /
    paid hours), ``night_share`` (of paid hours) and ``peak_seats`` (the most agents on
    shift at once; seats are shared across shifts).
    """
    cal = calendar or Calendar.of(plan["interval_start"])
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
    """Average agents per interval (all channels together), weekday x time of day.

    Uses the demand cube with the agents in place of contacts, so the average is per
    date exactly as for the demand heatmap.
    """
    cube = heatmap_cube(plan.assign(contacts=plan[column], aht_s=0.0), interval_minutes)
    return heatmap(cube)
