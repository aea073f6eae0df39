"""Raw interaction records where they lie: the source read by DuckDB, the rows left out.

The records (one row per contact) are read in place -- a Parquet or CSV file, a folder
of them, a table of a DuckDB database file, or a DataFrame -- as a ``records`` view with
the reason each row is left out (:data:`RULES`), and selected by month and vendor in
SQL; each column is first read into its type, times into the client's time zone
(:mod:`bpo_analysis.data.record_types`). :func:`quality_counts` counts the rows read, left
out and converted. A file DuckDB cannot read is one :class:`DataError` naming it
(:func:`connect`), never DuckDB's own exception. The KPI aggregates and
the QA samples built on this are in :mod:`bpo_analysis.data.records`, which also exports
the public names here.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bpo_analysis.data.record_select import (
    GROUPS,
    check_by,
    check_found,
    month_period,
    where_clause,
)
from bpo_analysis.data.record_types import ZONE_COLUMN, sql_quote, typed_view, zone_label
from bpo_analysis.errors import DataError, InputError

__all__ = ["GROUPS", "RULES", "Source", "check_by", "check_found", "connect", "month_period",
           "prepare", "quality_counts", "relation", "source_path", "sql_quote",
           "where_clause"]

#: Where records come from: a path (file, folder, DuckDB file) or a DataFrame.
Source = str | Path | pd.DataFrame

#: Rows the review leaves out, each with the reason the report shows (SQL conditions on
#: the columns as read, times local; a row breaking several rules counts under the first).
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


#: DuckDB's errors about the data it reads (not about the package's own SQL).
_READ_ERRORS = (duckdb.IOException, duckdb.InvalidInputException, duckdb.ConversionException,
                duckdb.OutOfRangeException)


def relation(con: duckdb.DuckDBPyConnection, source: Source, table: str) -> str:
    """Return a SQL expression reading ``source`` in place.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection (a DataFrame is registered on it, a database attached).
    source : str, Path or DataFrame
        A ``.parquet`` or ``.csv`` file, a folder of one kind of them, a ``.duckdb``
        (or ``.db``) file, or a DataFrame already in memory (scanned in place). A CSV is
        read as text, in the dialect DuckDB sniffs once.
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
        unknown file type, a database without ``table``, an empty CSV file, or a folder
        of CSV files whose headers differ.
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
                else _read_csv(con, files, glob))
    if not path.is_file():
        raise DataError("record source not found", file=path,
                        allowed="a .parquet/.csv file, a folder of them or a .duckdb file")
    if path.suffix == ".parquet":
        return f"read_parquet({sql_quote(path.as_posix())})"
    if path.suffix == ".csv":
        return _read_csv(con, [path], path.as_posix())
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


def _read_csv(con: duckdb.DuckDBPyConnection, files: list[Path], glob: str) -> str:
    """Return the relation reading CSV files as text, in the dialect of the first.

    Text, because :mod:`~bpo_analysis.data.record_types` gives each column its type and
    names a bad value in any row (DuckDB's type sniffer samples the first rows only);
    the dialect sniffed once, not at every query. Every file must have the first's header.
    """
    empty = next((f for f in files if f.stat().st_size == 0), None)
    if empty:
        raise DataError("an empty file (no header, no rows)", file=empty,
                        allowed="the export's header and at least one interaction record")
    delim, quote, escape, comment, skip, cols = con.execute(
        "SELECT Delimiter, Quote, Escape, Comment, SkipRows, Columns FROM sniff_csv(?, "
        "header = true, all_varchar = true)", [files[0].as_posix()]).fetchone()
    names = [c["name"] for c in cols]
    if not set(names) >= set(_COLUMNS):  # a ragged row can mislead the sniffer
        delim, names = _header(files[0], names, delim)
        quote, escape, comment, skip = '"', '"', "(empty)", 0
    quote = '"' if quote == "(empty)" else quote
    escape = quote if escape == "(empty)" else escape
    for f in files[1:]:
        with f.open(newline="", encoding="utf-8-sig", errors="replace") as text:
            header = next(csv.reader(text, delimiter=delim, quotechar=quote), [])
        if header != names:
            raise DataError("a header other than the first file's", file=f,
                            value=",".join(header)[:200],
                            allowed=f"the columns of {files[0].name}, in the same order")
    columns = ", ".join(f"{sql_quote(n)}: 'VARCHAR'" for n in names)
    return (f"read_csv({sql_quote(glob)}, auto_detect = false, header = true, "
            f"delim = {sql_quote(delim)}, quote = {sql_quote(quote)}, "
            f"escape = {sql_quote(escape)}, skip = {int(skip)}, "
            + (f"comment = {sql_quote(comment)}, " if comment != "(empty)" else "")
            + f"columns = {{{columns}}})")


def _header(path: Path, sniffed: list[str], delim: str) -> tuple[str, list[str]]:
    """Return the usual separator whose header has the record columns, else the sniffed."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as text:
        line = text.readline()
    for sep in (",", ";", "\t", "|"):
        header = next(csv.reader([line], delimiter=sep), [])
        if set(header) >= set(_COLUMNS):
            return sep, header
    return delim, sniffed


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


def prepare(con: duckdb.DuckDBPyConnection, source: Source, table: str,
            timezone: str | None = None) -> None:
    """Create the ``records`` view: every row, a ``duplicated`` flag and the ``excluded`` reason.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection to create the view on.
    source : str, Path or DataFrame
        As :func:`relation`.
    table : str
        The table of a database file.
    timezone : str, optional
        The client's time zone (scenario.yaml's ``timezone``): times written with a UTC
        offset or stored zone-aware are converted to it; local times are kept.

    Raises
    ------
    DataError
        A record column missing; no records; or a value that cannot be read (a date
        without a time, text in a number column ...) or a column of another kind,
        naming the file, row, column and value (:func:`~bpo_analysis.data.record_types.
        typed_view`).
    InputError
        A ``timezone`` that is not a time zone name.
    """
    rel = relation(con, source, table)
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * "
                             f"FROM {rel})").fetchall())
    missing = [c for c in _COLUMNS if c not in types]
    if missing:
        raise DataError("record columns missing", file=source_path(source), column=missing[0],
                        allowed=f"columns {list(_COLUMNS)}")
    typed_view(con, rel, types, source_path(source), timezone)
    reason = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond in RULES)
    # a semi-join on the repeated ids: lighter than a count window over every row
    con.execute("""
        CREATE OR REPLACE TEMP VIEW raw AS
        SELECT *, coalesce(contact_id IN (SELECT contact_id FROM typed GROUP BY 1
                                          HAVING count(*) > 1), FALSE) AS duplicated
        FROM typed""")
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW records AS
        SELECT *, CASE {reason} ELSE NULL END AS excluded FROM raw""")


@contextlib.contextmanager
def connect(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a DuckDB connection on which an error reading ``source`` names the file.

    A CSV DuckDB cannot parse (a row with too many cells, an unclosed quote, text that
    is not UTF-8), a damaged Parquet file: one :class:`DataError` with the file (and the
    line DuckDB gives), not DuckDB's exception.

    Parameters
    ----------
    source : str, Path or DataFrame
        The records read on the connection.

    Yields
    ------
    duckdb.DuckDBPyConnection
        An in-memory connection, closed after.
    """
    try:
        with duckdb.connect() as con:
            yield con
    except _READ_ERRORS as err:
        text = str(err)
        line = re.search(r"CSV Error on Line: (\d+)", text)
        file = re.search(r"^\s*file = (.+)$", text, re.M)
        cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        original = re.search(r"^Original Line: (.*)$", text, re.M)
        more = cells and int(cells.group(2)) > int(cells.group(1))
        problem = (f"a row with {'more' if more else 'fewer'} cells than the header's "
                   f"{cells.group(1)}" if cells
                   else f"DuckDB cannot read the records ({text.splitlines()[0]})")
        if "Invalid unicode" in text:  # DuckDB shows the header as the line: no value
            problem, original = "text that is not UTF-8 (Big5 or cp950? save as UTF-8)", None
        raise DataError(problem, file=Path(file.group(1)) if file else source_path(source),
                        row=int(line.group(1)) if line else None,
                        **({"value": original.group(1)[:120]} if original else {}),
                        allowed="a well-formed UTF-8 .csv (one cell per column in every "
                        "row), a .parquet or a .duckdb file") from None


def quality_counts(source: Source, month: str | None = None, vendor: str | None = None,
                   table: str = "records", *, timezone: str | None = None) -> pd.DataFrame:
    """Count the rows read, the rows left out by reason (:data:`RULES`), and times converted.

    The data-quality table of the review: nothing is dropped or changed silently. Rows
    without an arrival time belong to no month: they are counted (left out) in every
    month's table. Rows whose times were written in another zone are counted once more,
    per zone, as converted to ``timezone``.

    Parameters
    ----------
    source : str, Path or DataFrame
        As :func:`relation`.
    month : str, optional
        Only arrivals in this month (YYYY-MM), and the rows without an arrival time.
    vendor : str, optional
        Only this vendor's records.
    table : str
        The table of a database file.
    timezone : str, optional
        The client's time zone, as :func:`prepare`.

    Returns
    -------
    DataFrame
        Columns ``status`` (``kept``, the reason, or ``times converted from UTC+08:00 to
        Asia/Taipei``), ``records`` and ``kind`` (``kept``, ``left out`` or
        ``converted``): kept and left-out rows first, most first, then the conversions
        (those rows are already among the kept or left out).

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
    [['kept', 2, 'kept'], ['answer time before arrival', 1, 'left out']]

    The same times exported in UTC, read for a client in Taipei:

    >>> utc = r.assign(arrival_time=t.tz_localize("Asia/Taipei").tz_convert("UTC"))
    >>> quality_counts(utc, timezone="Asia/Taipei")["status"].tolist()[-1]
    'times converted from UTC to Asia/Taipei'
    """
    where = where_clause(month, vendor, undated=True)
    with connect(source) as con:
        prepare(con, source, table, timezone)
        counts = con.execute(f"""
            SELECT coalesce(excluded, 'kept') AS status, {ZONE_COLUMN} AS zone,
                   count(*) AS records, count(arrival_time) AS dated
            FROM records {where} GROUP BY ALL""").df()
        check_found(con, not counts["dated"].any(), month, vendor)
    out = (counts.groupby("status", as_index=False)["records"].sum()
           .sort_values(["records", "status"], ascending=[False, True]))
    out["kind"] = np.where(out["status"] == "kept", "kept", "left out")
    converted: dict[str, int] = {}
    for zone, n in counts.dropna(subset="zone")[["zone", "records"]].itertuples(index=False):
        label = f"times converted from {zone_label(zone)} to {timezone}"
        converted[label] = converted.get(label, 0) + int(n)
    notes = pd.DataFrame({"status": list(converted), "records": list(converted.values()),
                          "kind": "converted"})
    return pd.concat([out[["status", "records", "kind"]], notes],
                     ignore_index=True).astype({"records": "int64"})
