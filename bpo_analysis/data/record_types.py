"""Raw record columns as systems export them, read into the types the review counts with.

A contact-centre export writes times as local times, with a UTC offset
(``2025-12-01T08:49:00+08:00``) or as time-zone-aware Parquet timestamps; ids as numbers
or text (``C123``); and now and then a value no reader expects (``n/a`` in a seconds
column, a date without its time). :func:`typed_view` reads each column the review needs
into one type -- times as the client's local time (offsets and zones converted to the
scenario's time zone, local times kept), seconds and scores as numbers, the complaint flag
as true/false, ids as they are -- and refuses a value it cannot read with one error naming
the file, the row, the column and the value. A CSV is read as text (``all_varchar``) and
converted here, so a bad value far past DuckDB's type-sniffing sample is found too.
"""

from __future__ import annotations

import csv
import zoneinfo
from pathlib import Path

import duckdb

from bpo_analysis.errors import DataError, InputError

__all__ = ["NUMBER_COLUMNS", "TIME_COLUMNS", "ZONE_COLUMN", "check_timezone", "sql_quote",
           "typed_view", "zone_label"]

TIME_COLUMNS = ("arrival_time", "answer_time", "abandon_time")
NUMBER_COLUMNS = ("talk_s", "hold_s", "acw_s", "csat", "nps", "qa_score")
_IDS = ("contact_id", "customer_id")
#: The column of the ``typed`` view holding the zone a row's times were written in
#: (the offset as written, ``UTC`` for zone-aware timestamps; NULL for local times).
ZONE_COLUMN = "_zone_written"

_DATETIME = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
_ZONE = r"(Z|UTC|GMT|[+-]\d{1,2}(:?\d{2})?|[A-Za-z]+(/[A-Za-z0-9_+-]+)+)"
_ZONED = _DATETIME + r"\s*" + _ZONE  # the zone is group 3
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
_NULL = '"NULL"'  # DuckDB's type of a column with no value at all
_TIME_ALLOWED = ("a date and time such as 2025-12-01 08:49:00 (local time), or with a UTC "
                 "offset (2025-12-01T08:49:00+08:00) or a zone-aware timestamp, converted "
                 "to the client's time zone; or empty")
_ALLOWED = {**dict.fromkeys(TIME_COLUMNS, _TIME_ALLOWED),
            **dict.fromkeys(("talk_s", "hold_s", "acw_s"), "seconds, a number (or empty)"),
            **dict.fromkeys(("csat", "nps", "qa_score"), "a number (or empty)"),
            "complaint": "true or false"}


def sql_quote(text: object) -> str:
    """Quote ``text`` as a SQL string literal.

    >>> sql_quote("Harbor's")
    "'Harbor''s'"
    """
    return "'" + str(text).replace("'", "''") + "'"


def check_timezone(timezone: str | None) -> str | None:
    """Return ``timezone`` if it is a time zone name (IANA), else raise naming it.

    Raises
    ------
    InputError
        A name that is not a time zone (argument ``timezone``).

    Examples
    --------
    >>> check_timezone("Asia/Taipei")
    'Asia/Taipei'
    """
    if timezone is None:
        return None
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError("timezone", timezone, "a time zone name such as Asia/Taipei (the "
                         "client's, scenario.yaml's timezone)") from None
    return str(timezone)


def zone_label(written: str) -> str:
    """Name the zone a time was written in: ``UTC+08:00`` for ``+08:00``, ``UTC`` for ``Z``.

    Examples
    --------
    >>> [zone_label(z) for z in ("+08:00", "+0800", "+8", "Z", "-05:30", "UTC", "Asia/Tokyo")]
    ['UTC+08:00', 'UTC+08:00', 'UTC+08:00', 'UTC', 'UTC-05:30', 'UTC', 'Asia/Tokyo']
    """
    z = written.strip()
    if z in ("Z", "UTC", "GMT"):
        return "UTC"
    if z[:1] in "+-" and z[1:].replace(":", "").isdigit():
        digits = z[1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "00")
        if int(hours) == int(minutes) == 0:
            return "UTC"
        return f"UTC{z[0]}{int(hours):02d}:{minutes}"
    return z


def _time(col: str, kind: str, tz: str | None) -> tuple[str | None, str | None, str]:
    """Return the value, the bad-value condition and the zone written of a time column."""
    if kind == "VARCHAR":
        v = f"nullif(trim({col}), '')"
        tail = f"substr({v}, 12)"  # after the date and the T: a zone has a sign or letters
        hint = f"(strpos({tail}, '+') > 0 OR strpos({tail}, '-') > 0 OR upper({tail}) <> " \
               f"lower({tail}))"
        zoned = (f"timezone({sql_quote(tz)}, TRY_CAST({v} AS TIMESTAMPTZ))" if tz
                 else "NULL::TIMESTAMP")
        value = (f"CASE WHEN NOT contains({v}, ':') THEN NULL WHEN {hint} THEN CASE WHEN "
                 f"regexp_full_match({v}, '{_ZONED}') THEN {zoned} END "
                 f"ELSE TRY_CAST({v} AS TIMESTAMP) END")
        zone = f"CASE WHEN {hint} THEN regexp_extract({v}, '{_ZONED}', 3) END"
        return value, f"{v} IS NOT NULL AND ({value}) IS NULL", zone
    if _zoned_type(kind):  # an instant: to the client's wall clock
        value = f"timezone({sql_quote(tz)}, CAST({col} AS TIMESTAMPTZ))" if tz else None
        return (value, None if tz else f"{col} IS NOT NULL",
                f"CASE WHEN {col} IS NOT NULL THEN 'UTC' END")
    if kind.startswith("TIMESTAMP"):
        return col, None, "NULL"
    if kind == _NULL:
        return "NULL::TIMESTAMP", None, "NULL"
    return None, f"{col} IS NOT NULL", "NULL"  # a DATE, a number ...: refused


def _zoned_type(kind: str) -> bool:
    """Tell a zone-aware timestamp type (``TIMESTAMP WITH TIME ZONE``, ``TIMESTAMPTZ_NS``)."""
    return kind.startswith("TIMESTAMPTZ") or kind.endswith("WITH TIME ZONE")


def _scalar(col: str, kind: str, target: str) -> tuple[str | None, str | None]:
    """Return the value and the bad-value condition of a number or flag column."""
    if kind == "VARCHAR":
        v = f"nullif(trim({col}), '')"
        value = f"TRY_CAST({v} AS {target})"
        bad = f"{value} IS NULL" + (f" OR NOT isfinite({value})" if target == "DOUBLE" else "")
        return value, f"{v} IS NOT NULL AND ({bad})"
    if kind == _NULL:
        return f"NULL::{target}", None
    if target == "BOOLEAN" or kind.startswith(_NUMERIC):  # a 0/1 flag is read as before
        return col, None
    return None, f"{col} IS NOT NULL"  # times, true/false ... where numbers are meant


def typed_view(con: duckdb.DuckDBPyConnection, rel: str, types: dict[str, str],
               file: Path | None, timezone: str | None) -> None:
    """Create the ``typed`` view: the record columns in the types the review counts with.

    Times become the client's local time: a UTC offset or a zone-aware timestamp is
    converted to ``timezone``, a local time stays as it is; the zone each row was
    written in is kept in :data:`ZONE_COLUMN` for the data-quality table. Seconds and
    scores become numbers, ``complaint`` true/false; ids stay as they are (text ids are
    identifiers too), those of a CSV written as whole numbers become numbers.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection ``rel`` is read on.
    rel : str
        The records (:func:`bpo_analysis.data.record_source.relation`); a CSV read as text.
    types : dict
        Column -> DuckDB type of ``rel``.
    file : Path or None
        The file or folder, for the error message.
    timezone : str or None
        The client's time zone; None when the records hold local times only.

    Raises
    ------
    DataError
        No records; or the first value that cannot be read (a date without a time, a
        text in a number column, a time with an offset and no ``timezone`` to convert it
        to ...), naming the file, row, column and value; or a column of another kind
        (dates, numbers where times are meant).
    """
    tz = check_timezone(timezone)
    values, bad, zones = {}, {}, []
    for col in TIME_COLUMNS:
        values[col], bad[col], zone = _time(col, types[col], tz)
        zones.append(zone)
    for col in (*NUMBER_COLUMNS, "complaint"):
        values[col], bad[col] = _scalar(col, types[col],
                                        "BOOLEAN" if col == "complaint" else "DOUBLE")
    checked = [c for c in bad if bad[c]]
    whole = [c for c in _IDS if rel.startswith("read_csv") and types[c] == "VARCHAR"]
    counts = [*(f"count(*) FILTER (WHERE {bad[c]})" for c in checked),
              *(f"bool_and({c} IS NULL OR regexp_full_match(trim({c}), "
                "'0|-?[1-9][0-9]{0,17}'))" for c in whole)]
    n, *found = con.execute(f"SELECT {', '.join(['count(*)', *counts])} FROM {rel}").fetchone()
    if not n:
        raise DataError("no records (the export has no rows)", file=file,
                        allowed="at least one interaction record")
    for col, k in zip(checked, found[:len(checked)], strict=True):
        if k:
            _refuse(con, rel, file, col, types[col], bad[col], tz)
        if values[col] is None:  # a column of another kind, but empty in every row
            values[col] = "NULL::TIMESTAMP" if col in TIME_COLUMNS else "NULL::DOUBLE"
    for col, all_whole in zip(whole, found[len(checked):], strict=True):
        if all_whole:  # as DuckDB's sniffer would read them: the same as from Parquet
            values[col] = f"CAST(trim({col}) AS BIGINT)"
    replace = ", ".join(f"{v} AS {c}" for c, v in values.items() if v != c)
    con.execute(f"""CREATE OR REPLACE TEMP VIEW typed AS
        SELECT *{f' REPLACE ({replace})' if replace else ''},
               CAST(coalesce({', '.join(zones)}) AS VARCHAR) AS {ZONE_COLUMN} FROM {rel}""")


def _refuse(con: duckdb.DuckDBPyConnection, rel: str, file: Path | None, col: str,
            kind: str, cond: str, tz: str | None) -> None:
    """Raise the error naming the first value of ``col`` meeting ``cond``."""
    where, row, value = _locate(con, rel, file, col, cond)
    text = str(value).strip()
    if col in TIME_COLUMNS and _zoned_type(kind):
        problem = "times with a time zone, and no time zone to convert them to"
    elif kind not in ("VARCHAR", _NULL) and col in TIME_COLUMNS:
        problem = ("a date without a time of day" if kind == "DATE"
                   else f"a column of {kind} values where times are meant")
    elif kind not in ("VARCHAR", _NULL):
        problem = f"a column of {kind} values where numbers are meant"
    elif col in TIME_COLUMNS and ":" not in text and con.execute(
            "SELECT TRY_CAST(? AS DATE) IS NOT NULL", [text]).fetchone()[0]:
        problem = "a date without a time of day"
    elif col in TIME_COLUMNS and not tz and con.execute(
            f"SELECT regexp_full_match(?, '{_ZONED}')", [text]).fetchone()[0]:
        problem = "a time with a UTC offset, and no time zone to convert it to"
    elif col in TIME_COLUMNS:
        problem = "a value that is not a date and time"
    else:
        problem = "a value that is not a number" if col != "complaint" else \
            "a value that is not true or false"
    allowed = _ALLOWED[col]
    if "no time zone" in problem:
        allowed = "local times, or the client's time zone to convert them to (timezone)"
    raise DataError(problem, file=where, row=row, column=col, value=value, allowed=allowed)


def _locate(con: duckdb.DuckDBPyConnection, rel: str, file: Path | None, col: str,
            cond: str) -> tuple[Path | None, int | None, object]:
    """Return the file, the row and the value of the first row of ``rel`` where ``cond`` holds.

    The row as a spreadsheet of the file numbers it (the header is row 1); none for a
    DataFrame or a database table.
    """
    if rel.startswith("read_parquet"):
        name, n, value = con.execute(
            f"SELECT filename, file_row_number, {col} FROM {rel} WHERE {cond} "
            "ORDER BY filename, file_row_number LIMIT 1").fetchone()
        return Path(name), n + 2, str(value) if not isinstance(value, str) else value
    if rel.startswith("read_csv"):
        name, value = con.execute(
            f"SELECT filename, {col} FROM {rel} WHERE {cond} LIMIT 1").fetchone()
        return Path(name), _csv_row(con, Path(name), col, value), value
    value = con.execute(f"SELECT {col} FROM {rel} WHERE {cond} LIMIT 1").fetchone()[0]
    return file, None, value if isinstance(value, str) else str(value)


def _csv_row(con: duckdb.DuckDBPyConnection, path: Path, col: str, value: str) -> int | None:
    """Return the first row of the CSV ``path`` whose ``col`` holds ``value`` (header: 1).

    Read with Python's csv module, on the error's path only: DuckDB's CSV reader gives
    no row numbers, and a quoted cell over several lines still counts as one row.
    """
    delim = con.execute("SELECT Delimiter FROM sniff_csv(?)", [str(path)]).fetchone()[0]
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as f:
        reader = csv.reader(f, delimiter=delim if len(delim) == 1 else ",")
        header = next(reader, [])
        if col not in header:
            return None
        i = header.index(col)
        for n, cells in enumerate(reader, start=2):
            if len(cells) > i and cells[i].strip() == value.strip():
                return n
    return None
