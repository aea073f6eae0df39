"""The client's demand: when contacts arrive, on which channel, and where it peaks.

Pure functions on the validated ``demand`` table of :class:`~bpo_analysis.data.client.Client`
(columns ``interval_start``, ``channel``, ``contacts``, ``aht_s``). Workload is
contacts x AHT, in hours: the agent time the demand asks for before any waiting,
concurrency or shrinkage (those belong to the staffing engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.data.models import CHANNELS
from bpo_analysis.errors import InputError

__all__ = [
    "HeatmapCube",
    "channel_mix",
    "daily_volume",
    "find_peaks",
    "heatmap",
    "heatmap_cube",
    "monthly_volume",
    "peak_slot",
    "period",
]

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MEASURES = {"contacts": "contacts per interval", "workload_h": "workload hours per interval"}


def _workload_h(demand: pd.DataFrame) -> pd.Series:
    return demand["contacts"] * demand["aht_s"].fillna(0.0) / 3600.0


@dataclass(frozen=True)
class HeatmapCube:
    """Demand summed by channel x month x weekday x time slot, computed once.

    ``contacts`` and ``workload_h`` have shape (channels, 12, 7, slots); ``days`` counts
    the dates of each (month, weekday) so that sums become averages per interval.
    Slicing the cube answers every heatmap a slider asks for without re-reading the
    interval table.
    """

    channels: tuple[str, ...]
    slots: tuple[str, ...]
    contacts: np.ndarray
    workload_h: np.ndarray
    days: np.ndarray


def heatmap_cube(demand: pd.DataFrame, interval_minutes: int) -> HeatmapCube:
    """Sum the interval demand into a :class:`HeatmapCube`.

    ``interval_minutes`` is the length of one row (``scenario.interval_minutes``); it is
    required because summing 15-minute rows into 30-minute slots would double the
    per-interval figures.
    """
    if interval_minutes not in (15, 30, 60):
        raise InputError("interval_minutes", interval_minutes, "15, 30 or 60")
    start = demand["interval_start"]
    slots_per_day = 24 * 60 // interval_minutes
    ch = pd.Categorical(demand["channel"], categories=list(CHANNELS)).codes
    month = start.dt.month.to_numpy() - 1
    dow = start.dt.day_of_week.to_numpy()
    slot = ((start.dt.hour * 60 + start.dt.minute) // interval_minutes).to_numpy()
    shape = (len(CHANNELS), 12, 7, slots_per_day)
    flat = np.ravel_multi_index((ch, month, dow, slot), shape)
    size = int(np.prod(shape))
    contacts = np.bincount(flat, weights=demand["contacts"].to_numpy(float), minlength=size)
    work = np.bincount(flat, weights=_workload_h(demand).to_numpy(float), minlength=size)
    dates = pd.DatetimeIndex(start.dt.normalize().unique())
    days = np.zeros((12, 7))
    np.add.at(days, (dates.month - 1, dates.day_of_week), 1)
    labels = tuple(f"{(i * interval_minutes) // 60:02d}:{(i * interval_minutes) % 60:02d}"
                   for i in range(slots_per_day))
    return HeatmapCube(CHANNELS, labels, contacts.reshape(shape), work.reshape(shape), days)


def heatmap(cube: HeatmapCube, *, channels: Sequence[str] | None = None,
            months: tuple[int, int] = (1, 12), measure: str = "contacts") -> pd.DataFrame:
    """Average demand per interval, weekday x time of day, for some channels and months.

    Parameters
    ----------
    cube : HeatmapCube
        From :func:`heatmap_cube`.
    channels : sequence of str, optional
        Channels to add up; all by default.
    months : (int, int)
        First and last month (1-12), inclusive.
    measure : {'contacts', 'workload_h'}
        Contacts per interval, or workload hours (contacts x AHT / 3600) per interval.

    Returns
    -------
    DataFrame
        Rows Mon..Sun, columns 'HH:MM' slot starts.

    Examples
    --------
    A Monday 10:00 slot that saw 120 and 80 calls on two Mondays averages 100 calls:

    >>> d = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 10:00",
    ...                   "2025-01-13 10:00"]), "channel": "voice",
    ...                   "contacts": [120, 80], "aht_s": [300.0, 300.0]})
    >>> float(heatmap(heatmap_cube(d, 30)).loc["Mon", "10:00"])
    100.0
    """
    if measure not in MEASURES:
        raise InputError("measure", measure, f"one of {list(MEASURES)}")
    lo, hi = months
    if not 1 <= lo <= hi <= 12:
        raise InputError("months", months, "(first, last) with 1 <= first <= last <= 12")
    chosen = list(cube.channels) if channels is None else list(channels)
    unknown = [c for c in chosen if c not in cube.channels]
    if unknown or not chosen:
        raise InputError("channels", channels, f"a non-empty subset of {list(cube.channels)}")
    idx = [cube.channels.index(c) for c in chosen]
    values = getattr(cube, measure)[idx][:, lo - 1:hi].sum(axis=(0, 1))
    days = cube.days[lo - 1:hi].sum(axis=0)
    avg = np.divide(values, days[:, None], out=np.zeros_like(values), where=days[:, None] > 0)
    return pd.DataFrame(avg, index=list(WEEKDAY_LABELS), columns=list(cube.slots))


def period(demand: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """First day, last day and number of days the demand covers (inclusive).

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
    """Contacts per calendar month and channel, the days covered, and a seasonality index.

    ``days_covered`` counts the dates of the month present in the demand (a partial
    first or last month has fewer than ``days_in_month``). The seasonality index
    compares contacts *per covered day* with the average day of the whole period
    (1.00 = an average day), so that a partial month does not read as a quiet one.
    """
    start = demand["interval_start"]
    table = _volume_by(demand, start.dt.to_period("M").rename("month"))
    dates = pd.DatetimeIndex(start.dt.normalize().unique())
    table["days_covered"] = pd.Series(dates.to_period("M")).value_counts().reindex(table.index)
    table["days_in_month"] = table.index.days_in_month
    per_day = table["total"] / table["days_covered"]
    table["seasonality_index"] = per_day / (table["total"].sum() / table["days_covered"].sum())
    return table


def channel_mix(demand: pd.DataFrame) -> pd.DataFrame:
    """Per channel: contacts, share of contacts, contact-weighted AHT (s), workload hours.

    Workload share differs from contact share when channels' handle times differ,
    which is what staffing and per-minute prices follow.
    """
    d = demand.assign(workload_h=_workload_h(demand))
    g = d.groupby("channel", observed=True)[["contacts", "workload_h"]].sum()
    g = g.reindex(list(CHANNELS), fill_value=0)
    g["contact_share"] = g["contacts"] / g["contacts"].sum()
    g["aht_s"] = np.where(g["contacts"] > 0, g["workload_h"] * 3600 / g["contacts"].clip(lower=1),
                          np.nan)
    g["workload_share"] = g["workload_h"] / g["workload_h"].sum()
    return g[["contacts", "contact_share", "aht_s", "workload_h", "workload_share"]]


def daily_volume(demand: pd.DataFrame) -> pd.DataFrame:
    """Contacts per day (rows: dates) and channel (columns), plus 'total'."""
    return _volume_by(demand, demand["interval_start"].dt.normalize().rename("date"))


def find_peaks(daily: pd.Series, *, threshold: float = 1.4, weeks: int = 4) -> pd.DataFrame:
    """Runs of days whose volume is far from the usual for that weekday.

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


def peak_slot(heat: pd.DataFrame) -> tuple[str, str, float]:
    """(weekday, slot, value) of the busiest cell of a :func:`heatmap`.

    >>> peak_slot(pd.DataFrame([[1.0, 5.0], [2.0, 3.0]], index=["Mon", "Tue"],
    ...                        columns=["08:00", "08:30"]))
    ('Mon', '08:30', 5.0)
    """
    day, slot = heat.stack().idxmax()
    return str(day), str(slot), float(heat.loc[day, slot])
