"""The sample generator: deterministic, equal to the committed files, and with the
patterns the bundled clients promise (opening hours, weekday rhythm, Double 11, recall
week; the Hong Kong insurer's 15-minute intervals, channel hours, flu season, typhoon and
overnight incumbent)."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis import load_client
from bpo_analysis.data import records, sample
from bpo_analysis.data.quality import open_mask
from bpo_analysis.errors import InputError
from tests.conftest import ROOT, SAMPLE

HK = ROOT / "data" / "hk_health"


@pytest.mark.parametrize("folder", [SAMPLE, HK], ids=["sample", "hk_health"])
def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path, folder):
    shutil.copy(folder / "scenario.yaml", tmp_path)
    for path in sample.write_sample(tmp_path):
        assert path.read_bytes() == (folder / path.name).read_bytes(), path.name


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


# ------------------------------------------------------------ the second client: data/hk_health
@pytest.fixture(scope="module")
def hk_client():
    return load_client(HK)


def test_each_folder_finds_its_profile_and_a_clients_own_folder_none(hk_client, sample_client):
    assert sample.profile_for(sample_client.scenario) is sample.FORMOSA_CLICK
    assert sample.profile_for(hk_client.scenario) is sample.VICTORIA_PEAK
    other = sample_client.scenario.model_copy(update={"company": "Our own company"})
    with pytest.raises(InputError, match="bundled example client"):
        sample.profile_for(other)


def test_hk_generation_is_deterministic_and_seeded(hk_client):
    a = sample.demand_intervals(hk_client.scenario, profile=sample.VICTORIA_PEAK)
    b = sample.demand_intervals(hk_client.scenario, profile=sample.VICTORIA_PEAK)
    pd.testing.assert_frame_equal(a, b)
    c = sample.demand_intervals(hk_client.scenario, 1, profile=sample.VICTORIA_PEAK)
    assert not a["contacts"].equals(c["contacts"])
    assert a["contacts"].sum() == pytest.approx(c["contacts"].sum(), rel=0.01)


def test_hk_demand_is_a_year_of_15_minute_intervals(hk_client):
    d = hk_client.demand
    assert hk_client.scenario.interval_minutes == 15
    assert d.groupby("channel", observed=True).size().tolist() == [365 * 96] * 3
    starts = d["interval_start"].drop_duplicates().sort_values()
    assert (starts.diff().dropna() == pd.Timedelta(minutes=15)).all()
    assert starts.iloc[0] == pd.Timestamp("2025-01-01") and starts.dt.minute.nunique() == 4
    assert d["aht_s"].isna().eq(d["contacts"] == 0).all()


def test_hk_demand_honours_each_channels_hours(hk_client):
    d, sc = hk_client.demand, hk_client.scenario
    channel = d["channel"].astype(str)
    assert open_mask(d["interval_start"], sc).all()  # the centre never closes
    closed = ~open_mask(d["interval_start"], sc, channel)
    by = d[closed].groupby(channel[closed])["contacts"].sum()
    assert by.get("chat", 0) == 0 and by.get("voice", 0) == 0  # calls and chats only when open
    assert by["email"] > 0.4 * d.loc[channel == "email", "contacts"].sum()  # email any time
    hour = d["interval_start"].dt.hour
    chat = d[channel == "chat"]
    assert chat.loc[chat["contacts"] > 0, "interval_start"].dt.hour.between(9, 20).all()
    assert d.loc[(channel == "voice") & (hour < 6), "contacts"].sum() > 1000  # 24/7 hotline
    weekend = d["interval_start"].dt.day_of_week >= 5
    assert d.loc[(channel == "email") & weekend, "contacts"].sum() > 0
    share = d.groupby(channel)["contacts"].sum() / d["contacts"].sum()
    assert share["email"] == pytest.approx(0.30, abs=0.02)


def test_hk_demand_has_the_flu_season_and_the_typhoon(hk_client):
    d = hk_client.demand[hk_client.demand["channel"] == "voice"]
    day = d.groupby(d["interval_start"].dt.normalize())["contacts"].sum()
    assert day["2025-01-06"] / day["2025-02-10"] > 1.5  # both Mondays: the flu season opens
    assert day["2025-09-24"] / day["2025-09-17"] < 0.7  # Signal No. 8: a Wednesday each
    assert day["2025-09-25"] / day["2025-09-18"] > 1.5  # the catch-up the day after


@pytest.fixture(scope="module")
def h03(hk_client):
    return sample.incumbent_records(HK)


def test_hk_incumbent_answers_overnight_calls_and_email_in_office_hours(hk_client, h03):
    assert set(h03["vendor_id"]) == {"H03"} and set(h03["channel"]) == {"voice", "email"}
    voice, email = h03[h03["channel"] == "voice"], h03[h03["channel"] == "email"]
    hour = voice["arrival_time"].dt.hour
    assert ((hour >= 23) | (hour < 7)).all()
    assert email["abandon_time"].isna().all() and voice["abandon_time"].notna().any()
    replied = email["answer_time"]
    open_ = open_mask(replied.dt.floor("min"), hk_client.scenario, "email")
    assert open_.mean() > 0.999  # first replies while the email channel is open
    arrival = email["arrival_time"]
    friday_night = arrival.dt.day_of_week.eq(4) & (arrival.dt.hour >= 18)
    monday_9 = arrival.dt.normalize() + pd.Timedelta(days=3, hours=9)
    assert friday_night.sum() > 1000 and (replied >= monday_9)[friday_night].all()


def test_hk_reports_come_from_the_records_with_their_own_flattering_service_level(
        hk_client, h03):
    from bpo_analysis.data import kpis

    r = hk_client.vendor_reports
    assert len(r) == 48 and set(r["channel"]) == {"voice", "email"}
    t = {ch: x.answer_within_s for ch, x in hk_client.scenario.service_targets.items()}
    a = records.aggregates(h03, answer_within_s=t)
    a = a.set_index([a["period"].dt.strftime("%Y-%m"), "channel"])
    r = r.set_index(["month", "channel"]).loc[a.index]
    assert (r["contacts_offered"] == a["offered"]).all()
    np.testing.assert_allclose(r["asa_s"], kpis.compute(a, "asa"), atol=0.051)
    voice = r.index.get_level_values("channel") == "voice"
    canonical = kpis.compute(a, "service_level").to_numpy()
    assert (r["service_level"].to_numpy()[voice] > canonical[voice]).all()
    # billed per handle minute: the invoice follows the minutes, not the contacts
    minutes = (a["talk_s"] + a["hold_s"] + a["acw_s"]) / 60
    price = a.index.get_level_values("channel").map({"voice": 3.2, "email": 3.0})
    np.testing.assert_allclose(r["invoice_amount"], np.round(minutes * price + 15000), atol=1)
