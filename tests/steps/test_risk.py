"""Risk register and outage (bpo_analysis.steps.risk.calc): the formulas checked against
independent arithmetic and the package's public Erlang A, and every bad input refused by
name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bpo_analysis import load_client
from bpo_analysis.core import costs, staffing
from bpo_analysis.core.workforce import Workforce, staffing_plan
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.risk import calc as risk
from bpo_analysis.steps.risk import register as risk_register
from bpo_analysis.steps.risk.surge import SurgeInputs, surge_scenario
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
    assert s["annual_cost"] == pytest.approx(240000 + 58 * s["carried"] * 3)
    assert s["break_even_outages"] == pytest.approx(240000 / (s["carried"] * (600 - 58)))


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
    ("quote_id: Q07", "quote_id: Q42", r"continuity.yaml, row 3, column 'quote_id'.*'Q42'"),
    ("  voice: 230", "  voice: -5", r"column 'patience_s.voice'.*greater than 0"),
    ("redial_share: 0.4", "redial_share: 1", r"row 7, column 'redial_share'.*less than 1"),
    ("hours: 10 ", "hours: 7.2 ", r"row 15, column 'outage.hours': an outage must last whole "
                                  r"demand intervals; value 7.2; allowed: a multiple of 0.5 h"),
    ("  chat: 380\n", "", r"row 5, column 'patience_s.chat': no patience for chat"),
    ("annual_per_agent: 15000  #", "#", r"column 'outage.options.0'.*annual_per_agent is "
                                        r"required for a backup_site"),
    ("id: second_vendor", "id: backup_site", r"option ids must be unique"),
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
