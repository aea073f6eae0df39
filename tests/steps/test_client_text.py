"""Issue 23, client-ready text of steps 0-2: what a client's CFO reads in their tables and
headlines (business words, vendors by name, amounts scaled, shares as %, plurals right).

Each check runs on the step's own tables and sentences, both sample clients, with the
rules of ``tests/reporting/client_text.py`` (field names, code operators, vendor ids
without their names, "-0", "(s)" plurals, "nan").
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from bpo_analysis.data.client import load_client
from bpo_analysis.errors import DataWarning
from bpo_analysis.steps import profile, sourcing, vendors
from bpo_analysis.steps.profile import views as profile_views
from bpo_analysis.steps.sourcing import views as sourcing_views
from bpo_analysis.steps.vendors import views as vendor_views
from tests.reporting.client_text import RULES

CLIENTS = ("data/sample", "data/hk_health")


@pytest.fixture(scope="module", params=CLIENTS)
def client(request):
    return load_client(request.param)


@pytest.fixture(scope="module")
def results(client):
    return {"profile": profile.run(client), "sourcing": sourcing.run(client),
            "vendors": vendors.run(client, draws=500)}


def _texts(result) -> list[str]:
    """The headline sentence, its cards and every table (caption, headers, cells) as text."""
    h = result.headline
    out = [h.title, *(f"{c.label} {c.text} {c.note}" for c in h.items)]
    for name in result.tables:
        table = result.tables[name]
        out.append(str(table.caption or ""))
        out += [str(c) for c in table.data.columns]
        out += [str(x) for x in table.data.to_numpy().ravel()
                if isinstance(x, str)]
    return out


def _findings(texts: list[str], vendor_ids) -> list[str]:
    found = [f"{rule}: {t!r}" for t in texts for rule, pattern in RULES.items()
             if pattern.search(t)]
    for vid in vendor_ids:
        bare = re.compile(rf"(?<![\w(+]){re.escape(vid)}(?!\w)")
        found += [f"vendor id without its name: {t!r}" for t in texts if bare.search(t)]
    return found


@pytest.mark.parametrize("step", ["profile", "sourcing", "vendors"])
def test_tables_and_headlines_carry_no_developer_text(client, results, step):
    texts = _texts(results[step])
    if step == "profile":
        texts.append(str(results[step].peaks_text))
    elif step == "vendors":
        texts.append(str(results[step].criteria_text))
    assert _findings(texts, client.vendors["vendor_id"]) == []


# ---------------------------------------------------------------- step 0
def _episodes(n: int) -> pd.DataFrame:
    days = pd.date_range("2025-03-10", periods=n, freq="7D")
    return pd.DataFrame({"kind": ["peak"] * n, "start": days, "end": days, "days": [1] * n,
                         "peak_ratio": [2.0] * n, "excess_contacts": [1000.0] * n})


def test_the_episodes_are_counted_in_words():
    one = str(profile_views.peaks_paragraph(_episodes(1), 1.4))
    three = str(profile_views.peaks_paragraph(_episodes(3), 1.4))
    assert "(troughs): 1 episode, a peak on 10 March 2025" in one
    assert "(troughs): 3 episodes; the largest: a peak on" in three
    assert "(s)" not in one + three


def test_the_cost_baseline_says_how_each_item_is_worked_out_in_words(client):
    t = profile_views.baseline_table(client).data.set_index("item")
    span = client.inhouse.headcount.agents_per_supervisor
    assert t.loc["Supervisors", "basis"] == (
        f"one team lead per {span:g} agents (rounded up) × their pay, bonuses and insurance")
    assert t.loc["Agent pay", "basis"] == "agents × monthly pay × (12 + bonus months) / 12"
    assert not t["basis"].str.contains(r"ceil\(| x ", regex=True).any()


def test_the_data_quality_table_names_each_input_by_what_it_holds(client):
    t = profile_views.quality_table(client)
    shown = t.data.set_index("data")
    assert list(t.data.columns) == ["data", "rows", "notes"]
    assert "In-house costs today" in shown.index and "Vendors' quotes" in shown.index
    assert not any(src.path.name in " ".join(shown.index) for src in client.sources)
    assert shown.loc["Vendors on the long list", "rows"] == len(client.vendors)
    assert pd.isna(shown.loc["In-house costs today", "rows"])  # a settings file: no rows
    assert t.caption == f"Data quality: {len(client.sources)} inputs of {client.scenario.company}"


# ---------------------------------------------------------------- step 1
def test_option_tables_show_amounts_scaled_with_the_scale_in_the_header(client, results):
    res = results["sourcing"]
    cur = client.currency
    summary = res.tables["summary"]
    t = summary.data.set_index("option")
    best = res.summary.index[0]
    assert t.loc[best, f"{cur} M over the period"] == pytest.approx(
        res.summary.loc[best, "total"] / 1e6)
    assert t.loc[best, f"{cur} per contact"] == pytest.approx(
        res.summary.loc[best, "per_contact"])  # per contact: not scaled
    html = summary.to_html()
    assert f"{res.summary['total'].iloc[0] / 1e6:,.1f}" in html
    horizon = res.tables["horizon"].data.set_index("option")
    assert horizon.loc[res.over_horizon.index[0], f"{cur} M present value"] == pytest.approx(
        res.over_horizon["pv"].iloc[0] / 1e6)
    peaks = res.tables["peaks"]
    assert f"({cur} M)" in peaks.caption
    for table in ("summary", "horizon", "peaks"):
        assert not RULES["negative zero"].search(res.tables[table].data.to_string())
        assert not RULES["negative zero"].search(res.tables[table].to_html())


def test_a_scaled_amount_that_rounds_to_zero_is_zero_not_minus_zero():
    s = pd.DataFrame({"total": [90.0e6, 89.99e6], "per_month": [7.5e6, 7.499e6],
                      "per_contact": [68.4, 68.3], "vs_cheapest": [-1.0, 1.5e6],
                      "vs_cheapest_share": [0.0, 0.0001]},
                     index=["In-house", "Shared (per contact)"])
    table = sourcing_views.summary_table(s, "TWD")
    assert table.data["TWD M above cheapest"].tolist() == [0.0, 1.5]
    assert not RULES["negative zero"].search(table.to_html())


def test_the_schedule_names_its_shift_length(results):
    res = results["sourcing"]
    hours = res.inputs.workforce.shift_hours
    assert res.tables["schedule"].caption == (
        f"In-house staffing on whole {hours:g}-hour shifts, per month")


# ---------------------------------------------------------------- step 2
def test_the_verdict_and_the_switch_name_vendors_and_criteria(client, results):
    ev = results["vendors"]
    names = dict(zip(client.vendors["vendor_id"], client.vendors["name"], strict=True))
    title = ev.headline.title
    best = ev.winner
    assert f"Best under TOPSIS: {names[best]} ({best})," in title
    assert ev.headline["winner_score"].label == f"Best: {names[best]} ({best})"
    sw = ev.switch_points
    assert not any(cid in title for cid in sw.index if "_" in cid)
    m = re.search(r"the weight of (.+) (?:rises above|falls below) (\d+\.\d) % "
                  r"\(from (\d+\.\d) %; (.+) would win\)\.", title)
    assert m, title
    assert m[1] in set(ev.criteria["name"])
    cid = ev.criteria.index[ev.criteria["name"] == m[1]][0]
    assert float(m[3]) == pytest.approx(sw.loc[cid, "weight"] * 100, abs=0.05)
    assert m[4].endswith(")") and m[4].split(" (")[0] in names.values()


def test_the_consistency_ratio_reads_in_plain_words(results):
    ev = results["vendors"]
    card = ev.headline["ahp_cr"]
    assert card.text == f"{ev.ahp.cr:.3f}"
    index = {"saaty1980": "Saaty 1980", "alonso_lamata2006": "Alonso & Lamata 2006"}[
        ev.ahp.random_index]
    assert card.note == f"{index} random index; 0.10 or less is consistent"
    caption = ev.tables["ahp"].caption
    assert caption.startswith(f"AHP weights: consistency ratio {ev.ahp.cr:.3f} ({index} "
                              "random index; 0.10 or less is consistent)")
    assert "λmax" not in caption and " vs " not in caption and "=" not in caption


def test_the_knock_out_table_reads_as_a_client_expects(client, results):
    ev = results["vendors"]
    t = ev.tables["knock_outs"].data
    assert list(t.columns) == ["vendor", "criterion", "value", "rule", "result"]
    names = dict(zip(client.vendors["vendor_id"], client.vendors["name"], strict=True))
    assert set(t["vendor"]) == {f"{n} ({v})" for v, n in names.items()}
    assert not t["criterion"].isin(ev.criteria.index).any()  # names, not ids
    attrition = t[t["criterion"] == "Agent attrition"]
    assert attrition["rule"].eq("Agent attrition: at most 45 %").all()
    assert attrition["value"].str.fullmatch(r"\d+ %").all()
    iso = t[t["criterion"] == "ISO 27001 certified"]
    assert len(iso) and iso["rule"].eq("ISO 27001 certified: required").all()
    languages = t[t["criterion"] == "Languages served"]
    assert languages["rule"].str.startswith("Serves ").all()
    assert languages["value"].str.contains("English").all()
    assert not languages["value"].str.contains(r"\bnan\b|zh-Hant|;", regex=True).any()
    excluded = t[t["result"] == "EXCLUDED"]
    assert len(excluded) and t.index[: len(excluded)].tolist() == excluded.index.tolist()
    n = len(ev.survivors)
    assert ev.tables["knock_outs"].caption.startswith(f"Knock-out rules: {n} vendors left (")
    for v in ev.survivors:
        assert f"{names[v]} ({v})" in ev.tables["knock_outs"].caption


def test_the_sample_knock_outs_read_backup_site_required(sample_client):
    ev = vendors.run(sample_client, draws=200)
    t = ev.tables["knock_outs"].data.set_index(["vendor", "criterion"])
    row = t.loc[("Sunrise BPO Taiwan (V03)", "Backup site")]
    assert (row["value"], row["rule"], row["result"]) == ("no", "Backup site: required",
                                                          "EXCLUDED")
    row = t.loc[("Sunrise BPO Taiwan (V03)", "Agent attrition")]
    assert (row["value"], row["rule"]) == ("41 %", "Agent attrition: at most 45 %")
    row = t.loc[("Harbor Contact Services (V02)", "Languages served")]
    assert row["value"] == "Chinese (Traditional), English, Min Nan Chinese"
    assert row["rule"] == "Serves Chinese (Traditional), English"


def test_rankings_and_missing_scores_name_vendors_and_criteria(client, results):
    ev = results["vendors"]
    ranking = ev.tables["rankings"].data
    names = dict(zip(client.vendors["vendor_id"], client.vendors["name"], strict=True))
    assert ranking["vendor"].iloc[0] == f"{names[ev.winner]} ({ev.winner})"
    assumed = ev.tables["assumed"].data
    assert list(assumed.columns) == ["vendor", "criterion", "assumed"]


def test_missing_scores_are_shown_by_name_in_their_unit(sample_client):
    pilots = sample_client.vendors.assign(pilot_csat=[0.82, None, None, 0.80, None, 0.78])
    client = dataclasses.replace(sample_client, vendors=pilots)
    with pytest.warns(DataWarning, match="^1 missing score taken as the worst value"):
        ev = vendors.run(client, draws=200)
    t = ev.tables["assumed"].data
    assert "Harbor Contact Services (V02)" in set(t["vendor"])
    row = t.set_index("vendor").loc["Harbor Contact Services (V02)"]
    assert row["criterion"] == "Pilot CSAT" and row["assumed"].endswith(" %")


def test_the_charts_name_vendors_and_criteria(client, results):
    ev = results["vendors"]
    names = dict(zip(client.vendors["vendor_id"], client.vendors["name"], strict=True))
    labels = {f"{n} ({v})" for v, n in names.items()}
    stability = ev.figures["stability"]
    assert set(stability.data[0].x) <= labels
    radar = ev.figures["radar"]
    assert {t.name for t in radar.data} <= labels
    switch = ev.figures["switch_points"]
    assert set(switch.data[0].y) == set(ev.criteria.loc[ev.switch_points.index, "name"])
    contributions = ev.figures["contributions"]
    assert set(contributions.data[0].y) <= labels
    assert f"{names[ev.winner]} ({ev.winner})" in switch.layout.title.text


def test_the_switch_sentence_without_names_keeps_the_ids():
    sw = pd.DataFrame({"weight": [0.15], "winner": ["V01"], "below": [0.05],
                       "winner below": ["V06"], "above": [float("nan")],
                       "winner above": [None]}, index=["price"])
    assert vendor_views.switch_sentence(sw) == (
        "The winner changes soonest if the weight of price falls below 5.0 % (from 15.0 %; "
        "V06 would win).")
