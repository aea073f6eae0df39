"""From the client's interval demand to agents per interval and FTE per month.

The channels differ (seed 000: voice, chat and email are staffed differently):

* **voice** -- Erlang C on each interval against the channel's service target
  (share answered within ``answer_within_s``) and occupancy cap;
* **chat** -- the same, with an agent holding ``concurrency`` chats at once, modelled
  as the handle time divided by the concurrency (a common planning approximation);
* **email** -- deferrable work: a day's email workload (contacts x AHT) is handled
  during that day's opening hours at the occupancy cap, which meets a response
  target of 24 h or more. A shorter email target is refused rather than misjudged.

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
from .quality import open_mask

__all__ = ["Workforce", "agent_heatmap", "fte_by_month", "staffing_plan"]

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
    night_from_hour : int
        Hours from this local hour to midnight earn the night-shift premium.
    """

    shrinkage: float = 0.30
    paid_hours_per_fte_month: float = 174.0
    schedule_efficiency: float = 0.85
    night_from_hour: int = 22

    def __post_init__(self) -> None:
        if not 0 <= self.shrinkage < 1:
            raise InputError("shrinkage", self.shrinkage, "a share in [0, 1)")
        if not self.paid_hours_per_fte_month > 0:
            raise InputError("paid_hours_per_fte_month", self.paid_hours_per_fte_month, "> 0")
        if not 0 < self.schedule_efficiency <= 1:
            raise InputError("schedule_efficiency", self.schedule_efficiency, "in (0, 1]")
        if not 0 <= self.night_from_hour <= 24:
            raise InputError("night_from_hour", self.night_from_hour, "an hour 0-24")


def _email_agents(d: pd.DataFrame, is_open: np.ndarray, max_occ: float) -> np.ndarray:
    """Agents per open interval so that each day's email workload is done that day."""
    day = d["interval_start"].dt.normalize()
    work_h = (d["contacts"] * d["aht_s"].fillna(0.0) / 3600.0).groupby(day).transform("sum")
    open_h = pd.Series(is_open, index=d.index).groupby(day).transform("sum") * (
        d["interval_start"].diff().dt.total_seconds().median() / 3600.0)
    if ((work_h > 0) & (open_h == 0)).any():
        first = d["interval_start"][(work_h > 0) & (open_h == 0)].iloc[0]
        raise InputError("opening_hours", f"{first:%A %Y-%m-%d}",
                         "an opening on every day that has email to answer")
    agents = np.divide(work_h, open_h * max_occ, out=np.zeros(len(d)), where=open_h > 0)
    return np.where(is_open, np.ceil(np.round(agents, 9)), 0.0)


def staffing_plan(client: Client, workforce: Workforce = Workforce(), *,
                  volume_scale: float = 1.0, aht_scale: float = 1.0) -> pd.DataFrame:
    """Agents needed per interval and channel for the client's demand.

    ``volume_scale`` and ``aht_scale`` multiply the demand (the "what if" sliders).
    Returns the demand's rows with ``load_erlangs``, ``required`` (agents on the phone
    / chat / mail at once) and ``scheduled`` (with shrinkage), indexed as the demand.
    """
    if not volume_scale >= 0 or not aht_scale > 0:
        raise InputError("volume_scale/aht_scale", (volume_scale, aht_scale), ">= 0 and > 0")
    sc = client.scenario
    d = client.demand.assign(contacts=client.demand["contacts"] * volume_scale,
                             aht_s=client.demand["aht_s"] * aht_scale)
    interval_s = sc.interval_minutes * 60.0
    is_open = open_mask(d["interval_start"], sc)
    required = np.zeros(len(d))
    for channel, target in sc.service_targets.items():
        rows = (d["channel"] == channel).to_numpy()
        if not rows.any():
            continue
        part = d[rows]
        occ = target.max_occupancy or 1.0
        if channel == "email":
            if target.answer_within_s < EMAIL_MIN_TARGET_S:
                raise InputError("service_targets.email.answer_within_s",
                                 target.answer_within_s, f">= {EMAIL_MIN_TARGET_S} s (24 h)")
            required[rows] = _email_agents(part, is_open[rows], occ)
            continue
        required[rows] = staffing.required_agents(
            part["contacts"].to_numpy(float),
            part["aht_s"].to_numpy(float) / target.concurrency, interval_s=interval_s,
            target_sl=target.service_level, target_t_s=target.answer_within_s,
            max_occupancy=target.max_occupancy)
    load = d["contacts"] * d["aht_s"].fillna(0.0) / interval_s
    return d.assign(load_erlangs=load, required=required.astype(np.int64),
                    scheduled=staffing.scheduled_agents(required, workforce.shrinkage))


def fte_by_month(plan: pd.DataFrame, interval_minutes: int,
                 workforce: Workforce = Workforce()) -> pd.DataFrame:
    """Scheduled agent-hours per month, the FTE they take, and the night share.

    FTE = agent-hours / (paid hours per FTE x schedule efficiency). ``peak_seats`` is
    the most agents scheduled at once (seats are shared across shifts).
    """
    hours = plan["scheduled"] * interval_minutes / 60.0
    start = plan["interval_start"]
    night = start.dt.hour >= workforce.night_from_hour
    month = start.dt.to_period("M").rename("month")
    g = pd.DataFrame({"agent_hours": hours, "night_hours": hours.where(night, 0.0),
                      "contacts": plan["contacts"], "at_once": plan["scheduled"]})
    at_once = g["at_once"].groupby([month, start]).sum().groupby(level=0).max()
    out = g.groupby(month)[["agent_hours", "night_hours", "contacts"]].sum()
    out["fte"] = out["agent_hours"] / (workforce.paid_hours_per_fte_month
                                       * workforce.schedule_efficiency)
    out["night_share"] = np.divide(out["night_hours"], out["agent_hours"],
                                   out=np.zeros(len(out)), where=out["agent_hours"] > 0)
    out["peak_seats"] = at_once
    return out


def agent_heatmap(plan: pd.DataFrame, interval_minutes: int,
                  column: str = "required") -> pd.DataFrame:
    """Average agents per interval (all channels together), weekday x time of day.

    Uses the demand cube with the agents in place of contacts, so the average is per
    date exactly as for the demand heatmap.
    """
    from .demand import heatmap, heatmap_cube

    cube = heatmap_cube(plan.assign(contacts=plan[column], aht_s=0.0), interval_minutes)
    return heatmap(cube)
