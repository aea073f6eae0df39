"""The surge (bpo_analysis.steps.risk.surge, .queues, .surge_costs): the ramp, Erlang A with
redials, the email backlog and the costs by pricing model, checked against independent
arithmetic and the package's public Erlang A; every bad input refused by name."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bpo_analysis.core import staffing
from bpo_analysis.core.workforce import staffing_plan
from bpo_analysis.errors import InputError
from bpo_analysis.steps.risk import calc as risk
from bpo_analysis.steps.risk import surge as surge_model
from bpo_analysis.steps.risk.queues import email_queue, lindley
from bpo_analysis.steps.risk.surge import SurgeInputs, _ramp, surge_scenario
from bpo_analysis.steps.risk.surge_costs import surge_costs


@pytest.fixture(scope="module")
def plan(sample_client):
    return staffing_plan(sample_client)


@pytest.fixture(scope="module")
def surge(sample_client, plan):
    return surge_scenario(sample_client, SurgeInputs("2025-10-06", channels=("voice", "email")),
                          plan=plan)


def test_seats_follow_the_ramp_up_to_what_the_surge_needs(surge):
    s = surge.seats.set_index("day")
    # 5 seats a day from the second day (lead 1), never more than the day needs
    ramp = _ramp(s.index.to_numpy(), 7, 5.0, 1, 40)
    assert ramp.tolist() == [0, 5, 10, 15, 20, 25, 30, 0]
    np.testing.assert_array_equal(s["seats_added"], np.minimum(ramp, s["seats_needed"]))
    assert _ramp(np.arange(12), 12, 5.0, 1, 40).tolist() == [
        0, 5, 10, 15, 20, 25, 30, 35, 40, 40, 40, 40]
    assert (surge.seats_per_day, surge.lead_days, surge.redial_share) == (5.0, 1, 0.4)
    # seats_needed: the most extra agents at once over the channels / (1 - shrinkage)
    iv = surge.intervals
    most = iv.groupby(["day", "interval_start"])["extra_needed"].sum().groupby("day").max()
    np.testing.assert_array_equal(s.loc[s["in_surge"], "seats_needed"],
                                  np.ceil(most[s["in_surge"]] / 0.7 - 1e-9))


def test_no_surge_adds_no_seat_and_costs_nothing(sample_client, plan):
    for k in (1.0, 0.5):
        s = surge_scenario(sample_client, SurgeInputs("2025-10-06", multiplier=k), plan=plan)
        assert (s.seats["seats_added"] == 0).all() and (s.intervals["agents_added"] == 0).all()
        c = surge_costs(sample_client, s, plan=plan).set_index("quote_id")
        if k == 1.0:  # the same volume on the same agents: nothing changes on any bill
            np.testing.assert_allclose(c[["as_run", "hold_sla"]], 0.0, atol=1e-6)
        else:  # half the volume: volume-billed quotes bill less, seats bill the same
            assert (c["as_run"] <= 1e-6).all() and (c.loc["Q02", "as_run"] < 0)
            assert c.loc["Q07", "as_run"] == 0


def test_intervals_match_the_public_erlang_a(surge):
    v = surge.intervals[surge.intervals["channel"] == "voice"]
    busy = v[v["offered"] > 1e-9]
    load = busy["offered"] * busy["aht_used"] / 1800
    sl = staffing.service_level(load.to_numpy(), busy["agents"].to_numpy(),
                                busy["aht_used"].to_numpy(), 20, patience_s=230)
    ab = staffing.abandonment_rate(load.to_numpy(), busy["agents"].to_numpy(),
                                   busy["aht_used"].to_numpy(), 230)
    np.testing.assert_allclose(busy["service_level"], sl, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(busy["abandon_rate"], ab, rtol=1e-9, atol=1e-12)
    # Little's law for abandonment: mean queue = arrival rate x P(abandon) x patience
    np.testing.assert_allclose(busy["waiting"], busy["offered"] / 1800 * ab * 230)
    np.testing.assert_allclose(v["agents"], v["agents_base"] + v["agents_added"])
    np.testing.assert_allclose(v["lost"], 0.6 * v["abandoned"])


def test_redials_reach_the_next_open_interval(surge):
    v = surge.intervals[surge.intervals["channel"] == "voice"].reset_index(drop=True)
    is_open = (v["agents_base"] > 0).to_numpy()  # the plan staffs every open interval
    expected = np.zeros(len(v))
    for i in range(len(v)):
        later = np.flatnonzero(is_open[i + 1:])
        if later.size:
            expected[i + 1 + later[0]] += 0.4 * v["abandoned"][i]
    np.testing.assert_allclose(v["redials"], expected, rtol=1e-8, atol=1e-7)
    assert (v.loc[~is_open, "redials"] == 0).all()  # nobody calls a closed centre again
    np.testing.assert_allclose(v["offered"], v["arrivals"] + v["redials"])
    pending = np.cumsum(0.4 * v["abandoned"]) - np.cumsum(v["redials"])
    np.testing.assert_allclose(v["backlog"], v["waiting"] + np.maximum(pending, 0), atol=1e-7)


def test_surge_arrivals_and_the_split_of_seats(surge, plan):
    iv = surge.intervals
    base = plan.set_index(["interval_start", "channel"])
    for c in ("voice", "email"):
        part = iv[iv["channel"] == c]
        fc = base.loc[list(zip(part["interval_start"], [c] * len(part), strict=True)),
                      "contacts"].to_numpy()
        np.testing.assert_allclose(part["arrivals"], np.where(part["in_surge"], 2, 1) * fc)
    # surge agents: seats x (1 - shrinkage) while open, shared by agent load (Erlangs)
    on = iv[iv["agents_added"] > 0]
    total = on.groupby("interval_start")["agents_added"].sum()
    np.testing.assert_allclose(total, on.groupby("interval_start")["seats_added"].first() * 0.7)
    window = base.loc[list(zip(iv["interval_start"], iv["channel"], strict=True))]
    load = window["load_erlangs"].to_numpy()[iv["in_surge"].to_numpy()]
    voice_share = load[(iv.loc[iv["in_surge"], "channel"] == "voice").to_numpy()].sum()
    one = on.iloc[np.flatnonzero((on["channel"] == "voice").to_numpy())[0]]
    assert one["agents_added"] == pytest.approx(one["seats_added"] * 0.7 * voice_share
                                                / load.sum())


def test_email_backlog_is_fifo_lindley():
    rng = np.random.default_rng(3)
    a, c = rng.uniform(0, 10, 200), rng.uniform(0, 10, 200)
    backlog, handled = lindley(a, c)
    b, expect_b, expect_h = 0.0, [], []
    for ai, ci in zip(a, c, strict=True):
        h = min(b + ai, ci)
        b = b + ai - h
        expect_b.append(b)
        expect_h.append(h)
    np.testing.assert_allclose(backlog, expect_b, atol=1e-9)
    np.testing.assert_allclose(handled, expect_h, atol=1e-9)


def test_email_service_level_counts_answers_within_the_deadline(surge):
    e = surge.intervals[surge.intervals["channel"] == "email"].reset_index(drop=True)
    cum_a, cum_h = e["offered"].cumsum(), e["answered"].cumsum()
    m = 48  # 24 h of half hours
    i = int(np.flatnonzero((e["offered"] > 0).to_numpy())[10])
    share = np.clip((cum_h[i + m - 1] - (cum_a[i] - e["offered"][i])) / e["offered"][i], 0, 1)
    assert e["service_level"][i] == pytest.approx(share)
    assert e["service_level"].iloc[-m + 1:].isna().all()  # deadline beyond the window


def test_email_needs_seats_only_on_days_its_capacity_misses_the_target(sample_client, plan):
    s = surge_scenario(sample_client, SurgeInputs("2025-10-06", multiplier=1.3,
                                                  channels=("email",)), plan=plan)
    e = s.intervals
    at_plan = e.assign(agents=e["agents_base"])
    run = email_queue(e["arrivals"].to_numpy(), e["aht_used"].to_numpy(),
                      e["agents_base"].to_numpy(), 1800.0, 86400, 1.0)
    sl = at_plan.assign(sl=run["service_level"]).groupby("day").apply(
        lambda d: np.nansum(d["sl"] * d["arrivals"]) / d.loc[d["sl"].notna(), "arrivals"].sum()
        if d["sl"].notna().any() else 1.0)
    short = sl < 0.9
    need = e.groupby("day")["extra_needed"].max()
    assert (need[~short] == 0).all()
    assert (need[short] >= 0).all() and short.any() == (need > 0).any()


def test_capacity_to_hold_the_sla_meets_the_target(surge):
    v = surge.intervals[(surge.intervals["channel"] == "voice")
                        & (surge.intervals["arrivals"] > 0)]
    load = v["arrivals"] * v["aht_used"] / 1800
    sl = staffing.service_level(load.to_numpy(), v["required"].to_numpy(),
                                v["aht_used"].to_numpy(), 20, patience_s=230)
    assert (sl >= 0.8 - 1e-9).all()
    fewer = staffing.service_level(load.to_numpy(), v["required"].to_numpy() - 1,
                                   v["aht_used"].to_numpy(), 20, patience_s=230)
    occ = load / (v["required"] - 1)
    assert ((fewer < 0.8) | (occ > 0.85)).all()  # one agent fewer misses a target


def test_surge_costs_by_pricing_model(surge, sample_client, plan):
    c = surge_costs(sample_client, surge, plan=plan).set_index("quote_id")
    iv = surge.intervals
    voice = iv[iv["channel"] == "voice"]
    forecast = voice["arrivals"] / np.where(voice["in_surge"], 2, 1)
    # Q05: 58 per voice call, no band, minimum not binding; like for like (answered)
    assert c.loc["Q05", "as_run"] == pytest.approx(
        58 * (voice["answered"].sum() - voice["answered_base"].sum()), rel=1e-9)
    assert c.loc["Q05", "hold_sla"] == pytest.approx(
        58 * (voice["arrivals"].sum() - forecast.sum()), rel=1e-9)
    # Q07, the contracted per-seat quote: surge seat-days at 58,000 x 12/365 x 1.25
    seat_days = surge.seats.loc[surge.seats["in_surge"], "seats_added"].sum()
    assert seat_days == 105
    assert c.loc["Q07", "as_run"] == pytest.approx(105 * 58000 * 12 / 365 * 1.25)
    need_days = surge.seats.loc[surge.seats["in_surge"], "seats_needed"].sum()
    assert c.loc["Q07", "hold_sla"] == pytest.approx(need_days * 58000 * 12 / 365 * 1.25)
    assert bool(c.loc["Q07", "contracted"]) and c["contracted"].sum() == 1
    # Q08: 255 per productive hour on the extra agent-half-hours, no minimum
    extra_h = (iv["agents"] - iv["agents_base"]).sum() * 0.5
    assert c.loc["Q08", "as_run"] == pytest.approx(255 * extra_h, rel=1e-9)
    assert (c["hold_sla"] >= c["as_run"] - 1e-6).all()
    assert set(c["currency"]) == {"TWD"}


def test_the_last_days_of_the_year_can_surge(sample_client, plan):
    s = surge_scenario(sample_client, SurgeInputs("2025-12-24"), plan=plan)  # ends 01-01 00:00
    assert s.intervals["interval_start"].max().strftime("%Y-%m-%d %H:%M") == "2025-12-31 23:30"
    with pytest.raises(InputError, match=r"'start'.*2025-12-25.*ending by 2026-01-01 00:00"):
        surge_scenario(sample_client, SurgeInputs("2025-12-25"), plan=plan)
    with pytest.raises(InputError, match=r"'channels'.*sms.*\['chat', 'email', 'voice'\]"):
        surge_scenario(sample_client, SurgeInputs("2025-10-06", channels=("sms",)), plan=plan)


def test_a_chat_surge_uses_the_chat_concurrency(sample_client, plan):
    s = surge_scenario(sample_client, SurgeInputs("2025-10-06", channels=("chat",)), plan=plan)
    c = s.intervals
    busy = c[c["arrivals"] > 0]
    rows = plan.set_index(["interval_start", "channel"]).loc[
        list(zip(busy["interval_start"], ["chat"] * len(busy), strict=True))]
    np.testing.assert_allclose(busy["aht_used"], rows["aht_s"].to_numpy() / 2)
    assert s.totals("chat")["service_level"] < 0.8


@pytest.mark.parametrize("kwargs, arg, phrase", [
    ({"multiplier": 0}, "multiplier", "> 0"),
    ({"multiplier": -1.5}, "multiplier", "> 0"),
    ({"multiplier": float("nan")}, "multiplier", "> 0"),
    ({"multiplier": "2"}, "multiplier", "> 0"),
    ({"days": 0}, "days", "whole days from 1 to 60"),
    ({"days": 2.5}, "days", "whole days"),
    ({"seats_per_day": -1.0}, "seats_per_day", ">= 0"),
    ({"seats_per_day": "5"}, "seats_per_day", ">= 0"),
    ({"lead_days": -2}, "lead_days", "0 to 30"),
    ({"redial_share": 1.0}, "redial_share", "[0, 1)"),
    ({"channels": "voice"}, "channels", "tuple"),
    ({"start": "someday"}, "start", "YYYY-MM-DD"),
    ({"start": ""}, "start", "YYYY-MM-DD"),
    ({"start": None}, "start", "YYYY-MM-DD"),
])
def test_bad_surge_inputs_are_refused_by_name(kwargs, arg, phrase):
    with pytest.raises(InputError) as err:
        SurgeInputs(**{"start": "2025-10-06", **kwargs})
    assert err.value.argument == arg and phrase in str(err.value)


def test_from_parameters_maps_minus_one_to_the_data():
    s = SurgeInputs.from_parameters(start="2025-10-06", multiplier=3.0, days=5,
                                    channels="voice, email", seats_per_day=-1, lead_days=0)
    assert (s.channels, s.seats_per_day, s.lead_days, s.redial_share) == (
        ("voice", "email"), None, 0, None)
    o = risk.OutageInputs.from_parameters(hours=4.0)
    assert (o.hours, o.site_share, o.backup_share) == (4.0, None, None)
    assert dataclasses.replace(s, days=9).days == 9


def test_the_surge_module_still_gives_its_costs():
    """The dashboard and the benchmarks price a surge through ``surge.surge_costs``."""
    assert surge_model.surge_costs is surge_costs
    assert "surge_costs" in surge_model.__all__
