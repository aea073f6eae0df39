"""Monthly review, first part: aggregates from raw records in DuckDB, data quality."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis import review, sample
from bpo_analysis.errors import DataError, InputError

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
    got = review.aggregates(parquet, answer_within_s=T)
    want = _by_hand(records)
    assert len(got) == len(want) == 6  # two months x three channels
    for col in want.columns[3:]:
        np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy(), err_msg=col)
    answered = records[records["answer_time"].notna()]
    assert got["talk_s"].sum() == pytest.approx(answered["talk_s"].sum())
    k = review.kpi_table(got)
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
    base = review.aggregates(parquet, answer_within_s=T)
    for source in (folder, db):
        other = review.aggregates(source, answer_within_s=T)
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
    q = review.quality_counts(path).set_index("status")["records"]
    assert q["answer time before arrival"] == 1 and q["negative talk, hold or after-call time"] == 1
    assert q["CSAT outside 1-5"] == 1 and q["NPS outside 0-10"] == 1
    assert q["duplicate contact_id"] == 2
    assert q.sum() == len(bad) and q["kept"] == len(bad) - 6
    got = review.aggregates(path, answer_within_s=T)
    assert got["offered"].sum() == len(bad) - 6


def test_months_are_checked(parquet):
    jan = review.aggregates(parquet, answer_within_s=T, month="2025-01")
    assert (jan["period"] == pd.Timestamp("2025-01-01")).all()
    with pytest.raises(InputError, match="a month the records cover"):
        review.aggregates(parquet, answer_within_s=T, month="2026-10")
    for text in ("2025-13", "Oct 2025", "2025-1"):
        with pytest.raises(InputError) as err:
            review.aggregates(parquet, answer_within_s=T, month=text)
        assert err.value.argument == "month"


def test_bad_sources_and_arguments(records, parquet, tmp_path):
    with pytest.raises(DataError, match="record source not found"):
        review.aggregates(tmp_path / "none.parquet", answer_within_s=T)
    sample.write_records(records.drop(columns="csat"), tmp_path / "x.parquet")
    with pytest.raises(DataError) as err:
        review.aggregates(tmp_path / "x.parquet", answer_within_s=T)
    assert err.value.column == "csat"
    with pytest.raises(InputError) as err:
        review.aggregates(parquet, answer_within_s=T, period="fortnight")
    assert err.value.argument == "period"
    with pytest.raises(InputError) as err:
        review.aggregates(parquet, answer_within_s=T, by=("colour",))
    assert err.value.argument == "by"


def _vendor_report(agg: pd.DataFrame) -> pd.DataFrame:
    """A vendor report built from the same records: service level over answered contacts
    (a flattering definition), CSAT inflated by 5 points, the rest as the records say."""
    from bpo_analysis import kpis

    return pd.DataFrame({
        "month": pd.PeriodIndex(agg["period"], freq="M").astype(str),
        "vendor_id": agg["vendor_id"], "channel": agg["channel"],
        "service_level": kpis.compute(agg, "service_level", "answered"),
        "abandon_rate": kpis.compute(agg, "abandon_rate") + 0.001,
        "asa_s": kpis.compute(agg, "asa"), "aht_s": kpis.compute(agg, "aht"),
        "fcr": kpis.compute(agg, "fcr"), "csat": kpis.compute(agg, "csat") + 0.05,
        "nps": kpis.compute(agg, "nps"), "qa_score": kpis.compute(agg, "qa_score")})


def test_reconciliation_finds_the_definition_and_the_inflated_figure(parquet):
    agg = review.aggregates(parquet, answer_within_s=T)
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
    agg = review.aggregates(parquet, answer_within_s=T)
    report = _vendor_report(agg)
    with pytest.raises(DataError) as err:
        review.reconcile(agg, report.drop(columns="fcr"))
    assert err.value.column == "fcr"
    with pytest.raises(InputError, match="no month, vendor and channel in common"):
        review.reconcile(agg, report.assign(month="2030-01"))


def test_qa_sample_sizes_are_cochrans():
    # 95 %, +-5 %, p = 0.5: 384.16 -> 385 for a large population; 278 of 1,000 and 80 of
    # 100 with the finite-population correction; 99 % and +-3 %: 1,844
    assert review.qa_sample_size([10**9, 1000, 100, 0]).tolist() == [385, 278, 80, 0]
    assert int(review.qa_sample_size(10**9, margin=0.03, confidence=0.99)) == 1844
    for kwargs, argument in (({"margin": 0}, "margin"), ({"confidence": 1.0}, "confidence"),
                             ({"proportion": 1.2}, "proportion")):
        with pytest.raises(InputError) as err:
            review.qa_sample_size(100, **kwargs)
        assert err.value.argument == argument


def test_qa_sample_list_is_reproducible_and_sized(records, parquet):
    plan, chosen = review.qa_sample(parquet, "2025-01", by=("queue",), seed=7)
    jan = records[(records["arrival_time"] < "2025-02-01") & records["answer_time"].notna()]
    assert plan.set_index("queue")["handled"].to_dict() == jan.groupby("queue").size().to_dict()
    assert (chosen.groupby("queue").size() == plan.set_index("queue")["audit"]).all()
    assert set(chosen["contact_id"]) <= set(jan["contact_id"])  # handled contacts only
    again = review.qa_sample(parquet, "2025-01", by=("queue",), seed=7)[1]
    other = review.qa_sample(parquet, "2025-01", by=("queue",), seed=8)[1]
    assert chosen.equals(again) and not chosen.equals(other)
    with pytest.raises(InputError, match="handled contacts"):
        review.qa_sample(parquet, "2027-01")
