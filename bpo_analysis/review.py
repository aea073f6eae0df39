"""Monthly performance review, first part: the KPI dictionary's aggregates computed from
raw interaction records by DuckDB, with the rows it had to leave out counted and named.

The records (one row per contact, as :func:`bpo_analysis.sample.interaction_records`
writes them) are read where they lie -- a Parquet or CSV file, a folder of them, or a
table of a DuckDB database file -- and aggregated in SQL, never loaded whole into pandas.
:func:`aggregates` returns, per period and group, the columns :mod:`bpo_analysis.kpis`
computes every KPI and variant from; :func:`kpi_table` applies the dictionary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import kpis
from .errors import DataError, InputError

__all__ = ["REPORTED", "RULES", "aggregates", "kpi_table", "qa_sample", "qa_sample_size",
           "quality_counts", "reconcile"]

#: Where records come from: a path (file, folder, DuckDB file) or a DataFrame.
Source = str | Path | pd.DataFrame

PERIODS = {"month": "month", "week": "week", "day": "day", "interval": "hour"}

#: Rows the review leaves out, each with the reason the report shows (SQL conditions on
#: the raw columns; a row breaking several rules counts under the first).
RULES: tuple[tuple[str, str], ...] = (
    ("duplicate contact_id", "dup > 1"),
    ("answer time before arrival", "answer_time < arrival_time"),
    ("abandon time before arrival", "abandon_time < arrival_time"),
    ("negative talk, hold or after-call time",
     "coalesce(talk_s, 0) < 0 OR coalesce(hold_s, 0) < 0 OR coalesce(acw_s, 0) < 0"),
    ("CSAT outside 1-5", "csat IS NOT NULL AND (csat < 1 OR csat > 5)"),
    ("NPS outside 0-10", "nps IS NOT NULL AND (nps < 0 OR nps > 10)"),
    ("QA score outside 0-100", "qa_score IS NOT NULL AND (qa_score < 0 OR qa_score > 100)"),
)

_COLUMNS = ("contact_id", "channel", "vendor_id", "queue", "arrival_time", "answer_time",
            "abandon_time", "talk_s", "hold_s", "acw_s", "customer_id", "csat", "nps",
            "complaint", "qa_score")


def _relation(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> str:
    """A SQL expression reading ``source``: a file, a folder of files, a database, or a
    DataFrame already in memory (scanned in place by DuckDB)."""
    if isinstance(source, pd.DataFrame):
        con.register("source_frame", source)
        return "source_frame"
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".parquet", ".csv"))
        if not files:
            raise DataError("no .parquet or .csv record files", file=path,
                            allowed="a folder of interaction-record files")
        kinds = {p.suffix for p in files}
        if len(kinds) > 1:
            raise DataError("a mix of Parquet and CSV files", file=path,
                            allowed="one kind of file per folder")
        glob = (path / f"*{kinds.pop()}").as_posix()
        return (f"read_parquet('{glob}')" if glob.endswith(".parquet")
                else f"read_csv_auto('{glob}')")
    if not path.is_file():
        raise DataError("record source not found", file=path,
                        allowed="a .parquet/.csv file, a folder of them or a .duckdb file")
    if path.suffix == ".parquet":
        return f"read_parquet('{path.as_posix()}')"
    if path.suffix == ".csv":
        return f"read_csv_auto('{path.as_posix()}')"
    if path.suffix in (".duckdb", ".db"):
        con.execute(f"ATTACH '{path.as_posix()}' AS src (READ_ONLY)")
        return f"src.{table}"
    raise DataError("unknown record file type", file=path,
                    allowed=".parquet, .csv, a folder of them, or .duckdb")


def _name(source: Source) -> Path | None:
    return None if isinstance(source, pd.DataFrame) else Path(source)


def _prepare(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> None:
    """The ``records`` view with a ``dup`` count and the ``excluded`` reason per row."""
    rel = _relation(con, source, table)
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()]
    missing = [c for c in _COLUMNS if c not in cols]
    if missing:
        raise DataError("record columns missing", file=_name(source), column=missing[0],
                        allowed=f"columns {list(_COLUMNS)}")
    reason = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond in RULES)
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW raw AS
        SELECT *, count(*) OVER (PARTITION BY contact_id) AS dup FROM {rel}""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW records AS
        SELECT *, CASE {reason} ELSE NULL END AS excluded FROM raw""")


def quality_counts(source: Source, month: str | None = None,
                   table: str = "records") -> pd.DataFrame:
    """Rows read, and rows left out by reason (:data:`RULES`), for ``month`` (YYYY-MM) or
    all months: the data-quality table of the review (nothing dropped silently)."""
    with duckdb.connect() as con:
        _prepare(con, source, table)
        where = _month_filter(month)
        out = con.execute(f"""
            SELECT coalesce(excluded, 'kept') AS status, count(*) AS records
            FROM records {where} GROUP BY 1 ORDER BY 2 DESC""").df()
    return out


def _month_filter(month: str | None) -> str:
    if month is None:
        return ""
    try:
        p = pd.Period(month, "M")
    except (ValueError, TypeError):
        raise InputError("month", month, "a month written YYYY-MM, e.g. 2026-10") from None
    if str(p) != str(month):
        raise InputError("month", month, "a month written YYYY-MM, e.g. 2026-10")
    return (f"WHERE arrival_time >= TIMESTAMP '{p.start_time:%Y-%m-%d}' "
            f"AND arrival_time < TIMESTAMP '{(p + 1).start_time:%Y-%m-%d}'")


def aggregates(source: Source, *, answer_within_s: dict[str, float],
               short_abandon_s: float = 5.0, period: str = "month",
               by: Sequence[str] = ("vendor_id", "channel"), month: str | None = None,
               table: str = "records") -> pd.DataFrame:
    """The KPI dictionary's aggregate columns per ``period`` and group, from the records.

    Parameters
    ----------
    source :
        A Parquet or CSV file, a folder of them, or a DuckDB file (its ``table``).
    answer_within_s :
        The service-level threshold T per channel, s (e.g. the scenario's targets).
    short_abandon_s :
        The short-abandon window S, s.
    period :
        ``month``, ``week``, ``day`` or ``interval`` (hour).
    by :
        Grouping columns among ``vendor_id``, ``channel``, ``queue``, ``agent_id``.
    month :
        Only this month (YYYY-MM); an error when it has no records.

    Returns
    -------
    DataFrame
        ``period`` (start), the ``by`` columns and ``offered``, ``answered``,
        ``answered_within_t``, ``abandoned``, ``abandoned_short``,
        ``abandoned_within_t``, ``wait_s``, ``talk_s``, ``hold_s``, ``acw_s``,
        ``handled``, ``repeat_7d``, ``repeat_1d``, ``surveyed``, ``csat_top2``,
        ``csat_sum``, ``nps_responses``, ``promoters``, ``detractors``, ``complaints``,
        ``qa_sum``, ``qa_n``; rows left out by :data:`RULES` are not in them (see
        :func:`quality_counts`). Repeats look 7 days (1 day) ahead across all the
        records, so a month's last days see the next month's contacts when present.
    """
    if period not in PERIODS:
        raise InputError("period", period, f"one of {list(PERIODS)}")
    allowed = {"vendor_id", "channel", "queue", "agent_id"}
    bad = [b for b in by if b not in allowed]
    if bad:
        raise InputError("by", bad[0], f"columns among {sorted(allowed)}")
    if not short_abandon_s >= 0:
        raise InputError("short_abandon_s", short_abandon_s, "seconds >= 0")
    t_case = " ".join(f"WHEN channel = '{ch}' THEN {float(t)}"
                      for ch, t in answer_within_s.items())
    group = ", ".join(["period", *by])
    with duckdb.connect() as con:
        _prepare(con, source, table)
        where = _month_filter(month)
        sql = f"""
        WITH kept AS (
            SELECT *, CASE {t_case} ELSE NULL END AS t_s,
                   lead(arrival_time) OVER (PARTITION BY customer_id ORDER BY arrival_time)
                       AS next_arrival
            FROM records WHERE excluded IS NULL
        ), c AS (
            SELECT date_trunc('{PERIODS[period]}', arrival_time) AS period, {', '.join(by)},
                   t_s, answer_time, abandon_time, arrival_time, talk_s, hold_s, acw_s,
                   csat, nps, complaint, qa_score, next_arrival,
                   epoch(answer_time - arrival_time) AS wait,
                   epoch(abandon_time - arrival_time) AS patience
            FROM kept {where}
        )
        SELECT {group},
            count(*) AS offered,
            count(answer_time) AS answered,
            count(*) FILTER (WHERE wait <= t_s) AS answered_within_t,
            count(abandon_time) AS abandoned,
            count(*) FILTER (WHERE patience <= {float(short_abandon_s)}) AS abandoned_short,
            count(*) FILTER (WHERE patience <= t_s) AS abandoned_within_t,
            coalesce(sum(wait), 0) AS wait_s,
            coalesce(sum(talk_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS talk_s,
            coalesce(sum(hold_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS hold_s,
            coalesce(sum(acw_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS acw_s,
            count(answer_time) AS handled,
            count(*) FILTER (WHERE answer_time IS NOT NULL
                             AND next_arrival <= arrival_time + INTERVAL 7 DAY) AS repeat_7d,
            count(*) FILTER (WHERE answer_time IS NOT NULL
                             AND next_arrival <= arrival_time + INTERVAL 1 DAY) AS repeat_1d,
            count(csat) AS surveyed,
            count(*) FILTER (WHERE csat >= 4) AS csat_top2,
            coalesce(sum(csat), 0) AS csat_sum,
            count(nps) AS nps_responses,
            count(*) FILTER (WHERE nps >= 9) AS promoters,
            count(*) FILTER (WHERE nps <= 6) AS detractors,
            count(*) FILTER (WHERE complaint) AS complaints,
            coalesce(sum(qa_score), 0) AS qa_sum,
            count(qa_score) AS qa_n
        FROM c GROUP BY ALL ORDER BY {group}"""
        out = con.execute(sql).df()
    if month is not None and out.empty:
        raise InputError("month", month, "a month the records cover")
    return out


def kpi_table(aggregates_: pd.DataFrame, kpi_ids: Sequence[str] | None = None,
              variants: dict[str, str] | None = None) -> pd.DataFrame:
    """Each KPI (canonical, or the variant named in ``variants``) per row of
    :func:`aggregates`, next to its period and group columns."""
    keys = [c for c in aggregates_.columns if c in ("period", "vendor_id", "channel",
                                                    "queue", "agent_id")]
    ids = list(kpi_ids) if kpi_ids is not None else [
        k for k, v in kpis.KPIS.items()
        if all(c in aggregates_.columns for c in v.variants[v.canonical].needs)]
    out = aggregates_[keys].copy()
    for k in ids:
        out[k] = kpis.compute(aggregates_, k, (variants or {}).get(k)).to_numpy()
    return out


#: Vendor-report columns and the KPI each one states.
REPORTED = {"service_level": "service_level", "abandon_rate": "abandon_rate",
            "asa_s": "asa", "aht_s": "aht", "fcr": "fcr", "csat": "csat", "nps": "nps",
            "qa_score": "qa_score"}


def reconcile(recomputed: pd.DataFrame, reported: pd.DataFrame,
              tolerance: dict[str, float] | None = None) -> pd.DataFrame:
    """Vendor-reported KPIs against the ones recomputed from the records, per month and
    channel: every variant of the KPI dictionary next to the reported figure, the
    variant that matches it best, and a flag when even the canonical one differs by more
    than the tolerance (absolute, in the KPI's unit; default 0.5 point of a share, 1 s,
    0.5 QA or NPS point).

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
        One row per month, vendor, channel and KPI: ``reported``, ``canonical`` (its
        value), ``difference`` (reported - canonical), ``best_variant`` and its value,
        ``flagged`` and ``explained`` (the reported figure matches a non-canonical
        variant within tolerance: the vendor uses another definition).
    """
    missing = [c for c in REPORTED if c not in reported.columns]
    if missing:
        raise DataError("the vendor report lacks a KPI", column=missing[0],
                        allowed=f"columns {list(REPORTED)}")
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
        variants = {}
        for name, v in k.variants.items():
            if all(c in both.columns for c in v.needs):
                variants[name] = kpis.compute(both, kid, name).to_numpy()
        reported_col = column + "_reported" if column in rec.columns else column
        got = both[reported_col].to_numpy(float)
        names = list(variants)
        table = np.column_stack([variants[n] for n in names])
        gaps = np.abs(table - got[:, None])
        best = np.nanargmin(np.where(np.isnan(gaps), np.inf, gaps), axis=1)
        canonical = variants[k.canonical]
        diff = got - canonical
        flagged = np.abs(diff) > tol_by_kpi[kid]
        for i in range(len(both)):
            rows.append({"month": both["month"].iloc[i], "vendor_id": both["vendor_id"].iloc[i],
                         "channel": both["channel"].iloc[i], "kpi": kid,
                         "reported": got[i], "canonical": canonical[i],
                         "difference": diff[i], "best_variant": names[best[i]],
                         "best_value": table[i, best[i]], "flagged": bool(flagged[i]),
                         "explained": bool(flagged[i] and names[best[i]] != k.canonical
                                           and gaps[i, best[i]] <= tol_by_kpi[kid])})
    return pd.DataFrame(rows)


def qa_sample_size(population: int | np.ndarray, margin: float = 0.05,
                   confidence: float = 0.95, proportion: float = 0.5) -> np.ndarray:
    """Contacts to audit to estimate a pass rate within +- ``margin`` at ``confidence``:
    Cochran's n0 = z^2 p (1 - p) / e^2 with the finite-population correction
    n = n0 / (1 + (n0 - 1) / N), rounded up (never more than the population).

    >>> int(qa_sample_size(10**9)), int(qa_sample_size(1000)), int(qa_sample_size(100))
    (385, 278, 80)
    """
    from scipy import stats

    if not 0 < margin < 1:
        raise InputError("margin", margin, "a share strictly between 0 and 1")
    if not 0 < confidence < 1:
        raise InputError("confidence", confidence, "a share strictly between 0 and 1")
    if not 0 < proportion < 1:
        raise InputError("proportion", proportion, "a share strictly between 0 and 1")
    n_pop = np.asarray(population, float)
    if (n_pop < 0).any():
        raise InputError("population", float(n_pop.min()), "a count >= 0")
    z = stats.norm.ppf(0.5 + confidence / 2)
    n0 = z**2 * proportion * (1 - proportion) / margin**2
    n = n0 / (1 + (n0 - 1) / np.maximum(n_pop, 1))
    return np.minimum(np.ceil(n - 1e-9), n_pop).astype(int)


def qa_sample(source: Source, month: str, *, by: Sequence[str] = ("agent_id",),
              margin: float = 0.05, confidence: float = 0.95, seed: int = 0,
              table: str = "records") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The QA sampling plan of ``month``: per group (agent, queue ...), the handled
    contacts and how many to audit (:func:`qa_sample_size`), and the list of contacts
    to audit, drawn reproducibly (the same ``seed`` gives the same list; a hash of the
    contact id and the seed orders each group)."""
    allowed = {"vendor_id", "channel", "queue", "agent_id"}
    bad = [b for b in by if b not in allowed]
    if bad:
        raise InputError("by", bad[0], f"columns among {sorted(allowed)}")
    where = _month_filter(month)
    keys = ", ".join(by)
    with duckdb.connect() as con:
        _prepare(con, source, table)
        plan = con.execute(f"""
            SELECT {keys}, count(*) AS handled FROM records
            {where} AND excluded IS NULL AND answer_time IS NOT NULL
            GROUP BY ALL ORDER BY {keys}""").df()
        if plan.empty:
            raise InputError("month", month, "a month with handled contacts in the records")
        plan["audit"] = qa_sample_size(plan["handled"].to_numpy(), margin, confidence)
        con.register("plan", plan)
        on = " AND ".join(f"r.{k} = p.{k}" for k in by)
        chosen = con.execute(f"""
            SELECT * EXCLUDE (rank, audit) FROM (
                SELECT r.contact_id, {', '.join(f'r.{k}' for k in by)}, r.arrival_time,
                       p.audit,
                       row_number() OVER (PARTITION BY {', '.join(f'r.{k}' for k in by)}
                                          ORDER BY hash(r.contact_id, {int(seed)})) AS rank
                FROM records r JOIN plan p ON {on}
                {where.replace('arrival_time', 'r.arrival_time')}
                  AND r.excluded IS NULL AND r.answer_time IS NOT NULL)
            WHERE rank <= audit ORDER BY {keys}, contact_id""").df()
    return plan, chosen
