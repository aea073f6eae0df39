"""The bundled example clients, regenerated deterministically (seeded).

A bundled client folder (``data/sample``, ``data/hk_health``) holds hand-written files
(scenario, costs, vendors, quotes, criteria, SLA, risks, maturity answers) and two
generated ones, rewritten byte for byte by :func:`write_sample` from the client's
profile (:mod:`bpo_analysis.data.sample_clients`, found by the scenario's company):

* ``demand_intervals.csv`` -- a year of intervals per channel with an intraday shape per
  channel, a weekday pattern, monthly seasonality and the year's episodes; calls and
  chats only while their channel is open (:mod:`bpo_analysis.data.sample_demand`);
* ``vendor_monthly_reports.csv`` -- 24 months of the monthly KPI report of the
  incumbent vendor, computed from its own raw records
  (:mod:`bpo_analysis.data.sample_incumbent`) with one flattering definition of the
  service level.

The sample (``data/sample``) is Formosa Click, a Taiwanese online retailer, whose
incumbent V02 has handled voice overflow and evening chat since January 2024; the
second client (``data/hk_health``) is Victoria Peak Health Insurance in Hong Kong, whose
incumbent H03 answers the overnight claims calls and a third of the email.
:func:`incumbent_records` writes again the incumbent's records the reports come from.
:func:`interaction_records` generates raw one-row-per-contact records for any number
of months and rows, for the monthly review at scale (not committed; write them with
:func:`write_records` or ``bpo-analysis sample --records PATH``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bpo_analysis.data.client import load_client
from bpo_analysis.data.io import read_document
from bpo_analysis.data.models import Scenario
from bpo_analysis.data.sample_clients import (
    FORMOSA_CLICK,
    PROFILES,
    VICTORIA_PEAK,
    profile_for,
)
from bpo_analysis.data.sample_demand import SAMPLE_SEED, demand_intervals
from bpo_analysis.data.sample_incumbent import vendor_monthly_reports, vendor_records
from bpo_analysis.data.sample_profile import ClientProfile
from bpo_analysis.errors import InputError

__all__ = ["FORMOSA_CLICK", "PROFILES", "SAMPLE_SEED", "VICTORIA_PEAK", "demand_intervals",
           "incumbent_records", "interaction_records", "profile_for", "vendor_monthly_reports",
           "vendor_records", "write_records", "write_sample"]


def write_sample(folder: str | Path, seed: int | None = None,
                 profile: ClientProfile | None = None) -> list[Path]:
    """(Re)write a bundled client's generated files into ``folder``, byte for byte.

    Parameters
    ----------
    folder : str or Path
        A bundled client folder; its ``scenario.yaml`` gives the opening hours, targets
        and growth, and its company the profile.
    seed : int, optional
        Seed of the random draws; default the profile's.
    profile : ClientProfile, optional
        The client's profile; default the one of the scenario's company
        (:func:`~bpo_analysis.data.sample_clients.profile_for`).

    Returns
    -------
    list of Path
        ``demand_intervals.csv`` and ``vendor_monthly_reports.csv``.

    Raises
    ------
    InputError
        A scenario of a company no bundled profile generates, or of another interval
        length than the profile's.
    """
    folder = Path(folder)
    scenario, _ = read_document(folder / "scenario.yaml", Scenario)
    profile = profile or profile_for(scenario)
    if scenario.interval_minutes != profile.interval_minutes:
        raise InputError("scenario.yaml interval_minutes", scenario.interval_minutes,
                         f"{profile.interval_minutes}, the intervals of {profile.company}")
    demand = demand_intervals(scenario, seed, profile=profile)
    paths = [folder / "demand_intervals.csv", folder / "vendor_monthly_reports.csv"]
    demand.to_csv(paths[0], index=False, lineterminator="\n", float_format="%.1f")
    records = vendor_records(demand, growth=scenario.volume_growth_annual,
                             interval_minutes=scenario.interval_minutes, seed=seed,
                             profile=profile, scenario=scenario)
    targets = {ch: t.answer_within_s for ch, t in scenario.service_targets.items()}
    vendor_monthly_reports(records, targets, seed, profile=profile).to_csv(
        paths[1], index=False, lineterminator="\n")
    return paths


def incumbent_records(folder: str | Path, seed: int | None = None) -> pd.DataFrame:
    """Generate again the raw records a bundled client's incumbent reports come from.

    Parameters
    ----------
    folder : str or Path
        A bundled client folder (its demand, scenario and company's profile).
    seed : int, optional
        Seed of the random draws; default the profile's.

    Returns
    -------
    DataFrame
        The incumbent's records for the demand year and the year before
        (:func:`~bpo_analysis.data.sample_incumbent.vendor_records`).
    """
    client = load_client(folder)
    sc = client.scenario
    return vendor_records(client.demand, growth=sc.volume_growth_annual,
                          interval_minutes=sc.interval_minutes, seed=seed,
                          profile=profile_for(sc), scenario=sc)


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
                        seed: int | None = None) -> pd.DataFrame:
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
    seed : int, optional
        Seed of the random draws; default the sample's.

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
    rng = np.random.default_rng((SAMPLE_SEED if seed is None else seed) + 7)
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
