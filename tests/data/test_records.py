"""Raw interaction records (data.records, data.record_source): DuckDB's aggregates equal
a pandas count, every kind of source reads the same, rows left out are counted by reason,
bad sources and arguments are named, and QA samples are Cochran's and reproducible; records
as systems export them (times with a UTC offset, zone-aware Parquet, text ids) read as the
client's local time, and a bad value far down a file is named with its row (issue 22)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from bpo_analysis.data import record_source, sample
from bpo_analysis.data import records as raw_records
from bpo_analysis.errors import DataError, InputError

T = {"voice": 20.0, "chat": 60.0, "email": 86_400.0}


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
    assert (err.value.column, err.value.row, err.value.value) == ("arrival_time", 6,
                                                                  "31/02/2025 10:00")
    assert "not a date and time" in str(err.value) and err.value.file == path
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


# ---------------------------------------------------------------- sources
def test_a_dataframe_in_memory_reads_as_its_parquet_file(records, parquet):
    from_file = raw_records.aggregates(parquet, answer_within_s=T)
    in_memory = raw_records.aggregates(records, answer_within_s=T)
    pd.testing.assert_frame_equal(in_memory, from_file)
    assert raw_records.source_path(records) is None
    assert raw_records.source_path(parquet) == parquet


def test_a_folder_must_hold_one_kind_of_record_file(records, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match=r"no \.parquet or \.csv record files") as err:
        raw_records.aggregates(empty, answer_within_s=T)
    assert err.value.file == empty
    mixed = tmp_path / "mixed"
    sample.write_records(records.head(100), mixed / "a.csv")
    sample.write_records(records.iloc[100:200], mixed / "b.parquet")
    with pytest.raises(DataError, match="a mix of Parquet and CSV files") as err:
        raw_records.quality_counts(mixed)
    assert err.value.file == mixed


def test_an_unknown_file_type_a_missing_table_and_a_bad_table_name(parquet, tmp_path):
    text = tmp_path / "records.txt"
    text.write_text("contact_id\n1\n")
    with pytest.raises(DataError, match="unknown record file type"):
        raw_records.aggregates(text, answer_within_s=T)
    db = tmp_path / "calls.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE records AS SELECT * FROM read_parquet('{parquet}')")
    with pytest.raises(DataError, match="no such table in the database") as err:
        raw_records.aggregates(db, answer_within_s=T, table="calls")
    assert err.value.value == "calls" and "['records']" in str(err.value)
    with pytest.raises(InputError) as err:
        raw_records.aggregates(db, answer_within_s=T, table="records; DROP TABLE x")
    assert err.value.argument == "table"


def test_a_negative_short_abandon_window_is_refused(parquet):
    with pytest.raises(InputError) as err:
        raw_records.aggregates(parquet, answer_within_s=T, short_abandon_s=-1)
    assert err.value.argument == "short_abandon_s"


# ---------------------------------------------------------------- periods, groups, variants
def test_weeks_by_queue_count_every_kept_contact_once(records, parquet):
    weeks = raw_records.aggregates(parquet, answer_within_s=T, period="week", by=("queue",))
    assert (weeks["period"].dt.day_of_week == 0).all()  # DuckDB's weeks start on Monday
    assert set(weeks["queue"]) == {"orders", "returns"}
    assert weeks["offered"].sum() == len(records)  # the generated records are all clean
    by_queue = weeks.groupby("queue")["offered"].sum().to_dict()
    assert by_queue == records.groupby("queue").size().to_dict()


def test_kpi_table_uses_the_variant_named_and_the_canonical_otherwise(parquet):
    agg = raw_records.aggregates(parquet, answer_within_s=T)
    canonical = raw_records.kpi_table(agg, ["service_level", "aht"])
    assert list(canonical.columns) == ["period", "vendor_id", "channel", "service_level", "aht"]
    np.testing.assert_allclose(canonical["service_level"],
                               agg["answered_within_t"] / agg["offered"])
    named = raw_records.kpi_table(agg, ["service_level"], {"service_level": "answered"})
    np.testing.assert_allclose(named["service_level"], agg["answered_within_t"] / agg["answered"])
    # abandons left out: higher where callers abandon (voice, chat), equal for email
    live = (agg["channel"] != "email").to_numpy()
    assert (named["service_level"][live] > canonical["service_level"][live]).all()
    assert (named["service_level"][~live] == canonical["service_level"][~live]).all()


def test_kpi_table_by_default_has_every_kpi_the_records_give():
    agg = pd.DataFrame({"offered": [10], "answered": [8], "answered_within_t": [6]})
    assert list(raw_records.kpi_table(agg).columns) == ["service_level"]


# ---------------------------------------------------------------- SQL pieces
def test_the_where_clause_of_a_month_and_a_vendor():
    clause = record_source.where_clause("2025-02", "V'02", prefix="r.")
    assert clause == ("WHERE TRUE AND r.arrival_time >= TIMESTAMP '2025-02-01' AND "
                      "r.arrival_time < TIMESTAMP '2025-03-01' AND r.vendor_id = 'V''02'")
    assert record_source.where_clause() == "WHERE TRUE"


@pytest.mark.parametrize("text", ["2025-13", "2025-2", "Feb 2025", "", None])
def test_a_month_not_written_yyyy_mm_is_named(text):
    with pytest.raises(InputError) as err:
        record_source.month_period(text)
    assert err.value.argument == "month" and "YYYY-MM" in str(err.value)


def test_a_grouping_column_outside_the_groups_is_named():
    record_source.check_by(("vendor_id", "agent_id"))  # accepted: returns quietly
    with pytest.raises(InputError) as err:
        record_source.check_by(("channel", "region"))
    assert err.value.argument == "by" and err.value.value == "region"


# ---------------------------------------------------------------- as systems export them
TIMES = ("arrival_time", "answer_time", "abandon_time")
TZ = "Asia/Taipei"


@pytest.fixture(scope="module")
def local(records):
    """The records to the second (a zone-aware timestamp keeps microseconds), 1,000 rows."""
    return records.head(1000).assign(**{c: records[c].head(1000).dt.floor("s") for c in TIMES})


def _written_with_offsets(r: pd.DataFrame) -> pd.DataFrame:
    """The same local (Taipei) times as an export writes them: even rows with +08:00, odd
    rows in UTC with a Z."""
    out = r.copy()
    for c in TIMES:
        aware = r[c].dt.tz_localize(TZ)
        taipei = aware.dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")
        utc = aware.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        out[c] = taipei.where(np.arange(len(r)) % 2 == 0, utc).where(r[c].notna(), None)
    return out


def test_times_with_a_utc_offset_in_a_csv_are_local_times_of_the_client(local, tmp_path):
    naive = sample.write_records(local, tmp_path / "naive.csv")
    zoned = sample.write_records(_written_with_offsets(local), tmp_path / "zoned.csv")
    assert "T08:" in zoned.read_text() and "+08:00" in zoned.read_text()
    want = raw_records.aggregates(naive, answer_within_s=T)
    got = raw_records.aggregates(zoned, answer_within_s=T, timezone=TZ)
    pd.testing.assert_frame_equal(got, want)  # 08:49+08:00 is 08:49, not 00:49
    plan, chosen = raw_records.qa_sample(zoned, "2025-01", timezone=TZ)
    assert plan.equals(raw_records.qa_sample(naive, "2025-01")[0])
    pd.testing.assert_frame_equal(chosen, raw_records.qa_sample(naive, "2025-01")[1])
    assert chosen["arrival_time"].dt.tz is None
    q = raw_records.quality_counts(zoned, timezone=TZ).set_index("status")
    half = len(local) // 2
    assert q.loc["kept", "records"] == len(local)
    assert q.loc["times converted from UTC+08:00 to Asia/Taipei", "records"] == half
    assert q.loc["times converted from UTC to Asia/Taipei", "records"] == half
    assert set(q["kind"]) == {"kept", "converted"}
    assert raw_records.quality_counts(naive)["kind"].tolist() == ["kept"]  # local: as is
    with pytest.raises(DataError) as err:  # no zone to convert to: said, not guessed
        raw_records.aggregates(zoned, answer_within_s=T)
    assert (err.value.row, err.value.column) == (2, "arrival_time")
    assert "no time zone to convert it to" in str(err.value)
    with pytest.raises(InputError) as err:
        raw_records.aggregates(zoned, answer_within_s=T, timezone="Taipei")
    assert err.value.argument == "timezone"


@pytest.mark.parametrize("zone", ["UTC", TZ])
def test_zone_aware_parquet_timestamps_are_converted_to_the_clients_time(local, tmp_path, zone):
    aware = local.assign(**{c: local[c].dt.tz_localize(TZ).dt.tz_convert(zone) for c in TIMES})
    naive = sample.write_records(local, tmp_path / "naive.parquet")
    zoned = sample.write_records(aware, tmp_path / "zoned.parquet")
    with duckdb.connect() as con:
        kind = con.execute(f"SELECT typeof(arrival_time) FROM '{zoned}' LIMIT 1").fetchone()
    assert kind == ("TIMESTAMP WITH TIME ZONE",)
    want = raw_records.aggregates(naive, answer_within_s=T, by=("queue",), period="day")
    for source in (zoned, aware):  # the file, and the zone-aware DataFrame in memory
        got = raw_records.aggregates(source, answer_within_s=T, by=("queue",), period="day",
                                     timezone=TZ)
        pd.testing.assert_frame_equal(got, want)
    chosen = raw_records.qa_sample(zoned, "2025-01", timezone=TZ)[1]
    pd.testing.assert_frame_equal(chosen, raw_records.qa_sample(naive, "2025-01")[1],
                                  check_dtype=False)  # microseconds, from nanoseconds
    q = raw_records.quality_counts(zoned, "2025-01", timezone=TZ)
    assert q["status"].tolist() == ["kept", "times converted from UTC to Asia/Taipei"]
    assert q["records"].tolist() == [len(local)] * 2
    with pytest.raises(DataError, match="times with a time zone, and no time zone") as err:
        raw_records.aggregates(zoned, answer_within_s=T)
    assert err.value.column == "arrival_time" and err.value.file == zoned


def test_a_parquet_written_by_pandas_in_taipei_time_reads_the_same(local, tmp_path):
    pytest.importorskip("pyarrow")  # pandas writes Parquet through pyarrow (not required)
    aware = local.assign(**{c: local[c].dt.tz_localize(TZ) for c in TIMES})
    aware.astype({"csat": float, "nps": float}).to_parquet(tmp_path / "p.parquet")
    got = raw_records.aggregates(tmp_path / "p.parquet", answer_within_s=T, timezone=TZ)
    want = raw_records.aggregates(local, answer_within_s=T)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_a_bad_value_past_duckdbs_sniffing_sample_is_named_with_its_row(records, tmp_path):
    r = pd.DataFrame(np.repeat(records.head(60).to_numpy(), 5_000, axis=0),
                     columns=records.columns).astype(records.dtypes.to_dict())
    r["contact_id"] = np.arange(1, len(r) + 1)
    r["talk_s"] = r["talk_s"].astype(str).where(r["talk_s"].notna(), None)
    r.loc[len(r) - 1, "talk_s"] = "n/a"  # the 300,000th record: row 300,001 under the header
    path = sample.write_records(r, tmp_path / "big.csv")
    with pytest.raises(DataError) as err:
        raw_records.quality_counts(path, "2025-01", "V02")
    e = err.value
    assert (e.file, e.row, e.column, e.value) == (path, 300_001, "talk_s", "n/a")
    assert "not a number" in str(e) and "seconds" in str(e)


def test_an_empty_export_is_named(records, tmp_path):
    for name in ("empty.parquet", "empty.csv"):
        path = sample.write_records(records.head(0), tmp_path / name)
        with pytest.raises(DataError, match="no records") as err:
            raw_records.quality_counts(path, "2025-12", "V02")
        assert err.value.file == path and "at least one interaction record" in str(err.value)
    (tmp_path / "zero.csv").write_bytes(b"")
    with pytest.raises(DataError, match="an empty file") as err:
        raw_records.aggregates(tmp_path / "zero.csv", answer_within_s=T)
    assert err.value.file == tmp_path / "zero.csv"


def test_dates_without_times_are_refused_with_the_row(local, tmp_path):
    r = local.astype({c: object for c in TIMES})
    r.loc[2, "arrival_time"] = "2025-01-03"
    path = sample.write_records(r, tmp_path / "dates.csv")
    with pytest.raises(DataError) as err:
        raw_records.aggregates(path, answer_within_s=T)
    e = err.value
    assert (e.row, e.column, e.value) == (4, "arrival_time", "2025-01-03")
    assert "a date without a time of day" in str(e) and "2025-12-01 08:49:00" in str(e)
    dates = sample.write_records(local.assign(answer_time=local["answer_time"].dt.date),
                                 tmp_path / "dates.parquet")  # a DATE column
    with pytest.raises(DataError, match="a date without a time of day") as err:
        raw_records.aggregates(dates, answer_within_s=T)
    assert err.value.column == "answer_time" and err.value.row == 2


def test_text_contact_ids_are_identifiers(local, tmp_path):
    text = local.assign(contact_id="C" + local["contact_id"].astype(str),
                        customer_id="K" + local["customer_id"].astype(str))
    text.loc[5, "contact_id"] = text.loc[4, "contact_id"]  # one id twice: both left out
    want = raw_records.aggregates(local.drop(index=[4, 5]), answer_within_s=T)
    for path in (sample.write_records(text, tmp_path / "ids.csv"),
                 sample.write_records(text, tmp_path / "ids.parquet")):
        pd.testing.assert_frame_equal(raw_records.aggregates(path, answer_within_s=T), want,
                                      check_dtype=False)
        q = raw_records.quality_counts(path).set_index("status")["records"]
        assert q["duplicate contact_id"] == 2
        chosen = raw_records.qa_sample(path, "2025-01")[1]
        assert chosen["contact_id"].str.match(r"C\d+$").all()


def test_a_csv_of_whole_number_ids_reads_as_its_parquet_file(local, tmp_path):
    csv_file = sample.write_records(local, tmp_path / "r.csv")
    pq = sample.write_records(local, tmp_path / "r.parquet")
    from_csv = raw_records.qa_sample(csv_file, "2025-01", seed=3)[1]
    from_parquet = raw_records.qa_sample(pq, "2025-01", seed=3)[1]
    pd.testing.assert_frame_equal(from_csv, from_parquet,  # the same contacts drawn
                                  check_dtype=False)  # times: microseconds, nanoseconds
    assert from_csv["contact_id"].dtype == "int64"


def test_rows_without_an_arrival_time_are_counted_in_every_months_table(local, tmp_path):
    r = local.copy()
    r.loc[[0, 1], "arrival_time"] = pd.NaT
    path = sample.write_records(r, tmp_path / "r.parquet")
    assert local["arrival_time"].max() < pd.Timestamp("2025-02-01")
    for month in ("2025-01", None):
        q = raw_records.quality_counts(path, month, "V02").set_index("status")
        assert q.loc["no arrival time", "records"] == 2
        assert q.loc["no arrival time", "kind"] == "left out"
    with pytest.raises(InputError, match=r"a month the records cover \(2025-01 to 2025-01"):
        raw_records.quality_counts(path, "2025-02", "V02")  # not found for them alone


def test_a_csv_duckdb_cannot_parse_and_folders_with_another_header_are_named(local, tmp_path):
    path = sample.write_records(local.head(20), tmp_path / "r.csv")
    lines = path.read_text().splitlines()
    lines[7] += ",an,extra,cell"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="a row with more cells than the header's 17") as err:
        raw_records.aggregates(path, answer_within_s=T)
    assert err.value.row == 8 and lines[7].startswith(err.value.value)
    assert str(err.value).startswith(f"{path}, row 8: ")
    big5 = tmp_path / "big5.csv"
    big5.write_bytes(path.read_text().replace("orders", "訂單").encode("big5"))
    with pytest.raises(DataError, match="text that is not UTF-8") as err:
        raw_records.quality_counts(big5)
    assert err.value.file == big5 and err.value.row == 2
    folder = tmp_path / "month"
    sample.write_records(local.head(10), folder / "a.csv")
    sample.write_records(local.head(10)[local.columns[::-1]], folder / "b.csv")
    with pytest.raises(DataError, match="a header other than the first file's") as err:
        raw_records.quality_counts(folder)
    assert err.value.file == folder / "b.csv"


@pytest.mark.parametrize("written, local_time", [
    ("2025-12-01T08:49:00+08:00", "2025-12-01 08:49:00"),  # the issue's: not 00:49
    ("2025-12-01T00:49:00Z", "2025-12-01 08:49:00"),
    ("2025-12-01 00:49:00.5 UTC", "2025-12-01 08:49:00.5"),
    ("2025-12-01T08:49-05:00", "2025-12-01 21:49:00"),
    ("2025-12-01 08:49:00 Asia/Tokyo", "2025-12-01 07:49:00"),
    ("2025-12-01 08:49", "2025-12-01 08:49:00"),  # local: as it is
    ("2025/12/01 08:49:00", "2025-12-01 08:49:00"),
])
def test_a_time_as_written_reads_as_the_clients_local_time(local, written, local_time):
    r = local.head(1).astype({"arrival_time": object}).assign(arrival_time=written)
    r = r.assign(answer_time=pd.NaT, abandon_time=pd.NaT)
    with duckdb.connect() as con:
        record_source.prepare(con, r, "records", TZ)
        got = con.execute("SELECT arrival_time FROM records").fetchone()[0]
    assert pd.Timestamp(got) == pd.Timestamp(local_time)
