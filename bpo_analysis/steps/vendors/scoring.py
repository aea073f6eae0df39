"""Step 2: vendor evaluation -- knock-outs, weighted sum, TOPSIS, AHP, rank stability.

Answers "which vendor is best for us, and how sure are we?" (seed 000 step 2, seed 002,
seed 004). The decision matrix has one row per vendor and one column per criterion of
``criteria.yaml``; ``direction`` says whether more is better (benefit) or worse (cost).

* :func:`knock_out` -- pass/fail rules, every exclusion with its reason;
* :func:`weighted_sum` (min-max or sum normalisation) and :func:`topsis` (vector
  normalisation, Euclidean distances to the ideal and anti-ideal vendor);
* :func:`ahp_weights` -- weights from pairwise judgements (principal eigenvector),
  with the consistency ratio against a selectable random-index table; a partial set of
  judgements is completed by Harker's method;
* :func:`rank_stability` and :func:`weight_switch_points` -- how much the winner
  depends on the weights: Monte Carlo over weight vectors, vectorised, and the weight at
  which the winner changes.
"""

from __future__ import annotations

import operator
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
    "RANDOM_INDEX",
    "AhpResult",
    "Ranking",
    "ahp_criterion_weights",
    "ahp_from_judgements",
    "ahp_weights",
    "criteria_table",
    "decision_matrix",
    "knock_out",
    "rank_stability",
    "survivors",
    "topsis",
    "weight_switch_points",
    "weighted_sum",
]

DIRECTIONS = ("benefit", "cost")

#: Random consistency indices by matrix size. ``saaty1980``: Saaty, *The Analytic
#: Hierarchy Process* (1980), n = 3..10. ``alonso_lamata2006``: Alonso and Lamata,
#: "Consistency in the analytic hierarchy process: a new approach", Int. J. Uncertainty,
#: Fuzziness and Knowledge-Based Systems 14 (2006), n = 3..15 (simulated with 500,000
#: matrices). CR verdicts near 0.1 can flip with the table.
RANDOM_INDEX: dict[str, dict[int, float]] = {
    "saaty1980": {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49},
    "alonso_lamata2006": {3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417,
                          8: 1.4056, 9: 1.4499, 10: 1.4854, 11: 1.5141, 12: 1.5365,
                          13: 1.5551, 14: 1.5713, 15: 1.5838},
}

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


# ---------------------------------------------------------------- inputs
def criteria_table(client: Client) -> pd.DataFrame:
    """The criteria of ``criteria.yaml`` as a table indexed by criterion id."""
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
    """Vendors x criteria, as numbers (yes = 1, no = 0), and the cells it had to assume.

    ``prices`` gives the ``source: pricing`` criteria (e.g. cost per contact from
    :func:`bpo_analysis.steps.pricing.calc.vendor_prices`), indexed by vendor id; ``vendor_ids``
    keeps those vendors only (e.g. the knock-out survivors). A missing value (a vendor
    without a pilot) is refused with ``missing="error"``; with ``"worst"`` it takes the
    worst value any of the vendors has on that criterion and is listed in the second
    table (vendor, criterion, value assumed), so the report can show it.
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
            cols[c.id] = v[c.column].astype(float)
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
        warnings.warn(f"{len(assumed)} missing score(s) taken as the worst value of their "
                      "criterion (see the table of assumed values)", DataWarning, stacklevel=2)
    return matrix, pd.DataFrame(assumed, columns=["vendor_id", "criterion", "assumed"])


def knock_out(client: Client, prices: pd.Series | None = None) -> pd.DataFrame:
    """Every knock-out rule against every vendor: a table, not a silent drop.

    Columns ``vendor_id``, ``criterion``, ``value``, ``rule``, ``passed``; a vendor
    with no value for a rule's criterion fails it (``value`` empty). The vendors left
    are those with every row passed.
    """
    v = client.vendors.set_index("vendor_id")
    rows = []
    for c in client.criteria.criteria:
        if c.knock_out is None:
            continue
        if c.source == "pricing" and prices is None:
            raise InputError("prices", None, f"the values of criterion {c.id!r} "
                             "(source: pricing, it has a knock-out rule), one per vendor id")
        values = prices.reindex(v.index) if c.source == "pricing" else v[c.column]
        op, limit = _OPS[c.knock_out.op], c.knock_out.value
        for vid, x in values.items():
            ok = bool(pd.notna(x) and op(x, limit))
            rows.append({"vendor_id": vid, "criterion": c.id, "value": x,
                         "rule": f"{c.name} {c.knock_out.op} {_show(limit)}", "passed": ok})
    return pd.DataFrame(rows, columns=["vendor_id", "criterion", "value", "rule", "passed"])


def survivors(knock_outs: pd.DataFrame, vendor_ids: Sequence[str]) -> list[str]:
    """The vendors passing every rule of a :func:`knock_out` table, in ``vendor_ids``
    order; fewer than two left is an error (nothing to compare)."""
    failed = set(knock_outs.loc[~knock_outs["passed"], "vendor_id"])
    left = [v for v in vendor_ids if v not in failed]
    if len(left) < 2:
        raise InputError("knock-out rules", f"{len(left)} vendor(s) left: {left}",
                         "at least 2 vendors passing every rule (relax a rule in "
                         "criteria.yaml)")
    return left


def _show(x: Any) -> str:
    return ("yes" if x else "no") if isinstance(x, bool) else str(x)


def _checked(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
             directions: Mapping[str, str] | pd.Series
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, weights summing to 1, is_benefit) after the input checks."""
    if matrix.shape[0] < 2:
        raise InputError("matrix", f"{matrix.shape[0]} vendor(s)", "at least 2 vendors")
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
    """Scores of one method: ``score`` (higher is better), ``rank`` (1 = best; ties
    share the better rank); for the weighted sum, ``contributions`` (vendor x
    criterion, summing to the score); for TOPSIS, the weighted normalised ``ideal`` and
    ``anti_ideal`` vendors (per criterion)."""

    method: str
    score: pd.Series
    rank: pd.Series
    contributions: pd.DataFrame | None = None
    ideal: pd.Series | None = None
    anti_ideal: pd.Series | None = None

    def table(self) -> pd.DataFrame:
        """Vendors best first: ``score``, ``rank``, ``tie`` (shares its rank)."""
        t = pd.DataFrame({"score": self.score, "rank": self.rank})
        t["tie"] = t["rank"].duplicated(keep=False)
        return t.sort_values(["rank", "score"], ascending=[True, False])


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; equal scores (to 1e-12) share the better rank. Works on
    the last axis, so a batch of score vectors ranks in one call."""
    s = np.asarray(scores, float)
    ranks = np.ones(s.shape, dtype=np.int64)
    for j in range(s.shape[-1]):  # a loop over vendors, vectorised over the draws
        ranks += (s[..., j:j + 1] - s) > 1e-12
    return ranks


def _normalise(values: np.ndarray, benefit: np.ndarray, how: str) -> np.ndarray:
    """Column-wise normalisation where 1 is best: min-max or sum (cost: 1/x over the
    sum of 1/x). A column on which every vendor ties gets 1 everywhere (min-max) or an
    equal share (sum): it discriminates nothing."""
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
    """Simple additive weighting: sum over criteria of weight x normalised score.

    Examples
    --------
    >>> m = pd.DataFrame({"price": [60.0, 80.0], "qa": [90.0, 80.0]}, index=["A", "B"])
    >>> r = weighted_sum(m, {"price": 0.5, "qa": 0.5}, {"price": "cost", "qa": "benefit"})
    >>> r.score.tolist(), r.rank.tolist()
    ([1.0, 0.0], [1, 2])
    """
    values, w, benefit = _checked(matrix, weights, directions)
    contrib = _normalise(values, benefit, normalisation) * w
    score = contrib.sum(axis=1)
    return Ranking(f"weighted sum ({normalisation})", pd.Series(score, matrix.index),
                   pd.Series(_ranks(score), matrix.index),
                   pd.DataFrame(contrib, index=matrix.index, columns=matrix.columns))


def _topsis_closeness(norm: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Closeness for one weight vector (k,) or a batch (n, k); ``norm`` is m x k.

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
    """TOPSIS (Hwang and Yoon, 1981): closeness to the ideal vendor, in [0, 1].

    Scores are divided by their column's Euclidean norm and weighted; the ideal takes
    each criterion's best weighted score and the anti-ideal its worst; closeness =
    D- / (D+ + D-) with D+ and D- the Euclidean distances to them (0.5 when every
    vendor is the same). A criterion on which all vendors tie adds nothing to either
    distance.

    Examples
    --------
    >>> m = pd.DataFrame({"price": [60.0, 80.0], "qa": [90.0, 80.0]}, index=["A", "B"])
    >>> topsis(m, {"price": 0.5, "qa": 0.5}, {"price": "cost", "qa": "benefit"}).rank.tolist()
    [1, 2]
    """
    values, w, benefit = _checked(matrix, weights, directions)
    norm = _vector_norm(values)
    c = _topsis_closeness(norm, w, benefit)
    v = norm * w
    hi, lo = v.max(axis=0), v.min(axis=0)
    return Ranking("TOPSIS", pd.Series(c, matrix.index), pd.Series(_ranks(c), matrix.index),
                   ideal=pd.Series(np.where(benefit, hi, lo), matrix.columns),
                   anti_ideal=pd.Series(np.where(benefit, lo, hi), matrix.columns))


def _batch_scores(values: np.ndarray, w: np.ndarray, benefit: np.ndarray,
                  method: str) -> np.ndarray:
    """Scores for a batch of weight vectors ``w`` (n x k): n x m, one computation."""
    if method == "topsis":
        return _topsis_closeness(_vector_norm(values), w, benefit)
    if method in ("minmax", "sum"):
        return w @ _normalise(values, benefit, method).T
    raise InputError("method", method, "'topsis', 'minmax' or 'sum' (weighted sum)")


# ---------------------------------------------------------------- AHP
@dataclass(frozen=True)
class AhpResult:
    """Weights from pairwise judgements and their consistency.

    ``worst`` names the judgement farthest from what the weights imply (item i, item j,
    the judgement a_ij and w_i / w_j): the first one to revisit when ``cr`` > 0.1.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float | None
    random_index: str
    worst: tuple[str, str, float, float] | None

    @property
    def consistent(self) -> bool:
        """CR <= 0.1 (Saaty's rule); True for n <= 2, which cannot be inconsistent."""
        return self.cr is None or self.cr <= 0.1


def _perron(a: np.ndarray) -> tuple[float, np.ndarray]:
    values, vectors = np.linalg.eig(a)
    i = int(np.argmax(values.real))
    w = np.abs(vectors[:, i].real)
    return float(values[i].real), w / w.sum()


def _ahp(a: np.ndarray, labels: list[str], known: np.ndarray, random_index: str,
         lam_matrix: np.ndarray) -> AhpResult:
    n = len(labels)
    table = RANDOM_INDEX.get(random_index) if isinstance(random_index, str) else None
    if table is None:
        raise InputError("random_index", random_index, f"one of {list(RANDOM_INDEX)}")
    lam, w = _perron(lam_matrix)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    if n > 2 and n not in table:
        raise InputError("random_index", f"{random_index} for {n} items",
                         f"a table covering n = {n} (one of {list(RANDOM_INDEX)})")
    cr = ci / table[n] if n > 2 else None
    worst = None
    if n > 2:
        dev = np.where(known, np.abs(np.log(np.where(known, a, 1.0) * w[None, :] / w[:, None])),
                       -1.0)
        i, j = np.unravel_index(int(np.argmax(dev)), dev.shape)
        worst = (labels[i], labels[j], float(a[i, j]), float(w[i] / w[j]))
    return AhpResult(pd.Series(w, index=labels, name="weight"), lam, max(ci, 0.0),
                     None if cr is None else max(cr, 0.0), random_index, worst)


def ahp_weights(pairwise: pd.DataFrame | np.ndarray, random_index: str = "saaty1980"
                ) -> AhpResult:
    """AHP weights: the principal eigenvector of a reciprocal pairwise matrix.

    ``pairwise[i, j]`` says how many times more important item i is than item j
    (Saaty's 1-9 scale); the matrix must be positive and reciprocal (a_ji = 1 / a_ij).
    λmax is the principal eigenvalue, CI = (λmax - n) / (n - 1) and CR = CI / RI(n)
    with the random index of ``random_index`` (default Saaty 1980: 0.58, 0.90, 1.12,
    1.24, 1.32, 1.41, 1.45, 1.49 for n = 3..10; see :data:`RANDOM_INDEX`).

    Examples
    --------
    Saaty's (1980) relative wealth of seven nations: λmax 7.61, CI 0.10, CR 0.08.

    >>> a = [[1, 4, 9, 6, 6, 5, 5], [1/4, 1, 7, 5, 5, 3, 4], [1/9, 1/7, 1, 1/5, 1/5, 1/7, 1/5],
    ...      [1/6, 1/5, 5, 1, 1, 1/3, 1/3], [1/6, 1/5, 5, 1, 1, 1/3, 1/3],
    ...      [1/5, 1/3, 7, 3, 3, 1, 2], [1/5, 1/4, 5, 3, 3, 1/2, 1]]
    >>> r = ahp_weights(np.array(a))
    >>> r.weights.round(3).tolist(), round(r.lambda_max, 2), round(r.cr, 2)
    ([0.427, 0.23, 0.021, 0.052, 0.052, 0.123, 0.094], 7.61, 0.08)
    """
    if isinstance(pairwise, pd.DataFrame):
        labels = [str(x) for x in pairwise.index]
        if [str(x) for x in pairwise.columns] != labels:
            raise InputError("pairwise", "rows and columns differ",
                             "a square matrix with the same items on both axes")
        a = pairwise.to_numpy(float)
    else:
        a = np.asarray(pairwise, float)
        labels = [str(i) for i in range(len(a))]
    if a.ndim != 2 or a.shape[0] != a.shape[1] or len(a) < 2:
        raise InputError("pairwise", f"shape {a.shape}", "a square matrix of 2 or more items")
    bad = np.argwhere(~(np.isfinite(a) & (a > 0)))
    if bad.size:
        i, j = bad[0]
        raise InputError(f"pairwise[{labels[i]}, {labels[j]}]", a[i, j], "a number > 0")
    off = np.argwhere(np.abs(a * a.T - 1) > 1e-6)
    if off.size:
        i, j = off[0]
        raise InputError(f"pairwise[{labels[j]}, {labels[i]}]", a[j, i],
                         f"1 / pairwise[{labels[i]}, {labels[j]}] = {1 / a[i, j]:.4g} "
                         "(the matrix must be reciprocal)")
    known = ~np.eye(len(a), dtype=bool)
    return _ahp(a, labels, known, random_index, a)


def ahp_from_judgements(items: Sequence[str],
                        judgements: Sequence[tuple[str, str, float]],
                        random_index: str = "saaty1980") -> AhpResult:
    """AHP weights from a (possibly partial) list of judgements ``(a, b, value)``: a is
    ``value`` times as important as b.

    A missing pair is completed by Harker's method (Harker, "Incomplete pairwise
    comparisons in the analytic hierarchy process", Math. Modelling 9, 1987): its entry
    is left 0 and each row's diagonal becomes 1 + the number of pairs missing in that
    row; the principal eigenvector of that matrix gives the weights. The judged pairs
    must connect every item (directly or through others).
    """
    labels = [str(x) for x in items]
    pos = {x: i for i, x in enumerate(labels)}
    n = len(labels)
    if n < 2:
        raise InputError("items", labels, "2 or more items to weigh")
    a = np.ones((n, n))
    known = np.zeros((n, n), bool)
    for k, judgement in enumerate(judgements):
        try:
            x, y, value = judgement
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(f"judgement {k + 1}", judgement,
                             "[item, item, value]: the first is value times as important") from None
        for item in (x, y):
            if item not in pos:
                raise InputError(f"judgement {k + 1}", item, f"one of {labels}")
        if x == y or not (np.isfinite(value) and value > 0):
            raise InputError(f"judgement {k + 1}", judgement,
                             "two different items and a value > 0")
        i, j = pos[x], pos[y]
        if known[i, j] and abs(a[i, j] - value) > 1e-9:
            raise InputError(f"judgement {k + 1}", judgement,
                             f"one judgement per pair ({x} vs {y} given twice)")
        a[i, j], a[j, i] = value, 1.0 / value
        known[i, j] = known[j, i] = True
    reach = {0}
    frontier = [0]
    while frontier:
        i = frontier.pop()
        for j in np.flatnonzero(known[i]):
            if int(j) not in reach:
                reach.add(int(j))
                frontier.append(int(j))
    if len(reach) < n:
        lost = [labels[i] for i in range(n) if i not in reach]
        raise InputError("judgements", f"{lost} never compared with {labels[0]}",
                         "judgements connecting every item, directly or through others")
    harker = np.where(known, a, 0.0)
    np.fill_diagonal(harker, 1.0 + (n - 1 - known.sum(axis=1)))
    return _ahp(a, labels, known, random_index, harker)


def ahp_criterion_weights(client: Client) -> tuple[AhpResult, pd.Series]:
    """The ``ahp:`` section of ``criteria.yaml`` as criterion weights (summing to 1).

    Judgements over groups give each group its AHP weight, shared by the group's
    criteria in proportion to their stated weights (equally when those are all 0);
    judgements over criteria give the criterion weights directly. Returns the AHP
    result (weights of what was compared, λmax, CI, CR) and the criterion weights.
    """
    section = client.criteria.ahp
    if section is None:
        raise InputError("criteria.yaml ahp", None,
                         "an 'ahp:' section with judgements (see data/README.md)")
    result = ahp_from_judgements(client.criteria.ahp_items(),
                                 [tuple(j) for j in section.judgements], section.random_index)
    crit = criteria_table(client)
    if section.over == "criteria":
        return result, result.weights.rename_axis("id").rename("weight")
    stated = crit.groupby("group", sort=False)["weight"]
    share = crit["weight"] / stated.transform("sum")
    share = share.fillna(1.0 / stated.transform("size"))
    return result, (share * crit["group"].map(result.weights)).rename("weight")


# ---------------------------------------------------------------- sensitivity
def _method_key(method: str) -> str:
    key = {"topsis": "topsis", "weighted_sum": "minmax", "minmax": "minmax",
           "sum": "sum"}.get(method)
    if key is None:
        raise InputError("method", method, "'topsis', 'weighted_sum' (min-max) or 'sum'")
    return key


def rank_stability(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
                   directions: Mapping[str, str] | pd.Series, method: str = "topsis", *,
                   n: int = 10_000, concentration: float | None = 50.0,
                   seed: int = 0) -> pd.DataFrame:
    """How often each vendor ranks first, second, ... when the weights are uncertain.

    ``n`` weight vectors are drawn from a Dirichlet distribution centred on the chosen
    weights (parameters concentration x weight: larger is tighter; criteria of weight 0
    stay 0), or uniform over all weight vectors (``concentration=None``, "no
    preference"). All draws are scored in one vectorised computation.

    Returns
    -------
    DataFrame
        Vendors (rows, most often first first) x ``P(rank 1)``, ``P(rank 2)``, ...,
        and ``mean rank``.
    """
    values, w, benefit = _checked(matrix, weights, directions)
    key = _method_key(method)
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise InputError("n", n, "a whole number of draws >= 1")
    rng = np.random.default_rng(seed)
    draws = np.zeros((n, len(w)))
    if concentration is None:
        draws = rng.dirichlet(np.ones(len(w)), size=n)
    else:
        if not concentration > 0:
            raise InputError("concentration", concentration, "> 0, or None for uniform")
        on = w > 0
        draws[:, on] = rng.dirichlet(concentration * w[on] / w[on].sum(), size=n)
    ranks = _ranks(_batch_scores(values, draws, benefit, key))
    m = len(matrix)
    prob = np.bincount((np.arange(m) * m + ranks - 1).ravel(), minlength=m * m
                       ).reshape(m, m) / n
    out = pd.DataFrame(prob, index=matrix.index,
                       columns=[f"P(rank {r})" for r in range(1, m + 1)])
    out["mean rank"] = ranks.mean(axis=0)
    return out.sort_values(["P(rank 1)", "mean rank"], ascending=[False, True])


def weight_switch_points(matrix: pd.DataFrame, weights: Mapping[str, float] | pd.Series,
                         directions: Mapping[str, str] | pd.Series, method: str = "topsis",
                         *, resolution: float = 0.005) -> pd.DataFrame:
    """For each criterion, the weight at which the winner changes.

    The criterion's weight moves from 0 to 1 while the others keep their proportions
    (rescaled to fill the rest); the nearest change of winner below and above today's
    weight is found on a grid of step ``resolution`` and then located to 1e-6 by
    bisection (a change and its reversal both inside one grid step are not seen).

    Returns
    -------
    DataFrame
        Per criterion: ``weight`` (today), ``winner`` (today), ``below`` (the weight
        at which another vendor takes over as the weight falls; NaN if none does down
        to 0), ``winner below`` (that vendor), ``above`` and ``winner above`` likewise
        as the weight rises to 1.
    """
    values, w, benefit = _checked(matrix, weights, directions)
    key = _method_key(method)
    grid = np.linspace(0.0, 1.0, round(1 / resolution) + 1)
    ids = matrix.index
    today = _batch_scores(values, w[None, :], benefit, key)[0]
    winner = int(np.argmax(today))
    k_n, g_n = len(w), len(grid)
    # every criterion's sweep in one batch: (criterion, grid point, weight vector)
    others = np.broadcast_to(w, (k_n, k_n)).copy()
    np.fill_diagonal(others, 0.0)
    rest = others.sum(axis=1, keepdims=True)
    share = np.divide(others, rest, out=np.broadcast_to(
        (1 - np.eye(k_n)) / max(k_n - 1, 1), (k_n, k_n)).copy(), where=rest > 0)
    batch = share[:, None, :] * (1 - grid)[None, :, None]
    batch[np.arange(k_n), :, np.arange(k_n)] = grid
    top = np.argmax(_batch_scores(values, batch.reshape(-1, k_n), benefit, key),
                    axis=1).reshape(k_n, g_n)
    changed = top != winner

    def weights_at(k: np.ndarray, x: np.ndarray) -> np.ndarray:
        out = share[k] * (1 - x)[:, None]
        out[np.arange(len(k)), k] = x
        return out

    # bracket each change on the grid, then bisect to 1e-6 (all criteria at once)
    lo_side, hi_side = {}, {}
    for k in range(k_n):
        below = np.flatnonzero((grid < w[k]) & changed[k])
        above = np.flatnonzero((grid > w[k]) & changed[k])
        if below.size:  # another vendor wins at grid[i]; today's winner at min(next, w)
            i = below[-1]
            lo_side[k] = (grid[i], min(grid[i + 1], w[k]))
        if above.size:  # today's winner at max(previous, w); another at grid[j]
            j = above[0]
            hi_side[k] = (max(grid[j - 1], w[k]), grid[j])
    found = {}
    for side, brackets in (("below", lo_side), ("above", hi_side)):
        if not brackets:
            continue
        ks = np.array(list(brackets))
        other, keep = (np.array([brackets[k][0] for k in ks]),
                       np.array([brackets[k][1] for k in ks]))
        if side == "above":
            other, keep = keep, other
        for _ in range(20):  # other: another vendor wins; keep: today's winner does
            mid = (other + keep) / 2
            wins = np.argmax(_batch_scores(values, weights_at(ks, mid), benefit, key),
                             axis=1) == winner
            keep, other = np.where(wins, mid, keep), np.where(wins, other, mid)
        who = np.argmax(_batch_scores(values, weights_at(ks, other), benefit, key), axis=1)
        for k, at, v in zip(ks, other, who, strict=True):
            found[(side, int(k))] = (float(at), ids[v])
    rows = []
    for k, cid in enumerate(matrix.columns):
        lo = found.get(("below", k))
        hi = found.get(("above", k))
        rows.append({"criterion": cid, "weight": w[k], "winner": ids[winner],
                     "below": lo[0] if lo else np.nan, "winner below": lo[1] if lo else None,
                     "above": hi[0] if hi else np.nan, "winner above": hi[1] if hi else None})
    return pd.DataFrame(rows).set_index("criterion")
