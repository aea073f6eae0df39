"""Monthly review, first part: aggregates from raw records in DuckDB, data quality."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis.data import records as raw_records
from bpo_analysis.data import sample
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.review import calc as review
from bpo_analysis.steps.review import control

T = {"voice": 20.0, "chat": 60.0, "email": 86_400.0}


@pytest.fixture(scope="module")
def records(sample_client):
    return sample.interaction_records(sample_client.demand, rows=6_000, interval_minutes=30,
                                      months=2)


@pytest.fixture(scope="module")
def parquet(records, tmp_path_factory):
    return sample.write_records(records, tmp_path_factory.mktemp("rec") / "r.parquet")


def _by_hand(r: pd.DataFrame) -> pd.DataFrame:
    """The same aggregates with pandas, row by row in the obvious way."""
    r = r.sort_values("arrival_time").copy()
    r["next"] = r.groupby("customer_id")["arrival_time"].shift(-1)
    r["month"] = r["arrival_time"].dt.to_period("M").dt.start_time
    t = r["channel"].map(T)
    wait = (r["answer_time"] - r["arrival_time"]).dt.total_seconds()
    patience = (r["abandon_time"] - r["arrival_time"]).dt.total_seconds()
    answered = r["answer_time"].notna()
    r = r.assign(offered=1, answered=answered, answered_within_t=wait <= t,
                 abandoned=r["abandon_time"].notna(), abandoned_short=patience <= 5,
                 abandoned_within_t=patience <= t,
                 repeat_7d=answered & (r["next"] <= r["arrival_time"] + pd.Timedelta("7D")),
                 csat_top2=r["csat"] >= 4, promoters=r["nps"] >= 9,
                 detractors=r["nps"] <= 6, qa_n=r["qa_score"].notna(),
                 surveyed=r["csat"].notna())
    cols = ["offered", "answered", "answered_within_t", "abandoned", "abandoned_short",
            "abandoned_within_t", "repeat_7d", "csat_top2", "promoters", "detractors",
            "qa_n", "surveyed"]
    return r.groupby(["month", "vendor_id", "channel"])[cols].sum().reset_index()


def test_duckdb_aggregates_equal_a_pandas_count(records, parquet):
    got = raw_records.aggregates(parquet, answer_within_s=T)
    want = _by_hand(records)
    assert len(got) == len(want) == 6  # two months x three channels
    for col in want.columns[3:]:
        np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy(), err_msg=col)
    answered = records[records["answer_time"].notna()]
    assert got["talk_s"].sum() == pytest.approx(answered["talk_s"].sum())
    k = raw_records.kpi_table(got)
    assert k["service_level"].iloc[0] == pytest.approx(
        got["answered_within_t"].iloc[0] / got["offered"].iloc[0])


def test_the_same_from_csv_files_and_a_duckdb_database(records, parquet, tmp_path):
    folder = tmp_path / "csv"
    half = len(records) // 2
    sample.write_records(records.iloc[:half], folder / "a.csv")
    sample.write_records(records.iloc[half:], folder / "b.csv")
    db = tmp_path / "records.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE records AS SELECT * FROM read_parquet('{parquet}')")
    base = raw_records.aggregates(parquet, answer_within_s=T)
    for source in (folder, db):
        other = raw_records.aggregates(source, answer_within_s=T)
        # counts exactly; sums of waits to the microsecond CSV keeps
        pd.testing.assert_frame_equal(other[base.columns[3:]].astype(float),
                                      base[base.columns[3:]].astype(float), rtol=1e-6)


def test_bad_rows_are_counted_by_reason_and_left_out(records, tmp_path):
    bad = records.copy()
    bad.loc[0, "answer_time"] = bad.loc[0, "arrival_time"] - pd.Timedelta("10s")
    bad.loc[1, "talk_s"] = -3.0
    bad["csat"] = bad["csat"].astype("float")
    bad.loc[2, "csat"] = 7
    bad["nps"] = bad["nps"].astype("float")
    bad.loc[3, "nps"] = 11
    dup = bad.iloc[[10]]
    bad = pd.concat([bad, dup], ignore_index=True)  # contact 10 twice: both left out
    path = sample.write_records(bad, tmp_path / "bad.parquet")
    q = raw_records.quality_counts(path).set_index("status")["records"]
    assert q["answer time before arrival"] == 1 and q["negative talk, hold or after-call time"] == 1
    assert q["CSAT outside 1-5"] == 1 and q["NPS outside 0-10"] == 1
    assert q["duplicate contact_id"] == 2
    assert q.sum() == len(bad) and q["kept"] == len(bad) - 6
    got = raw_records.aggregates(path, answer_within_s=T)
    assert got["offered"].sum() == len(bad) - 6


def test_months_are_checked(parquet):
    jan = raw_records.aggregates(parquet, answer_within_s=T, month="2025-01")
    assert (jan["period"] == pd.Timestamp("2025-01-01")).all()
    with pytest.raises(InputError, match="a month the records cover"):
        raw_records.aggregates(parquet, answer_within_s=T, month="2026-10")
    for text in ("2025-13", "Oct 2025", "2025-1"):
        with pytest.raises(InputError) as err:
            raw_records.aggregates(parquet, answer_within_s=T, month=text)
        assert err.value.argument == "month"


def test_bad_sources_and_arguments(records, parquet, tmp_path):
    with pytest.raises(DataError, match="record source not found"):
        raw_records.aggregates(tmp_path / "none.parquet", answer_within_s=T)
    sample.write_records(records.drop(columns="csat"), tmp_path / "x.parquet")
    with pytest.raises(DataError) as err:
        raw_records.aggregates(tmp_path / "x.parquet", answer_within_s=T)
    assert err.value.column == "csat"
    with pytest.raises(InputError) as err:
        raw_records.aggregates(parquet, answer_within_s=T, period="fortnight")
    assert err.value.argument == "period"
    with pytest.raises(InputError) as err:
        raw_records.aggregates(parquet, answer_within_s=T, by=("colour",))
    assert err.value.argument == "by"


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
    assert len(rec) == len(agg) * len(review.REPORTED)
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


def test_qa_sample_sizes_are_cochrans():
    # 95 %, +-5 %, p = 0.5: 384.16 -> 385 for a large population; 278 of 1,000 and 80 of
    # 100 with the finite-population correction; 99 % and +-3 %: 1,844
    assert raw_records.qa_sample_size([10**9, 1000, 100, 0]).tolist() == [385, 278, 80, 0]
    assert int(raw_records.qa_sample_size(10**9, margin=0.03, confidence=0.99)) == 1844
    for kwargs, argument in (({"margin": 0}, "margin"), ({"confidence": 1.0}, "confidence"),
                             ({"proportion": 1.2}, "proportion")):
        with pytest.raises(InputError) as err:
            raw_records.qa_sample_size(100, **kwargs)
        assert err.value.argument == argument


def test_qa_sample_list_is_reproducible_and_sized(records, parquet):
    plan, chosen = raw_records.qa_sample(parquet, "2025-01", by=("queue",), seed=7)
    jan = records[(records["arrival_time"] < "2025-02-01") & records["answer_time"].notna()]
    assert plan.set_index("queue")["handled"].to_dict() == jan.groupby("queue").size().to_dict()
    assert (chosen.groupby("queue").size() == plan.set_index("queue")["audit"]).all()
    assert set(chosen["contact_id"]) <= set(jan["contact_id"])  # handled contacts only
    again = raw_records.qa_sample(parquet, "2025-01", by=("queue",), seed=7)[1]
    other = raw_records.qa_sample(parquet, "2025-01", by=("queue",), seed=8)[1]
    assert chosen.equals(again) and not chosen.equals(other)
    with pytest.raises(InputError, match="a month the records cover"):
        raw_records.qa_sample(parquet, "2027-01")


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
    assert chart["signal"].iloc[:13].eq("").all()
    assert chart["signal"].iloc[-1] == "beyond limit" and chart["worse"].iloc[-1]
    assert chart["since"].iloc[-1] == pd.Period("2025-01", "M")  # above the centre since
    run = control.control_chart(_monthly(base + [300.5] * 8), "aht", baseline=12)
    assert run["signal"].iloc[-1] == "run of 8" and run["signal"].iloc[-2] == ""
    trend = control.control_chart(_monthly([*base, 299, 299.5, 300, 300.5, 301, 301.5]),
                                 "aht", baseline=12)
    assert trend["signal"].iloc[-1] == "trend of 6" and trend["worse"].iloc[-1]
    falling = control.control_chart(_monthly([*base, 303, 302.5, 302, 301.5, 301, 300.5]),
                                   "aht", baseline=12)
    assert falling["signal"].iloc[-1] == "trend of 6" and not falling["worse"].iloc[-1]
    assert falling["since"].iloc[-1] == pd.Period("2025-01", "M")  # the trend's first month
    text = control.alerts(_monthly([*base, 303, 302.5, 302, 301.5, 301, 300.5]), ["aht"],
                         baseline=12, month="2025-06")["text"].iloc[0]
    # above the centre line but falling: said as it is
    assert text.startswith("Average handle time fell to 300.5 s") and \
        "6 months in a row falling" in text and text.endswith("falling since 2025-01")
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
    assert "since 2025-11" in dec.loc["csat", "text"]
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


def test_more_impossible_rows_are_counted_and_null_customers_are_no_repeats(records, tmp_path):
    bad = records.copy()
    answered = np.flatnonzero(bad["answer_time"].notna())
    bad.loc[answered[0], "abandon_time"] = bad.loc[answered[0], "answer_time"]
    bad.loc[answered[1], "arrival_time"] = pd.NaT
    path = sample.write_records(bad, tmp_path / "bad.parquet")
    q = raw_records.quality_counts(path).set_index("status")["records"]
    assert q["both answered and abandoned"] == 1 and q["no arrival time"] == 1
    assert raw_records.aggregates(path, answer_within_s=T)["offered"].sum() == len(bad) - 2
    # contacts without a customer key are nobody's repeats
    anon = sample.write_records(records.assign(customer_id=None), tmp_path / "anon.parquet")
    assert raw_records.aggregates(anon, answer_within_s=T)["repeat_7d"].sum() == 0


def test_a_csv_with_a_bad_timestamp_or_a_channel_without_a_threshold(records, tmp_path):
    path = sample.write_records(records.head(50), tmp_path / "r.csv")
    lines = path.read_text().splitlines()
    cols = lines[0].split(",")
    cells = lines[5].split(",")
    cells[cols.index("arrival_time")] = "31/02/2025 10:00"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as err:
        raw_records.aggregates(path, answer_within_s=T)
    assert err.value.column == "arrival_time" and "a timestamp" in str(err.value)
    good = sample.write_records(records.head(500), tmp_path / "ok.parquet")
    with pytest.raises(InputError) as err:
        raw_records.aggregates(good, answer_within_s={"voice": 20.0, "chat": 60.0})
    assert err.value.argument == "answer_within_s" and "'email'" in str(err.value)


def test_an_unknown_vendor_is_named_with_the_ones_there(parquet):
    with pytest.raises(InputError) as err:
        raw_records.aggregates(parquet, answer_within_s=T, vendor="V09")
    assert err.value.argument == "vendor_id" and "V02" in str(err.value)
    with pytest.raises(InputError) as err:
        raw_records.quality_counts(parquet, "2025-01", vendor="V09")
    assert err.value.argument == "vendor_id"
