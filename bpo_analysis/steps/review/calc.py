"""Monthly performance review (step 5): the vendor's reported figures checked.

They are reconciled with the KPIs recomputed from its raw records
(:mod:`bpo_analysis.data.records`), month by month, with the scorecard and volume
against the forecast (control charts and alerts:
:mod:`bpo_analysis.steps.review.control`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bpo_analysis.core.sla_lines import line_name, split
from bpo_analysis.data import kpis
from bpo_analysis.data.records import GROUPS
from bpo_analysis.errors import DataError, InputError

__all__ = ["REPORTED", "REPORTED_COLUMNS", "check_report", "line_kpis", "month_kpis",
           "monthly", "reconcile", "scorecard", "volume_vs_forecast"]

#: The KPIs a vendor report states that the records can check (each on the channels it
#: applies to; the column is :data:`bpo_analysis.data.kpis.REPORT_COLUMNS`'s).
REPORTED = ("service_level", "abandon_rate", "asa", "first_reply", "aht", "fcr", "csat",
            "nps", "qa_score")
#: The vendor-report columns that state them.
REPORTED_COLUMNS = tuple(dict.fromkeys(kpis.REPORT_COLUMNS[k] for k in REPORTED))


def check_report(reported: pd.DataFrame, columns: Sequence[str],
                 required: Sequence[str] = ()) -> None:
    """Check a vendor report before anything is computed from it.

    A vendor report lacking one of ``columns`` (a KPI, the invoice ...), with a row
    twice (month, vendor, channel), or an empty value in a ``required`` column is an
    error naming the column and the row, before anything is computed from it.

    Parameters
    ----------
    reported : DataFrame
        ``vendor_monthly_reports.csv`` rows.
    columns : sequence of str
        Columns it must have besides ``month`` and ``vendor_id``.
    required : sequence of str
        Columns that must have a value in every row.

    Raises
    ------
    DataError
        Naming the column (and the row) at fault.
    """
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
    """Reconcile the vendor-reported KPIs with the ones recomputed from the records.

    Per month and channel: every variant of the KPI dictionary next to the reported figure,
    the variant that matches it best, and a flag when the agreed definition (``variants``,
    e.g. the contract's; the canonical one otherwise) differs by more than the tolerance
    (in the KPI's unit; default 0.5 point of a share, 0.5 QA or NPS point, and for times
    1 s or 1 % of the time, whichever is larger: an email's first reply of 15 hours is
    not off by 2 s). A KPI is reconciled on the channels it applies to only.

    Parameters
    ----------
    recomputed : DataFrame
        :func:`bpo_analysis.data.records.aggregates` by ``vendor_id`` and ``channel``
        (and ``period``).
    reported : DataFrame
        ``vendor_monthly_reports.csv`` rows (``month``, ``vendor_id``, ``channel`` and
        :data:`REPORTED_COLUMNS`); a KPI column missing from it is an error.
    tolerance : dict of str to float, optional
        KPI id -> the largest difference not flagged, in the KPI's unit (absolute).
    variants : dict of str to str, optional
        KPI id -> the agreed variant (the contract's definition).

    Returns
    -------
    DataFrame
        One row per month, vendor, channel and KPI: ``reported``, ``definition`` (the
        agreed variant) and ``recomputed`` (its value), ``difference`` (reported -
        recomputed), ``best_variant`` and its value, ``flagged`` and ``explained`` (the
        reported figure matches another variant within tolerance: the vendor uses
        another definition).
    """
    check_report(reported, REPORTED_COLUMNS)
    tol = {"share": 0.005, "s": 1.0, "points (0-100)": 0.5, "points (-100 to 100)": 0.5}
    tol_by_kpi = {k: (tolerance or {}).get(k, tol.get(kpis.KPIS[k].unit, 0.005))
                  for k in REPORTED}
    rec = recomputed.assign(month=pd.PeriodIndex(recomputed["period"], freq="M").astype(str))
    rep = reported.assign(month=reported["month"].astype(str))
    both = rec.merge(rep, on=["month", "vendor_id", "channel"], how="inner",
                     suffixes=("", "_reported"))
    if both.empty:
        raise InputError("reported", "no month, vendor and channel in common with the "
                         "records", "the vendor's report for the months the records cover")
    rows = []
    for kid in REPORTED:
        k = kpis.KPIS[kid]
        on = both[both["channel"].isin(k.channels)]
        if on.empty:
            continue
        values = {}
        for name, v in k.variants.items():
            if all(c in on.columns for c in v.needs):
                values[name] = kpis.compute(on, kid, name).to_numpy()
        column = kpis.REPORT_COLUMNS[kid]
        reported_col = column + "_reported" if column in rec.columns else column
        got = on[reported_col].to_numpy(float)
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
        allowed = np.full(len(on), tol_by_kpi[kid])
        if k.unit == "s" and kid not in (tolerance or {}):  # 1 s, or 1 % of a long time
            allowed = np.maximum(allowed, 0.01 * np.abs(np.nan_to_num(recomputed)))
        flagged = missing_value | (np.abs(np.nan_to_num(diff)) > allowed)
        for i in range(len(on)):
            rows.append({"month": on["month"].iloc[i], "vendor_id": on["vendor_id"].iloc[i],
                         "channel": on["channel"].iloc[i], "kpi": kid,
                         "reported": got[i], "definition": agreed,
                         "recomputed": recomputed[i],
                         "difference": diff[i], "best_variant": names[best[i]],
                         "best_value": table[i, best[i]], "flagged": bool(flagged[i]),
                         "explained": bool(flagged[i] and not missing_value[i]
                                           and names[best[i]] != agreed
                                           and gaps[i, best[i]] <= allowed[i])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- one vendor, by month
def monthly(aggregates_: pd.DataFrame) -> pd.DataFrame:
    """Sum the aggregates over every group column, one row per calendar month.

    A monthly PeriodIndex; every aggregate is a count or a sum, so totals are exact.

    Parameters
    ----------
    aggregates_ : DataFrame
        :func:`bpo_analysis.data.records.aggregates` (contacts, seconds, counts per
        ``period`` and group).

    Returns
    -------
    DataFrame
        The sums, indexed by ``month``.
    """
    if aggregates_.empty:
        raise InputError("aggregates", "no rows", "aggregates of at least one month")
    month = pd.PeriodIndex(aggregates_["period"], freq="M")
    cols = [c for c in aggregates_.columns if c not in ("period", *GROUPS)]
    out = aggregates_[cols].groupby(month).sum()
    out.index.name = "month"
    return out


def month_kpis(monthly_: pd.DataFrame, kpi_ids: Sequence[str],
               variants: dict[str, str] | None = None) -> pd.DataFrame:
    """Compute each KPI per month of :func:`monthly`.

    By the variant ``variants`` names (the contract's definition) or the canonical one.

    Parameters
    ----------
    monthly_ : DataFrame
        :func:`monthly`.
    kpi_ids : sequence of str
        KPIs of the KPI dictionary.
    variants : dict of str to str, optional
        KPI id -> variant.

    Returns
    -------
    DataFrame
        One column per KPI, in its unit (shares 0-1, seconds, points), per month.
    """
    return pd.DataFrame({k: kpis.compute(monthly_, k, (variants or {}).get(k)).to_numpy()
                         for k in kpi_ids}, index=monthly_.index)


def line_kpis(aggregates_: pd.DataFrame, lines: Sequence[str],
              variants: dict[str, str] | None = None,
              reported: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Compute each SLA line (a KPI on a channel) per month from that channel's records.

    A KPI the interaction records cannot give (occupancy from workforce management,
    attrition from HR) is the vendor's reported figure, and listed as such.

    Parameters
    ----------
    aggregates_ : DataFrame
        :func:`bpo_analysis.data.records.aggregates` by ``channel`` (and ``period``).
    lines : sequence of str
        ``<kpi>@<channel>`` (:mod:`~bpo_analysis.core.sla_lines`), or a KPI id for all
        channels together.
    variants : dict of str to str, optional
        KPI id -> variant (the contract's definition).
    reported : DataFrame, optional
        The vendor's figures per month and line
        (:func:`~bpo_analysis.core.sla_lines.report_values`).

    Returns
    -------
    (values, from_report)
        One column per line, in its KPI's unit, per month (NaN in a month without that
        channel's records); the lines taken from the vendor's report.
    """
    months = monthly(aggregates_).index
    out, from_report, by_channel = {}, [], {}
    for line in lines:
        kid, ch = split(line)
        k, name = kpis.kpi(kid, (variants or {}).get(kid))
        if all(c in aggregates_.columns for c in k.variants[name].needs):
            if ch not in by_channel:  # each channel's months summed once
                rows = aggregates_ if ch is None else aggregates_[aggregates_["channel"] == ch]
                by_channel[ch] = monthly(rows) if len(rows) else None
            m = by_channel[ch]
            out[line] = (kpis.compute(m, kid, name).reindex(months) if m is not None
                         else pd.Series(np.nan, months))
        elif reported is not None and line in reported.columns:
            out[line] = reported[line].reindex(months)
            from_report.append(line)
        else:
            raise InputError("lines", line, "a KPI the records compute or the vendor's report "
                             f"states: {sorted(kpis.REPORT_COLUMNS)}")
    return pd.DataFrame(out, index=months), from_report


# ---------------------------------------------------------------- scorecard
def scorecard(values: pd.Series, terms, reported: pd.Series | None = None,
              judged: Sequence[str] | None = None) -> pd.DataFrame:
    """Rate the month's SLA lines (KPIs per channel) against the contract.

    Green at or better than the target, amber between the target and the minimum, red worse
    than the minimum; "no data" when the records give no value (e.g. no surveys; the
    contract counts that month as missed).

    Parameters
    ----------
    values :
        Line (``<kpi>@<channel>``, or a KPI id) -> the month's value recomputed from the
        records (the contract's variant).
    terms : SlaTerms
    reported :
        Line -> the vendor's own figure, shown next to it (optional).
    judged :
        The lines the contract judges (:func:`~bpo_analysis.core.sla_lines.lines`); the
        others are shown with status "no term". Default: every line of a KPI of the terms.

    Returns
    -------
    DataFrame
        One row per line: ``kpi`` (the line), ``channel``, ``name`` (as a reader reads
        it), ``unit``, ``value``, ``target``, ``minimum`` (the channel's),
        ``status`` and ``reported``.
    """
    rows = []
    for k, v in values.items():
        kid, ch = split(str(k))
        kpi = kpis.KPIS[kid]
        term = terms.kpis.get(kid) if judged is None or k in judged else None
        status, target, minimum = "no term", np.nan, np.nan
        if term is not None and not np.isfinite(v):
            (target, minimum), status = term.thresholds(ch), "no data"
        elif term is not None:
            target, minimum = term.thresholds(ch)
            better = (lambda a, b: a >= b) if term.direction == "higher" else \
                (lambda a, b: a <= b)
            status = ("green" if better(v, target) else "amber" if better(v, minimum)
                      else "red")
        rows.append({"kpi": k, "channel": ch or "", "name": line_name(str(k)),
                     "unit": kpi.unit, "value": v,
                     "target": target, "minimum": minimum, "status": status,
                     "reported": np.nan if reported is None else reported.get(k, np.nan)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- volume vs forecast
def volume_vs_forecast(aggregates_: pd.DataFrame, demand: pd.DataFrame,
                       shares: dict[str, float], growth: float = 0.0) -> pd.DataFrame:
    """Set the contacts offered per month and channel against the forecast.

    The forecast is the client's demand for the same calendar month (from the demand's
    first twelve months) times the vendor's share, grown (or shrunk) by ``growth`` a
    year from that month's year.

    Parameters
    ----------
    aggregates_ : DataFrame
        :func:`bpo_analysis.data.records.aggregates` by ``channel`` (and ``period``).
    demand : DataFrame
        The client's demand (``interval_start``, ``channel``, ``contacts``).
    shares : dict of str to float
        Channel -> the vendor's share (0-1) of the client's contacts.
    growth : float
        Volume growth a year, share (-1, 1].

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
