"""Step 2 end to end: the sample client's vendors through knock-outs, scoring and
sensitivity, in one call the notebook and the dashboard share.

Pure orchestration of :mod:`bpo_analysis.steps.vendors.scoring` and
:mod:`bpo_analysis.core.quotes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from bpo_analysis.core import eligibility, quotes
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps.vendors import scoring, sensitivity
from bpo_analysis.steps.vendors.ahp import AhpResult, ahp_criterion_weights

__all__ = ["METHODS", "Evaluation", "evaluate", "group_scores", "rescale_weights"]

#: Ranking methods by the name the notebook parameter and the dashboard use.
METHODS = {"topsis": "TOPSIS", "weighted_sum": "weighted sum (min-max)",
           "sum": "weighted sum (sum)"}


@dataclass(frozen=True)
class Evaluation:
    """Everything step 2 shows. ``matrix`` holds the vendors left after the knock-outs;
    ``weights`` (summing to 1) are the ones ranked with, from ``criteria.yaml`` or AHP."""

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

    @property
    def ranking(self) -> scoring.Ranking:
        """The ranking of the chosen method."""
        return self.rankings[self.method]

    @property
    def winner(self) -> str:
        """The chosen method's best vendor (the first of a tie)."""
        return str(self.ranking.table().index[0])


def rank(matrix: pd.DataFrame, weights: pd.Series, directions: pd.Series,
         method: str) -> scoring.Ranking:
    """One method's ranking by its :data:`METHODS` key."""
    if method == "topsis":
        return scoring.topsis(matrix, weights, directions)
    if method in ("weighted_sum", "sum"):
        return scoring.weighted_sum(matrix, weights, directions,
                                    "minmax" if method == "weighted_sum" else "sum")
    raise InputError("method", method, f"one of {list(METHODS)}")


def evaluate(client: Client, *, method: str = "topsis",
             weights_from: Literal["criteria", "ahp"] = "criteria",
             weights: pd.Series | None = None, missing: Literal["worst", "error"] = "worst",
             draws: int = 10_000, concentration: float | None = 50.0, seed: int = 0,
             prices: pd.Series | None = None) -> Evaluation:
    """Knock-outs, the decision matrix, every method's ranking, rank stability and the
    weight switch points for the client's vendors.

    ``weights_from`` "criteria" uses the weights of ``criteria.yaml``, "ahp" its
    ``ahp:`` judgements (:func:`.ahp.ahp_criterion_weights`); ``weights`` overrides
    both (the dashboard's sliders). ``prices`` (currency per contact by vendor) defaults
    to :func:`bpo_analysis.core.quotes.vendor_prices`.
    """
    if method not in METHODS:
        raise InputError("method", method, f"one of {list(METHODS)}")
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
    rankings = {m: rank(matrix, weights, directions, m) for m in METHODS}
    weights = pd.Series(weights).reindex(crit.index).astype(float)  # checked by rank()
    weights = weights / weights.sum()
    stability = sensitivity.rank_stability(matrix, weights, directions, method, n=draws,
                                       concentration=concentration, seed=seed)
    switch = sensitivity.weight_switch_points(matrix, weights, directions, method)
    return Evaluation(crit, prices, ko, left, matrix, assumed, weights, weights_from, ahp,
                      method, rankings, stability, switch, concentration, seed)


def group_scores(ev: Evaluation) -> pd.DataFrame:
    """Vendors x criteria groups: the weighted mean of the min-max normalised scores
    (1 = the best of the finalists on every criterion of the group), for a radar chart."""
    values = ev.matrix.to_numpy(float)
    benefit = (ev.criteria["direction"].reindex(ev.matrix.columns) == "benefit").to_numpy()
    norm = pd.DataFrame(scoring.normalise(values, benefit, "minmax"), index=ev.matrix.index,
                        columns=ev.matrix.columns)
    groups = ev.criteria["group"].reindex(ev.matrix.columns)
    w = ev.weights.reindex(ev.matrix.columns)
    out = {}
    for g in dict.fromkeys(groups):
        cols = groups.index[groups == g]
        gw = w[cols].to_numpy()
        out[g] = (norm[cols].to_numpy() @ (gw / gw.sum()) if gw.sum() > 0
                  else norm[cols].mean(axis=1).to_numpy())
    return pd.DataFrame(out, index=ev.matrix.index)


def rescale_weights(weights: pd.Series, criterion: str, value: float) -> pd.Series:
    """Set one criterion's weight and rescale the others in proportion, so that they
    still sum to 1 (all others equal when they were all 0).

    >>> rescale_weights(pd.Series({"a": 0.5, "b": 0.3, "c": 0.2}), "a", 0.8).round(3).tolist()
    [0.8, 0.12, 0.08]
    """
    if criterion not in weights.index:
        raise InputError("criterion", criterion, f"one of {list(weights.index)}")
    if not 0 <= value <= 1:
        raise InputError(f"weight of {criterion}", value, "a share in [0, 1]")
    rest = weights.drop(criterion)
    total = rest.sum()
    rest = rest * ((1 - value) / total) if total > 0 else pd.Series(
        (1 - value) / len(rest), index=rest.index)
    return pd.concat([rest, pd.Series({criterion: value})]).reindex(weights.index).astype(float)
