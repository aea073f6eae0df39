"""Knock-outs (core.eligibility): the sample's vendors knocked out by criterion, rule and
value; fewer than two vendors left is an error; every rule reads in words (issue 23)."""

from __future__ import annotations

import dataclasses

import pytest

from bpo_analysis.core import eligibility, quotes
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import use_language


@pytest.fixture(scope="module")
def prices(sample_client):
    return quotes.vendor_prices(sample_client)


def test_knock_outs_of_the_sample(sample_client, prices):
    ko = eligibility.knock_out(sample_client, prices)
    out = ko[~ko["passed"]].set_index("vendor_id")
    assert out["criterion"].to_dict() == {"V04": "attrition", "V05": "iso27001",
                                          "V03": "backup_site"}
    assert out.loc["V04", "rule"] == "Agent attrition: at most 45 %"
    assert out.loc["V04", "value"] == 0.48
    assert out.loc["V05", "rule"] == "ISO 27001 certified: required"
    assert out.loc["V03", "rule"] == "Backup site: required"
    assert eligibility.survivors(ko, sample_client.vendors["vendor_id"]) == ["V01", "V02", "V06"]


def test_fewer_than_two_vendors_left_is_an_error(sample_client, prices):
    strict = [c.model_copy(update={"knock_out": c.knock_out.model_copy(update={"value": 0.2})})
              if c.id == "attrition" else c for c in sample_client.criteria.criteria]
    client = dataclasses.replace(sample_client, criteria=sample_client.criteria.model_copy(
        update={"criteria": strict}))
    ko = eligibility.knock_out(client, prices)
    with pytest.raises(InputError, match="at least 2 vendors"):
        eligibility.survivors(ko, client.vendors["vendor_id"])


# ---------------------------------------------------------------- issue 23: rules in words
@pytest.mark.parametrize("name, op, limit, unit, said", [
    ("ISO 27001 certified", "==", True, "yes/no", "ISO 27001 certified: required"),
    ("Backup site", "!=", False, "yes/no", "Backup site: required"),
    ("Offshore subcontracting", "==", False, "yes/no", "Offshore subcontracting: not allowed"),
    ("Agent attrition", "<=", 0.45, "share per year", "Agent attrition: at most 45 %"),
    ("Pilot CSAT", ">", 0.825, "share of 4-5 answers", "Pilot CSAT: above 82.5 %"),
    ("Seats available", ">=", 1200, "seats", "Seats available: at least 1,200 seats"),
    ("Cost per contact", "<", 80.5, "TWD per contact", "Cost per contact: below 80.5 TWD per "
                                                        "contact"),
    ("Recruiting pool at the site", "!=", 1, "score 1-5",
     "Recruiting pool at the site: anything but 1 score 1-5"),
    ("Country", "==", "TW", "", "Country: TW"),
])
def test_a_rule_reads_in_words(name, op, limit, unit, said):
    text = eligibility.rule_text(name, op, limit, unit)
    assert text == said
    assert not any(code in text for code in ("==", "!=", "<=", ">=", "<", ">"))


def test_every_rule_of_both_clients_reads_without_code(sample_client, prices):
    from bpo_analysis.data.client import load_client

    hk = load_client("data/hk_health")
    for client, p in ((sample_client, prices), (hk, quotes.vendor_prices(hk))):
        for rule in eligibility.knock_out(client, p)["rule"].unique():
            assert ":" in rule or rule.startswith("Serves "), rule
            assert not any(c in rule for c in ("=", "<", ">", "_")), rule


@pytest.mark.parametrize("value, unit, shown", [
    (True, "yes/no", "yes"), (False, "yes/no", "no"), (0.41, "share per year", "41 %"),
    (0.125, "share", "12.5 %"), (12_000, "seats", "12,000 seats"), (3.5, "", "3.5"),
    (float("nan"), "share", "-"), (None, "", "-"), (-0.00001, "share", "0 %"),  # never "-0"
])
def test_values_read_in_their_unit(value, unit, shown):
    assert eligibility.show_value(value, unit) == shown


def test_languages_read_by_name_in_the_report_language():
    assert eligibility.languages_text("zh-Hant; en; nan") == (
        "Chinese (Traditional), English, Min Nan Chinese")  # "nan" is Min Nan, not a number
    assert eligibility.languages_text(["yue", "ZH-hant", "tl", "cmn"]) == (
        "Cantonese, Chinese (Traditional), Tagalog, Mandarin Chinese")
    assert eligibility.language_name("xx-Qqqq") == "xx-Qqqq"  # unknown: as written
    assert eligibility.languages_text(None) == "-"
    with use_language("zh-Hant"):
        assert eligibility.languages_text("zh-Hant; en; nan; yue") == "繁體中文、英文、閩南語、粵語"
