"""The risk register of step 7, scored on the NPSA 5 x 5 risk matrix.

:func:`register` scores ``risks.csv``: likelihood x impact on 1-5 scales, before and
after mitigation, rated with the NPSA 5 x 5 risk matrix (1-3 low, 4-6 moderate, 8-12
high, 15-25 extreme: National Patient Safety Agency, *A risk matrix for risk managers*,
2008); :func:`top_risks` and :func:`heat_matrix` show it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.errors import InputError

__all__ = ["RATINGS", "heat_matrix", "rating", "register", "top_risks"]

#: NPSA 5 x 5 matrix bands: (lowest score, name).
RATINGS = ((15, "extreme"), (8, "high"), (4, "moderate"), (1, "low"))


def rating(score: int) -> str:
    """Return the NPSA band of a likelihood x impact score (1-25).

    Parameters
    ----------
    score : int
        Likelihood x impact, each on a 1-5 scale.

    Returns
    -------
    str
        ``low``, ``moderate``, ``high`` or ``extreme``.

    Examples
    --------
    >>> [rating(s) for s in (3, 4, 6, 8, 12, 15, 25)]
    ['low', 'moderate', 'moderate', 'high', 'high', 'extreme', 'extreme']
    """
    if not (isinstance(score, int | np.integer) and 1 <= score <= 25):
        raise InputError("score", score, "a whole likelihood x impact score from 1 to 25")
    return next(name for low, name in RATINGS if score >= low)


def register(risks: pd.DataFrame) -> pd.DataFrame:
    """Score ``risks.csv``, highest residual score first.

    Parameters
    ----------
    risks : DataFrame
        ``risks.csv``: ``likelihood``, ``impact`` and their ``residual_`` values, 1-5.

    Returns
    -------
    DataFrame
        ``risks`` with ``score`` and ``residual_score`` (likelihood x impact, before
        and after mitigation), their ``rating`` and ``residual_rating``, and
        ``reduction`` (score points the mitigation removes); highest residual first.
    """
    out = risks.copy()
    out["score"] = out["likelihood"] * out["impact"]
    out["residual_score"] = out["residual_likelihood"] * out["residual_impact"]
    out["rating"] = [rating(int(s)) for s in out["score"]]
    out["residual_rating"] = [rating(int(s)) for s in out["residual_score"]]
    out["reduction"] = out["score"] - out["residual_score"]
    return out.sort_values(["residual_score", "score", "impact"], ascending=False,
                           kind="stable")


def top_risks(scored: pd.DataFrame, n: int = 5, *, residual: bool = False) -> pd.DataFrame:
    """Return the ``n`` highest risks, with owner and mitigation.

    Before mitigation (or after: ``residual=True``), ties broken by impact.

    Parameters
    ----------
    scored : DataFrame
        :func:`register`.
    n : int
        How many risks (>= 1).
    residual : bool
        Rank by the scores after mitigation.

    Returns
    -------
    DataFrame
        The first ``n`` rows of ``scored`` in that order.
    """
    if not (isinstance(n, int) and n >= 1):
        raise InputError("n", n, "a whole number of risks >= 1")
    key = "residual_score" if residual else "score"
    impact = "residual_impact" if residual else "impact"
    return scored.sort_values([key, impact], ascending=False, kind="stable").head(n)


def heat_matrix(scored: pd.DataFrame, *, residual: bool = False) -> pd.DataFrame:
    """Place the risk ids in the cells of the 5 x 5 matrix.

    Parameters
    ----------
    scored : DataFrame
        :func:`register` (or ``risks.csv``).
    residual : bool
        Place each risk by its likelihood and impact after mitigation.

    Returns
    -------
    DataFrame
        Index impact 5..1, columns likelihood 1..5; each cell a list of ids (empty
        where no risk sits).
    """
    lk, im = (("residual_likelihood", "residual_impact") if residual
              else ("likelihood", "impact"))
    out = pd.DataFrame([[[] for _ in range(5)] for _ in range(5)],
                       index=pd.Index(range(5, 0, -1), name="impact"),
                       columns=pd.Index(range(1, 6), name="likelihood"))
    for rid, l_, i_ in zip(scored["risk_id"], scored[lk], scored[im], strict=True):
        out.loc[int(i_), int(l_)].append(rid)
    return out
