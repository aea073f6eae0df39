"""The planning horizon: its months, the demand month each takes, the years between.

The whole years of growth between a horizon month and its demand month grow the
demand for sourcing's horizon costs, pricing's TCO and the ROI case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core.calendar import Calendar
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.errors import DataError, InputError

__all__ = ["horizon_months"]


def horizon_months(client: Client, calendar: Calendar | None = None,
                   periods: int | None = None
                   ) -> tuple[pd.PeriodIndex, pd.PeriodIndex, np.ndarray]:
    """Map the planning horizon's months to the demand months they take.

    Parameters
    ----------
    client : Client
        Its demand (at least the twelve calendar months) and the scenario's
        ``horizon_start`` (YYYY-MM; default: the month after the demand) and
        ``planning_horizon_months``.
    calendar : Calendar, optional
        The demand's :class:`~bpo_analysis.core.calendar.Calendar`, to save recomputing
        it.
    periods : int, optional
        Months from the horizon's start instead of the planning horizon (e.g. a
        contract term).

    Returns
    -------
    horizon : PeriodIndex
        The horizon's months (``month``).
    taken : PeriodIndex
        For each, the demand month it takes: the latest of the same calendar month
        (``demand_month``).
    years : ndarray of int
        Whole years from the demand month to the horizon month (the years of growth).

    Raises
    ------
    DataError
        The demand does not cover all twelve calendar months (names the missing ones).
    InputError
        A horizon that starts before the demand's first month.

    Notes
    -----
    taken(m) = the latest demand month with the calendar month of m;
    years(m) = year(m) - year(taken(m)). A volume growing g a year is then
    demand(taken) x (1 + g) ^ years.

    References
    ----------
    The seasonal naive method (each month as the same month of the last year) of
    R. J. Hyndman, G. Athanasopoulos, *Forecasting: Principles and Practice* (OTexts).

    Examples
    --------
    Formosa Click's 2025 demand projected over its 36-month horizon from January 2026:
    January 2026 takes January 2025 grown one year, December 2028 takes December 2025
    grown three.

    >>> from bpo_analysis.data.client import load_client
    >>> horizon, taken, years = horizon_months(load_client("data/sample"))
    >>> str(horizon[0]), str(taken[0]), int(years[0])
    ('2026-01', '2025-01', 1)
    >>> str(horizon[-1]), str(taken[-1]), int(years[-1])
    ('2028-12', '2025-12', 3)
    """
    sc = client.scenario
    months = (calendar or Calendar.of(client.demand["interval_start"])).months
    latest = {m.month: m for m in sorted(months)}
    missing = [pd.Period(f"2000-{m:02d}", "M").strftime("%b") for m in range(1, 13)
               if m not in latest]
    if missing:
        raise DataError("the demand cannot be projected over the planning horizon",
                        file=source_file(client, "demand_intervals"), column="interval_start",
                        value=f"no {', '.join(missing)}",
                        allowed="a demand covering all twelve calendar months")
    start = pd.Period(sc.horizon_start, "M") if sc.horizon_start else months.max() + 1
    horizon = pd.period_range(start, periods=periods or sc.planning_horizon_months, freq="M",
                              name="month")
    if horizon[0] < months.min():
        raise InputError("horizon_start", sc.horizon_start,
                         f"a month from the demand's first month {months.min()} on")
    taken = pd.PeriodIndex([latest[m.month] for m in horizon], name="demand_month")
    years = (horizon.year - taken.year).to_numpy()
    return horizon, taken, years
