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

Scheduled agents add shrinkage (breaks, training, absence); FTE per month divide the
scheduled agent-hours by the paid hours of one FTE and by the schedule efficiency
(8-hour shifts cannot follow a 16-hour intraday curve exactly).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import staffing
from .errors import InputError
from .io import Client
from .models import Scenario

__all__ = ["Calendar", "Workforce", "agent_heatmap", "fte_by_month", "staffing_plan"]

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
    schedule_efficiency : float
        Share of scheduled hours that fall where the demand needs them, in (0, 1]
        (8-hour shifts over a 16-hour day: about 0.85).
    night_from_hour, night_to_hour : int
        Agent hours from ``night_from_hour`` to midnight and from midnight to
        ``night_to_hour`` earn the night-shift premium (22 and 6).
    """

    shrinkage: float = 0.30
    paid_hours_per_fte_month: float = 174.0
    schedule_efficiency: float = 0.85
    night_from_hour: int = 22
    night_to_hour: int = 6

    def __post_init__(self) -> None:
        if not 0 <= self.shrinkage < 1:
            raise InputError("shrinkage", self.shrinkage, "a share in [0, 1)")
        if not self.paid_hours_per_fte_month > 0:
            raise InputError("paid_hours_per_fte_month", self.paid_hours_per_fte_month, "> 0")
        if not 0 < self.schedule_efficiency <= 1:
            raise InputError("schedule_efficiency", self.schedule_efficiency, "in (0, 1]")
        for name in ("night_from_hour", "night_to_hour"):
            if not 0 <= getattr(self, name) <= 24:
                raise InputError(name, getattr(self, name), "an hour 0-24")

    def is_night(self, hour: np.ndarray) -> np.ndarray:
        """True for local hours that earn the night-shift premium."""
        return (hour >= self.night_from_hour) | (hour < self.night_to_hour)


@dataclass(frozen=True)
class Calendar:
    """Codes of each demand row, computed once so that every total is a ``bincount``.

    ``month`` and ``day`` index ``months`` and the dates; ``slot`` indexes the distinct
    interval starts (``slot_month`` gives each one's month); ``hour`` is the local hour.
    """

    months: pd.PeriodIndex
    month: np.ndarray
    day: np.ndarray
    slot: np.ndarray
    slot_month: np.ndarray
    hour: np.ndarray
    minute_of_day: np.ndarray
    weekday: np.ndarray

    @classmethod
    def of(cls, starts: pd.Series) -> Calendar:
        """The calendar of a column of interval starts."""
        slot, slots = pd.factorize(starts, sort=True)
        slots = pd.DatetimeIndex(slots)
        slot_month, months = pd.factorize(slots.to_period("M"), sort=True)
        day, _ = pd.factorize(slots.normalize(), sort=True)
        minute = (slots.hour * 60 + slots.minute).to_numpy()
        return cls(pd.PeriodIndex(months, name="month"), slot_month[slot], day[slot], slot,
                   slot_month, minute[slot] // 60, minute[slot],
                   slots.day_of_week.to_numpy()[slot])

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


def _email_agents(contacts: np.ndarray, aht: np.ndarray, day: np.ndarray, is_open: np.ndarray,
                  starts: pd.Series, interval_h: float, max_occ: float) -> np.ndarray:
    """Agents per open interval so that each day's email workload is done that day; the
    email of a closed day is done on the next open day (it is a backlog)."""
    n_days = int(day.max()) + 1 if day.size else 0
    work = np.bincount(day, contacts * np.nan_to_num(aht) / 3600.0, n_days)
    open_h = np.bincount(day, is_open * interval_h, n_days)
    ahead = np.where(open_h > 0, np.arange(n_days), n_days)
    next_open = np.minimum.accumulate(ahead[::-1])[::-1]  # this day or the next open one
    stranded = (work > 0) & (next_open == n_days)
    if stranded.any():
        first = starts.iloc[int(np.flatnonzero(day == np.flatnonzero(stranded)[0])[0])]
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
    channel = d["channel"].to_numpy()
    required = np.zeros(len(d))
    concurrency = np.ones(len(d))
    for name, target in sc.service_targets.items():
        rows = channel == name
        if not rows.any():
            continue
        if name == "email":
            if target.answer_within_s < EMAIL_MIN_TARGET_S:
                raise InputError("service_targets.email.answer_within_s",
                                 target.answer_within_s, f">= {EMAIL_MIN_TARGET_S} s (24 h)")
            required[rows] = _email_agents(contacts[rows], aht[rows], cal.day[rows],
                                           is_open[rows], d["interval_start"][rows],
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


def fte_by_month(plan: pd.DataFrame, interval_minutes: int,
                 workforce: Workforce = Workforce(),
                 calendar: Calendar | None = None) -> pd.DataFrame:
    """Scheduled agent-hours per month, the FTE they take, and the night share.

    FTE = agent-hours / (paid hours per FTE x schedule efficiency). ``peak_seats`` is
    the most agents scheduled at once (seats are shared across shifts).
    """
    cal = calendar or Calendar.of(plan["interval_start"])
    scheduled = plan["scheduled"].to_numpy(float)
    hours = scheduled * interval_minutes / 60.0
    agent_hours = cal.per_month(hours)
    night_hours = cal.per_month(hours * workforce.is_night(cal.hour))
    peak = np.zeros(len(cal.months))
    np.maximum.at(peak, cal.slot_month, cal.per_slot(scheduled))
    return pd.DataFrame({
        "agent_hours": agent_hours, "night_hours": night_hours,
        "contacts": cal.per_month(plan["contacts"].to_numpy(float)),
        "fte": agent_hours / (workforce.paid_hours_per_fte_month * workforce.schedule_efficiency),
        "night_share": np.divide(night_hours, agent_hours, out=np.zeros(len(agent_hours)),
                                 where=agent_hours > 0),
        "peak_seats": peak.astype(np.int64)}, index=cal.months)


def agent_heatmap(plan: pd.DataFrame, interval_minutes: int,
                  column: str = "required") -> pd.DataFrame:
    """Average agents per interval (all channels together), weekday x time of day.

    Uses the demand cube with the agents in place of contacts, so the average is per
    date exactly as for the demand heatmap.
    """
    from .demand import heatmap, heatmap_cube

    cube = heatmap_cube(plan.assign(contacts=plan[column], aht_s=0.0), interval_minutes)
    return heatmap(cube)
