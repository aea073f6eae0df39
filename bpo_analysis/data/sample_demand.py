"""A bundled client's demand year, drawn from its profile (seeded, byte for byte).

:func:`demand_intervals` generates a client folder's ``demand_intervals.csv``: a year of
intervals per channel with the profile's intraday shape per channel, weekday pattern,
monthly seasonality and episodes (holiday lulls, sales peaks, a recall week, a typhoon, a
flu season; :class:`~bpo_analysis.data.sample_profile.ClientProfile`). Calls and chats
arrive only inside their channel's opening hours (``scenario.yaml``); email at any hour.
The rest of the generated data (the incumbent's records and reports, raw records at
scale, writing the files) is in :mod:`bpo_analysis.data.sample`, which also exports the
names here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.data.models import Scenario
from bpo_analysis.data.quality import open_mask
from bpo_analysis.data.sample_clients import FORMOSA_CLICK
from bpo_analysis.data.sample_profile import ClientProfile, Episode

__all__ = ["RECALL_DAYS", "RECALL_START", "SAMPLE_SEED", "YEAR", "demand_intervals"]

SAMPLE_SEED = FORMOSA_CLICK.seed
YEAR = FORMOSA_CLICK.year
RECALL_START = pd.Timestamp(FORMOSA_CLICK.episode("recall").start)
RECALL_DAYS = FORMOSA_CLICK.episode("recall").days


def _intraday(minute_mid: np.ndarray, profile: ClientProfile, channel: str) -> np.ndarray:
    """Relative arrival intensity by time of day (interval midpoints, minutes)."""
    h = minute_mid / 60.0
    humps, floor = profile.intraday[channel]
    shape = np.zeros(len(h))
    for k in humps:
        shape = shape + k.weight * np.exp(-0.5 * ((h - k.hour) / k.width) ** 2)
    return shape + floor


def _within(days: pd.DatetimeIndex, e: Episode) -> tuple[np.ndarray, np.ndarray]:
    """Each day's number in the episode (0 on its first) and whether it lies inside."""
    d = (days - pd.Timestamp(e.start)).days.to_numpy()
    return d, (d >= 0) & (d < e.days)


def _day_factor(days: pd.DatetimeIndex, profile: ClientProfile, channel: str) -> np.ndarray:
    """Weekday x month x each episode's multiplier, for each day."""
    f = (np.asarray(profile.weekday_factor)[days.day_of_week]
         * np.asarray(profile.month_factor)[days.month - 1])
    for e in profile.episodes:
        d, inside = _within(days, e)
        m = e.factor * (1.0 + e.surge_of(channel) * np.exp(-np.clip(d, 0, None) / e.decay_days))
        f = f * np.where(inside, m, 1.0)
    return f


def _mean_aht(minute: np.ndarray, days: pd.DatetimeIndex, profile: ClientProfile,
              channel: str) -> np.ndarray:
    """Each interval's mean handle time: the base, the late-hours extra, the episodes'."""
    a, b = profile.aht_window
    late = (minute >= a) & (minute < b) if a < b else (minute >= a) | (minute < b)
    aht = profile.base_aht_s[channel] * (1 + profile.aht_window_extra * late)
    for e in profile.episodes:
        if channel in e.aht:
            aht = aht * np.where(_within(days, e)[1], e.aht[channel], 1.0)
    return aht


def demand_intervals(scenario: Scenario, seed: int | None = None, *,
                     profile: ClientProfile = FORMOSA_CLICK) -> pd.DataFrame:
    """Generate a bundled client's demand year: every interval, per channel.

    Voice and chat arrive only inside their channel's opening hours; email arrives
    around the clock.

    Parameters
    ----------
    scenario : Scenario
        Its opening hours (the centre's and each channel's).
    seed : int, optional
        Seed of the random draws (the same seed, the same file); default the profile's.
    profile : ClientProfile
        The client's volumes, handle times, patterns and episodes; default the sample's
        (Formosa Click).

    Returns
    -------
    DataFrame
        Columns ``interval_start`` (local time, text), ``channel``, ``contacts`` (whole
        contacts arriving) and ``aht_s`` (average handle time, seconds; empty when no
        contacts).

    Examples
    --------
    Formosa Click's 2025 in 30-minute intervals: 17,520 a channel, no call at 03:00.

    >>> from bpo_analysis.data.client import load_client
    >>> d = demand_intervals(load_client("data/sample").scenario)
    >>> len(d) // 3, int(d.loc[d["interval_start"].str.endswith("03:00")
    ...                        & (d["channel"] == "voice"), "contacts"].sum())
    (17520, 0)
    """
    rng = np.random.default_rng(profile.seed if seed is None else seed)
    y, step = profile.year, profile.interval_minutes
    starts = pd.date_range(f"{y}-01-01", f"{y + 1}-01-01", freq=f"{step}min", inclusive="left")
    days = starts.normalize()
    minute = (starts.hour * 60 + starts.minute).to_numpy()
    frames = []
    for channel in profile.base_daily:
        shape = _intraday(minute + step / 2, profile, channel)
        if channel not in profile.anytime:  # calls and chats only while the channel is open
            shape = np.where(open_mask(pd.Series(starts), scenario, channel), shape, 0.0)
        daily_sum = pd.Series(shape).groupby(days).transform("sum").to_numpy()
        day_f = pd.Series(_day_factor(pd.DatetimeIndex(days.unique()), profile, channel),
                          index=days.unique()).reindex(days).to_numpy()
        contacts = rng.poisson(profile.base_daily[channel] * day_f * shape / daily_sum)
        mean_aht = _mean_aht(minute, days, profile, channel)
        noise = rng.standard_normal(len(starts)) * 0.6 / np.sqrt(np.maximum(contacts, 1))
        aht = np.round(np.maximum(mean_aht * (1 + noise), 30.0), 1)
        frames.append(pd.DataFrame({
            "interval_start": starts.strftime("%Y-%m-%d %H:%M"), "channel": channel,
            "contacts": contacts, "aht_s": np.where(contacts > 0, aht, np.nan)}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["interval_start", "channel"], kind="stable", ignore_index=True)
