"""The decision summary's page: the recommendation, the cards and five short tables.

Every value is a number of a step's result, formatted with its unit (or a difference of two
of them: a saving, a premium), and every row names the step report it comes from, as a link
(the reports sit side by side in one folder).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.inhouse import AS_IS, SAME_SERVICE
from bpo_analysis.core.present import Headline, Headlines, fmt, styled
from bpo_analysis.core.verdicts import roi_verdict, sourcing_verdict
from bpo_analysis.data.models import SOURCING_FORMS
from bpo_analysis.i18n import N_, _, term

if TYPE_CHECKING:
    from bpo_analysis.steps.summary.step import SummaryResult

__all__ = ["REPORTS", "contract_table", "headlines", "maturity_table", "money_table",
           "recommendation", "risk_table", "vendor_table"]

#: Step number -> the report file its rows link to.
REPORTS = {0: "00_client_profile", 1: "01_sourcing_model", 2: "02_vendor_evaluation",
           3: "03_pricing_tco", 4: "04_contract_sla", 5: "05_performance_review",
           6: "06_roi_review", 7: "07_risk_continuity", 8: "08_maturity"}

_VERDICT = {"pays": N_("pays"), "coin_flip": N_("is a coin flip"),
            "does_not_pay": N_("does not pay")}


def _name(res: SummaryResult, vendor: str) -> str:
    return res.decision.names.get(vendor, vendor)


def _label(res: SummaryResult, value: object) -> str:
    """Return vendors as "Jade Mountain Teleservices (V01)", a backup option by its name."""
    values = value if isinstance(value, tuple) else (value,)
    return _(", ").join(str(v) if _name(res, v) == v else _name(res, v) if str(v).islower()
                     else f"{_name(res, v)} ({v})" for v in values)


def _option(res: SummaryResult, rank: int) -> tuple[str, float]:
    """Return the decision's form (rank 0) or the cheapest other option (rank 1), a month."""
    s = res.sourcing.summary.sort_values("total")
    form = SOURCING_FORMS[res.decision.form.value]
    name = form if rank == 0 else str(s.index[s.index != form][0])
    return name, float(s.loc[name, "per_month"])


def _level(res: SummaryResult, row: str) -> float:
    b = res.sourcing.bridge
    return float(b.loc[b["row"] == row, "total"].iloc[0])


def _today(res: SummaryResult) -> float:
    """Return today's whole cost a month (with the incumbent's fees, if any)."""
    return res.sourcing.today_level[1]


def _quote(res: SummaryResult) -> pd.Series:
    return res.pricing.tco.loc[res.decision.quote.value]


def _bill(res: SummaryResult) -> float:
    """Return the selected quote's monthly bill in its first contract year (step 3)."""
    return float(res.pricing.units.loc[res.decision.quote.value, "year_cost"]) / 12


def _more_less(amount: float, currency: str) -> str:
    return (_("{amount} more").format(amount=fmt(amount, currency)) if amount > 0
            else _("{amount} less").format(amount=fmt(-amount, currency)))


def recommendation(res: SummaryResult) -> str:
    """Return the recommendation in a paragraph: what, with whom, what it costs, how sure.

    The finding first (the form and the vendor, what the form costs at market prices
    against both in-house baselines, what the selected quote bills), then why this vendor
    and what choosing it over the lowest eligible bid costs, a tie on cost when the
    runner-up form is within the forecast error, the business case's verdict by its odds,
    and any flagged choice.
    """
    d, cur = res.decision, res.currency
    form, chosen = _option(res, 0)
    same, today = _level(res, SAME_SERVICE), _today(res)
    if form == "In-house":
        text = _("Keep the contact centre in-house, staffed for the service targets: it "
                 "costs {chosen} a month, {today} than today.").format(
            chosen=fmt(chosen, cur), today=_more_less(chosen - today, cur))
    else:
        text = _("To meet the service targets, outsource the contact centre — {form} — to "
                 "{vendor}, quote {quote}. At market prices the form costs {chosen} a month "
                 "(step 1): {same} than staffing the targets in-house, and {today} than "
                 "today, when they are not met; the quote bills {bill} a month in its first "
                 "contract year (step 3).").format(
            form=term(form), vendor=_name(res, d.vendor.value), quote=d.quote.value,
            chosen=fmt(chosen, cur), same=_more_less(chosen - same, cur),
            today=_more_less(chosen - today, cur), bill=fmt(_bill(res), cur))
    vendor, q = d.vendor.value, _quote(res)
    order = list(res.vendors.ranking.table().index)
    if form == "In-house":
        order = []  # no vendor to justify: the vendor and quote lines are not said
    if vendor in order:
        text += " " + _("{vendor} ranks {rank} of the {n} vendors past the knock-outs and "
                        "first in {stable} of the weightings tried; its quote costs "
                        "{per_contact} over {months} months.").format(
            vendor=_name(res, vendor), rank=order.index(vendor) + 1, n=len(order),
            stable=fmt(float(res.vendors.stability.loc[vendor, "P(rank 1)"]), "%", 1),
            per_contact=fmt(q["per_contact"], _("{currency} per contact").format(
                currency=cur), 1), months=int(q["months"]))
    tco, standing = res.pricing.tco, res.pricing.standing
    eligible = tco[standing.reindex(tco.index).eq("")]
    premium = float(q["pv"] - eligible["pv"].iloc[0]) if len(eligible) else 0.0
    if form != "In-house" and premium > 0 and eligible.index[0] != d.quote.value:
        cheapest = eligible.index[0]
        other = eligible.loc[cheapest, "vendor_id"]
        if other == vendor:  # the same vendor's cheaper offer (its channel quotes together)
            text += " " + _("{vendor}'s own offer {cheapest} costs {premium} less over the "
                            "term in present value; the later steps work on one quote, "
                            "{quote}.").format(vendor=_name(res, vendor), cheapest=cheapest,
                                               premium=fmt(premium, cur), quote=d.quote.value)
        else:
            text += " " + _("The lowest eligible bid, {cheapest} of {other}, costs {premium} "
                            "less over the term in present value: the premium buys step 2's "
                            "ranking.").format(cheapest=cheapest, other=_name(res, other),
                                               premium=fmt(premium, cur))
    runner, runner_cost = _option(res, 1)
    if runner_cost >= chosen and sourcing_verdict(chosen, runner_cost, res.rules) == "tie":
        text += " " + _("{runner} is within the forecast error of the chosen form ({gap} "
                        "more over the demand year at market prices): a tie on cost.").format(
            runner=term(runner), gap=fmt(res.sourcing.headline["margin_over_next"].value, cur))
    m, sim = res.roi.measures, res.roi.simulation
    text += " " + _("The business case against the baseline “{baseline}” {verdict}: NPV {npv} "
                    "over {months} months (plan), P(NPV > 0) = {p}.").format(
        baseline=term(res.roi.baseline[0]),
        verdict=term(_VERDICT[roi_verdict(sim.p_positive, res.rules)]), npv=fmt(m.npv, cur),
        months=m.horizon, p=fmt(sim.p_positive, "%", 0))
    flags = [f"{_label(res, getattr(d, role).value)} {flag}" for role, flag in d.flags.items()]
    if flags:
        text += " " + _("Flagged: {flags}.").format(flags=_("; ").join(flags))
    return text


def headlines(res: SummaryResult) -> Headlines:
    """Return the summary's cards: the vendor, its bill, the form against both baselines."""
    cur = res.currency
    _form, chosen = _option(res, 0)
    per_month = _("{currency} per month").format(currency=cur)
    d = res.decision
    vs_today = _today(res) - chosen
    items = [
        Headline("vendor", _("Selected vendor"), 1.0, "", display=_name(res, d.vendor.value),
                 note=_("quote {quote}, {origin}").format(quote=d.quote.value,
                                                         origin=d.quote.origin)),
        Headline("quote_monthly", _("Quote {quote}, first contract year").format(
                     quote=d.quote.value), _bill(res), per_month),
        Headline("saving_vs_same_service",
                 _("Saving of the form against the same service in-house"),
                 _level(res, SAME_SERVICE) - chosen, per_month,
                 note=_("at market prices (step 1)")),
        Headline("saving_vs_today", _("Saving of the form against today's cost (as is)"),
                 vs_today, per_month,
                 note=_("negative: it costs more than today, when the service targets are not "
                        "met (see the money bridge)") if vs_today < 0 else ""),
        Headline("npv", _("NPV of the business case (plan)"), res.roi.measures.npv, cur,
                 note=_("P(NPV > 0) = {p}").format(p=fmt(res.roi.simulation.p_positive, "%",
                                                          0))),
        Headline("expected_credits", _("Expected service credits a year"),
                 float(res.contract.payout["net"].mean()),
                 _("{currency} a year").format(currency=cur),
                 note=_("paid back by the vendor, if it performs as the incumbent has")),
    ]
    return Headlines(items, title=recommendation(res))


def _table(res: SummaryResult, rows: list[tuple[str, str, int]], caption: str) -> Styler:
    """Style (item, value, step) rows with a link to each step's report."""
    df = pd.DataFrame({N_("item"): [r[0] for r in rows], N_("value"): [r[1] for r in rows],
                       N_("report"): [r[2] for r in rows]})
    sty = styled(df, {}, caption)
    link, suffix = _("step {n}"), res.inputs.get("links", ".html")
    return sty.format(lambda n: f'<a href="{REPORTS[n]}{suffix}">{link.format(n=n)}</a>',
                      subset=[term(N_("report"))], escape=None)


def money_table(res: SummaryResult) -> Styler:
    """Style the money: today, the same service, the chosen option, the runner-up, the case."""
    cur = res.currency
    per_month = _("{currency} per month").format(currency=cur)
    form, chosen = _option(res, 0)
    runner, runner_cost = _option(res, 1)
    q, m = _quote(res), res.roi.measures
    rows = [
        (term(AS_IS), fmt(_level(res, AS_IS), per_month), 0),
        *([(term(res.sourcing.today_level[0]), fmt(_today(res), per_month), 1)]
          if res.sourcing.today_level[0] != AS_IS else []),
        (term(SAME_SERVICE), fmt(_level(res, SAME_SERVICE), per_month), 1),
        (_("Chosen form: {option}, at market prices").format(option=term(form)),
         fmt(chosen, per_month), 1),
        (_("Runner-up form: {option}, at market prices").format(option=term(runner)),
         fmt(runner_cost, per_month), 1),
        (_("Quote {quote}, first contract year").format(quote=res.decision.quote.value),
         fmt(_bill(res), per_month), 3),
        (_("Quote {quote}: TCO over {months} months").format(
            quote=res.decision.quote.value, months=int(q["months"])),
         fmt(q["pv"], _("{currency} present value").format(currency=cur)), 3),
        (_("Business case: NPV at {rate} a year").format(rate=fmt(m.discount_rate, "%", 1)),
         _("{npv}; P(NPV > 0) = {p}").format(npv=fmt(m.npv, cur),
                                             p=fmt(res.roi.simulation.p_positive, "%", 0)), 6),
    ]
    return _table(res, rows, _("The money: today, the same service, the options"))


def vendor_table(res: SummaryResult) -> Styler:
    """Style the vendor and why: rank, stability, knock-outs passed, price."""
    v = res.decision.vendor.value
    ko = res.vendors.knock_outs
    own = ko[ko["vendor_id"] == v]
    order = list(res.vendors.ranking.table().index)
    eligible = res.pricing.tco[res.pricing.standing.reindex(res.pricing.tco.index).eq("")]
    q = res.decision.quote.value
    rows = [
        (_("Vendor"), _label(res, v), 2),
        (_("Rank past the knock-outs"), _("{rank} of {n}").format(
            rank=order.index(v) + 1 if v in order else "-", n=len(order)), 2),
        (_("Ranks first when weights vary"), fmt(
            float(res.vendors.stability.loc[v, "P(rank 1)"]) if v in order else 0.0, "%", 1), 2),
        (_("Knock-out rules passed"), _("{passed} of {n}").format(
            passed=int(own["passed"].sum()), n=len(own)), 2),
        (_("Price: TCO per contact of {quote}").format(quote=q), fmt(
            _quote(res)["per_contact"], _("{currency} per contact").format(
                currency=res.currency), 1), 3),
        (_("Price rank among eligible bids"), _("{rank} of {n}").format(
            rank=list(eligible.index).index(q) + 1 if q in eligible.index else "-",
            n=len(eligible)), 3),
    ]
    return _table(res, rows, _("The vendor and why"))


def contract_table(res: SummaryResult) -> Styler:
    """Style the contract: the amount at risk and the expected credits."""
    c, cur = res.contract, res.currency
    invoice = c.selected_invoice if c.selected_invoice is not None else float(c.invoice.mean())
    net = c.payout["net"]
    rows = [
        (_("Amount at risk a month ({share} of the invoice)").format(
            share=fmt(c.terms.at_risk_share, "%", 0)), fmt(invoice * c.terms.at_risk_share,
                                             _("{currency} per month").format(currency=cur)), 4),
        (_("Expected service credits a year"), fmt(float(net.mean()), cur), 4),
        (_("In a bad year (95th percentile)"), fmt(float(np.percentile(net, 95)), cur), 4),
    ]
    return _table(res, rows, _("The contract"))


def risk_table(res: SummaryResult) -> Styler:
    """Style the three largest risks with their mitigations, and the backup."""
    top = res.risk.tables["top_risks"].data.head(3)  # step 7's own table, in its language
    rows = [(_("{title} ({rating}; {residual} after mitigation)").format(
                title=title, rating=rating, residual=residual), mitigation, 7)
            for title, rating, mitigation, residual in
            zip(top.iloc[:, 1], top.iloc[:, 3], top.iloc[:, 4], top.iloc[:, 7], strict=True)]
    o = res.risk.options
    b = res.decision.backup
    if b is not None:
        row = o[o["option"] == b.value].iloc[0]
        rows.append((_("Backup: {name}").format(name=term(row["name"])),
                     _("{net} a year net (loss avoided − cost)").format(
                         net=fmt(float(row["net"]), res.currency)), 7))
    inc = res.decision.incumbent
    if inc is not None:
        rows.append((_("Incumbent under review: {vendors}").format(
            vendors=_label(res, inc.value)), _("reviewed every month from its raw records"), 5))
    return _table(res, rows, _("The largest risks and the backup"))


def maturity_table(res: SummaryResult) -> Styler:
    """Style maturity now and what to target next."""
    h = res.maturity.headline["overall"]
    names = res.maturity.tables["kpis"].data.iloc[:, 0]  # the KPIs' names, in the language
    kpis = _(", ").join(map(str, names.iloc[:3])) if len(names) else "-"
    rows = [(_("Maturity now"), h.text, 8), (_("KPIs to target next"), kpis, 8)]
    return _table(res, rows, _("Maturity: now and next"))
