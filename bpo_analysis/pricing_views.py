"""Step 3 in the report: headline figures and tables, with units and currency.

Pure presentation of :mod:`bpo_analysis.pricing` results; no calculation of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from . import pricing
from .io import Client
from .present import Headline, Headlines, styled

__all__ = ["PricingResult", "break_even_view", "comparison_view", "finalists", "flags_view",
           "headlines", "price_all", "risk_view"]


@dataclass(frozen=True)
class PricingResult:
    """Everything step 3 shows, computed once for the report and each dashboard move."""

    inputs: pricing.PricingInputs
    term: pd.DataFrame
    tco: pd.DataFrame
    units: pd.DataFrame
    flags: pd.DataFrame
    curves: pd.DataFrame
    break_evens: pd.DataFrame
    notes: tuple[str, ...] = ()


def price_all(client: Client, inputs: pricing.PricingInputs | None = None,
              plans: pricing.Plans | None = None,
              curves: pd.DataFrame | None = None) -> PricingResult:
    """Term costs, TCO, unit costs, flags and cost curves for ``inputs`` (``curves`` may
    be passed: they do not depend on the volume slider)."""
    inputs = inputs or pricing.PricingInputs()
    plans = plans or pricing.Plans(client)
    rate = client.scenario.discount_rate if inputs.discount_rate is None else (
        inputs.discount_rate)
    term = pricing.term_costs(client, inputs, plans)
    units = pricing.unit_costs(client, inputs, plans)
    curves = pricing.cost_curves(client, inputs, plans) if curves is None else curves
    terms = client.quotes.set_index("quote_id")["contract_term_months"]
    return PricingResult(inputs, term, pricing.tco_summary(term, rate, terms), units,
                         pricing.suspicious_bids(client, units), curves,
                         pricing.break_evens(curves, dict(zip(
                             client.quotes["quote_id"], client.quotes["channel"],
                             strict=True))),
                         tuple(pricing.minimum_warnings(client, curves)))


def finalists(client: Client, res: PricingResult) -> list[str]:
    """The quote with the lowest TCO per contact of each vendor past step 2's knock-out
    rules (price from this step), in TCO-per-contact order."""
    from .scoring import knock_out, survivors

    prices = res.units.groupby("vendor_id")["per_contact"].min()
    left = survivors(knock_out(client, prices), list(client.vendors["vendor_id"]))
    best = res.tco[res.tco["vendor_id"].isin(left)].groupby("vendor_id", sort=False).head(1)
    return list(best.index)


def headlines(res: PricingResult, currency: str) -> Headlines:
    """The quote with the lowest TCO per contact, its TCO, the share of it not on the
    quote, and the bids flagged."""
    best = res.tco.index[0]
    b = res.tco.loc[best]
    flagged = res.flags.index[res.flags["flagged"]].tolist()
    items = [
        Headline("lowest_tco_per_contact", f"Lowest TCO per contact: {best} ({b['vendor_id']})",
                 float(b["per_contact"]),
                 f"{currency} per contact over {b['months']} months (nominal)", 1),
        Headline("its_tco_pv", "Its TCO", float(b["pv"]),
                 f"{currency} present value over {b['months']} months"),
        Headline("not_on_quote", "TCO not on its quote", float(b["not_on_quote"]) * 100,
                 "% (transition, retained, exit)", 1),
        Headline("flagged_bids", "Bids flagged as suspicious", float(len(flagged)),
                 ", ".join(flagged) or "none", 0),
    ]
    note = (f"Lowest total cost of ownership per contact: quote {best} of {b['vendor_id']} "
            f"({b['pricing_model']}), {b['per_contact']:,.1f} {currency} per contact, "
            f"{b['pv']:,.0f} {currency} in present value over {b['months']} months.")
    if best in flagged:
        ok = res.tco.index[~res.tco.index.isin(flagged)]
        if len(ok):
            note += (f" It is flagged as below cost; the lowest unflagged is {ok[0]} of "
                     f"{res.tco.loc[ok[0], 'vendor_id']} at "
                     f"{res.tco.loc[ok[0], 'per_contact']:,.1f} {currency} per contact.")
    elif flagged:
        note += f" Flagged as below cost: {', '.join(flagged)}."
    for warning in res.notes:
        note += f" Note: {warning}."
    return Headlines(items, title=note)


def comparison_view(res: PricingResult, currency: str) -> Styler:
    """Every quote: TCO per contact (nominal), first-year unit costs and monthly bill,
    TCO nominal and in present value; lowest TCO per contact first."""
    t = res.tco.join(res.units[["per_contact", "per_hour", "year_cost"]].add_suffix("_year1"))
    t = pd.DataFrame({
        "vendor": t["vendor_id"], "pricing model": t["pricing_model"],
        f"TCO per contact ({currency})": t["per_contact"],
        f"first year per contact ({currency})": t["per_contact_year1"].astype(float),
        f"per productive hour, first year ({currency})": t["per_hour_year1"].astype(float),
        f"per month, first year ({currency})": t["year_cost_year1"].astype(float) / 12,
        f"TCO nominal ({currency})": t["nominal"], f"TCO present value ({currency})": t["pv"],
        "not on the quote": t["not_on_quote"],
        "quote's term (months)": t["contract_term"]}).rename_axis("quote").reset_index()
    money = "{:,.0f}"
    months = int(res.tco["months"].iloc[0])
    return styled(t, {f"TCO per contact ({currency})": "{:,.1f}",
                      f"first year per contact ({currency})": "{:,.1f}",
                      f"per productive hour, first year ({currency})": money,
                      f"per month, first year ({currency})": money,
                      f"TCO nominal ({currency})": money,
                      f"TCO present value ({currency})": money, "not on the quote": "{:.1%}"},
                  f"Quotes on the client's demand over the same {months} months (a shorter "
                  "contract renewed on its terms), lowest TCO per contact first")


def risk_view(res: PricingResult, currency: str) -> Styler:
    """Cost per contact at -/+ the forecast error and the risk each quote leaves with the
    client."""
    e = res.inputs.forecast_error
    u = res.units
    t = pd.DataFrame({
        "vendor": u["vendor_id"], "pricing model": u["pricing_model"],
        f"per contact at -{e:.0%} ({currency})": u["per_contact_low"].astype(float),
        f"at forecast ({currency})": u["per_contact"].astype(float),
        f"at +{e:.0%} ({currency})": u["per_contact_high"].astype(float),
        "unit-cost swing": u["unit_swing"].astype(float),
        f"extra cost at -{e:.0%} vs a bill that follows volume ({currency}/year)":
            u["shortfall_risk"].astype(float)}).rename_axis("quote").reset_index()
    one = "{:,.1f}"
    return styled(t, {f"per contact at -{e:.0%} ({currency})": one,
                      f"at forecast ({currency})": one, f"at +{e:.0%} ({currency})": one,
                      "unit-cost swing": "{:+.1%}",
                      f"extra cost at -{e:.0%} vs a bill that follows volume "
                      f"({currency}/year)": "{:,.0f}"},
                  "Forecast risk: who carries it (a swing near 0 leaves it with the vendor)")


def flags_view(res: PricingResult, currency: str) -> Styler:
    """The suspicious-bid check of every quote, flagged first."""
    f = res.flags
    t = pd.DataFrame({
        "vendor": f["vendor_id"], "city": f["city"],
        f"{currency} per productive hour": f["rate"].astype(float),
        f"labour floor ({currency}/h)": f["labour_floor"].astype(float),
        f"peers' median ({currency}/h)": f["peer_median"].astype(float),
        "flagged": f["flagged"].map({True: "FLAGGED", False: "ok"}), "by": f["driver"],
        "why": f["reason"]}).rename_axis("quote").reset_index()
    t = t.sort_values("flagged")
    money = "{:,.0f}"
    return styled(t, {f"{currency} per productive hour": money,
                      f"labour floor ({currency}/h)": money,
                      f"peers' median ({currency}/h)": money},
                  "Suspicious bids: below what an agent costs, or far below the others")


def break_even_view(res: PricingResult, currency: str) -> Styler:
    """Where two quotes' monthly bills cross, and which is cheaper either side."""
    t = res.break_evens.rename(columns={"contacts_per_month": "contacts per month"})
    return styled(t, {"contacts per month": "{:,.0f}"},
                  f"Break-even volumes (monthly bills in {currency}; first contract year)"
                  if len(t) else "No two quotes' bills cross in the volume range")
