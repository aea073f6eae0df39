"""Step 4 as one call: ``run(client, ...)`` back-tests the SLA terms on the vendor's reports.

It simulates their payout and returns a :class:`ContractResult`.

A retailer checks what its draft SLA would have credited its current vendor:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), simulated_years=2_000)
>>> result.vendor_id, list(result.figures)
('V02', ['backtest', 'payout', 'miss_curves'])

Each KPI is judged per channel the vendor serves, its credit on that channel's part of the
selected quote's invoice (split by the work each channel brings):

>>> result.lines[:2], result.shares
(['service_level@voice', 'service_level@chat'], {'voice': 0.4202, 'chat': 0.3642, 'email': 0.2157})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from bpo_analysis.core import sla, sla_lines
from bpo_analysis.core.decision import Decision, memo
from bpo_analysis.core.demand import channel_mix
from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import (
    StepResult,
    currency_used,
    file_name,
    in_folder,
    left_open,
    vendor_used,
)
from bpo_analysis.core.sla_charts import credits_chart
from bpo_analysis.data import kpis
from bpo_analysis.data.client import Client, read_sla
from bpo_analysis.data.models import CHANNELS, SlaTerms
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

    ``results`` holds one column per SLA line (a KPI on a channel, ``<kpi>@<channel>``)
    and ``invoice`` one per channel; the back-test (detail and months), the fitted
    performance model and the simulated payout follow. ``from_files`` names the notebook
    parameters the run left to the client's files (:meth:`_used` says what it took for
    them).
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
    #: Each channel's share of the invoice the payout is simulated on: the selected quote's
    #: split by the work each channel brings (contacts x handle time), else the
    #: back-tested vendor's, split as its invoices are.
    shares: dict[str, float] = field(default_factory=dict)
    #: The channels the client serves (the contract's annex covers them all).
    channels: tuple[str, ...] = ()
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    decision_roles = ("vendor", "quote", "incumbent")

    @property
    def lines(self) -> list[str]:
        """Return the SLA lines judged (``<kpi>@<channel>``), in the contract's order."""
        return [str(c) for c in self.results.columns]

    @cached_property
    def calibration(self) -> pd.DataFrame:
        """Return :func:`~bpo_analysis.steps.contract.views.calibration` at the inputs.

        At the inputs' months missed a year.
        """
        return views.calibration(self, self.inputs.months_missed_per_year)

    def _headline(self) -> Headlines:
        return views.headlines(self, self.currency)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        if c is None:
            return {}
        used = currency_used(c, left)
        if "vendor_id" in left:
            used["vendor_id"] = vendor_used(c, self.decision, self.vendor_id)
        if "sla_file" in left:
            used["sla_file"] = in_folder(file_name(c, "sla"))
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        cur = self.currency
        return {"annex": lambda: views.annex_view(self.terms, self.channels or CHANNELS),
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
    # what no term changes is read once per client (a dashboard calls this on every move)
    values, invoice = memo(client, f"contract/report-values/{vendor_id}",
                           lambda: sla_lines.report_values(reports, vendor_id))
    ids = sla_lines.lines(terms, invoice.columns)
    absent = [k for k in ids if k not in values.columns]
    if absent:
        raise InputError("sla.yaml kpis", sla_lines.split(absent[0])[0],
                         f"KPIs the vendor's reports state: {sorted(kpis.REPORT_COLUMNS)}")
    if not ids:
        raise InputError("sla.yaml kpis", list(terms.kpis),
                         f"a KPI on a channel {vendor_id} reports: {list(invoice.columns)}")
    detail, months = sla.monthly_credits(values[ids], terms, invoice)
    if bill is None:  # the vendor's own invoices, split as over its reports
        total = invoice.sum()
    else:  # the selected quote's bill, split by the work each channel brings
        total = memo(client, "contract/channel-mix",
                     lambda: channel_mix(client.demand))["workload_h"]
        total = total[total > 0]
    shares = {c: round(float(total[c] / total.sum()), 4) for c in total.index}
    model = model or calc.fit_performance(values[ids])
    payout = calc.simulate_payout(terms, model, float(months["invoice"].mean())
                                  if bill is None else bill, n=inputs.simulated_years,
                                  seed=inputs.seed, shares=shares)
    return ContractResult(terms, vendor_id, values[ids], months["invoice"], detail, months,
                          model, payout, inputs, currency or client.currency, decision, bill,
                          shares, tuple(client.scenario.service_targets))


def run(client: Client, *, currency: str = "", vendor_id: str = "", sla_file: str = "",
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
    sla_file : str
        Draft terms to judge (``sla.yaml``'s schema, checked as the folder's is); ""
        means the client folder's ``sla.yaml``.
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
    terms = read_sla(sla_file, client.scenario.service_targets) if sla_file else None
    return replace(evaluate_terms(client, terms, inputs=inputs, currency=currency),
                   client=client, from_files=left_open(
                       currency_label=(currency, ""), vendor_id=(vendor_id, ""),
                       sla_file=(sla_file, "")))
