"""The client's demand: when contacts arrive, on which channel, and where it peaks.

Pure functions on the validated ``demand`` table of :class:`~bpo_analysis.data.client.Client`
(columns ``interval_start``, ``channel``, ``contacts``, ``aht_s``). Workload is
contacts x AHT, in hours: the agent time the demand asks for before any waiting,
concurrency or shrinkage (those belong to the staffing engine). The demand over the
calendar (days covered, daily and monthly volumes, unusual days) is in
:mod:`bpo_analysis.core.seasonality` and exported here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bpo_analysis.core.seasonality import daily_volume, find_peaks, monthly_volume, period
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

    Parameters
    ----------
    demand : DataFrame
        The client's ``demand``: ``interval_start``, ``channel``, ``contacts``
        (contacts per interval) and ``aht_s`` (seconds).
    interval_minutes : int
        The length of one row (``scenario.interval_minutes``: 15, 30 or 60); it is
        required because summing 15-minute rows into 30-minute slots would double the
        per-interval figures.

    Returns
    -------
    HeatmapCube
        Contacts and workload hours summed by channel x month x weekday x slot, and the
        number of dates of each (month, weekday).

    Raises
    ------
    InputError
        ``interval_minutes`` other than 15, 30 or 60.

    Notes
    -----
    contacts[c, m, w, s] = sum of the contacts of channel c in slot s on the dates of
    month m that fall on weekday w; workload_h the same of contacts x AHT / 3600.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (arrivals by month of the year, day of the
    week and time of day).

    Examples
    --------
    A Monday 10:00 half-hour that saw 120 and 80 calls of 5 minutes in January: 200
    calls, 16.7 hours of work, on 2 Mondays.

    >>> d = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 10:00",
    ...                   "2025-01-13 10:00"]), "channel": "voice",
    ...                   "contacts": [120, 80], "aht_s": [300.0, 300.0]})
    >>> cube = heatmap_cube(d, 30)
    >>> voice, jan, mon, ten = 0, 0, 0, 20
    >>> float(cube.contacts[voice, jan, mon, ten]), float(cube.days[jan, mon])
    (200.0, 2.0)
    >>> round(float(cube.workload_h[voice, jan, mon, ten]), 2)
    16.67
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
    """Average the demand per interval, weekday x time of day, for some channels and months.

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
        Rows Mon..Sun, columns 'HH:MM' slot starts: contacts (or workload hours) per
        interval, averaged over the dates.

    Raises
    ------
    InputError
        An unknown measure, a month range outside 1-12 or reversed, an unknown or
        empty channel selection.

    Notes
    -----
    For weekday w and slot s: the sum over the chosen channels and months of the cube's
    values, divided by the number of dates of weekday w in those months (0 where there
    is no such date).

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (arrival patterns by day of the week and time of day).

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


def channel_mix(demand: pd.DataFrame) -> pd.DataFrame:
    """Summarise each channel: contacts, their share, AHT and workload.

    Workload share differs from contact share when channels' handle times differ,
    which is what staffing and per-minute prices follow.

    Parameters
    ----------
    demand : DataFrame
        Columns ``channel``, ``contacts`` (contacts per interval) and ``aht_s``
        (seconds).

    Returns
    -------
    DataFrame
        One row per channel (voice, chat, email): ``contacts``, ``contact_share``
        (share 0-1), ``aht_s`` (contact-weighted, seconds; NaN with no contacts),
        ``workload_h`` (hours) and ``workload_share`` (share 0-1).

    Notes
    -----
    workload_h = sum of contacts x AHT / 3600; aht_s = workload_h x 3600 / contacts;
    each share is the channel's total over all channels'.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (offered load as arrivals times mean handle time).

    Examples
    --------
    250 calls of 5 minutes and 50 emails of 10 minutes: the emails are 17 % of the
    contacts but 29 % of the work.

    >>> d = pd.DataFrame({"channel": ["voice", "email"], "contacts": [250, 50],
    ...                   "aht_s": [300.0, 600.0]})
    >>> mix = channel_mix(d)
    >>> mix.loc["email", ["contact_share", "workload_share"]].round(3).tolist()
    [0.167, 0.286]
    """
    d = demand.assign(workload_h=_workload_h(demand))
    g = d.groupby("channel", observed=True)[["contacts", "workload_h"]].sum()
    g = g.reindex(list(CHANNELS), fill_value=0)
    g["contact_share"] = g["contacts"] / g["contacts"].sum()
    g["aht_s"] = np.where(g["contacts"] > 0, g["workload_h"] * 3600 / g["contacts"].clip(lower=1),
                          np.nan)
    g["workload_share"] = g["workload_h"] / g["workload_h"].sum()
    return g[["contacts", "contact_share", "aht_s", "workload_h", "workload_share"]]


def peak_slot(heat: pd.DataFrame) -> tuple[str, str, float]:
    """Return the weekday, slot and value of the busiest cell of a :func:`heatmap`.

    Parameters
    ----------
    heat : DataFrame
        A :func:`heatmap` (rows weekdays, columns slots).

    Returns
    -------
    weekday, slot : str
        Where the busiest cell is (the first one on a tie).
    value : float
        Its value, in the heatmap's unit.

    Examples
    --------
    Monday 08:30 is the busiest half-hour, at 5 contacts per interval:

    >>> peak_slot(pd.DataFrame([[1.0, 5.0], [2.0, 3.0]], index=["Mon", "Tue"],
    ...                        columns=["08:00", "08:30"]))
    ('Mon', '08:30', 5.0)
    """
    day, slot = heat.stack().idxmax()
    return str(day), str(slot), float(heat.loc[day, slot])
