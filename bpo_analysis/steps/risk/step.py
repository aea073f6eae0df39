"""Step 7 as one call: ``run(client, ...)`` scores the risk register and plays two events.

It plays a demand surge and a site outage, and returns a :class:`RiskResult`.

A retailer asks what a week of doubled voice calls in October would do:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), surge_start="2025-10-06")
>>> result.channel, list(result.figures)
('voice', ['heatmap', 'surge', 'surge_cost', 'outage'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from bpo_analysis.core import demand
from bpo_analysis.core.decision import Choice, Decision, memo, vendor_label, vendor_names
from bpo_analysis.core.eligibility import knock_out_flag
from bpo_analysis.core.present import Headlines, Paragraph, fmt
from bpo_analysis.core.result import (
    StepResult,
    currency_used,
    file_name,
    from_file,
    left_open,
)
from bpo_analysis.core.workforce import Workforce, client_workforce, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, day, plural
from bpo_analysis.steps import pricing, vendors
from bpo_analysis.steps.risk import calc, charts, views
from bpo_analysis.steps.risk import surge as surge_model
from bpo_analysis.steps.risk.register import heat_matrix, register
from bpo_analysis.steps.risk.surge_costs import surge_costs

__all__ = ["RiskResult", "busiest_week", "review", "run", "upstream"]


@dataclass(frozen=True, eq=False)
class RiskResult(StepResult):
    """Everything notebook 07 shows.

    ``plan`` is the forecast's staffing plan (the contracted capacity), kept so that the
    dashboard does not compute it again; ``targets`` the service level and answer time of
    each surged channel; ``from_files`` names the notebook parameters the run left to the
    client's files (:meth:`_used` says what it took for them).
    """

    step = "07 risk"

    register: pd.DataFrame
    surge: surge_model.Surge
    surge_costs: pd.DataFrame
    outage: calc.Outage
    options: pd.DataFrame
    plan: pd.DataFrame
    currency: str
    channel: str  # the surged channel the headlines show
    target: float
    within_s: float
    targets: dict[str, tuple[float, float]] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    decision: Decision = field(default_factory=Decision)
    interval_minutes: int = 0  # length of one interval of the client's demand, minutes
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    decision_roles = ("vendor", "quote", "backup")

    @property
    def surge_text(self) -> Paragraph:
        """Return the surge played, in words: size, channels, dates, interval, ramp."""
        return views.surge_paragraph(self)

    def _headline(self) -> Headlines:
        return views.headlines(self)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        if c is None:
            return {}
        used = currency_used(c, left)
        if "surge_start" in left:
            used["surge_start"] = start_used(c, self.surge.inputs.start, self.surge.inputs.days)
        if "seats_per_day" in left:
            used["seats_per_day"] = seats_used(c, self.surge)
        terms = self.outage.terms
        said = {"lead_days": plural(self.surge.lead_days, N_("{n} day"), N_("{n} days")),
                "outage_hours": plural(terms.hours, N_("{n:g} hour"), N_("{n:g} hours")),
                "site_share": _("{share} of the vendor's agents").format(
                    share=fmt(terms.site_share, "%", 0)),
                "outages_per_year": plural(terms.outages_per_year, N_("{n:g} outage a year"),
                                           N_("{n:g} outages a year")),
                "backup_share": _("each option's own ({shares})").format(shares=_(", ").join(
                    _("{option} {share}").format(option=o.name, share=fmt(o.share, "%", 0))
                    for o in terms.options))}
        used |= {name: from_file(c, text, "continuity") for name, text in said.items()
                 if name in left}
        if "lead_days" in left and c.continuity is not None \
                and "lead_days" not in c.continuity.surge.model_fields_set:
            used["lead_days"] = _("{value}, the default when {source} gives none").format(
                value=said["lead_days"], source=file_name(c, "continuity"))
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"top_risks": lambda: views.top_risks_view(self, self.inputs.get("top_n", 5)),
                "register": lambda: views.register_view(self),
                "surge_daily": lambda: views.surge_daily_view(self),
                "surge_cost": lambda: views.surge_cost_view(self),
                "outage": lambda: views.outage_view(self)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        return {
            "heatmap": lambda: charts.risk_heatmap({
                "before mitigation": heat_matrix(self.register),
                "after mitigation": heat_matrix(self.register, residual=True)}),
            # one chart per surged channel
            "surge": lambda: [charts.surge_chart(self.surge.intervals, ch, level, within)
                              for ch, (level, within) in self.targets.items()],
            "surge_cost": lambda: charts.surge_cost_chart(
                self.surge_costs, self.currency,
                vendor_names(self.client) if self.client is not None else None),
            "outage": lambda: charts.outage_chart(self.options, self.currency)}


def review(client: Client, surge: surge_model.SurgeInputs,
           outage: calc.OutageInputs | None = None, *, currency: str = "",
           workforce: Workforce | None = None, plan: pd.DataFrame | None = None,
           top_n: int = 5) -> RiskResult:
    """Score the register, play the surge with its costs and the outage with its options.

    ``currency`` labels every amount (default: the ISO code of the client's files); a
    dashboard passes the staffing ``plan`` it keeps.
    """
    workforce = workforce or client_workforce(client)
    outage = outage or calc.OutageInputs()
    decision = pricing.upstream(client).decision
    plan = staffing_plan(client, workforce) if plan is None else plan
    s = surge_model.surge_scenario(client, surge, plan=plan, workforce=workforce)
    o = calc.outage_scenario(client, outage, plan=plan, workforce=workforce)
    targets = {ch: (client.scenario.service_targets[ch].service_level,
                    client.scenario.service_targets[ch].answer_within_s)
               for ch in surge.channels}
    channel = surge.channels[0]
    options = eligible_backups(client, calc.outage_options(client, o, workforce=workforce),
                               decision.vendor.value if decision.vendor else None)
    return RiskResult(register(client.risks), s,
                      surge_costs(client, s, plan=plan, workforce=workforce), o,
                      options, plan, currency or client.currency, channel, *targets[channel],
                      targets, {"surge": surge, "outage": outage, "top_n": top_n},
                      backup_decision(decision, options),
                      interval_minutes=client.scenario.interval_minutes)


def eligible_backups(client: Client, options: pd.DataFrame,
                     selected: str | None = None) -> pd.DataFrame:
    """Add ``flag`` to the backup options.

    A second vendor step 2 knocks out is flagged, and so is the ``selected`` vendor
    itself: the site that goes down is its own.
    """
    ko = vendors.upstream(client).knock_outs
    by_id = {o.id: o.vendor_id for o in calc.continuity(client).outage.options}
    flags = [_("it is the selected vendor: it cannot stand in for its own outage")
             if selected and by_id.get(o) == selected else
             knock_out_flag(ko, by_id[o]) if by_id.get(o) else "" for o in options["option"]]
    return options.assign(flag=flags)


def backup_decision(decision: Decision, options: pd.DataFrame) -> Decision:
    """Return the decision with its backup: stated, else the best eligible option here."""
    flags = dict(zip(options["option"], options["flag"], strict=True))
    if decision.backup is not None:
        return decision.but(backup=Choice(decision.backup.value, 0,
                                          flags.get(decision.backup.value, "")))
    ok = options[(options["option"] != "none") & (options["flag"] == "")]
    if ok.empty:
        return decision.but(about="backup", note=_("No backup option passes step 2's knock-outs."))
    best = ok.sort_values("net", ascending=False).iloc[0]
    if best["net"] < 0:  # none pays: standing by costs more than the outages it saves
        return decision.but(about="backup", note=_(
            "No backup option pays for itself at this outage rate, so none is derived; the "
            "least costly, {option}, would cost {cost:,.0f} {currency} a year net: name it "
            "in the decision file if the client accepts that cost for the risk.").format(
                option=str(best["name"]), cost=-float(best["net"]),
                currency=str(best["currency"])))
    return decision.but(backup=Choice(str(best["option"]), 7))


def start_used(client: Client, start: str, days: int) -> str:
    """Return the surge's first day a run took, in words, and where it came from.

    "18 August 2025, the start of the busiest week in demand_intervals.csv"
    (:func:`busiest_week`).
    """
    date, source = day(pd.Timestamp(start)), file_name(client, "demand_intervals", ".csv")
    if days == 7:
        return _("{date}, the start of the busiest week in {source}").format(date=date,
                                                                            source=source)
    return plural(days, N_("{date}, the busiest day in {source}"),
                  N_("{date}, the start of the busiest {n} days in {source}"), date=date,
                  source=source)


def seats_used(client: Client, surge: surge_model.Surge) -> str:
    """Return the surge seats a day a run took, and where from.

    ``continuity.yaml``'s, else the selected vendor's surge seats a week in
    ``vendors.csv`` over seven days.
    """
    seats = plural(surge.seats_per_day, N_("{n:,.1f} seat a day"), N_("{n:,.1f} seats a day")
                   ) if surge.seats_per_day % 1 else plural(
        surge.seats_per_day, N_("{n:,.0f} seat a day"), N_("{n:,.0f} seats a day"))
    cont = client.continuity
    if cont is not None and cont.surge.seats_per_day is not None:
        return from_file(client, seats, "continuity")
    return _("{seats}: the {week:,.0f} surge seats a week of {vendor} in {source}, over 7 "
             "days").format(seats=seats, week=surge.seats_per_day * 7,
                            vendor=vendor_label(client, surge.vendor_id),
                            source=file_name(client, "vendors", ".csv"))


def busiest_week(client: Client, days: int = 7) -> str:
    """Return the first day (YYYY-MM-DD) of the demand year's busiest ``days`` days.

    Where a surge hurts most, and so what step 7 plays when no start is given. Days
    missing from the demand count as days without contacts.
    """
    daily = demand.daily_volume(client.demand)["total"].asfreq("D", fill_value=0)
    if not (isinstance(days, int) and 1 <= days <= len(daily)):
        raise InputError("surge_days", days, f"whole days from 1 to {len(daily)} (the days "
                         "the demand covers), or give surge_start")
    end = daily.rolling(days).sum().idxmax()
    return str((pd.Timestamp(end) - pd.Timedelta(days=days - 1)).date())


def upstream(client: Client) -> RiskResult:
    """Return step 7 run with its defaults, once per client (the summary's risks, backup)."""
    return memo(client, "risk", lambda: run(client))


def run(client: Client, *, currency: str = "", surge_start: str = "",
        surge_multiplier: float = 2.0,
        surge_days: int = 7, surge_channels: str = "voice", seats_per_day: float = -1.0,
        lead_days: int = -1, outage_hours: float = -1.0, site_share: float = -1.0,
        outages_per_year: float = -1.0, backup_share: float = -1.0,
        top_n: int = 5) -> RiskResult:
    """Run step 7 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its ``risks.csv``, ``continuity.yaml``, demand and scenario).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    surge_start : str
        First day of the surge (YYYY-MM-DD), inside the demand year; "" means the first
        day of the busiest seven days (:func:`busiest_week`).
    surge_multiplier : float
        Volume of the surged channels during the surge (x forecast).
    surge_days : int
        Length of the surge in days.
    surge_channels : str
        Comma-separated channels the surge hits (voice, chat, email).
    seats_per_day : float
        Surge seats the vendor adds a day; -1 means ``continuity.yaml``'s.
    lead_days : int
        Days before the first surge seats arrive; -1 means ``continuity.yaml``'s.
    outage_hours : float
        Hours one site is down (a multiple of the interval); -1 means ``continuity.yaml``'s.
    site_share : float
        Share of the vendor agents at the site that goes down; -1 means
        ``continuity.yaml``'s.
    outages_per_year : float
        Outages a year; -1 means ``continuity.yaml``'s.
    backup_share : float
        Share of the lost site agents every backup carries; -1 means each option's.
    top_n : int
        Risks in the top-risks table.

    Returns
    -------
    RiskResult
    """
    surge = surge_model.SurgeInputs.from_parameters(
        start=surge_start or busiest_week(client, surge_days), multiplier=surge_multiplier,
        days=surge_days,
        channels=surge_channels, seats_per_day=seats_per_day, lead_days=lead_days)
    outage = calc.OutageInputs.from_parameters(hours=outage_hours, site_share=site_share,
                                               outages_per_year=outages_per_year,
                                               backup_share=backup_share)
    return replace(review(client, surge, outage, currency=currency, top_n=top_n), client=client,
                   from_files=left_open(
                       currency_label=(currency, ""), surge_start=(surge_start, ""),
                       seats_per_day=(seats_per_day, -1), lead_days=(lead_days, -1),
                       outage_hours=(outage_hours, -1), site_share=(site_share, -1),
                       outages_per_year=(outages_per_year, -1),
                       backup_share=(backup_share, -1)))
