"""The planning horizon: its months, the demand month each one takes and the whole
years of growth between them (sourcing's horizon costs, pricing's TCO, the ROI case)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core.workforce import Calendar
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.errors import DataError, InputError

__all__ = ["horizon_months"]


def horizon_months(client: Client, calendar: Calendar | None = None,
                   periods: int | None = None
                   ) -> tuple[pd.PeriodIndex, pd.PeriodIndex, np.ndarray]:
    """The planning horizon's months (or ``periods`` months from its start, e.g. a
    contract term), the demand month each one takes (the latest of the same calendar
    month) and the whole years between them.

    Raises
    ------
    DataError
        The demand does not cover all twelve calendar months (names the missing ones).
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
