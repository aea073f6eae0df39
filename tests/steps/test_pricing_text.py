"""Step 3 as a client reads it: pricing models and vendors by name, amounts of the big
tables in millions with the unit in the header, and the suspicious-bid reason in words
(with its currency, the productive share in %, in the report language)."""

from __future__ import annotations

import re

import pytest

from bpo_analysis.i18n import term, use_language
from bpo_analysis.steps.pricing import step as pricing_step
from bpo_analysis.steps.pricing import views
from tests.reporting.client_text import problems

VENDORS = ["V01", "V02", "V03", "V04", "V05", "V06"]
HK_VENDORS = ["H01", "H02", "H03", "H04", "H05"]


@pytest.fixture(scope="module")
def res(sample_client):
    return pricing_step.run(sample_client)


@pytest.fixture(scope="module")
def hk(hk_client):
    return pricing_step.run(hk_client)


def _page(r) -> str:
    """The headline and every table, as the report shows them."""
    return r.headline._repr_html_() + "".join(r.tables[name].to_html() for name in r.tables)


def test_no_developer_text_in_the_headline_and_tables(res, hk):
    assert problems(_page(res), VENDORS) == []
    assert problems(_page(hk), HK_VENDORS) == []


@pytest.mark.parametrize("model, shown", [
    ("per_productive_hour", "per productive hour"), ("per_seat", "per seat"),
    ("per_call + per_seat", "per call + per seat"),
    ("per_minute + per_minute + per_minute", "per minute"), ("hybrid", "hybrid")])
def test_pricing_models_read_as_business_names(model, shown):
    assert views.models(model) == shown


def test_vendors_are_named_with_their_id_after(res):
    best = res.headline["lowest_tco_per_contact"]
    assert best.label == "Lowest eligible TCO per contact: Q07 of Harbor Contact Services (V02)"
    assert res.headline["selected_tco_per_contact"].label == (
        "Selected: Q01 of Jade Mountain Teleservices (V01)")
    assert res.headline["flagged_bids"].unit == "Q08 of Sunrise BPO Taiwan"
    title = res.headline.title
    assert "quote Q07 of Harbor Contact Services (per seat pricing), 70.7 TWD per contact" in title
    assert "Not eligible, so shown in the tables only: Q08 of Sunrise BPO Taiwan: does not " \
        "pass step 2's knock-outs" in title
    for name in ("comparison", "risk", "flags"):
        t = res.tables[name].data.set_index(term("quote"))
        assert t.loc["Q01", "vendor"] == "Jade Mountain Teleservices (V01)", name
        assert t.loc["Q08", "vendor"] == "Sunrise BPO Taiwan (V03)", name
    t = res.tables["comparison"].data.set_index("quote")
    assert t.loc["Q01", "pricing model"] == "per seat"
    assert t.loc["Q04", "pricing model"] == "per productive hour"


def test_big_amounts_in_millions_with_the_unit_in_the_header(res, hk):
    t = res.tables["comparison"].data.set_index("quote")
    assert t.loc["Q07", "TCO present value (TWD M)"] == pytest.approx(
        round(res.tco.loc["Q07", "pv"] / 1e6, 1))
    assert t.loc["Q07", "TCO nominal (TWD M)"] == pytest.approx(
        round(res.tco.loc["Q07", "nominal"] / 1e6, 1))
    assert t.loc["Q07", "per month, first year (TWD M)"] == pytest.approx(
        round(res.tco.loc["Q07", "year_cost_year1"] / 12e6, 2))
    html = res.tables["comparison"].to_html()
    assert f"{res.tco.loc['Q07', 'pv'] / 1e6:,.1f}" in html  # 278.0
    r = res.tables["risk"].data.set_index("quote")
    col = "extra cost at -20% vs a bill that follows volume (TWD M/year)"
    assert r.loc["Q01", col] == pytest.approx(round(res.units.loc["Q01", "shortfall_risk"] / 1e6,
                                                    2))
    h = hk.tables["comparison"].data.set_index("quote")
    assert "TCO present value (HKD M)" in h.columns
    # no rounded amount reads "-0.00"
    assert not re.search(r"(?<![\d.,])-0\.0+(?!\d)", hk.tables["risk"].to_html())


def test_break_evens_name_the_two_quotes_in_words(res):
    t = res.tables["break_evens"].data
    assert t["quotes"].iloc[0] == "Q01 and Q02"
    assert not t["quotes"].str.contains("=").any()


def test_the_suspicious_bid_reason_in_words_and_units(res):
    f = res.tables["flags"].data.set_index("quote")
    assert f.loc["Q08", "by"] == "the labour floor and the other bids' median"
    assert f.loc["Q01", "by"] == "-"
    why = f.loc["Q08", "why"]
    assert why.startswith("258 TWD per productive hour is below the labour floor of 297 TWD "
                          "in New Taipei")
    assert "the productive share 83% or more (now 72%)" in why
    assert "of the 6 other bids from the same labour market (the cities on the default wage " \
        "floor)" in why


def test_the_suspicious_bid_reason_in_chinese(sample_client):
    with use_language("zh-Hant"):
        res = pricing_step.run(sample_client)
        f = res.tables["flags"].data
        why = f.loc[f[term("quote")] == "Q08", term("why")].iloc[0]
        by = f.loc[f[term("quote")] == "Q08", term("by")].iloc[0]
    assert why.startswith("每生產工時 258 TWD，低於 New Taipei 的人力成本下限 297 TWD")
    assert "生產時間占比為 83% 以上（目前 72%）" in why
    assert by == "人力成本下限與其他報價的中位數"
    # no English words left beside the city and the currency
    assert not re.search(r"\b(?!TWD\b|New\b|Taipei\b)[A-Za-z]{2,}", why + by)
