"""Step 7 as a client reads it: plurals said right, vendors and quotes by name, risk
categories in words, amounts scaled with the unit in the header, and a backup card that
says when none pays for itself."""

from __future__ import annotations

import dataclasses

import pytest

from bpo_analysis.i18n import term
from bpo_analysis.steps import risk as risk_step
from bpo_analysis.steps.risk import views
from tests.reporting.client_text import problems

VENDORS = ["V01", "V02", "V03", "V04", "V05", "V06"]


@pytest.fixture(scope="module")
def res(sample_client):
    return risk_step.run(sample_client)


def _page(r) -> str:
    """The headline, the surge paragraph and every table, as the report shows them."""
    return (r.headline._repr_html_() + r.surge_text._repr_html_()
            + "".join(r.tables[name].to_html() for name in r.tables))


def test_no_developer_text_in_the_headline_and_tables(res):
    assert problems(_page(res), VENDORS) == []


@pytest.mark.parametrize("lead, said", [
    (1, "the vendor adds 8 surge seats a day after 1 day"),
    (2, "the vendor adds 8 surge seats a day after 2 days"),
    (0, "the vendor adds 8 surge seats a day from the first day")])
def test_the_ramp_is_said_with_its_plural(res, lead, said):
    r = dataclasses.replace(res, surge=dataclasses.replace(res.surge, lead_days=lead))
    assert r.headline["surge_seats_needed"].note == said
    assert str(r.surge_text).endswith(f"(30 minutes); {said}.")
    assert f"at once ({said})." in r.headline.title
    assert "(s)" not in r.headline.title + str(r.surge_text)


def test_quotes_and_vendors_are_named(res):
    assert "Cheapest to hold the target: Harbor Contact Services, per seat (Q07), " \
        "1,148,877 TWD." in res.headline.title
    assert res.headline["surge_extra_cost"].note == \
        "Jade Mountain Teleservices, per seat (Q01), as it ran"
    t = views.surge_cost_view(res).data.set_index(term("quote"))
    assert t.loc["Q01 (contracted)", term("vendor")] == "Jade Mountain Teleservices (V01)"
    assert t.loc["Q07", term("vendor")] == "Harbor Contact Services (V02)"
    # amounts in millions, the unit in the header, the same money
    assert t.loc["Q07", "holding the service level (TWD M)"] == pytest.approx(
        res.surge_costs.set_index("quote_id").loc["Q07", "hold_sla"] / 1e6)


def test_risk_categories_read_as_words(res):
    shown = dict(zip(res.register["category"],
                     views.register_view(res).data[term("category")], strict=True))
    assert shown["lock_in_exit"] == "lock-in and exit"
    assert shown["attrition_knowledge"] == "attrition and knowledge loss"
    assert shown["brand_culture"] == "brand and culture"


def test_the_backup_card_says_when_none_pays(res):
    paid = res.headline["best_backup_net"]
    assert paid.label.startswith("Best backup: Harbor Contact Services per call")
    assert paid.note == "loss avoided less its cost, a year"
    none_pays = dataclasses.replace(
        res, decision=res.decision.but(backup=None),
        options=res.options.assign(net=res.options["net"].where(
            res.options["option"] == "none", -1.0)))
    card = none_pays.headline["best_backup_net"]
    assert (card.label, card.text, card.note) == ("Best backup", "none pays for itself",
                                                  "at 3 outages a year")
    assert card.value == 0.0
