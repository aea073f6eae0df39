"""Step 2 as one call: ``run(client, ...)`` takes the vendors through the evaluation.

It takes them through the knock-outs, every ranking method and the sensitivity of the
ranking, and returns a :class:`VendorsResult`.

A retailer ranks its six vendors with TOPSIS on the weights of its criteria file:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"), draws=1_000)
>>> result.survivors, result.winner
(['V01', 'V02', 'V06'], 'V01')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from bpo_analysis.core import eligibility, quotes
from bpo_analysis.core.decision import Decision, memo, vendor_names
from bpo_analysis.core.present import Headlines, Paragraph
from bpo_analysis.core.result import StepResult, currency_used, left_open
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import term
from bpo_analysis.steps.vendors import charts, scoring, sensitivity, views
from bpo_analysis.steps.vendors.ahp import AhpResult, ahp_criterion_weights
from bpo_analysis.steps.vendors.decide import decide

__all__ = ["VendorsResult", "evaluate", "run", "upstream"]



@dataclass(frozen=True, eq=False)
class VendorsResult(StepResult):
    """Everything step 2 shows.

    ``matrix`` holds the vendors left after the knock-outs; ``weights`` (summing to 1) are
    the ones ranked with, from ``criteria.yaml`` or AHP; ``names`` the vendors' names by
    id (``vendors.csv``), as the report shows them; ``from_files`` the notebook parameters
    the run left to the client's files (:meth:`_used` says what it took for them).
    """

    criteria: pd.DataFrame
    prices: pd.Series
    knock_outs: pd.DataFrame
    survivors: list[str]
    matrix: pd.DataFrame
    assumed: pd.DataFrame
    weights: pd.Series
    weights_from: str
    ahp: AhpResult | None
    method: str
    rankings: dict[str, scoring.Ranking]
    stability: pd.DataFrame
    switch_points: pd.DataFrame
    concentration: float | None = 50.0
    seed: int = 0
    currency: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    decision: Decision = field(default_factory=Decision)
    names: dict[str, str] = field(default_factory=dict)
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    step = "02 vendors"
    decision_roles = ("shortlist", "vendor")

    @property
    def ranking(self) -> scoring.Ranking:
        """The ranking of the chosen method."""
        return self.rankings[self.method]

    @property
    def winner(self) -> str:
        """The chosen method's best vendor (the first of a tie)."""
        return str(self.ranking.table().index[0])

    @property
    def criteria_text(self) -> Paragraph:
        """Return what the vendors are weighed on: the client's criteria groups, in words."""
        return views.criteria_paragraph(self)

    def _headline(self) -> Headlines:
        return views.headlines(self)

    def _used(self) -> Mapping[str, str]:
        return {} if self.client is None else currency_used(self.client, self.from_files)

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"knock_outs": lambda: views.knock_out_view(self),
                "assumed": lambda: views.assumed_view(self),
                "rankings": lambda: views.rankings_view(self, self.currency),
                "ahp": lambda: views.ahp_view(self)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        stated = self.criteria.groupby("group", sort=False)["weight"].sum()
        label = {v: views.vendor(self, v) for v in self.knock_outs["vendor_id"].unique()}
        return {"contributions": lambda: charts.contribution_chart(
                    self.rankings["weighted_sum"].contributions.rename(index=label),
                    self.criteria["group"]),
                "radar": lambda: charts.radar_chart(
                    scoring.group_scores(self).rename(index=label)),
                "ahp_weights": lambda: charts.ahp_weights_chart(self.ahp.weights,
                                                                stated / stated.sum()),
                "stability": lambda: charts.rank_stability_chart(
                    self.stability.rename(index=label)),
                "switch_points": lambda: charts.switch_point_chart(self._named_switch(label))}

    def _named_switch(self, label: Mapping[str, str]) -> pd.DataFrame:
        """Return the switch points with criteria and vendors by name (for the chart)."""
        s = self.switch_points.rename(index=self.criteria["name"].map(term).to_dict())
        winners = ["winner", "winner below", "winner above"]
        return s.assign(**{c: s[c].map(lambda v: label.get(v, v)) for c in winners})


def evaluate(client: Client, *, method: str = "topsis",
             weights_from: Literal["criteria", "ahp"] = "criteria",
             weights: pd.Series | None = None, missing: Literal["worst", "error"] = "worst",
             draws: int = 10_000, concentration: float | None = 50.0, seed: int = 0,
             prices: pd.Series | None = None, currency: str = "") -> VendorsResult:
    """Evaluate the client's vendors: knock-outs, rankings and their stability.

    The knock-outs, the decision matrix, every method's ranking, rank stability and the
    weight switch points for the client's vendors.

    ``weights_from`` "criteria" uses the weights of ``criteria.yaml``, "ahp" its
    ``ahp:`` judgements (:func:`.ahp.ahp_criterion_weights`); ``weights`` overrides
    both (the dashboard's sliders). ``prices`` (currency per contact by vendor) defaults
    to :func:`bpo_analysis.core.quotes.vendor_prices`.
    """
    if method not in scoring.METHODS:
        raise InputError("method", method, f"one of {list(scoring.METHODS)}")
    if weights_from not in ("criteria", "ahp"):
        raise InputError("weights_from", weights_from, "'criteria' or 'ahp'")
    crit = scoring.criteria_table(client)
    prices = quotes.vendor_prices(client) if prices is None else prices
    ko = eligibility.knock_out(client, prices)
    left = eligibility.survivors(ko, list(client.vendors["vendor_id"]))
    matrix, assumed = scoring.decision_matrix(client, prices, vendor_ids=left, missing=missing)
    ahp = None
    if client.criteria.ahp is not None:
        ahp, ahp_weights = ahp_criterion_weights(client)
    if weights is None:
        if weights_from == "ahp":
            if ahp is None:
                raise InputError("weights_from", "ahp", "an 'ahp:' section in criteria.yaml")
            weights = ahp_weights
        else:
            weights = crit["weight"] / crit["weight"].sum()
    directions = crit["direction"]
    rankings = {m: scoring.rank(matrix, weights, directions, m) for m in scoring.METHODS}
    weights = pd.Series(weights).reindex(crit.index).astype(float)  # checked by rank()
    weights = weights / weights.sum()
    stability = sensitivity.rank_stability(matrix, weights, directions, method, n=draws,
                                       concentration=concentration, seed=seed)
    switch = sensitivity.weight_switch_points(matrix, weights, directions, method)
    order = [str(v) for v in rankings[method].table().index]
    return VendorsResult(crit, prices, ko, left, matrix, assumed, weights, weights_from, ahp,
                      method, rankings, stability, switch, concentration, seed,
                      currency or client.currency,
                      {"method": method, "weights_from": weights_from, "missing": missing,
                       "draws": draws, "concentration": concentration, "seed": seed},
                      decide(client, ko, left, order), vendor_names(client))


def run(client: Client, *, currency: str = "", method: str = "topsis",
        weights_from: str = "criteria", missing_scores: str = "worst", draws: int = 10_000,
        concentration: float = 50.0, seed: int = 0) -> VendorsResult:
    """Run step 2 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its vendors, criteria and quotes).
    currency : str
        Shown on prices; "" means the client's ISO code.
    method : str
        Ranking method: topsis, weighted_sum (min-max) or sum (sum normalisation).
    weights_from : str
        "criteria" (the weights in ``criteria.yaml``) or "ahp" (its pairwise judgements).
    missing_scores : str
        A vendor's missing score: "worst" (take the worst value, listed) or "error".
    draws : int
        Weight vectors drawn for the rank stability.
    concentration : float
        How tightly the drawn weights follow the chosen ones (larger is tighter).
    seed : int
        Random seed of the draws (the same seed gives the same result).

    Returns
    -------
    VendorsResult
    """
    result = evaluate(client, method=method, weights_from=weights_from,  # type: ignore[arg-type]
                      missing=missing_scores, draws=draws,  # type: ignore[arg-type]
                      concentration=concentration, seed=seed, currency=currency)
    return replace(result, client=client, from_files=left_open(currency_label=(currency, "")))




def upstream(client: Client) -> VendorsResult:
    """Return step 2 run with its defaults, once per client: what later steps build on.

    Steps 3 and 5 take the shortlist, the selected vendor and the incumbent from it.
    """
    return memo(client, "vendors", lambda: run(client))
