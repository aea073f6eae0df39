"""In-house shifts: working-time assumptions and the fewest shifts covering a plan.

In-house agents work whole shifts (seed 003: 8-hour shifts against a 16-hour day, night
hours paid more). :func:`shift_schedule` covers each day's curve of scheduled agents
with the fewest shifts of ``shift_hours`` (starting at any interval inside the opening
hours, or only at the given ``shift_starts``); the hours a shift is on when the curve
does not need it are the schedule loss. :class:`Workforce` holds the assumptions
(shrinkage, paid hours of one FTE, shift length and starts, night hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.core.calendar import Calendar
from bpo_analysis.data.models import Scenario
from bpo_analysis.errors import InfeasibleError, InputError

__all__ = ["Shifts", "Workforce", "shift_schedule"]


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

    Raises
    ------
    InputError
        An assumption outside its range (names it).
    """

    shrinkage: float = 0.30
    paid_hours_per_fte_month: float = 174.0
    shift_hours: float = 8.0
    shift_starts: tuple[str, ...] = ()
    night_from_hour: int = 22
    night_to_hour: int = 6

    def __post_init__(self) -> None:
        """Refuse an assumption outside its range, naming it."""
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
        """Return the ``shift_starts`` in minutes after midnight.

        Returns
        -------
        ndarray of int64
            One per allowed start, in the order given (empty when any start is allowed).

        Raises
        ------
        InputError
            A start that is not a clock time HH:MM from 00:00 to 23:59.

        Examples
        --------
        A day shift at 08:00 and an evening shift at 16:30:

        >>> Workforce(shift_starts=("08:00", "16:30")).start_minutes().tolist()
        [480, 990]
        """
        out = []
        for text in self.shift_starts:
            hh, _, mm = str(text).partition(":")
            if not (hh.isdigit() and mm.isdigit() and len(mm) == 2
                    and int(hh) < 24 and int(mm) < 60):
                raise InputError("shift_starts", text, "clock times HH:MM from 00:00 to 23:59")
            out.append(int(hh) * 60 + int(mm))
        return np.array(out, dtype=np.int64)

    def is_night(self, hour: np.ndarray) -> np.ndarray:
        """Mark the local hours that earn the night-shift premium.

        Parameters
        ----------
        hour : ndarray of int
            Local hours of the day, 0-23.

        Returns
        -------
        ndarray of bool
            True from ``night_from_hour`` to midnight and from midnight to
            ``night_to_hour``.

        Examples
        --------
        >>> Workforce().is_night(np.array([5, 6, 21, 22])).tolist()
        [True, False, False, True]
        """
        return (hour >= self.night_from_hour) | (hour < self.night_to_hour)


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
        """Return the paid shift hours per day (shifts started x ``shift_hours``).

        Returns
        -------
        ndarray
            Hours per day of ``days``.
        """
        return self.starts.sum(axis=1) * self.shift_hours

    def night_paid_hours(self) -> np.ndarray:
        """Return the paid night hours per day (shifts started x their night hours).

        Returns
        -------
        ndarray
            Hours per day of ``days``.
        """
        return self.starts @ self.night_hours

    def by_start(self) -> pd.DataFrame:
        """Average the shifts starting at each clock time, per weekday.

        Returns
        -------
        DataFrame
            Rows: the start times used at least once ('HH:MM', index ``shift start``);
            columns: the weekdays of ``days`` (Monday..Sunday); values: shifts per day.
        """
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
    """Find the fewest in-house shifts that keep the plan's scheduled agents on.

    All channels are one team (multi-skilled agents). Day by day, the earliest interval
    still short of agents gets new shifts starting at the latest allowed start that
    still covers it; for shifts of one length this greedy rule is optimal (the exchange
    argument of interval covering; a test checks it against an integer program).

    Allowed starts are ``workforce.shift_starts``, or by default every interval from the
    day's first need or opening (the earlier) from which a whole shift ends by its last
    need or closing (the later), and that first interval itself on a shorter day.

    Parameters
    ----------
    plan : DataFrame
        A staffing plan (:func:`bpo_analysis.core.workforce.staffing_plan`): columns
        ``interval_start`` and ``scheduled`` (agents scheduled per interval and channel,
        shrinkage included).
    scenario : Scenario
        Its ``interval_minutes`` (the grid) and ``opening_hours``.
    workforce : Workforce
        ``shift_hours`` (h), ``shift_starts`` and the night hours.
    calendar : Calendar, optional
        The plan's :class:`~bpo_analysis.core.calendar.Calendar`, to save recomputing it.

    Returns
    -------
    Shifts
        Shifts started, agents needed and agents on shift per day and interval, and the
        night hours of a shift per start interval.

    Raises
    ------
    InputError
        ``shift_hours`` or a shift start off the demand's interval grid.
    InfeasibleError
        An interval with agents needed that no allowed shift covers (names it).

    Notes
    -----
    With x_s shifts starting at interval s, L intervals per shift and n_t agents needed
    in interval t, the schedule solves

        minimise  sum_s x_s   subject to   sum over s in (t - L, t] of x_s >= n_t,
        x_s whole and >= 0, x_s = 0 where s is not an allowed start.

    The greedy rule walks t forward and, where the agents on shift c_t fall short,
    starts n_t - c_t shifts at the latest allowed start s <= t with s > t - L. The
    night hours of a shift starting at s are the interval length times the number of its
    L intervals whose local hour earns the premium.

    References
    ----------
    G. B. Dantzig, "A comment on Edie's 'Traffic delays at toll booths'", Operations
    Research 2(3), 1954 (the shift-scheduling covering problem); J. Kleinberg and
    E. Tardos, *Algorithm Design* (2005), ch. 4 (greedy algorithms and the exchange
    argument).

    Examples
    --------
    A Tuesday that needs 10 agents on the floor from 08:00 to midnight takes 20 shifts
    of 8 hours: 10 from 08:00 and 10 from 16:00, with no idle hour.

    >>> from bpo_analysis.data.models import WEEKDAYS
    >>> sc = Scenario.model_validate(dict(company="x", industry="retail", currency="TWD",
    ...     country="TW", timezone="Asia/Taipei",
    ...     planning_horizon_months=12, discount_rate=0.08, service_targets={},
    ...     paid_hours_per_fte_month=174,
    ...     opening_hours={d: {"open": "08:00", "close": "24:00"} for d in WEEKDAYS}))
    >>> starts = pd.date_range("2025-03-04", periods=48, freq="30min")
    >>> plan = pd.DataFrame({"interval_start": starts,
    ...                      "scheduled": np.where(starts.hour >= 8, 10, 0)})
    >>> s = shift_schedule(plan, sc)
    >>> s.by_start()["Tuesday"].to_dict()
    {'08:00': 10.0, '16:00': 10.0}
    >>> float(s.paid_hours()[0]), float(s.night_paid_hours()[0])
    (160.0, 20.0)
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
    """Cover each day on its own with the greedy rule (no shift runs past midnight).

    Vectorised over the days, a loop over the intervals of one day.
    """
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
    """Cover one timeline across the days with the greedy rule, for shifts past midnight.

    A 22:00 start covers the small hours of the next day. The first day's small hours
    are covered from the evening before (the last day's allowed starts), counted on the
    first day. A plain loop over every interval; used only when such a shift is allowed.
    """
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
