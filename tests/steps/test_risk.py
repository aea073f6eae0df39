"""Risk register, outage and surge (bpo_analysis.steps.risk: calc, register, surge, queues,
surge_costs): the ramp, Erlang A with redials, the email backlog and the costs by pricing
model; the formulas checked against independent arithmetic and the package's public
Erlang A, and every bad input refused by name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from bpo_analysis import load_client
from bpo_analysis.core import costs, staffing
from bpo_analysis.core.workforce import Workforce, staffing_plan
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.risk import calc as risk
from bpo_analysis.steps.risk import register as risk_register
from bpo_analysis.steps.risk import surge as surge_model
from bpo_analysis.steps.risk.queues import email_queue, lindley
from bpo_analysis.steps.risk.surge import SurgeInputs, _ramp, surge_scenario
from bpo_analysis.steps.risk.surge_costs import surge_costs
from tests.conftest import edit_text


@pytest.fixture(scope="module")
def plan(sample_client):
    return staffing_plan(sample_client)


# ---------------------------------------------------------------- register
def test_register_scores_and_rates_every_risk(sample_client):
    reg = risk_register.register(sample_client.risks).set_index("risk_id")
    r01 = reg.loc["R01"]  # likelihood 3 x impact 5; after mitigation 2 x 4
    assert (r01["score"], r01["residual_score"], r01["reduction"]) == (15, 8, 7)
    assert (r01["rating"], r01["residual_rating"]) == ("extreme", "high")
    assert reg.loc["R07", "rating"] == "moderate"  # 2 x 3 = 6
    assert reg.loc["R03", "residual_rating"] == "low"  # 1 x 3 = 3
    assert list(reg["residual_score"]) == sorted(reg["residual_score"], reverse=True)


def test_npsa_bands_at_every_score_of_the_matrix():
    # NPSA (2008): 1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme
    scores = sorted({lk * im for lk in range(1, 6) for im in range(1, 6)})
    bands = {s: risk_register.rating(s) for s in scores}
    assert [s for s in scores if bands[s] == "low"] == [1, 2, 3]
    assert [s for s in scores if bands[s] == "moderate"] == [4, 5, 6]
    assert [s for s in scores if bands[s] == "high"] == [8, 9, 10, 12]
    assert [s for s in scores if bands[s] == "extreme"] == [15, 16, 20, 25]
    for bad in (0, 26, 2.5):
        with pytest.raises(InputError, match="score"):
            risk_register.rating(bad)


def test_top_risks_and_heat_matrix(sample_client):
    reg = risk_register.register(sample_client.risks)
    top = risk_register.top_risks(reg, 3)
    assert list(top["risk_id"]) == ["R01", "R02", "R10"]  # 15, then 12s by impact 4
    assert list(risk_register.top_risks(reg, 1, residual=True)["risk_id"]) == ["R01"]
    m = risk_register.heat_matrix(reg)
    assert m.loc[5, 3] == ["R01"] and sorted(m.loc[4, 3]) == ["R02", "R10"]
    assert sum(len(c) for row in m.to_numpy() for c in row) == len(reg)
    after = risk_register.heat_matrix(reg, residual=True)
    assert after.loc[4, 2] == ["R01"]
    with pytest.raises(InputError, match="'n'"):
        risk_register.top_risks(reg, 0)


@pytest.mark.parametrize("line, old, new, column, phrase", [
    (2, "3,5,CISO", "6,5,CISO", "likelihood", "less than or equal to 5"),
    (2, "3,5,CISO", "3,0,CISO", "impact", "greater than or equal to 1"),
    (2, "R01,data_protection", "R01,weather", "category", "data_protection"),
    (3, "2,3\n", "4,3\n", "residual_likelihood", "1 to 3 (the likelihood before"),
    (4, "1,3\n", "1,5\n", "residual_impact", "1 to 4 (the impact before"),
])
def test_bad_risk_rows_are_refused_by_row_and_column(folder, line, old, new, column, phrase):
    path = folder / "risks.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    e = err.value
    assert (Path(e.file).name, e.row, e.column) == ("risks.csv", line, column), str(e)
    assert phrase in str(e)


# ---------------------------------------------------------------- outage
@pytest.fixture(scope="module")
def outage(sample_client, plan):
    return risk.outage_scenario(sample_client, plan=plan)


def test_window_mean_is_the_mean_of_every_window():
    x = np.arange(10.0) ** 2
    brute = np.mean([x[i + 1:i + 4].sum() for i in range(7)])
    assert risk._window_mean(x, 4, 1) == pytest.approx(brute)
    assert risk._window_mean(x, 3) == pytest.approx(np.mean([x[i:i + 3].sum()
                                                            for i in range(8)]))


def test_outage_loss_is_erlang_a_at_the_agents_left(outage, sample_client, plan):
    assert outage.intervals_down == 20 and outage.terms.site_share == 0.6
    v = outage.rows[outage.rows["channel"] == "voice"]
    busy = v[v["offered"] > 0]
    load = busy["offered"] * busy["aht"] / 1800
    ab = staffing.abandonment_rate(load.to_numpy(), 0.4 * busy["agents"].to_numpy(),
                                   busy["aht"].to_numpy(), 230)
    np.testing.assert_allclose(busy["lost_down"], busy["offered"] * ab, rtol=1e-9)
    extra = (outage.timeline["lost_down"] - outage.timeline["lost_full"]).to_numpy()
    brute = np.mean([extra[i:i + 20].sum() for i in range(len(extra) - 19)])
    assert outage.per_outage == pytest.approx(brute)


def test_a_whole_site_down_loses_every_contact(sample_client, plan):
    o = risk.outage_scenario(sample_client, risk.OutageInputs(site_share=1.0, hours=2.0),
                             plan=plan)
    t = o.timeline
    np.testing.assert_allclose(t["lost_down"], t["offered"])
    assert o.per_outage == pytest.approx(np.mean(
        [(t["offered"] - t["lost_full"]).to_numpy()[i:i + 4].sum()
         for i in range(len(t) - 3)]))


def test_backup_options_against_the_loss(outage, sample_client):
    opts = risk.outage_options(sample_client, outage).set_index("option")
    none = opts.loc["none"]
    assert none["expected_loss"] == pytest.approx(outage.per_outage * 600 * 3)
    full = risk.outage_options(sample_client, risk.with_backup_share(outage, 1.0))
    full = full.set_index("option")
    # carrying the whole lost site, an option loses only what goes before it is active
    down = (outage.timeline["lost_down"] - outage.timeline["lost_full"]).to_numpy()
    for o, hours in (("inhouse_team", 0.5), ("backup_site", 2.0), ("second_vendor", 4.0)):
        skip = int(np.ceil(hours * 2))
        before = np.mean([down[i:i + skip].sum() for i in range(len(down) - 19)])
        assert full.loc[o, "lost"] == pytest.approx(before, rel=1e-6, abs=1e-6)
    for o, row in opts.drop(index="none").iterrows():
        assert row["carried"] + row["lost"] == pytest.approx(outage.per_outage)
        assert row["loss_avoided"] == pytest.approx(row["carried"] * 600 * 3)
        assert row["net"] == pytest.approx(row["loss_avoided"] - row["annual_cost"])
        assert full.loc[o, "lost"] <= row["lost"] + 1e-9
    b = opts.loc["backup_site"]  # 120,000 + 15,000 x ceil(0.6 x 0.6 x busiest agents)
    peak = (outage.timeline["agents"] * 0.6).max()
    assert b["agents"] == pytest.approx(0.6 * peak)
    assert b["annual_cost"] == pytest.approx(120000 + 15000 * np.ceil(0.6 * peak))
    s = opts.loc["second_vendor"]  # break-even: fixed / (value - price) per outage
    assert s["annual_cost"] == pytest.approx(240000 + 92 * s["carried"] * 3)
    assert s["break_even_outages"] == pytest.approx(240000 / (s["carried"] * (600 - 92)))


def test_no_activation_and_a_full_share_carries_every_lost_contact(sample_client, folder):
    edit_text(folder / "continuity.yaml", "activation_hours: 0.5", "activation_hours: 0")
    c = load_client(folder)
    o = risk.with_backup_share(risk.outage_scenario(c), 1.0)
    row = risk.outage_options(c, o).set_index("option").loc["inhouse_team"]
    assert row["lost"] == pytest.approx(0.0, abs=1e-6)
    assert row["carried"] == pytest.approx(o.per_outage)


def test_inhouse_team_is_priced_with_the_inhouse_cost_model(sample_client, outage):
    wf = Workforce()
    agents = 7.0
    open_week = 5 * 16 + 12 + 9
    heads = np.ceil(agents * open_week / (174 * 12 / 52) / 0.7)
    inh = sample_client.inhouse
    team = inh.model_copy(update={
        "headcount": inh.headcount.model_copy(update={"agents_fte": {"voice": heads},
                                                      "managers": 0, "seats": 7}),
        "facilities": inh.facilities.model_copy(update={"platform_monthly": 0.0,
                                                        "other_monthly": 0.0})})
    expected = 12 * costs.inhouse_baseline(team)["monthly"].sum() - heads * 1000.0
    assert risk._inhouse_team_cost(sample_client, agents, wf, 1000.0) == pytest.approx(expected)
    assert outage.vendor_cost_per_fte > 0


@pytest.mark.parametrize("kwargs, arg", [
    ({"hours": 0}, "hours"), ({"hours": -3}, "hours"), ({"site_share": 1.2}, "site_share"),
    ({"site_share": 0}, "site_share"), ({"outages_per_year": -1.5}, "outages_per_year"),
    ({"backup_share": 1.5}, "backup_share"), ({"hours": float("inf")}, "hours"),
])
def test_bad_outage_inputs_are_refused_by_name(kwargs, arg):
    with pytest.raises(InputError) as err:
        risk.OutageInputs(**kwargs)
    assert err.value.argument == arg


def test_outage_hours_must_be_whole_intervals(sample_client, plan):
    with pytest.raises(InputError, match=r"'hours'.*7.2.*multiple of 0.5 h"):
        risk.outage_scenario(sample_client, risk.OutageInputs(hours=7.2), plan=plan)
    with pytest.raises(InputError, match="backup_share"):
        risk.with_backup_share(risk.outage_scenario(sample_client, plan=plan), -0.1)


@pytest.mark.parametrize("old, new, where", [
    ("currency: TWD\n", "currency: TWD\nquote_id: Q07\n",
     r"continuity.yaml, row 3, column 'quote_id'.*moved to decision.yaml"),
    ("  voice: 230", "  voice: -5", r"column 'patience_s.voice'.*greater than 0"),
    ("redial_share: 0.4", "redial_share: 1", r"row 6, column 'redial_share'.*less than 1"),
    ("hours: 10 ", "hours: 7.2 ", r"row 14, column 'outage.hours': an outage must last whole "
                                  r"demand intervals; value 7.2; allowed: a multiple of 0.5 h"),
    ("  chat: 380\n", "", r"row 4, column 'patience_s.chat': no patience for chat"),
    ("annual_per_agent: 15000  #", "#", r"column 'outage.options.0'.*annual_per_agent is "
                                        r"required for a backup_site"),
    ("id: second_vendor", "id: backup_site", r"row 25, column 'outage.options.1.id': option "
                                             r"id 'backup_site' given twice \(first on line 18\)"),
    ("currency: TWD", "currency: USD", r"continuity.yaml, row 2, column 'currency'.*TWD"),
])
def test_bad_continuity_yaml_is_refused_by_line_and_key(folder, old, new, where):
    edit_text(folder / "continuity.yaml", old, new)
    with pytest.raises(DataError, match=where):
        load_client(folder)


def test_without_continuity_yaml_notebook_07_says_which_file(folder, plan):
    (folder / "continuity.yaml").unlink()
    c = load_client(folder)
    with pytest.raises(DataError, match=r"continuity.yaml.*notebook 07 needs the surge"):
        surge_scenario(c, SurgeInputs("2025-10-06"), plan=plan)
    assert c.continuity is None


def test_the_register_stays_importable_from_calc():
    """The dashboard and the notebook tests score the register through ``calc``."""
    assert all(getattr(risk, n) is getattr(risk_register, n) for n in risk_register.__all__)
    assert set(risk_register.__all__) <= set(risk.__all__)


# ---------------------------------------------------------------- surge
@pytest.fixture(scope="module")
def surge(sample_client, plan):
    return surge_scenario(sample_client, SurgeInputs("2025-10-06", channels=("voice", "email")),
                          plan=plan)


def test_seats_follow_the_ramp_up_to_what_the_surge_needs(surge):
    s = surge.seats.set_index("day")
    # 8 seats a day from the second day (lead 1), up to the pool of 40, never more than
    # the day needs
    ramp = _ramp(s.index.to_numpy(), 7, 8.0, 1, 40)
    assert ramp.tolist() == [0, 8, 16, 24, 32, 40, 40, 0]
    np.testing.assert_array_equal(s["seats_added"], np.minimum(ramp, s["seats_needed"]))
    assert _ramp(np.arange(12), 12, 5.0, 1, 40).tolist() == [
        0, 5, 10, 15, 20, 25, 30, 35, 40, 40, 40, 40]
    assert (surge.seats_per_day, surge.lead_days, surge.redial_share) == (8.0, 1, 0.4)
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
    # Q01, the selected (contracted) per-seat quote: surge seat-days at 62,000 x 12/365
    # x 1.25
    seat_days = surge.seats.loc[surge.seats["in_surge"], "seats_added"].sum()
    assert seat_days == 152
    assert c.loc["Q01", "as_run"] == pytest.approx(152 * 62000 * 12 / 365 * 1.25)
    need_days = surge.seats.loc[surge.seats["in_surge"], "seats_needed"].sum()
    assert c.loc["Q01", "hold_sla"] == pytest.approx(need_days * 62000 * 12 / 365 * 1.25)
    assert bool(c.loc["Q01", "contracted"]) and c["contracted"].sum() == 1
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


def test_a_surge_without_a_start_hits_the_busiest_seven_days(sample_client):
    from bpo_analysis.core import demand
    from bpo_analysis.steps import risk as risk_step
    from bpo_analysis.steps.risk.step import busiest_week

    start = busiest_week(sample_client)
    daily = demand.daily_volume(sample_client.demand)["total"]
    weeks = {d: daily.loc[d:d + np.timedelta64(6, "D")].sum() for d in daily.index[:-6]}
    assert str(max(weeks, key=weeks.get).date()) == start == "2025-08-18"
    assert risk_step.run(sample_client).inputs["surge"].start == start


def test_the_selected_vendor_is_never_its_own_backup(sample_client):
    """A standby 'second vendor' that is the selected vendor itself is flagged, not derived."""
    import pandas as pd

    from bpo_analysis.core.decision import Decision
    from bpo_analysis.steps.risk.step import backup_decision, eligible_backups

    options = pd.DataFrame({"option": ["none", "second_vendor", "backup_site"],
                            "net": [0.0, 5e6, 1e6]})
    flagged = eligible_backups(sample_client, options, selected="V02")  # V02 stands by
    assert "selected vendor" in flagged.set_index("option").loc["second_vendor", "flag"]
    d = backup_decision(Decision.stated(sample_client).but(backup=None), flagged)
    assert d.backup.value == "backup_site"  # the best option left, not the vendor itself
    assert eligible_backups(sample_client, options, selected="V01").set_index(
        "option").loc["second_vendor", "flag"] == ""


def test_no_backup_is_derived_when_none_pays(sample_client):
    """Standing by costs more than the outages it saves: the step derives none, and says
    which would cost least (the client may still name it)."""
    import pandas as pd

    from bpo_analysis.core.decision import Decision
    from bpo_analysis.steps.risk.step import backup_decision

    options = pd.DataFrame({"option": ["none", "backup_site", "second_vendor"],
                            "name": ["No backup", "Second site", "Standby vendor"],
                            "net": [0.0, -120_000.0, -80_000.0], "currency": "TWD",
                            "flag": ""})
    d = backup_decision(Decision.stated(sample_client).but(backup=None), options)
    assert d.backup is None
    note = dict(d.notes)["backup"]
    assert "No backup option pays" in note and "Standby vendor" in note
    assert "80,000 TWD a year net" in note
