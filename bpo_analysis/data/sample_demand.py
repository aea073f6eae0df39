"""The sample client's demand year: seasonality, holidays, Double-11 and a recall week.

:func:`demand_intervals` generates ``data/sample/demand_intervals.csv`` (seeded, byte for
byte): a year (2025) of 30-minute intervals per channel with an intraday double hump and
evening peak, a weekday pattern, monthly seasonality, the Lunar New Year lull, the
Double-11 (11 November) sales peak and a product-recall spike week (18-24 August) that
multiplies voice volume and lengthens calls. The rest of the sample (vendor V02's
records and reports, raw records at scale, writing the files) is in
:mod:`bpo_analysis.data.sample`, which also exports the names here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.data.models import Scenario
from bpo_analysis.data.quality import open_mask

__all__ = ["RECALL_DAYS", "RECALL_START", "SAMPLE_SEED", "YEAR", "demand_intervals"]

SAMPLE_SEED = 20250101
YEAR = 2025
BASE_DAILY = {"voice": 1900.0, "chat": 1150.0, "email": 520.0}
BASE_AHT_S = {"voice": 285.0, "chat": 410.0, "email": 540.0}
WEEKDAY_FACTOR = np.array([1.18, 1.08, 1.02, 1.00, 0.98, 0.82, 0.72])
MONTH_FACTOR = np.array([1.00, 0.86, 0.95, 0.96, 1.00, 1.10, 1.00, 1.02, 0.98, 1.04, 1.18, 1.12])
RECALL_START, RECALL_DAYS = pd.Timestamp("2025-08-18"), 7
RECALL_PEAK = {"voice": 2.6, "chat": 2.0, "email": 1.8}
RECALL_AHT = {"voice": 1.20, "chat": 1.15, "email": 1.05}


def _intraday(minute_mid: np.ndarray, channel: str) -> np.ndarray:
    """Relative arrival intensity by time of day (interval midpoints, minutes)."""
    h = minute_mid / 60.0
    evening = 1.0 if channel == "chat" else 0.7
    shape = (np.exp(-0.5 * ((h - 10.5) / 1.4) ** 2) + 0.9 * np.exp(-0.5 * ((h - 14.5) / 1.6) ** 2)
             + evening * np.exp(-0.5 * ((h - 20.7) / 1.3) ** 2))
    return shape + (0.15 if channel == "email" else 0.05)


def _day_factor(days: pd.DatetimeIndex, channel: str) -> np.ndarray:
    """Weekday x month x holiday x Double-11 x recall multipliers for each day."""
    f = WEEKDAY_FACTOR[days.day_of_week] * MONTH_FACTOR[days.month - 1]
    lny = (days >= "2025-01-28") & (days <= "2025-02-02")
    f = np.where(lny, f * 0.55, f)
    d11 = (days - pd.Timestamp("2025-11-11")).days.to_numpy()
    f = f * np.where((d11 >= -3) & (d11 < 0), 1.15, 1.0)
    f = f * np.where(d11 >= 0, 1.0 + 0.9 * np.exp(-np.clip(d11, 0, None) / 3.0), 1.0)
    r = (days - RECALL_START).days.to_numpy()
    in_recall = (r >= 0) & (r < RECALL_DAYS)
    ramp = 1.0 + (RECALL_PEAK[channel] - 1.0) * np.exp(-np.clip(r, 0, None) / 4.0)
    return np.where(in_recall, f * ramp, f)


def demand_intervals(scenario: Scenario, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Generate the sample client's 2025 demand: every 30-minute interval, per channel.

    Voice and chat arrive only inside the scenario's opening hours; email arrives around
    the clock.

    Parameters
    ----------
    scenario : Scenario
        Its opening hours.
    seed : int
        Seed of the random draws (the same seed, the same file).

    Returns
    -------
    DataFrame
        Columns ``interval_start`` (local time, text), ``channel``, ``contacts`` (whole
        contacts arriving) and ``aht_s`` (average handle time, seconds; empty when no
        contacts).
    """
    rng = np.random.default_rng(seed)
    starts = pd.date_range(f"{YEAR}-01-01", f"{YEAR + 1}-01-01", freq="30min", inclusive="left")
    days = starts.normalize()
    minute = (starts.hour * 60 + starts.minute).to_numpy()
    is_open = open_mask(pd.Series(starts), scenario)
    recall_day = (days - RECALL_START).days.to_numpy()
    recall = (recall_day >= 0) & (recall_day < RECALL_DAYS)
    frames = []
    for channel in ("voice", "chat", "email"):
        shape = _intraday(minute + 15.0, channel)
        if channel != "email":
            shape = np.where(is_open, shape, 0.0)
        daily_sum = pd.Series(shape).groupby(days).transform("sum").to_numpy()
        day_f = pd.Series(_day_factor(pd.DatetimeIndex(days.unique()), channel),
                          index=days.unique()).reindex(days).to_numpy()
        contacts = rng.poisson(BASE_DAILY[channel] * day_f * shape / daily_sum)
        mean_aht = BASE_AHT_S[channel] * (1 + 0.05 * (minute >= 19 * 60)) * np.where(
            recall, RECALL_AHT[channel], 1.0)
        noise = rng.standard_normal(len(starts)) * 0.6 / np.sqrt(np.maximum(contacts, 1))
        aht = np.round(np.maximum(mean_aht * (1 + noise), 30.0), 1)
        frames.append(pd.DataFrame({
            "interval_start": starts.strftime("%Y-%m-%d %H:%M"), "channel": channel,
            "contacts": contacts, "aht_s": np.where(contacts > 0, aht, np.nan)}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["interval_start", "channel"], kind="stable", ignore_index=True)
