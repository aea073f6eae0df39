"""Step 5 as a client reads it: the headline sentence, the vendor by name, a time as long as
an email's first reply in hours, the data-quality reasons, the credit rules, the control
chart's signals and the QA tables in business words -- for both bundled clients."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from bpo_analysis.data.record_source import RULES as LEFT_OUT
from bpo_analysis.i18n import term
from bpo_analysis.steps.review import display
from bpo_analysis.steps.review import step as review_step
from bpo_analysis.steps.review import views as rv
from tests.reporting.client_text import problems

SHARES = {"voice": 0.12, "chat": 0.18}


@pytest.fixture(scope="module")
def december(sample_client, v02_records):
    return review_step.review_month(sample_client, v02_records, "2025-12", "V02",
                                    shares=SHARES)


@pytest.fixture(scope="module")
def hk_december(hk_client, h03_records):
    shares = review_step.shares_from_reports(hk_client, "H03")
    return review_step.review_month(hk_client, h03_records, "2025-12", "H03", shares=shares)


def _page(res) -> str:
    """The headline and every table of a review, as the report shows them (HTML)."""
    return res.headline._repr_html_() + "".join(
        res.tables[name].to_html() for name in res.tables)


@pytest.mark.parametrize("name, vendors", [("december", ["V01", "V02", "V03"]),
                                           ("hk_december", ["H01", "H02", "H03"])])
def test_no_developer_text_in_the_headline_and_tables(name, vendors, request):
    res = request.getfixturevalue(name)
    assert problems(_page(res), vendors) == []


def test_the_headline_names_the_vendor_and_counts_in_words(december):
    assert december.vendor == "Harbor Contact Services (V02)"
    one = rv.title(december, 1, 1_234.0, "TWD")
    assert one.startswith("Harbor Contact Services (V02) in December 2025: 1 KPI below the "
                          "contract minimum, 1,234 TWD owed in credits. ")
    assert rv.title(december, 0, 0.0, "TWD").startswith(
        "Harbor Contact Services (V02) in December 2025: no KPI below the contract minimum")
    flagged = december.reconciliation.assign(flagged=False)  # the vendor's figures all hold
    clean = dataclasses.replace(december, reconciliation=flagged)
    assert rv.title(clean, 4, 0.0, "TWD").endswith(
        "Every reported figure matches the records.")
    unsupported = december.reconciliation.assign(explained=False)  # none explained
    worse = dataclasses.replace(december, reconciliation=unsupported)
    assert rv.title(worse, 4, 0.0, "TWD").endswith(
        "2 reported figures are not supported by the records.")


def test_an_emails_first_reply_reads_in_hours(hk_december):
    card = rv.scorecard_view(hk_december).data.set_index(term("KPI"))
    row = card.loc["Time to first reply (email)"]
    assert row[term("target")] == "24.0 h" and row[term("minimum")] == "32.0 h"
    assert re.fullmatch(r"\d+\.\d h", row[term("recomputed")])
    value = hk_december.scorecard.set_index("kpi").loc["first_reply@email", "value"]
    assert row[term("recomputed")] == f"{value / 3600:.1f} h"
    assert card.loc["Average handle time (email)", term("recomputed")].endswith(" s")
    text = hk_december.month_alerts.set_index("kpi").loc["first_reply", "text"]
    assert " h in Dec 2025 from a centre of " in text and not re.search(r"\d s\b", text)


def test_data_quality_reasons_credit_rules_and_qa_tables_in_business_words(december):
    assert set(display.REASONS) >= {"kept", *(reason for reason, _sql in LEFT_OUT)}
    assert display.quality_status("duplicate contact_id") == "contact ID given twice"
    rules = set(rv.credits_view(december, "TWD").data[term("rule that fired")])
    assert rules == {"below the minimum", "target missed in 2 of the last 3 months", "-"}
    plan = rv.qa_view(december)[0].data
    assert list(plan.columns[:1]) == ["queue"]
    listed = rv.qa_view(december)[1].data
    assert list(listed.columns) == ["contact ID", "queue", "arrival time"]
    first = december.qa_list["arrival_time"].iloc[0]
    assert listed["arrival time"].iloc[0] == f"{first:%a %d %b %Y %H:%M}"
    assert display.group_name("queue", "policy_service") == "policy service"
    assert display.group_name("channel", "voice") == "voice"


def test_alerts_say_the_signal_and_the_months_as_words(december):
    alerts = rv.alerts_view(december).data
    assert set(alerts[term("signal")]) == {"beyond a control limit"}
    assert set(alerts[term("month")]) == {"Dec 2025"}
    assert pd.Series(alerts[term("since")]).str.fullmatch(r"[A-Z][a-z]{2} 20\d\d").all()


def test_the_whole_audit_list_is_written_and_said_in_a_sentence(december, tmp_path):
    said = rv.save_qa_list(december, tmp_path / "qa" / "audit.csv")
    assert str(said) == (f"The whole audit list ({len(december.qa_list):,} contacts) is in "
                         "audit.csv, for the QA team.")
    assert (tmp_path / "qa" / "audit.csv").read_text().startswith("contact_id,")
