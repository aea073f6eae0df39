"""Step "manage risk": the risk register, and what a surge or an outage does to service.

The seeds name the risks of an outsourced centre -- data leaks (PIPL/GDPR/PDPA, NDAs,
encryption, quarterly audits), service interruption (a system outage, a typhoon or an
epidemic closing a site), surge beyond capacity (a product recall multiplying volume,
seed 002), attrition and knowledge loss, brand mismatch, lock-in and exit.

* :func:`register` (:mod:`bpo_analysis.steps.risk.register`, importable from here too)
  scores ``risks.csv``: likelihood x impact on 1-5 scales, before and after
  mitigation, rated with the NPSA 5 x 5 risk matrix (1-3 low, 4-6 moderate, 8-12 high,
  15-25 extreme: National Patient Safety Agency, *A risk matrix for risk managers*,
  2008).
* the surge (a recall multiplying volume) is :mod:`bpo_analysis.steps.risk.surge`;
* :func:`outage_scenario` takes one of the vendor's sites down for some hours: the
  contacts lost (Erlang A at the capacity left), averaged over every start time of the
  demand year, against what a backup site, a second vendor or a small in-house team
  (seed 004) must carry and costs a year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from numbers import Real

import numpy as np
import pandas as pd

from bpo_analysis.core import billing, costs, staffing
from bpo_analysis.core._erlang_a import erlang_a
from bpo_analysis.core.workforce import Calendar, Workforce, client_workforce, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import ContinuityAssumptions, OutageTerms
from bpo_analysis.errors import InputError
from bpo_analysis.steps import pricing
from bpo_analysis.steps.risk.register import RATINGS, heat_matrix, rating, register, top_risks

__all__ = [
    "RATINGS",
    "Outage",
    "OutageInputs",
    "continuity",
    "heat_matrix",
    "outage_options",
    "outage_scenario",
    "quote_row",
    "rating",
    "realtime_targets",
    "register",
    "top_risks",
    "with_backup_share",
]


# ---------------------------------------------------------------- shared
def continuity(client: Client) -> ContinuityAssumptions:
    """Return the client's ``continuity.yaml``, or one DataError saying notebook 07 needs it."""
    return client.optional("continuity", "notebook 07 needs the surge and outage "
                                         "assumptions")


def quote_row(client: Client, quote_id: str) -> pd.Series:
    """Return the row of ``quotes.csv`` with ``quote_id``, or an error listing the quotes."""
    q = client.quotes[client.quotes["quote_id"] == quote_id]
    if q.empty:
        raise InputError("quote_id", quote_id, f"one of {list(client.quotes['quote_id'])}")
    return q.iloc[0]


def realtime_targets(client: Client, channel: str, patience: dict[str, float]
                     ) -> tuple[float, float, float, float, float]:
    """Return a real-time channel's staffing targets and caller patience.

    Parameters
    ----------
    client : Client
        The client whose scenario gives the channel's service target.
    channel : str
        ``voice`` or ``chat``.
    patience : dict of str to float
        Mean caller patience per channel, seconds (``continuity.yaml``).

    Returns
    -------
    tuple of float
        (concurrency, target service level 0-1, answer within s, occupancy cap 0-1,
        patience s).
    """
    t = client.scenario.service_targets[channel]
    if channel not in patience:
        raise InputError("patience_s", sorted(patience),
                         f"a mean patience for {channel} in continuity.yaml")
    return (t.concurrency or 1.0, t.service_level, t.answer_within_s,
            t.max_occupancy or 1.0, float(patience[channel]))


# ---------------------------------------------------------------- outage
@dataclass(frozen=True)
class OutageInputs:
    """An outage; None keeps ``continuity.yaml``'s value.

    ``backup_share`` replaces every option's share of the lost site's agents (the
    slider).
    """

    hours: float | None = None
    site_share: float | None = None
    outages_per_year: float | None = None
    backup_share: float | None = None

    def __post_init__(self) -> None:
        """Refuse a bad value with an InputError naming the field."""
        for name, low_open, high, allowed in (
                ("hours", True, 240, "hours > 0 and <= 240"),
                ("site_share", True, 1, "a share of the vendor's agents in (0, 1]"),
                ("outages_per_year", False, 365, "outages a year from 0 to 365"),
                ("backup_share", False, 1, "a share of the lost site's agents in [0, 1]")):
            v = getattr(self, name)
            if v is None:
                continue
            ok = (isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(v)
                  and (v > 0 if low_open else v >= 0) and v <= high)
            if not ok:
                raise InputError(name, v, allowed)

    @classmethod
    def from_parameters(cls, *, hours: float = -1.0, site_share: float = -1.0,
                        outages_per_year: float = -1.0, backup_share: float = -1.0
                        ) -> OutageInputs:
        """Build the inputs from notebook parameters; -1 means "continuity.yaml's value"."""
        return cls(**{k: None if v == -1 else v for k, v in (
            ("hours", hours), ("site_share", site_share),
            ("outages_per_year", outages_per_year), ("backup_share", backup_share))})


@dataclass(frozen=True)
class Outage:
    """The outage model, interval by interval, and the contacts one outage loses.

    Per interval of the year (all real-time channels summed): ``offered``, ``lost_full``
    (abandoned at full capacity), ``lost_down`` (at the capacity left) and ``agents`` (the
    plan's, on contacts); ``per_outage`` the expected contacts lost by one outage without a
    backup; the assumptions used.
    """

    terms: OutageTerms  # continuity.yaml's, with the inputs applied
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
    """Return the mean over every start i of sum(x[i + skip : i + h])."""
    n = len(x) - h + 1
    if n <= 0:
        return float(np.sum(x[skip:h]))
    c = np.concatenate([[0.0], np.cumsum(x)])
    starts = np.arange(n)
    return float(np.mean(c[starts + h] - c[starts + min(skip, h)]))


def outage_scenario(client: Client, inputs: OutageInputs = OutageInputs(), *,
                    plan: pd.DataFrame | None = None,
                    workforce: Workforce | None = None) -> Outage:
    """Compute the contacts one site's outage loses, on average over the year.

    Averaged over every start interval of the demand year (outages come at any time;
    those while closed lose little). Voice and chat are judged with Erlang A at the
    plan's agents and at the share left (``1 - site_share``); email is deferred, not
    lost, and is left out. An outage lasts whole intervals (``hours`` must be a
    multiple of the interval).

    Parameters
    ----------
    client : Client
        The client (demand, scenario, quotes and ``continuity.yaml``).
    inputs : OutageInputs
        Hours down, share of the agents lost, outages a year, backup share.
    plan : DataFrame, optional
        The forecast's staffing plan; saves recomputing it.
    workforce : Workforce, optional
        Shrinkage and shifts of the plan.

    Returns
    -------
    Outage
        ``per_outage`` in contacts; the vendor's cost a year per FTE in the currency.
    """
    workforce = workforce or client_workforce(client)
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
        conc, *_, patience = realtime_targets(client, c, cont.patience_s)
        parts.append(pd.DataFrame({
            "interval_start": sub["interval_start"].to_numpy(), "channel": c,
            "offered": sub["contacts"].to_numpy(float),
            "aht": np.nan_to_num(sub["aht_s"].to_numpy(float), nan=1.0) / conc,
            "agents": sub["required"].to_numpy(float), "patience": patience}))
    if not parts:
        raise InputError("channels", sorted(client.scenario.service_targets),
                         "voice or chat among the client's channels: an outage of an "
                         "email-only centre delays work but loses no contact")
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
    q = quote_row(client, pricing.selected_quote(client, "decision"))
    bill = billing.bill(q, plan, cal, minutes, workforce, "quoted")
    covered = (np.ones(len(plan), bool) if q["channel"] == "all" else
               np.asarray(plan["channel"], dtype=object) == q["channel"])
    fte = (plan["scheduled"].to_numpy()[covered].sum() * minutes / 60 / len(cal.months)
           / workforce.paid_hours_per_fte_month)
    per_fte = float(np.sum(bill["service"])) * 12 / len(cal.months) / fte
    out = Outage(terms, timeline.reset_index(), round(h), per_outage, rows, minutes,
                 client.currency, per_fte)
    return out if inputs.backup_share is None else with_backup_share(out, inputs.backup_share)


def with_backup_share(outage: Outage, share: float) -> Outage:
    """Return ``outage`` with every option carrying ``share`` of the lost site's agents.

    The dashboard's slider; the loss without a backup does not change.
    """
    if not (isinstance(share, Real) and math.isfinite(share) and 0 <= share <= 1):
        raise InputError("backup_share", share, "a share of the lost site's agents in [0, 1]")
    terms = outage.terms.model_copy(update={"options": [
        o.model_copy(update={"share": share}) for o in outage.terms.options]})
    return replace(outage, terms=terms)


def _inhouse_team_cost(client: Client, agents_at_once: float, workforce: Workforce,
                       vendor_cost_per_fte: float) -> float:
    """Return the net cost a year of a small in-house backup team.

    The team holds ``agents_at_once`` on contacts through the opening hours (heads = agents
    x open hours a week / paid hours a week / (1 - shrinkage)), priced with the in-house
    cost model (pay, loading, supervisors, attrition, seats; no platform), less what the
    vendor no longer bills for the regular work the team does between outages (heads x the
    contracted cost per FTE).
    """
    opens, closes = client.scenario.opening_minutes("voice")  # the team answers calls
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
    """Set each backup option of ``continuity.yaml`` against the loss it avoids, a year.

    Per option: ``agents`` it must hold ready (its share of the lost site's agents at
    the busiest interval), ``carried`` (contacts it answers in an average outage, after
    its activation time, counted in whole intervals rounded up), ``lost`` (contacts
    still lost), ``loss_avoided`` and ``annual_cost`` (fixed + per agent held ready, or
    for an in-house team the in-house cost model less the vendor work it takes over, +
    per contact carried), ``net`` (avoided - cost,
    currency a year) and ``break_even_outages`` (outages a year at which it pays). The
    first row is "no backup".

    Parameters
    ----------
    client : Client
        The client (in-house costs for an in-house team).
    outage : Outage
        :func:`outage_scenario`.
    workforce : Workforce, optional
        Shrinkage and paid hours of an in-house team.

    Returns
    -------
    DataFrame
        One row per option, as above, with ``expected_loss`` (currency a year) and
        ``currency``.
    """
    workforce = workforce or client_workforce(client)
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
