"""The risk and continuity review in the report (notebook 07): one call computes the
register, the surge and the outage; the views present them with units and currency."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from . import risk
from . import surge as surge_model
from .io import Client
from .present import Headline, Headlines, fmt, styled
from .workforce import Workforce, staffing_plan

__all__ = ["RiskReview", "headlines", "outage_view", "recommendation", "register_view",
           "review_risk", "surge_cost_view", "surge_daily_view", "top_risks_view"]


@dataclass(frozen=True)
class RiskReview:
    """Everything notebook 07 shows. ``plan`` is the forecast's staffing plan (the
    contracted capacity), kept so that the dashboard does not compute it again."""

    register: pd.DataFrame
    surge: surge_model.Surge
    surge_costs: pd.DataFrame
    outage: risk.Outage
    options: pd.DataFrame
    plan: pd.DataFrame
    currency: str
    channel: str  # the surged channel the headlines show
    target: float
    within_s: float


def review_risk(client: Client, surge: surge_model.SurgeInputs,
                outage: risk.OutageInputs | None = None, *, currency: str = "",
                workforce: Workforce | None = None, plan: pd.DataFrame | None = None
                ) -> RiskReview:
    """The register scored, the surge with its costs, and the outage with its options.
    ``currency`` labels every amount (default: the ISO code of the client's files)."""
    workforce = workforce or Workforce()
    outage = outage or risk.OutageInputs()
    plan = staffing_plan(client, workforce) if plan is None else plan
    s = surge_model.surge_scenario(client, surge, plan=plan, workforce=workforce)
    o = risk.outage_scenario(client, outage, plan=plan, workforce=workforce)
    channel = surge.channels[0]
    t = client.scenario.service_targets[channel]
    return RiskReview(risk.register(client.risks), s,
                      surge_model.surge_costs(client, s, plan=plan, workforce=workforce), o,
                      risk.outage_options(client, o, workforce=workforce), plan,
                      currency or client.currency, channel, t.service_level,
                      t.answer_within_s)


def _contracted(res: RiskReview) -> pd.Series:
    return res.surge_costs[res.surge_costs["contracted"]].iloc[0]


def _best(res: RiskReview) -> pd.Series:
    return res.options.sort_values("net", ascending=False).iloc[0]


def _restored(res: RiskReview) -> pd.Timestamp | None:
    """The first surge day from which the channel's daily service level stays at the
    target (None: not within the surge)."""
    d = res.surge.daily
    d = d[(d["channel"] == res.channel) & d["in_surge"]]
    ok = (d["service_level"] >= res.target).to_numpy()
    for i in range(len(ok)):
        if ok[i:].all():
            return d["date"].iloc[i]
    return None


def headlines(res: RiskReview) -> Headlines:
    """Register, surge and outage in eight cards, each with its unit."""
    reg, cur, s = res.register, res.currency, res.surge
    tot = s.totals(res.channel)
    high = int(reg["rating"].isin(["high", "extreme"]).sum())
    high_after = int(reg["residual_rating"].isin(["high", "extreme"]).sum())
    best = _best(res)
    restored = _restored(res)
    day = None if restored is None else (restored - s.daily["date"].min()).days + 1
    return Headlines([
        Headline("high_risks", "High or extreme risks", high, "risks",
                 note=f"{high_after} after mitigation, of {len(reg)}"),
        Headline("surge_service_level", f"{res.channel.title()} service level in the surge",
                 tot["service_level"], "%", 1,
                 note=f"target {res.target:.0%} within {res.within_s:g} s"),
        Headline("surge_lost", "Callers lost in the surge", tot["lost"], "callers",
                 note=f"gave up without calling again; {tot['abandon_rate']:.1%} of "
                      f"{tot['offered']:,.0f} attempts abandoned"),
        Headline("surge_seats_needed", "Surge seats the target needs",
                 float(s.seats.loc[s.seats["in_surge"], "seats_needed"].max()), "seats",
                 note=f"vendor adds {s.seats_per_day:g} a day after {s.lead_days} day(s)"),
        Headline("surge_restored", "Service level back at target from",
                 None if day is None else float(day), "day of the surge",
                 display="" if day is None else f"day {day} of {s.inputs.days}",
                 missing=f"not within the {s.inputs.days} days"),
        Headline("surge_extra_cost", "Extra cost of the surge (contracted)",
                 float(_contracted(res)["as_run"]), cur,
                 note=f"{_contracted(res)['quote_id']}, as it ran"),
        Headline("outage_expected_loss", "Expected outage loss a year",
                 float(res.options.loc[res.options["option"] == "none",
                                       "expected_loss"].iloc[0]), cur,
                 note=f"{res.outage.terms.outages_per_year:g} outages of "
                      f"{res.outage.terms.hours:g} h"),
        Headline("best_backup_net", f"Best backup: {best['name']}", float(best["net"]), cur,
                 note="loss avoided - cost, a year")],
        title=recommendation(res))


def recommendation(res: RiskReview) -> str:
    """Two sentences: how the contracted capacity meets the surge, and which backup pays."""
    s, tot = res.surge, res.surge.totals(res.channel)
    need = float(s.seats.loc[s.seats["in_surge"], "seats_needed"].max())
    cheapest = res.surge_costs.sort_values("hold_sla").iloc[0]
    best = _best(res)
    surge_text = (
        f"A {s.inputs.multiplier:g}x surge of {s.inputs.days} days holds "
        f"{tot['service_level']:.0%} of {res.channel} in time (target {res.target:.0%}) "
        f"and {tot['lost']:,.0f} callers give up for good; holding the target needs up to "
        f"{need:,.0f} surge seats at once (the vendor adds {s.seats_per_day:g} a day). "
        f"Cheapest to hold the target: {cheapest['quote_id']} "
        f"({cheapest['pricing_model'].replace('_', ' ')}), "
        f"{fmt(cheapest['hold_sla'], res.currency)}.")
    backup = (f" {best['name']} pays for itself: {fmt(best['net'], res.currency)} a year net."
              if best["option"] != "none" and best["net"] > 0 else
              " No backup option pays for itself at this outage rate; the expected loss is "
              f"{fmt(res.options['expected_loss'].iloc[0], res.currency)} a year.")
    return surge_text + backup


def register_view(res: RiskReview) -> Styler:
    """The whole register, highest residual score first."""
    r = res.register
    df = pd.DataFrame({
        "risk": r["risk_id"], "category": r["category"].str.replace("_", " "),
        "title": r["title"], "owner": r["owner"],
        "likelihood (1-5)": r["likelihood"], "impact (1-5)": r["impact"],
        "score (1-25)": r["score"], "rating": r["rating"],
        "residual score (1-25)": r["residual_score"], "residual rating": r["residual_rating"],
        "reduction (points)": r["reduction"]})
    return styled(df, {}, "The risk register (score = likelihood x impact)")


def top_risks_view(res: RiskReview, n: int = 5) -> Styler:
    """The ``n`` highest risks before mitigation, with their mitigation."""
    t = risk.top_risks(res.register, n)
    df = pd.DataFrame({"risk": t["risk_id"], "title": t["title"],
                       "score (1-25)": t["score"], "rating": t["rating"],
                       "mitigation": t["mitigation"], "owner": t["owner"],
                       "residual score (1-25)": t["residual_score"],
                       "residual rating": t["residual_rating"]})
    return styled(df, {}, f"The top {len(df)} risks and their mitigations")


def surge_daily_view(res: RiskReview) -> Styler:
    """Day by day: contacts, service, abandonment, backlog and seats, per channel."""
    d = res.surge.daily.merge(res.surge.seats[["day", "seats_added", "seats_needed"]],
                              on="day")
    df = pd.DataFrame({
        "date": d["date"].dt.strftime("%a %Y-%m-%d"), "channel": d["channel"],
        "surge": d["in_surge"].map({True: "yes", False: "after"}),
        "offered (contacts)": d["offered"], "answered (contacts)": d["answered"],
        "abandoned (attempts)": d["abandoned"], "lost (callers)": d["lost"],
        "service level (%)": d["service_level"],
        "abandonment (%)": d["abandon_rate"], "peak backlog (contacts)": d["peak_backlog"],
        "surge seats added": d["seats_added"], "surge seats needed": d["seats_needed"]})
    return styled(df, {"offered (contacts)": "{:,.0f}", "answered (contacts)": "{:,.0f}",
                       "abandoned (attempts)": "{:,.0f}", "lost (callers)": "{:,.0f}",
                       "service level (%)": "{:.1%}",
                       "abandonment (%)": "{:.1%}", "peak backlog (contacts)": "{:,.1f}",
                       "surge seats added": "{:,.0f}", "surge seats needed": "{:,.0f}"},
                  "The surge day by day (seats are shared by the surged channels)")


def surge_cost_view(res: RiskReview) -> Styler:
    """Extra cost of the surge under each quote, as run and holding the service level."""
    c, cur = res.surge_costs, res.currency
    df = pd.DataFrame({
        "quote": c["quote_id"] + (c["contracted"].map({True: " (contracted)", False: ""})),
        "vendor": c["vendor_id"], "pricing model": c["pricing_model"].str.replace("_", " "),
        "channels": c["channel"], f"as it ran ({cur})": c["as_run"],
        f"holding the service level ({cur})": c["hold_sla"]})
    return styled(df, {f"as it ran ({cur})": "{:,.0f}",
                       f"holding the service level ({cur})": "{:,.0f}"},
                  "Extra cost of the surge (service charges; the management fee is fixed)")


def outage_view(res: RiskReview) -> Styler:
    """Each backup option: what it must carry, what it costs and what it avoids."""
    o, cur = res.options, res.currency
    df = pd.DataFrame({
        "option": o["name"], "share of the lost site (%)": o["share"],
        "activation (h)": o["activation_hours"], "agents held ready": o["agents"],
        "contacts carried per outage": o["carried"], "contacts lost per outage": o["lost"],
        f"expected loss ({cur}/year)": o["expected_loss"],
        f"loss avoided ({cur}/year)": o["loss_avoided"],
        f"cost ({cur}/year)": o["annual_cost"], f"net ({cur}/year)": o["net"],
        "pays from (outages/year)": o["break_even_outages"]})
    money = "{:,.0f}"
    return styled(df, {"share of the lost site (%)": "{:.0%}", "activation (h)": "{:g}",
                       "agents held ready": "{:,.1f}",
                       "contacts carried per outage": "{:,.0f}",
                       "contacts lost per outage": "{:,.0f}",
                       f"expected loss ({cur}/year)": money,
                       f"loss avoided ({cur}/year)": money, f"cost ({cur}/year)": money,
                       f"net ({cur}/year)": money, "pays from (outages/year)": "{:,.1f}"},
                  f"Outage of {res.outage.terms.hours:g} h at a site with "
                  f"{res.outage.terms.site_share:.0%} of the agents, "
                  f"{res.outage.terms.outages_per_year:g} a year")
