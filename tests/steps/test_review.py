"""Step 5 (steps.review): reconciliation with the vendor's reports, control charts and
alerts, the scorecard and the volume against the forecast; then one vendor and month
reviewed end to end on the sample vendor's records, and each kind of bad input the review
must name. The raw records' aggregates and quality counts (data.records) are tested in
tests/data/test_records.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import sla, sla_lines
from bpo_analysis.data import kpis
from bpo_analysis.data import records as raw_records
from bpo_analysis.data.client import read_sla
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.i18n import term
from bpo_analysis.steps.review import calc as review
from bpo_analysis.steps.review import control
from bpo_analysis.steps.review import step as review_step
from bpo_analysis.steps.review import views as rv

T = {"voice": 20.0, "chat": 60.0, "email": 86_400.0}
SHARES = {"voice": 0.12, "chat": 0.18}


def _vendor_report(agg: pd.DataFrame) -> pd.DataFrame:
    """A vendor report built from the same records: service level over answered contacts
    (a flattering definition), CSAT inflated by 5 points, the rest as the records say."""
    from bpo_analysis.data import kpis

    return pd.DataFrame({
        "month": pd.PeriodIndex(agg["period"], freq="M").astype(str),
        "vendor_id": agg["vendor_id"], "channel": agg["channel"],
        "service_level": kpis.compute(agg, "service_level", "answered"),
        "abandon_rate": kpis.compute(agg, "abandon_rate") + 0.001,
        "asa_s": kpis.compute(agg, "asa"), "aht_s": kpis.compute(agg, "aht"),
        "fcr": kpis.compute(agg, "fcr"), "csat": kpis.compute(agg, "csat") + 0.05,
        "nps": kpis.compute(agg, "nps"), "qa_score": kpis.compute(agg, "qa_score")})


def test_reconciliation_finds_the_definition_and_the_inflated_figure(parquet):
    agg = raw_records.aggregates(parquet, answer_within_s=T)
    rec = review.reconcile(agg, _vendor_report(agg))
    # each KPI on the channels it applies to: no speed of answer on email, no first reply
    # on voice
    assert len(rec) == sum(agg["channel"].isin(kpis.KPIS[k].channels).sum()
                           for k in review.REPORTED)
    assert set(rec.loc[rec["kpi"] == "first_reply", "channel"]) == {"email"}
    assert "email" not in set(rec.loc[rec["kpi"] == "asa", "channel"])
    sl = rec[(rec["kpi"] == "service_level") & (rec["channel"] == "voice")]
    assert sl["flagged"].all() and sl["explained"].all()
    assert (sl["best_variant"] == "answered").all() and (sl["difference"] > 0).all()
    csat = rec[rec["kpi"] == "csat"]
    assert csat["flagged"].all() and not csat["explained"].any()
    assert csat["difference"].to_numpy() == pytest.approx(0.05)
    quiet = rec[rec["kpi"].isin(["abandon_rate", "aht", "fcr", "nps", "qa_score"])]
    assert not quiet["flagged"].any()  # 0.1 point off abandonment is within tolerance


def test_reconciliation_input_errors(parquet):
    agg = raw_records.aggregates(parquet, answer_within_s=T)
    report = _vendor_report(agg)
    with pytest.raises(DataError) as err:
        review.reconcile(agg, report.drop(columns="fcr"))
    assert err.value.column == "fcr"
    with pytest.raises(InputError, match="no month, vendor and channel in common"):
        review.reconcile(agg, report.assign(month=report["month"].str.replace("2025", "2030")))


# ---------------------------------------------------------------- control charts
def test_control_limits_reproduce_montgomerys_examples():
    # p-chart, orange-juice cans (Montgomery, Introduction to SQC, Example 7.1):
    # p = 0.2313, n = 50 -> LCL 0.0524, UCL 0.4102
    c, lo, hi = control.control_limits("p", np.array([0.2313]), np.array([50]))
    assert (c[0], round(lo[0], 4), round(hi[0], 4)) == (pytest.approx(0.2313), 0.0524, 0.4102)
    # u-chart, nonconformities in personal computers (Example 7.3): u = 1.93, n = 5 ->
    # LCL 0.07, UCL 3.79
    c, lo, hi = control.control_limits("u", np.array([1.93]), np.array([5]))
    assert (round(lo[0], 2), round(hi[0], 2)) == (0.07, 3.79)
    # individuals chart, mortgage-loan processing costs (Example 6.5): mean 300.5,
    # mean moving range 7.79 -> LCL 279.78, UCL 321.22 (3 MR / d2, d2 = 1.128)
    c, lo, hi = control.control_limits("x", np.array([296.605, 304.395]))
    assert (c[0], round(lo[0], 2), round(hi[0], 2)) == (pytest.approx(300.5), 279.78, 321.22)


def test_laney_limits_widen_by_the_spread_of_the_z_scores():
    rng = np.random.default_rng(3)
    n = np.full(24, 8000.0)
    binomial = rng.binomial(8000, 0.8, 24) / n
    c, lo, hi = control.control_limits("p", binomial, n, laney=False)
    _, lo_l, hi_l = control.control_limits("p", binomial, n, laney=True)
    z = (binomial - c[0]) / np.sqrt(c[0] * (1 - c[0]) / n)
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    np.testing.assert_allclose(hi_l - c, (hi - c) * sigma_z)
    np.testing.assert_allclose(c - lo_l, (c - lo) * sigma_z)
    assert 0.6 < sigma_z < 1.4  # binomial months: about the plain p-chart
    shifted = binomial + rng.normal(0, 0.02, 24)  # load varies month to month
    _, lo_s, hi_s = control.control_limits("p", shifted, n, laney=True)
    assert (hi_s - lo_s)[0] > 5 * (hi - lo)[0]
    with pytest.raises(InputError) as err:
        control.control_limits("q", binomial, n)
    assert err.value.argument == "kind"
    with pytest.raises(InputError) as err:
        control.control_limits("x", binomial, baseline=30)
    assert err.value.argument == "baseline"


def _monthly(values: list[float], kpi: str = "aht") -> pd.DataFrame:
    """Monthly aggregates whose ``kpi`` (AHT from handle seconds) takes ``values``."""
    months = pd.period_range("2024-01", periods=len(values), freq="M")
    handled = np.full(len(values), 1000.0)
    return pd.DataFrame({"talk_s": np.asarray(values) * handled, "hold_s": 0.0, "acw_s": 0.0,
                         "handled": handled}, index=months)


def test_control_chart_signals_say_which_rule_and_since_when():
    base = [300, 304, 298, 302, 299, 301, 303, 297, 300, 302, 298, 299]
    chart = control.control_chart(_monthly([*base, 301, 312, 330]), "aht", baseline=12)
    assert chart["rule"].iloc[:13].eq("").all() and chart["signal"].iloc[:13].eq("").all()
    assert chart["rule"].iloc[-1] == "beyond limit" and chart["worse"].iloc[-1]
    assert chart["signal"].iloc[-1] == "beyond a control limit"  # as a reader reads it
    assert chart["since"].iloc[-1] == pd.Period("2025-01", "M")  # above the centre since
    run = control.control_chart(_monthly(base + [300.5] * 8), "aht", baseline=12)
    assert run["rule"].iloc[-1] == "run of 8" and run["rule"].iloc[-2] == ""
    assert run["signal"].iloc[-1] == "8 months in a row on one side of the centre line"
    trend = control.control_chart(_monthly([*base, 299, 299.5, 300, 300.5, 301, 301.5]),
                                 "aht", baseline=12)
    assert trend["rule"].iloc[-1] == "trend of 6" and trend["worse"].iloc[-1]
    falling = control.control_chart(_monthly([*base, 303, 302.5, 302, 301.5, 301, 300.5]),
                                   "aht", baseline=12)
    assert falling["rule"].iloc[-1] == "trend of 6" and not falling["worse"].iloc[-1]
    assert falling["signal"].iloc[-1] == "6 months in a row rising or falling"
    assert falling["since"].iloc[-1] == pd.Period("2025-01", "M")  # the trend's first month
    text = control.alerts(_monthly([*base, 303, 302.5, 302, 301.5, 301, 300.5]), ["aht"],
                         baseline=12, month="2025-06")["text"].iloc[0]
    # above the centre line but falling: said as it is
    assert text.startswith("Average handle time fell to 300.5 s in Jun 2025") and \
        "6 months in a row falling" in text and text.endswith("falling since Jan 2025")
    with pytest.raises(InputError) as err:
        control.control_chart(_monthly(base), "occupancy")
    assert err.value.argument == "kpi"


@pytest.fixture(scope="module")
def v02_monthly(v02_records):
    agg = raw_records.aggregates(v02_records, answer_within_s=T, vendor="V02")
    return agg, review.monthly(agg)


def test_monthly_totals_equal_the_channel_rows(v02_monthly):
    agg, m = v02_monthly
    assert len(m) == 24 and m.index[0] == pd.Period("2024-01", "M")
    for col in ("offered", "answered_within_t", "repeat_7d", "csat_sum", "wait_s"):
        assert m[col].sum() == pytest.approx(agg[col].sum())
    k = review.month_kpis(m, ["service_level", "abandon_rate"],
                          {"service_level": "answered"})
    assert k["service_level"].iloc[0] == pytest.approx(
        m["answered_within_t"].iloc[0] / m["answered"].iloc[0])


def test_alerts_find_the_recall_and_the_ramp_up_in_the_sample(v02_monthly):
    _, m = v02_monthly
    dec = control.alerts(m, baseline=12, month="2025-12").set_index("kpi")
    for k in ("csat", "fcr", "nps", "qa_score", "aht"):
        assert dec.loc[k, "worse"], k
    assert dec.loc["csat", "since"] == pd.Period("2025-11", "M")
    assert dec.loc["csat", "change"] < -0.05
    assert dec.loc["csat", "text"].startswith("Customer satisfaction fell to 79.")
    assert dec.loc["csat", "text"].endswith("on this side of the centre since Nov 2025")
    aug = control.alerts(m, ["complaint_rate"], baseline=12, month="2025-08")
    assert len(aug) == 1 and aug["worse"].iloc[0] and "rose to" in aug["text"].iloc[0]
    assert control.alerts(m, baseline=12, month="2025-03").query("worse").empty


def test_scorecard_colours(sample_client):
    terms = sample_client.sla  # service level: target 0.80, minimum 0.72 (higher is better)
    values = pd.Series({"service_level": 0.81, "abandon_rate": 0.06, "fcr": 0.70,
                        "csat": np.nan, "aht": 300.0})
    card = review.scorecard(values, terms, pd.Series({"service_level": 0.9})).set_index("kpi")
    assert card["status"].to_dict() == {"service_level": "green", "abandon_rate": "amber",
                                        "fcr": "red", "csat": "no data", "aht": "no term"}
    assert card.loc["service_level", "reported"] == 0.9
    assert np.isnan(card.loc["fcr", "reported"])


def test_volume_against_forecast_by_hand(sample_client, v02_monthly):
    agg, _ = v02_monthly
    v = review.volume_vs_forecast(agg, sample_client.demand, {"voice": 0.12, "chat": 0.18},
                                  0.06)
    d = sample_client.demand
    june = d[(d["interval_start"].dt.month == 6) & (d["channel"] == "voice")]["contacts"].sum()
    row = v[(v["month"] == "2024-06") & (v["channel"] == "voice")].iloc[0]
    assert row["forecast"] == pytest.approx(june * 0.12 / 1.06)
    assert row["ratio"] == pytest.approx(row["actual"] / row["forecast"] - 1)
    assert v["ratio"].abs().max() < 0.06  # the sample vendor's volume follows the demand
    no_share = review.volume_vs_forecast(agg, sample_client.demand, {"voice": 0.12})
    assert no_share.loc[no_share["channel"] == "chat", "forecast"].isna().all()
    with pytest.raises(InputError) as err:
        review.volume_vs_forecast(agg, sample_client.demand, {"voice": 1.5})
    assert err.value.argument == "shares['voice']"


def test_a_kpi_the_vendor_left_empty_is_flagged_as_not_reported(parquet):
    agg = raw_records.aggregates(parquet, answer_within_s=T)
    report = _vendor_report(agg)
    report.loc[0, "fcr"] = np.nan
    rec = review.reconcile(agg, report)
    row = rec[(rec["kpi"] == "fcr") & (rec["month"] == report.loc[0, "month"])
              & (rec["channel"] == report.loc[0, "channel"])].iloc[0]
    assert row["flagged"] and not row["explained"] and np.isnan(row["reported"])


def test_reconciliation_against_the_agreed_definition(parquet):
    agg = raw_records.aggregates(parquet, answer_within_s=T)
    report = _vendor_report(agg)
    agreed = review.reconcile(agg, report, variants={"service_level": "answered"})
    sl = agreed[agreed["kpi"] == "service_level"]
    assert (sl["definition"] == "answered").all() and not sl["flagged"].any()
    with pytest.raises(InputError) as err:
        review.reconcile(agg, report, variants={"asa": "incl_ring"})  # no ring times
    assert err.value.argument == "variant of asa" and "ring_s" in str(err.value)


# ---------------------------------------------------------------- one month reviewed end to end
@pytest.fixture(scope="module")
def december(sample_client, v02_records):
    return review_step.review_month(sample_client, v02_records, "2025-12", "V02", shares=SHARES)


def test_credits_are_the_contract_rules_on_each_channel_recomputed(sample_client, december):
    terms = sample_client.sla
    variants = {k: t.variant for k, t in terms.kpis.items() if t.variant}
    agg = december.by_channel
    values = pd.DataFrame({
        f"{k}@{ch}": review.month_kpis(review.monthly(agg[agg["channel"] == ch]), [k],
                                       variants)[k]
        for k in terms.kpis for ch in ("voice", "chat")})
    reports = sample_client.vendor_reports
    invoice = reports.assign(month=pd.PeriodIndex(reports["month"], freq="M")).pivot_table(
        index="month", columns="channel", values="invoice_amount")[["voice", "chat"]]
    _, months = sla.monthly_credits(values, terms, invoice)
    pd.testing.assert_frame_equal(december.credit_months, months, check_names=False)
    assert december.credits["net"] == months.loc[pd.Period("2025-12", "M"), "net"] > 0
    # the abandonment term uses the contract's variant (excluding short abandons), on
    # the voice records alone
    dec = pd.Period("2025-12", "M")
    m = agg[(pd.PeriodIndex(agg["period"], freq="M") == dec) & (agg["channel"] == "voice")]
    m = m.sum(numeric_only=True)
    assert december.kpis.loc[dec, "abandon_rate@voice"] == pytest.approx(
        (m["abandoned"] - m["abandoned_short"]) / (m["offered"] - m["abandoned_short"]))


def test_scorecard_reconciliation_and_qa_of_the_month(sample_client, december):
    card = december.scorecard.set_index("kpi")
    reported, _ = sla_lines.report_values(sample_client.vendor_reports, "V02")
    dec = pd.Period("2025-12", "M")
    for line in ("service_level@voice", "service_level@chat"):
        assert card.loc[line, "reported"] == reported.loc[dec, line]
        assert card.loc[line, "value"] < card.loc[line, "reported"] - 0.03
    assert card.loc["csat@voice", "status"] == "red"  # below the 0.80 minimum in the ramp-up
    assert card.loc["asa@voice", "status"] == "no term"  # watched, not in the contract
    rec = december.reconciliation
    sl = rec[rec["kpi"] == "service_level"]
    assert len(sl) == 48 and sl["explained"].all() and (sl["best_variant"] == "answered").all()
    assert not rec[rec["kpi"] != "service_level"]["flagged"].any()
    assert rec["month"].max() == "2025-12"
    assert december.qa_plan["handled"].sum() == december.monthly.loc[dec, "handled"]
    assert len(december.qa_list) == december.qa_plan["audit"].sum()
    h = rv.headlines(december, "TWD")
    assert h["service_level"].value == card.loc["service_level@voice", "value"]
    assert h["net_credits"].value == december.credits["net"]
    assert h["kpis_red"].value == (card["status"] == "red").sum()
    assert h.title == (
        "Harbor Contact Services (V02) in December 2025: 4 KPIs below the contract minimum, "
        f"{december.credits['net']:,.0f} TWD owed in credits. 2 reported figures follow "
        "another definition than the contract's; the records support the others.")


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
    undated = np.flatnonzero(bad["arrival_time"] < "2025-11-01")[:2]
    bad.loc[undated, "arrival_time"] = pd.NaT  # in no month: counted in December's table too
    res = review_step.review_month(sample_client, bad, "2025-12", "V02", shares=SHARES)
    q = res.quality.set_index("status")["records"]
    assert q["duplicate contact_id"] == 2 and q["negative talk, hold or after-call time"] == 1
    assert q["answer time before arrival"] == 1 and "CSAT outside 1-5" not in q.index
    assert q["no arrival time"] == 2
    assert res.monthly["offered"].iloc[-1] == q["kept"]
    assert rv.headlines(res, "TWD")["records_excluded"].value == 6
    shown = rv.quality_view(res).data.set_index(term("records"))
    assert shown.loc["no arrival time", term("share (%)")] == pytest.approx(2 / q.sum())
    # the reasons as a reader reads them: no field name
    assert shown.loc["contact ID given twice", term("count (records)")] == 2


def test_records_exported_in_utc_with_text_ids_review_as_local_time(sample_client, v02_records,
                                                                    december, tmp_path):
    # a system exporting instants in UTC and contact ids as text: the same month, in Taipei
    # time, and the data-quality table says the times were converted
    utc = v02_records.assign(
        contact_id="C" + v02_records["contact_id"].astype(str),
        **{c: v02_records[c].dt.tz_localize("Asia/Taipei").dt.tz_convert("UTC")
           for c in ("arrival_time", "answer_time", "abandon_time")})
    res = review_step.review_month(sample_client, utc, "2025-12", "V02", shares=SHARES)
    pd.testing.assert_frame_equal(res.monthly, december.monthly, check_dtype=False)
    assert res.credits["net"] == pytest.approx(december.credits["net"])
    q = res.quality.set_index("status")
    dec = december.quality.set_index("status")
    assert q.loc["kept", "records"] == dec.loc["kept", "records"]
    assert q.loc["times converted from UTC to Asia/Taipei", "records"] == \
        dec["records"].sum()
    assert q.loc["times converted from UTC to Asia/Taipei", "kind"] == "converted"
    assert rv.headlines(res, "TWD")["records_excluded"].value == \
        rv.headlines(december, "TWD")["records_excluded"].value
    table = rv.quality_view(res).to_html()
    assert "times converted from UTC to Asia/Taipei" in table and "100.00%" in table
    # the audit list: the same contacts' local arrival times, ids as the export wrote them
    assert res.qa_plan.equals(december.qa_plan)
    assert res.qa_list["contact_id"].str.match(r"C\d+$").all()
    assert sorted(res.qa_list["arrival_time"].dt.strftime("%H:%M:%S")) == \
        sorted(v02_records.set_index("contact_id").loc[
            res.qa_list["contact_id"].str[1:].astype(int), "arrival_time"]
            .dt.strftime("%H:%M:%S"))
    listed = rv.qa_view(res)[1].to_html()
    assert res.qa_list["contact_id"].iloc[0] in listed
    written = rv.write_qa_list(res, tmp_path / "qa.csv").read_text()
    assert written.splitlines()[1].startswith("C")


def test_a_sla_file_is_checked_against_the_kpi_dictionary(tmp_path):
    from tests.conftest import SAMPLE

    path = tmp_path / "sla.yaml"
    path.write_text((SAMPLE / "sla.yaml").read_text().replace("variant: excl_short",
                                                              "variant: net"))
    with pytest.raises(DataError) as err:
        read_sla(path)
    assert err.value.column == "kpis.abandon_rate.variant" and err.value.value == "net"
    assert read_sla(SAMPLE / "sla.yaml").kpis["abandon_rate"].variant == "excl_short"


def test_records_default_to_the_client_folders_records(folder):
    from bpo_analysis.data.client import load_client

    client = load_client(folder)  # a copy without the generated records/
    with pytest.raises(DataError, match=r"client/records: no raw interaction records in the "
                                        r"client folder"):
        review_step.run(client, month="2025-12")


def test_forecast_shares_default_to_the_incumbents_reports(sample_client):
    shares = review_step.shares_from_reports(sample_client, "V02")
    r = sample_client.vendor_reports.query("vendor_id == 'V02' and month >= '2025-01'")
    d = sample_client.demand.groupby("channel", observed=True)["contacts"].sum()
    offered = r.groupby("channel")["contacts_offered"].sum()
    assert shares == pytest.approx({c: offered[c] / d[c] for c in ("voice", "chat")})
    assert set(shares) == {"voice", "chat"}  # V02 answers no email
    with pytest.raises(InputError, match=r"'forecast_shares'.*share no month"):
        review_step.shares_from_reports(sample_client, "V01")
