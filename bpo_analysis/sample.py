"""The fictional sample client, regenerated deterministically (seeded).

``data/sample`` holds hand-written files (scenario, costs, vendors, quotes, criteria,
SLA, risks, maturity answers) and two generated ones, rewritten byte for byte by
:func:`write_sample`:

* ``demand_intervals.csv`` -- a year (2025) of 30-minute intervals per channel with an
  intraday double hump and evening peak, a weekday pattern, monthly seasonality, Lunar
  New Year lull, the Double-11 (11 November) sales peak and a product-recall spike week
  (18-24 August) that multiplies voice volume and lengthens calls;
* ``vendor_monthly_reports.csv`` -- 24 months (2024-2025) of the monthly KPI report
  from vendor V02, who has handled the client's voice overflow and evening chat on a
  trial contract since January 2024. It reports service level *excluding abandoned
  contacts*, so its figure reads higher than the canonical one.

:func:`interaction_records` generates raw one-row-per-contact records for any number
of months and rows, for the monthly review at scale (not committed; write them with
:func:`write_records` or ``bpo-analysis sample --records PATH``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .models import Scenario
from .quality import open_mask

__all__ = ["SAMPLE_SEED", "demand_intervals", "interaction_records", "vendor_monthly_reports",
           "write_records", "write_sample"]

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
    """The sample client's 2025 demand: every 30-minute interval, per channel.

    Returns columns ``interval_start`` (local time), ``channel``, ``contacts`` (whole
    contacts arriving) and ``aht_s`` (average handle time, s; empty when no contacts).
    Voice and chat arrive only inside the scenario's opening hours; email arrives around
    the clock.
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


def _report_month(rng: np.random.Generator, month: str, channel: str, offered: int,
                  peak: bool, aht: float, price: float) -> dict:
    """One monthly report row; the service level it reports leaves abandons out."""
    abandon = float(np.clip(rng.normal(0.065 if peak else 0.042, 0.006), 0.01, 0.2))
    handled = round(offered * (1 - abandon))
    sl_true = float(np.clip(rng.normal(0.74 if peak else 0.81, 0.02), 0.5, 0.97))
    return {
        "month": month, "vendor_id": "V02", "channel": channel,
        "contacts_offered": offered, "contacts_handled": handled,
        "service_level": round(min(sl_true / (1 - abandon), 0.99), 4),
        "asa_s": round(float(rng.normal(26 if peak else 15, 2.5)), 1),
        "aht_s": round(float(rng.normal(aht, 8)), 1),
        "abandon_rate": round(abandon, 4),
        "fcr": round(float(np.clip(rng.normal(0.78, 0.02), 0, 1)), 4),
        "csat": round(float(np.clip(rng.normal(0.86, 0.015), 0, 1)), 4),
        "nps": round(float(rng.normal(31, 4)), 1),
        "complaints": int(rng.poisson(offered * 0.0009)),
        "qa_score": round(float(np.clip(rng.normal(88.5, 1.5), 0, 100)), 1),
        "occupancy": round(float(np.clip(rng.normal(0.80, 0.02), 0, 1)), 4),
        "agent_attrition_monthly": round(float(np.clip(rng.normal(0.032, 0.008), 0, 1)), 4),
        "invoice_amount": round(handled * price + 60000.0, 0),
    }


def vendor_monthly_reports(demand: pd.DataFrame, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """24 monthly reports of vendor V02 (voice overflow, evening chat), as it reports them.

    2024 volumes are 2025's scaled by 0.92 (the client grew 8 %). The reported service
    level leaves abandoned contacts out of the denominator, a flattering variant.
    """
    rng = np.random.default_rng(seed + 2)
    d = demand.assign(month=pd.to_datetime(demand["interval_start"]).dt.month)
    monthly = d.groupby(["month", "channel"])["contacts"].sum().unstack()
    rows = []
    for year, scale in ((2024, 0.92), (2025, 1.0)):
        for month in range(1, 13):
            peak = month in (6, 11, 12) or (year == 2025 and month == 8)
            for channel, share, aht, price in (("voice", 0.12, 300.0, 58.0),
                                               ("chat", 0.18, 430.0, 46.0)):
                offered = round(float(monthly.loc[month, channel]) * share * scale)
                rows.append(_report_month(rng, f"{year}-{month:02d}", channel, offered, peak,
                                          aht, price))
    return pd.DataFrame(rows)


def write_sample(folder: str | Path, seed: int = SAMPLE_SEED) -> list[Path]:
    """(Re)write the generated sample files into ``folder``; returns their paths.

    The opening hours come from the folder's ``scenario.yaml``.
    """
    from .io import read_document

    folder = Path(folder)
    scenario, _ = read_document(folder / "scenario.yaml", Scenario)
    demand = demand_intervals(scenario, seed)
    paths = [folder / "demand_intervals.csv", folder / "vendor_monthly_reports.csv"]
    demand.to_csv(paths[0], index=False, lineterminator="\n", float_format="%.1f")
    vendor_monthly_reports(demand, seed).to_csv(paths[1], index=False, lineterminator="\n")
    return paths


def _arrivals(demand: pd.DataFrame, rows: int, months: int, interval_minutes: int,
              rng: np.random.Generator) -> pd.DataFrame:
    """``rows`` arrivals drawn from the first ``months`` months of the interval demand."""
    start = pd.to_datetime(demand["interval_start"])
    first = start.min().to_period("M").to_timestamp()
    pool = demand[(start < first + pd.DateOffset(months=months)) & (demand["contacts"] > 0)]
    if pool.empty:
        raise InputError("demand", "no contacts", "demand with contacts in its first months")
    p = pool["contacts"].to_numpy(float)
    pick = rng.choice(len(pool), size=rows, p=p / p.sum())
    offset = rng.random(rows) * interval_minutes * 60e9  # uniform within the interval, ns
    return pd.DataFrame({
        "arrival_time": pd.to_datetime(pool["interval_start"]).to_numpy()[pick]
        + offset.astype("timedelta64[ns]"),
        "channel": pool["channel"].to_numpy()[pick].astype(str),
        "aht_s": pool["aht_s"].to_numpy(float)[pick]})


def _handling(a: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Wait, abandonment and talk / hold / after-call-work segments for each arrival."""
    n, email = len(a), (a["channel"] == "email").to_numpy()
    wait = rng.exponential(np.where(email, 6 * 3600.0, 18.0))
    patience = rng.exponential(90.0, n)
    abandoned = ~email & (wait > patience)
    handle = a["aht_s"].to_numpy() * rng.lognormal(-0.18, 0.6, n)
    hold = np.where(a["channel"] == "voice", handle * rng.uniform(0, 0.15, n), 0.0)
    acw = handle * rng.uniform(0.10, 0.25, n)
    end = a["arrival_time"] + pd.to_timedelta(np.where(abandoned, patience, wait), unit="s")
    return pd.DataFrame({
        "answer_time": end.where(~abandoned), "abandon_time": end.where(abandoned),
        "talk_s": np.where(abandoned, 0.0, np.round(handle - hold - acw, 1)),
        "hold_s": np.where(abandoned, 0.0, np.round(hold, 1)),
        "acw_s": np.where(abandoned, 0.0, np.round(acw, 1))})


def _outcomes(abandoned: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Customer key, disposition, surveys (about 12 %), QA (2 %), complaints, agent."""
    n = len(abandoned)
    surveyed = ~abandoned & (rng.random(n) < 0.12)
    csat = rng.choice([1, 2, 3, 4, 5], n, p=[.03, .04, .08, .35, .50])
    nps = np.clip(np.round(rng.normal(8.1, 1.8, n)), 0, 10)
    qa = np.round(np.clip(rng.normal(88, 6, n), 40, 100), 1)
    return pd.DataFrame({
        "customer_id": rng.integers(1, max(n // 3, 2), n),
        "disposition": np.where(abandoned, "abandoned", rng.choice(
            ["resolved", "resolved", "resolved", "follow_up", "transferred"], n)),
        "csat": pd.Series(csat, dtype="Int8").where(surveyed),
        "nps": pd.Series(nps.astype(int), dtype="Int8").where(surveyed),
        "complaint": rng.random(n) < 0.005,
        "qa_score": np.where(~abandoned & (rng.random(n) < 0.02), qa, np.nan),
        "agent_id": pd.Series(np.char.add("A", rng.integers(100, 160, n).astype(str)),
                              dtype=object).where(~abandoned, None)})


def interaction_records(demand: pd.DataFrame, *, rows: int, interval_minutes: int,
                        months: int = 1, vendor_id: str = "V02",
                        seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Raw records, one row per contact, drawn from the first ``months`` of ``demand``.

    Arrivals follow the interval demand (scaled to ``rows`` contacts) and fall uniformly
    inside their ``interval_minutes`` interval; each contact is answered or abandoned
    (patience ~ exponential, mean 90 s), has talk / hold / after-call work segments
    around the interval's AHT, a customer key (repeats make FCR measurable), a CSAT
    (1-5) and NPS (0-10) answer for about 12 %, a QA score for about 2 % and a
    complaint flag for about 0.5 %.
    """
    if rows < 1:
        raise InputError("rows", rows, "a whole number >= 1")
    if not 1 <= months <= 120:
        raise InputError("months", months, "between 1 and 120")
    rng = np.random.default_rng(seed + 7)
    a = _arrivals(demand, rows, months, interval_minutes, rng)
    h = _handling(a, rng)
    o = _outcomes(h["abandon_time"].notna().to_numpy(), rng)
    out = pd.concat([pd.DataFrame({"contact_id": np.arange(1, rows + 1, dtype=np.int64),
                                   "channel": a["channel"], "vendor_id": vendor_id,
                                   "queue": np.where(rng.random(rows) < 0.7, "orders",
                                                     "returns"),
                                   "arrival_time": a["arrival_time"]}), h, o], axis=1)
    return out.sort_values("arrival_time", ignore_index=True)


def write_records(records: pd.DataFrame, path: str | Path) -> Path:
    """Write records as Parquet (``.parquet``) or CSV (``.csv``) through DuckDB."""
    import duckdb

    path = Path(path)
    fmt = {".parquet": "PARQUET", ".csv": "CSV"}.get(path.suffix)
    if fmt is None:
        raise InputError("path", str(path), "a file name ending in .parquet or .csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.register("records", records)
        con.execute(f"COPY records TO '{path.as_posix()}' (FORMAT {fmt})")
    return path
