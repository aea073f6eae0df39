"""The risk and continuity review in the report (notebook 07).

The views present a :class:`~bpo_analysis.steps.risk.step.RiskResult` (the register, the
surge and the outage) with units and currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, Paragraph, amount_scale, fmt, styled
from bpo_analysis.i18n import N_, _, day, plural, term, weekday
from bpo_analysis.steps.risk.register import top_risks

if TYPE_CHECKING:
    from bpo_analysis.steps.risk.step import RiskResult

__all__ = ["CATEGORIES", "headlines", "outage_view", "pricing_model", "quote_label",
           "recommendation", "register_view", "surge_cost_view", "surge_daily_view",
           "surge_paragraph", "top_risks_view"]


def _contracted(res: RiskResult) -> pd.Series:
    return res.surge_costs[res.surge_costs["contracted"]].iloc[0]


def quote_label(quote: pd.Series) -> str:
    """Return a quote as a reader reads it: the vendor's name, the pricing model, the id.

    >>> quote_label(pd.Series({"quote_id": "Q07", "vendor": "Harbor Contact Services",
    ...                        "pricing_model": "per_seat"}))
    'Harbor Contact Services, per seat (Q07)'
    """
    return _("{vendor}, {model} ({quote})").format(
        vendor=quote["vendor"], model=pricing_model(quote["pricing_model"]),
        quote=quote["quote_id"])


def _number(x: float) -> str:
    """Return a count that may be fractional (seats a day: 8, 8.6) in few digits."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _ramp(res: RiskResult) -> str:
    """Say the vendor's surge ramp: seats a day, and the days before the first ones."""
    s = res.surge
    if s.lead_days == 0:
        return _("the vendor adds {per_day} surge seats a day from the first day").format(
            per_day=_number(s.seats_per_day))
    return plural(s.lead_days, N_("the vendor adds {per_day} surge seats a day after {n} day"),
                  N_("the vendor adds {per_day} surge seats a day after {n} days"),
                  per_day=_number(s.seats_per_day))


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
    terms = res.outage.terms
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
                 note=_ramp(res)),
        Headline("surge_restored", _("Service level back at target from"),
                 None if day is None else float(day), _("day of the surge"),
                 display="" if day is None else _("day {day} of {days}").format(day=day,
                                                                                days=days),
                 missing=_("not within the {days} days").format(days=days)),
        Headline("surge_extra_cost", _("Extra cost of the surge (contracted)"),
                 float(_contracted(res)["as_run"]), cur,
                 note=_("{quote}, as it ran").format(quote=quote_label(_contracted(res)))),
        Headline("outage_expected_loss", _("Expected outage loss a year"),
                 float(res.options.loc[res.options["option"] == "none",
                                       "expected_loss"].iloc[0]), cur,
                 note=plural(terms.outages_per_year, N_("{n:g} outage of {hours:g} h"),
                             N_("{n:g} outages of {hours:g} h"), hours=terms.hours)),
        _best_card(res, best)],
        title=recommendation(res))


def _best_card(res: RiskResult, best: pd.Series) -> Headline:
    """Return the card of the best backup, or say that none pays for itself."""
    if best["option"] == "none":
        return Headline("best_backup_net", _("Best backup"), float(best["net"]),
                        res.currency, display=_("none pays for itself"),
                        note=plural(res.outage.terms.outages_per_year,
                                    N_("at {n:g} outage a year"),
                                    N_("at {n:g} outages a year")))
    return Headline("best_backup_net", _("Best backup: {name}").format(name=term(best["name"])),
                    float(best["net"]), res.currency,
                    note=_("loss avoided less its cost, a year"))


def recommendation(res: RiskResult) -> str:
    """Say in two sentences how the contracted capacity meets the surge, and which backup pays."""
    s, tot = res.surge, res.surge.totals(res.channel)
    need = float(s.seats.loc[s.seats["in_surge"], "seats_needed"].max())
    cheapest = res.surge_costs.sort_values("hold_sla").iloc[0]
    best = _best(res)
    surge_text = _(
        "A {multiplier:g}x surge of {days} holds {sl:.0%} of {channel} in time (target "
        "{target:.0%}) and {lost:,.0f} callers give up for good; holding the target needs up "
        "to {need:,.0f} surge seats at once ({ramp}). Cheapest to hold the target: {quote}, "
        "{cost}.").format(
        multiplier=s.inputs.multiplier, days=plural(s.inputs.days, N_("{n} day"),
                                                    N_("{n} days")),
        sl=tot["service_level"], channel=term(res.channel), target=res.target,
        lost=tot["lost"], need=need, ramp=_ramp(res), quote=quote_label(cheapest),
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
        "A surge of ×{multiplier:g} the forecast on {channels} for {days}, from {first} "
        "to {last}, played out interval by interval ({minutes} minutes); {ramp}.").format(
        multiplier=s.multiplier, channels=", ".join(term(c) for c in s.channels),
        days=plural(s.days, N_("{n} day"), N_("{n} days")), first=day(first),
        last=day(first + pd.Timedelta(days=s.days - 1)), minutes=res.interval_minutes,
        ramp=_ramp(res)))


#: Names of the data the views show (translated with ``term``): pricing models, risk
#: ratings, and the outage's "no backup" option.
_NAMES = (N_("per call"), N_("per minute"), N_("per productive hour"), N_("per seat"),
          N_("hybrid"), N_("No backup"), N_("low"), N_("moderate"), N_("high"),
          N_("extreme"))
#: The risk categories of ``risks.csv`` as a reader reads them.
CATEGORIES = {"data_protection": N_("data protection"),
              "service_interruption": N_("service interruption"), "surge": N_("surge"),
              "attrition_knowledge": N_("attrition and knowledge loss"),
              "brand_culture": N_("brand and culture"),
              "lock_in_exit": N_("lock-in and exit"), "financial": N_("financial"),
              "compliance": N_("compliance")}


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
        N_("category"): [term(CATEGORIES.get(c, c.replace("_", " "))) for c in r["category"]],
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
    c = res.surge_costs
    div, unit, money = _money([c["as_run"], c["hold_sla"]], res.currency)
    as_run = _("as it ran ({currency})").format(currency=unit)
    hold = _("holding the service level ({currency})").format(currency=unit)
    df = pd.DataFrame({
        N_("quote"): c["quote_id"] + (c["contracted"].map({True: _(" (contracted)"),
                                                           False: ""})),
        N_("vendor"): [f"{n} ({v})" if n != v else v
                       for n, v in zip(c["vendor"], c["vendor_id"], strict=True)],
        N_("pricing model"): c["pricing_model"].map(pricing_model),
        N_("channels"): c["channel"].map(term), as_run: c["as_run"] / div,
        hold: c["hold_sla"] / div})
    return styled(df, {as_run: money, hold: money},
                  _("Extra cost of the surge (service charges; the management fee is fixed)"))


def _money(columns: list[pd.Series], currency: str) -> tuple[float, str, str]:
    """Return the divisor, unit ("TWD M") and number format that show amounts in a table.

    The amounts of the columns share one scale
    (:func:`~bpo_analysis.core.present.amount_scale`); millions keep two decimals, so
    that an amount of a few ten thousands still reads.
    """
    div, unit = amount_scale(pd.concat(columns), currency)
    return div, unit, "{:,.2f}" if div >= 1e6 else "{:,.1f}" if div > 1 else "{:,.0f}"


def outage_view(res: RiskResult) -> Styler:
    """Style each backup option: what it must carry, what it costs and what it avoids."""
    o = res.options
    cols = ["expected_loss", "loss_avoided", "annual_cost", "net"]
    div, cur, fmt_money = _money([o[c] for c in cols], res.currency)
    money = {_("expected loss ({currency}/year)").format(currency=cur): o["expected_loss"] / div,
             _("loss avoided ({currency}/year)").format(currency=cur): o["loss_avoided"] / div,
             _("cost ({currency}/year)").format(currency=cur): o["annual_cost"] / div,
             _("net ({currency}/year)").format(currency=cur): o["net"] / div}
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
                       **dict.fromkeys(money, fmt_money), "pays from (outages/year)": "{:,.1f}"},
                  _("Outage of {hours:g} h at a site with {share:.0%} of the agents, {n:g} a "
                    "year").format(hours=terms.hours, share=terms.site_share,
                                   n=terms.outages_per_year))
