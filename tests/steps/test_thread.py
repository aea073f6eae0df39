"""One decision through the steps: every step that uses a choice works on the same one, says
where it came from, flags a choice step 2 knocks out and says a contradiction in words.

On the sample (only the incumbent stated) and on copies with ``decision.yaml`` stating the
other choices -- among them choices an earlier step would not make."""

from __future__ import annotations

import dataclasses

import pytest

from bpo_analysis.core.decision import ASKED, Choice, Decision, memo
from bpo_analysis.data.client import load_client
from bpo_analysis.steps import contract, pricing, risk, roi, sourcing, summary, vendors
from tests.conftest import copy_sample


def _runs(client):
    """Every step that uses the vendor or quote, run as its notebook runs it."""
    return {"pricing": pricing.run(client), "contract": contract.run(client, simulated_years=2_000),
            "roi": roi.run(client, draws=2_000), "risk": risk.run(client)}


@pytest.fixture(scope="module")
def sample_runs(sample_client):
    return _runs(sample_client)


def _client(tmp_path, text: str):
    folder = tmp_path / "client"
    if not folder.exists():

        copy_sample(folder)
    (folder / "decision.yaml").write_text(text, encoding="utf-8")
    return load_client(folder)


# ---------------------------------------------------------------- the sample, derived
def test_the_sample_derives_one_vendor_and_quote_for_every_step(sample_client, sample_runs):
    v = vendors.run(sample_client, draws=1_000)
    assert v.decision.vendor == Choice("V01", 2) and v.winner == "V01"
    assert v.decision.shortlist.value == tuple(v.survivors) == ("V01", "V02", "V06")
    for name, res in sample_runs.items():
        assert res.decision.vendor.value == "V01", name
        assert res.decision.quote == Choice("Q01", 3), name
        context = res.headline.context
        assert "Jade Mountain Teleservices (V01), derived from step 2" in context, name
        assert "the selected quote Q01, derived from step 3" in context, name
    # the quote is the one every step prices, bills and simulates
    q = sample_runs["pricing"].units.loc["Q01"]
    assert sample_runs["contract"].selected_invoice == pytest.approx(q["year_cost"] / 12)
    assert sample_runs["roi"].case.label.startswith(
        "Quote Q01 of Jade Mountain Teleservices (V01), priced per seat")
    costs = sample_runs["risk"].surge_costs.set_index("quote_id")
    assert bool(costs.loc["Q01", "contracted"]) and costs["contracted"].sum() == 1


def test_the_incumbent_is_reviewed_and_its_rank_said(sample_client, sample_runs):
    c = sample_runs["contract"]
    assert c.vendor_id == "V02" and c.decision.incumbent == Choice(("V02",), 0)
    assert ("Harbor Contact Services is reviewed as the incumbent; step 2 ranks it 3 of 3."
            in c.headline.context)
    assert "if it performs as Harbor Contact Services has" in c.headline.title
    # the back-test is on the incumbent's own reports and invoices
    assert {str(m) for m in c.invoice.index} == set(
        sample_client.vendor_reports.query("vendor_id == 'V02'")["month"].astype(str))


def test_without_a_decision_file_the_incumbent_comes_from_the_reports(sample_client):
    client = dataclasses.replace(sample_client, decision=None)
    d = vendors.run(client, draws=500).decision
    assert d.incumbent == Choice(("V02",), -1)
    assert d.incumbent.origin == "derived from the vendors' monthly reports"
    assert d.vendor.value == "V01" and not d.notes[0][1].startswith("V02")


def test_step_3_answers_among_eligible_bids_only(sample_runs):
    p = sample_runs["pricing"]
    best = p.headline["lowest_tco_per_contact"]
    eligible = p.tco[p.standing.reindex(p.tco.index).eq("")]
    assert best.value == pytest.approx(eligible["per_contact"].min())
    assert p.tco["per_contact"].idxmin() == "Q08"  # below cost, from a knocked-out vendor
    assert "Q08 of Sunrise BPO Taiwan: does not pass step 2's knock-outs" in p.headline.title
    assert "Q08" not in best.label and p.standing["Q08"] and p.standing["Q05"]
    assert p.headline["selected_tco_per_contact"].value == pytest.approx(
        p.tco.loc["Q01", "per_contact"])


def test_step_7_backs_up_only_with_vendors_past_the_knock_outs(folder):
    (folder / "continuity.yaml").write_text(
        (folder / "continuity.yaml").read_text(encoding="utf-8").replace(
            "vendor_id: V02 ", "vendor_id: V05 ").replace("annual_fixed: 240000 ",
                                                         "annual_fixed: 1 "),
        encoding="utf-8")
    r = risk.run(load_client(folder))
    o = r.options.set_index("option")
    assert o.loc["second_vendor", "flag"].startswith("does not pass step 2's knock-outs")
    assert o.loc["second_vendor", "net"] == o["net"].max()  # the best value, yet not chosen
    # of the options left, the best that pays is derived; here none pays, so none is
    rest = o[(o.index != "none") & (o["flag"] == "")]
    if rest["net"].max() > 0:
        assert r.decision.backup.value == rest["net"].idxmax() and r.decision.backup.step == 7
    else:
        assert r.decision.backup is None
        assert "No backup option pays" in dict(r.decision.notes)["backup"]
    assert o.loc["second_vendor", "flag"] not in r.headline.context


# ---------------------------------------------------------------- stated choices
def test_a_stated_vendor_that_step_2_ranks_lower_is_used_and_said(tmp_path):
    client = _client(tmp_path, "selected_vendor: V06\nreason: the board visited its site\n")
    runs = _runs(client)
    for name, res in runs.items():
        assert res.decision.vendor == Choice("V06", 0), name
        assert res.decision.quote == Choice("Q06", 3), name  # V06's only quote
        assert "Evergreen CX (V06), stated in the client's decision file" in \
            res.headline.context, name
    ctx = runs["pricing"].headline.context
    assert "Evergreen CX is selected in the decision file; step 2 ranks it 2 of 3, after Jade " \
           "Mountain Teleservices." in ctx
    assert "Why: the board visited its site." in ctx


def test_a_knocked_out_vendor_is_flagged_in_every_report_that_uses_it(tmp_path):
    client = _client(tmp_path, "selected_vendor: V05\n")
    runs = _runs(client)
    runs["summary"] = summary.run(client)
    flag = "does not pass step 2's knock-outs (ISO 27001 certified: required)"
    for name, res in runs.items():
        assert res.decision.vendor == Choice("V05", 0, flag), name
        assert f"Flagged: Lotus Service Partners (V05) {flag}." in res.headline.context, name
    assert runs["pricing"].decision.quote.value == "Q05"  # for voice only: flagged too
    scope = "Q05 covers voice only, not every channel the client serves"
    assert f"Flagged: Lotus Service Partners (V05) {flag}; {scope}" in (
        runs["summary"].headline.title)


def test_a_stated_quote_below_cost_is_flagged(tmp_path):
    client = _client(tmp_path, "selected_vendor: V03\nselected_quote: Q08\n")
    p = pricing.run(client)
    assert p.decision.quote == Choice("Q08", 0, "flagged as below cost by step 3")
    assert "Flagged: Q08 flagged as below cost by step 3." in p.headline.context


def test_a_stated_form_that_is_not_the_cheapest_is_said(tmp_path):
    client = _client(tmp_path, "sourcing_form: inhouse\n")
    s = sourcing.run(client)
    assert s.decision.form == Choice("inhouse", 0)
    assert "In-house is chosen in the decision file; step 1 finds Dedicated (per seat) " in (
        s.headline.context)


def test_roi_on_another_quote_says_so(sample_client):
    r = roi.run(sample_client, quote_id="Q07", draws=1_000)
    assert r.decision.quote == Choice("Q07", ASKED) and r.decision.vendor == Choice("V02", ASKED)
    assert "the selected quote Q07, set by the report's parameters" in r.headline.context
    assert "Quote Q07 is reviewed as asked in the report's parameters." in r.headline.context
    assert "Why:" not in r.headline.context  # decision.yaml's reason is not this choice's


# ---------------------------------------------------------------- the parts
def test_notes_are_said_where_a_report_works_on_their_choice():
    d = Decision(vendor=Choice("V01", 2), names={"V01": "Jade"}).but(
        incumbent=Choice(("V02",), 0), note="V02 is the incumbent.")
    assert d.notes == (("incumbent", "V02 is the incumbent."),)
    assert "V02 is the incumbent." in d.describe(("incumbent",))
    assert "V02 is the incumbent." not in d.describe(("vendor",))
    assert d.describe(("vendor",)) == "Works on the selected vendor Jade (V01), derived from " \
                                      "step 2."
    assert Decision().describe(("vendor", "quote")) == ""


def test_merge_keeps_what_is_set_and_adds_what_is_not():
    a = Decision(vendor=Choice("V01", 2))
    b = Decision(vendor=Choice("V09", 0), form=Choice("shared", 1)).but(note="x", about="form")
    m = a.merge(b)
    assert m.vendor.value == "V01" and m.form.value == "shared" and m.notes == (("form", "x"),)


def test_memo_runs_once_per_client_and_language(sample_client):
    calls = []
    memo(sample_client, "test_memo", lambda: calls.append(1) or len(calls))
    assert memo(sample_client, "test_memo", lambda: calls.append(1) or len(calls)) == 1
    other = dataclasses.replace(sample_client)
    assert memo(other, "test_memo", lambda: calls.append(1) or len(calls)) == 2


def test_a_quote_alone_names_its_vendor(tmp_path):
    p = pricing.run(_client(tmp_path, "selected_quote: Q07\n"))
    assert p.decision.vendor == Choice("V02", 0) and p.decision.quote == Choice("Q07", 0)
    assert "Harbor Contact Services is selected in the decision file; step 2 ranks it 3 of 3" \
        in (
        p.headline.context)


def test_without_tco_yaml_step_4_still_judges_the_terms(folder):
    (folder / "tco.yaml").unlink()
    c = contract.run(load_client(folder), simulated_years=2_000)
    assert c.selected_invoice is None and c.vendor_id == "V02"
    assert "No selected quote (step 3 cannot run:" in c.headline.context
    assert "tco.yaml" in c.headline.context


def test_the_summary_follows_a_stated_form(tmp_path):
    s = summary.run(_client(tmp_path, "sourcing_form: shared\n"))
    money = dict(zip(*(s.tables["money"].data.iloc[:, i] for i in (0, 1)), strict=True))
    assert "Chosen form: Shared (per contact), at market prices" in money
    assert "Runner-up form: Dedicated (per seat), at market prices" in money
    assert "the contact centre — Shared (per contact) — to Jade Mountain" in s.headline.title
    assert "Shared (per contact) is chosen in the decision file; step 1 finds Dedicated (per " \
           "seat)" in s.headline.context


def test_a_surge_longer_than_the_demand_is_refused_by_name(sample_client):
    from bpo_analysis.errors import InputError
    from bpo_analysis.steps.risk.step import busiest_week

    with pytest.raises(InputError, match=r"'surge_days' = 400.*whole days from 1 to 365"):
        busiest_week(sample_client, 400)
