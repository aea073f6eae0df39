"""Surge beyond capacity (seed 002: a product recall multiplies call volume).

:func:`surge_scenario` multiplies the volume of some channels by k for D days from a date.
The contracted capacity is the staffing plan of the forecast (the vendor staffs the
forecast to the service targets, :func:`bpo_analysis.core.workforce.staffing_plan`). The
vendor adds surge seats at its ramp (seats a day, after a lead time, up to its pool) and
never more than the surge needs. Each interval of voice and chat is judged with Erlang A
(callers give up after an exponential patience; a share of those who give up call again
at the next open interval); email is deferred work, a first-in first-out backlog
(:mod:`bpo_analysis.steps.risk.queues`). :func:`surge_costs`
(:mod:`bpo_analysis.steps.risk.surge_costs`, importable from here too) prices the surge
under every quote's pricing model, as it ran and holding the service level, against the
forecast run through the same model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from bpo_analysis.core import staffing
from bpo_analysis.core.workforce import (
    Calendar,
    Workforce,
    client_workforce,
    email_agents,
    staffing_plan,
)
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps import pricing
from bpo_analysis.steps.risk.calc import continuity, quote_row, realtime_targets
from bpo_analysis.steps.risk.queues import email_queue, voice_queue
from bpo_analysis.steps.risk.surge_costs import surge_costs

__all__ = ["Surge", "SurgeInputs", "surge_costs", "surge_scenario"]


def _number(name: str, v: object, ok: bool, allowed: str) -> None:
    if not (isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(v) and ok):
        raise InputError(name, v, allowed)


@dataclass(frozen=True)
class SurgeInputs:
    """A surge: some channels' volume multiplied for some days from a date.

    ``multiplier`` x the volume of ``channels`` for ``days`` days from ``start`` (a date of
    the demand year), followed for ``tail_days`` days after it ends. ``seats_per_day`` (the
    vendor's ramp), ``lead_days`` (days before the first surge seats) and ``redial_share``
    replace ``continuity.yaml``'s when given.
    """

    start: str
    multiplier: float = 2.0
    days: int = 7
    channels: tuple[str, ...] = ("voice",)
    seats_per_day: float | None = None
    lead_days: int | None = None
    redial_share: float | None = None
    tail_days: int = 1

    def __post_init__(self) -> None:
        """Refuse a bad value with an InputError naming the field."""
        _number("multiplier", self.multiplier,
                isinstance(self.multiplier, Real) and self.multiplier > 0,
                "a volume multiplier > 0 (2 doubles the volume)")
        for name, low, high in (("days", 1, 60), ("tail_days", 0, 14)):
            v = getattr(self, name)
            if not (isinstance(v, int | np.integer) and low <= v <= high):
                raise InputError(name, v, f"whole days from {low} to {high}")
        if self.lead_days is not None and not (isinstance(self.lead_days, int | np.integer)
                                               and 0 <= self.lead_days <= 30):
            raise InputError("lead_days", self.lead_days, "whole days from 0 to 30")
        if self.seats_per_day is not None:
            _number("seats_per_day", self.seats_per_day,
                    isinstance(self.seats_per_day, Real) and self.seats_per_day >= 0,
                    "seats a day >= 0")
        if self.redial_share is not None:
            _number("redial_share", self.redial_share,
                    isinstance(self.redial_share, Real) and 0 <= self.redial_share < 1,
                    "a share in [0, 1): some callers give up for good")
        if isinstance(self.channels, str) or not self.channels:
            raise InputError("channels", self.channels, "a tuple of channels, e.g. ('voice',)")
        try:
            ok = not pd.isna(pd.Timestamp(self.start))
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise InputError("start", self.start, "a date YYYY-MM-DD")

    @classmethod
    def from_parameters(cls, *, start: str, multiplier: float, days: int, channels: str,
                        seats_per_day: float = -1.0, lead_days: int = -1,
                        redial_share: float = -1.0) -> SurgeInputs:
        """Build the inputs from notebook parameters.

        ``channels`` comma-separated ("voice, email"); -1 means "continuity.yaml's value"
        (papermill parameters cannot be None).
        """
        return cls(start=start, multiplier=multiplier, days=days,
                   channels=tuple(c.strip() for c in channels.split(",") if c.strip()),
                   seats_per_day=None if seats_per_day == -1 else seats_per_day,
                   lead_days=None if lead_days == -1 else lead_days,
                   redial_share=None if redial_share == -1 else redial_share)


@dataclass(frozen=True)
class Surge:
    """The surge, interval by interval (``intervals``) and day by day.

    Day by day: ``daily`` and ``seats``.

    ``intervals`` (one row per surged channel and interval): ``arrivals`` (the forecast x
    the multiplier), ``aht_used`` (handle time per agent, s: chat's divided by its
    concurrency), ``offered`` (arrivals and redials), ``redials``, ``agents_base`` (the
    plan), ``agents_added`` (surge seats on contacts), ``agents``, ``service_level``
    (answered within the target / offered; email: NaN where the deadline falls after the
    window), ``abandon_rate``, ``answered``, ``abandoned`` (attempts), ``lost`` (callers
    who give up and do not call again), ``waiting`` (mean contacts in queue; email:
    unanswered), ``backlog`` (waiting plus the redials not yet made; email: unanswered at
    the end of the interval), ``required`` (agents on contacts that hold the target at
    the surge arrivals), ``extra_needed`` (required above the plan; email: only on days
    the plan's capacity misses the target), ``answered_base`` (answered at the forecast
    with the plan's agents: what the surge is compared with) and ``agents_hold`` (the plan
    plus the seats the target needs). ``daily``: per channel and day, the contacts, the
    day's service level (over the contacts it can judge), abandonment, callers lost and
    the peak backlog. ``seats``: per day, the surge seats added and the seats the target
    needs (``seats_needed``: the most extra agents at once / (1 - shrinkage)).
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
        """Sum up the surge days of ``channel``.

        Parameters
        ----------
        channel : str
            A surged channel.

        Returns
        -------
        dict of str to float
            ``offered``, ``answered``, ``abandoned`` (attempts) and ``lost`` (callers),
            contacts; ``service_level`` (over the contacts it can judge) and
            ``abandon_rate``, shares 0-1; ``peak_backlog``, contacts.
        """
        iv = self.intervals[(self.intervals["channel"] == channel) & self.intervals["in_surge"]]
        judged = iv["service_level"].notna() & (iv["offered"] > 0)
        offered = float(iv["offered"].sum())
        weight = float(iv.loc[judged, "offered"].sum())
        return {"offered": offered, "answered": float(iv["answered"].sum()),
                "abandoned": float(iv["abandoned"].sum()), "lost": float(iv["lost"].sum()),
                "service_level": float((iv["service_level"] * iv["offered"])[judged].sum()
                                       / weight) if weight else float("nan"),
                "abandon_rate": float(iv["abandoned"].sum() / offered) if offered else 0.0,
                "peak_backlog": float(iv["backlog"].max())}


def _ramp(day: np.ndarray, days: int, per_day: float, lead: int, cap: int | None
          ) -> np.ndarray:
    """Return the surge seats the vendor can have on day ``day`` (0 = first day).

    The ramp after the lead, capped by its pool; none after the surge.
    """
    seats = per_day * np.maximum(0, day - lead + 1)
    if cap is not None:
        seats = np.minimum(seats, cap)
    return np.where(day < days, seats, 0.0)



def _window(client: Client, plan: pd.DataFrame, inputs: SurgeInputs
            ) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Return the plan's rows of the surged channels from the start to the end of the tail."""
    known = sorted({str(c) for c in client.demand["channel"].unique()}
                   & set(client.scenario.service_targets))
    bad = [c for c in inputs.channels if c not in known]
    if bad:
        raise InputError("channels", bad[0], f"channels of the client: {known}")
    start = pd.Timestamp(inputs.start).normalize()
    end = start + pd.Timedelta(days=inputs.days + inputs.tail_days)
    step = pd.Timedelta(minutes=client.scenario.interval_minutes)
    first, last = client.demand["interval_start"].min(), client.demand["interval_start"].max()
    if start < first.normalize() or end > last + step:
        raise InputError("start", inputs.start,
                         f"a date from {first:%Y-%m-%d} with its {inputs.days} + "
                         f"{inputs.tail_days} days ending by {last + step:%Y-%m-%d %H:%M}")
    window = plan[(plan["interval_start"] >= start) & (plan["interval_start"] < end)]
    window = window[np.isin(np.asarray(window["channel"], dtype=object),
                            list(inputs.channels))]
    return window.sort_values(["channel", "interval_start"], kind="stable"), start


def _email_required(client: Client, plan: pd.DataFrame, window: pd.DataFrame,
                    arrivals: np.ndarray, max_occ: float) -> np.ndarray:
    """Return the agents per window interval that clear each day's surged email that day.

    The plan's rule, on the whole year's calendar (a closed day sends its email on).
    """
    rows = plan[np.asarray(plan["channel"], dtype=object) == "email"]
    contacts = rows["contacts"].to_numpy(float).copy()
    at = pd.Index(rows["interval_start"]).get_indexer(window["interval_start"])
    contacts[at] = arrivals
    cal = Calendar.of(rows["interval_start"])
    need = email_agents(contacts, rows["aht_s"].to_numpy(float), cal.day,
                         cal.is_open(client.scenario, "email"), cal.days,
                         client.scenario.interval_minutes / 60, max_occ)
    return need[at]


def surge_scenario(client: Client, inputs: SurgeInputs, *, plan: pd.DataFrame | None = None,
                   workforce: Workforce | None = None) -> Surge:
    """Play a surge: service, abandonment and backlog per interval.

    With the contracted capacity plus the vendor's surge seats (``continuity.yaml``'s quote
    and terms). Surge seats arrive at ``seats_per_day`` a day from day ``lead_days`` (day 0
    is the first surge day), up to the vendor's pool and to the seats the surge needs that
    day, go when the surge ends, and put ``1 - shrinkage`` agents on contacts each while
    open, shared over the surged channels by their agent load. ``plan`` (the forecast's
    staffing plan) saves recomputing it.

    Parameters
    ----------
    client : Client
        The client (demand, scenario, quotes, vendors and ``continuity.yaml``).
    inputs : SurgeInputs
        The surge: channels, multiplier, days, and the ramp's overrides.
    plan : DataFrame, optional
        The forecast's staffing plan.
    workforce : Workforce, optional
        Shrinkage and shifts of the plan (default :class:`Workforce`).

    Returns
    -------
    Surge
        Per interval, day and seat-day; contacts, agents, shares 0-1.

    Raises
    ------
    InputError
        A channel the client does not have, a window outside the demand year, a channel
        without a patience in ``continuity.yaml``.
    DataError
        No ``continuity.yaml``.
    """
    workforce = workforce or client_workforce(client)
    cont = continuity(client)
    q = quote_row(client, pricing.selected_quote(client, "decision"))
    vendor = client.vendors.set_index("vendor_id").loc[q["vendor_id"]]
    per_day = (inputs.seats_per_day if inputs.seats_per_day is not None else
               cont.surge.seats_per_day if cont.surge.seats_per_day is not None else
               float(vendor["surge_seats_per_week"]) / 7)
    lead = inputs.lead_days if inputs.lead_days is not None else cont.surge.lead_days
    redial = inputs.redial_share if inputs.redial_share is not None else cont.redial_share
    plan = staffing_plan(client, workforce) if plan is None else plan
    window, start = _window(client, plan, inputs)
    sc = client.scenario
    interval_s = sc.interval_minutes * 60.0
    wcal = Calendar.of(window["interval_start"])
    is_open = np.zeros(len(window), bool)  # each channel within its own hours
    for c in sc.service_targets:
        at = np.asarray(window["channel"], dtype=object) == c
        is_open[at] = wcal.is_open(sc, c)[at]
    day = (window["interval_start"].dt.normalize() - start).dt.days.to_numpy()
    in_surge = day < inputs.days
    chan = np.asarray(window["channel"], dtype=object)
    base_n = window["required"].to_numpy(float)
    forecast = window["contacts"].to_numpy(float)
    arrivals = forecast * np.where(in_surge, inputs.multiplier, 1.0)
    load = window["load_erlangs"].to_numpy(float)
    share = {c: load[(chan == c) & in_surge].sum() for c in inputs.channels}
    total = sum(share.values()) or 1.0
    # what each channel needs to hold its target at the surge arrivals
    aht = np.zeros(len(window))
    required = np.zeros(len(window))
    base_run = {}
    for c in dict.fromkeys(inputs.channels):
        r = chan == c
        t = sc.service_targets[c]
        h = window["aht_s"].to_numpy(float)[r]
        if c == "email":
            work = np.nansum(forecast[r] * h)
            aht[r] = np.where(np.isfinite(h), h, work / max(forecast[r].sum(), 1e-12))
            need = _email_required(client, plan, window[r], arrivals[r], t.max_occupancy or 1.0)
            at_base = email_queue(arrivals[r], aht[r], base_n[r], interval_s,
                                  t.answer_within_s, t.max_occupancy or 1.0)
            sl = pd.Series(at_base["service_level"] * arrivals[r]).groupby(day[r]).sum()
            weight = pd.Series(np.where(np.isnan(at_base["service_level"]), 0.0,
                                        arrivals[r])).groupby(day[r]).sum()
            short = (sl / weight.where(weight > 0)).fillna(1.0) < t.service_level
            required[r] = np.where(short.reindex(day[r]).to_numpy(), need, 0.0)
            base_run[c] = email_queue(forecast[r], aht[r], base_n[r], interval_s,
                                      t.answer_within_s, t.max_occupancy or 1.0)
            continue
        conc, target, t_s, max_occ, patience = realtime_targets(client, c, cont.patience_s)
        aht[r] = np.nan_to_num(h, nan=1.0) / conc
        required[r] = staffing.required_agents(
            arrivals[r], np.where(arrivals[r] > 0, aht[r], 1.0), interval_s=interval_s,
            target_sl=target, target_t_s=t_s, max_occupancy=max_occ, patience_s=patience)
        base_run[c] = voice_queue(forecast[r], aht[r], base_n[r], is_open[r], interval_s,
                                  t_s, patience, redial)
    extra = np.maximum(0.0, required - base_n)
    keys = pd.MultiIndex.from_arrays([day, window["interval_start"].to_numpy()])
    most = pd.Series(extra, index=keys).groupby(level=[0, 1]).sum().groupby(level=0).max()
    need_day = np.asarray(staffing.ceil_whole(most.to_numpy() / (1 - workforce.shrinkage)),
                          float)
    days = most.index.to_numpy()
    seats_day = np.minimum(_ramp(days, inputs.days, per_day, lead, cont.surge.max_seats),
                           np.where(days < inputs.days, need_day, 0.0))
    seats = pd.Series(seats_day, index=days).reindex(day).to_numpy()
    hold = pd.Series(np.where(days < inputs.days, need_day, 0.0), index=days).reindex(
        day).to_numpy()
    weight = np.array([share[c] / total for c in chan]) * (1 - workforce.shrinkage) * is_open
    added = seats * weight
    agents = base_n + added
    parts = []
    for c in dict.fromkeys(inputs.channels):
        r = chan == c
        t = sc.service_targets[c]
        out = (email_queue(arrivals[r], aht[r], agents[r], interval_s, t.answer_within_s,
                           t.max_occupancy or 1.0) if c == "email" else
               voice_queue(arrivals[r], aht[r], agents[r], is_open[r], interval_s,
                           t.answer_within_s, cont.patience_s[c], redial))
        parts.append(pd.DataFrame({
            "interval_start": window["interval_start"].to_numpy()[r], "channel": c,
            "day": day[r], "in_surge": in_surge[r], "arrivals": arrivals[r],
            "aht_used": aht[r], "agents_base": base_n[r], "agents_added": added[r],
            "agents": agents[r], "seats_added": seats[r], **out, "required": required[r],
            "extra_needed": extra[r], "answered_base": base_run[c]["answered"],
            "agents_hold": base_n[r] + hold[r] * weight[r]}))
    intervals = pd.concat(parts, ignore_index=True)
    daily, seats_by_day = _daily(intervals, start, days, seats_day, need_day, inputs.days)
    return Surge(inputs, str(q["quote_id"]), str(q["vendor_id"]), float(per_day), int(lead),
                 float(redial), intervals, daily, seats_by_day, workforce.shrinkage)


def _daily(iv: pd.DataFrame, start: pd.Timestamp, days: np.ndarray, seats: np.ndarray,
           need: np.ndarray, surge_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (per channel and day, per day): the day's service and the seats."""
    judged = iv["service_level"].notna()
    g = iv.assign(within=iv["service_level"] * iv["offered"],
                  judged=iv["offered"].where(judged, 0.0)).groupby(["channel", "day"])
    daily = g.agg(in_surge=("in_surge", "first"), offered=("offered", "sum"),
                  answered=("answered", "sum"), abandoned=("abandoned", "sum"),
                  lost=("lost", "sum"), within=("within", "sum"), judged=("judged", "sum"),
                  peak_backlog=("backlog", "max")).reset_index()
    daily["service_level"] = daily["within"] / daily["judged"].where(daily["judged"] > 0)
    daily["abandon_rate"] = daily["abandoned"] / daily["offered"].where(daily["offered"] > 0)
    daily.insert(2, "date", start + pd.to_timedelta(daily["day"], unit="D"))
    by_day = pd.DataFrame({"day": days, "date": start + pd.to_timedelta(days, unit="D"),
                           "in_surge": days < surge_days, "seats_added": seats,
                           "seats_needed": np.where(days < surge_days, need, 0.0)})
    return daily.drop(columns=["within", "judged"]), by_day
