"""The sample generator: deterministic, equal to the committed files, and with the
patterns the sample promises (opening hours, weekday rhythm, Double 11, recall week)."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis import sample
from bpo_analysis.errors import InputError
from tests.conftest import SAMPLE


def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path):
    shutil.copy(SAMPLE / "scenario.yaml", tmp_path)
    for path in sample.write_sample(tmp_path):
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name


def test_another_seed_gives_other_data(sample_client):
    a = sample.demand_intervals(sample_client.scenario, 1)
    b = sample.demand_intervals(sample_client.scenario, 2)
    assert not a["contacts"].equals(b["contacts"])
    assert a["contacts"].sum() == pytest.approx(b["contacts"].sum(), rel=0.01)


def test_voice_and_chat_only_while_open(sample_client):
    from bpo_analysis.quality import open_mask

    d = sample_client.demand
    closed = ~open_mask(d["interval_start"], sample_client.scenario)
    assert d.loc[closed & d["channel"].isin(["voice", "chat"]), "contacts"].sum() == 0
    assert d.loc[closed & (d["channel"] == "email"), "contacts"].sum() > 0


def test_every_interval_of_the_year_once_per_channel(sample_client):
    d = sample_client.demand
    assert len(d) == 365 * 48 * 3
    assert d.groupby("channel", observed=True).size().tolist() == [365 * 48] * 3
    assert d["aht_s"].isna().eq(d["contacts"] == 0).all()


def test_recall_week_multiplies_voice_and_lengthens_calls(sample_client):
    d = sample_client.demand[sample_client.demand["channel"] == "voice"]
    day = d.groupby(d["interval_start"].dt.normalize())["contacts"].sum()
    recall, before = day["2025-08-18"], day["2025-08-11"]  # both Mondays
    assert recall / before > 2.2
    week = d[d["interval_start"].between("2025-08-18", "2025-08-24 23:59")]
    other = d[d["interval_start"].between("2025-08-04", "2025-08-10 23:59")]
    aht = [np.average(x["aht_s"].dropna(), weights=x.loc[x["contacts"] > 0, "contacts"])
           for x in (week, other)]
    assert aht[0] / aht[1] == pytest.approx(1.2, abs=0.03)


def test_vendor_reports_flatter_their_service_level(sample_client):
    r = sample_client.vendor_reports
    assert len(r) == 48 and set(r["month"].str[:4]) == {"2024", "2025"}
    # reported SL leaves abandons out; over all offered contacts it is SL x (1 - abandon):
    # a gap of 3-7 points that the monthly reconciliation must find
    canonical = r["service_level"] * (1 - r["abandon_rate"])
    gap = r["service_level"] - canonical
    assert 0.03 < gap.mean() < 0.07 and canonical.between(0.6, 0.95).all()
    assert (r["contacts_handled"] <= r["contacts_offered"]).all()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_interaction_records_round_trip_through_duckdb(sample_client, tmp_path, suffix):
    recs = sample.interaction_records(sample_client.demand, rows=20_000, months=2,
                                       interval_minutes=30)
    path = sample.write_records(recs, tmp_path / f"records{suffix}")
    with duckdb.connect() as con:
        n, first, last, both = con.execute(
            f"SELECT count(*), min(arrival_time), max(arrival_time), "
            f"count(*) FILTER (WHERE answer_time IS NOT NULL AND abandon_time IS NOT NULL) "
            f"FROM '{path}'").fetchone()
    assert n == 20_000 and both == 0
    assert pd.Timestamp(first) >= pd.Timestamp("2025-01-01")
    assert pd.Timestamp(last) < pd.Timestamp("2025-03-01")


def test_interaction_records_are_plausible(sample_client):
    recs = sample.interaction_records(sample_client.demand, rows=50_000, interval_minutes=30)
    again = sample.interaction_records(sample_client.demand, rows=50_000, interval_minutes=30)
    pd.testing.assert_frame_equal(recs, again)
    abandoned = recs["abandon_time"].notna()
    assert 0.02 < abandoned[recs["channel"] != "email"].mean() < 0.30
    assert not abandoned[recs["channel"] == "email"].any()
    answered = recs[~abandoned]
    handle = answered[["talk_s", "hold_s", "acw_s"]].sum(axis=1)
    assert (answered["talk_s"] > 0).all() and handle.mean() > 60
    assert recs["csat"].dropna().between(1, 5).all() and recs["nps"].dropna().between(0, 10).all()
    assert 0.08 < recs["csat"].notna().mean() < 0.16
    share = recs["channel"].value_counts(normalize=True)
    jan = sample_client.demand[sample_client.demand["interval_start"].dt.month == 1]
    expected = jan.groupby("channel", observed=True)["contacts"].sum()
    assert share["voice"] == pytest.approx(expected["voice"] / expected.sum(), abs=0.01)


@pytest.mark.parametrize("kwargs, argument", [({"rows": 0}, "rows"),
                                              ({"rows": 10, "months": 0}, "months")])
def test_interaction_records_refuse_bad_arguments(sample_client, kwargs, argument):
    with pytest.raises(InputError) as err:
        sample.interaction_records(sample_client.demand, interval_minutes=30, **kwargs)
    assert err.value.argument == argument


def test_write_records_refuses_an_unknown_format(sample_client, tmp_path):
    recs = sample.interaction_records(sample_client.demand, rows=10, interval_minutes=30)
    with pytest.raises(InputError, match=r"\.parquet or \.csv"):
        sample.write_records(recs, tmp_path / "records.json")


def test_records_follow_a_60_minute_client_of_another_year():
    starts = pd.date_range("2031-05-01", "2031-07-01", freq="60min", inclusive="left")
    d = pd.DataFrame({"interval_start": starts, "channel": "voice",
                      "contacts": np.where(starts.hour == 10, 50, 0),
                      "aht_s": np.where(starts.hour == 10, 240.0, np.nan)})
    recs = sample.interaction_records(d, rows=5_000, months=1, interval_minutes=60)
    arrival = recs["arrival_time"]
    assert (arrival.dt.month == 5).all() and (arrival.dt.year == 2031).all()
    assert (arrival.dt.hour == 10).all()  # the whole 60-minute interval, and only it
    assert arrival.dt.minute.max() >= 55
    with pytest.raises(InputError, match="demand with contacts"):
        sample.interaction_records(d.assign(contacts=0), rows=10, interval_minutes=60)
