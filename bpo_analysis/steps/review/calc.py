"""Monthly performance review (step 5): the vendor's reported figures checked and
reconciled with the KPIs recomputed from its raw records
(:mod:`bpo_analysis.data.records`), month by month, with control charts, alerts, the
scorecard and volume against the forecast."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.data.records import GROUPS, month_period
from bpo_analysis.errors import DataError, InputError

__all__ = ["CHARTS", "REPORTED", "alerts", "check_report", "control_chart", "control_limits",
           "month_kpis", "monthly", "reconcile", "scorecard", "volume_vs_forecast"]

#: Vendor-report columns and the KPI each one states.
REPORTED = {"service_level": "service_level", "abandon_rate": "abandon_rate",
            "asa_s": "asa", "aht_s": "aht", "fcr": "fcr", "csat": "csat", "nps": "nps",
            "qa_score": "qa_score"}


def check_report(reported: pd.DataFrame, columns: Sequence[str],
                 required: Sequence[str] = ()) -> None:
    """A vendor report lacking one of ``columns`` (a KPI, the invoice ...), with a row
    twice (month, vendor, channel), or an empty value in a ``required`` column is an
    error naming the column and the row, before anything is computed from it."""
    missing = [c for c in ("month", "vendor_id", *columns) if c not in reported.columns]
    if missing:
        raise DataError("the vendor report lacks a column", column=missing[0],
                        allowed=f"columns {['month', 'vendor_id', *columns]}")
    key = [c for c in ("month", "vendor_id", "channel") if c in reported.columns]
    twice = reported.duplicated(key, keep=False)
    if twice.any():
        row = reported[twice].iloc[0]
        raise DataError("the vendor report has a row twice", row=reported.index[twice][0],
                        column=",".join(key), value=" / ".join(str(row[k]) for k in key),
                        allowed="one row per month, vendor and channel")
    for col in required:
        empty = reported[col].isna()
        if empty.any():
            row = reported[empty].iloc[0]
            raise DataError("the vendor report has an empty value",
                            row=reported.index[empty][0], column=col,
                            value=f"{row['month']} {row['vendor_id']} "
                                  f"{row.get('channel', '')}".strip(),
                            allowed="a value in every row")


def reconcile(recomputed: pd.DataFrame, reported: pd.DataFrame,
              tolerance: dict[str, float] | None = None,
              variants: dict[str, str] | None = None) -> pd.DataFrame:
    """Vendor-reported KPIs against the ones recomputed from the records, per month and
    channel: every variant of the KPI dictionary next to the reported figure, the
    variant that matches it best, and a flag when the agreed definition (``variants``,
    e.g. the contract's; the canonical one otherwise) differs by more than the
    tolerance (absolute, in the KPI's unit; default 0.5 point of a share, 1 s, 0.5 QA
    or NPS point).

    Parameters
    ----------
    recomputed : DataFrame
        :func:`aggregates` by ``vendor_id`` and ``channel`` (and ``period``).
    reported : DataFrame
        ``vendor_monthly_reports.csv`` rows (``month``, ``vendor_id``, ``channel`` and the
        KPI columns of :data:`REPORTED`); a KPI column missing from it is an error.

    Returns
    -------
    DataFrame
        One row per month, vendor, channel and KPI: ``reported``, ``definition`` (the
        agreed variant) and ``recomputed`` (its value), ``difference`` (reported -
        recomputed), ``best_variant`` and its value, ``flagged`` and ``explained`` (the
        reported figure matches another variant within tolerance: the vendor uses
        another definition).
    """
    check_report(reported, REPORTED)
    tol = {"share": 0.005, "s": 1.0, "points (0-100)": 0.5, "points (-100 to 100)": 0.5}
    tol_by_kpi = {k: (tolerance or {}).get(k, tol.get(kpis.KPIS[k].unit, 0.005))
                  for k in REPORTED.values()}
    rec = recomputed.assign(month=pd.PeriodIndex(recomputed["period"], freq="M").astype(str))
    rep = reported.assign(month=reported["month"].astype(str))
    both = rec.merge(rep, on=["month", "vendor_id", "channel"], how="inner",
                     suffixes=("", "_reported"))
    if both.empty:
        raise InputError("reported", "no month, vendor and channel in common with the "
                         "records", "the vendor's report for the months the records cover")
    rows = []
    for column, kid in REPORTED.items():
        k = kpis.KPIS[kid]
        values = {}
        for name, v in k.variants.items():
            if all(c in both.columns for c in v.needs):
                values[name] = kpis.compute(both, kid, name).to_numpy()
        reported_col = column + "_reported" if column in rec.columns else column
        got = both[reported_col].to_numpy(float)
        names = list(values)
        table = np.column_stack([values[n] for n in names])
        gaps = np.abs(table - got[:, None])
        best = np.nanargmin(np.where(np.isnan(gaps), np.inf, gaps), axis=1)
        agreed = kpis.kpi(kid, (variants or {}).get(kid))[1]
        if agreed not in names:
            raise InputError(f"variant of {kid}", agreed, f"a variant the records give: "
                             f"{names} (it needs {list(k.variants[agreed].needs)})")
        recomputed = table[:, names.index(agreed)]
        diff = got - recomputed
        missing_value = ~np.isfinite(got)  # not reported: flagged, never explained
        flagged = missing_value | (np.abs(np.nan_to_num(diff)) > tol_by_kpi[kid])
        for i in range(len(both)):
            rows.append({"month": both["month"].iloc[i], "vendor_id": both["vendor_id"].iloc[i],
                         "channel": both["channel"].iloc[i], "kpi": kid,
                         "reported": got[i], "definition": agreed,
                         "recomputed": recomputed[i],
                         "difference": diff[i], "best_variant": names[best[i]],
                         "best_value": table[i, best[i]], "flagged": bool(flagged[i]),
                         "explained": bool(flagged[i] and not missing_value[i]
                                           and names[best[i]] != agreed
                                           and gaps[i, best[i]] <= tol_by_kpi[kid])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- one vendor, by month
def monthly(aggregates_: pd.DataFrame) -> pd.DataFrame:
    """:func:`aggregates` summed over every group column: one row per calendar month
    (a monthly PeriodIndex; every aggregate is a count or a sum, so totals are exact)."""
    if aggregates_.empty:
        raise InputError("aggregates", "no rows", "aggregates of at least one month")
    month = pd.PeriodIndex(aggregates_["period"], freq="M")
    cols = [c for c in aggregates_.columns if c not in ("period", *GROUPS)]
    out = aggregates_[cols].groupby(month).sum()
    out.index.name = "month"
    return out


def month_kpis(monthly_: pd.DataFrame, kpi_ids: Sequence[str],
               variants: dict[str, str] | None = None) -> pd.DataFrame:
    """Each KPI per month of :func:`monthly`, by the variant ``variants`` names (the
    contract's definition) or the canonical one."""
    return pd.DataFrame({k: kpis.compute(monthly_, k, (variants or {}).get(k)).to_numpy()
                         for k in kpi_ids}, index=monthly_.index)


# ---------------------------------------------------------------- control charts
#: How each KPI is charted: a p-chart (a share of n contacts), a u-chart (a rate per n)
#: or an individuals chart (X with moving ranges), and the n of the p- and u-charts.
CHARTS: dict[str, tuple[str, str | None]] = {
    "service_level": ("p", "offered"), "abandon_rate": ("p", "offered - abandoned_short"),
    "fcr": ("p", "handled"), "csat": ("p", "surveyed"),
    "complaint_rate": ("u", "handled"),
    "asa": ("x", None), "aht": ("x", None), "nps": ("x", None), "qa_score": ("x", None),
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


def control_limits(kind: str, values: np.ndarray, n: np.ndarray | None = None,
                   baseline: int | None = None, scale: float = 1.0, laney: bool = False
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre line and 3-sigma limits of a Shewhart chart, per point.

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
    """Length of the run of equal non-zero ``side`` values ending at each point."""
    out = np.zeros(len(side), int)
    for i, s in enumerate(side):
        out[i] = 0 if s == 0 else (out[i - 1] + 1 if i and side[i - 1] == s else 1)
    return out


def control_chart(monthly_: pd.DataFrame, kpi_id: str, variant: str | None = None,
                  baseline: int | None = None) -> pd.DataFrame:
    """One KPI's control chart over the months of :func:`monthly`, with its signals.

    The limits come from the first ``baseline`` months (default: every month); p- and
    u-charts are Laney's p' and u' (see :func:`control_limits`). A signal is a point
    beyond a limit, :data:`RUN_LENGTH` points in a row on one side of the centre, or
    :data:`TREND_LENGTH` points in a row rising (falling).

    Returns
    -------
    DataFrame
        Per month: ``value``, ``n``, ``centre``, ``lcl``, ``ucl``, ``signal`` (the rule
        that fired: ``beyond limit``, ``run of 8``, ``trend of 6``, or empty),
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
    signal = np.where(beyond, "beyond limit",
                      np.where(run >= RUN_LENGTH, f"run of {RUN_LENGTH}",
                               np.where(trend + 1 >= TREND_LENGTH,
                                        f"trend of {TREND_LENGTH}", "")))
    higher = kpis.KPIS[kpi_id].direction == "higher"
    is_trend = signal == f"trend of {TREND_LENGTH}"
    moving = np.where(is_trend, step, side)
    worse = (signal != "") & ((moving < 0) if higher else (moving > 0))
    idx = monthly_.index
    # since: a trend from its first point; otherwise the run on this side of the centre
    since = [idx[i - trend[i]] if is_trend[i] else idx[i - run[i] + 1] if run[i] else idx[i]
             for i in range(len(idx))]
    return pd.DataFrame({"value": value, "n": n, "centre": centre, "lcl": lcl, "ucl": ucl,
                         "signal": signal, "moving": moving, "worse": worse,
                         "since": since}, index=idx)


def alerts(monthly_: pd.DataFrame, kpi_ids: Sequence[str] | None = None,
           variants: dict[str, str] | None = None, baseline: int | None = None,
           month: str | None = None) -> pd.DataFrame:
    """Every control-chart signal (in ``month`` only, when given), one sentence each:
    what moved, by how much and since when.

    Returns
    -------
    DataFrame
        ``month``, ``kpi``, ``signal``, ``value``, ``centre``, ``change`` (value -
        centre, in the KPI's unit), ``since``, ``worse`` and ``text``.
    """
    ids = list(kpi_ids) if kpi_ids is not None else list(CHARTS)
    shown = kpis.fmt_value
    rows = []
    for k in ids:
        chart = control_chart(monthly_, k, (variants or {}).get(k), baseline)
        if month is not None:
            period = month_period(month)
            chart = chart.loc[[period]] if period in chart.index else chart[:0]
        kpi = kpis.KPIS[k]
        for m, r in chart[chart["signal"] != ""].iterrows():
            change = r["value"] - r["centre"]
            up = r["moving"] > 0  # a trend's slope; otherwise the side of the centre
            verb = "rose" if up else "fell"
            limit = r["ucl"] if change > 0 else r["lcl"]
            rule = {"beyond limit": f"beyond the {'upper' if change > 0 else 'lower'} control "
                                    f"limit {shown(limit, kpi.unit)}",
                    f"run of {RUN_LENGTH}": f"{RUN_LENGTH} months in a row on this side",
                    f"trend of {TREND_LENGTH}": f"{TREND_LENGTH} months in a row "
                                                 f"{'rising' if up else 'falling'}"
                    }[r["signal"]]
            rows.append({
                "month": m, "kpi": k, "signal": r["signal"], "value": r["value"],
                "centre": r["centre"], "change": change, "since": r["since"],
                "worse": bool(r["worse"]),
                "text": (f"{kpi.name} {verb} to {shown(r['value'], kpi.unit)} in {m} from a "
                         f"centre of {shown(r['centre'], kpi.unit)} "
                         f"({shown(change, kpi.unit, signed=True)}; {rule}), "
                         + (f"rising since {r['since']}" if r["signal"].startswith("trend")
                            and up else f"falling since {r['since']}"
                            if r["signal"].startswith("trend")
                            else f"on this side of the centre since {r['since']}"))})
    cols = ["month", "kpi", "signal", "value", "centre", "change", "since", "worse", "text"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------- scorecard
def scorecard(values: pd.Series, terms, reported: pd.Series | None = None) -> pd.DataFrame:
    """The month's KPIs against the contract: green at or better than the target, amber
    between the target and the minimum, red worse than the minimum; "no data" when the
    records give no value (e.g. no surveys; the contract counts that month as missed).

    Parameters
    ----------
    values :
        KPI id -> the month's value recomputed from the records (the contract's variant).
    terms : SlaTerms
    reported :
        KPI id -> the vendor's own figure, shown next to it (optional).
    """
    rows = []
    for k, v in values.items():
        kpi = kpis.KPIS[k]
        term = terms.kpis.get(k)
        status, target, minimum = "no term", np.nan, np.nan
        if term is not None and not np.isfinite(v):
            target, minimum, status = term.target, term.minimum, "no data"
        elif term is not None:
            target, minimum = term.target, term.minimum
            better = (lambda a, b: a >= b) if term.direction == "higher" else \
                (lambda a, b: a <= b)
            status = ("green" if better(v, target) else "amber" if better(v, minimum)
                      else "red")
        rows.append({"kpi": k, "name": kpi.name, "unit": kpi.unit, "value": v,
                     "target": target, "minimum": minimum, "status": status,
                     "reported": np.nan if reported is None else reported.get(k, np.nan)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- volume vs forecast
def volume_vs_forecast(aggregates_: pd.DataFrame, demand: pd.DataFrame,
                       shares: dict[str, float], growth: float = 0.0) -> pd.DataFrame:
    """Contacts offered per month and channel against the forecast: the client's demand
    for the same calendar month (from the demand's first twelve months) times the
    vendor's share, grown (or shrunk) by ``growth`` a year from that month's year.

    Returns
    -------
    DataFrame
        ``month``, ``channel``, ``actual``, ``forecast``, ``difference`` and ``ratio``
        (actual / forecast - 1); NaN forecast for a channel without a share.
    """
    if not -1 < growth <= 1:
        raise InputError("growth", growth, "a yearly rate above -100 % and at most 100 %")
    bad = {c: s for c, s in shares.items() if not 0 <= s <= 1}
    if bad:
        c = next(iter(bad))
        raise InputError(f"shares[{c!r}]", bad[c], "a share between 0 and 1")
    start = pd.to_datetime(demand["interval_start"])
    first = start.min().to_period("M")
    window = start < (first + 12).start_time  # a year of demand: each calendar month once
    d = demand[window.to_numpy()]
    month_of = start[window].dt.to_period("M")
    cal = d.assign(m=month_of.dt.month.to_numpy(), y=month_of.dt.year.to_numpy(),
                   channel=d["channel"].astype(str)).groupby(["m", "channel"]).agg(
        contacts=("contacts", "sum"), year=("y", "first"))
    act = aggregates_.assign(month=pd.PeriodIndex(aggregates_["period"], freq="M")).groupby(
        ["month", "channel"], as_index=False)["offered"].sum()
    m = pd.PeriodIndex(act["month"])
    key = pd.MultiIndex.from_arrays([m.month, act["channel"].astype(str)])
    base = cal.reindex(key)
    share = act["channel"].astype(str).map(shares).to_numpy(float)
    forecast = base["contacts"].to_numpy(float) * share * (1 + growth) ** (
        m.year.to_numpy() - base["year"].to_numpy(float))
    actual = act["offered"].to_numpy(float)
    return pd.DataFrame({"month": act["month"].astype(str), "channel": act["channel"],
                         "actual": actual, "forecast": forecast,
                         "difference": actual - forecast, "ratio": actual / forecast - 1})
