"""Raw interaction records: the KPI dictionary's aggregates computed from them by DuckDB,
with the rows left out counted and named, and QA samples drawn from them.

The records (one row per contact, as :func:`bpo_analysis.data.sample.interaction_records`
writes them) are read where they lie -- a Parquet or CSV file, a folder of them, or a
table of a DuckDB database file -- and aggregated in SQL, never loaded whole into pandas.
:func:`aggregates` returns, per period and group, the columns :mod:`bpo_analysis.data.kpis`
computes every KPI and variant from; :func:`kpi_table` applies the dictionary;
:func:`qa_sample` draws the contacts to audit. The monthly review (step 5,
:mod:`bpo_analysis.steps.review`) and the sample generator build on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.errors import DataError, InputError

__all__ = ["GROUPS", "PERIODS", "RULES", "Source", "aggregates", "kpi_table", "month_period",
           "qa_sample", "qa_sample_size", "quality_counts", "source_path"]

#: Where records come from: a path (file, folder, DuckDB file) or a DataFrame.
Source = str | Path | pd.DataFrame

PERIODS = {"month": "month", "week": "week", "day": "day", "interval": "hour"}

#: Rows the review leaves out, each with the reason the report shows (SQL conditions on
#: the raw columns; a row breaking several rules counts under the first).
RULES: tuple[tuple[str, str], ...] = (
    ("no arrival time", "arrival_time IS NULL"),
    ("duplicate contact_id", "duplicated"),
    ("both answered and abandoned", "answer_time IS NOT NULL AND abandon_time IS NOT NULL"),
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


#: Column types DuckDB must find (a CSV with one bad timestamp reads as text).
_TYPES = {"arrival_time": ("TIMESTAMP", "DATE"), "answer_time": ("TIMESTAMP", "DATE", '"NULL"'),
          "abandon_time": ("TIMESTAMP", "DATE", '"NULL"'),
          **{c: ("DOUBLE", "FLOAT", "DECIMAL", "INT", "BIGINT", "SMALLINT", "TINYINT",
                 "HUGEINT", "UINTEGER", "UBIGINT", "USMALLINT", "UTINYINT", '"NULL"')
             for c in ("talk_s", "hold_s", "acw_s", "csat", "nps", "qa_score")}}
_TYPE_NAMES = {"arrival_time": "a timestamp", "answer_time": "a timestamp",
               "abandon_time": "a timestamp", "talk_s": "seconds", "hold_s": "seconds",
               "acw_s": "seconds", "csat": "a number", "nps": "a number",
               "qa_score": "a number"}


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
        return (f"read_parquet({_quote(glob)})" if glob.endswith(".parquet")
                else f"read_csv_auto({_quote(glob)})")
    if not path.is_file():
        raise DataError("record source not found", file=path,
                        allowed="a .parquet/.csv file, a folder of them or a .duckdb file")
    if path.suffix == ".parquet":
        return f"read_parquet({_quote(path.as_posix())})"
    if path.suffix == ".csv":
        return f"read_csv_auto({_quote(path.as_posix())})"
    if path.suffix in (".duckdb", ".db"):
        if not table.isidentifier():
            raise InputError("table", table, "a table name (letters, digits, underscores)")
        con.execute(f"ATTACH {_quote(path.as_posix())} AS src (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()]
        if table not in tables:
            raise DataError("no such table in the database", file=path, value=table,
                            allowed=f"one of {tables}")
        return f"src.{table}"
    raise DataError("unknown record file type", file=path,
                    allowed=".parquet, .csv, a folder of them, or .duckdb")


def source_path(source: Source) -> Path | None:
    """The file or folder the records come from (``None`` for a DataFrame)."""
    return None if isinstance(source, pd.DataFrame) else Path(source)


def _prepare(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> None:
    """The ``records`` view with a ``duplicated`` flag and the ``excluded`` reason."""
    rel = _relation(con, source, table)
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()]
    missing = [c for c in _COLUMNS if c not in cols]
    if missing:
        raise DataError("record columns missing", file=source_path(source), column=missing[0],
                        allowed=f"columns {list(_COLUMNS)}")
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * "
                             f"FROM {rel})").fetchall())
    for col, kinds in _TYPES.items():
        if not types[col].startswith(kinds):
            raise DataError("a column of the wrong type (a value that is not one somewhere "
                            "in it)", file=source_path(source), column=col, value=types[col],
                            allowed=f"{_TYPE_NAMES[col]} in every row (or empty)")
    reason = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond in RULES)
    # a semi-join on the repeated ids: lighter than a count window over every row
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW raw AS
        SELECT *, coalesce(contact_id IN (SELECT contact_id FROM {rel} GROUP BY 1
                                          HAVING count(*) > 1), FALSE) AS duplicated
        FROM {rel}""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW records AS
        SELECT *, CASE {reason} ELSE NULL END AS excluded FROM raw""")


def quality_counts(source: Source, month: str | None = None, vendor: str | None = None,
                   table: str = "records") -> pd.DataFrame:
    """Rows read, and rows left out by reason (:data:`RULES`), for ``month`` (YYYY-MM)
    and ``vendor`` or all: the data-quality table of the review (nothing dropped
    silently). Columns ``status`` (``kept`` or the reason) and ``records``."""
    where = _where(month, vendor)
    with duckdb.connect() as con:
        _prepare(con, source, table)
        out = con.execute(f"""
            SELECT coalesce(excluded, 'kept') AS status, count(*) AS records
            FROM records {where} GROUP BY 1 ORDER BY 2 DESC""").df()
        _check_found(con, out.empty, month, vendor)
    return out


def month_period(month: str) -> pd.Period:
    """``month`` (YYYY-MM) as a Period, or an error naming the argument.

    >>> month_period("2025-12")
    Period('2025-12', 'M')
    """
    try:
        p = pd.Period(month, "M")
    except (ValueError, TypeError):
        raise InputError("month", month, "a month written YYYY-MM, e.g. 2026-10") from None
    if str(p) != str(month):
        raise InputError("month", month, "a month written YYYY-MM, e.g. 2026-10")
    return p


def _quote(text: object) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _where(month: str | None = None, vendor: str | None = None, prefix: str = "") -> str:
    """A WHERE clause: arrivals in ``month`` (YYYY-MM) and of ``vendor``, when given."""
    cond = ["TRUE"]
    if month is not None:
        p = month_period(month)
        cond.append(f"{prefix}arrival_time >= TIMESTAMP '{p.start_time:%Y-%m-%d}' AND "
                    f"{prefix}arrival_time < TIMESTAMP '{(p + 1).start_time:%Y-%m-%d}'")
    if vendor is not None:
        cond.append(f"{prefix}vendor_id = {_quote(vendor)}")
    return "WHERE " + " AND ".join(cond)


def _vendors(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT vendor_id FROM records ORDER BY 1").fetchall()]


def _check_found(con: duckdb.DuckDBPyConnection, empty: bool, month: str | None,
                 vendor: str | None) -> None:
    """An error naming the month or the vendor when a selection has no records."""
    if not empty:
        return
    if vendor is not None and vendor not in _vendors(con):
        raise InputError("vendor_id", vendor, f"a vendor in the records: {_vendors(con)}")
    if month is not None and not con.execute(
            f"SELECT count(*) FROM records {_where(month, vendor)}").fetchone()[0]:
        first, last = con.execute(
            "SELECT strftime(min(arrival_time), '%Y-%m'), strftime(max(arrival_time), "
            "'%Y-%m') FROM records").fetchone()
        raise InputError("month", month, f"a month the records cover ({first} to {last})")


GROUPS = ("vendor_id", "channel", "queue", "agent_id")


def _check_by(by: Sequence[str]) -> None:
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise InputError("by", bad[0], f"columns among {list(GROUPS)}")


def aggregates(source: Source, *, answer_within_s: dict[str, float],
               short_abandon_s: float = 5.0, period: str = "month",
               by: Sequence[str] = ("vendor_id", "channel"), month: str | None = None,
               vendor: str | None = None, table: str = "records") -> pd.DataFrame:
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
    vendor :
        Only this vendor's records; an error naming the vendors when it has none.

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
    _check_by(by)
    if not short_abandon_s >= 0:
        raise InputError("short_abandon_s", short_abandon_s, "seconds >= 0")
    t_case = " ".join(f"WHEN channel = {_quote(ch)} THEN {float(t)}"
                      for ch, t in answer_within_s.items())
    group = ", ".join(["period", *by])
    where = _where(month, vendor)
    with duckdb.connect() as con:
        _prepare(con, source, table)
        sql = f"""
        WITH kept AS (
            SELECT *, CASE {t_case} ELSE NULL END AS t_s,
                   CASE WHEN customer_id IS NOT NULL THEN lead(arrival_time) OVER (
                       PARTITION BY customer_id ORDER BY arrival_time) END AS next_arrival
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
        _check_found(con, out.empty, month, vendor)
        unknown = sorted(set(out["channel"]) - set(answer_within_s)) if "channel" in by else \
            [r[0] for r in con.execute(f"SELECT DISTINCT channel FROM records {where}")
             .fetchall() if r[0] not in answer_within_s]
    if unknown:
        raise InputError("answer_within_s", f"no threshold for channel {unknown[0]!r}",
                         "a service-level threshold T (s) for every channel of the "
                         "records, e.g. from scenario.yaml's service_targets")
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


def qa_sample_size(population: int | np.ndarray, margin: float = 0.05,
                   confidence: float = 0.95, proportion: float = 0.5) -> np.ndarray:
    """Contacts to audit to estimate a pass rate within +- ``margin`` at ``confidence``:
    Cochran's n0 = z^2 p (1 - p) / e^2 with the finite-population correction
    n = n0 / (1 + (n0 - 1) / N), rounded up (never more than the population).

    >>> int(qa_sample_size(10**9)), int(qa_sample_size(1000)), int(qa_sample_size(100))
    (385, 278, 80)
    """
    from scipy import special  # not scipy.stats: see the import in contracts.py

    if not 0 < margin < 1:
        raise InputError("margin", margin, "a share strictly between 0 and 1")
    if not 0 < confidence < 1:
        raise InputError("confidence", confidence, "a share strictly between 0 and 1")
    if not 0 < proportion < 1:
        raise InputError("proportion", proportion, "a share strictly between 0 and 1")
    n_pop = np.asarray(population, float)
    if (n_pop < 0).any():
        raise InputError("population", float(n_pop.min()), "a count >= 0")
    z = special.ndtri(0.5 + confidence / 2)  # the normal quantile
    n0 = z**2 * proportion * (1 - proportion) / margin**2
    n = n0 / (1 + (n0 - 1) / np.maximum(n_pop, 1))
    return np.minimum(np.ceil(n - 1e-9), n_pop).astype(int)


def qa_sample(source: Source, month: str, *, by: Sequence[str] = ("agent_id",),
              margin: float = 0.05, confidence: float = 0.95, seed: int = 0,
              vendor: str | None = None, table: str = "records"
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The QA sampling plan of ``month``: per group (agent, queue ...), the handled
    contacts and how many to audit (:func:`qa_sample_size`), and the list of contacts
    to audit, drawn reproducibly (the same ``seed`` gives the same list; a hash of the
    contact id and the seed orders each group)."""
    _check_by(by)
    where = _where(month, vendor)
    keys = ", ".join(by)
    with duckdb.connect() as con:
        _prepare(con, source, table)
        plan = con.execute(f"""
            SELECT {keys}, count(*) AS handled FROM records
            {where} AND excluded IS NULL AND answer_time IS NOT NULL
            GROUP BY ALL ORDER BY {keys}""").df()
        _check_found(con, plan.empty, month, vendor)
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
                {_where(month, vendor, prefix='r.')}
                  AND r.excluded IS NULL AND r.answer_time IS NOT NULL)
            WHERE rank <= audit ORDER BY {keys}, contact_id""").df()
    return plan, chosen
