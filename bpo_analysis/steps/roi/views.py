"""The ROI review in the report: headline, tables and sentences, with units and currency.

Presents a :class:`~bpo_analysis.steps.roi.step.RoiResult` (the business case, its
measures, tornado and Monte Carlo, and the actuals against the plan): each view turns one
part into a table or a sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, fmt, styled
from bpo_analysis.core.verdicts import DEFAULT_RULES, VerdictRules, carrying_driver, roi_verdict
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import model as roi

if TYPE_CHECKING:
    from bpo_analysis.steps.roi.step import RoiResult

__all__ = ["by_group", "cash_flow_view", "cumulative_plan_actual",
           "headlines", "hidden_costs_view", "measures_view", "plan_actual_view",
           "recommendation", "simulation_view", "tornado_view"]


def _pct(x: float | None, decimals: int = 1) -> str:
    return _("undefined") if x is None or not np.isfinite(x) else fmt(x, "%", decimals)


def _months(x: float | None, horizon: int) -> str:
    return (_("not within {horizon} months").format(horizon=horizon) if x is None
            else _("{months:.1f} months").format(months=x))


def _term_note(res: RoiResult) -> str:
    return (_("the contract term") if res.simulation.term == res.case.contract_term
            else _("the horizon; the contract runs {months} months").format(
                months=res.case.contract_term))


def headlines(res: RoiResult, rules: VerdictRules = DEFAULT_RULES) -> Headlines:
    """Return NPV, IRR, ROI, payback, saving rate and the odds, as cards with units.

    The title is :func:`recommendation` under the verdict ``rules``.
    """
    m, s, cur = res.measures, res.simulation, res.case.currency
    never = _("not within {horizon} months").format(horizon=m.horizon)
    return Headlines([
        Headline("npv", _("NPV at {rate:.1%} a year").format(rate=m.discount_rate), m.npv, cur),
        Headline("irr", _("IRR (a year)"), m.irr, "%", 1, note=m.irr_note),
        Headline("roi", _("ROI over {months} months").format(months=m.horizon), m.roi, "%", 1,
                 missing=_("undefined (no costs)")),
        Headline("payback", _("Payback"), m.payback, _("months"), 1, missing=never),
        Headline("discounted_payback", _("Discounted payback"), m.discounted_payback,
                 _("months"), 1, missing=never),
        Headline("saving_rate", _("Cost-saving rate"), m.saving_rate, "%", 1,
                 missing=_("undefined (no in-house cost)"),
                 note=_("(in-house cost avoided - outsourcing costs) / in-house cost")),
        Headline("p_npv_positive", "P(NPV > 0)", s.p_positive, "%", 0,
                 note=_("{n:,} draws").format(n=len(s.npv))),
        Headline("p_payback_within_term", _("P(payback within {months} months)").format(
                     months=s.term), s.p_payback_within_term, "%", 0, note=_term_note(res)),
        *_baseline(res)],
        title=recommendation(res, rules))


def _baseline(res: RoiResult) -> list[Headline]:
    """Return the baseline card: the money bridge's words and number for it."""
    if res.baseline is None:
        return []
    words, monthly = res.baseline
    return [Headline("baseline_monthly", term(words), monthly,
                     _("{currency} per month in the demand year").format(
                         currency=res.case.currency),
                     note=_("the baseline, as in the money bridge of steps 0 and 1"))]


def recommendation(res: RoiResult, rules: VerdictRules = DEFAULT_RULES) -> str:
    """Say in one sentence whether the move is worth it, how sure, and what moves it most.

    The verdict follows P(NPV > 0) by ``rules`` (:func:`~bpo_analysis.core.verdicts.roi_verdict`),
    not the NPV at the base values. When one driver carries the case -- a positive NPV
    turns negative at that driver's adverse end of the tornado (the largest such,
    :func:`~bpo_analysis.core.verdicts.carrying_driver`) -- the sentence names it and that
    NPV; otherwise the driver that moves the NPV most.
    """
    m, s, cur = res.measures, res.simulation, res.case.currency
    template = {
        "pays": _("{case}: the move pays at {rate:.1%} a year -- NPV {npv} over {months} "
                  "months, payback {payback}; P(NPV > 0) = {p:.0%}{lead}."),
        "coin_flip": _("{case}: the move is a coin flip at {rate:.1%} a year -- NPV {npv} "
                       "over {months} months, payback {payback}; P(NPV > 0) = "
                       "{p:.0%}{lead}."),
        "does_not_pay": _("{case}: the move does not pay at {rate:.1%} a year -- NPV {npv} "
                          "over {months} months, payback {payback}; P(NPV > 0) = "
                          "{p:.0%}{lead}."),
    }[roi_verdict(s.p_positive, rules)]
    return template.format(
        case=res.case.label, rate=m.discount_rate, npv=fmt(m.npv, cur), months=m.horizon,
        payback=_months(m.payback, m.horizon), p=s.p_positive, lead=_lead(res))


def _lead(res: RoiResult) -> str:
    """Return '; churn reduction carries it: at its low assumption the NPV is -X TWD'.

    Or '; churn reduction moves it most' when no driver's end of the tornado turns a
    positive NPV negative; "" without a tornado.
    """
    t, cur = res.tornado, res.case.currency
    if not len(t):
        return ""
    # a case carried by one driver: a positive NPV turns negative at its adverse end
    adverse = {row.driver: min(row.npv_low, row.npv_high) for row in t.itertuples()}
    carrier = carrying_driver(res.measures.npv, adverse) if res.measures.npv > 0 else None
    if carrier is None:
        return _("; {driver} moves it most").format(
            driver=term(t["driver"].iloc[0].replace("_", " ")))
    row = t.set_index("driver").loc[carrier]
    template = (_("; {driver} carries it: at its low assumption the NPV is {npv}")
                if row["npv_low"] <= row["npv_high"] else
                _("; {driver} carries it: at its high assumption the NPV is {npv}"))
    return template.format(driver=term(carrier.replace("_", " ")),
                           npv=fmt(adverse[carrier], cur))


#: The drivers of the business case, as the sentence names them and as the tornado
#: table does (their ids).
_DRIVERS = (N_("volume"), N_("aht"), N_("wage inflation"), N_("price escalation"),
            N_("churn reduction"), N_("transition overrun"), N_("customer value"),
            N_("fcr after"), N_("wage_inflation"), N_("price_escalation"),
            N_("churn_reduction"), N_("transition_overrun"), N_("customer_value"),
            N_("fcr_after"))
#: Cash-flow lines and groups the tables show (translated with ``term``).
_LINES = (N_("Service fees"), N_("Management fee"), N_("Retained (hidden) costs"),
          N_("Vendor set-up fee"), N_("Transition (client)"), N_("Severance"),
          N_("Exit / transition back"), N_("In-house cost avoided"), N_("Churn avoided"),
          N_("Fewer repeat contacts"), N_("Up-sell"), N_("CSAT"), N_("Vendor fees"),
          N_("One-off"), N_("Benefits"))

_DEFINITIONS = {
    N_("NPV"): N_("sum of net flows / (1 + r) ** (t / 12), at go-live"),
    N_("IRR"): N_("the rate at which NPV = 0 (monthly, annualised)"),
    N_("MIRR"): N_("IRR with financing and reinvestment at the discount rate"),
    N_("ROI"): N_("(gains - costs) / costs, nominal over the horizon"),
    N_("Cost-saving rate"): N_("(in-house cost avoided - outsourcing costs) / whole in-house "
                               "cost"),
    N_("Payback"): N_("months until the cumulative net flow stays >= 0"),
    N_("Discounted payback"): N_("the same on discounted flows"),
    N_("Outsourcing costs"): N_("fees, retained (hidden), one-off and exit costs, nominal"),
    N_("Gains"): N_("in-house cost avoided + benefits, nominal"),
}


def _measure_texts(m: roi.Measures, cur: str) -> dict[str, str]:
    return {"NPV": fmt(m.npv, cur),
            "IRR": _pct(m.irr) + ("" if m.irr is not None else f" ({m.irr_note})"),
            "MIRR": (_("{value} a year").format(value=_pct(m.mirr)) if m.mirr is not None
                     else _pct(m.mirr)),
            "ROI": _pct(m.roi), "Cost-saving rate": _pct(m.saving_rate),
            "Payback": _months(m.payback, m.horizon),
            "Discounted payback": _months(m.discounted_payback, m.horizon),
            "Outsourcing costs": fmt(m.costs, cur), "Gains": fmt(m.gains, cur)}


def measures_view(res: RoiResult) -> Styler:
    """Style every measure with its unit and definition.

    With actuals, the plan beside the re-forecast (actuals for the months run, the plan
    after).
    """
    cur = res.case.currency
    cols = {N_("plan") if res.actual else N_("value"): _measure_texts(res.measures, cur)}
    if res.actual:
        cols[_("actual to {month} + plan").format(month=res.actual.last_month)] = (
            _measure_texts(res.actual.reforecast, cur))
    df = pd.DataFrame(cols).rename_axis(N_("measure")).reset_index()
    df[N_("definition")] = df["measure"].map(_DEFINITIONS).map(term)
    df["measure"] = df["measure"].map(term)
    return styled(df, {}, _("Measures over {months} months ({currency}, {rate:.1%} a year)"
                            ).format(months=res.measures.horizon, currency=cur,
                                     rate=res.measures.discount_rate))


def by_group(case: roi.BusinessCase, drivers: dict[str, float] | None = None,
             every: bool = False) -> pd.DataFrame:
    """Return the signed cash flows per month (rows) and comparison group (columns).

    The columns are those with any flow, or ``every`` group -- a dashboard's traces must not
    depend on the sliders; currency.
    """
    lines = roi.line_flows(case, drivers)
    groups: dict[str, np.ndarray] = {}
    for k, v in lines.items():
        g = roi_case.ACTUAL_GROUPS[k]
        groups[g] = groups.get(g, 0.0) + (-1.0 if k in roi.COSTS else 1.0) * v[0]
    out = pd.DataFrame(groups, index=case.months)
    return out if every else out.loc[:, (out != 0).any()]


def cash_flow_view(res: RoiResult) -> Styler:
    """Style every line per contract year, nominal, with the total and its present value.

    Year 0 holds the one-offs before go-live.
    """
    cur, f = res.case.currency, res.flows
    year = np.where(f["t"] > 0, (f["t"] - 1) // 12 + 1, 0)
    wide = f.assign(year=[_("year {n}").format(n=y) if y else _("before go-live")
                          for y in year]).pivot_table(
        index="line", columns="year", values="amount", aggfunc="sum", sort=False)
    wide[_("total")] = wide.sum(axis=1)
    wide[_("present value")] = f.groupby("line", sort=False)["pv"].sum()
    wide = wide.loc[(wide != 0).any(axis=1)]
    wide.loc["Net"] = wide.sum()
    wide.index = wide.index.map(term).rename(N_("line"))
    wide.columns = [f"{c} ({cur})" for c in wide.columns]
    return styled(wide.reset_index(), {c: "{:,.0f}" for c in wide.columns},
                  _("Cash flows by year ({currency}; costs negative)").format(currency=cur))


def hidden_costs_view(res: RoiResult) -> Styler:
    """Style what the quote does not show, nominal over the horizon.

    The client's own transition, severance, retained management costs, the exit, and the
    in-house costs that stay (fixed overhead and the run-off of leases and licences).
    """
    cur, m = res.case.currency, res.measures
    f = res.flows.groupby("line")["amount"].sum()
    rows = [(k, 0.0 - f[k]) for k in ("Transition (client)", "Severance",
                                 "Retained (hidden) costs", "Exit / transition back")]
    rows.append((N_("In-house costs that stay (fixed overhead, run-off)"),
                 m.baseline - m.avoided))
    amount = _("amount ({currency})").format(currency=cur)
    df = pd.DataFrame([(term(k), v) for k, v in rows],
                      columns=[N_("cost not on the quote"), amount])
    df[N_("share of the vendor's fees (%)")] = df[amount] / -(
        f["Service fees"] + f["Management fee"]) * 100
    return styled(df, {amount: "{:,.0f}", "share of the vendor's fees (%)": "{:.1f}"},
                  _("Hidden costs over {months} months ({currency})").format(
                      months=m.horizon, currency=cur))


def tornado_view(res: RoiResult) -> Styler:
    """Style the tornado as a table: each driver's range and the NPV at each end."""
    cur = res.case.currency
    t = res.tornado.rename(columns={
        "npv_low": _("NPV at low ({currency})").format(currency=cur),
        "npv_high": _("NPV at high ({currency})").format(currency=cur),
        "swing": _("swing ({currency})").format(currency=cur), "value": N_("base")})
    t["driver"] = t["driver"].map(term)
    money = {c: "{:,.0f}" for c in t.columns if cur in c}
    return styled(t, {**money, "low": "{:g}", "high": "{:g}", "base": "{:g}"},
                  _("Sensitivity of the NPV, one driver at a time"))


#: The tornado table's own columns (translated on display by ``styled``).
_TORNADO = (N_("driver"), N_("low"), N_("high"))


def simulation_view(res: RoiResult) -> Styler:
    """Style the Monte Carlo's NPV quantiles and odds."""
    s, cur = res.simulation, res.case.currency
    q = s.quantiles((0.05, 0.25, 0.5, 0.75, 0.95))
    rows = [(_("NPV, {p:.0%} quantile").format(p=p), fmt(v, cur)) for p, v in q.items()]
    rows += [(_("NPV, mean"), fmt(float(s.npv.mean()), cur)),
             ("P(NPV > 0)", _pct(s.p_positive)),
             (_("P(payback within {months} months, {note})").format(months=s.term,
                                                                   note=_term_note(res)),
              _pct(s.p_payback_within_term)),
             (_("Draws"), f"{len(s.npv):,}")]
    return styled(pd.DataFrame(rows, columns=[N_("measure"), N_("value")]), {},
                  _("Monte Carlo over the uncertain drivers (triangular, correlated)"))


def plan_actual_view(res: RoiResult) -> Styler:
    """Style the months run so far, per group: plan, actual, variance.

    In currency; costs negative, so a negative variance is worse than planned.
    """
    if res.actual is None:
        raise ValueError("no actuals in this review: run the step with an actuals_file")
    cur = res.case.currency
    g = res.actual.monthly.groupby("group", sort=False)[["plan", "actual"]].sum()
    g = g.loc[(g != 0).any(axis=1)]
    g["variance"] = g["actual"] - g["plan"]
    g["variance (%)"] = g["variance"] / g["plan"].abs().where(g["plan"] != 0) * 100
    g.loc["Net"] = [g["plan"].sum(), g["actual"].sum(), g["variance"].sum(),
                    g["variance"].sum() / abs(g["plan"].sum()) * 100]
    g.index = g.index.map(term).rename(g.index.name)
    g.columns = [f"{term(c)} ({cur})" if c != "variance (%)" else c for c in g.columns]
    return styled(g.reset_index(), {**{c: "{:,.0f}" for c in g.columns if cur in c},
                                    "variance (%)": "{:+.1f}"},
                  _("To {month}: plan against actuals ({currency})").format(
                      month=res.actual.last_month, currency=cur))


#: Words of the plan-against-actuals table (translated with ``term``).
_PLAN_ACTUAL = (N_("Net"), N_("actual"), N_("variance"), N_("variance (%)"))


def cumulative_plan_actual(res: RoiResult) -> pd.DataFrame:
    """Compute the cumulative net flow per month of the plan and of actuals + plan.

    With whether the month has run (``run``).
    """
    if res.actual is None:
        raise ValueError("no actuals in this review: run the step with an actuals_file")
    plan = roi.net_flows(res.case)[0]
    lines = res.actual.lines
    actual = sum(lines[k] for k in roi.GAINS) - sum(lines[k] for k in roi.COSTS)
    return pd.DataFrame({"plan": np.cumsum(plan), "actual + plan": np.cumsum(actual),
                         "run": res.case.months <= res.actual.last_month},
                        index=res.case.months)
