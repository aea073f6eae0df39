"""Step 2: criterion weights from pairwise judgements (the Analytic Hierarchy Process).

:func:`ahp_weights` takes the principal eigenvector of a reciprocal pairwise matrix,
with the consistency ratio against a selectable random-index table; a partial set of
judgements is completed by Harker's method (:func:`ahp_from_judgements`);
:func:`ahp_criterion_weights` reads the ``ahp:`` section of ``criteria.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps.vendors.scoring import criteria_table

__all__ = ["RANDOM_INDEX", "AhpResult", "ahp_criterion_weights", "ahp_from_judgements",
           "ahp_weights"]

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
    """Compute AHP weights: the principal eigenvector of a reciprocal pairwise matrix.

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
    """Compute AHP weights from a (possibly partial) list of judgements ``(a, b, value)``.

    In each judgement a is ``value`` times as important as b.

    A missing pair is completed by Harker's method (Harker, "Incomplete pairwise
    comparisons in the analytic hierarchy process", Math. Modelling 9, 1987): its entry
    is left 0 and each row's diagonal becomes 1 + the number of pairs missing in that
    row; the principal eigenvector of that matrix gives the weights. The judged pairs
    must connect every item (directly or through others), each pair once (in either
    order, even with the same value: a second judgement is a slip, not a confirmation).
    """
    labels = [str(x) for x in items]
    pos = {x: i for i, x in enumerate(labels)}
    n = len(labels)
    if n < 2:
        raise InputError("items", labels, "2 or more items to weigh")
    a = np.ones((n, n))
    known = np.zeros((n, n), bool)
    judged: dict[frozenset[str], int] = {}  # pair -> the judgement that compares it
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
        if known[i, j]:
            raise InputError(f"judgement {k + 1}", judgement,
                             f"one judgement per pair: {x} vs {y} is judgement "
                             f"{judged[frozenset((x, y))] + 1} already")
        judged[frozenset((x, y))] = k
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
        raise InputError("judgements", f"{', '.join(lost)} never compared with "
                         f"{', '.join(labels[i] for i in sorted(reach))}",
                         "judgements connecting every item, directly or through others")
    harker = np.where(known, a, 0.0)
    np.fill_diagonal(harker, 1.0 + (n - 1 - known.sum(axis=1)))
    return _ahp(a, labels, known, random_index, harker)


def ahp_criterion_weights(client: Client) -> tuple[AhpResult, pd.Series]:
    """Turn the ``ahp:`` section of ``criteria.yaml`` into criterion weights (summing to 1).

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
