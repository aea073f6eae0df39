"""The decision summary as one call: ``run(client, ...)`` reads every step's result.

One screen and one printed page for the client's CFO: the recommendation in a paragraph,
the money (today, the same service in-house, the chosen option and the runner-up, the
selected quote over its term, the business case with its odds), the vendor and why, the
contract, the largest risks with the backup, and maturity now and next. Every number is
taken from the step that computes it, run with its defaults through its ``run``; the
summary only takes differences of them (a saving, a premium) and says which.

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"))
>>> result.decision.vendor.value, result.decision.quote.value
('V01', 'Q01')
>>> list(result.tables)
['money', 'vendor', 'contract', 'risks', 'maturity']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bpo_analysis.core.decision import Decision
from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult, currency_used, left_open
from bpo_analysis.core.verdicts import DEFAULT_RULES, VerdictRules
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps import contract, maturity, pricing, risk, roi, sourcing, vendors
from bpo_analysis.steps.summary import views

__all__ = ["SummaryResult", "run"]


@dataclass(frozen=True, eq=False)
class SummaryResult(StepResult):
    """Every step's result the summary reads, and the one decision they share.

    ``from_files`` names the notebook parameters the run left to the client's files
    (:meth:`_used` says what it took for them).
    """

    step = "09 summary"
    decision_roles = ("form", "vendor", "quote", "incumbent", "backup")

    client: Client
    currency: str
    sourcing: sourcing.SourcingResult
    vendors: vendors.VendorsResult
    pricing: pricing.PricingResult
    contract: contract.ContractResult
    roi: roi.RoiResult
    risk: risk.RiskResult
    maturity: maturity.MaturityResult
    decision: Decision
    rules: VerdictRules = DEFAULT_RULES
    inputs: dict[str, Any] = field(default_factory=dict)
    from_files: frozenset[str] = frozenset()

    def _headline(self) -> Headlines:
        return views.headlines(self)

    def _used(self) -> Mapping[str, str]:
        return currency_used(self.client, self.from_files)

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"money": lambda: views.money_table(self),
                "vendor": lambda: views.vendor_table(self),
                "contract": lambda: views.contract_table(self),
                "risks": lambda: views.risk_table(self),
                "maturity": lambda: views.maturity_table(self)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        return {"bridge": lambda: self.sourcing.figures["bridge"]}


def run(client: Client, *, currency: str = "", links: str = ".html") -> SummaryResult:
    """Run the decision summary: every step with its defaults, on one decision.

    Parameters
    ----------
    client : Client
        The client folder (every file the steps read; ``decision.yaml`` if any).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    links : str
        What each row links to: ``.html`` (the step reports beside this one) or
        ``.ipynb`` (the app's pages).

    Returns
    -------
    SummaryResult
        The steps' results; ``decision`` is the decision after step 7 with the sourcing
        form of step 1.
    """
    if links not in (".html", ".ipynb"):
        raise InputError("links", links, "'.html' (the step reports) or '.ipynb' (the app)")
    src = sourcing.upstream(client)
    rsk = risk.upstream(client)
    decision = rsk.decision.merge(src.decision)
    return SummaryResult(client, currency or client.currency, src, vendors.upstream(client),
                         pricing.upstream(client), contract.run(client), roi.run(client),
                         rsk, maturity.run(client), decision, VerdictRules.of(client),
                         inputs={"currency": currency, "links": links},
                         from_files=left_open(currency_label=(currency, "")))
