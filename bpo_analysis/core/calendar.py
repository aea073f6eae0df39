"""The demand calendar: each interval row's month, day, slot and hour, coded once.

Staffing, shifts, billing and the planning horizon all total a plan by month, by day or
by distinct interval start. :class:`Calendar` factorises the interval starts once, so
that every such total is one ``numpy.bincount`` instead of a ``groupby``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.data.models import Scenario

__all__ = ["Calendar"]


@dataclass(frozen=True)
class Calendar:
    """Codes of each demand row, computed once so that every total is a ``bincount``.

    ``month`` and ``day`` index ``months`` and ``days``; ``slot`` indexes the distinct
    interval starts (``slot_month``, ``slot_day`` and ``slot_minute`` give each one's
    month, day and minute of the day; ``day_weekday`` each day's weekday, Monday 0);
    ``hour`` is the local hour.

    Examples
    --------
    Three rows of a demand table -- the last half-hour of January, and the 08:00
    half-hour of 1 February on two channels -- are two months, two days and two
    distinct intervals:

    >>> starts = pd.Series(pd.to_datetime(["2025-01-31 23:30", "2025-02-01 08:00",
    ...                                    "2025-02-01 08:00"]))
    >>> cal = Calendar.of(starts)
    >>> [str(m) for m in cal.months], cal.month.tolist(), cal.slot.tolist()
    (['2025-01', '2025-02'], [0, 1, 1], [0, 1, 1])
    >>> cal.per_month(np.array([10.0, 4.0, 6.0])).tolist()
    [10.0, 10.0]
    """

    months: pd.PeriodIndex
    days: pd.DatetimeIndex
    month: np.ndarray
    day: np.ndarray
    slot: np.ndarray
    slot_month: np.ndarray
    slot_day: np.ndarray
    slot_minute: np.ndarray
    day_weekday: np.ndarray
    hour: np.ndarray
    minute_of_day: np.ndarray
    weekday: np.ndarray

    @classmethod
    def of(cls, starts: pd.Series) -> Calendar:
        """Build the calendar of a column of interval starts.

        Parameters
        ----------
        starts : Series of datetime64
            Local interval starts, one per demand row (``demand["interval_start"]``).

        Returns
        -------
        Calendar
            The codes of every row, months and days in time order.
        """
        slot, slots = pd.factorize(starts, sort=True)
        slots = pd.DatetimeIndex(slots)
        slot_month, months = pd.factorize(slots.to_period("M"), sort=True)
        day, days = pd.factorize(slots.normalize(), sort=True)
        minute = (slots.hour * 60 + slots.minute).to_numpy()
        days = pd.DatetimeIndex(days, name="day")
        return cls(pd.PeriodIndex(months, name="month"), days, slot_month[slot], day[slot],
                   slot, slot_month, day, minute, days.day_of_week.to_numpy(),
                   minute[slot] // 60, minute[slot], slots.day_of_week.to_numpy()[slot])

    def is_open(self, scenario: Scenario, channel: str | None = None) -> np.ndarray:
        """Mark the rows inside the opening hours (as :func:`quality.open_mask`).

        Parameters
        ----------
        scenario : Scenario
            Its ``opening_hours`` per weekday (a closed day has none).
        channel : str, optional
            The channel whose own hours count (``service_targets.<channel>.
            opening_hours``); None: the centre's.

        Returns
        -------
        ndarray of bool
            One per row: True when the interval starts at or after opening and before
            closing on its weekday.
        """
        opens, closes = scenario.opening_minutes(channel)
        return (self.minute_of_day >= opens[self.weekday]) & (
            self.minute_of_day < closes[self.weekday])

    def per_month(self, values: np.ndarray) -> np.ndarray:
        """Sum ``values`` per month.

        Parameters
        ----------
        values : ndarray
            One value per row (contacts, agent-hours ...).

        Returns
        -------
        ndarray
            One sum per month of ``months``, in the values' unit.
        """
        return np.bincount(self.month, values, len(self.months))

    def per_slot(self, values: np.ndarray) -> np.ndarray:
        """Sum ``values`` per distinct interval (all channels together).

        Parameters
        ----------
        values : ndarray
            One value per row (e.g. the scheduled agents of each channel).

        Returns
        -------
        ndarray
            One sum per distinct interval start, in time order.
        """
        return np.bincount(self.slot, values, len(self.slot_month))
