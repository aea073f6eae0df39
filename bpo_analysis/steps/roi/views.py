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

from bpo_analysis.core.present import Headline, Headlines, Paragraph, fmt, styled
from bpo_analysis.core.verdicts import DEFAULT_RULES, VerdictRules, carrying_driver, roi_verdict
from bpo_analysis.i18n import N_, _, month_long, plural, term
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import model as roi
from bpo_analysis.steps.roi.words import (
    DEFINITIONS,
    DRIVERS,
    driver_value,
    header,
    irr_note,
    months_said,
    pct,
    scaled,
)

if TYPE_CHECKING:
    from bpo_analysis.steps.roi.step import RoiResult

__all__ = ["actuals_paragraph", "by_group", "cash_flow_view", "cumulative_plan_actual",
           "headlines", "hidden_costs_view", "measures_view", "plan_actual_view",
           "recommendation", "simulation_view", "tornado_view"]


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
        Headline("npv", _("NPV at {rate} a year").format(rate=fmt(m.discount_rate, "%", 1)),
                 m.npv, cur),
        Headline("irr", _("IRR (a year)"), m.irr, "%", 1, note=irr_note(m.irr_note)),
        Headline("roi", _("ROI over {months} months").format(months=m.horizon), m.roi, "%", 1,
                 missing=_("undefined (no costs)")),
        Headline("payback", _("Payback"), m.payback, _("months"), 1, missing=never),
        Headline("discounted_payback", _("Discounted payback"), m.discounted_payback,
                 _("months"), 1, missing=never),
        Headline("saving_rate", _("Cost-saving rate"), m.saving_rate, "%", 1,
                 missing=_("undefined (no in-house cost)"),
                 note=_("(in-house cost avoided − outsourcing costs) ÷ in-house cost")),
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
        "pays": _("{case}: the move pays at {rate} a year — NPV {npv} over {months} "
                  "months, payback {payback}; P(NPV > 0) = {p}{lead}."),
        "coin_flip": _("{case}: the move is a coin flip at {rate} a year — NPV {npv} "
                       "over {months} months, payback {payback}; P(NPV > 0) = {p}{lead}."),
        "does_not_pay": _("{case}: the move does not pay at {rate} a year — NPV {npv} "
                          "over {months} months, payback {payback}; P(NPV > 0) = "
                          "{p}{lead}."),
    }[roi_verdict(s.p_positive, rules)]
    return template.format(
        case=res.case.label, rate=fmt(m.discount_rate, "%", 1), npv=fmt(m.npv, cur),
        months=m.horizon, payback=_months(m.payback, m.horizon), p=fmt(s.p_positive, "%", 0),
        lead=_lead(res))


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
        return _("; {driver} moves it most").format(driver=term(DRIVERS[t["driver"].iloc[0]][1]))
    row = t.set_index("driver").loc[carrier]
    template = (_("; {driver} carries it: at its low assumption the NPV is {npv}")
                if row["npv_low"] <= row["npv_high"] else
                _("; {driver} carries it: at its high assumption the NPV is {npv}"))
    return template.format(driver=term(DRIVERS[carrier][1]), npv=fmt(adverse[carrier], cur))


def _measure_texts(m: roi.Measures, cur: str) -> dict[str, str]:
    return {"NPV": fmt(m.npv, cur),
            "IRR": pct(m.irr) + ("" if m.irr is not None else f" ({irr_note(m.irr_note)})"),
            "MIRR": (_("{value} a year").format(value=pct(m.mirr)) if m.mirr is not None
                     else pct(m.mirr)),
            "ROI": pct(m.roi), "Cost-saving rate": pct(m.saving_rate),
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
        cols[_("actuals to {month}, then the plan").format(
            month=month_long(res.actual.last_month))] = _measure_texts(res.actual.reforecast, cur)
    df = pd.DataFrame(cols).rename_axis(N_("measure")).reset_index()
    df[N_("definition")] = df["measure"].map(DEFINITIONS).map(term)
    df["measure"] = df["measure"].map(term)
    return styled(df, {}, _("Measures over {months} months ({currency}, {rate} a year)"
                            ).format(months=res.measures.horizon, currency=cur,
                                     rate=fmt(res.measures.discount_rate, "%", 1)))


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
    money = list(wide.columns)
    wide, unit, number = scaled(wide, money, cur)
    wide.columns = [header(c, unit) for c in money]
    return styled(wide.reset_index(), dict.fromkeys(wide.columns, number),
                  _("Cash flows by year ({unit}; costs negative)").format(unit=unit))


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
    df = pd.DataFrame([(term(k), v) for k, v in rows],
                      columns=[N_("cost not on the quote"), "amount"])
    df[N_("share of the vendor's fees (%)")] = df["amount"] / -(
        f["Service fees"] + f["Management fee"]) * 100
    df, unit, number = scaled(df, ["amount"], cur)
    amount = header(N_("amount"), unit)
    return styled(df.rename(columns={"amount": amount}),
                  {amount: number, "share of the vendor's fees (%)": "{:.1f}"},
                  _("Hidden costs over {months} months ({unit})").format(
                      months=m.horizon, unit=unit))


def tornado_view(res: RoiResult) -> Styler:
    """Style the tornado as a table: each driver's range and the NPV at each end.

    The drivers by name, their values with their unit ("5.0 %", "2,800 TWD"), the NPVs
    in one scale ("TWD M").
    """
    cur, t = res.case.currency, res.tornado
    money = ["npv_low", "npv_high", "swing"]
    t, unit, number = scaled(t, money, cur)
    out = pd.DataFrame({N_("driver"): [term(DRIVERS[d][0]) for d in t["driver"]]})
    for col, name in (("low", N_("low")), ("value", N_("base")), ("high", N_("high"))):
        out[name] = [driver_value(d, v, cur) for d, v in zip(t["driver"], t[col],
                                                              strict=True)]
    headers = [header(N_("NPV at low"), unit), header(N_("NPV at high"), unit),
               header(N_("swing"), unit)]
    for col, title in zip(money, headers, strict=True):
        out[title] = t[col].to_numpy()
    return styled(out, dict.fromkeys(headers, number),
                  _("Sensitivity of the NPV, one driver at a time"))


def simulation_view(res: RoiResult) -> Styler:
    """Style the Monte Carlo's NPV quantiles and odds."""
    s, cur = res.simulation, res.case.currency
    q = s.quantiles((0.05, 0.25, 0.5, 0.75, 0.95))
    rows = [(_("NPV, {p} quantile").format(p=fmt(p, "%", 0)), fmt(v, cur))
            for p, v in q.items()]
    rows += [(_("NPV, mean"), fmt(float(s.npv.mean()), cur)),
             ("P(NPV > 0)", pct(s.p_positive)),
             (_("P(payback within {months} months, {note})").format(months=s.term,
                                                                   note=_term_note(res)),
              pct(s.p_payback_within_term)),
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
    g.index = g.index.map(term).rename(N_("cash flow"))
    money = ["plan", "actual", "variance"]
    g, unit, number = scaled(g, money, cur)
    g.columns = [header(c, unit) if c in money else c for c in g.columns]
    return styled(g.reset_index(), {**{header(c, unit): number for c in money},
                                    "variance (%)": "{:+.1f}"},
                  _("Plan against actuals to {month} ({unit})").format(
                      month=month_long(res.actual.last_month), unit=unit))


#: Words of the plan-against-actuals table (translated with ``term``).
_PLAN_ACTUAL = (N_("Net"), N_("actual"), N_("variance"), N_("variance (%)"))


def actuals_paragraph(res: RoiResult) -> Paragraph:
    """Say what the months of actuals leave blank, so the re-forecast keeps the plan's value.

    One sentence per measure not reported ("The actuals give no churn rate for January
    2026 to June 2026 (6 months): ..."); that every measure is reported otherwise.
    """
    if res.actual is None:
        raise ValueError("no actuals in this review: run the step with an actuals_file")
    said = [_("The actuals give no {measure} for {months} ({count}): the re-forecast uses "
              "the plan's value for those months.").format(
                measure=term(roi_case.MISSING[col]), months=months_said(months),
                count=plural(len(months), N_("{n} month"), N_("{n} months")))
            for col, months in res.actual.missing]
    return Paragraph(" ".join(said) or _(
        "Every month of actuals reports first-contact resolution, churn rate and customer "
        "satisfaction: nothing in the re-forecast is taken from the plan."))


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
