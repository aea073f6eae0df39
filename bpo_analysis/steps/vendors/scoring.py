"""Step 2: vendor evaluation -- the decision matrix, the weighted sum and TOPSIS.

Answers "which vendor is best for us, and how sure are we?" (seed 000 step 2, seed 002,
seed 004). The decision matrix has one row per vendor and one column per criterion of
``criteria.yaml``; ``direction`` says whether more is better (benefit) or worse (cost).

* knock-outs -- pass/fail rules, every exclusion with its reason
  (:mod:`bpo_analysis.core.eligibility`, shared with step 3);
* :func:`weighted_sum` (min-max or sum normalisation) and :func:`topsis` (vector
  normalisation, Euclidean distances to the ideal and anti-ideal vendor);
* AHP weights from pairwise judgements (:mod:`.ahp`);
* rank stability and weight switch points -- how much the winner depends on the
  weights (:mod:`.sensitivity`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from bpo_analysis.data.client import Client
from bpo_analysis.errors import DataWarning, InputError

__all__ = [
    "DIRECTIONS",
    "METHODS",
    "Ranking",
    "batch_scores",
    "checked_inputs",
    "criteria_table",
    "decision_matrix",
    "group_scores",
    "normalise",
    "rank",
    "rank_order",
    "rescale_weights",
    "topsis",
    "weighted_sum",
]

DIRECTIONS = ("benefit", "cost")

# ---------------------------------------------------------------- inputs
def criteria_table(client: Client) -> pd.DataFrame:
    """Return the criteria of ``criteria.yaml`` as a table indexed by criterion id."""
    rows = [{"id": c.id, "name": c.name, "group": c.group, "source": c.source,
             "column": c.column, "direction": c.direction, "unit": c.unit,
             "weight": c.weight,
             "knock_out": f"{c.knock_out.op} {c.knock_out.value}" if c.knock_out else ""}
            for c in client.criteria.criteria]
    return pd.DataFrame(rows).set_index("id")


def decision_matrix(client: Client, prices: pd.Series | None = None, *,
                    vendor_ids: Sequence[str] | None = None,
                    missing: Literal["worst", "error"] = "worst"
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build vendors x criteria, as numbers (yes = 1, no = 0), and the cells it had to assume.

    ``prices`` gives the ``source: pricing`` criteria (e.g. cost per contact from
    :func:`bpo_analysis.core.quotes.vendor_prices`), indexed by vendor id; ``vendor_ids``
    keeps those vendors only (e.g. the knock-out survivors). A missing value (a vendor
    without a pilot) is refused with ``missing="error"``; with ``"worst"`` it takes the
    worst value any of the vendors has on that criterion and is listed in the second
    table (vendor, criterion, value assumed), so the report can show it.

    Returns
    -------
    matrix, assumed : DataFrame
        Vendors x criteria, each in its own unit; the cells assumed.
    """
    if missing not in ("worst", "error"):
        raise InputError("missing", missing, "'worst' or 'error'")
    v = client.vendors.set_index("vendor_id")
    if vendor_ids is not None:
        unknown = [x for x in vendor_ids if x not in v.index]
        if unknown:
            raise InputError("vendor_ids", unknown[0], f"one of {list(v.index)}")
        v = v.loc[list(vendor_ids)]
    cols = {}
    for c in client.criteria.criteria:
        if c.source == "pricing":
            if prices is None:
                raise InputError("prices", None, f"the values of criterion {c.id!r} "
                                 "(source: pricing), one per vendor id")
            cols[c.id] = pd.to_numeric(prices.reindex(v.index), errors="raise")
        else:
            try:
                cols[c.id] = v[c.column].astype(float)
            except (TypeError, ValueError):  # a client built in code: loading refuses it
                raise InputError(f"criterion {c.id!r} (criteria.yaml column)", c.column,
                                 "a vendors.csv column of numbers or yes/no") from None
    matrix = pd.DataFrame(cols, index=v.index)
    directions = pd.Series({c.id: c.direction for c in client.criteria.criteria})
    assumed = []
    for cid in matrix.columns:
        gap = matrix[cid].isna()
        if not gap.any():
            continue
        if missing == "error" or gap.all():
            vendor = gap.idxmax()
            raise InputError(f"{cid} of vendor {vendor}", None,
                             "a value for every vendor (or missing='worst')")
        worst = matrix[cid].min() if directions[cid] == "benefit" else matrix[cid].max()
        assumed += [{"vendor_id": vid, "criterion": cid, "assumed": worst}
                    for vid in matrix.index[gap]]
        matrix.loc[gap, cid] = worst
    if assumed:
        what = "1 missing score" if len(assumed) == 1 else f"{len(assumed)} missing scores"
        warnings.warn(f"{what} taken as the worst value of their criterion (see the table "
                      "of assumed values)", DataWarning, stacklevel=2)
    return matrix, pd.DataFrame(assumed, columns=["vendor_id", "criterion", "assumed"])


def checked_inputs(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
             directions: Mapping[str, str] | pd.Series
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (values, weights summing to 1, is_benefit) after the input checks."""
    if matrix.shape[0] < 2:
        raise InputError("matrix", f"vendors: {matrix.shape[0]}", "at least 2 vendors")
    cols = list(matrix.columns)
    w = dict(weights.items()) if isinstance(weights, pd.Series) else dict(weights)
    unknown = [k for k in w if k not in matrix.columns]
    if unknown:
        raise InputError("weights", unknown[0], f"one of the criteria {cols}")
    absent = [k for k in cols if k not in w]
    if absent:
        raise InputError("weights", f"no weight for {absent}", "a weight per criterion")
    d = dict(directions.items()) if isinstance(directions, pd.Series) else dict(directions)
    for k in cols:
        if d.get(k) not in DIRECTIONS:
            raise InputError(f"direction of {k}", d.get(k), "benefit or cost")
    try:
        values = matrix.to_numpy(dtype=float)
    except (TypeError, ValueError):
        for col in matrix.columns:
            for vid, x in matrix[col].items():
                try:
                    float(x)
                except (TypeError, ValueError):
                    raise InputError(f"score of vendor {vid} on {col}", x,
                                     "a number") from None
        raise
    nan = np.argwhere(~np.isfinite(values))
    if nan.size:
        i, j = nan[0]
        raise InputError(f"score of vendor {matrix.index[i]} on {matrix.columns[j]}",
                         values[i, j], "a finite number")
    try:
        wv = np.array([float(w[k]) for k in cols])
    except (TypeError, ValueError):
        k = next(k for k in cols if not _is_number(w[k]))
        raise InputError(f"weight of {k}", w[k], "a number >= 0") from None
    if not np.isfinite(wv).all() or (wv < 0).any():
        k = int(np.flatnonzero(~(np.isfinite(wv) & (wv >= 0)))[0])
        raise InputError(f"weight of {cols[k]}", w[cols[k]], "a number >= 0")
    total = wv.sum()
    if total <= 0:
        raise InputError("weights", "all zero", "at least one weight > 0")
    if abs(total - 1) > 1e-9:
        warnings.warn(f"weights sum to {total:g}; normalised to sum to 1", DataWarning,
                      stacklevel=3)
    return values, wv / total, np.array([d[k] == "benefit" for k in cols])


def _is_number(x: object) -> bool:
    try:
        float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------- rankings
@dataclass(frozen=True)
class Ranking:
    """Scores of one method, with their ranks.

    ``score`` (higher is better), ``rank`` (1 = best; ties share the better rank); for the
    weighted sum, ``contributions`` (vendor x criterion, summing to the score); for TOPSIS,
    the weighted normalised ``ideal`` and ``anti_ideal`` vendors (per criterion).
    """

    method: str
    score: pd.Series
    rank: pd.Series
    contributions: pd.DataFrame | None = None
    ideal: pd.Series | None = None
    anti_ideal: pd.Series | None = None

    def table(self) -> pd.DataFrame:
        """Return the vendors best first: ``score``, ``rank``, ``tie`` (shares its rank)."""
        t = pd.DataFrame({"score": self.score, "rank": self.rank})
        t["tie"] = t["rank"].duplicated(keep=False)
        return t.sort_values(["rank", "score"], ascending=[True, False])


def rank_order(scores: np.ndarray) -> np.ndarray:
    """Rank the scores: 1 = highest; equal scores (to 1e-12) share the better rank.

    Works on the last axis, so a batch of score vectors ranks in one call.
    """
    s = np.asarray(scores, float)
    ranks = np.ones(s.shape, dtype=np.int64)
    for j in range(s.shape[-1]):  # a loop over vendors, vectorised over the draws
        ranks += (s[..., j:j + 1] - s) > 1e-12
    return ranks


def normalise(values: np.ndarray, benefit: np.ndarray, how: str) -> np.ndarray:
    """Normalise column-wise so that 1 is best: min-max or sum.

    Sum: cost criteria take 1/x over the sum of 1/x. A column on which every vendor ties
    gets 1 everywhere (min-max) or an equal share (sum): it discriminates nothing.
    """
    if how == "minmax":
        lo, hi = values.min(axis=0), values.max(axis=0)
        span = hi - lo
        up = np.divide(values - lo, span, out=np.ones_like(values), where=span > 0)
        return np.where(benefit, up, np.where(span > 0, 1 - up, 1.0))
    if how == "sum":
        if (values < 0).any():
            i, j = np.argwhere(values < 0)[0]
            raise InputError("normalisation='sum'", f"a negative score {values[i, j]}",
                             "scores >= 0 (or normalisation='minmax')")
        zero_cost = (~benefit) & (values == 0).any(axis=0)
        if zero_cost.any():
            raise InputError("normalisation='sum'", "a zero on a cost criterion (column "
                             f"{int(np.flatnonzero(zero_cost)[0])})",
                             "cost scores > 0 (1/x is taken), or normalisation='minmax'")
        x = np.where(benefit, values, 1.0 / np.where(values == 0, 1.0, values))
        total = x.sum(axis=0)
        return np.divide(x, total, out=np.full_like(x, 1.0 / len(x)), where=total > 0)
    raise InputError("normalisation", how, "'minmax' or 'sum'")


def weighted_sum(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
                 directions: Mapping[str, str] | pd.Series,
                 normalisation: Literal["minmax", "sum"] = "minmax") -> Ranking:
    """Rank by simple additive weighting: sum over criteria of weight x normalised score.

    Parameters
    ----------
    matrix : DataFrame
        Vendors x criteria, each in its own unit (:func:`decision_matrix`).
    weights, directions : mapping or Series
        Criterion -> weight (>= 0; rescaled to sum to 1) and ``benefit`` or ``cost``.
    normalisation : {"minmax", "sum"}
        See :func:`normalise`.

    Returns
    -------
    Ranking
        Scores in [0, 1], with each criterion's contribution.

    Examples
    --------
    >>> m = pd.DataFrame({"price": [60.0, 80.0], "qa": [90.0, 80.0]}, index=["A", "B"])
    >>> r = weighted_sum(m, {"price": 0.5, "qa": 0.5}, {"price": "cost", "qa": "benefit"})
    >>> r.score.tolist(), r.rank.tolist()
    ([1.0, 0.0], [1, 2])
    """
    values, w, benefit = checked_inputs(matrix, weights, directions)
    contrib = normalise(values, benefit, normalisation) * w
    score = contrib.sum(axis=1)
    return Ranking(f"weighted sum ({normalisation})", pd.Series(score, matrix.index),
                   pd.Series(rank_order(score), matrix.index),
                   pd.DataFrame(contrib, index=matrix.index, columns=matrix.columns))


def _topsis_closeness(norm: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Return the closeness for one weight vector (k,) or a batch (n, k); ``norm`` is m x k.

    With weights >= 0 the ideal of the weighted scores is the weighted ideal of the
    normalised ones, so D+^2 = sum_k w_k^2 (r_ik - r*_k)^2: one matrix product for the
    whole batch (and D- likewise).
    """
    hi, lo = norm.max(axis=0), norm.min(axis=0)
    ideal, anti = np.where(benefit, hi, lo), np.where(benefit, lo, hi)
    w2 = np.square(w)
    d_plus = np.sqrt(np.maximum(w2 @ np.square(norm - ideal).T, 0.0))
    d_minus = np.sqrt(np.maximum(w2 @ np.square(norm - anti).T, 0.0))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)


def _vector_norm(values: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(values, axis=0)
    return np.divide(values, norm, out=np.zeros_like(values), where=norm > 0)


def topsis(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
           directions: Mapping[str, str] | pd.Series) -> Ranking:
    """Rank by TOPSIS (Hwang and Yoon, 1981): closeness to the ideal vendor, in [0, 1].

    Scores are divided by their column's Euclidean norm and weighted; the ideal takes
    each criterion's best weighted score and the anti-ideal its worst; closeness =
    D- / (D+ + D-) with D+ and D- the Euclidean distances to them (0.5 when every
    vendor is the same). A criterion on which all vendors tie adds nothing to either
    distance. Parameters as :func:`weighted_sum`; returns a :class:`Ranking` with the
    ``ideal`` and ``anti_ideal`` vendors.

    Examples
    --------
    >>> m = pd.DataFrame({"price": [60.0, 80.0], "qa": [90.0, 80.0]}, index=["A", "B"])
    >>> topsis(m, {"price": 0.5, "qa": 0.5}, {"price": "cost", "qa": "benefit"}).rank.tolist()
    [1, 2]
    """
    values, w, benefit = checked_inputs(matrix, weights, directions)
    norm = _vector_norm(values)
    c = _topsis_closeness(norm, w, benefit)
    v = norm * w
    hi, lo = v.max(axis=0), v.min(axis=0)
    return Ranking("TOPSIS", pd.Series(c, matrix.index), pd.Series(rank_order(c), matrix.index),
                   ideal=pd.Series(np.where(benefit, hi, lo), matrix.columns),
                   anti_ideal=pd.Series(np.where(benefit, lo, hi), matrix.columns))


def batch_scores(values: np.ndarray, w: np.ndarray, benefit: np.ndarray,
                  method: str) -> np.ndarray:
    """Score a batch of weight vectors ``w`` (n x k): n x m, one computation."""
    if method == "topsis":
        return _topsis_closeness(_vector_norm(values), w, benefit)
    if method in ("minmax", "sum"):
        return w @ normalise(values, benefit, method).T
    raise InputError("method", method, "'topsis', 'minmax' or 'sum' (weighted sum)")


#: Ranking methods by the name the notebook parameter and the dashboard use.
METHODS = {"topsis": "TOPSIS", "weighted_sum": "weighted sum (min-max)",
           "sum": "weighted sum (sum)"}


def rank(matrix: pd.DataFrame, weights: pd.Series, directions: pd.Series,
         method: str) -> Ranking:
    """Rank by one method, named by its :data:`METHODS` key."""
    if method == "topsis":
        return topsis(matrix, weights, directions)
    if method in ("weighted_sum", "sum"):
        return weighted_sum(matrix, weights, directions,
                                    "minmax" if method == "weighted_sum" else "sum")
    raise InputError("method", method, f"one of {list(METHODS)}")


def group_scores(ev: Any) -> pd.DataFrame:
    """Return vendors x criteria groups for ``ev`` (a step-2 result), for a radar chart.

    Each cell is the weighted mean of the min-max normalised scores (1 = the best of the
    finalists on every criterion of the group).
    """
    values = ev.matrix.to_numpy(float)
    benefit = (ev.criteria["direction"].reindex(ev.matrix.columns) == "benefit").to_numpy()
    norm = pd.DataFrame(normalise(values, benefit, "minmax"), index=ev.matrix.index,
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
    """Set one criterion's weight and rescale the others in proportion.

    So that they still sum to 1 (all others equal when they were all 0).

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
