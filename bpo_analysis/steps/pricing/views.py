"""Step 3 in the report: headline figures and tables, with units and currency.

Pure presentation of a :class:`~bpo_analysis.steps.pricing.step.PricingResult`; no
calculation of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, styled
from bpo_analysis.i18n import N_, _, term

if TYPE_CHECKING:
    from bpo_analysis.steps.pricing.step import PricingResult

#: The pricing models as the quotes name them (translated with ``term``).
_MODELS = (N_("per_call"), N_("per_minute"), N_("per_productive_hour"), N_("per_seat"),
           N_("hybrid"))

__all__ = ["break_even_view", "comparison_view", "flags_view", "headlines", "risk_view"]


def headlines(res: PricingResult, currency: str) -> Headlines:
    """Return step 3 in numbers: the quote with the lowest TCO per contact.

    The quote with the lowest TCO per contact, its TCO, the share of it not on the quote,
    and the bids flagged.
    """
    best = res.tco.index[0]
    b = res.tco.loc[best]
    flagged = res.flags.index[res.flags["flagged"]].tolist()
    items = [
        Headline("lowest_tco_per_contact", _("Lowest TCO per contact: {quote} ({vendor})").format(
                     quote=best, vendor=b["vendor_id"]),
                 float(b["per_contact"]),
                 _("{currency} per contact over {months} months (nominal)").format(
                     currency=currency, months=b["months"]), 1),
        Headline("its_tco_pv", _("Its TCO"), float(b["pv"]),
                 _("{currency} present value over {months} months").format(
                     currency=currency, months=b["months"])),
        Headline("not_on_quote", _("TCO not on its quote"), float(b["not_on_quote"]) * 100,
                 _("% (transition, retained, exit)"), 1),
        Headline("flagged_bids", _("Bids flagged as suspicious"), float(len(flagged)),
                 ", ".join(flagged) or _("none"), 0),
    ]
    note = _("Lowest total cost of ownership per contact: quote {quote} of {vendor} ({model}), "
             "{per_contact:,.1f} {currency} per contact, {pv:,.0f} {currency} in present value "
             "over {months} months.").format(
        quote=best, vendor=b["vendor_id"], model=term(b["pricing_model"]),
        per_contact=b["per_contact"], currency=currency, pv=b["pv"], months=b["months"])
    if best in flagged:
        ok = res.tco.index[~res.tco.index.isin(flagged)]
        if len(ok):
            note += _(" It is flagged as below cost; the lowest unflagged is {quote} of {vendor} "
                      "at {per_contact:,.1f} {currency} per contact.").format(
                quote=ok[0], vendor=res.tco.loc[ok[0], "vendor_id"],
                per_contact=res.tco.loc[ok[0], "per_contact"], currency=currency)
    elif flagged:
        note += _(" Flagged as below cost: {quotes}.").format(quotes=", ".join(flagged))
    for warning in res.notes:
        note += _(" Note: {warning}.").format(warning=warning)
    return Headlines(items, title=note)


def comparison_view(res: PricingResult, currency: str) -> Styler:
    """Style every quote side by side, lowest TCO per contact first.

    TCO per contact (nominal), first-year unit costs and monthly bill, TCO nominal and in
    present value.
    """
    t = res.tco.join(res.units[["per_contact", "per_hour", "year_cost"]].add_suffix("_year1"))
    c = [h.format(currency=currency) for h in (
        _("TCO per contact ({currency})"), _("first year per contact ({currency})"),
        _("per productive hour, first year ({currency})"),
        _("per month, first year ({currency})"), _("TCO nominal ({currency})"),
        _("TCO present value ({currency})"))]
    t = pd.DataFrame({
        N_("vendor"): t["vendor_id"], N_("pricing model"): t["pricing_model"].map(term),
        c[0]: t["per_contact"], c[1]: t["per_contact_year1"].astype(float),
        c[2]: t["per_hour_year1"].astype(float), c[3]: t["year_cost_year1"].astype(float) / 12,
        c[4]: t["nominal"], c[5]: t["pv"], N_("not on the quote"): t["not_on_quote"],
        N_("quote's term (months)"): t["contract_term"]}).rename_axis(N_("quote")).reset_index()
    money = "{:,.0f}"
    months = int(res.tco["months"].iloc[0])
    return styled(t, {c[0]: "{:,.1f}", c[1]: "{:,.1f}", c[2]: money, c[3]: money,
                      c[4]: money, c[5]: money, "not on the quote": "{:.1%}"},
                  _("Quotes on the client's demand over the same {months} months (a shorter "
                    "contract renewed on its terms), lowest TCO per contact first").format(
                      months=months))


def risk_view(res: PricingResult, currency: str) -> Styler:
    """Style the cost per contact at -/+ the forecast error, with each quote's risk.

    The risk each quote leaves with the client.
    """
    e = res.inputs.forecast_error
    u = res.units
    c = [h.format(e=e, currency=currency) for h in (
        _("per contact at -{e:.0%} ({currency})"), _("at forecast ({currency})"),
        _("at +{e:.0%} ({currency})"),
        _("extra cost at -{e:.0%} vs a bill that follows volume ({currency}/year)"))]
    t = pd.DataFrame({
        N_("vendor"): u["vendor_id"], N_("pricing model"): u["pricing_model"].map(term),
        c[0]: u["per_contact_low"].astype(float), c[1]: u["per_contact"].astype(float),
        c[2]: u["per_contact_high"].astype(float),
        N_("unit-cost swing"): u["unit_swing"].astype(float),
        c[3]: u["shortfall_risk"].astype(float)}).rename_axis(N_("quote")).reset_index()
    one = "{:,.1f}"
    return styled(t, {c[0]: one, c[1]: one, c[2]: one, "unit-cost swing": "{:+.1%}",
                      c[3]: "{:,.0f}"},
                  _("Forecast risk: who carries it (a swing near 0 leaves it with the vendor)"))


def flags_view(res: PricingResult, currency: str) -> Styler:
    """Style the suspicious-bid check of every quote, flagged first."""
    f = res.flags
    c = [h.format(currency=currency) for h in (
        _("{currency} per productive hour"), _("labour floor ({currency}/h)"),
        _("peers' median ({currency}/h)"))]
    t = pd.DataFrame({
        N_("vendor"): f["vendor_id"], N_("city"): f["city"],
        c[0]: f["rate"].astype(float), c[1]: f["labour_floor"].astype(float),
        c[2]: f["peer_median"].astype(float),
        N_("flagged"): f["flagged"].map({True: "FLAGGED", False: "ok"}), N_("by"): f["driver"],
        N_("why"): f["reason"]}).rename_axis(N_("quote")).reset_index()
    t = t.sort_values("flagged")
    t["flagged"] = t["flagged"].map({"FLAGGED": _("FLAGGED"), "ok": _("ok")})
    money = "{:,.0f}"
    return styled(t, dict.fromkeys(c, money),
                  _("Suspicious bids: below what an agent costs, or far below the others"))


def break_even_view(res: PricingResult, currency: str) -> Styler:
    """Style where two quotes' monthly bills cross, and which is cheaper either side."""
    t = res.break_evens.rename(columns={"contacts_per_month": N_("contacts per month"),
                                        "quotes": N_("quotes"),
                                        "cheaper below": N_("cheaper below"),
                                        "cheaper above": N_("cheaper above")})
    return styled(t, {"contacts per month": "{:,.0f}"},
                  _("Break-even volumes (monthly bills in {currency}; first contract year)"
                    ).format(currency=currency)
                  if len(t) else _("No two quotes' bills cross in the volume range"))
