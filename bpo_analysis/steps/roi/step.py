"""Step 6 as one call: ``run(client, ...)`` builds the business case of the signed quote.

With its measures, tornado and Monte Carlo, and the actuals against the plan; it returns
a :class:`RoiResult`.

A retailer's CFO asks what the signed contract returns over three years:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), draws=2_000)   # with the folder's actuals
>>> result.headline["npv"].unit, list(result.figures)
('TWD', ['cash_flow', 'tornado', 'npv', 'plan_vs_actual'])
>>> list(run(load_client("data/sample"), draws=2_000, actuals_file="none").figures)
['cash_flow', 'tornado', 'npv']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from bpo_analysis.core.decision import ASKED, Choice, Decision, vendor_label
from bpo_analysis.core.inhouse import baseline_words
from bpo_analysis.core.present import Headlines, Paragraph
from bpo_analysis.core.result import (
    StepResult,
    currency_used,
    discount_used,
    from_file,
    horizon_used,
    in_folder,
    left_open,
)
from bpo_analysis.core.verdicts import VerdictRules
from bpo_analysis.data.client import Client
from bpo_analysis.data.io import read_roi_actuals
from bpo_analysis.i18n import _, term
from bpo_analysis.steps import pricing, sourcing
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import charts, views
from bpo_analysis.steps.roi import model as roi

__all__ = ["RoiResult", "review", "run"]


@dataclass(frozen=True, eq=False)
class RoiResult(StepResult):
    """Everything the ROI review shows.

    ``from_files`` names the notebook parameters the run left to the client's files
    (:meth:`_used` says what it took for them).
    """

    step = "06 roi"

    case: roi.BusinessCase
    drivers: dict[str, float]
    measures: roi.Measures
    tornado: pd.DataFrame
    simulation: roi.Simulation
    actual: roi_case.PlanVsActual | None
    inputs: dict[str, Any] = field(default_factory=dict)
    decision: Decision = field(default_factory=Decision)
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    decision_roles = ("vendor", "quote")

    @cached_property
    def baseline(self) -> tuple[str, float] | None:
        """Return the baseline's words and its cost a month, as the money bridge has them."""
        if self.client is None:
            return None
        words = baseline_words(self.client, self.case.baseline)
        bridge = sourcing.upstream(self.client).bridge
        return words, float(bridge.loc[bridge["row"] == words, "total"].iloc[0])

    @cached_property
    def flows(self) -> pd.DataFrame:
        """Return :func:`~bpo_analysis.steps.roi.model.cash_flows` at the review's drivers."""
        return roi.cash_flows(self.case, self.drivers)

    @cached_property
    def actuals_text(self) -> Paragraph:
        """Return what the months of actuals leave to the plan, in sentences (with actuals)."""
        return views.actuals_paragraph(self)

    def _headline(self) -> Headlines:
        h = views.headlines(self, VerdictRules.of(self.client))
        said = self.inputs.get("actuals", "")
        return Headlines(h.items, f"{h.title} {said}".strip(), h.context)

    def _used(self) -> Mapping[str, str]:
        c, left, case = self.client, self.from_files, self.case
        if c is None:
            return {}
        used = currency_used(c, left)
        q = self.decision.quote
        if "quote_id" in left and q is not None:
            vendor = c.quotes.set_index("quote_id").loc[q.value, "vendor_id"]
            used["quote_id"] = _("{quote} of {vendor}, the selected quote, {origin}").format(
                quote=q.value, vendor=vendor_label(c, str(vendor)), origin=q.origin)
        if "baseline" in left:
            used["baseline"] = from_file(c, term(baseline_words(c, case.baseline)), "roi")
        if "horizon_months" in left:
            used["horizon_months"] = horizon_used(c, case.horizon)
        if "discount_rate" in left:
            used["discount_rate"] = discount_used(c, case.discount_rate)
        if "actuals_file" in left:
            used["actuals_file"] = (in_folder(Path(self.inputs["actuals_file"]).name)
                                    if self.actual is not None else
                                    _("none in the client folder: the business case before "
                                      "signing"))
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        tables = {"measures": lambda: views.measures_view(self),
                  "bridge": lambda: sourcing.upstream(self.client).tables["bridge"],
                  "cash_flow": lambda: views.cash_flow_view(self),
                  "hidden_costs": lambda: views.hidden_costs_view(self),
                  "tornado": lambda: views.tornado_view(self),
                  "simulation": lambda: views.simulation_view(self)}
        if self.actual is not None:
            tables["plan_vs_actual"] = lambda: views.plan_actual_view(self)
        return tables

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        cur = self.case.currency
        figures = {
            "cash_flow": lambda: charts.cash_flow_chart(
                views.by_group(self.case, self.drivers), self.measures.payback, cur),
            "tornado": lambda: charts.tornado_chart(self.tornado, self.tornado.attrs["npv"],
                                                    cur),
            "npv": lambda: charts.npv_histogram(self.simulation.npv, cur,
                                                self.simulation.p_positive)}
        if self.actual is not None:
            figures["plan_vs_actual"] = lambda: charts.plan_vs_actual_chart(
                views.cumulative_plan_actual(self), cur)
        return figures


def review(client: Client, *, quote_id: str = "", baseline: str = "",
           horizon_months: int | None = None, discount_rate: float | None = None,
           draws: int = 100_000, seed: int = 0, actuals_file: str | Path = "",
           case: roi.BusinessCase | None = None,
           drivers: dict[str, float] | None = None, currency: str = "") -> RoiResult:
    """Review the ROI.

    ``case`` skips building the case again (the dashboard); ``drivers`` moves drivers off
    their base (the sliders); ``actuals_file`` adds the months run so far against the plan
    ("" for a business case before signing); ``currency`` labels every amount (default: the
    ISO code of the client's files).
    """
    inputs = {"quote_id": quote_id, "baseline": baseline, "horizon_months": horizon_months,
              "discount_rate": discount_rate, "draws": draws, "seed": seed,
              "actuals_file": str(actuals_file)}
    q = client.quotes.set_index("quote_id")["vendor_id"]
    if quote_id and quote_id in q.index:  # asked for: no need to derive the decision
        decision = Decision.stated(client).but(
            vendor=Choice(q[quote_id], ASKED), quote=Choice(quote_id, ASKED), about="quote",
            note=_("Quote {quote} is reviewed as asked in the report's parameters.").format(
                quote=quote_id))
    else:
        decision = pricing.upstream(client).decision
    case = case or roi_case.business_case(client, quote_id=quote_id, baseline=baseline,
                                          horizon_months=horizon_months,
                                          discount_rate=discount_rate)
    if currency:
        case = replace(case, currency=currency)
    drivers = dict(drivers or {})
    actual = (roi_case.plan_vs_actual(case, read_roi_actuals(actuals_file), actuals_file)
              if actuals_file else None)
    return RoiResult(case, drivers, roi.measures(case, drivers), roi.tornado(case, drivers),
                     roi.simulate(case, draws, seed, drivers), actual, inputs, decision,
                     client)


def run(client: Client, *, currency: str = "", quote_id: str = "", baseline: str = "",
        horizon_months: int = 0, discount_rate: float = -1.0, draws: int = 100_000,
        seed: int = 0, actuals_file: str | Path = "") -> RoiResult:
    """Run step 6 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its ``roi.yaml``, quotes, in-house costs and scenario).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    quote_id : str
        The signed quote; "" means the selected quote (``decision.yaml``, else derived
        from steps 2 and 3).
    baseline : str
        The in-house cost compared: "as_is" or "same_service"; "" means ``roi.yaml``'s.
    horizon_months : int
        Months after go-live; 0 means the scenario's planning horizon.
    discount_rate : float
        Annual, decimal (0.08 for 8 %); -1 means the scenario's.
    draws : int
        Monte Carlo draws of the uncertain drivers.
    seed : int
        Random seed of the Monte Carlo (the same seed gives the same result).
    actuals_file : str or Path
        The months run so far (``roi_actuals.csv`` schema); "" means the client folder's
        ``roi_actuals.csv`` when there is one (else the business case before signing, and
        the report says so); "none" for the business case before signing.

    Returns
    -------
    RoiResult
    """
    path = actuals_path(client, actuals_file)
    res = review(client, quote_id=quote_id, baseline=baseline,
                 horizon_months=horizon_months or None,
                 discount_rate=None if discount_rate == -1 else discount_rate,
                 draws=draws, seed=seed, actuals_file=path, currency=currency)
    if not path and str(actuals_file) != "none":
        res.inputs["actuals"] = _("No monthly actuals in the client's files yet: this is the "
                                  "business case before signing.")
    return replace(res, from_files=left_open(
        currency_label=(currency, ""), quote_id=(quote_id, ""), baseline=(baseline, ""),
        horizon_months=(horizon_months, 0), discount_rate=(discount_rate, -1),
        actuals_file=(str(actuals_file), "")))


def actuals_path(client: Client, actuals_file: str | Path) -> str | Path:
    """Return the actuals file a run reads: the one given, else the client folder's, or "".

    ``"none"`` means none; ``""`` the client folder's ``roi_actuals.csv`` if it exists --
    never another client's.
    """
    if str(actuals_file) == "none":
        return ""
    if actuals_file:
        return actuals_file
    own = client.path / "roi_actuals.csv"
    return own if own.is_file() else ""
