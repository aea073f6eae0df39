"""Demand profile: the cube and its slices against a plain pandas group-by, the peaks of
the sample year, and bad arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import demand
from bpo_analysis.errors import InputError


@pytest.fixture(scope="module")
def cube(sample_client):
    return demand.heatmap_cube(sample_client.demand, 30)


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
    assert len(m) == 12 and (m["days_covered"] == m["days_in_month"]).all()
    assert m["total"].sum() == sample_client.demand["contacts"].sum()
    # the index is per day: the day-weighted mean is 1
    assert np.average(m["seasonality_index"], weights=m["days_covered"]) == pytest.approx(1.0)
    assert str(m["total"].idxmax()) == "2025-11"
    assert str(m["total"].idxmin()) == "2025-02"  # Lunar New Year


def test_a_partial_month_is_compared_per_day(sample_client):
    d = sample_client.demand
    part = d[d["interval_start"].between("2025-03-15", "2025-06-14 23:59")]
    m = demand.monthly_volume(part)
    assert m["days_covered"].tolist() == [17, 30, 31, 14]
    assert demand.period(part)[2] == 92
    per_day = m["total"] / m["days_covered"]
    expected = per_day / (part["contacts"].sum() / 92)
    np.testing.assert_allclose(m["seasonality_index"], expected)
    # June's first half is as busy per day as the whole of June, not half as busy
    full = demand.monthly_volume(d)
    june = m.loc[m.index.astype(str) == "2025-06", "total"].iloc[0] / 14
    assert june == pytest.approx(full.loc[full.index.astype(str) == "2025-06", "total"].iloc[0]
                                 / 30, rel=0.1)


@pytest.mark.parametrize("minutes", [15, 60])
def test_heatmap_on_other_interval_lengths(minutes):
    starts = pd.date_range("2025-01-06 08:00", periods=4 * 24 * 60 // minutes,
                           freq=f"{minutes}min")
    d = pd.DataFrame({"interval_start": starts, "channel": "voice",
                      "contacts": 10, "aht_s": 300.0})
    heat = demand.heatmap(demand.heatmap_cube(d, minutes))
    assert heat.shape == (7, 24 * 60 // minutes)
    assert heat.loc["Tue", "08:00"] == 10.0  # per interval of that length, not summed
    with pytest.raises(InputError, match="15, 30 or 60"):
        demand.heatmap_cube(d, 20)


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


@pytest.mark.parametrize("days, spike", [(60, 1.0), (20, 4.0)])  # flat; too short to judge
def test_no_episodes_gives_a_typed_empty_table(days, spike):
    s = pd.Series(100.0, index=pd.date_range("2025-01-01", periods=days))
    s.iloc[-1] *= spike  # 20 days: under 5 same-weekday neighbours, no usual value
    ep = demand.find_peaks(s)
    assert ep.empty and str(ep["start"].dtype).startswith("datetime64")
    assert ep["start"].dt.date.tolist() == []  # what the report table does with it


def test_a_normally_closed_weekday_is_never_a_peak():
    s = pd.Series(100.0, index=pd.date_range("2025-03-03", periods=63))
    s[s.index.day_of_week == 6] = 0.0  # closed on Sundays ...
    s.iloc[34] = 40.0  # ... but for one (index 34 is a Sunday): no usual -> not flagged
    assert s.index[34].day_of_week == 6
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
