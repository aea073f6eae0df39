"""The demand over the calendar: the days covered, volumes by day and month, unusual days.

Pure functions on the validated ``demand`` table of :class:`~bpo_analysis.data.client.Client`
(columns ``interval_start``, ``channel``, ``contacts``): the period a history covers,
contacts per day and per month with a seasonality index, and the runs of days far from
the usual for their weekday (a sales peak, a recall, a holiday lull). The intraday view
(heatmaps) and the channel mix are in :mod:`bpo_analysis.core.demand`, which also
exports every function here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.data.models import CHANNELS
from bpo_analysis.errors import InputError

__all__ = ["daily_volume", "find_peaks", "monthly_volume", "period"]


def period(demand: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """Return the first day, last day and number of days the demand covers (inclusive).

    Parameters
    ----------
    demand : DataFrame
        Column ``interval_start`` (local datetimes).

    Returns
    -------
    first, last : Timestamp
        Midnight of the first and of the last day.
    days : int
        Calendar days from the first to the last, both included.

    Examples
    --------
    A demand history from 15 March to 14 June 2025 covers 92 days:

    >>> d = pd.DataFrame({"interval_start": pd.to_datetime(["2025-03-15 08:00",
    ...                                                     "2025-06-14 20:30"])})
    >>> period(d)
    (Timestamp('2025-03-15 00:00:00'), Timestamp('2025-06-14 00:00:00'), 92)
    """
    first = demand["interval_start"].min().normalize()
    last = demand["interval_start"].max().normalize()
    return first, last, (last - first).days + 1


def _volume_by(demand: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Contacts per ``key`` value (rows) and channel (columns), plus 'total'."""
    table = demand.pivot_table(index=key, columns="channel", values="contacts", aggfunc="sum",
                               observed=True).reindex(columns=list(CHANNELS), fill_value=0)
    table.columns = list(table.columns)
    table["total"] = table.sum(axis=1)
    return table


def monthly_volume(demand: pd.DataFrame) -> pd.DataFrame:
    """Total the contacts per calendar month and channel, with a seasonality index.

    ``days_covered`` counts the dates of the month present in the demand (a partial
    first or last month has fewer than ``days_in_month``). The seasonality index
    compares contacts *per covered day* with the average day of the whole period
    (1.00 = an average day), so that a partial month does not read as a quiet one.

    Parameters
    ----------
    demand : DataFrame
        Columns ``interval_start``, ``channel`` and ``contacts`` (contacts per interval).

    Returns
    -------
    DataFrame
        One row per month: contacts per channel and ``total``, ``days_covered``,
        ``days_in_month`` and ``seasonality_index`` (1.00 = an average day).

    Notes
    -----
    index_m = (total_m / days_covered_m) / (sum of total / sum of days_covered).

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (monthly seasonality of arrivals); the
    per-covered-day normalisation is this package's.

    Examples
    --------
    150 calls on 31 January and 150 over 1-2 February: January's one day is half
    again as busy as the average day of the three, February's days half as busy.

    >>> d = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-31 10:00",
    ...                   "2025-02-01 10:00", "2025-02-02 11:00"]), "channel": "voice",
    ...                   "contacts": [150, 60, 90]})
    >>> m = monthly_volume(d)
    >>> m["days_covered"].tolist(), m["seasonality_index"].tolist()
    ([1, 2], [1.5, 0.75])
    """
    start = demand["interval_start"]
    table = _volume_by(demand, start.dt.to_period("M").rename("month"))
    dates = pd.DatetimeIndex(start.dt.normalize().unique())
    table["days_covered"] = pd.Series(dates.to_period("M")).value_counts().reindex(table.index)
    table["days_in_month"] = table.index.days_in_month
    per_day = table["total"] / table["days_covered"]
    table["seasonality_index"] = per_day / (table["total"].sum() / table["days_covered"].sum())
    return table


def daily_volume(demand: pd.DataFrame) -> pd.DataFrame:
    """Total the contacts per day (rows: dates) and channel (columns), plus 'total'.

    Parameters
    ----------
    demand : DataFrame
        Columns ``interval_start``, ``channel`` and ``contacts``.

    Returns
    -------
    DataFrame
        Contacts per day and channel (voice, chat, email) and their ``total``.

    Notes
    -----
    total_d = sum over the channels and intervals of day d of the contacts.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (daily arrival volumes).

    Examples
    --------
    A Monday with 40 and 35 contacts in two half-hours, then a Tuesday with 50:

    >>> d = pd.DataFrame({"interval_start": pd.to_datetime(["2025-03-03 09:00",
    ...                   "2025-03-03 09:30", "2025-03-04 09:00"]), "channel": "voice",
    ...                   "contacts": [40, 35, 50]})
    >>> daily_volume(d)["total"].tolist()
    [75, 50]
    """
    return _volume_by(demand, demand["interval_start"].dt.normalize().rename("date"))


def find_peaks(daily: pd.Series, *, threshold: float = 1.4, weeks: int = 4) -> pd.DataFrame:
    """Find the runs of days whose volume is far from the usual for that weekday.

    The usual volume of a day is the median of the same weekday over the ``weeks`` weeks
    before and after it (a robust baseline that weekly rhythm and slow seasonality do
    not trip). A day is unusual when ``volume / usual >= threshold`` (a peak) or
    ``<= 1 / threshold`` (a trough); consecutive unusual days of the same kind form one
    episode. A day with no usual volume (a weekday normally closed) is never flagged; a
    day needs ``weeks + 1`` same-weekday neighbours for a usual value, so a history
    shorter than about ``weeks + 1`` weeks finds no episodes (an empty, typed table).

    Parameters
    ----------
    daily : Series
        Contacts per day, indexed by date (e.g. ``daily_volume(d)["total"]``).
    threshold : float
        Ratio to the usual that counts as unusual, > 1.
    weeks : int
        Half-width of the same-weekday window, in weeks.

    Returns
    -------
    DataFrame
        One row per episode: kind, start, end, days, peak_date, peak_ratio (volume over
        usual on the most unusual day), contacts and excess_contacts (over the usual,
        negative for troughs).

    Raises
    ------
    InputError
        A threshold <= 1 or fewer than one week.

    Notes
    -----
    usual_d = median of the volumes of the same weekday from d - 7 weeks x ``weeks`` to
    d + 7 weeks x ``weeks`` (at least ``weeks`` + 1 of them); ratio_d = volume_d /
    usual_d; peak when ratio_d >= threshold, trough when ratio_d <= 1 / threshold.

    References
    ----------
    J. W. Tukey, *Exploratory Data Analysis* (1977): running medians as a robust
    smoother, here run over the same weekday.

    Examples
    --------
    Eight quiet weeks of 100 contacts a day, with one day of 300:

    >>> s = pd.Series(100.0, index=pd.date_range("2025-03-03", periods=56))
    >>> s.iloc[30] = 300.0
    >>> find_peaks(s)[["kind", "start", "days", "peak_ratio", "excess_contacts"]]
       kind      start  days  peak_ratio  excess_contacts
    0  peak 2025-04-02     1         3.0            200.0
    """
    if threshold <= 1:
        raise InputError("threshold", threshold, "a ratio greater than 1 (e.g. 1.4)")
    if weeks < 1:
        raise InputError("weeks", weeks, "a whole number of weeks >= 1")
    s = daily.astype(float).sort_index()
    usual = s.groupby(s.index.day_of_week).transform(
        lambda x: x.rolling(2 * weeks + 1, center=True, min_periods=weeks + 1).median())
    ratio = s / usual.where(usual > 0)  # no usual volume (a closed day): undefined, not inf
    kind = np.where(ratio >= threshold, "peak", np.where(ratio <= 1 / threshold, "trough", ""))
    kind = pd.Series(kind, index=s.index)
    run = (kind != kind.shift()).cumsum()
    rows = []
    for _, days in kind[kind != ""].groupby(run[kind != ""]):
        r = ratio[days.index]
        worst = r.idxmax() if days.iloc[0] == "peak" else r.idxmin()
        rows.append({"kind": days.iloc[0], "start": days.index[0], "end": days.index[-1],
                     "days": len(days), "peak_date": worst, "peak_ratio": round(r[worst], 2),
                     "contacts": s[days.index].sum(),
                     "excess_contacts": (s[days.index] - usual[days.index]).sum()})
    types = {"kind": str, "start": "datetime64[ns]", "end": "datetime64[ns]", "days": int,
             "peak_date": "datetime64[ns]", "peak_ratio": float, "contacts": float,
             "excess_contacts": float}
    return pd.DataFrame(rows, columns=list(types)).astype(types)
