"""Step "manage risk": the risk register, and what a surge or an outage does to service.

The seeds name the risks of an outsourced centre -- data leaks (PIPL/GDPR/PDPA, NDAs,
encryption, quarterly audits), service interruption (a system outage, a typhoon or an
epidemic closing a site), surge beyond capacity (a product recall multiplying volume,
seed 002), attrition and knowledge loss, brand mismatch, lock-in and exit.

* :func:`register` scores ``risks.csv``: likelihood x impact on 1-5 scales, before and
  after mitigation, rated with the NPSA 5 x 5 risk matrix (1-3 low, 4-6 moderate, 8-12
  high, 15-25 extreme: National Patient Safety Agency, *A risk matrix for risk
  managers*, 2008).
* :func:`surge_scenario` multiplies the volume of some channels by k for D days from a
  date. The contracted capacity is the staffing plan of the forecast (the vendor staffs
  the forecast to the service targets, :func:`bpo_analysis.workforce.staffing_plan`);
  the vendor adds surge seats at its ramp after a lead time. Each interval of voice and
  chat is judged with Erlang A (callers give up after an exponential patience; a share
  of those who give up call again the next interval) and email as deferred work (a
  first-in first-out backlog). :func:`surge_costs` prices the surge under every quote's
  pricing model, as it ran and holding the service level.
* :func:`outage_scenario` takes one of the vendor's sites down for some hours: the
  contacts lost (Erlang A at the capacity left), averaged over every start time of the
  demand year, against what a backup site, a second vendor or a small in-house team
  (seed 004) must carry and costs a year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from . import costs, staffing
from ._erlang_a import erlang_a
from .errors import InputError
from .io import Client
from .models import ContinuityAssumptions
from .pricing import _bill
from .workforce import Calendar, Workforce, _email_agents, staffing_plan

__all__ = ["RATINGS", "Outage", "OutageInputs", "Surge", "SurgeInputs", "continuity",
           "heat_matrix", "outage_options", "outage_scenario", "rating", "register",
           "surge_costs", "surge_scenario", "top_risks", "with_backup_share"]

# ---------------------------------------------------------------- the register
#: NPSA 5 x 5 matrix bands: (lowest score, name).
RATINGS = ((15, "extreme"), (8, "high"), (4, "moderate"), (1, "low"))


def rating(score: int) -> str:
    """The NPSA band of a likelihood x impact score (1-25).

    >>> [rating(s) for s in (3, 4, 6, 8, 12, 15, 25)]
    ['low', 'moderate', 'moderate', 'high', 'high', 'extreme', 'extreme']
    """
    if not (isinstance(score, int | np.integer) and 1 <= score <= 25):
        raise InputError("score", score, "a whole likelihood x impact score from 1 to 25")
    return next(name for low, name in RATINGS if score >= low)


def register(risks: pd.DataFrame) -> pd.DataFrame:
    """``risks.csv`` scored: ``score`` and ``residual_score`` (likelihood x impact,
    before and after mitigation), their ``rating`` and ``residual_rating``, and
    ``reduction`` (score points the mitigation removes); highest residual first."""
    out = risks.copy()
    out["score"] = out["likelihood"] * out["impact"]
    out["residual_score"] = out["residual_likelihood"] * out["residual_impact"]
    out["rating"] = [rating(int(s)) for s in out["score"]]
    out["residual_rating"] = [rating(int(s)) for s in out["residual_score"]]
    out["reduction"] = out["score"] - out["residual_score"]
    return out.sort_values(["residual_score", "score", "impact"], ascending=False,
                           kind="stable")


def top_risks(scored: pd.DataFrame, n: int = 5, *, residual: bool = False) -> pd.DataFrame:
    """The ``n`` highest risks before mitigation (or after: ``residual=True``), ties
    broken by impact, with owner and mitigation."""
    if not (isinstance(n, int) and n >= 1):
        raise InputError("n", n, "a whole number of risks >= 1")
    key = "residual_score" if residual else "score"
    impact = "residual_impact" if residual else "impact"
    return scored.sort_values([key, impact], ascending=False, kind="stable").head(n)


def heat_matrix(scored: pd.DataFrame, *, residual: bool = False) -> pd.DataFrame:
    """Risk ids per cell of the 5 x 5 matrix: index impact 5..1, columns likelihood
    1..5; each cell a list of ids (empty where no risk sits)."""
    lk, im = (("residual_likelihood", "residual_impact") if residual
              else ("likelihood", "impact"))
    out = pd.DataFrame([[[] for _ in range(5)] for _ in range(5)],
                       index=pd.Index(range(5, 0, -1), name="impact"),
                       columns=pd.Index(range(1, 6), name="likelihood"))
    for rid, l_, i_ in zip(scored["risk_id"], scored[lk], scored[im], strict=True):
        out.loc[int(i_), int(l_)].append(rid)
    return out


# ---------------------------------------------------------------- shared
def continuity(client: Client) -> ContinuityAssumptions:
    """The client's ``continuity.yaml``, or one DataError saying notebook 07 needs it."""
    return client.optional("continuity", "notebook 07 needs the surge and outage "
                                         "assumptions")


def _quote(client: Client, quote_id: str) -> pd.Series:
    q = client.quotes[client.quotes["quote_id"] == quote_id]
    if q.empty:
        raise InputError("quote_id", quote_id, f"one of {list(client.quotes['quote_id'])}")
    return q.iloc[0]


def _realtime(client: Client, plan: pd.DataFrame, channel: str,
              patience: dict[str, float]) -> tuple[float, float, float, float, float]:
    """(concurrency, target SL, answer within s, occupancy cap, patience) of a channel."""
    t = client.scenario.service_targets[channel]
    if channel not in patience:
        raise InputError("patience_s", sorted(patience),
                         f"a mean patience for {channel} in continuity.yaml")
    return (t.concurrency or 1.0, t.service_level, t.answer_within_s,
            t.max_occupancy or 1.0, float(patience[channel]))


# ---------------------------------------------------------------- surge
@dataclass(frozen=True)
class SurgeInputs:
    """A surge: ``multiplier`` x the volume of ``channels`` for ``days`` days from
    ``start`` (a date of the demand year), followed for ``tail_days`` days after it
    ends. ``seats_per_day`` (the vendor's ramp), ``lead_days`` (days before the first
    surge seats) and ``redial_share`` replace ``continuity.yaml``'s when given."""

    start: str
    multiplier: float = 2.0
    days: int = 7
    channels: tuple[str, ...] = ("voice",)
    seats_per_day: float | None = None
    lead_days: int | None = None
    redial_share: float | None = None
    tail_days: int = 1

    def __post_init__(self) -> None:
        if not (isinstance(self.multiplier, int | float) and math.isfinite(self.multiplier)
                and self.multiplier > 0):
            raise InputError("multiplier", self.multiplier,
                             "a volume multiplier > 0 (2 doubles the volume)")
        for name, low, high in (("days", 1, 60), ("tail_days", 0, 14)):
            v = getattr(self, name)
            if not (isinstance(v, int | np.integer) and low <= v <= high):
                raise InputError(name, v, f"whole days from {low} to {high}")
        if self.lead_days is not None and not (isinstance(self.lead_days, int | np.integer)
                                               and 0 <= self.lead_days <= 30):
            raise InputError("lead_days", self.lead_days, "whole days from 0 to 30")
        if self.seats_per_day is not None and not (math.isfinite(self.seats_per_day)
                                                   and self.seats_per_day >= 0):
            raise InputError("seats_per_day", self.seats_per_day, "seats a day >= 0")
        if self.redial_share is not None and not 0 <= self.redial_share <= 1:
            raise InputError("redial_share", self.redial_share, "a share in [0, 1]")
        if isinstance(self.channels, str) or not self.channels:
            raise InputError("channels", self.channels, "a tuple of channels, e.g. ('voice',)")
        try:
            pd.Timestamp(self.start)
        except ValueError:
            raise InputError("start", self.start, "a date YYYY-MM-DD") from None


    @classmethod
    def from_parameters(cls, *, start: str, multiplier: float, days: int, channels: str,
                        seats_per_day: float = -1.0, lead_days: int = -1,
                        redial_share: float = -1.0) -> SurgeInputs:
        """Inputs from notebook parameters: ``channels`` comma-separated ("voice,
        email"); -1 means "continuity.yaml's value" (papermill parameters cannot be
        None)."""
        return cls(start=start, multiplier=multiplier, days=days,
                   channels=tuple(c.strip() for c in channels.split(",") if c.strip()),
                   seats_per_day=None if seats_per_day == -1 else seats_per_day,
                   lead_days=None if lead_days == -1 else lead_days,
                   redial_share=None if redial_share == -1 else redial_share)


@dataclass(frozen=True)
class Surge:
    """The surge, interval by interval (``intervals``) and day by day (``daily``,
    ``seats``).

    ``intervals`` (one row per surged channel and interval): ``arrivals`` (the forecast x
    the multiplier), ``aht_used`` (handle time per agent, s: chat's divided by its
    concurrency), ``offered`` (arrivals and redials), ``redials``, ``agents_base`` (the
    plan), ``agents_added`` (surge seats on contacts), ``agents``, ``service_level``
    (answered within the target / offered; email: NaN where the deadline falls after the
    window), ``abandon_rate``, ``answered``, ``abandoned``, ``waiting`` (mean contacts in
    queue; email: unanswered), ``backlog`` (waiting plus the redials carried into the next
    interval; email: unanswered at the end of the interval), ``required`` (agents on
    contacts that hold the service target at the surge arrivals) and ``extra_needed``
    (required above the plan). ``daily``: per channel and day, the contacts, the day's
    service level (over the contacts it can judge), abandonment and peak backlog.
    ``seats``: per day, the surge seats added and the seats the target needs
    (``seats_needed``: the most extra agents at once / (1 - shrinkage)).
    """

    inputs: SurgeInputs
    quote_id: str
    vendor_id: str
    seats_per_day: float
    lead_days: int
    redial_share: float
    intervals: pd.DataFrame
    daily: pd.DataFrame
    seats: pd.DataFrame
    shrinkage: float

    def totals(self, channel: str) -> dict[str, float]:
        """Over the surge days of ``channel``: offered, answered, abandoned, the service
        level (over the contacts it can judge), the abandonment and the peak backlog."""
        iv = self.intervals[(self.intervals["channel"] == channel) & self.intervals["in_surge"]]
        judged = iv["service_level"].notna()
        offered = float(iv["offered"].sum())
        return {"offered": offered, "answered": float(iv["answered"].sum()),
                "abandoned": float(iv["abandoned"].sum()),
                "service_level": float((iv["service_level"] * iv["offered"])[judged].sum()
                                       / iv.loc[judged, "offered"].sum()),
                "abandon_rate": float(iv["abandoned"].sum() / offered) if offered else 0.0,
                "peak_backlog": float(iv["backlog"].max())}


def _seats(day: np.ndarray, inp: SurgeInputs, per_day: float, lead: int,
           cap: int | None) -> np.ndarray:
    """Surge seats on day ``day`` (0 = first day): the ramp after the lead, capped."""
    seats = per_day * np.maximum(0, day - lead + 1)
    if cap is not None:
        seats = np.minimum(seats, cap)
    return np.where(day < inp.days, seats, 0.0)


def _lindley(arrivals: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """FIFO backlog B_i = max(0, B_{i-1} + a_i - c_i) from B = 0, and what is handled."""
    s = np.cumsum(arrivals - capacity)
    backlog = s - np.minimum(0.0, np.minimum.accumulate(s))
    before = np.concatenate([[0.0], backlog[:-1]])
    return backlog, before + arrivals - backlog


def _email(rows: pd.DataFrame, k: np.ndarray, added: np.ndarray, interval_s: float,
           target_s: float, max_occ: float, cal: Calendar, is_open: np.ndarray
           ) -> dict[str, np.ndarray]:
    arrivals = rows["contacts"].to_numpy(float) * k
    aht_all = rows["aht_s"].to_numpy(float)
    work = np.nansum(arrivals * aht_all)
    aht = np.where(np.isfinite(aht_all), aht_all, work / max(arrivals.sum(), 1e-12))
    agents = rows["required"].to_numpy(float) + added
    capacity = agents * interval_s * max_occ / np.where(aht > 0, aht, 1.0)
    backlog, handled = _lindley(arrivals, capacity)
    cum_a, cum_h = np.cumsum(arrivals), np.cumsum(handled)
    m = round(target_s / interval_s)
    n = len(arrivals)
    ahead = np.arange(n) + m - 1
    known = ahead < n
    done_by = np.where(known, cum_h[np.minimum(ahead, n - 1)], np.nan)
    share = np.clip((done_by - (cum_a - arrivals)) / np.where(arrivals > 0, arrivals, 1), 0, 1)
    sl = np.where(arrivals > 0, share, np.where(known, 1.0, np.nan))
    required = _email_agents(arrivals, aht, cal.day, is_open, cal.days, interval_s / 3600,
                             max_occ)
    zeros = np.zeros(n)
    return {"aht_used": aht, "offered": arrivals, "redials": zeros, "agents": agents,
            "service_level": sl,
            "abandon_rate": zeros, "answered": handled, "abandoned": zeros,
            "waiting": backlog, "backlog": backlog, "required": required}


def _voice(rows: pd.DataFrame, k: np.ndarray, added: np.ndarray, interval_s: float,
           params: tuple[float, float, float, float, float], redial: float
           ) -> dict[str, np.ndarray]:
    conc, target, t, max_occ, patience = params
    arrivals = rows["contacts"].to_numpy(float) * k
    aht = np.nan_to_num(rows["aht_s"].to_numpy(float), nan=1.0) / conc
    agents = rows["required"].to_numpy(float) + added
    pat, tt = np.full(len(rows), patience), np.full(len(rows), float(t))
    redials = np.zeros(len(rows))
    # offered_i = arrivals_i + redial x abandoned_{i-1}: a fixed point reached by
    # iteration (each pass carries the redials one interval further; they decay by
    # redial x P(abandon) < 1 an interval, and a window of n intervals is exact after n)
    for _ in range(len(rows) + 1):
        offered = arrivals + redials
        _, p_ab, sl = erlang_a(offered * aht / interval_s, agents, aht, pat, tt)
        new = np.concatenate([[0.0], redial * offered[:-1] * p_ab[:-1]])
        if np.allclose(new, redials, rtol=1e-10, atol=1e-9):
            break
        redials = new
    offered = arrivals + redials
    abandoned = offered * p_ab
    waiting = offered / interval_s * p_ab * patience  # Little: theta E[Q] = lambda P(ab)
    required = staffing.required_agents(
        arrivals, np.where(arrivals > 0, aht, 1.0), interval_s=interval_s, target_sl=target,
        target_t_s=t, max_occupancy=max_occ, patience_s=patience)
    return {"aht_used": aht, "offered": offered, "redials": redials, "agents": agents,
            "service_level": sl,
            "abandon_rate": p_ab, "answered": offered - abandoned, "abandoned": abandoned,
            "waiting": waiting, "backlog": waiting + redial * abandoned,
            "required": np.asarray(required, float)}


def surge_scenario(client: Client, inputs: SurgeInputs, *, plan: pd.DataFrame | None = None,
                   workforce: Workforce | None = None) -> Surge:
    """Service, abandonment and backlog per interval of a surge, with the contracted
    capacity plus the vendor's surge seats (``continuity.yaml``'s quote and terms).

    Surge seats arrive at ``seats_per_day`` a day from day ``lead_days`` (day 0 is the
    first surge day) up to the vendor's pool, go when the surge ends, and put
    ``1 - shrinkage`` agents on contacts each while open, shared over the surged
    channels by their workload. ``plan`` (the forecast's staffing plan) saves
    recomputing it.

    Raises
    ------
    InputError
        A multiplier <= 0, a channel the client does not have, a window outside the
        demand year, a ramp or lead time out of range.
    DataError
        No ``continuity.yaml``.
    """
    workforce = workforce or Workforce()
    cont = continuity(client)
    q = _quote(client, cont.quote_id)
    known = sorted({str(c) for c in client.demand["channel"].unique()}
                   & set(client.scenario.service_targets))
    bad = [c for c in inputs.channels if c not in known]
    if bad:
        raise InputError("channels", bad[0], f"channels of the client: {known}")
    vendor = client.vendors.set_index("vendor_id").loc[q["vendor_id"]]
    per_day = (inputs.seats_per_day if inputs.seats_per_day is not None else
               cont.surge.seats_per_day if cont.surge.seats_per_day is not None else
               float(vendor["surge_seats_per_week"]) / 7)
    lead = inputs.lead_days if inputs.lead_days is not None else cont.surge.lead_days
    redial = inputs.redial_share if inputs.redial_share is not None else cont.redial_share
    start = pd.Timestamp(inputs.start).normalize()
    end = start + pd.Timedelta(days=inputs.days + inputs.tail_days)
    first, last = client.demand["interval_start"].min(), client.demand["interval_start"].max()
    if start < first.normalize() or end > last + pd.Timedelta(minutes=1):
        raise InputError("start", inputs.start,
                         f"a date from {first:%Y-%m-%d} with its {inputs.days} + "
                         f"{inputs.tail_days} days ending by {last:%Y-%m-%d %H:%M}")
    plan = staffing_plan(client, workforce) if plan is None else plan
    window = plan[(plan["interval_start"] >= start) & (plan["interval_start"] < end)]
    window = window[np.isin(np.asarray(window["channel"], dtype=object),
                            list(inputs.channels))].sort_values(
        ["channel", "interval_start"], kind="stable")
    cal = Calendar.of(window["interval_start"])
    is_open = cal.is_open(client.scenario)
    day = (window["interval_start"].dt.normalize() - start).dt.days.to_numpy()
    k = np.where(day < inputs.days, inputs.multiplier, 1.0)
    seats = _seats(day, inputs, per_day, lead, cont.surge.max_seats)
    workload = window["contacts"].to_numpy(float) * np.nan_to_num(window["aht_s"].to_numpy())
    chan = np.asarray(window["channel"], dtype=object)
    share = {c: workload[chan == c].sum() for c in inputs.channels}
    total = sum(share.values()) or 1.0
    interval_s = client.scenario.interval_minutes * 60.0
    parts = []
    for c in dict.fromkeys(inputs.channels):
        rows = chan == c
        added = seats[rows] * (1 - workforce.shrinkage) * share[c] / total * is_open[rows]
        if c == "email":
            t = client.scenario.service_targets[c]
            sub = Calendar.of(window["interval_start"][rows])
            out = _email(window[rows], k[rows], added, interval_s, t.answer_within_s,
                         t.max_occupancy or 1.0, sub, is_open[rows])
        else:
            out = _voice(window[rows], k[rows], added, interval_s,
                         _realtime(client, plan, c, cont.patience_s), redial)
        parts.append(pd.DataFrame({
            "interval_start": window["interval_start"].to_numpy()[rows], "channel": c,
            "day": day[rows], "in_surge": day[rows] < inputs.days,
            "arrivals": window["contacts"].to_numpy(float)[rows] * k[rows],
            "agents_base": window["required"].to_numpy(float)[rows], "agents_added": added,
            "seats_added": seats[rows], **out}))
    intervals = pd.concat(parts, ignore_index=True)
    intervals["extra_needed"] = np.maximum(0.0, intervals["required"]
                                           - intervals["agents_base"])
    daily, seats_by_day = _daily(intervals, start, workforce.shrinkage)
    return Surge(inputs, str(q["quote_id"]), str(q["vendor_id"]), float(per_day), int(lead),
                 float(redial), intervals, daily, seats_by_day, workforce.shrinkage)


def _daily(iv: pd.DataFrame, start: pd.Timestamp, shrinkage: float
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per channel and day, per day): the day's service and the seats."""
    judged = iv["service_level"].notna()
    g = iv.assign(within=iv["service_level"] * iv["offered"],
                  judged=iv["offered"].where(judged, 0.0)).groupby(["channel", "day"])
    daily = g.agg(in_surge=("in_surge", "first"), offered=("offered", "sum"),
                  answered=("answered", "sum"), abandoned=("abandoned", "sum"),
                  within=("within", "sum"), judged=("judged", "sum"),
                  peak_backlog=("backlog", "max")).reset_index()
    daily["service_level"] = daily["within"] / daily["judged"].where(daily["judged"] > 0)
    daily["abandon_rate"] = daily["abandoned"] / daily["offered"].where(daily["offered"] > 0)
    daily.insert(2, "date", start + pd.to_timedelta(daily["day"], unit="D"))
    need = iv.groupby(["day", "interval_start"])["extra_needed"].sum().groupby("day").max()
    seats = iv.groupby("day").agg(in_surge=("in_surge", "first"),
                                  seats_added=("seats_added", "max"))
    seats["seats_needed"] = np.asarray(staffing.ceil_whole(need / (1 - shrinkage)), float)
    seats.insert(0, "date", start + pd.to_timedelta(seats.index, unit="D"))
    return daily.drop(columns=["within", "judged"]), seats.reset_index()


def surge_costs(client: Client, surge: Surge, *, plan: pd.DataFrame | None = None,
                workforce: Workforce | None = None) -> pd.DataFrame:
    """What the surge adds to the bill under every quote that covers a surged channel.

    Two columns of extra cost (the service charges of the months the surge touches,
    surge minus forecast; the management fee does not change): ``as_run`` -- the
    contacts answered and the agents staffed with the vendor's ramp -- and ``hold_sla``
    -- every surge arrival answered, on the agents that hold the target. Per-seat
    quotes bill surge seat-days at the seat price a day (12/365 of the month's) plus
    ``continuity.yaml``'s ``seat_premium``; the other models bill through their own
    rules (bands, minimums, hybrid overflow) via :mod:`bpo_analysis.pricing`.
    """
    workforce = workforce or Workforce()
    cont = continuity(client)
    plan = staffing_plan(client, workforce) if plan is None else plan
    iv = surge.intervals
    first = iv["interval_start"].min().to_period("M").to_timestamp()
    stop = (iv["interval_start"].max().to_period("M") + 1).to_timestamp()
    base = plan[(plan["interval_start"] >= first) & (plan["interval_start"] < stop)]
    cal = Calendar.of(base["interval_start"])
    key = pd.MultiIndex.from_arrays([base["interval_start"].to_numpy(),
                                     np.asarray(base["channel"], dtype=object)])
    at = key.get_indexer(pd.MultiIndex.from_arrays([iv["interval_start"].to_numpy(),
                                                    iv["channel"].to_numpy(dtype=object)]))
    minutes = client.scenario.interval_minutes
    rows = []
    for _, q in client.quotes.iterrows():
        covered = [c for c in surge.inputs.channels if q["channel"] in ("all", c)]
        if not covered:
            continue
        mine = iv["channel"].isin(covered).to_numpy()
        out = {}
        for case, contacts, agents, seats in (
                ("as_run", iv["answered"], iv["agents"], surge.seats["seats_added"]),
                ("hold_sla", iv["arrivals"], np.maximum(iv["required"], iv["agents_base"]),
                 surge.seats["seats_needed"])):
            if q["pricing_model"] == "per_seat":  # the seats of the channels it covers
                used = iv["agents_added"] if case == "as_run" else iv["extra_needed"]
                part = float(used[mine].sum() / used.sum()) if used.sum() > 0 else 1.0
                day_price = float(q["unit_price"]) * 12 / 365 * (1 + cont.surge.seat_premium)
                out[case] = float(seats[surge.seats["in_surge"]].sum()) * part * day_price
                continue
            changed = base.astype({"contacts": float, "required": float,
                                   "scheduled": float})
            idx = at[mine]
            changed.iloc[idx, changed.columns.get_loc("contacts")] = contacts[mine].to_numpy()
            req = agents[mine].to_numpy(float)
            changed.iloc[idx, changed.columns.get_loc("required")] = req
            changed.iloc[idx, changed.columns.get_loc("scheduled")] = (
                req / (1 - workforce.shrinkage))
            was = _bill(q, base, cal, minutes, workforce, "quoted")["service"]
            now = _bill(q, changed, cal, minutes, workforce, "quoted")["service"]
            out[case] = float(np.sum(now - was))
        rows.append({"quote_id": q["quote_id"], "vendor_id": q["vendor_id"],
                     "pricing_model": q["pricing_model"], "channel": q["channel"],
                     "contracted": q["quote_id"] == surge.quote_id, **out})
    return pd.DataFrame(rows).assign(currency=client.currency)


# ---------------------------------------------------------------- outage
@dataclass(frozen=True)
class OutageInputs:
    """An outage; None keeps ``continuity.yaml``'s value. ``backup_share`` replaces every
    option's share of the lost site's agents (the slider)."""

    hours: float | None = None
    site_share: float | None = None
    outages_per_year: float | None = None
    backup_share: float | None = None

    def __post_init__(self) -> None:
        for name, low_open, high, allowed in (
                ("hours", True, 240, "hours > 0 and <= 240"),
                ("site_share", True, 1, "a share of the vendor's agents in (0, 1]"),
                ("outages_per_year", False, 365, "outages a year from 0 to 365"),
                ("backup_share", False, 1, "a share of the lost site's agents in [0, 1]")):
            v = getattr(self, name)
            if v is None:
                continue
            ok = math.isfinite(v) and (v > 0 if low_open else v >= 0) and v <= high
            if not ok:
                raise InputError(name, v, allowed)


    @classmethod
    def from_parameters(cls, *, hours: float = -1.0, site_share: float = -1.0,
                        outages_per_year: float = -1.0, backup_share: float = -1.0
                        ) -> OutageInputs:
        """Inputs from notebook parameters; -1 means "continuity.yaml's value"."""
        return cls(**{k: None if v == -1 else v for k, v in (
            ("hours", hours), ("site_share", site_share),
            ("outages_per_year", outages_per_year), ("backup_share", backup_share))})


@dataclass(frozen=True)
class Outage:
    """The outage model: per interval of the year (all real-time channels summed),
    ``offered``, ``lost_full`` (abandoned at full capacity), ``lost_down`` (at the
    capacity left) and ``agents`` (the plan's, on contacts); ``per_outage`` the expected
    contacts lost by one outage without a backup; the assumptions used."""

    terms: Any  # OutageTerms with the inputs applied
    timeline: pd.DataFrame
    intervals_down: int
    per_outage: float
    rows: pd.DataFrame  # per channel and interval: the Erlang A inputs
    interval_minutes: int
    currency: str
    vendor_cost_per_fte: float  # the contracted quote's service bill a year per FTE needed


def _abandoned(rows: pd.DataFrame, agents: np.ndarray, interval_s: float) -> np.ndarray:
    load = rows["offered"].to_numpy() * rows["aht"].to_numpy() / interval_s
    _, p_ab, _ = erlang_a(load, agents, rows["aht"].to_numpy(), rows["patience"].to_numpy(),
                          np.zeros(len(rows)))
    return rows["offered"].to_numpy() * p_ab


def _window_mean(x: np.ndarray, h: int, skip: int = 0) -> float:
    """Mean over every start i of sum(x[i + skip : i + h])."""
    n = len(x) - h + 1
    if n <= 0:
        return float(np.sum(x[skip:h]))
    c = np.concatenate([[0.0], np.cumsum(x)])
    starts = np.arange(n)
    return float(np.mean(c[starts + h] - c[starts + min(skip, h)]))


def outage_scenario(client: Client, inputs: OutageInputs = OutageInputs(), *,
                    plan: pd.DataFrame | None = None,
                    workforce: Workforce | None = None) -> Outage:
    """The contacts one site's outage loses, averaged over every start interval of the
    demand year (outages come at any time; those while closed lose little).

    Voice and chat are judged with Erlang A at the plan's agents and at the share left
    (``1 - site_share``); email is deferred, not lost, and is left out. An outage lasts
    whole intervals (``hours`` must be a multiple of the interval).
    """
    workforce = workforce or Workforce()
    cont = continuity(client)
    t = cont.outage
    terms = t.model_copy(update={k: v for k, v in (
        ("hours", inputs.hours), ("site_share", inputs.site_share),
        ("outages_per_year", inputs.outages_per_year)) if v is not None})
    minutes = client.scenario.interval_minutes
    h = terms.hours * 60 / minutes
    if abs(h - round(h)) > 1e-9:
        raise InputError("hours", terms.hours,
                         f"a multiple of {minutes / 60:g} h (the demand's interval)")
    plan = staffing_plan(client, workforce) if plan is None else plan
    parts = []
    for c in ("voice", "chat"):
        sub = plan[plan["channel"] == c]
        if sub.empty or c not in client.scenario.service_targets:
            continue
        conc, *_, patience = _realtime(client, plan, c, cont.patience_s)
        parts.append(pd.DataFrame({
            "interval_start": sub["interval_start"].to_numpy(), "channel": c,
            "offered": sub["contacts"].to_numpy(float),
            "aht": np.nan_to_num(sub["aht_s"].to_numpy(float), nan=1.0) / conc,
            "agents": sub["required"].to_numpy(float), "patience": patience}))
    rows = pd.concat(parts, ignore_index=True)
    interval_s = minutes * 60.0
    agents = rows["agents"].to_numpy()
    rows["lost_full"] = _abandoned(rows, agents, interval_s)
    rows["lost_down"] = _abandoned(rows, agents * (1 - terms.site_share), interval_s)
    timeline = rows.groupby("interval_start")[["offered", "lost_full", "lost_down",
                                               "agents"]].sum().sort_index()
    extra = (timeline["lost_down"] - timeline["lost_full"]).to_numpy()
    per_outage = _window_mean(extra, round(h))
    cal = Calendar.of(plan["interval_start"])
    bill = _bill(_quote(client, cont.quote_id), plan, cal, minutes, workforce, "quoted")
    fte = (plan["scheduled"].sum() * minutes / 60 / len(cal.months)
           / workforce.paid_hours_per_fte_month)
    per_fte = float(np.sum(bill["service"])) * 12 / len(cal.months) / fte
    out = Outage(terms, timeline.reset_index(), round(h), per_outage, rows, minutes,
                 client.currency, per_fte)
    return out if inputs.backup_share is None else with_backup_share(out, inputs.backup_share)


def with_backup_share(outage: Outage, share: float) -> Outage:
    """``outage`` with every option carrying ``share`` of the lost site's agents (the
    dashboard's slider; the loss without a backup does not change)."""
    if not (math.isfinite(share) and 0 <= share <= 1):
        raise InputError("backup_share", share, "a share of the lost site's agents in [0, 1]")
    terms = outage.terms.model_copy(update={"options": [
        o.model_copy(update={"share": share}) for o in outage.terms.options]})
    return replace(outage, terms=terms)


def _inhouse_team_cost(client: Client, agents_at_once: float, workforce: Workforce,
                       vendor_cost_per_fte: float) -> float:
    """Net cost a year of a small in-house team holding ``agents_at_once`` on contacts
    through the opening hours (heads = agents x open hours a week / paid hours a week /
    (1 - shrinkage)), priced with the in-house cost model (pay, loading, supervisors,
    attrition, seats; no platform), less what the vendor no longer bills for the regular
    work the team does between outages (heads x the contracted cost per FTE)."""
    opens, closes = client.scenario.opening_minutes()
    open_week_h = float(np.sum(closes - opens)) / 60
    paid_week_h = workforce.paid_hours_per_fte_month * 12 / 52
    heads = float(staffing.ceil_whole(agents_at_once * open_week_h / paid_week_h
                                      / (1 - workforce.shrinkage)))
    inh = client.inhouse
    team = inh.model_copy(update={
        "headcount": inh.headcount.model_copy(update={
            "agents_fte": {"voice": heads}, "managers": 0,
            "seats": int(staffing.ceil_whole(agents_at_once))}),
        "facilities": inh.facilities.model_copy(update={"platform_monthly": 0.0,
                                                        "other_monthly": 0.0})})
    return 12 * float(costs.inhouse_baseline(team)["monthly"].sum()) - (
        heads * vendor_cost_per_fte)


def outage_options(client: Client, outage: Outage, *, workforce: Workforce | None = None
                   ) -> pd.DataFrame:
    """Each backup option of ``continuity.yaml`` against the loss it avoids, a year.

    Per option: ``agents`` it must hold ready (its share of the lost site's agents at
    the busiest interval), ``carried`` (contacts it answers in an average outage, after
    its activation time, counted in whole intervals rounded up), ``lost`` (contacts
    still lost), ``loss_avoided`` and ``annual_cost`` (fixed + per agent held ready, or
    for an in-house team the in-house cost model less the vendor work it takes over, +
    per contact carried), ``net`` (avoided - cost,
    currency a year) and ``break_even_outages`` (outages a year at which it pays). The
    first row is "no backup".
    """
    workforce = workforce or Workforce()
    t = outage.terms
    rows = outage.rows
    interval_s = outage.interval_minutes * 60.0
    h = outage.intervals_down
    full = outage.timeline["lost_full"].to_numpy()
    down = outage.timeline["lost_down"].to_numpy()
    peak_lost = float((outage.timeline["agents"] * t.site_share).max())
    value = t.value_per_lost_contact
    out = [{"option": "none", "name": "No backup", "kind": "none", "share": 0.0,
            "activation_hours": 0.0, "agents": 0.0, "carried": 0.0,
            "lost": outage.per_outage, "loss_avoided": 0.0, "annual_cost": 0.0}]
    for o in t.options:
        left = rows["agents"].to_numpy() * (1 - t.site_share * (1 - o.share))
        lost_o = pd.Series(_abandoned(rows, left, interval_s), index=rows["interval_start"]
                           ).groupby(level=0).sum().sort_index().to_numpy()
        skip = math.ceil(o.activation_hours * 60 / outage.interval_minutes - 1e-9)
        lost = (_window_mean(down - full, h) - _window_mean(down - full, h, skip)
                + _window_mean(lost_o - full, h, skip))
        agents = o.share * peak_lost
        carried = outage.per_outage - lost
        if o.kind == "inhouse_team" and o.annual_per_agent is None:
            held = _inhouse_team_cost(client, agents, workforce, outage.vendor_cost_per_fte)
        else:
            held = (o.annual_per_agent or 0.0) * float(staffing.ceil_whole(agents))
        cost = o.annual_fixed + held + o.per_contact * carried * t.outages_per_year
        out.append({"option": o.id, "name": o.name, "kind": o.kind, "share": o.share,
                    "activation_hours": o.activation_hours, "agents": agents,
                    "carried": carried, "lost": lost,
                    "loss_avoided": carried * value * t.outages_per_year,
                    "annual_cost": cost})
    df = pd.DataFrame(out)
    df["expected_loss"] = df["lost"] * value * t.outages_per_year
    df["net"] = df["loss_avoided"] - df["annual_cost"]
    # break-even: fixed cost a year = outages x (value - price per contact) x carried
    per_contact = df["option"].map({o.id: o.per_contact for o in t.options}).fillna(0.0)
    fixed = df["annual_cost"] - per_contact * df["carried"] * t.outages_per_year
    gain = df["carried"] * (value - per_contact)
    df["break_even_outages"] = (fixed / gain.where(gain > 0)).where(df["option"] != "none")
    return df.assign(currency=outage.currency)
