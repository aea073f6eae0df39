"""Long tables are validated column-wise (bpo_analysis.data.validate_columns): the same
typed table and the same errors as row-wise validation, however far down a bad cell is.

A short table (under ``MIN_ROWS``) is still validated row by row, so a bad cell in a
short table gives the reference message, and the long table must give it too.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import field_validator

from bpo_analysis.data import frames, io
from bpo_analysis.data import models as m
from bpo_analysis.data import validate_columns as vc
from bpo_analysis.errors import DataError
from tests.conftest import SAMPLE

DEMAND = io.TABLES["demand_intervals"]
LONG, SHORT = 105_120, 60  # data rows: a year of quarter hours x 3 channels; a few
FAR, NEAR = 90_000, 40  # spreadsheet rows of the bad cell in the long and short table


@pytest.fixture(scope="module")
def demand_lines() -> list[str]:
    """demand_intervals.csv of a year of 15-minute intervals for three channels: header
    and 105,120 rows, every 7th without contacts (and without a handle time)."""
    starts = pd.date_range("2025-01-01", periods=LONG // 3, freq="15min")
    lines = ["interval_start,channel,contacts,aht_s"]
    for i, start in enumerate(starts.strftime("%Y-%m-%d %H:%M")):
        for j, channel in enumerate(("voice", "chat", "email")):
            k = 3 * i + j
            aht = f"{200 + k % 97}.5" if k % 7 else ""
            lines.append(f"{start},{channel},{k % 7},{aht}")
    return lines


def write_demand(path: Path, lines: list[str], rows: int, bad: dict[tuple[int, str], str]
                 ) -> Path:
    """The first ``rows`` data rows of ``lines`` with ``bad[(row, column)]`` cells set
    (row as a spreadsheet numbers it)."""
    out = lines[:rows + 1]
    header = out[0].split(",")
    for (row, column), cell in bad.items():
        cells = out[row - 1].split(",")
        cells[header.index(column)] = cell
        out[row - 1] = ",".join(cells)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def read_error(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        io.read_table(path, DEMAND)
    return info.value


def assert_same_error(long: DataError, short: DataError) -> None:
    """Same problem, column, value and allowed; the same message but for file and row."""
    assert (long.problem, long.column, long.value, long.allowed) == (
        short.problem, short.column, short.value, short.allowed)
    texts = [str(e).replace(str(e.file), "FILE").replace(f"row {e.row},", "row R,")
             for e in (long, short)]
    assert texts[0] == texts[1]


# ---------------------------------------------------------------- bad cells far down
BAD = [
    ("contacts", "-3"), ("contacts", "2.5"), ("contacts", "true"), ("contacts", "NaN"),
    ("contacts", "inf"), ("contacts", "1e3"), ("contacts", ""), ("contacts", "٣"),
    ("aht_s", "0"), ("aht_s", "-1"), ("aht_s", "inf"), ("aht_s", "NaN"), ("aht_s", "yes"),
    ("aht_s", "1e400"), ("aht_s", ""),  # empty while contacts > 0
    ("channel", "phone"), ("channel", "Voice"), ("channel", "voice "), ("channel", ""),
    ("interval_start", "yesterday"), ("interval_start", "2025-02-30 00:00"),
    ("interval_start", "2025-01-01 02:00+08:00"), ("interval_start", "2025-01-01 02:00Z"),
    ("interval_start", "1735689600"), ("interval_start", "2025-01-01 00:00 "),
    ("interval_start", ""),
]


@pytest.mark.parametrize("column, cell", BAD, ids=[f"{c}={v!r}" for c, v in BAD])
def test_bad_cell_far_down_a_long_table(tmp_path, demand_lines, column, cell):
    assert SHORT < vc.MIN_ROWS <= LONG  # the short table is validated row by row
    long = read_error(write_demand(tmp_path / "long.csv", demand_lines, LONG,
                                   {(FAR, column): cell}))
    short = read_error(write_demand(tmp_path / "short.csv", demand_lines, SHORT,
                                    {(NEAR, column): cell}))
    assert (long.row, short.row) == (FAR, NEAR)
    assert long.column == column and long.value == (cell or None)
    assert_same_error(long, short)


def test_several_bad_rows_are_counted_as_row_by_row(tmp_path, demand_lines):
    """The first bad row is named and the others counted, a screened rule among them."""
    bad = {(30_000, "aht_s"): "", (60_000, "channel"): "fax", (FAR, "contacts"): "-1"}
    long = read_error(write_demand(tmp_path / "long.csv", demand_lines, LONG, bad))
    bad = {(20, "aht_s"): "", (30, "channel"): "fax", (NEAR, "contacts"): "-1"}
    short = read_error(write_demand(tmp_path / "short.csv", demand_lines, SHORT, bad))
    assert (long.row, short.row) == (30_000, 20)
    assert "(and 2 more row(s) with problems)" in str(long)
    assert_same_error(long, short)


def test_long_table_loads_in_one_piece(tmp_path, demand_lines):
    out, src = io.read_table(write_demand(tmp_path / "d.csv", demand_lines, LONG, {}), DEMAND)
    assert len(out) == src.rows == LONG and out.index[-1] == LONG + 1
    assert out["contacts"].sum() == sum(k % 7 for k in range(LONG))
    assert out["aht_s"].isna().sum() == (np.arange(LONG) % 7 == 0).sum()


XLSX_BAD = [("contacts", 2.5), ("contacts", -1), ("contacts", dt.datetime(2025, 1, 1)),
            ("interval_start", 45658), ("interval_start", True), ("channel", 1),
            ("aht_s", 0)]


@pytest.mark.parametrize("column, cell", XLSX_BAD, ids=[f"{c}={v!r}" for c, v in XLSX_BAD])
def test_excel_typed_bad_cell_in_a_long_workbook(tmp_path, demand_lines, column, cell):
    typed = pd.read_csv(StringIO("\n".join(demand_lines[:1_201])),
                        parse_dates=["interval_start"]).astype(object)

    def workbook(name: str, rows: int, row: int) -> Path:
        frame = typed.iloc[:rows].copy()
        frame.loc[row - 2, column] = cell
        frame.to_excel(tmp_path / name, index=False)
        return tmp_path / name

    long = read_error(workbook("long.xlsx", 1_200, 1_100))
    short = read_error(workbook("short.xlsx", SHORT, NEAR))
    assert (long.row, short.row) == (1_100, NEAR) and long.value == cell
    assert_same_error(long, short)


# ---------------------------------------------------------------- the same table
def test_sample_demand_column_wise_is_row_wise():
    path = SAMPLE / "demand_intervals.csv"
    cells = frames.read_frame(path, path.read_bytes())[0]
    out, suspect = vc.validate(cells, m.DemandRow)
    assert not suspect.any()
    pd.testing.assert_frame_equal(out, io._validate_rows(path, cells, DEMAND))
    pd.testing.assert_frame_equal(io.read_table(path, DEMAND)[0], out)


def _cells(columns: dict[str, list], rows: int = 1_200) -> pd.DataFrame:
    """An untyped table of ``rows`` rows repeating ``columns``' cells, as read."""
    n = len(next(iter(columns.values())))
    return pd.DataFrame({c: pd.Series(v * (rows // n + 1), dtype=object)[:rows]
                         for c, v in columns.items()}).set_axis(pd.RangeIndex(2, rows + 2))


ODD_BUT_VALID = {
    "demand": (m.DemandRow, DEMAND, {
        "interval_start": ["2025-01-01T00:30", "2025-01-01 01:00:00", "2025-01-01 01:30:00.5",
                           "2025-01-01", "2025-01-01 02:00"],
        "channel": ["voice", "chat", "email", "voice", "chat"],
        "contacts": ["007", "+3", "3 ", "0", "99999999999999999999"],
        "aht_s": ["1e3", " 5", "560", None, "0.001"]}),
    "demand, Excel cells": (m.DemandRow, DEMAND, {
        "interval_start": [dt.datetime(2025, 1, 1), pd.Timestamp("2025-01-01 00:30"),
                           "2025-01-01 01:00", dt.datetime(2025, 1, 1, 1, 30)],
        "channel": ["voice", "chat", "email", "voice"],
        "contacts": [1, 2.0, 3, "4"],  # an Excel TRUE is no count (issue 22): OTHER_RULES
        "aht_s": [300, 250.5, "560", 1]}),
    "vendor reports": (m.VendorReportRow, io.TABLES["vendor_monthly_reports"],
                       pd.read_csv(SAMPLE / "vendor_monthly_reports.csv", dtype=object,
                                   keep_default_na=False).to_dict("list")),
    "roi actuals, empty and absent cells": (m.RoiActualRow, io.ROI_ACTUALS, {
        "month": ["2025-12", "2026-01"], "vendor_fees": ["0", "7426000"],
        "contacts": ["0", "108505"], "one_off": ["10527250", "380000"],
        "retained": ["0", "434421"], "fcr": [None, "0.73"], "csat": [None, None]}),
}


@pytest.mark.parametrize("case", list(ODD_BUT_VALID))
def test_column_wise_frame_is_the_row_wise_frame(case):
    """Cells a model accepts in unusual forms type to the same values and dtypes."""
    model, spec, columns = ODD_BUT_VALID[case]
    cells = _cells(columns)
    out, suspect = vc.validate(cells, model)
    expected = io._validate_rows(Path("t.csv"), cells, spec)
    pd.testing.assert_frame_equal(out, expected)
    assert not suspect.any()


OTHER_RULES = [("vendor reports", "contacts_handled", "999999"),  # > contacts_offered
               ("vendor reports", "contacts_offered", "10"),
               ("vendor reports", "service_level", "87"), ("vendor reports", "month", "2024-13"),
               ("roi actuals, empty and absent cells", "fcr", "2"),
               ("roi actuals, empty and absent cells", "one_off", None),
               ("demand, Excel cells", "contacts", True)]  # a yes/no is not 1 contact


@pytest.mark.parametrize("case, column, cell", OTHER_RULES)
def test_suspect_rows_give_the_error_of_the_whole_table(case, column, cell):
    """Validating only the rows found suspect raises what validating all rows raises."""
    model, spec, columns = ODD_BUT_VALID[case]
    cells = _cells(columns)
    cells.loc[1_000, column] = cell
    suspect = vc.validate(cells, model)[1]
    errors = []
    for rows in (cells, cells[suspect]):
        with pytest.raises(DataError) as info:
            io._validate_rows(Path("t.csv"), rows, spec)
        errors.append(info.value)
    assert errors[0].row == 1_000 and str(errors[1]) == str(errors[0])


def test_a_row_with_an_offset_is_suspect_and_refused_as_row_by_row():
    cells = _cells({"interval_start": ["2025-01-01 00:00", "2025-01-01 00:30+08:00"],
                    "channel": ["voice", "chat"], "contacts": ["1", "0"],
                    "aht_s": ["300", None]}, rows=1_000)
    suspect = vc.validate(cells, m.DemandRow)[1]
    assert suspect.tolist() == [False, True] * 500
    with pytest.raises(DataError) as info:
        io._validate_rows(Path("t.csv"), cells[suspect], DEMAND)
    assert info.value.row == 3 and "(and 499 more row(s)" in str(info.value)


UTC8 = dt.timezone(dt.timedelta(hours=8))
VALUES = {  # what a field may return, with and without empty cells
    "int": [1, 2], "int, None": [1, None], "float, None": [1.5, None], "None": [None],
    "bool, None": [True, None], "str, None": ["a", None], "big int": [10**20, 1],
    "datetime, None": [dt.datetime(2025, 1, 1), None],
    "offset": [dt.datetime(2025, 1, 1, tzinfo=UTC8), None],
    "offset and none": [dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 1, tzinfo=UTC8)],
    "time": [dt.time(8), None], "list": [["Taipei"], ["Taipei", "Kaohsiung"]],
}


@pytest.mark.parametrize("kind", list(VALUES))
def test_a_series_of_values_is_typed_as_a_frame_of_rows(kind):
    """validate_columns types a column as pd.Series(values); row-wise validation as a
    DataFrame of dicts: pandas must infer the same dtype and values for both."""
    values = VALUES[kind]
    pd.testing.assert_series_equal(
        pd.Series(values), pd.DataFrame([{"c": v} for v in values])["c"], check_names=False)


# ---------------------------------------------------------------- which path
def test_only_models_whose_every_validator_is_screened_are_covered(monkeypatch):
    assert vc.covers(m.DemandRow) and vc.covers(m.VendorReportRow)
    assert vc.covers(m.RoiActualRow)
    assert not vc.covers(m.VendorRow) and not vc.covers(m.QuoteRow)

    class Stricter(m.DemandRow):
        @field_validator("contacts")
        @classmethod
        def _few(cls, v: int) -> int:
            if v > 1_000:
                raise ValueError("at most 1,000")
            return v

    screens = dict(vc.SCREENS[m.DemandRow])
    monkeypatch.setitem(vc.SCREENS, Stricter, screens)
    assert not vc.covers(Stricter)  # a rule without a screen: validated row by row
    screens["_few"] = lambda out: (out["contacts"] > 1_000).to_numpy()
    assert vc.covers(Stricter)


def test_long_tables_go_column_wise_and_short_ones_row_by_row(tmp_path, demand_lines,
                                                              monkeypatch):
    calls, validate = [], vc.validate
    monkeypatch.setattr(vc, "validate",
                        lambda df, model: calls.append(len(df)) or validate(df, model))
    io.read_table(write_demand(tmp_path / "s.csv", demand_lines, SHORT, {}), DEMAND)
    io.read_table(write_demand(tmp_path / "l.csv", demand_lines, vc.MIN_ROWS, {}), DEMAND)
    assert calls == [vc.MIN_ROWS]
