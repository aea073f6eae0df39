"""Step 3 as one call: ``run(client, ...)`` prices every quote.

It returns a :class:`PricingResult` -- the headline, the tables and the charts of the
report.

A retailer compares its six vendors' quotes over a two-year contract:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), term_months=24)
>>> best = result.headline["lowest_tco_per_contact"]
>>> best.label
'Lowest eligible TCO per contact: Q07 of Harbor Contact Services (V02)'
>>> round(best.value, 1), best.unit
(71.6, 'TWD per contact over 24 months (nominal)')
>>> result.decision.quote.value, result.decision.quote.origin    # step 2's V01, its quote
('Q01', 'derived from step 3')
>>> list(result.tables), list(result.figures)
(['comparison', 'break_evens', 'risk', 'flags'], ['tco_waterfalls', 'cost_curves'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from bpo_analysis.core.decision import Decision, memo, vendor_names
from bpo_analysis.core.eligibility import knock_out, survivors
from bpo_analysis.core.offers import FULL_SCOPE, client_channels
from bpo_analysis.core.present import Headlines, fmt
from bpo_analysis.core.quotes import Plans, PricingInputs
from bpo_analysis.core.result import (
    StepResult,
    currency_used,
    discount_used,
    file_name,
    horizon_used,
    left_open,
)
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import _
from bpo_analysis.steps import vendors
from bpo_analysis.steps.pricing import calc, charts, scope, views
from bpo_analysis.steps.pricing.decide import decide, status

__all__ = ["PricingResult", "price", "run", "selected_quote", "upstream"]


@dataclass(frozen=True, eq=False)
class PricingResult(StepResult):
    """Every quote priced on the client's demand, with the inputs.

    Term costs, TCO, unit costs, flags, cost curves and break-evens, with the inputs they
    were computed from. ``term`` and ``tco`` hold every quote and every combination of
    one vendor's quotes for single channels that together cover every channel (offer id
    "Q09+Q10+Q11"); ``tco`` is in like-for-like order (:func:`.scope.compare`): the
    offers covering every channel first, then the quotes of each channel. ``from_files``
    names the notebook parameters the run left to the client's files (:meth:`_used` says
    what it took for them).
    """

    step = "03 pricing"

    client: Client
    inputs: PricingInputs
    currency: str
    term: pd.DataFrame
    tco: pd.DataFrame
    units: pd.DataFrame
    flags: pd.DataFrame
    curves: pd.DataFrame
    break_evens: pd.DataFrame
    notes: tuple[str, ...] = ()
    decision: Decision = field(default_factory=Decision)
    #: By offer: "" when eligible, else why it is not the answer (knocked out, below cost,
    #: one channel only).
    standing: pd.Series = None  # type: ignore[assignment]
    from_files: frozenset[str] = frozenset()

    decision_roles = ("vendor", "quote")

    @cached_property
    def finalists(self) -> list[str]:
        """Return the lowest-TCO full-scope offer of each vendor past step 2's knock-outs.

        Price from this step, in TCO-per-contact order; a vendor without an offer
        covering every channel is not a finalist.
        """
        prices = self.units.groupby("vendor_id")["per_contact"].min()
        left = survivors(knock_out(self.client, prices),
                         list(self.client.vendors["vendor_id"]))
        full = self.tco[self.tco["vendor_id"].isin(left) & (self.tco["covers"] == FULL_SCOPE)]
        return list(full.groupby("vendor_id", sort=False).head(1).index)

    def _headline(self) -> Headlines:
        return views.headlines(self, self.currency)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        used = currency_used(c, left)
        if "term_months" in left:
            used["term_months"] = horizon_used(c, c.scenario.planning_horizon_months)
        if "discount_rate" in left:
            used["discount_rate"] = discount_used(c, c.scenario.discount_rate)
        if "escalation" in left:
            rates = sorted(set(c.quotes["annual_escalation"].astype(float)))
            shown = fmt(rates[0], "%", 1) if len(rates) == 1 else _("{low} to {high}").format(
                low=fmt(rates[0], "%", 1), high=fmt(rates[-1], "%", 1))
            used["escalation"] = _("each quote's own yearly escalation ({rates}), from "
                                   "{source}").format(rates=shown,
                                                      source=file_name(c, "quotes", ".csv"))
        if "hidden_share" in left and c.tco is not None:
            used["hidden_share"] = _("{share} of the contract value, the total of the retained "
                                     "costs in {source}").format(
                share=fmt(sum(c.tco.retained.values()), "%", 1), source=file_name(c, "tco"))
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        cur = self.currency
        return {"comparison": lambda: views.comparison_view(self, cur),
                "break_evens": lambda: views.break_even_view(self, cur),
                "risk": lambda: views.risk_view(self, cur),
                "flags": lambda: views.flags_view(self, cur)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        q = self.client.quotes
        names = vendor_names(self.client)
        models = dict(zip(q["quote_id"], q["pricing_model"].map(views.models), strict=True))
        vendor_of = {qid: names.get(v, v) for qid, v in zip(q["quote_id"], q["vendor_id"],
                                                              strict=True)}
        return {"tco_waterfalls": lambda: charts.tco_waterfalls(self.term, self.finalists,
                                                                self.currency, names=names),
                "cost_curves": lambda: charts.cost_curve_chart(
                    self.curves, models, calc.forecast_contacts(self.client, self.inputs),
                    self.break_evens, self.currency, names=vendor_of)}


def price(client: Client, inputs: PricingInputs | None = None, *, plans: Plans | None = None,
          curves: pd.DataFrame | None = None, currency: str = "",
          decision: Decision | None = None) -> PricingResult:
    """Price every quote under ``inputs``, and choose the selected vendor's quote.

    A dashboard passes the staffing ``plans`` and the cost ``curves`` it keeps: they do not
    depend on its sliders. ``decision`` is the decision after step 2; None runs step 2
    with its defaults (once per client).
    """
    inputs = inputs or PricingInputs()
    plans = plans or Plans(client)
    rate = client.scenario.discount_rate if inputs.discount_rate is None else (
        inputs.discount_rate)
    offers, term = scope.with_combinations(client, calc.term_costs(client, inputs, plans))
    units = calc.unit_costs(client, inputs, plans)
    curves = calc.cost_curves(client, inputs, plans) if curves is None else curves
    tco = scope.compare(calc.tco_summary(term, rate, scope.contract_terms(client.quotes, offers)),
                        offers, client.quotes, units, client_channels(client))
    channels = dict(zip(client.quotes["quote_id"], client.quotes["channel"], strict=True))
    flags = calc.suspicious_bids(client, units)
    below = scope.below_cost(tco, flags)
    standing = status(client, tco, below, units.groupby("vendor_id")["per_contact"].min())
    if decision is None:
        decision = vendors.upstream(client).decision
    return PricingResult(client, inputs, currency or client.currency, term, tco, units, flags,
                         curves, calc.break_evens(curves, channels),
                         tuple(calc.minimum_warnings(client, curves)),
                         decide(decision, tco, below), standing)


def run(client: Client, *, currency: str = "", volume_scale: float = 1.0,
        forecast_error: float = 0.2, term_months: int = 0, discount_rate: float = -1.0,
        escalation: float = -1.0, hidden_share: float = -1.0,
        seats: str = "needed") -> PricingResult:
    """Run step 3 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its quotes, demand, scenario and ``tco.yaml``).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    volume_scale : float
        Multiplies the forecast (1 is the forecast).
    forecast_error : float
        The +- share unit costs and risk are shown at (0.2 is +-20 %).
    term_months : int
        Months every quote is compared over; 0 means the planning horizon.
    discount_rate : float
        Annual discount rate; -1 means the scenario's.
    escalation : float
        Yearly price escalation for all quotes; -1 means each quote's own.
    hidden_share : float
        Retained (hidden) costs as a share of the contract value; -1 means ``tco.yaml``'s.
    seats : str
        Per-seat quotes billed for the seats "needed" for the service targets, or "quoted".

    Returns
    -------
    PricingResult
    """
    inputs = PricingInputs.from_parameters(
        volume_scale=volume_scale, forecast_error=forecast_error, term_months=term_months,
        discount_rate=discount_rate, escalation=escalation, hidden_share=hidden_share,
        seats=seats)
    return replace(price(client, inputs, currency=currency), from_files=left_open(
        currency_label=(currency, ""), term_months=(term_months, 0),
        discount_rate=(discount_rate, -1), escalation=(escalation, -1),
        hidden_share=(hidden_share, -1)))


def selected_quote(client: Client, argument: str = "quote_id") -> str:
    """Return the selected quote: ``decision.yaml``'s, else derived from steps 2 and 3.

    What steps 6 and 7 work on; step 3 runs with its defaults, once per client.

    Raises
    ------
    InputError
        No quote is selected (naming ``argument``, the parameter that could give one).
    """
    quote = upstream(client).decision.quote
    if quote is None:
        raise InputError(argument, "", "a quote: none is selected (selected_quote in "
                         "decision.yaml, or a selected vendor with a quote in quotes.csv)")
    return str(quote.value)


def upstream(client: Client) -> PricingResult:
    """Return step 3 run with its defaults, once per client: what later steps build on.

    Steps 4, 6 and 7 take the selected quote from it.
    """
    return memo(client, "pricing", lambda: run(client))
