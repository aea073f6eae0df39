"""Demand profile: the cube and its slices against a plain pandas group-by, the peaks of
the sample year, and bad arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bpo_analysis import demand
from bpo_analysis.errors import InputError


@pytest.fixture(scope="module")
def cube(sample_client):
    return demand.heatmap_cube(sample_client.demand)


@pytest.mark.parametrize("channels, months, measure", [
    (None, (1, 12), "contacts"),
    (["voice"], (11, 11), "contacts"),
    (["chat", "email"], (6, 8), "workload_h"),
])
def test_heatmap_equals_a_groupby_average(sample_client, cube, channels, months, measure):
    d = sample_client.demand
    d = d[d["interval_start"].dt.month.between(*months)]
    if channels:
        d = d[d["channel"].isin(channels)]
    value = d["contacts"] * (d["aht_s"].fillna(0) / 3600 if measure == "workload_h" else 1)
    per_date = value.groupby([d["interval_start"].dt.date, d["interval_start"].dt.day_of_week,
                              d["interval_start"].dt.strftime("%H:%M")]).sum()
    oracle = per_date.groupby(level=[1, 2]).mean().unstack()
    got = demand.heatmap(cube, channels=channels, months=months, measure=measure)
    np.testing.assert_allclose(got.to_numpy(), oracle.to_numpy())


def test_channel_mix_of_the_sample(sample_client):
    mix = demand.channel_mix(sample_client.demand)
    d = sample_client.demand
    voice = d[d["channel"] == "voice"]
    assert mix.loc["voice", "contacts"] == voice["contacts"].sum()
    aht = (voice["contacts"] * voice["aht_s"].fillna(0)).sum() / voice["contacts"].sum()
    assert mix.loc["voice", "aht_s"] == pytest.approx(aht)
    assert mix["contact_share"].sum() == pytest.approx(1.0)
    assert mix["workload_share"].sum() == pytest.approx(1.0)
    # email's longer AHT makes its share of work larger than its share of contacts
    assert mix.loc["email", "workload_share"] > mix.loc["email", "contact_share"]


def test_monthly_volume_adds_up_and_november_peaks(sample_client):
    m = demand.monthly_volume(sample_client.demand)
    assert len(m) == 12
    assert m["total"].sum() == sample_client.demand["contacts"].sum()
    assert m["seasonality_index"].mean() == pytest.approx(1.0)
    assert str(m["total"].idxmax()) == "2025-11"
    assert str(m["total"].idxmin()) == "2025-02"  # Lunar New Year


def test_the_sample_peaks_are_found(sample_client):
    daily = demand.daily_volume(sample_client.demand)
    ep = demand.find_peaks(daily["total"])
    peaks = ep[ep["kind"] == "peak"]
    assert [str(d.date()) for d in peaks["start"]] == ["2025-08-18", "2025-11-11"]
    recall = peaks.iloc[0]
    assert recall["peak_date"] == pd.Timestamp("2025-08-18") and recall["peak_ratio"] > 2
    trough = ep[ep["kind"] == "trough"].iloc[0]
    assert trough["start"] == pd.Timestamp("2025-01-28")


def test_find_peaks_on_a_known_series():
    s = pd.Series(200.0, index=pd.date_range("2025-03-03", periods=70))
    s.iloc[35:37] = [500.0, 450.0]  # two consecutive unusual days: one episode
    s.iloc[50] = 50.0
    ep = demand.find_peaks(s, threshold=1.5)
    assert ep[["kind", "days"]].to_numpy().tolist() == [["peak", 2], ["trough", 1]]
    assert ep.loc[0, "excess_contacts"] == pytest.approx(550.0)
    assert ep.loc[1, "excess_contacts"] == pytest.approx(-150.0)


def test_a_flat_series_has_no_peaks():
    s = pd.Series(100.0, index=pd.date_range("2025-01-01", periods=60))
    assert demand.find_peaks(s).empty


@pytest.mark.parametrize("kwargs, argument", [
    ({"measure": "calls"}, "measure"),
    ({"months": (0, 3)}, "months"),
    ({"months": (5, 2)}, "months"),
    ({"channels": ["fax"]}, "channels"),
    ({"channels": []}, "channels"),
])
def test_heatmap_refuses_bad_arguments(cube, kwargs, argument):
    with pytest.raises(InputError) as err:
        demand.heatmap(cube, **kwargs)
    assert err.value.argument == argument


@pytest.mark.parametrize("kwargs, argument", [({"threshold": 1.0}, "threshold"),
                                              ({"weeks": 0}, "weeks")])
def test_find_peaks_refuses_bad_arguments(kwargs, argument):
    s = pd.Series(1.0, index=pd.date_range("2025-01-01", periods=30))
    with pytest.raises(InputError) as err:
        demand.find_peaks(s, **kwargs)
    assert err.value.argument == argument
