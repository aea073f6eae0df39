"""The monthly review of one vendor and month, end to end on the sample vendor's records,
and each kind of bad input the review must name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import sla
from bpo_analysis.data.client import read_sla
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.review import calc as review
from bpo_analysis.steps.review import step as review_step
from bpo_analysis.steps.review import views as rv

SHARES = {"voice": 0.12, "chat": 0.18}


@pytest.fixture(scope="module")
def december(sample_client, v02_records):
    return review_step.review_month(sample_client, v02_records, "2025-12", "V02", shares=SHARES)


def test_credits_are_the_contract_rules_on_the_recomputed_kpis(sample_client, december):
    terms = sample_client.sla
    variants = {k: t.variant for k, t in terms.kpis.items() if t.variant}
    values = review.month_kpis(december.monthly, list(terms.kpis), variants)
    invoice = sample_client.vendor_reports.assign(
        month=pd.PeriodIndex(sample_client.vendor_reports["month"], freq="M")).groupby(
        "month")["invoice_amount"].sum()
    _, months = sla.monthly_credits(values, terms, invoice)
    pd.testing.assert_frame_equal(december.credit_months, months)
    assert december.credits["net"] == months.loc[pd.Period("2025-12", "M"), "net"] > 0
    # the abandonment term uses the contract's variant (excluding short abandons)
    m = december.monthly.loc[pd.Period("2025-12", "M")]
    assert december.kpis.loc[pd.Period("2025-12", "M"), "abandon_rate"] == pytest.approx(
        (m["abandoned"] - m["abandoned_short"]) / (m["offered"] - m["abandoned_short"]))


def test_scorecard_reconciliation_and_qa_of_the_month(sample_client, december):
    card = december.scorecard.set_index("kpi")
    reported, _ = sla.report_kpis(sample_client.vendor_reports, "V02")
    dec = pd.Period("2025-12", "M")
    assert card.loc["service_level", "reported"] == pytest.approx(
        reported.loc[dec, "service_level"])
    assert card.loc["service_level", "value"] < card.loc["service_level", "reported"] - 0.03
    assert card.loc["csat", "status"] == "red"  # below the 0.80 minimum in the ramp-up
    rec = december.reconciliation
    sl = rec[rec["kpi"] == "service_level"]
    assert len(sl) == 48 and sl["explained"].all() and (sl["best_variant"] == "answered").all()
    assert not rec[rec["kpi"] != "service_level"]["flagged"].any()
    assert rec["month"].max() == "2025-12"
    assert december.qa_plan["handled"].sum() == december.monthly.loc[dec, "handled"]
    assert len(december.qa_list) == december.qa_plan["audit"].sum()
    h = rv.headlines(december, "TWD")
    assert h["net_credits"].value == december.credits["net"]
    assert h["kpis_red"].value == (card["status"] == "red").sum()
    assert "2 reported figure(s) computed with another definition" in h.title


def test_a_short_history_still_reviews_the_month(sample_client, v02_records):
    first = v02_records[v02_records["arrival_time"] < "2024-03-01"]
    res = review_step.review_month(sample_client, first, "2024-02", "V02", shares=SHARES)
    assert list(res.monthly.index.astype(str)) == ["2024-01", "2024-02"]
    assert res.charts == {} and res.alerts.empty  # too short for control limits
    assert np.isfinite(res.credits["net"])
    assert "too few months" in rv.headlines(res, "TWD")["alerts_worse"].note
    from bpo_analysis.steps.review import charts as review_charts

    fig = review_charts.control_charts(res.charts, res.alerts, res.month)  # says why, no crash
    assert "Too few months" in fig.layout.annotations[0].text


def test_bad_months_vendors_gaps_and_reports_are_named(sample_client, v02_records):
    def run(records=v02_records, month="2025-12", vendor="V02", **kw):
        kw.setdefault("shares", SHARES)
        return review_step.review_month(sample_client, records, month, vendor, **kw)

    for month in ("2025-13", "Dec 2025", "2025-1"):
        with pytest.raises(InputError) as err:
            run(month=month)
        assert err.value.argument == "month"
    with pytest.raises(InputError, match=r"2024-01 to 2025-12"):
        run(month="2026-10")  # a month with no records
    with pytest.raises(InputError) as err:
        run(vendor="V07")
    assert err.value.argument == "vendor_id" and "V02" in str(err.value)
    gap = v02_records[v02_records["arrival_time"].dt.strftime("%Y-%m") != "2025-03"]
    with pytest.raises(DataError, match="no records of V02 in 2025-03"):
        run(records=gap)
    reports = sample_client.vendor_reports
    with pytest.raises(DataError) as err:
        run(reports=reports.drop(columns="fcr"))  # a vendor report missing a KPI
    assert err.value.column == "fcr"
    with pytest.raises(DataError, match="no report row of V02 for chat in 2025-12"):
        run(reports=reports[reports["month"] != "2025-12"])  # no report, no invoice
    with pytest.raises(InputError) as err:
        run(baseline_months=24)
    assert err.value.argument == "baseline_months"
    with pytest.raises(InputError) as err:
        run(shares={"voice": 0.12})
    assert err.value.argument == "shares" and "'chat'" in str(err.value)


@pytest.mark.parametrize("change, phrase, column", [
    (lambda r: pd.concat([r, r.tail(1)]), "a row twice", "month,vendor_id,channel"),
    (lambda r: r.assign(invoice_amount=r["invoice_amount"].where(r["month"] != "2025-06")),
     "an empty value", "invoice_amount"),
    (lambda r: r[~((r["month"] == "2025-11") & (r["channel"] == "chat"))],
     "no report row of V02 for chat in 2025-11", "month,channel"),
])
def test_a_vendor_report_with_a_gap_or_a_double_row_is_refused(sample_client, v02_records,
                                                               change, phrase, column):
    reports = change(sample_client.vendor_reports)
    with pytest.raises(DataError, match=phrase) as err:
        review_step.review_month(sample_client, v02_records, "2025-12", "V02", shares=SHARES,
                        reports=reports)
    assert err.value.column == column


def test_bad_records_are_counted_in_the_month_and_left_out(sample_client, v02_records):
    bad = v02_records.copy()
    dec = np.flatnonzero(bad["arrival_time"] >= "2025-12-01")[:4]
    bad.loc[dec[0], "answer_time"] = bad.loc[dec[0], "arrival_time"] - pd.Timedelta("1s")
    bad.loc[dec[0], "abandon_time"] = pd.NaT
    bad.loc[dec[1], "hold_s"] = -1.0
    bad["csat"] = bad["csat"].astype(float)
    bad.loc[dec[2], "csat"] = 0
    bad.loc[dec[3], "contact_id"] = bad.loc[dec[2], "contact_id"]  # a duplicate id
    res = review_step.review_month(sample_client, bad, "2025-12", "V02", shares=SHARES)
    q = res.quality.set_index("status")["records"]
    assert q["duplicate contact_id"] == 2 and q["negative talk, hold or after-call time"] == 1
    assert q["answer time before arrival"] == 1 and "CSAT outside 1-5" not in q.index
    assert res.monthly["offered"].iloc[-1] == q["kept"]
    assert rv.headlines(res, "TWD")["records_excluded"].value == 4


def test_a_sla_file_is_checked_against_the_kpi_dictionary(tmp_path):
    from tests.conftest import SAMPLE

    path = tmp_path / "sla.yaml"
    path.write_text((SAMPLE / "sla.yaml").read_text().replace("variant: excl_short",
                                                              "variant: net"))
    with pytest.raises(DataError) as err:
        read_sla(path)
    assert err.value.column == "kpis.abandon_rate.variant" and err.value.value == "net"
    assert read_sla(SAMPLE / "sla.yaml").kpis["abandon_rate"].variant == "excl_short"
