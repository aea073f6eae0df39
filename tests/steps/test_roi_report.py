"""Step 6 as a client reads it (issue 23): definitions in typographic notation, drivers and
vendors by name, amounts in one scale with the unit in the header, no "-0", what the
actuals leave to the plan said in sentences -- and every number still the model's."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from bpo_analysis.core.present import fmt
from bpo_analysis.steps import roi as roi_step
from bpo_analysis.steps.roi import words
from tests.reporting.client_text import RULES


@pytest.fixture(scope="module")
def res(sample_client):
    return roi_step.run(sample_client, draws=2_000)


@pytest.fixture(scope="module")
def hk(hk_client):
    return roi_step.run(hk_client, draws=2_000)


def _cells(styler) -> list[list[str]]:
    """Return the table's rows as the reader sees them (header row first)."""
    rows = BeautifulSoup(styler.to_html(), "html.parser").find_all("tr")
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in rows]


def test_the_measures_are_defined_in_typographic_notation(res):
    m = res.tables["measures"].data.set_index("measure")
    assert m.loc["NPV", "definition"] == (
        "the sum of each month's net flow ÷ (1 + r) ^ (t ÷ 12), r the discount rate a year "
        "and t the months from go-live")
    assert m.loc["Payback", "definition"] == ("months until the cumulative net flow turns "
                                              "positive for good")
    for text in m["definition"]:
        assert not RULES["code operator"].search(text), text
    assert list(m.columns)[1] == "actuals to June 2026, then the plan"


def test_the_cash_flows_are_in_millions_without_a_negative_zero(res):
    table = res.tables["cash_flow"]
    df = table.data.set_index("line")
    assert list(df.columns) == [f"{c} (TWD M)" for c in (
        "before go-live", "year 1", "year 2", "year 3", "total", "present value")]
    fees = res.flows.loc[res.flows["line"] == "Service fees", "amount"]
    assert df.loc["Service fees", "total (TWD M)"] == pytest.approx(fees.sum() / 1e6)
    assert df.loc["Net", "present value (TWD M)"] == pytest.approx(res.measures.npv / 1e6)
    assert df.loc["Service fees", "before go-live (TWD M)"] == 0.0  # was "-0"
    shown = [c for row in _cells(table) for c in row]
    assert not any(RULES["negative zero"].fullmatch(c) for c in shown)
    assert "-94.5" in shown and table.caption == "Cash flows by year (TWD M; costs negative)"


def test_the_tornado_names_each_driver_and_its_values_with_their_unit(res):
    t = res.tables["tornado"].data.set_index("driver")
    churn = t.loc["Churn reduction (relative)"]
    assert (churn["low"], churn["base"], churn["high"]) == ("0.0 %", "5.0 %", "8.0 %")
    value = t.loc["Customer value (margin per customer kept)"]
    assert (value["low"], value["base"], value["high"]) == ("2,000 TWD", "2,800 TWD",
                                                            "3,400 TWD")
    assert t.loc["Average handle time (share of the forecast)", "low"] == "93.0 %"
    raw = res.tornado.set_index("driver")
    assert t.loc["Churn reduction (relative)", "NPV at low (TWD M)"] == pytest.approx(
        raw.loc["churn_reduction", "npv_low"] / 1e6)
    assert set(t.index) == {words.DRIVERS[d][0] for d in raw.index}


def test_the_sentence_names_the_quote_vendor_and_driver_in_words(res):
    title = res.headline.title
    assert title.startswith("Quote Q01 of Jade Mountain Teleservices (V01), priced per seat, "
                            "against the baseline “Today's cost: in-house centre and "
                            "incumbent vendor (as is)”: the move is a coin flip at 8.0 % a "
                            "year — NPV ")
    assert f"P(NPV > 0) = {fmt(res.simulation.p_positive, '%', 0)}" in title
    assert "; churn reduction carries it: at its low assumption the NPV is -46,391,679 TWD" \
        in title
    assert res.headline["npv"].label == "NPV at 8.0 % a year"


def test_the_plan_against_actuals_is_in_millions(res):
    table = res.tables["plan_vs_actual"]
    df = table.data.set_index("cash flow")
    assert table.caption == "Plan against actuals to June 2026 (TWD M)"
    g = res.actual.monthly.groupby("group")[["plan", "actual"]].sum()
    assert df.loc["Vendor fees", "actual (TWD M)"] == pytest.approx(
        g.loc["Vendor fees", "actual"] / 1e6)
    assert list(df.columns) == ["plan (TWD M)", "actual (TWD M)", "variance (TWD M)",
                                "variance (%)"]


def test_what_the_actuals_leave_to_the_plan_is_said_in_sentences(res):
    assert str(res.actuals_text) == (
        "The actuals give no churn rate for January 2026 to March 2026 (3 months): the "
        "re-forecast uses the plan's value for those months.")
    one = replace(res, actual=replace(res.actual, missing=(
        ("fcr", (pd.Period("2026-02", "M"),)),)))
    assert str(one.actuals_text) == (
        "The actuals give no first-contact resolution for February 2026 (1 month): the "
        "re-forecast uses the plan's value for those months.")
    none = replace(res, actual=replace(res.actual, missing=()))
    assert str(none.actuals_text).startswith("Every month of actuals reports")


def test_the_irr_note_counts_in_words():
    assert words.irr_note("1 sign changes: more than one rate may solve it") == \
        "1 sign change: more than one rate may solve it"
    assert words.irr_note("monthly IRR annualised") == "monthly IRR annualised"


@pytest.mark.parametrize("which", ["res", "hk"])
def test_no_developer_text_on_the_page(which, request):
    """The headline and every table of the step (the bridge is step 1's) pass the checks a
    client's page must pass; a vendor id only after the vendor's name."""
    result = request.getfixturevalue(which)
    texts = [result.headline.title, *(h.note for h in result.headline.items),
             *(h.label for h in result.headline.items)]
    texts += [" | ".join(row) for name in result.tables if name != "bridge"
              for row in _cells(result.tables[name])]
    if result.actual is not None:
        texts.append(str(result.actuals_text))
    ids = list(result.client.vendors["vendor_id"])
    for text in texts:
        for rule, pattern in RULES.items():
            assert not pattern.search(text), (rule, text)
        for vid in ids:
            assert not re.search(rf"(?<![\w(+]){vid}(?!\w)", text), (vid, text)
