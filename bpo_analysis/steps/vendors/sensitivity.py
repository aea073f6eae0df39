"""Step 2: how much the winner depends on the weights.

:func:`rank_stability` draws weight vectors around the chosen ones (Monte Carlo,
vectorised) and counts how often each vendor ranks first; :func:`weight_switch_points`
finds, per criterion, the weight at which the winner changes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from bpo_analysis.errors import InputError
from bpo_analysis.steps.vendors.scoring import batch_scores, checked_inputs, rank_order

__all__ = ["rank_stability", "weight_switch_points"]


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
    """Count how often each vendor ranks first, second, ... when the weights are uncertain.

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
    values, w, benefit = checked_inputs(matrix, weights, directions)
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
    ranks = rank_order(batch_scores(values, draws, benefit, key))
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
    """Find, for each criterion, the weight at which the winner changes.

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
    values, w, benefit = checked_inputs(matrix, weights, directions)
    key = _method_key(method)
    grid = np.linspace(0.0, 1.0, round(1 / resolution) + 1)
    ids = matrix.index
    today = batch_scores(values, w[None, :], benefit, key)[0]
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
    top = np.argmax(batch_scores(values, batch.reshape(-1, k_n), benefit, key),
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
            wins = np.argmax(batch_scores(values, weights_at(ks, mid), benefit, key),
                             axis=1) == winner
            keep, other = np.where(wins, mid, keep), np.where(wins, other, mid)
        who = np.argmax(batch_scores(values, weights_at(ks, other), benefit, key), axis=1)
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
