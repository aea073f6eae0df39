"""The sample generator: deterministic, equal to the committed files, and with the
patterns the sample promises (opening hours, weekday rhythm, Double 11, recall week)."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis.data import records, sample
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
    from bpo_analysis.data.quality import open_mask

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


@pytest.fixture(scope="module")
def v02(v02_records):
    return v02_records


def test_vendor_reports_come_from_its_records_with_a_flattering_service_level(
        sample_client, v02):
    from bpo_analysis.data import kpis

    r = sample_client.vendor_reports
    assert len(r) == 48 and set(r["month"].str[:4]) == {"2024", "2025"}
    t = {ch: x.answer_within_s for ch, x in sample_client.scenario.service_targets.items()}
    a = records.aggregates(v02, answer_within_s=t)
    a = a.set_index([a["period"].dt.strftime("%Y-%m"), "channel"])
    assert sorted(a.index) == sorted(zip(r["month"], r["channel"], strict=True))
    r = r.set_index(["month", "channel"]).loc[a.index]
    assert (r["contacts_offered"] == a["offered"]).all()
    for col, kid in (("asa_s", "asa"), ("aht_s", "aht"), ("fcr", "fcr"), ("csat", "csat"),
                     ("abandon_rate", "abandon_rate"), ("qa_score", "qa_score")):
        np.testing.assert_allclose(r[col], kpis.compute(a, kid), atol=0.051, err_msg=col)
    # the service level leaves abandons out: 2-12 points above the canonical figure
    np.testing.assert_allclose(r["service_level"], kpis.compute(a, "service_level",
                                                                "answered"), atol=5e-5)
    gap = r["service_level"] - kpis.compute(a, "service_level")
    assert gap.between(0.01, 0.12).all() and 0.03 < gap.mean() < 0.07
    assert (r["contacts_handled"] <= r["contacts_offered"]).all()


def test_vendor_records_show_the_recall_and_the_ramp_up(sample_client, v02):

    t = {ch: x.answer_within_s for ch, x in sample_client.scenario.service_targets.items()}
    k = records.kpi_table(records.aggregates(v02, answer_within_s=t, by=("vendor_id",)))
    k = k.set_index(k["period"].dt.strftime("%Y-%m"))
    before = k.loc["2025-01":"2025-10"]
    assert k.loc["2025-08", "complaint_rate"] > 2 * before.drop("2025-08")[
        "complaint_rate"].mean()
    assert k.loc["2025-08", "service_level"] < before["service_level"].median() - 0.08
    for kid, sign in (("csat", -1), ("fcr", -1), ("qa_score", -1), ("aht", 1)):
        moved = k.loc["2025-11":, kid].mean() - before[kid].mean()
        assert sign * moved > 3 * before[kid].std(), kid
    # 2024 is 2025 scaled back by one year's growth, 29 February included
    n = v02["arrival_time"].dt.year.value_counts()
    assert n[2025] / n[2024] == pytest.approx(1.06, abs=0.01)
    assert (v02["arrival_time"].dt.strftime("%m-%d") == "02-29").sum() > 100


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
