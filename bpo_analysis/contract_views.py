"""Step 4 in the report: the contract annex, the pool, the back-test and the payout.

:func:`evaluate_terms` runs the SLA of ``sla.yaml`` (or changed terms) on the vendor's
reports and on simulated years; the rest presents it, with units and currency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from pydantic import ValidationError

from . import contracts, kpis
from .errors import InputError
from .io import Client
from .models import SlaTerms
from .present import Headline, Headlines, styled

__all__ = ["TermsResult", "allocation_view", "annex_view", "backtest_view", "calibration",
           "calibration_view", "evaluate_terms", "headlines", "miss_curves", "with_changes"]


@dataclass(frozen=True)
class TermsResult:
    """The terms, the vendor's monthly KPIs and invoices, the back-test (detail and
    months), the fitted performance model and the simulated payout."""

    terms: SlaTerms
    vendor_id: str
    results: pd.DataFrame
    invoice: pd.Series
    detail: pd.DataFrame
    months: pd.DataFrame
    model: contracts.PerformanceModel
    payout: dict


def evaluate_terms(client: Client, terms: SlaTerms | None = None, vendor_id: str | None = None,
                   n: int = 100_000, seed: int = 0,
                   model: contracts.PerformanceModel | None = None) -> TermsResult:
    """Back-test ``terms`` (default ``sla.yaml``) on ``vendor_id``'s reports (default the
    vendor with reports) and simulate ``n`` years from its fitted history."""
    terms = terms or client.sla
    reports = client.vendor_reports
    vendor_id = vendor_id or str(reports["vendor_id"].iloc[0])
    results, invoice = contracts.report_kpis(reports, vendor_id)
    ids = list(terms.kpis)
    absent = [k for k in ids if k not in results.columns]
    if absent:
        raise InputError("sla.yaml kpis", absent,
                         f"KPIs the vendor's reports give: {list(results.columns)}")
    detail, months = contracts.monthly_credits(results[ids], terms, invoice)
    model = model or contracts.fit_performance(results[ids])
    payout = contracts.simulate_payout(terms, model, float(invoice.mean()), n=n, seed=seed)
    return TermsResult(terms, vendor_id, results[ids], invoice, detail, months, model, payout)


def with_changes(terms: SlaTerms, kpi_id: str, **changes: float) -> SlaTerms:
    """``terms`` with one KPI's ``target``, ``minimum`` or ``allocation`` changed (and
    validated: a target looser than the minimum is refused)."""
    if kpi_id not in terms.kpis:
        raise InputError("kpi", kpi_id, f"one of {list(terms.kpis)}")
    data = terms.model_dump()
    data["kpis"][kpi_id].update(changes)
    try:
        return SlaTerms.model_validate(data)
    except ValidationError as err:
        raise InputError(f"kpis.{kpi_id}", changes,
                         err.errors()[0]["msg"].removeprefix("Value error, ")) from None


def headlines(res: TermsResult, currency: str) -> Headlines:
    """Expected yearly credits, their 95th percentile, the chance of a breach, and what
    the back-test would have credited."""
    net = res.payout["net"]
    per_year = res.months["net"].sum() / len(res.months) * 12
    items = [
        Headline("expected_net_credits", "Expected net credits a year", float(net.mean()),
                 f"{currency} a year (simulated)"),
        Headline("p95_net_credits", "In a bad year (95th percentile)",
                 float(np.percentile(net, 95)), f"{currency} a year"),
        Headline("p_breach", "Years with a credit", res.payout["p_breach"] * 100,
                 "% of simulated years", 1),
        Headline("backtest_net_per_year", f"Back-test on {res.vendor_id}'s reports",
                 float(per_year), f"{currency} a year (net credits)"),
    ]
    most = res.payout["months_missed"].idxmax()
    title = (f"Under these terms {res.vendor_id} would owe {net.mean():,.0f} {currency} a year "
             f"on average ({np.percentile(net, 5):,.0f} to {np.percentile(net, 95):,.0f} in 9 "
             f"years of 10); {most} misses its target "
             f"{res.payout['months_missed'][most]:.1f} months a year.")
    return Headlines(items, title=title)


def annex_view(terms: SlaTerms) -> Styler:
    """The contract annex: each KPI of the terms with its formula (the variant the
    contract means), unit, source, target, minimum and pool share."""
    rows = []
    for kid, t in terms.kpis.items():
        k, variant = kpis.kpi(kid, t.variant)
        rows.append({"KPI": k.name, "formula": k.variants[variant].formula,
                     "variant": variant, "unit": k.unit, "better": k.direction,
                     "target": t.target, "minimum": t.minimum,
                     "pool share": t.allocation, "data source": k.source})
    return styled(pd.DataFrame(rows), {"target": "{:g}", "minimum": "{:g}",
                                       "pool share": "{:.0%}"},
                  "KPI annex: one definition per KPI (other variants in the KPI dictionary)")


def allocation_view(res: TermsResult, currency: str) -> Styler:
    """Each KPI's share of the at-risk pool, and what it puts at risk a month at the
    average invoice; the monthly cap applies to the total."""
    t = res.terms
    inv = float(res.invoice.mean())
    rows = [{"KPI": kid, "pool share": k.allocation,
             f"at risk a month ({currency})": inv * t.at_risk_share * k.allocation}
            for kid, k in t.kpis.items()]
    df = pd.DataFrame(rows)
    return styled(df, {"pool share": "{:.0%}", f"at risk a month ({currency})": "{:,.0f}"},
                  f"At-risk pool: {t.at_risk_share:.0%} of an invoice of {inv:,.0f} "
                  f"{currency}; shares sum to {df['pool share'].sum():.0%}, and a month's "
                  f"credits are capped at {t.cap_share:.0%} of the invoice")


def backtest_view(res: TermsResult, currency: str) -> Styler:
    """Per KPI over the reports: months missing the target, months a credit fired, the
    credits, and the credits earned back."""
    d = res.detail
    g = d.groupby("kpi", sort=False)
    t = pd.DataFrame({"months below target": g["missed_target"].sum(),
                      "credits fired": g["credit"].apply(lambda c: int((c > 0).sum())),
                      f"credits ({currency})": g["credit"].sum(),
                      f"earned back ({currency})": g["earned_back"].sum()})
    t = t.rename_axis("KPI").reset_index()
    money = "{:,.0f}"
    return styled(t, {f"credits ({currency})": money, f"earned back ({currency})": money},
                  f"Back-test: the terms on {res.vendor_id}'s {len(res.months)} monthly reports")


def calibration(res: TermsResult, months_missed: float = 1.0) -> pd.DataFrame:
    """Per KPI: today's target, the months a year it is expected to miss it, the share
    of simulated years in which it triggers a credit, and the target it would miss
    ``months_missed`` months a year (the fitted normal model)."""
    from scipy import stats

    rows = []
    for kid, t in res.terms.kpis.items():
        mu, sd = float(res.model.mean[kid]), float(res.model.sd[kid])
        z = (t.target - mu) / sd if sd > 0 else np.inf * np.sign(t.target - mu)
        p = stats.norm.cdf(z) if t.direction == "higher" else stats.norm.sf(z)
        rows.append({"KPI": kid, "vendor mean": mu, "vendor sd": sd, "target": t.target,
                     "months missed a year": 12 * float(p),
                     "years with a credit": float(res.payout["p_kpi"][kid]),
                     f"target missed {months_missed:g} month(s) a year":
                         contracts.target_for_miss_probability(res.model, kid,
                                                               months_missed / 12,
                                                               t.direction)})
    return pd.DataFrame(rows)


def calibration_view(calib: pd.DataFrame) -> Styler:
    """:func:`calibration` for the report."""
    col = next(c for c in calib.columns if c.startswith("target missed"))
    return styled(calib, {"vendor mean": "{:.3g}", "vendor sd": "{:.2g}", "target": "{:g}",
                          "months missed a year": "{:.1f}", "years with a credit": "{:.0%}",
                          col: "{:.3g}"},
                  "Calibration: how often each target would be missed, from the vendor's "
                  "history (each KPI in its own unit)")


def miss_curves(res: TermsResult, points: int = 61) -> dict[str, pd.DataFrame]:
    """Per KPI: months a year below target as the target moves over the vendor's mean
    +- 3 standard deviations (the fitted normal model)."""
    from scipy import stats

    out = {}
    for kid, t in res.terms.kpis.items():
        mu, sd = float(res.model.mean[kid]), max(float(res.model.sd[kid]), 1e-9)
        x = np.linspace(mu - 3 * sd, mu + 3 * sd, points)
        p = stats.norm.cdf((x - mu) / sd)
        out[kid] = pd.DataFrame({"target": x,
                                 "months": 12 * (p if t.direction == "higher" else 1 - p)})
    return out
