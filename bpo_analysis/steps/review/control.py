"""Control charts of the monthly review (step 5), and the alerts they raise.

Each KPI goes on a Shewhart chart over the months of
:func:`~bpo_analysis.steps.review.calc.monthly` -- a p-chart, a u-chart (Laney's p' and
u' for samples of thousands of contacts) or an individuals chart -- and every point
beyond a limit, run or trend is an alert, one sentence each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.data.records import month_period
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.i18n import month as month_label
from bpo_analysis.steps.review.display import fmt_kpi, in_hours

__all__ = ["CHARTS", "SIGNALS", "alerts", "control_chart", "control_limits",
           "signal_name"]

#: How each KPI is charted: a p-chart (a share of n contacts), a u-chart (a rate per n)
#: or an individuals chart (X with moving ranges), and the n of the p- and u-charts.
CHARTS: dict[str, tuple[str, str | None]] = {
    "service_level": ("p", "offered"), "abandon_rate": ("p", "offered - abandoned_short"),
    "fcr": ("p", "handled"), "csat": ("p", "surveyed"),
    "complaint_rate": ("u", "handled"),
    "asa": ("x", None), "first_reply": ("x", None), "aht": ("x", None), "nps": ("x", None),
    "qa_score": ("x", None),
}
#: The n of a p-chart for the variants whose denominator differs from the canonical one;
#: a variant that is not a share of contacts (CSAT's mean / 5) goes on an individuals
#: chart.
VARIANT_N: dict[tuple[str, str], str | None] = {
    ("service_level", "answered"): "answered",
    ("service_level", "excl_short_abandons"): "offered - abandoned_short",
    ("abandon_rate", "all"): "offered", ("csat", "mean_of_5"): None,
}
D2 = 1.128  # E[moving range of 2] / sigma (control-chart constant d2 for n = 2)
RUN_LENGTH = 8  # Western Electric: 8 points in a row on one side of the centre line
TREND_LENGTH = 6  # 6 points in a row steadily rising (or falling)
#: The rules a point can break (the code in ``rule``) -> the signal as a reader reads it
#: (``signal``, in the report language; ``{n}`` the run's or trend's length).
SIGNALS: dict[str, str] = {
    "beyond limit": N_("beyond a control limit"),
    f"run of {RUN_LENGTH}": N_("{n} months in a row on one side of the centre line"),
    f"trend of {TREND_LENGTH}": N_("{n} months in a row rising or falling"),
}


def control_limits(kind: str, values: np.ndarray, n: np.ndarray | None = None,
                   baseline: int | None = None, scale: float = 1.0, laney: bool = False
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compute the centre line and 3-sigma limits of a Shewhart chart, per point.

    Parameters
    ----------
    kind :
        ``p`` (proportions: centre p = sum(p_i n_i) / sum(n_i), limits
        p +- 3 sqrt(p (1 - p) / n_i), kept inside 0..1), ``u`` (rates per unit:
        u +- 3 sqrt(u / n_i), lower limit >= 0; ``scale`` converts a rate per 1,000
        back and forth) or ``x`` (individuals: mean +- 3 MR/d2, MR the mean moving
        range of consecutive points).
    values, n :
        The points and (p, u) each point's sample size.
    baseline :
        The first ``baseline`` points set the limits (phase I); all by default.
    laney :
        Laney's p' (u') chart for large samples (Laney 2002, Quality Engineering 14(4)):
        the limits widen by sigma_z, the mean moving range of the baseline's z-scores
        over d2 -- months of thousands of contacts vary more than binomial noise (load,
        mix), and plain p-chart limits would flag nearly every month.

    Returns
    -------
    (centre, lcl, ucl), arrays as long as ``values``.

    Examples
    --------
    Montgomery's orange-juice cans (Introduction to Statistical Quality Control,
    Example 7.1): 30 samples of 50 with p = 0.2313 give limits 0.0524 and 0.4102.

    >>> c, lo, hi = control_limits("p", np.array([0.2313]), np.array([50]))
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.0524, 0.4102)
    """
    v = np.asarray(values, float)
    b = len(v) if baseline is None else int(baseline)
    if not 1 <= b <= len(v):
        raise InputError("baseline", baseline, f"between 1 and the {len(v)} points")
    ok = np.isfinite(v[:b])
    if kind in ("p", "u"):
        size = np.asarray(n, float)
        if (size < 0).any():
            raise InputError("n", float(size.min()), "sample sizes >= 0")
        w = np.where(ok, size[:b], 0.0)
        if w.sum() <= 0:
            raise InputError("baseline", b, "points with contacts to set the centre line")
        centre = float(np.sum(np.where(ok, v[:b], 0.0) / scale * w) / w.sum())
        spread = (centre * (1 - centre) if kind == "p" else centre) / np.maximum(size, 1e-12)
        sd = np.sqrt(spread)
        if laney:
            z = (v[:b][ok] / scale - centre) / np.where(sd[:b][ok] > 0, sd[:b][ok], np.inf)
            if len(z) < 2:
                raise InputError("baseline", b, "at least 2 points with a value (Laney)")
            sd = sd * float(np.mean(np.abs(np.diff(z)))) / D2
        half = 3 * sd * scale
        centre *= scale
        lcl = np.maximum(centre - half, 0.0)
        ucl = np.minimum(centre + half, scale) if kind == "p" else centre + half
        return np.full(len(v), centre), lcl, ucl
    if kind == "x":
        base = v[:b][ok]
        if len(base) < 2:
            raise InputError("baseline", b, "at least 2 points with a value (moving ranges)")
        centre = float(base.mean())
        sigma = float(np.mean(np.abs(np.diff(base)))) / D2
        return np.full(len(v), centre), np.full(len(v), centre - 3 * sigma), \
            np.full(len(v), centre + 3 * sigma)
    raise InputError("kind", kind, "'p', 'u' or 'x'")


def _runs(side: np.ndarray) -> np.ndarray:
    """Return the length of the run of equal non-zero ``side`` values ending at each point."""
    out = np.zeros(len(side), int)
    for i, s in enumerate(side):
        out[i] = 0 if s == 0 else (out[i - 1] + 1 if i and side[i - 1] == s else 1)
    return out


def control_chart(monthly_: pd.DataFrame, kpi_id: str, variant: str | None = None,
                  baseline: int | None = None) -> pd.DataFrame:
    """Build one KPI's control chart over the months, with its signals.

    The limits come from the first ``baseline`` months (default: every month); p- and
    u-charts are Laney's p' and u' (see :func:`control_limits`). A signal is a point
    beyond a limit, :data:`RUN_LENGTH` points in a row on one side of the centre, or
    :data:`TREND_LENGTH` points in a row rising (falling).

    Parameters
    ----------
    monthly_ : DataFrame
        :func:`~bpo_analysis.steps.review.calc.monthly`.
    kpi_id : str
        A KPI of :data:`CHARTS`.
    variant : str, optional
        The KPI's variant (the canonical one by default).
    baseline : int, optional
        How many of the first months set the limits.

    Returns
    -------
    DataFrame
        Per month: ``value``, ``n``, ``centre``, ``lcl``, ``ucl``, ``rule`` (the rule
        that fired: ``beyond limit``, ``run of 8``, ``trend of 6``, or empty),
        ``signal`` (the rule as a reader reads it, in the report language:
        :data:`SIGNALS`; empty when none fired),
        ``moving`` (+1 up, -1 down: a trend's slope, else the side of the centre),
        ``worse`` (the signal is on the bad side for the KPI's direction) and ``since``
        (a trend's first month, else the first month of the run on this side of the
        centre line).
    """
    if kpi_id not in CHARTS:
        raise InputError("kpi", kpi_id, f"a charted KPI: {list(CHARTS)}")
    kind, n_col = CHARTS[kpi_id]
    name = kpis.kpi(kpi_id, variant)[1]
    n_col = VARIANT_N.get((kpi_id, name), n_col)
    kind = kind if n_col else "x"
    value = kpis.compute(monthly_, kpi_id, variant).to_numpy(float)
    n = (monthly_.eval(n_col).to_numpy(float) if n_col
         else np.full(len(value), np.nan))
    scale = 1000.0 if kind == "u" else 1.0
    centre, lcl, ucl = control_limits(kind, value, n, baseline, scale, laney=kind != "x")
    side = np.sign(np.nan_to_num(value - centre))
    run = _runs(side)
    step = np.sign(np.nan_to_num(np.diff(value, prepend=np.nan)))
    trend = _runs(step)  # points rising (falling) in a row, counting the first rise
    beyond = (value > ucl) | (value < lcl)
    rule = np.where(beyond, "beyond limit",
                    np.where(run >= RUN_LENGTH, f"run of {RUN_LENGTH}",
                             np.where(trend + 1 >= TREND_LENGTH,
                                      f"trend of {TREND_LENGTH}", "")))
    higher = kpis.KPIS[kpi_id].direction == "higher"
    is_trend = rule == f"trend of {TREND_LENGTH}"
    moving = np.where(is_trend, step, side)
    worse = (rule != "") & ((moving < 0) if higher else (moving > 0))
    idx = monthly_.index
    # since: a trend from its first point; otherwise the run on this side of the centre
    since = [idx[i - trend[i]] if is_trend[i] else idx[i - run[i] + 1] if run[i] else idx[i]
             for i in range(len(idx))]
    return pd.DataFrame({"value": value, "n": n, "centre": centre, "lcl": lcl, "ucl": ucl,
                         "rule": rule, "signal": [signal_name(r) for r in rule],
                         "moving": moving, "worse": worse, "since": since}, index=idx)


def signal_name(rule: str) -> str:
    """Return a control-chart rule as a reader reads it, in the report language.

    >>> signal_name("run of 8"), signal_name("")
    ('8 months in a row on one side of the centre line', '')
    """
    if not rule:
        return ""
    return term(SIGNALS[rule]).format(n=RUN_LENGTH if rule.startswith("run") else
                                      TREND_LENGTH)


def _alert_text(kpi: kpis.Kpi, r: pd.Series, m: pd.Period) -> str:
    """Say one signal in a sentence: what moved, by how much, which rule and since when."""
    hours = in_hours(kpi.unit, [r["value"], r["centre"]])

    def shown(value: float, unit: str, signed: bool = False) -> str:
        return fmt_kpi(value, unit, hours=hours, signed=signed)

    change = r["value"] - r["centre"]
    up = r["moving"] > 0  # a trend's slope; otherwise the side of the centre
    rule = r["rule"]
    if rule == "beyond limit":
        what = (_("beyond the upper control limit {limit}") if change > 0 else
                _("beyond the lower control limit {limit}")).format(
            limit=shown(r["ucl"] if change > 0 else r["lcl"], kpi.unit))
    elif rule.startswith("run"):
        what = _("{n} months in a row on this side").format(n=RUN_LENGTH)
    else:
        what = (_("{n} months in a row rising") if up else
                _("{n} months in a row falling")).format(n=TREND_LENGTH)
    since = month_label(r["since"])
    when = (_("on this side of the centre since {month}") if not rule.startswith("trend")
            else _("rising since {month}") if up else _("falling since {month}")
            ).format(month=since)
    sentence = (_("{kpi} rose to {value} in {month} from a centre of {centre} ({change}; "
                  "{rule}), {since}") if up else
                _("{kpi} fell to {value} in {month} from a centre of {centre} ({change}; "
                  "{rule}), {since}"))
    return sentence.format(kpi=term(kpi.name), value=shown(r["value"], kpi.unit),
                           month=month_label(m), centre=shown(r["centre"], kpi.unit),
                           change=shown(change, kpi.unit, signed=True), rule=what, since=when)


def alerts(monthly_: pd.DataFrame, kpi_ids: Sequence[str] | None = None,
           variants: dict[str, str] | None = None, baseline: int | None = None,
           month: str | None = None) -> pd.DataFrame:
    """List every control-chart signal, one sentence each.

    In ``month`` only, when given: what moved, by how much and since when.

    Parameters
    ----------
    monthly_ : DataFrame
        :func:`~bpo_analysis.steps.review.calc.monthly`.
    kpi_ids : sequence of str, optional
        KPIs to chart (default: every KPI of :data:`CHARTS`).
    variants : dict of str to str, optional
        KPI id -> variant.
    baseline : int, optional
        How many of the first months set the limits.
    month : str, optional
        Keep the signals of this month (YYYY-MM) only.

    Returns
    -------
    DataFrame
        ``month``, ``kpi``, ``rule`` (:func:`control_chart`'s code) and ``signal`` (as a
        reader reads it), ``value``, ``centre``, ``change`` (value - centre, in the KPI's
        unit), ``since``, ``worse`` and ``text`` (the sentence, in the report language).
    """
    ids = list(kpi_ids) if kpi_ids is not None else list(CHARTS)
    rows = []
    for k in ids:
        chart = control_chart(monthly_, k, (variants or {}).get(k), baseline)
        if month is not None:
            period = month_period(month)
            chart = chart.loc[[period]] if period in chart.index else chart[:0]
        for m, r in chart[chart["rule"] != ""].iterrows():
            rows.append({
                "month": m, "kpi": k, "rule": r["rule"], "signal": r["signal"],
                "value": r["value"], "centre": r["centre"],
                "change": r["value"] - r["centre"], "since": r["since"],
                "worse": bool(r["worse"]), "text": _alert_text(kpis.KPIS[k], r, m)})
    cols = ["month", "kpi", "rule", "signal", "value", "centre", "change", "since", "worse",
            "text"]
    return pd.DataFrame(rows, columns=cols)
