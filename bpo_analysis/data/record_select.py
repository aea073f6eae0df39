"""Raw records selected: a month written YYYY-MM, a vendor, grouping columns.

The SQL pieces :mod:`bpo_analysis.data.record_source` and :mod:`bpo_analysis.data.records`
select the ``records`` view with, and the errors naming a month or a vendor the records
do not have.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from bpo_analysis.data.record_types import sql_quote
from bpo_analysis.errors import InputError

__all__ = ["GROUPS", "check_by", "check_found", "month_period", "where_clause"]


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


def where_clause(month: str | None = None, vendor: str | None = None, prefix: str = "",
                 *, undated: bool = False) -> str:
    """Build a WHERE clause: arrivals in ``month`` (YYYY-MM) and of ``vendor``, when given.

    Parameters
    ----------
    month : str, optional
        Arrivals from the first of the month to the first of the next.
    vendor : str, optional
        The vendor's id.
    prefix : str
        A table alias and dot before the column names (``"r."``).
    undated : bool
        Also the rows without an arrival time (in no month: the data-quality table
        counts them in every month's).

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
        within = (f"{prefix}arrival_time >= TIMESTAMP '{p.start_time:%Y-%m-%d}' AND "
                  f"{prefix}arrival_time < TIMESTAMP '{(p + 1).start_time:%Y-%m-%d}'")
        cond.append(f"({within} OR {prefix}arrival_time IS NULL)" if undated else within)
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
