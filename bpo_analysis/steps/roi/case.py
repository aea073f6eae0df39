"""The business case built from a client's data, and the actuals compared with it.

:func:`business_case` prices the signed quote over the horizon with
:func:`bpo_analysis.core.quotes.term_costs` (the staffing engine on the grown demand,
escalation from the quote's own year, the client's transition, retained and exit costs
from ``tco.yaml``) and the in-house baseline with :func:`bpo_analysis.core.inhouse.
centre_over_horizon` (``baseline: same_service``: the centre staffed for the same targets) or
:func:`bpo_analysis.core.costs.inhouse_baseline` (``as_is``: today's payroll grown with
volume), and reads the rest from ``roi.yaml``. :func:`plan_vs_actual` puts the months
already run (``roi_actuals.csv``) beside the plan and recomputes every measure on
actuals + plan for the months still to come.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.decision import vendor_label
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.inhouse import baseline_words, centre_over_horizon, incumbent_fees
from bpo_analysis.core.quotes import Plans, PricingInputs, tco_assumptions, term_costs
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.data.models import ROI_DRIVERS, RoiAssumptions
from bpo_analysis.data.uncertainty import base_values, check_ranges, correlation_matrix
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps import pricing
from bpo_analysis.steps.roi import model as roi
from bpo_analysis.steps.roi.model import GROUPS, BusinessCase, Measures, check_rate

__all__ = ["ACTUAL_GROUPS", "MISSING", "PRICING_MODELS", "PlanVsActual", "business_case",
           "plan_vs_actual"]


def _roi_file(client: Client):
    return source_file(client, "roi")


def _elasticity(total: dict[float, float], low: float, high: float) -> tuple[float, float]:
    """Fit the power-law exponents below and above the base volume.

    Through (low, total[low]) - (1, total[1]) and (1, ...) - (high, total[high]); 1
    where a point is missing or a total is zero.
    """
    def fit(x: float) -> float:
        if x == 1 or total.get(x, 0) <= 0 or total[1.0] <= 0:
            return 1.0
        return float(np.log(total[x] / total[1.0]) / np.log(x))
    return fit(low), fit(high)


def _vendor(one: Client, horizon: int, volumes: tuple[float, ...]) -> dict:
    """Return the signed quote's lines at each volume scale (t = 0 .. H)."""
    plans = Plans(one)
    out = {}
    for v in volumes:
        term = term_costs(one, PricingInputs(volume_scale=v,
                                                             term_months=horizon), plans)
        by = term.groupby(["component", "t"])["amount"].sum()
        line = {c: by[c].reindex(range(horizon + 1), fill_value=0.0).to_numpy()
                for c in by.index.get_level_values(0).unique()}
        out[v] = {"fees": line["Service fees"], "management": line["Management fee"],
                  "setup": line["Vendor set-up fee"][0],
                  "transition": sum(a[0] for c, a in line.items()
                                    if c.startswith("Transition: ")),
                  "contacts": term[term["component"] == "Service fees"].groupby("t")[
                      "contacts"].sum().reindex(range(horizon + 1), fill_value=0.0)
                  .to_numpy()}
    return out


def _inhouse(client: Client, horizon: int, volumes: tuple[float, ...], baseline: str
             ) -> tuple[dict[float, dict[str, np.ndarray]], np.ndarray]:
    """Return the whole in-house cost per group and month at each volume scale.

    For t = 0 .. H (0 at t = 0), with the whole years of wage rises in each month.
    """
    sc = client.scenario
    one = dataclasses.replace(client, scenario=sc.model_copy(
        update={"planning_horizon_months": horizon}))
    _, _, years = horizon_months(one)
    k = np.r_[0, years]
    groups = costs.inhouse_groups(client.inhouse)
    out: dict[float, dict[str, np.ndarray]] = {}
    if baseline == "as_is":
        today = costs.inhouse_baseline(client.inhouse).groupby("group")["monthly"].sum()
        grow = {"people": (1 + sc.volume_growth_annual) * (1 + sc.wage_inflation_annual),
                "facilities": 1 + sc.cost_inflation_annual,
                "technology": 1 + sc.cost_inflation_annual}
        fees = float(incumbent_fees(client).mean())  # the incumbent's invoices stop too
        vendor = (1 + sc.volume_growth_annual) * (1 + sc.price_escalation_annual)
        for v in volumes:
            out[v] = {g: np.r_[0.0, today.get(g, 0.0) * grow[g] ** years
                              * (v if g == "people" else 1.0)] for g in GROUPS}
            if fees > 0:
                out[v]["vendor"] = np.r_[0.0, fees * vendor ** years * v]
        return out, k
    for v in volumes:
        h = centre_over_horizon(one, volume_scale=v)
        by = h.assign(group=h["component"].map(groups)).groupby(["group", "month"])[
            "amount"].sum()
        out[v] = {g: np.r_[0.0, by[g].to_numpy()] if g in by.index.get_level_values(0)
                  else np.zeros(horizon + 1) for g in GROUPS}
    return out, k


def business_case(client: Client, *, quote_id: str = "", horizon_months: int | None = None,
                  discount_rate: float | None = None, baseline: str = "") -> BusinessCase:
    """Build the business case of moving to the signed quote, from the client's data.

    Drivers with a range in ``roi.yaml`` are the uncertain ones; volume's range also
    fixes where the power laws are fitted.

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs, quotes, ``roi.yaml``, ``tco.yaml``).
    quote_id : str
        The signed quote; "" means the selected quote (``decision.yaml``, else derived
        from steps 2 and 3).
    baseline : str
        ``same_service`` or ``as_is``; "" means ``roi.yaml``'s.
    horizon_months : int, optional
        Months after go-live (default: the scenario's planning horizon).
    discount_rate : float, optional
        Annual rate, share (default: the scenario's).

    Returns
    -------
    BusinessCase
        Cash-flow lines in the client's currency per month.

    Raises
    ------
    InputError
        A horizon below 1 month, a discount rate at or below -100 %, an unknown quote
        or baseline.
    DataError
        No ``roi.yaml``; a driver's base value outside its range; correlations no
        joint distribution can have.
    """
    a: RoiAssumptions = client.optional("roi", "step 6 needs the business case's assumptions")
    sc = client.scenario
    horizon = sc.planning_horizon_months if horizon_months is None else horizon_months
    if not (isinstance(horizon, int | np.integer) and 1 <= horizon <= 120):
        raise InputError("horizon_months", horizon, "whole months from 1 to 120")
    rate = check_rate(sc.discount_rate if discount_rate is None else discount_rate)
    qid = quote_id or pricing.selected_quote(client)
    baseline = baseline or a.baseline
    if baseline not in ("same_service", "as_is"):
        raise InputError("baseline", baseline, "'same_service' or 'as_is'")
    quotes = client.quotes
    if qid not in set(quotes["quote_id"]):
        raise InputError("quote_id", qid, f"one of {sorted(quotes['quote_id'])}")
    q = quotes.set_index("quote_id").loc[qid]
    tco = tco_assumptions(client)
    one = dataclasses.replace(client, quotes=quotes[quotes["quote_id"] == qid]
                              .reset_index(drop=True))
    file = _roi_file(client)
    # the ranges hold their base, the signed quote's escalation too (load checked the rest)
    check_ranges(a, base_values(a, sc, float(q["annual_escalation"])), file)
    vr = a.uncertainty.get("volume")
    low, high = (vr.low, vr.high) if vr else (1.0, 1.0)
    volumes = tuple(dict.fromkeys((1.0, low, high)))
    vendor = _vendor(one, horizon, volumes)
    inhouse, wage_years = _inhouse(client, horizon, volumes, baseline)
    base_v, t = vendor[1.0], np.arange(horizon + 1)
    b = a.benefits
    bill = base_v["fees"] + base_v["management"]
    base = {"volume": 1.0, "aht": 1.0, "wage_inflation": sc.wage_inflation_annual,
            "price_escalation": float(q["annual_escalation"]),
            "churn_reduction": b.churn_reduction, "transition_overrun": 0.0,
            "customer_value": b.customer_value, "fcr_after": b.fcr_after}
    names = tuple(d for d in ROI_DRIVERS if d in a.uncertainty)
    payroll = float(sum(client.inhouse.headcount.agents_fte.values()))
    return BusinessCase(
        months=pd.period_range(pd.Period(sc.horizon_start, "M") - 1 if sc.horizon_start
                               else client.demand["interval_start"].max().to_period("M"),
                               periods=horizon + 1, freq="M", name="month"),
        currency=client.currency, discount_rate=rate,
        contract_term=int(q["contract_term_months"]), base=base,
        fees=base_v["fees"], management=base_v["management"],
        inhouse=inhouse[1.0],
        avoid={**{g: np.where(t > a.avoidable[g].after_months, a.avoidable[g].share, 0.0)
                  * (t > 0) if g in a.avoidable else np.zeros(horizon + 1) for g in GROUPS},
               "vendor": (t > 0).astype(float)},  # the incumbent's contract ends at go-live
        contacts=base_v["contacts"], benefits=b,
        fee_driver="contacts" if q["pricing_model"] == "per_call" else "workload",
        fee_elasticity=_elasticity({v: x["fees"].sum() for v, x in vendor.items()},
                                   low, high),
        transition_elasticity=_elasticity({v: x["transition"] for v, x in vendor.items()},
                                          low, high),
        inhouse_elasticity={g: _elasticity({v: x[g].sum() for v, x in inhouse.items()},
                                           low, high) for g in inhouse[1.0]},
        escalation_power=np.where(t > 0, np.maximum(
            0, (t - 1) // 12 + 1 - int(q["escalation_from_year"]) + 1), 0),
        wage_power=wage_years, retained_share=float(sum(tco.retained.values())),
        setup_fee=float(base_v["setup"]), transition=float(base_v["transition"]),
        severance=a.severance_months_of_pay * client.inhouse.wages.agent_monthly * payroll,
        exit_months=tco.exit_months_of_fees if a.exit_at_end else 0.0,
        ramp=np.where(t > 0, np.minimum(1.0, t / max(b.ramp_months, 1)), 0.0)
        if b.ramp_months else (t > 0).astype(float),
        unit_cost=float(bill.sum() / base_v["contacts"].sum())
        if base_v["contacts"].sum() else 0.0,
        ranges={d: (a.uncertainty[d].low, a.uncertainty[d].high) for d in names},
        correlations=correlation_matrix(a, file),
        label=_("Quote {quote} of {vendor}, priced {model}, against the baseline "
                "“{baseline}”").format(
            quote=qid, vendor=vendor_label(client, q["vendor_id"]),
            model=term(PRICING_MODELS.get(q["pricing_model"], q["pricing_model"])),
            baseline=term(baseline_words(client, baseline))),
        baseline=baseline)


#: How a quote's pricing model reads in the case's label ("priced per seat").
PRICING_MODELS = {"per_call": N_("per call"), "per_minute": N_("per minute"),
                  "per_productive_hour": N_("per productive hour"), "per_seat": N_("per seat"),
                  "hybrid": N_("hybrid (base + overflow)")}

#: What a month of actuals may leave blank, as a reader names it (the plan's value is used).
MISSING = {"fcr": N_("first-contact resolution"), "churn_rate_annual": N_("churn rate"),
           "csat": N_("customer satisfaction")}

#: How the comparison groups the lines (actuals come per group, not per line).
ACTUAL_GROUPS = {"Service fees": "Vendor fees", "Management fee": "Vendor fees",
                 "Retained (hidden) costs": "Retained (hidden) costs",
                 "Vendor set-up fee": "One-off", "Transition (client)": "One-off",
                 "Severance": "One-off", "Exit / transition back": "Exit / transition back",
                 "In-house cost avoided": "In-house cost avoided",
                 "Churn avoided": "Benefits", "Fewer repeat contacts": "Benefits",
                 "Up-sell": "Benefits", "CSAT": "Benefits"}



@dataclass(frozen=True)
class PlanVsActual:
    """The months run so far against the plan, and the measures re-forecast on them.

    ``monthly``: ``month``, ``t``, ``group``, ``plan``, ``actual`` (signed: costs
    negative, currency); ``measures``: the plan's and the re-forecast's
    :class:`~bpo_analysis.steps.roi.model.Measures` (actuals for the months run, the plan after);
    ``lines``: the re-forecast's cash-flow lines; ``missing``: what the actuals left to
    the plan, as (column of :data:`MISSING`, the months after go-live it is blank), in
    the columns' order (an FCR not reported: the plan's value is used).
    """

    monthly: pd.DataFrame
    plan: Measures
    reforecast: Measures
    lines: dict[str, np.ndarray]
    last_month: pd.Period
    missing: tuple[tuple[str, tuple[pd.Period, ...]], ...]


def _actual_months(case: BusinessCase, actuals: pd.DataFrame, file) -> np.ndarray:
    """Return the plan month t of every row; refuse months outside the plan or with gaps."""
    months = pd.PeriodIndex(actuals["month"], freq="M")
    known = {m: i for i, m in enumerate(case.months)}
    for row, m in zip(actuals.index, months, strict=True):
        if m not in known:
            raise DataError("month outside the business case", file=file, row=int(row),
                            column="month", value=str(m),
                            allowed=f"{case.months[0]} (one-offs) to {case.months[-1]}")
    t = np.array([known[m] for m in months])
    if t.size == 0:
        raise DataError("no months of actuals", file=file,
                        allowed=f"rows from {case.months[0]} or {case.months[1]} on")
    order = np.sort(t)
    if order[0] > 1 or (np.diff(order) != 1).any():
        raise DataError("the actuals must run month by month from go-live", file=file,
                        column="month", value=[str(case.months[i]) for i in order],
                        allowed=f"consecutive months from {case.months[0]} or "
                        f"{case.months[1]}, without gaps")
    return t


def plan_vs_actual(case: BusinessCase, actuals: pd.DataFrame,
                   file: str | Path = "roi_actuals") -> PlanVsActual:
    """Set the months of ``actuals`` beside the plan, and recompute every measure.

    ``actuals`` is :func:`bpo_analysis.data.io.read_roi_actuals`; the measures are
    recomputed on actuals + plan for the rest of the horizon.

    Costs are as booked: vendor fees (service and management, after credits), one-off
    spend, retained costs. The in-house cost avoided is the plan's at each month's
    actual volume (contacts / planned contacts). Benefits take the month's actual FCR
    and churn where reported (churn reduction = 1 - actual churn / churn before; an
    observed figure has ramped up already, so the benefits' ramp is not applied to it)
    and its actual volume; CSAT is valued at its actual level. A blank FCR, CSAT or
    churn takes the plan's value and is listed in ``missing``.

    Parameters
    ----------
    case : BusinessCase
        :func:`business_case`.
    actuals : DataFrame
        The months run, currency and contacts per month.
    file : str or Path
        Named in errors.

    Returns
    -------
    PlanVsActual
    """
    t = _actual_months(case, actuals, file)
    plan = {k: v[0].copy() for k, v in roi.line_flows(case).items()}
    lines = {k: v.copy() for k, v in plan.items()}
    b = case.benefits
    handled = actuals["contacts"].to_numpy(float)
    empty = (handled == 0) & (case.contacts[t] > 0)
    if empty.any():
        raise DataError("no contacts in a month the vendor was planned to handle some",
                        file=file, row=int(actuals.index[np.argmax(empty)]),
                        column="contacts", value=0,
                        allowed="the contacts the vendor handled that month (> 0)")
    vol = np.where(case.contacts[t] > 0, handled
                   / np.where(case.contacts[t] > 0, case.contacts[t], 1.0), 1.0)
    drivers: dict[str, np.ndarray] = {"volume": vol}
    for col, driver, value in (("fcr", "fcr_after", lambda x: x),
                               ("churn_rate_annual", "churn_reduction",
                                lambda x: 1 - x / b.churn_rate_annual
                                if b.churn_rate_annual else 0.0)):
        given = actuals[col].notna().to_numpy()
        drivers[driver] = np.where(given, value(actuals[col].to_numpy(float)),
                                   case.base[driver])
    at, run = roi.line_flows(case, drivers), np.arange(len(t))
    ramp = np.where(case.ramp[t] > 0, case.ramp[t], 1.0)
    for k, col in (("In-house cost avoided", ""), ("Up-sell", ""),
                   ("Churn avoided", "churn_rate_annual"), ("Fewer repeat contacts", "fcr")):
        v = at[k][run, t]  # an observed FCR or churn has ramped up already: no ramp on it
        lines[k][t] = np.where(actuals[col].notna(), v / ramp, v) if col else v
    csat = actuals["csat"].to_numpy(float)
    lines["CSAT"][t] = np.where(np.isnan(csat), lines["CSAT"][t], (
        np.nan_to_num(csat) - b.csat_before) * 100 * b.value_per_csat_point_monthly)
    booked = {"Service fees": actuals["vendor_fees"], "Management fee": 0.0,
              "Retained (hidden) costs": actuals["retained"],
              "Vendor set-up fee": 0.0, "Transition (client)": actuals["one_off"],
              "Severance": 0.0}
    for k, v in booked.items():
        lines[k][t] = np.asarray(v, float)
    rows = []
    for k in roi.COSTS + roi.GAINS:
        sign = -1.0 if k in roi.COSTS else 1.0
        rows.append(pd.DataFrame({"month": case.months[t], "t": t,
                                  "group": ACTUAL_GROUPS[k], "plan": sign * plan[k][t],
                                  "actual": sign * lines[k][t]}))
    monthly = (pd.concat(rows).groupby(["t", "month", "group"], sort=False, observed=True)
               [["plan", "actual"]].sum().reset_index().sort_values(["t"], kind="stable"))
    missing = tuple((col, tuple(case.months[i] for i in t[actuals[col].isna().to_numpy()]
                                if i > 0)) for col in MISSING)
    return PlanVsActual(monthly.assign(currency=case.currency), roi.measures(case),
                        roi.measures(case, lines=lines), lines, case.months[t.max()],
                        tuple((col, months) for col, months in missing if months))
