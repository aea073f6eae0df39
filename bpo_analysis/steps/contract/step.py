"""Step 4 as one call: ``run(client, ...)`` back-tests the SLA terms on the vendor's reports.

It simulates their payout and returns a :class:`ContractResult`.

A retailer checks what its draft SLA would have credited its current vendor:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), simulated_years=2_000)
>>> result.vendor_id, list(result.figures)
('V02', ['backtest', 'payout', 'miss_curves'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from bpo_analysis.core import sla
from bpo_analysis.core.decision import Decision
from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult
from bpo_analysis.core.sla_charts import credits_chart
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import SlaTerms
from bpo_analysis.errors import BpoAnalysisError, InputError
from bpo_analysis.i18n import _
from bpo_analysis.steps import pricing
from bpo_analysis.steps.contract import calc, charts, views

__all__ = ["ContractInputs", "ContractResult", "evaluate_terms", "run"]


@dataclass(frozen=True)
class ContractInputs:
    """The parameters of step 4.

    The vendor back-tested (None: the incumbent, else the first with reports), the
    simulated years and their seed, and the months a year the calibration aims at.
    """

    vendor_id: str | None = None
    simulated_years: int = 100_000
    seed: int = 0
    months_missed_per_year: float = 1.0


@dataclass(frozen=True, eq=False)
class ContractResult(StepResult):
    """The terms, the vendor's monthly KPIs and invoices, and what they give.

    The back-test (detail and months), the fitted performance model and the simulated
    payout.
    """

    step = "04 contract"

    terms: SlaTerms
    vendor_id: str
    results: pd.DataFrame
    invoice: pd.Series
    detail: pd.DataFrame
    months: pd.DataFrame
    model: calc.PerformanceModel
    payout: dict
    inputs: ContractInputs = ContractInputs()
    currency: str = ""
    decision: Decision = field(default_factory=Decision)
    #: The selected quote's monthly bill in its first year (the payout is simulated on it),
    #: or None when no quote is selected (then the back-tested vendor's average invoice).
    selected_invoice: float | None = None

    decision_roles = ("vendor", "quote", "incumbent")

    @cached_property
    def calibration(self) -> pd.DataFrame:
        """Return :func:`~bpo_analysis.steps.contract.views.calibration` at the inputs.

        At the inputs' months missed a year.
        """
        return views.calibration(self, self.inputs.months_missed_per_year)

    def _headline(self) -> Headlines:
        return views.headlines(self, self.currency)

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        cur = self.currency
        return {"annex": lambda: views.annex_view(self.terms),
                "allocation": lambda: views.allocation_view(self, cur),
                "backtest": lambda: views.backtest_view(self, cur),
                "calibration": lambda: views.calibration_view(self.calibration)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        cur = self.currency
        return {"backtest": lambda: credits_chart(self.months, cur),
                "payout": lambda: charts.payout_chart(self.payout["net"], cur),
                "miss_curves": lambda: charts.miss_curve_chart(self.calibration,
                                                               views.miss_curves(self))}


def selected_quote(client: Client) -> tuple[Decision, float | None]:
    """Return the decision after step 3 and the selected quote's monthly bill (year 1)."""
    try:
        res = pricing.upstream(client)
    except BpoAnalysisError as err:  # e.g. no tco.yaml: the terms are still judged
        return Decision.stated(client).but(about="quote", note=_(
            "No selected quote (step 3 cannot run: {error}); the payout is simulated at the "
            "back-tested vendor's invoices.").format(error=err)), None
    q = res.decision.quote
    bill = None if q is None else float(res.units.loc[q.value, "year_cost"]) / 12
    return res.decision, bill


def evaluate_terms(client: Client, terms: SlaTerms | None = None,
                   inputs: ContractInputs | None = None, *,
                   model: calc.PerformanceModel | None = None,
                   currency: str = "") -> ContractResult:
    """Back-test ``terms`` (default ``sla.yaml``) on the incumbent's reports.

    It simulates years of the selected quote's invoices from the fitted history (a
    dashboard passes the ``model`` it keeps).
    """
    inputs = inputs or ContractInputs()
    terms = terms or client.sla
    reports = client.vendor_reports
    decision, bill = selected_quote(client)
    incumbent = decision.incumbent.value[0] if decision.incumbent else None
    vendor_id = inputs.vendor_id or incumbent or str(reports["vendor_id"].iloc[0])
    results, invoice = sla.report_kpis(reports, vendor_id)
    ids = list(terms.kpis)
    absent = [k for k in ids if k not in results.columns]
    if absent:
        raise InputError("sla.yaml kpis", absent,
                         f"KPIs the vendor's reports give: {list(results.columns)}")
    detail, months = sla.monthly_credits(results[ids], terms, invoice)
    model = model or calc.fit_performance(results[ids])
    payout = calc.simulate_payout(terms, model, float(invoice.mean()) if bill is None else bill,
                                  n=inputs.simulated_years, seed=inputs.seed)
    return ContractResult(terms, vendor_id, results[ids], invoice, detail, months, model,
                          payout, inputs, currency or client.currency, decision, bill)


def run(client: Client, *, currency: str = "", vendor_id: str = "",
        simulated_years: int = 100_000, months_missed_per_year: float = 1.0,
        seed: int = 0) -> ContractResult:
    """Run step 4 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its ``sla.yaml`` and the vendor's monthly reports).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    vendor_id : str
        The vendor whose reports the terms are back-tested on; "" means the incumbent
        (``decision.yaml``, else the first with reports).
    simulated_years : int
        Years of monthly KPIs drawn for the payout distribution.
    months_missed_per_year : float
        Calibration: the target each KPI would miss this many months a year.
    seed : int
        Random seed of the simulation (the same seed gives the same result).

    Returns
    -------
    ContractResult
    """
    inputs = ContractInputs(vendor_id or None, simulated_years, seed, months_missed_per_year)
    return evaluate_terms(client, inputs=inputs, currency=currency)
