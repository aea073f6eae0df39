"""Raw interaction records where they lie: the source read by DuckDB, the rows left out.

The records (one row per contact) are read in place -- a Parquet or CSV file, a folder
of them, a table of a DuckDB database file, or a DataFrame -- as a ``records`` view with
the reason each row is left out (:data:`RULES`), and selected by month and vendor in
SQL. :func:`quality_counts` counts the rows read and left out. The KPI aggregates and
the QA samples built on this are in :mod:`bpo_analysis.data.records`, which also exports
the public names here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from bpo_analysis.errors import DataError, InputError

__all__ = ["GROUPS", "RULES", "Source", "check_by", "check_found", "month_period", "prepare",
           "quality_counts", "relation", "source_path", "sql_quote", "where_clause"]

#: Where records come from: a path (file, folder, DuckDB file) or a DataFrame.
Source = str | Path | pd.DataFrame

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


def relation(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> str:
    """Return a SQL expression reading ``source`` in place.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection (a DataFrame is registered on it, a database attached).
    source : str, Path or DataFrame
        A ``.parquet`` or ``.csv`` file, a folder of one kind of them, a ``.duckdb``
        (or ``.db``) file, or a DataFrame already in memory (scanned in place).
    table : str
        The table of a database file.

    Returns
    -------
    str
        A relation for ``SELECT ... FROM``.

    Raises
    ------
    DataError
        No such file or folder, a folder without record files or with both kinds, an
        unknown file type, or a database without ``table``.
    InputError
        A table name that is not an identifier.
    """
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
        return (f"read_parquet({sql_quote(glob)})" if glob.endswith(".parquet")
                else f"read_csv_auto({sql_quote(glob)})")
    if not path.is_file():
        raise DataError("record source not found", file=path,
                        allowed="a .parquet/.csv file, a folder of them or a .duckdb file")
    if path.suffix == ".parquet":
        return f"read_parquet({sql_quote(path.as_posix())})"
    if path.suffix == ".csv":
        return f"read_csv_auto({sql_quote(path.as_posix())})"
    if path.suffix in (".duckdb", ".db"):
        if not table.isidentifier():
            raise InputError("table", table, "a table name (letters, digits, underscores)")
        con.execute(f"ATTACH {sql_quote(path.as_posix())} AS src (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()]
        if table not in tables:
            raise DataError("no such table in the database", file=path, value=table,
                            allowed=f"one of {tables}")
        return f"src.{table}"
    raise DataError("unknown record file type", file=path,
                    allowed=".parquet, .csv, a folder of them, or .duckdb")


def source_path(source: Source) -> Path | None:
    """Return the file or folder the records come from (``None`` for a DataFrame).

    Parameters
    ----------
    source : str, Path or DataFrame
        As :func:`relation`.

    Returns
    -------
    Path or None
        For an error message.

    Examples
    --------
    >>> source_path("records/2025-01.parquet").name
    '2025-01.parquet'
    """
    return None if isinstance(source, pd.DataFrame) else Path(source)


def prepare(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> None:
    """Create the ``records`` view: every row, a ``duplicated`` flag and the ``excluded`` reason.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection to create the view on.
    source : str, Path or DataFrame
        As :func:`relation`.
    table : str
        The table of a database file.

    Raises
    ------
    DataError
        A record column missing, or one of the wrong type (a CSV with one bad timestamp
        reads as text): names the file and the column.
    """
    rel = relation(con, source, table)
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
    """Count the rows read, and the rows left out by reason (:data:`RULES`).

    The data-quality table of the review: nothing is dropped silently.

    Parameters
    ----------
    source : str, Path or DataFrame
        As :func:`relation`.
    month : str, optional
        Only arrivals in this month (YYYY-MM).
    vendor : str, optional
        Only this vendor's records.
    table : str
        The table of a database file.

    Returns
    -------
    DataFrame
        Columns ``status`` (``kept`` or the reason) and ``records``, most first.

    Raises
    ------
    DataError
        As :func:`prepare`.
    InputError
        A month the records do not cover, or a vendor they do not have (naming those
        there are).

    Examples
    --------
    Three contacts, one of them answered before it arrived:

    >>> t = pd.Timestamp("2025-01-06 10:00")
    >>> r = pd.DataFrame({"contact_id": [1, 2, 3], "channel": "voice", "vendor_id": "V02",
    ...     "queue": "orders", "arrival_time": t, "answer_time": [t, t, t - pd.Timedelta("5s")],
    ...     "abandon_time": pd.NaT, "talk_s": 200.0, "hold_s": 0.0, "acw_s": 30.0,
    ...     "customer_id": [7, 8, 9], "csat": None, "nps": None, "complaint": False,
    ...     "qa_score": None})
    >>> quality_counts(r).values.tolist()
    [['kept', 2], ['answer time before arrival', 1]]
    """
    where = where_clause(month, vendor)
    with duckdb.connect() as con:
        prepare(con, source, table)
        out = con.execute(f"""
            SELECT coalesce(excluded, 'kept') AS status, count(*) AS records
            FROM records {where} GROUP BY 1 ORDER BY 2 DESC""").df()
        check_found(con, out.empty, month, vendor)
    return out


def month_period(month: str) -> pd.Period:
    """Read ``month`` (YYYY-MM) as a Period, or raise an error naming the argument.

    Parameters
    ----------
    month : str
        A month written YYYY-MM.

    Returns
    -------
    Period
        The monthly period.

    Raises
    ------
    InputError
        Anything but a month written YYYY-MM.

    Examples
    --------
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


def sql_quote(text: object) -> str:
    """Quote ``text`` as a SQL string literal.

    >>> sql_quote("Harbor's")
    "'Harbor''s'"
    """
    return "'" + str(text).replace("'", "''") + "'"


def where_clause(month: str | None = None, vendor: str | None = None, prefix: str = "") -> str:
    """Build a WHERE clause: arrivals in ``month`` (YYYY-MM) and of ``vendor``, when given.

    Parameters
    ----------
    month : str, optional
        Arrivals from the first of the month to the first of the next.
    vendor : str, optional
        The vendor's id.
    prefix : str
        A table alias and dot before the column names (``"r."``).

    Returns
    -------
    str
        ``WHERE TRUE`` and the conditions.

    Raises
    ------
    InputError
        A month not written YYYY-MM.

    Examples
    --------
    >>> where_clause(vendor="V02")
    "WHERE TRUE AND vendor_id = 'V02'"
    """
    cond = ["TRUE"]
    if month is not None:
        p = month_period(month)
        cond.append(f"{prefix}arrival_time >= TIMESTAMP '{p.start_time:%Y-%m-%d}' AND "
                    f"{prefix}arrival_time < TIMESTAMP '{(p + 1).start_time:%Y-%m-%d}'")
    if vendor is not None:
        cond.append(f"{prefix}vendor_id = {sql_quote(vendor)}")
    return "WHERE " + " AND ".join(cond)


def _vendors(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT vendor_id FROM records ORDER BY 1").fetchall()]


def check_found(con: duckdb.DuckDBPyConnection, empty: bool, month: str | None,
                vendor: str | None) -> None:
    """Raise an error naming the month or the vendor when a selection has no records.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A connection with the ``records`` view (:func:`prepare`).
    empty : bool
        Whether the selection came back empty (nothing to check otherwise).
    month, vendor : str, optional
        The selection.

    Raises
    ------
    InputError
        A vendor not in the records (naming those there are), or a month they do not
        cover (naming the first and last).
    """
    if not empty:
        return
    if vendor is not None and vendor not in _vendors(con):
        raise InputError("vendor_id", vendor, f"a vendor in the records: {_vendors(con)}")
    if month is not None and not con.execute(
            f"SELECT count(*) FROM records {where_clause(month, vendor)}").fetchone()[0]:
        first, last = con.execute(
            "SELECT strftime(min(arrival_time), '%Y-%m'), strftime(max(arrival_time), "
            "'%Y-%m') FROM records").fetchone()
        raise InputError("month", month, f"a month the records cover ({first} to {last})")


GROUPS = ("vendor_id", "channel", "queue", "agent_id")


def check_by(by: Sequence[str]) -> None:
    """Refuse a grouping column not among :data:`GROUPS`.

    Raises
    ------
    InputError
        Names the first such column (argument ``by``).
    """
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise InputError("by", bad[0], f"columns among {list(GROUPS)}")
