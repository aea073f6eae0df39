"""Step 4: what the SLA writes down, and what it pays out.

The credit rules live in :mod:`bpo_analysis.core.sla` (step 5 applies them too): there,
:func:`~bpo_analysis.core.sla.monthly_credits` applies them to actual months (a back-test
on a vendor's reports). Here :func:`simulate_payout` applies them to simulated years,
vectorised, and :func:`fit_performance` and :func:`target_for_miss_probability` help
choose targets the vendor can meet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special  # ndtr/ndtri = scipy.stats.norm's cdf/ppf, 0.7 s less to import

from bpo_analysis.core.sla import apply_rules, cap_bonus, check_terms, sla_arrays
from bpo_analysis.core.sla_lines import split
from bpo_analysis.data import kpis
from bpo_analysis.data.models import SlaTerms
from bpo_analysis.errors import InputError

__all__ = ["PerformanceModel", "fit_performance", "simulate_payout",
           "target_for_miss_probability"]


@dataclass(frozen=True)
class PerformanceModel:
    """Monthly KPI values as a multivariate normal.

    ``mean`` and ``sd`` per SLA line (a KPI on a channel, ``<kpi>@<channel>``, or a KPI)
    and their ``corr`` (from a vendor's history, :func:`fit_performance`, or assumed).
    """

    mean: pd.Series
    sd: pd.Series
    corr: pd.DataFrame

    def __post_init__(self) -> None:
        """Refuse parts on different KPIs, or a correlation no data could have."""
        ids = list(self.mean.index)
        if list(self.sd.index) != ids or list(self.corr.index) != ids or list(
                self.corr.columns) != ids:
            raise InputError("performance model", "mean, sd and corr on different KPIs",
                             "the same KPIs, in the same order")
        if (self.sd < 0).any():
            raise InputError("sd", self.sd[self.sd < 0].index[0], ">= 0")
        c = self.corr.to_numpy(float)
        if not (np.allclose(c, c.T) and np.allclose(np.diag(c), 1) and np.all(np.abs(c) <= 1)):
            raise InputError("corr", "not a correlation matrix",
                             "symmetric, 1 on the diagonal, entries in [-1, 1]")
        if np.linalg.eigvalsh(c).min() < -1e-9:
            raise InputError("corr", "not positive semi-definite",
                             "a correlation matrix some data could have")


def fit_performance(history: pd.DataFrame) -> PerformanceModel:
    """Fit the mean, standard deviation and correlation of each KPI over ``history``.

    Parameters
    ----------
    history : DataFrame
        One row per month, one column per KPI (in its unit); at least 3 complete months.

    Returns
    -------
    PerformanceModel
    """
    h = history.astype(float).dropna()
    if len(h) < 3:
        raise InputError("history", f"{len(h)} complete months", "at least 3")
    corr = h.corr().fillna(0.0).to_numpy(copy=True)  # a constant KPI correlates with none
    np.fill_diagonal(corr, 1.0)
    return PerformanceModel(h.mean(), h.std(ddof=1),
                            pd.DataFrame(corr, index=h.columns, columns=h.columns))


def simulate_payout(terms: SlaTerms, model: PerformanceModel, invoice: float | np.ndarray,
                    months: int = 12, n: int = 100_000, seed: int = 0,
                    shares: dict[str, float] | None = None) -> dict[str, object]:
    """Simulate the distribution of a year's SLA payout when each KPI varies as ``model`` says.

    ``n`` years of ``months`` monthly KPI values (from January) are drawn at once
    (correlated normals in single precision, clipped to each KPI's range) and the rules
    of :func:`bpo_analysis.core.sla.monthly_credits` applied to all of them in one
    vectorised computation. Each year is preceded by warm-up months (the N-of-M
    window's, or its quarters', and a bonus streak's length less one, so a year does not
    start with an empty window) and followed by the earn-back months (so its last
    credits can be earned back); only the year's own credits, earn-backs of them and
    bonuses count.

    Parameters
    ----------
    terms : SlaTerms
        The SLA terms.
    model : PerformanceModel
        The monthly values' distribution, one per line judged (the lines of ``terms``
        on the channels simulated, or KPI ids for lines on the whole invoice).
    invoice : float or array
        The monthly invoice, currency: one amount, or one a month.
    shares : dict of str to float, optional
        Each channel's share of the invoice (a line's credit is taken on its channel's);
        default: equal shares of the channels of the lines.
    months : int
        Months in a simulated year.
    n : int
        Simulated years.
    seed : int
        Seed of the random draws.

    Returns
    -------
    dict
        ``net`` (n,) yearly credits - earned back - bonus (currency); ``credits``,
        ``earned_back``, ``bonus`` likewise; ``p_breach`` (share of years with any credit
        fired), ``p_kpi`` (Series: share of years each line fired at least once) and
        ``months_missed`` (Series: mean months a year each line missed its target).
    """
    check_terms(terms)
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise InputError("n", n, "a whole number of simulated years >= 1")
    if not (isinstance(months, int | np.integer) and months >= 1):
        raise InputError("months", months, "whole months >= 1")
    ids = [str(i) for i in model.mean.index]
    stray = [i for i in ids if split(i)[0] not in terms.kpis]
    if stray or not ids:
        raise InputError("model", f"distributions of {ids}",
                         f"one per line of the terms' KPIs {list(terms.kpis)}")
    channels = list(dict.fromkeys(c for _k, c in map(split, ids) if c))
    shares = shares or {c: 1 / len(channels) for c in channels}
    lacking = [c for c in channels if c not in shares]
    if lacking:
        raise InputError("shares", f"no share for channel {lacking[0]!r}",
                         f"each channel's share of the invoice: {channels}")
    share = np.array([shares[c] if c else 1.0 for _k, c in map(split, ids)])
    inv = np.asarray(invoice, float)
    if inv.ndim == 0:
        inv = np.full(months, float(inv))
    if inv.shape != (months,) or not np.isfinite(inv).all() or (inv < 0).any():
        raise InputError("invoice", f"shape {inv.shape}, min {np.nanmin(inv):g}"
                         if inv.size else "empty",
                         f"one amount >= 0, or {months} of them (one a month)")
    a = sla_arrays(terms, ids)
    # months before the year warm the rules up (the N-of-M window, the bonus streak, a
    # quarter under way) and months after it let its last credits be earned back
    rule = terms.target_miss_rule
    quarterly = a["quarterly"].any()
    warm = 3 * rule.months if quarterly else max(rule.months, terms.bonus_after_months) - 1
    after = terms.earn_back_months * (3 if quarterly else 1)
    total_months = warm + months + after
    mean = model.mean.to_numpy(float)
    sd = model.sd.to_numpy(float)
    cov = model.corr.to_numpy(float) * np.outer(sd, sd)
    rng = np.random.default_rng(seed)
    w, v = np.linalg.eigh(cov)  # cov = L L' with L = V sqrt(W) (semi-definite allowed)
    root = (v * np.sqrt(np.clip(w, 0, None))).astype(np.float32)
    z = rng.standard_normal((total_months, n, len(ids)), dtype=np.float32)  # months lead
    values = z @ root.T + mean.astype(np.float32)
    lo = np.array([kpis.KPIS[split(k)[0]].bounds[0] for k in ids], dtype=np.float32)
    hi = np.array([kpis.KPIS[split(k)[0]].bounds[1] for k in ids], dtype=np.float32)
    np.clip(values, lo, hi, out=values)
    full_inv = np.concatenate([np.full(warm, inv[0]), inv, np.full(after, inv[-1])])
    t = np.arange(total_months) - warm  # 0 is the year's January
    r = apply_rules(values, full_inv, terms, a, t % 12 + 1, t // 12, share)
    year = slice(warm, warm + months)
    credit = r["credit"][year]
    bonus = cap_bonus(r["bonus"][year], inv, np.zeros(months), terms.bonus_cap_share)
    credits = credit.sum(axis=(0, 2), dtype=np.float64)
    back = np.where(r["earned"][year], credit, 0).sum(axis=(0, 2), dtype=np.float64)
    bonus_year = bonus.sum(axis=0, dtype=np.float64)
    fired_year = r["fired"][year].any(axis=0)  # (n, kpis)
    return {"net": credits - back - bonus_year, "credits": credits, "earned_back": back,
            "bonus": bonus_year, "p_breach": float(fired_year.any(axis=1).mean()),
            "p_kpi": pd.Series(fired_year.mean(axis=0), index=ids),
            "months_missed": pd.Series(r["miss_target"][year].sum(axis=0).mean(axis=0),
                                       index=ids)}


def target_for_miss_probability(model: PerformanceModel, kpi_id: str, probability: float,
                                direction: str | None = None) -> float:
    """Return the target a month misses with ``probability`` under ``model`` (normal).

    For a higher-is-better KPI the ``probability`` quantile, else the 1 - ``probability``
    one.

    Parameters
    ----------
    model : PerformanceModel
        The monthly KPI values' distribution.
    kpi_id : str
        A KPI of ``model``.
    probability : float
        Share (0-1) of months that miss the target.
    direction : str, optional
        ``higher`` or ``lower`` is better (default: the KPI dictionary's).

    Returns
    -------
    float
        The target, in the KPI's unit.

    Examples
    --------
    >>> m = PerformanceModel(pd.Series({"fcr": 0.8}), pd.Series({"fcr": 0.05}),
    ...                      pd.DataFrame([[1.0]], index=["fcr"], columns=["fcr"]))
    >>> round(target_for_miss_probability(m, "fcr", 0.5), 3)   # the median: missed half
    0.8
    >>> round(12 * float(special.ndtr((0.9 - 0.8) / 0.05)), 1)  # a 0.9 target: months
    11.7
    """
    if not 0 < probability < 1:
        raise InputError("probability", probability, "a share strictly between 0 and 1")
    if kpi_id not in model.mean.index:
        raise InputError("kpi", kpi_id, f"one of {list(model.mean.index)}")
    higher = (direction or kpis.KPIS[split(kpi_id)[0]].direction) == "higher"
    q = probability if higher else 1 - probability
    return float(model.mean[kpi_id] + model.sd[kpi_id] * special.ndtri(q))  # normal quantile
