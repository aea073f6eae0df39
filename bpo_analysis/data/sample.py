"""The fictional sample client, regenerated deterministically (seeded).

``data/sample`` holds hand-written files (scenario, costs, vendors, quotes, criteria,
SLA, risks, maturity answers) and two generated ones, rewritten byte for byte by
:func:`write_sample`:

* ``demand_intervals.csv`` -- a year (2025) of 30-minute intervals per channel with an
  intraday double hump and evening peak, a weekday pattern, monthly seasonality, Lunar
  New Year lull, the Double-11 (11 November) sales peak and a product-recall spike week
  (18-24 August) that multiplies voice volume and lengthens calls
  (:mod:`bpo_analysis.data.sample_demand`, exported here too);
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

from bpo_analysis.data import kpis
from bpo_analysis.data.io import read_document
from bpo_analysis.data.models import Scenario
from bpo_analysis.data.records import aggregates
from bpo_analysis.data.sample_demand import (
    RECALL_DAYS,
    RECALL_START,
    SAMPLE_SEED,
    demand_intervals,
)
from bpo_analysis.errors import InputError

__all__ = ["SAMPLE_SEED", "demand_intervals", "interaction_records", "vendor_monthly_reports",
           "vendor_records", "write_records", "write_sample"]

#: Vendor V02's trial contract: its share of the client's voice and chat, and its prices.
V02_SHARE = {"voice": 0.12, "chat": 0.18}
V02_PRICE = {"voice": 58.0, "chat": 46.0}
V02_MONTHLY_FEE = 60000.0  # management fee, invoiced half on each channel's row
#: Mean queue wait (s) at typical load and mean patience (s), per channel.
V02_WAIT_S = {"voice": 12.0, "chat": 27.0}
V02_PATIENCE_S = {"voice": 230.0, "chat": 380.0}
#: From November 2025 V02 ramps up for the peak with new hires: handle times, repeat
#: contacts, survey answers and QA scores all worsen -- the drift the review must find.
RAMP_START = pd.Timestamp("2025-11-01")


def _two_years(demand: pd.DataFrame, growth: float) -> pd.DataFrame:
    """Return 2024 and 2025 interval demand, 2024 being 2025 scaled back by ``growth``.

    2024 is 2025 on the same calendar days (29 February 2024 repeats 28 February 2025).
    """
    d25 = demand.assign(interval_start=pd.to_datetime(demand["interval_start"]),
                        channel=demand["channel"].astype(str))
    d24 = d25.assign(interval_start=d25["interval_start"] - pd.DateOffset(years=1))
    leap = d25[d25["interval_start"].dt.strftime("%m-%d") == "02-28"]
    leap = leap.assign(interval_start=leap["interval_start"] - pd.Timedelta(days=365))
    d24 = pd.concat([d24, leap]).assign(contacts=lambda d: d["contacts"] / (1 + growth))
    return pd.concat([d24, d25], ignore_index=True).sort_values(
        ["interval_start", "channel"], kind="stable", ignore_index=True)


def _load_ratio(d: pd.DataFrame) -> np.ndarray:
    """Each row's day volume over its channel's median day: the queue's load."""
    day = d["interval_start"].dt.normalize()
    daily = d.groupby([day, d["channel"]])["contacts"].transform("sum")
    median = daily.groupby(d["channel"]).transform("median")
    return (daily / median).to_numpy(float)


def vendor_records(demand: pd.DataFrame, *, growth: float = 0.06, interval_minutes: int = 30,
                   seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Generate vendor V02's raw records for 2024-2025, one row per contact.

    Its share (:data:`V02_SHARE`) of every interval's voice and chat, with the columns
    :func:`interaction_records` describes.

    Queue waits lengthen with the day's load (the recall week and the peak months hurt
    the service level), the patience is long (abandonment around 4 %), about 22 % of
    handled contacts are followed by the same customer within a few days, and from
    :data:`RAMP_START` newly hired agents handle longer, repeat more, satisfy fewer
    customers and score lower in QA. 2024 is 2025 scaled back by a year's ``growth``.

    Parameters
    ----------
    demand : DataFrame
        The 2025 interval demand (:func:`demand_intervals`).
    growth : float
        Yearly volume growth, share (2024 = 2025 / (1 + growth)).
    interval_minutes : int
        Length of one demand interval, minutes.
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        The records, in arrival order, ``contact_id`` from 1.
    """
    rng = np.random.default_rng(seed + 11)
    d = _two_years(demand[demand["channel"].isin(list(V02_SHARE))], growth)
    load = _load_ratio(d)
    lam = d["contacts"].to_numpy(float) * d["channel"].map(V02_SHARE).to_numpy(float)
    count = rng.poisson(lam)
    pick = np.repeat(np.arange(len(d)), count)
    n = len(pick)
    step = interval_minutes * 60e9  # ns
    arrival = (d["interval_start"].to_numpy()[pick]
               + (rng.random(n) * step).astype("timedelta64[ns]"))
    channel = d["channel"].to_numpy()[pick].astype(str)
    ramp = arrival >= RAMP_START.to_datetime64()
    wait = rng.exponential(pd.Series(channel).map(V02_WAIT_S).to_numpy()
                           * np.clip(load[pick], 0.5, 3.0) ** 2)
    patience = rng.exponential(pd.Series(channel).map(V02_PATIENCE_S).to_numpy())
    abandoned = wait > patience
    aht = d["aht_s"].to_numpy(float)[pick] * np.where(ramp, 1.08, 1.0)
    handle = aht * rng.lognormal(-0.18, 0.6, n)
    hold = np.where(channel == "voice", handle * rng.uniform(0, 0.15, n), 0.0)
    acw = handle * rng.uniform(0.10, 0.25, n)
    end = arrival + (np.where(abandoned, patience, wait) * 1e9).astype("timedelta64[ns]")
    order = np.argsort(arrival, kind="stable")
    # repeat contacts: a handled contact's customer comes back within days
    customer = rng.integers(1, 2**40, n)[order]
    repeat = rng.random(n) < np.where(ramp[order], 0.29, 0.22)
    src = np.arange(n) - rng.integers(1, 2000, n)
    repeat &= src >= 0
    for _ in range(6):  # follow chains of repeats back to the first contact
        customer[repeat] = customer[src[repeat]]
    surveyed = ~abandoned & (rng.random(n) < 0.12)
    csat = np.where(ramp, rng.choice(5, n, p=[.05, .06, .10, .36, .43]),
                    rng.choice(5, n, p=[.03, .04, .07, .34, .52])) + 1
    nps = np.clip(np.round(2 * csat - 0.5 + rng.normal(0, 1.2, n)), 0, 10)
    qa = np.round(np.clip(rng.normal(np.where(ramp, 86.0, 88.6), 6, n), 40, 100), 1)
    recall = (arrival >= RECALL_START.to_datetime64()) & (
        arrival < (RECALL_START + pd.Timedelta(days=RECALL_DAYS)).to_datetime64())
    out = pd.DataFrame({
        "contact_id": np.zeros(n, np.int64), "channel": channel, "vendor_id": "V02",
        "queue": np.where(rng.random(n) < 0.7, "orders", "returns"),
        "arrival_time": arrival,
        "answer_time": pd.Series(end).where(~abandoned),
        "abandon_time": pd.Series(end).where(abandoned),
        "talk_s": np.where(abandoned, 0.0, np.round(handle - hold - acw, 1)),
        "hold_s": np.where(abandoned, 0.0, np.round(hold, 1)),
        "acw_s": np.where(abandoned, 0.0, np.round(acw, 1)),
        "disposition": np.where(abandoned, "abandoned", rng.choice(
            ["resolved", "resolved", "resolved", "follow_up", "transferred"], n)),
        "csat": pd.Series(csat, dtype="Int8").where(surveyed),
        "nps": pd.Series(nps.astype(int), dtype="Int8").where(surveyed),
        "complaint": rng.random(n) < np.where(recall, 0.006, 0.0012),
        "qa_score": np.where(~abandoned & (rng.random(n) < 0.02), qa, np.nan),
        "agent_id": pd.Series(np.char.add("B", rng.integers(200, 290, n).astype(str)),
                              dtype=object).where(~abandoned, None)})
    out = out.iloc[order].reset_index(drop=True)
    out["customer_id"] = customer
    out["contact_id"] = np.arange(1, n + 1, dtype=np.int64)
    return out


def vendor_monthly_reports(records: pd.DataFrame, targets: dict[str, float],
                           seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Compute V02's monthly reports from its own records, as it reports them.

    Every KPI follows the KPI dictionary's canonical definition except the service
    level, which leaves abandoned contacts out of the denominator (answered within T /
    answered) -- a flattering variant the monthly reconciliation must find. Occupancy and
    agent attrition (not in the records) are drawn; the invoice is the handled contacts
    at the channel's price plus the monthly management fee (half on each channel's row).

    Parameters
    ----------
    records : DataFrame
        V02's records (:func:`vendor_records`).
    targets : dict
        Service-level threshold per channel, seconds.
    seed : int
        Seed of the drawn occupancy and attrition.

    Returns
    -------
    DataFrame
        One row per month and channel, the columns of ``vendor_monthly_reports.csv``.
    """
    rng = np.random.default_rng(seed + 2)
    a = aggregates(records, answer_within_s=targets)

    def k(kpi_id: str, variant: str | None = None) -> np.ndarray:
        return kpis.compute(a, kpi_id, variant).to_numpy(float)

    n = len(a)
    return pd.DataFrame({
        "month": pd.PeriodIndex(a["period"], freq="M").astype(str),
        "vendor_id": a["vendor_id"], "channel": a["channel"],
        "contacts_offered": a["offered"], "contacts_handled": a["handled"],
        "service_level": np.round(k("service_level", "answered"), 4),
        "asa_s": np.round(k("asa"), 1), "aht_s": np.round(k("aht"), 1),
        "abandon_rate": np.round(k("abandon_rate"), 4), "fcr": np.round(k("fcr"), 4),
        "csat": np.round(k("csat"), 4), "nps": np.round(k("nps"), 1),
        "complaints": a["complaints"], "qa_score": np.round(k("qa_score"), 1),
        "occupancy": np.round(np.clip(rng.normal(0.80, 0.02, n), 0, 1), 4),
        "agent_attrition_monthly": np.round(np.clip(rng.normal(0.032, 0.008, n), 0, 1), 4),
        "invoice_amount": np.round(a["handled"] * a["channel"].map(V02_PRICE)
                                   + V02_MONTHLY_FEE / len(V02_SHARE), 0),
    }).sort_values(["month", "channel"], ascending=[True, False], ignore_index=True)


def write_sample(folder: str | Path, seed: int = SAMPLE_SEED) -> list[Path]:
    """(Re)write the generated sample files into ``folder``, byte for byte.

    Parameters
    ----------
    folder : str or Path
        A client folder; its ``scenario.yaml`` gives the opening hours and growth.
    seed : int
        Seed of the random draws.

    Returns
    -------
    list of Path
        ``demand_intervals.csv`` and ``vendor_monthly_reports.csv``.
    """
    folder = Path(folder)
    scenario, _ = read_document(folder / "scenario.yaml", Scenario)
    demand = demand_intervals(scenario, seed)
    paths = [folder / "demand_intervals.csv", folder / "vendor_monthly_reports.csv"]
    demand.to_csv(paths[0], index=False, lineterminator="\n", float_format="%.1f")
    records = vendor_records(demand, growth=scenario.volume_growth_annual,
                             interval_minutes=scenario.interval_minutes, seed=seed)
    targets = {ch: t.answer_within_s for ch, t in scenario.service_targets.items()}
    vendor_monthly_reports(records, targets, seed).to_csv(paths[1], index=False,
                                                          lineterminator="\n")
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
    """Draw customer key, disposition, surveys (about 12 %), QA (2 %), complaints, agent."""
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
    """Generate raw records, one row per contact, from the first ``months`` of ``demand``.

    Arrivals follow the interval demand (scaled to ``rows`` contacts) and fall uniformly
    inside their ``interval_minutes`` interval; each contact is answered or abandoned
    (patience ~ exponential, mean 90 s), has talk / hold / after-call work segments
    around the interval's AHT, a customer key (repeats make FCR measurable), a CSAT
    (1-5) and NPS (0-10) answer for about 12 %, a QA score for about 2 % and a
    complaint flag for about 0.5 %.

    Parameters
    ----------
    demand : DataFrame
        Interval demand (``interval_start``, ``channel``, ``contacts``, ``aht_s``).
    rows : int
        Contacts to generate, >= 1.
    interval_minutes : int
        Length of one demand interval, minutes.
    months : int
        Months from the demand's first, 1 to 120.
    vendor_id : str
        The vendor named on every record.
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        The records (the columns of :mod:`bpo_analysis.data.records`), by arrival.

    Raises
    ------
    InputError
        ``rows`` < 1, ``months`` outside 1-120, or no contacts in those months.
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
    """Write records as Parquet (``.parquet``) or CSV (``.csv``) through DuckDB.

    Parameters
    ----------
    records : DataFrame
        Raw records (:func:`interaction_records`, :func:`vendor_records`).
    path : str or Path
        The file to write; its suffix decides the format.

    Returns
    -------
    Path
        ``path`` (its folder created when missing).

    Raises
    ------
    InputError
        A file name ending in neither ``.parquet`` nor ``.csv``.
    """
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
