"""The risk and continuity review in the report (notebook 07).

The views present a :class:`~bpo_analysis.steps.risk.step.RiskResult` (the register, the
surge and the outage) with units and currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, Paragraph, fmt, styled
from bpo_analysis.i18n import N_, _, day, term, weekday
from bpo_analysis.steps.risk.register import top_risks

if TYPE_CHECKING:
    from bpo_analysis.steps.risk.step import RiskResult

__all__ = ["headlines", "outage_view", "recommendation", "register_view",
           "surge_cost_view", "surge_daily_view", "surge_paragraph", "top_risks_view"]


def _contracted(res: RiskResult) -> pd.Series:
    return res.surge_costs[res.surge_costs["contracted"]].iloc[0]


def _best(res: RiskResult) -> pd.Series:
    """Return the decision's backup, else the best option that passes the knock-outs."""
    o = res.options
    chosen = res.decision.backup
    if chosen is not None and chosen.value in set(o["option"]):
        return o[o["option"] == chosen.value].iloc[0]
    ok = o[o["flag"] == ""] if "flag" in o else o
    return ok.sort_values("net", ascending=False).iloc[0]


def _restored(res: RiskResult) -> pd.Timestamp | None:
    """Return the first surge day from which the channel's daily service level holds.

    It stays at the target from that day on (None: not within the surge).
    """
    d = res.surge.daily
    d = d[(d["channel"] == res.channel) & d["in_surge"]]
    ok = (d["service_level"] >= res.target).to_numpy()
    for i in range(len(ok)):
        if ok[i:].all():
            return d["date"].iloc[i]
    return None


def headlines(res: RiskResult) -> Headlines:
    """Return the register, surge and outage in eight cards, each with its unit."""
    reg, cur, s = res.register, res.currency, res.surge
    tot = s.totals(res.channel)
    high = int(reg["rating"].isin(["high", "extreme"]).sum())
    high_after = int(reg["residual_rating"].isin(["high", "extreme"]).sum())
    best = _best(res)
    restored = _restored(res)
    day = None if restored is None else (restored - s.daily["date"].min()).days + 1
    days = s.inputs.days
    return Headlines([
        Headline("high_risks", _("High or extreme risks"), high, _("risks"),
                 note=_("{n} after mitigation, of {total}").format(n=high_after,
                                                                   total=len(reg))),
        Headline("surge_service_level", _("{channel} service level in the surge").format(
                     channel=term(res.channel).title()),
                 tot["service_level"], "%", 1,
                 note=_("target {target:.0%} within {s:g} s").format(target=res.target,
                                                                     s=res.within_s)),
        Headline("surge_lost", _("Callers lost in the surge"), tot["lost"], _("callers"),
                 note=_("gave up without calling again; {rate:.1%} of {offered:,.0f} "
                        "attempts abandoned").format(rate=tot["abandon_rate"],
                                                     offered=tot["offered"])),
        Headline("surge_seats_needed", _("Surge seats the target needs"),
                 float(s.seats.loc[s.seats["in_surge"], "seats_needed"].max()), _("seats"),
                 note=_("vendor adds {n:g} a day after {days} day(s)").format(
                     n=s.seats_per_day, days=s.lead_days)),
        Headline("surge_restored", _("Service level back at target from"),
                 None if day is None else float(day), _("day of the surge"),
                 display="" if day is None else _("day {day} of {days}").format(day=day,
                                                                                days=days),
                 missing=_("not within the {days} days").format(days=days)),
        Headline("surge_extra_cost", _("Extra cost of the surge (contracted)"),
                 float(_contracted(res)["as_run"]), cur,
                 note=_("{quote}, as it ran").format(quote=_contracted(res)["quote_id"])),
        Headline("outage_expected_loss", _("Expected outage loss a year"),
                 float(res.options.loc[res.options["option"] == "none",
                                       "expected_loss"].iloc[0]), cur,
                 note=_("{n:g} outages of {hours:g} h").format(
                     n=res.outage.terms.outages_per_year, hours=res.outage.terms.hours)),
        Headline("best_backup_net", _("Best backup: {name}").format(name=term(best["name"])),
                 float(best["net"]), cur, note=_("loss avoided - cost, a year"))],
        title=recommendation(res))


def recommendation(res: RiskResult) -> str:
    """Say in two sentences how the contracted capacity meets the surge, and which backup pays."""
    s, tot = res.surge, res.surge.totals(res.channel)
    need = float(s.seats.loc[s.seats["in_surge"], "seats_needed"].max())
    cheapest = res.surge_costs.sort_values("hold_sla").iloc[0]
    best = _best(res)
    surge_text = _(
        "A {multiplier:g}x surge of {days} days holds {sl:.0%} of {channel} in time (target "
        "{target:.0%}) and {lost:,.0f} callers give up for good; holding the target needs up "
        "to {need:,.0f} surge seats at once (the vendor adds {per_day:g} a day). Cheapest to "
        "hold the target: {quote} ({model}), {cost}.").format(
        multiplier=s.inputs.multiplier, days=s.inputs.days, sl=tot["service_level"],
        channel=term(res.channel), target=res.target, lost=tot["lost"], need=need,
        per_day=s.seats_per_day, quote=cheapest["quote_id"],
        model=pricing_model(cheapest["pricing_model"]),
        cost=fmt(cheapest["hold_sla"], res.currency))
    backup = (_(" {name} pays for itself at {n:g} outages a year (from {be:.1f} a year): "
                "{net} a year net.").format(
                  name=term(best["name"]), n=res.outage.terms.outages_per_year,
                  be=best["break_even_outages"], net=fmt(best["net"], res.currency))
              if best["option"] != "none" and best["net"] > 0 else
              _(" No backup option pays for itself at this outage rate; the expected loss is "
                "{loss} a year.").format(loss=fmt(res.options["expected_loss"].iloc[0],
                                                  res.currency)))
    return surge_text + backup


def surge_paragraph(res: RiskResult) -> Paragraph:
    """Say the surge played: how big, on which channels, when, at what grain, the ramp.

    From the surge's own inputs and the client's interval length, so that it reads true
    for any client and any parameters.
    """
    s = res.surge.inputs
    first = pd.Timestamp(s.start)
    return Paragraph(_(
        "A surge of ×{multiplier:g} the forecast on {channels} for {days} days, from {first} "
        "to {last}, played out interval by interval ({minutes} minutes); the vendor adds "
        "{per_day:g} surge seats a day after {lead} day(s).").format(
        multiplier=s.multiplier, channels=", ".join(term(c) for c in s.channels),
        days=s.days, first=day(first), last=day(first + pd.Timedelta(days=s.days - 1)),
        minutes=res.interval_minutes, per_day=res.surge.seats_per_day,
        lead=res.surge.lead_days))


#: Names of the data the views show (translated with ``term``): pricing models, risk
#: categories and ratings, and the outage's "no backup" option.
_NAMES = (N_("per call"), N_("per minute"), N_("per productive hour"), N_("per seat"),
          N_("hybrid"), N_("No backup"), N_("low"), N_("moderate"), N_("high"),
          N_("extreme"), N_("data protection"), N_("service interruption"), N_("surge"),
          N_("attrition knowledge"), N_("brand culture"), N_("lock in exit"), N_("financial"),
          N_("compliance"))


def pricing_model(model: str) -> str:
    """Return a pricing model's name as shown, in the report language.

    'per_call' -> 'per call'.
    """
    return term(model.replace("_", " "))


def register_view(res: RiskResult) -> Styler:
    """Style the whole register, highest residual score first."""
    r = res.register
    df = pd.DataFrame({
        N_("risk"): r["risk_id"],
        N_("category"): r["category"].str.replace("_", " ").map(term),
        N_("title"): r["title"], N_("owner"): r["owner"],
        N_("likelihood (1-5)"): r["likelihood"], N_("impact (1-5)"): r["impact"],
        N_("score (1-25)"): r["score"], N_("rating"): r["rating"].map(term),
        N_("residual score (1-25)"): r["residual_score"],
        N_("residual rating"): r["residual_rating"].map(term),
        N_("reduction (points)"): r["reduction"]})
    return styled(df, {}, _("The risk register (score = likelihood x impact)"))


def top_risks_view(res: RiskResult, n: int = 5) -> Styler:
    """Style the ``n`` highest risks before mitigation, with their mitigation."""
    t = top_risks(res.register, n)
    df = pd.DataFrame({N_("risk"): t["risk_id"], N_("title"): t["title"],
                       N_("score (1-25)"): t["score"], N_("rating"): t["rating"].map(term),
                       N_("mitigation"): t["mitigation"], N_("owner"): t["owner"],
                       N_("residual score (1-25)"): t["residual_score"],
                       N_("residual rating"): t["residual_rating"].map(term)})
    return styled(df, {}, _("The top {n} risks and their mitigations").format(n=len(df)))


def surge_daily_view(res: RiskResult) -> Styler:
    """Style day by day: contacts, service, abandonment, backlog and seats, per channel."""
    d = res.surge.daily.merge(res.surge.seats[["day", "seats_added", "seats_needed"]],
                              on="day")
    df = pd.DataFrame({
        N_("date"): [f"{weekday(f'{x:%a}')} {x:%Y-%m-%d}" for x in d["date"]],
        N_("channel"): d["channel"].map(term),
        N_("surge"): d["in_surge"].map({True: _("yes"), False: _("after")}),
        N_("offered (contacts)"): d["offered"], N_("answered (contacts)"): d["answered"],
        N_("abandoned (attempts)"): d["abandoned"], N_("lost (callers)"): d["lost"],
        N_("service level (%)"): d["service_level"],
        N_("abandonment (%)"): d["abandon_rate"],
        N_("peak backlog (contacts)"): d["peak_backlog"],
        N_("surge seats added"): d["seats_added"],
        N_("surge seats needed"): d["seats_needed"]})
    return styled(df, {"offered (contacts)": "{:,.0f}", "answered (contacts)": "{:,.0f}",
                       "abandoned (attempts)": "{:,.0f}", "lost (callers)": "{:,.0f}",
                       "service level (%)": "{:.1%}",
                       "abandonment (%)": "{:.1%}", "peak backlog (contacts)": "{:,.1f}",
                       "surge seats added": "{:,.0f}", "surge seats needed": "{:,.0f}"},
                  _("The surge day by day (seats are shared by the surged channels)"))


def surge_cost_view(res: RiskResult) -> Styler:
    """Style the extra cost of the surge under each quote, as run and holding the service level."""
    c, cur = res.surge_costs, res.currency
    as_run = _("as it ran ({currency})").format(currency=cur)
    hold = _("holding the service level ({currency})").format(currency=cur)
    df = pd.DataFrame({
        N_("quote"): c["quote_id"] + (c["contracted"].map({True: _(" (contracted)"),
                                                           False: ""})),
        N_("vendor"): c["vendor_id"], N_("pricing model"): c["pricing_model"].map(pricing_model),
        N_("channels"): c["channel"].map(term), as_run: c["as_run"], hold: c["hold_sla"]})
    return styled(df, {as_run: "{:,.0f}", hold: "{:,.0f}"},
                  _("Extra cost of the surge (service charges; the management fee is fixed)"))


def outage_view(res: RiskResult) -> Styler:
    """Style each backup option: what it must carry, what it costs and what it avoids."""
    o, cur = res.options, res.currency
    money = {_("expected loss ({currency}/year)").format(currency=cur): o["expected_loss"],
             _("loss avoided ({currency}/year)").format(currency=cur): o["loss_avoided"],
             _("cost ({currency}/year)").format(currency=cur): o["annual_cost"],
             _("net ({currency}/year)").format(currency=cur): o["net"]}
    df = pd.DataFrame({
        N_("option"): o["name"].map(term), N_("share of the lost site (%)"): o["share"],
        N_("activation (h)"): o["activation_hours"], N_("agents held ready"): o["agents"],
        N_("contacts carried per outage"): o["carried"],
        N_("contacts lost per outage"): o["lost"], **money,
        N_("pays from (outages/year)"): o["break_even_outages"],
        N_("eligible"): o.get("flag", pd.Series("", index=o.index)).replace("", _("yes"))})
    terms = res.outage.terms
    return styled(df, {"share of the lost site (%)": "{:.0%}", "activation (h)": "{:g}",
                       "agents held ready": "{:,.1f}",
                       "contacts carried per outage": "{:,.0f}",
                       "contacts lost per outage": "{:,.0f}",
                       **dict.fromkeys(money, "{:,.0f}"), "pays from (outages/year)": "{:,.1f}"},
                  _("Outage of {hours:g} h at a site with {share:.0%} of the agents, {n:g} a "
                    "year").format(hours=terms.hours, share=terms.site_share,
                                   n=terms.outages_per_year))
