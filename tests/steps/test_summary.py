"""The decision summary: every number on it is the number of its step's own run (each step
run here on its own, as its notebook runs it), on the sample and on a client whose
decision.yaml chooses otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from bpo_analysis.core.present import fmt
from bpo_analysis.data.client import load_client
from bpo_analysis.errors import InputError
from bpo_analysis.steps import contract, maturity, pricing, profile, risk, roi, sourcing, summary
from bpo_analysis.steps import vendors as vendors_step
from tests.conftest import SAMPLE, copy_sample

OTHER = "selected_vendor: V06\nbackup: backup_site\nreason: a site visit\n"


@pytest.fixture(scope="module", params=["sample", "other decision"])
def client(request, tmp_path_factory):
    if request.param == "sample":
        return load_client(SAMPLE)
    folder = copy_sample(tmp_path_factory.mktemp("other") / "client")
    (folder / "decision.yaml").write_text(OTHER, encoding="utf-8")
    return load_client(folder)


@pytest.fixture(scope="module")
def result(client):
    return summary.run(client)


def _rows(result, table: str) -> dict[str, str]:
    df = result.tables[table].data
    return dict(zip(df.iloc[:, 0], df.iloc[:, 1], strict=True))


def test_the_money_is_each_steps(client, result):
    money = _rows(result, "money")
    cards = profile.run(client).headline
    inhouse = cards["baseline_monthly_cost"].value
    today = inhouse + cards["incumbent_fees_monthly"].value  # Harbor answers part today
    src = sourcing.run(client)
    s = src.summary.sort_values("total")
    assert money["Today's in-house centre (as is)"] == fmt(inhouse, "TWD per month")
    assert money["Today's cost: in-house centre and incumbent vendor (as is)"] == fmt(
        today, "TWD per month")
    assert money["In-house centre staffed for the service targets (same service)"] == fmt(
        s.loc["In-house", "per_month"], "TWD per month")
    assert money[f"Chosen form: {s.index[0]}, at market prices"] == fmt(
        src.headline["cheapest_option_per_month"].value, "TWD per month")
    assert money[f"Runner-up form: {s.index[1]}, at market prices"] == fmt(
        s["per_month"].iloc[1], "TWD per month")
    p = pricing.run(client)
    q = result.decision.quote.value
    assert q == p.decision.quote.value
    bill = p.units.loc[q, "year_cost"] / 12  # 03's "per month, first year" column
    assert money[f"Quote {q}, first contract year"] == fmt(bill, "TWD per month")
    assert result.headline["quote_monthly"].value == pytest.approx(bill)
    comparison = p.tables["comparison"].data.set_index("quote")
    column = next(c for c in comparison.columns if c.startswith("per month, first year"))
    scale = {"M)": 1e6, "k)": 1e3}.get(column[-2:], 1.0)  # the amounts' scale, in its header
    assert comparison.loc[q, column] == pytest.approx(bill / scale, abs=0.01)
    months = int(p.tco.loc[q, "months"])
    assert money[f"Quote {q}: TCO over {months} months"] == fmt(
        p.tco.loc[q, "pv"], "TWD present value")
    r = roi.run(client)
    npv, odds = r.headline["npv"].value, r.headline["p_npv_positive"].value
    shown = f"{fmt(npv, 'TWD')}; P(NPV > 0) = {fmt(odds, '%', 0)}"
    assert money["Business case: NPV at 8.0 % a year"] == shown
    cards = result.headline
    assert cards["npv"].value == npv
    assert cards["saving_vs_today"].value == pytest.approx(
        today - src.headline["cheapest_option_per_month"].value)
    assert cards["saving_vs_today"].value == pytest.approx(
        src.headline["saving_vs_today"].value)


def test_the_vendor_and_why_are_step_2s_and_3s(client, result):
    rows = _rows(result, "vendor")
    v = vendors_step.run(client)
    chosen = result.decision.vendor.value
    assert chosen == v.decision.vendor.value
    order = list(v.ranking.table().index)
    assert rows["Rank past the knock-outs"] == f"{order.index(chosen) + 1} of {len(order)}"
    assert rows["Ranks first when weights vary"] == fmt(
        float(v.stability.loc[chosen, "P(rank 1)"]), "%", 1)
    if chosen == v.winner:
        assert rows["Ranks first when weights vary"] == fmt(
            v.headline["winner_p_first"].value / 100, "%", 1)
    p = pricing.run(client)
    q = p.decision.quote.value
    assert rows[f"Price: TCO per contact of {q}"] == fmt(p.tco.loc[q, "per_contact"],
                                                         "TWD per contact", 1)


def test_the_contract_risks_and_maturity_are_theirs(client, result):
    c = contract.run(client)
    rows = _rows(result, "contract")
    assert rows["Expected service credits a year"] == fmt(
        c.headline["expected_net_credits"].value, "TWD")
    assert rows["In a bad year (95th percentile)"] == fmt(
        c.headline["p95_net_credits"].value, "TWD")
    assert result.headline["expected_credits"].value == c.headline["expected_net_credits"].value
    at_risk = next(k for k in rows if k.startswith("Amount at risk"))
    assert rows[at_risk] == fmt(c.selected_invoice * c.terms.at_risk_share, "TWD per month")
    r = risk.run(client)
    top = r.tables["top_risks"].data.iloc[:3]
    risks = _rows(result, "risks")
    assert list(risks)[:3] == [f"{t} ({g}; {a} after mitigation)" for t, g, a in zip(
        top["title"], top["rating"], top["residual rating"], strict=True)]
    incumbent = result.decision.incumbent.value
    assert risks[f"Incumbent under review: Harbor Contact Services ({incumbent[0]})"]
    assert list(risks.values())[:3] == list(top["mitigation"])
    assert list(top["risk"]) == ["R01", "R02", "R10"]  # the sample's three highest scores
    backup = r.options.set_index("option").loc[r.decision.backup.value]
    assert risks[f"Backup: {backup['name']}"].startswith(fmt(float(backup["net"]), "TWD"))
    m = maturity.run(client)
    assert _rows(result, "maturity")["Maturity now"] == m.headline["overall"].text


def test_the_decision_and_its_words(client, result):
    d = result.decision
    assert d.form.value == "dedicated" and d.incumbent.value == ("V02",)
    if client.decision.selected_vendor == "V06":
        assert d.vendor.stated and d.quote.value == "Q06" and d.backup.stated
        assert "Why: a site visit." in result.headline.context
        assert "Evergreen CX" in result.headline.title
    else:
        assert (d.vendor.step, d.quote.step, d.backup.step) == (2, 3, 7)
    text = result.headline.title
    assert text.startswith("To meet the service targets, outsource the contact centre — "
                           "Dedicated (per seat) — to")
    q = result.pricing.tco.loc[d.quote.value]
    cheapest = result.pricing.tco.loc[["Q07"]].iloc[0]  # the lowest eligible bid
    assert f"costs {fmt(float(q['pv'] - cheapest['pv']), 'TWD')} less over the term" in text
    assert f"P(NPV > 0) = {fmt(result.roi.simulation.p_positive, '%', 0)}." in text
    links = result.tables["money"].to_html()
    assert 'href="01_sourcing_model.html"' in links and 'href="06_roi_review.html"' in links
    assert np.isfinite(result.headline["saving_vs_same_service"].value)


def test_links_are_the_reports_or_the_apps_pages(sample_client):
    with pytest.raises(InputError, match=r"'links' = '\.pdf'"):
        summary.run(sample_client, links=".pdf")


def test_a_reader_sees_names_shares_and_words_not_ids_or_code(client, result):
    """The page passes the checks of a client's page (tests/reporting/client_text.py): the
    backup option by its name (never "backup_site"), vendors by name with the id after,
    shares as "60 %" like every other share, a minus sign, not a hyphen, in words."""
    import re

    from bs4 import BeautifulSoup

    from tests.reporting.client_text import RULES

    texts = [result.headline.title, result.headline.context,
             *(f"{h.label} {h.text} {h.note}" for h in result.headline.items)]
    for name in result.tables:
        rows = BeautifulSoup(result.tables[name].to_html(), "html.parser").find_all("tr")
        texts += [" | ".join(c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"]))
                  for tr in rows]
    ids = list(client.vendors["vendor_id"])
    for text in texts:
        for rule, pattern in RULES.items():
            assert not pattern.search(text), (rule, text)
        for vid in ids:
            assert not re.search(rf"(?<![\w(+]){vid}(?!\w)", text), (vid, text)
        assert not re.search(r"\d%", text), text  # "60 %", as fmt writes every share
    rows = _rows(result, "vendor")
    chosen = result.decision.vendor.value
    assert rows["Vendor"] == f"{result.decision.names[chosen]} ({chosen})"
    backup = next(v for k, v in _rows(result, "risks").items() if k.startswith("Backup: "))
    assert backup.endswith("a year net (loss avoided − cost)")
    if client.decision.backup == "backup_site":
        assert "Backup: Jade Mountain's Taichung site on standby" in _rows(result, "risks")
