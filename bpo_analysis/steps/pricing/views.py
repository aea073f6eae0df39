"""Step 3 in the report: headline figures and tables, with units and currency.

Pure presentation of a :class:`~bpo_analysis.steps.pricing.step.PricingResult`; no
calculation of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.decision import vendor_label
from bpo_analysis.core.offers import FULL_SCOPE
from bpo_analysis.core.present import Headline, Headlines, amount_scale, styled
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.pricing.decide import partial_scope

if TYPE_CHECKING:
    from bpo_analysis.steps.pricing.step import PricingResult

#: The pricing models as a reader names them ("per_call" in quotes.csv reads "per call";
#: translated with ``term``).
_MODELS = (N_("per call"), N_("per minute"), N_("per productive hour"), N_("per seat"),
           N_("hybrid"))
#: Which test flagged a bid (``driver`` of :func:`~.bids.suspicious_bids`), as shown.
_DRIVERS = {"labour floor": N_("the labour floor"),
            "peer median": N_("the other bids' median"),
            "labour floor and peer median": N_("the labour floor and the other bids' median")}

__all__ = ["break_even_view", "comparison_view", "flags_view", "headlines", "models",
           "risk_view"]


def headlines(res: PricingResult, currency: str) -> Headlines:
    """Return step 3 in numbers: the lowest TCO per contact among the eligible bids.

    The eligible offer covering every channel with the lowest TCO per contact (its
    vendor passes step 2's knock-outs, step 3 does not flag it), its TCO, the share of it
    not on the quote, the selected quote and the bids that are not eligible (shown in the
    tables, never the answer); quotes for one channel are said to be ranked only with the
    quotes for that channel. Vendors by name, their id after it.
    """
    names = res.decision.names
    eligible = res.tco.index[res.standing.reindex(res.tco.index).eq("")]
    best = eligible[0] if len(eligible) else res.tco.index[0]
    b = res.tco.loc[best]
    flagged = res.flags.index[res.flags["flagged"]].tolist()
    months = b["months"]
    items = [
        Headline("lowest_tco_per_contact",
                 _("Lowest eligible TCO per contact: {quote} of {vendor}").format(
                     quote=best, vendor=vendor_label(res.client, b["vendor_id"])),
                 float(b["per_contact"]),
                 _("{currency} per contact over {months} months (nominal)").format(
                     currency=currency, months=months), 1),
        Headline("its_tco_pv", _("Its TCO"), float(b["pv"]),
                 _("{currency} present value over {months} months").format(
                     currency=currency, months=months)),
        Headline("not_on_quote", _("TCO not on its quote"), float(b["not_on_quote"]) * 100,
                 _("% (transition, retained, exit)"), 1),
        Headline("flagged_bids", _("Bids flagged as suspicious"), float(len(flagged)),
                 _("; ").join(_quote_of(res, q) for q in flagged) or _("none"), 0),
    ]
    note = _("Lowest total cost of ownership per contact among the eligible offers covering "
             "every channel: {offer} of {vendor} ({model} pricing), {per_contact:,.1f} "
             "{currency} per contact, {pv:,.0f} {currency} in present value over {months} "
             "months.").format(
        offer=_offer(best, b), vendor=names.get(b["vendor_id"], b["vendor_id"]),
        model=models(b["pricing_model"]), per_contact=b["per_contact"], currency=currency,
        pv=b["pv"], months=months)
    chosen = res.decision.quote
    if chosen is not None and chosen.value in res.tco.index:
        q = res.tco.loc[chosen.value]
        items.append(Headline(
            "selected_tco_per_contact",
            _("Selected: {quote} of {vendor}").format(
                quote=chosen.value, vendor=vendor_label(res.client, q["vendor_id"])),
            float(q["per_contact"]), _("{currency} per contact over {months} months "
                                       "(nominal)").format(currency=currency,
                                                           months=q["months"]), 1))
        if chosen.value != best:
            note += _(" The selected quote {quote} of {vendor} costs {per_contact:,.1f} "
                      "{currency} per contact, {more:.1%} more.").format(
                quote=chosen.value, vendor=names.get(q["vendor_id"], q["vendor_id"]),
                per_contact=q["per_contact"], currency=currency,
                more=q["per_contact"] / b["per_contact"] - 1)
    return Headlines(items, title=note + _scope_notes(res))


def _quote_of(res: PricingResult, quote: str) -> str:
    """Name a quote with its vendor in a sentence: "Q08 of Formosa Connect"."""
    vid = res.tco.loc[quote, "vendor_id"] if quote in res.tco.index else (
        res.flags.loc[quote, "vendor_id"])
    return _("{quote} of {vendor}").format(quote=quote,
                                           vendor=res.decision.names.get(vid, vid))


def _offer(offer_id: str, row: pd.Series) -> str:
    """Name an offer in a sentence: one quote, or a vendor's quotes taken together."""
    if row["combined"]:
        return _("quotes {quotes} taken together").format(quotes=", ".join(row["quotes"]))
    return _("quote {quote}").format(quote=offer_id)


def models(pricing_model: str) -> str:
    """Return an offer's pricing model(s) as a reader names them, in the report language.

    A combination of quotes names each model once.

    >>> models("per_call + per_seat"), models("per_minute + per_minute + per_minute")
    ('per call + per seat', 'per minute')
    """
    names = dict.fromkeys(m.strip().replace("_", " ") for m in str(pricing_model).split("+"))
    return " + ".join(term(m) for m in names)


def _scope_notes(res: PricingResult) -> str:
    """Return the sentences after the answer: bids not eligible, scopes and the warnings."""
    t, standing = res.tco, res.standing.reindex(res.tco.index)
    partial = t.index[t["covers"] != FULL_SCOPE]
    out = [q for q in t.index if standing[q] and standing[q] != partial_scope(t.loc[q, "covers"])]
    note = ""
    if out:
        note += _(" Not eligible, so shown in the tables only: {quotes}.").format(
            quotes=_("; ").join(_("{quote}: {why}").format(quote=_quote_of(res, q),
                                                         why=standing[q]) for q in out))
    if len(partial):
        note += _(" Quotes for one channel only ({quotes}) are ranked only with the quotes for "
                  "the same channel, never per contact against the offers covering every "
                  "channel.").format(quotes=_("; ").join(
                      _("{quote}: {why}").format(quote=q, why=term(t.loc[q, "covers"]))
                      for q in partial))
    combined = t.index[t["combined"]]
    if len(combined):
        note += _(" A vendor's quotes for single channels that together cover every channel "
                  "are priced as one offer ({offers}), the client's one-off transition work "
                  "counted once.").format(offers=_("; ").join(combined))
    for warning in res.notes:
        note += _(" Note: {warning}.").format(warning=warning)
    return note


def _scaled(values: pd.Series, currency: str, *also: pd.Series
            ) -> tuple[list[pd.Series], str, str]:
    """Return amounts scaled for table columns, the unit for their headers, and the format.

    ``values`` and any columns in ``also`` share one scale, from them all: tens of
    millions read "278.0" under "TWD M" (one decimal; two below a hundred millions),
    smaller amounts as they are ("{:,.0f}"); a rounded amount is never "-0".
    """
    cols = [values, *also]
    divisor, unit = amount_scale(pd.concat(cols), currency)
    top = max(float(c.astype(float).abs().max()) for c in cols) / divisor
    decimals = 0 if divisor == 1 else 1 if top >= 100 else 2
    return ([(c.astype(float) / divisor).round(decimals) + 0.0 for c in cols], unit,
            f"{{:,.{decimals}f}}")


def _vendors(res: PricingResult, ids: pd.Series) -> pd.Series:
    """Return each vendor id as its name with the id after it ("Jade Mountain (V01)")."""
    return ids.map(lambda v: vendor_label(res.client, v))


def comparison_view(res: PricingResult, currency: str) -> Styler:
    """Style every offer side by side, like with like, lowest TCO per contact first.

    The offers covering every channel ranked together, then the quotes of each channel;
    the channels each covers and its rank, TCO per contact (nominal), first-year unit
    costs and monthly bill, TCO nominal and in present value (amounts in millions when
    they run to them, the unit in the header).
    """
    t = res.tco
    (month,), month_unit, month_fmt = _scaled(t["year_cost_year1"] / 12, currency)
    (nominal, pv), tco_unit, tco_fmt = _scaled(t["nominal"], currency, t["pv"])
    c = [_("TCO per contact ({currency})").format(currency=currency),
         _("first year per contact ({currency})").format(currency=currency),
         _("per productive hour, first year ({currency})").format(currency=currency),
         _("per month, first year ({currency})").format(currency=month_unit),
         _("TCO nominal ({currency})").format(currency=tco_unit),
         _("TCO present value ({currency})").format(currency=tco_unit)]
    covers = [(_("every channel, quotes combined") if combined else _("every channel"))
              if cover == FULL_SCOPE else term(cover)
              for cover, combined in zip(t["covers"], t["combined"], strict=True)]
    df = pd.DataFrame({
        N_("vendor"): _vendors(res, t["vendor_id"]), N_("covers"): covers,
        N_("rank"): [_("{rank} of {n}").format(rank=r, n=n)
                     for r, n in zip(t["rank"], t["rivals"], strict=True)],
        N_("pricing model"): t["pricing_model"].map(models),
        N_("eligible"): res.standing.reindex(t.index).replace("", _("yes")),
        c[0]: t["per_contact"], c[1]: t["per_contact_year1"].astype(float),
        c[2]: t["per_hour_year1"].astype(float), c[3]: month, c[4]: nominal, c[5]: pv,
        N_("not on the quote"): t["not_on_quote"],
        N_("quote's term (months)"): t["contract_term"]}).rename_axis(N_("quote")).reset_index()
    months = int(res.tco["months"].iloc[0])
    return styled(df, {c[0]: "{:,.1f}", c[1]: "{:,.1f}", c[2]: "{:,.0f}", c[3]: month_fmt,
                       c[4]: tco_fmt, c[5]: tco_fmt, "not on the quote": "{:.1%}"},
                  _("Offers on the client's demand over the same {months} months (a shorter "
                    "contract renewed on its terms), like with like: those covering every "
                    "channel ranked together, then the quotes for each channel alone, lowest "
                    "TCO per contact first in each").format(months=months))


def risk_view(res: PricingResult, currency: str) -> Styler:
    """Style the cost per contact at -/+ the forecast error, with each quote's risk.

    The risk each quote leaves with the client.
    """
    e = res.inputs.forecast_error
    u = res.units
    (extra,), extra_unit, extra_fmt = _scaled(u["shortfall_risk"], currency)
    c = [_("per contact at -{e:.0%} ({currency})").format(e=e, currency=currency),
         _("at forecast ({currency})").format(currency=currency),
         _("at +{e:.0%} ({currency})").format(e=e, currency=currency),
         _("extra cost at -{e:.0%} vs a bill that follows volume ({currency}/year)").format(
             e=e, currency=extra_unit)]
    t = pd.DataFrame({
        N_("vendor"): _vendors(res, u["vendor_id"]),
        N_("pricing model"): u["pricing_model"].map(models),
        c[0]: u["per_contact_low"].astype(float), c[1]: u["per_contact"].astype(float),
        c[2]: u["per_contact_high"].astype(float),
        N_("unit-cost swing"): u["unit_swing"].astype(float).round(3) + 0.0,
        c[3]: extra}).rename_axis(N_("quote")).reset_index()
    one = "{:,.1f}"
    return styled(t, {c[0]: one, c[1]: one, c[2]: one, "unit-cost swing": "{:+.1%}",
                      c[3]: extra_fmt},
                  _("Forecast risk: who carries it (a swing near 0 % leaves it with the "
                    "vendor)"))


def flags_view(res: PricingResult, currency: str) -> Styler:
    """Style the suspicious-bid check of every quote, flagged first."""
    f = res.flags
    c = [h.format(currency=currency) for h in (
        _("{currency} per productive hour"), _("labour floor ({currency}/h)"),
        _("median of the other bids of its labour market ({currency}/h)"))]
    market = [m if m != "default" else _("cities on the default wage floor")
              for m in f["market"]]
    t = pd.DataFrame({
        N_("vendor"): _vendors(res, f["vendor_id"]), N_("city"): f["city"],
        N_("labour market"): market,
        c[0]: f["rate"].astype(float), c[1]: f["labour_floor"].astype(float),
        c[2]: f["peer_median"].astype(float),
        N_("flagged"): f["flagged"].map({True: "FLAGGED", False: "ok"}),
        N_("by"): f["driver"].map(lambda d: term(_DRIVERS.get(d, d))),
        N_("why"): f["reason"]}).rename_axis(N_("quote")).reset_index()
    t = t.sort_values("flagged")
    t["flagged"] = t["flagged"].map({"FLAGGED": _("FLAGGED"), "ok": _("ok")})
    money = "{:,.0f}"
    return styled(t, dict.fromkeys(c, money),
                  _("Suspicious bids: below what an agent costs, or far below the other bids "
                    "of the same labour market"))


def break_even_view(res: PricingResult, currency: str) -> Styler:
    """Style where two quotes' monthly bills cross, and which is cheaper either side."""
    t = res.break_evens.rename(columns={"contacts_per_month": N_("contacts per month"),
                                        "quotes": N_("quotes"),
                                        "cheaper below": N_("cheaper below"),
                                        "cheaper above": N_("cheaper above")})
    t[N_("quotes")] = [_("{a} and {b}").format(a=a, b=b)
                       for a, b in (q.split(" = ") for q in t[N_("quotes")])]
    return styled(t, {"contacts per month": "{:,.0f}"},
                  _("Break-even volumes (monthly bills in {currency}; first contract year)"
                    ).format(currency=currency)
                  if len(t) else _("No two quotes' bills cross in the volume range"))
