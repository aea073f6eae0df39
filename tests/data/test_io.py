"""load_client on the sample folder, and on copies of it with exactly one thing broken.

Every broken copy must raise ONE DataError that names the file, the row as a spreadsheet
shows it (header = row 1; for YAML the line), the column (for YAML the dotted key path),
the bad value and what is allowed. Soft problems warn with a DataWarning.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from bpo_analysis.data.client import load_client
from bpo_analysis.errors import DataError, DataWarning
from tests.conftest import copy_sample, edit_text

CHINESE_NAME = "翡翠山客服"


# ---------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The untouched sample, loaded once, to compare re-encoded copies against."""
    return load_client(copy_sample(tmp_path_factory.mktemp("base") / "client"))


def read_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Rewrite one cell; ``row`` as a spreadsheet numbers it (header = 1)."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def set_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on one (1-based) line of a text file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def load_error(folder: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_client(folder)
    return info.value


def check(err: DataError, path: Path, row, column, value, phrase: str) -> None:
    """The error names file, row, column and value, in its attributes and its message."""
    text = str(err)
    assert Path(err.file) == path, text
    assert err.row == row, text
    assert err.column == column, text
    assert err.value == value, text
    assert phrase in f"{err.allowed} {text}", text
    assert path.name in text
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert repr(column) in text


# ---------------------------------------------------------------- the clean sample
def test_sample_loads_without_any_warning(folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = load_client(folder)
    assert [str(w.message) for w in caught] == []
    assert client.warnings == ()


def test_sample_values(baseline):
    c = baseline
    assert c.currency == "TWD"
    assert c.scenario.company == "Formosa Click Co., Ltd. (fictional)"
    assert c.scenario.interval_minutes == 30
    assert c.scenario.discount_rate == pytest.approx(0.08)
    assert c.inhouse.loading.insurance_and_benefits == pytest.approx(0.21)
    assert len(c.vendors) == 6
    assert list(c.vendors["vendor_id"]) == ["V01", "V02", "V03", "V04", "V05", "V06"]
    assert c.vendors.iloc[0]["sites"] == ["Taipei", "Taichung"]
    assert c.vendors["backup_site"].tolist() == [True, True, False, True, True, True]
    assert c.vendors.iloc[3]["seats"] == 1500
    assert pd.isna(c.vendors.iloc[2]["pilot_csat"]) and c.vendors.iloc[0]["pilot_csat"] == 0.87
    assert len(c.quotes) == 8  # Q08: a bid below the labour floor (step 3 flags it)
    assert c.tco is not None and c.tco.labour_floor.wage_floor("Manila") == 8200
    assert set(c.quotes["vendor_id"]) <= set(c.vendors["vendor_id"])
    assert len(c.demand) == 52_560
    assert sorted(c.demand["channel"].unique()) == ["chat", "email", "voice"]
    assert pd.api.types.is_datetime64_any_dtype(c.demand["interval_start"])
    assert c.demand.iloc[13]["contacts"] == 2 and c.demand.iloc[13]["aht_s"] == 560.0  # row 15
    assert len(c.vendor_reports) == 48
    assert len(c.risks) == 10
    enc = {s.name: s.encoding for s in c.sources}
    assert len(c.sources) == 14  # with the optional tco, roi, continuity and decision.yaml
    assert c.roi is not None and c.roi.quote_id is None and c.roi.baseline == "as_is"
    assert c.decision is not None and c.decision.incumbent == ["V02"]
    assert enc["vendors"] == "utf-8" and enc["demand_intervals"] == "utf-8"


def test_csv_helpers_keep_the_file_byte_for_byte(folder):
    for name in ("vendors.csv", "quotes.csv", "risks.csv", "vendor_monthly_reports.csv"):
        before = (folder / name).read_bytes()
        write_rows(folder / name, read_rows(folder / name))
        assert (folder / name).read_bytes() == before, name


# ---------------------------------------------------------------- files and folders
def test_client_folder_does_not_exist(tmp_path):
    missing = tmp_path / "no_such_client"
    err = load_error(missing)
    check(err, missing, None, None, None, "data/sample")
    assert "client folder not found" in str(err)


@pytest.mark.parametrize("name, allowed", [
    ("risks.csv", "risks.csv or risks.xlsx"),
    ("demand_intervals.csv", "demand_intervals.csv or demand_intervals.xlsx"),
    ("scenario.yaml", "scenario.yaml or scenario.yml"),
])
def test_missing_file(folder, name, allowed):
    (folder / name).unlink()
    err = load_error(folder)
    check(err, folder / name, None, None, None, allowed)
    assert "file not found" in str(err)
    assert str(folder) in err.allowed


@pytest.mark.parametrize("name, phrase", [
    ("vendors.csv", "the file is empty"),
    ("risks.csv", "the file is empty"),
    ("sla.yaml", "the file is empty or not a mapping"),
])
def test_empty_file(folder, name, phrase):
    (folder / name).write_bytes(b"")
    err = load_error(folder)
    check(err, folder / name, None, None, None, phrase)


def test_header_only_csv(folder):
    path = folder / "risks.csv"
    write_rows(path, read_rows(path)[:1])
    err = load_error(folder)
    check(err, path, None, None, None, "header but no data rows")
    assert "at least one data row" in err.allowed


# ---------------------------------------------------------------- columns
@pytest.mark.parametrize("column", ["contacts", "aht_s"])
def test_missing_column(folder, column):
    path = folder / "demand_intervals.csv"
    rows = read_rows(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])
    err = load_error(folder)
    check(err, path, None, column, None, "columns interval_start, channel, contacts, aht_s")
    assert "required column is missing" in str(err)


def test_misspelt_column_is_suggested(folder):
    path = folder / "vendors.csv"
    set_cell(path, 1, "seats", "seat")
    err = load_error(folder)
    check(err, path, None, "seats", None, "columns vendor_id")
    assert "'seat'" in str(err)  # "is 'seat' meant to be it?"


@pytest.mark.parametrize("name", ["vendors.csv", "demand_intervals.csv"])
def test_extra_column_warns_and_is_ignored(folder, baseline, name):
    path = folder / name
    rows = read_rows(path)
    write_rows(path, [r + (["comment"] if i == 0 else ["x"]) for i, r in enumerate(rows)])
    with pytest.warns(DataWarning, match=r"unknown column\(s\) \['comment'\] ignored") as rec:
        client = load_client(folder)
    assert any(name in str(w.message) for w in rec)
    notes = [n for n in client.warnings if "'comment'" in n]
    assert len(notes) == 1 and str(path) in notes[0]
    table = client.vendors if name == "vendors.csv" else client.demand
    assert "comment" not in table.columns
    pd.testing.assert_frame_equal(
        table, baseline.vendors if name == "vendors.csv" else baseline.demand)


# ---------------------------------------------------------------- bad cells
BAD_CELLS = [
    # file, row, column, cell text, phrase of .allowed
    ("vendors.csv", 4, "seats", "many", "valid integer"),
    ("vendors.csv", 3, "attrition_rate", "35", "0.35"),
    ("vendors.csv", 2, "backup_site", "maybe", "yes/no"),
    ("vendors.csv", 7, "qa_score", "101", "less than or equal to 100"),
    ("vendors.csv", 5, "vendor_id", "V 04", "pattern"),
    ("demand_intervals.csv", 15, "contacts", "-3", "greater than or equal to 0"),
    ("demand_intervals.csv", 15, "contacts", "2.5", "valid integer"),
    ("demand_intervals.csv", 15, "aht_s", "0", "greater than 0"),
    ("demand_intervals.csv", 40, "channel", "phone", "'voice', 'chat' or 'email'"),
    ("demand_intervals.csv", 52_561, "interval_start", "yesterday", "datetime"),
    ("quotes.csv", 3, "pricing_model", "per_hour", "per_productive_hour"),
    ("quotes.csv", 8, "contract_term_months", "0", "greater than or equal to 1"),
    ("vendor_monthly_reports.csv", 5, "service_level", "87.52", "0.8752"),
    ("vendor_monthly_reports.csv", 9, "month", "2024-13", "pattern"),
    ("risks.csv", 2, "likelihood", "6", "less than or equal to 5"),
    ("risks.csv", 11, "category", "weather", "data_protection"),
]


@pytest.mark.parametrize("name, row, column, cell, phrase", BAD_CELLS,
                         ids=[f"{n}-{c}-{v}" for n, _, c, v, _ in BAD_CELLS])
def test_bad_cell(folder, name, row, column, cell, phrase):
    path = folder / name
    set_cell(path, row, column, cell)
    err = load_error(folder)
    check(err, path, row, column, cell, phrase)
    assert "invalid value" in str(err)


def test_percentage_message_hints_the_decimal(folder):
    path = folder / "vendors.csv"
    set_cell(path, 3, "attrition_rate", "35")
    err = load_error(folder)
    assert "share between 0 and 1" in err.allowed
    assert "write 35 % as 0.35" in str(err)


def test_contacts_without_aht(folder):
    path = folder / "demand_intervals.csv"
    set_cell(path, 15, "aht_s", "")
    err = load_error(folder)
    assert Path(err.file) == path
    assert err.row == 15
    assert "empty while contacts > 0" in err.allowed
    assert err.value is None
    assert err.column == "aht_s", str(err)


def test_blank_line_does_not_shift_row_numbers(folder):
    path = folder / "vendors.csv"
    rows = read_rows(path)
    rows[5][rows[0].index("seats")] = "many"  # V05, spreadsheet row 6 before the blank line
    write_rows(path, [*rows[:3], [], *rows[3:]])  # blank row 4; V05 moves to row 7
    err = load_error(folder)
    check(err, path, 7, "seats", "many", "valid integer")


def test_row_with_too_many_fields(folder):
    path = folder / "vendors.csv"
    rows = read_rows(path)
    rows[4].append("surplus")
    write_rows(path, rows)
    err = load_error(folder)
    assert Path(err.file) == path
    assert "not a well-formed CSV table" in str(err)
    assert "same number of comma-separated fields" in err.allowed
    assert err.row == 5, str(err)


# ---------------------------------------------------------------- keys and references
def test_duplicate_interval(folder):
    path = folder / "demand_intervals.csv"
    set_cell(path, 5, "interval_start", "2025-01-01 00:00")  # row 5 was 00:30 chat
    err = load_error(folder)
    check(err, path, 5, "interval_start", [pd.Timestamp("2025-01-01 00:00"), "chat"],
          "each interval_start/channel once")
    assert "rows [2, 5] are the same" in str(err)


TABLE_RULES = [
    # file, row, column, new cell, phrase of .allowed, phrase of the message
    ("vendors.csv", 4, "vendor_id", "V01", "each vendor_id once", "rows [2, 4] are the same"),
    ("quotes.csv", 6, "vendor_id", "V99", "one of ['V01', 'V02', 'V03', 'V04', 'V05', 'V06']",
     "unknown vendor"),
    ("vendor_monthly_reports.csv", 10, "vendor_id", "V77", "'V06'", "unknown vendor"),
]


@pytest.mark.parametrize("name, row, column, cell, allowed, phrase", TABLE_RULES,
                         ids=["duplicate vendor", "quote unknown vendor",
                              "report unknown vendor"])
def test_rules_across_rows_and_files(folder, name, row, column, cell, allowed, phrase):
    path = folder / name
    set_cell(path, row, column, cell)
    err = load_error(folder)
    check(err, path, row, column, cell, allowed)
    assert phrase in str(err)


@pytest.mark.parametrize("row, start", [(52, "2025-01-01 08:10"), (3, "2025-01-01 00:15")])
def test_interval_off_the_grid(folder, row, start):
    path = folder / "demand_intervals.csv"
    set_cell(path, row, "interval_start", start)
    err = load_error(folder)
    check(err, path, row, "interval_start", f"{start}:00", "every 30 minutes")
    assert "not on the interval grid" in str(err)


@pytest.mark.parametrize("name, line, old, new, key, value, allowed, phrase", [
    ("criteria.yaml", 6, "column: mystery_shopper_score", "column: mystery_score",
     "criteria.0.column", "mystery_score", "mystery_shopper_score", "vendors.csv does not have"),
    ("inhouse_costs.yaml", 2, "currency: TWD", "currency: USD", "currency", "USD", "TWD",
     "currency differs from scenario.yaml"),
], ids=["criterion column", "currency"])
def test_cross_file_rules_name_the_yaml_line(folder, name, line, old, new, key, value,
                                             allowed, phrase):
    path = folder / name
    set_line(path, line, old, new)
    err = load_error(folder)
    check(err, path, line, key, value, allowed)
    assert phrase in str(err)


# ---------------------------------------------------------------- YAML documents
YAML_VALUES = [
    # file, line, old text, new text, dotted key, value, phrase
    ("scenario.yaml", 9, "0.08", "8", "discount_rate", 8, "less than or equal to 1"),
    ("inhouse_costs.yaml", 13, "0.21", "21", "loading.insurance_and_benefits", 21, "0.21"),
    ("scenario.yaml", 19, "max_abandon_rate: 0.05", "max_abandon_rate: 5",
     "service_targets.voice.max_abandon_rate", 5, "0.05"),
    ("sla.yaml", 2, "0.12", "12", "at_risk_share", 12, "write 12 % as 0.12"),
    ("sla.yaml", 8, "allocation: 0.20", "allocation: -0.2", "kpis.csat.allocation", -0.2,
     "greater than or equal to 0"),
    ("inhouse_costs.yaml", 9, "37000", "lots", "wages.agent_monthly", "lots", "valid number"),
    ("scenario.yaml", 7, "30", "20", "interval_minutes", 20, "15, 30 or 60"),
    ("maturity_answers.yaml", 3, "1", "x", "scale_min", "x", "Input should be 1"),
    ("maturity_answers.yaml", 4, "4", "5", "scale_max", 5, "Input should be 4"),
    # issue 22: YAML reads an unquoted yes/true as a boolean, which Python takes for 1
    ("scenario.yaml", 8, "36", "yes", "planning_horizon_months", True,
     "must be a whole number, not yes/no (YAML reads an unquoted yes"),
    ("scenario.yaml", 9, "0.08", "true", "discount_rate", True, "must be a number, not yes/no"),
    ("inhouse_costs.yaml", 6, "2", "yes", "headcount.managers", True,
     "must be a whole number, not yes/no"),
    ("inhouse_costs.yaml", 4, "chat: 20", "chat: on", "headcount.agents_fte.chat", True,
     "must be a number, not yes/no"),
    ("roi.yaml", 24, "low: 0.90", "low: no", "uncertainty.volume.low", False,
     "must be a number, not yes/no"),
    # issue 22: the documented ISO 3166 alpha-2 code, with the one meant when it is clear
    ("scenario.yaml", 4, "TW", "Taiwan", "country", "Taiwan",
     'must be an ISO 3166-1 alpha-2 country code (for Taiwan write "TW")'),
    ("scenario.yaml", 4, "TW", "tw", "country", "tw", '(for tw write "TW")'),
    ("scenario.yaml", 4, "TW", "Narnia", "country", "Narnia", "such as TW, JP, US or GB"),
    ("scenario.yaml", 4, "TW", "NO", "country", False, 'quote the code (country: "NO")'),
]


@pytest.mark.parametrize("name, line, old, new, key, value, phrase", YAML_VALUES,
                         ids=[v[4] for v in YAML_VALUES])
def test_bad_yaml_value(folder, name, line, old, new, key, value, phrase):
    path = folder / name
    set_line(path, line, old, new)
    err = load_error(folder)
    check(err, path, line, key, value, phrase)


def test_invalid_yaml_syntax(folder):
    path = folder / "scenario.yaml"
    set_line(path, 8, "planning_horizon_months: 36", "planning_horizon_months: 36: 12")
    err = load_error(folder)
    check(err, path, 8, None, None, "not valid YAML")
    assert "mapping values are not allowed" in str(err)


# ---------------------------------------------------------------- encodings
TABLE_ATTR = {"vendors.csv": "vendors", "demand_intervals.csv": "demand", "quotes.csv": "quotes"}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", list(TABLE_ATTR))
def test_excel_utf8_bom_loads_identically(folder, baseline, name, crlf):
    path = folder / name
    raw = path.read_bytes()
    if crlf:  # Excel also writes Windows line ends
        raw = raw.replace(b"\n", b"\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = load_client(folder)
    assert [str(w.message) for w in caught] == []
    pd.testing.assert_frame_equal(getattr(client, TABLE_ATTR[name]),
                                  getattr(baseline, TABLE_ATTR[name]))
    enc = {s.name: s.encoding for s in client.sources}
    assert enc[path.stem] == "utf-8-sig"


def test_yaml_with_bom_loads(folder, baseline):
    path = folder / "scenario.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    client = load_client(folder)
    assert client.scenario == baseline.scenario
    assert {s.name: s.encoding for s in client.sources}["scenario"] == "utf-8-sig"


def write_big5_vendors(path: Path) -> None:
    rows = read_rows(path)
    rows[1][rows[0].index("name")] = CHINESE_NAME
    write_rows(path, rows, encoding="cp950")
    with pytest.raises(UnicodeDecodeError):  # the test file really is not UTF-8
        path.read_bytes().decode("utf-8")


def test_big5_csv_loads_with_a_warning(folder, baseline):
    path = folder / "vendors.csv"
    write_big5_vendors(path)
    with pytest.warns(DataWarning, match=r"Big5 \(cp950\)") as rec:
        client = load_client(folder)
    msgs = [str(w.message) for w in rec if issubclass(w.category, DataWarning)]
    assert len(msgs) == 1 and str(path) in msgs[0] and "CSV UTF-8" in msgs[0]
    assert client.warnings == tuple(msgs)
    assert client.vendors.iloc[0]["name"] == CHINESE_NAME
    expected = baseline.vendors.copy()
    expected.loc[expected.index[0], "name"] = CHINESE_NAME
    pd.testing.assert_frame_equal(client.vendors, expected)
    assert {s.name: s.encoding for s in client.sources}["vendors"] == "cp950"


def test_neither_utf8_nor_big5(folder):
    path = folder / "vendors.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Sunrise", b"Sun\xff\xfe\xfarise")  # row 4, V03
    path.write_bytes(b"\n".join(lines))
    err = load_error(folder)
    check(err, path, 4, None, "byte 0xff", "CSV UTF-8")
    assert "neither UTF-8" in str(err) and "Big5/cp950" in str(err)


def test_neither_encoding_in_yaml_names_the_line(folder):
    path = folder / "sla.yaml"
    lines = path.read_bytes().split(b"\n")
    lines[10] += b"  # \xff"  # line 11
    path.write_bytes(b"\n".join(lines))
    err = load_error(folder)
    check(err, path, 11, None, "byte 0xff", "UTF-8 text")


def test_big5_file_with_a_broken_byte_names_the_broken_row(folder):
    path = folder / "vendors.csv"
    write_big5_vendors(path)
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"Pacific", b"Pac\xffific")  # row 5, V04
    path.write_bytes(b"\n".join(lines))
    err = load_error(folder)
    check(err, path, 5, None, "byte 0xff", "UTF-8")


# ---------------------------------------------------------------- Excel workbooks
def vendors_to_xlsx(folder: Path, bad: tuple[int, str, object] | None = None) -> Path:
    """vendors.csv rewritten as vendors.xlsx the way pandas/Excel would type it."""
    df = pd.read_csv(folder / "vendors.csv")
    if bad is not None:
        row, column, value = bad
        df[column] = df[column].astype(object)
        df.loc[row - 2, column] = value  # spreadsheet row -> 0-based data row
    out = folder / "vendors.xlsx"
    df.to_excel(out, index=False, engine="openpyxl")
    return out


def test_xlsx_table_loads_the_same_data(folder, baseline):
    out = vendors_to_xlsx(folder)
    (folder / "vendors.csv").unlink()
    client = load_client(folder)
    pd.testing.assert_frame_equal(client.vendors, baseline.vendors)
    src = {s.name: s for s in client.sources}["vendors"]
    assert src.format == "xlsx" and src.path == out and src.rows == 6


def test_xlsx_bad_value_reports_the_excel_row(folder):
    out = vendors_to_xlsx(folder, bad=(5, "seats", "many"))
    (folder / "vendors.csv").unlink()
    err = load_error(folder)
    check(err, out, 5, "seats", "many", "valid integer")


def test_xlsx_yes_no_cell_in_a_count_column_is_refused(folder):
    """An Excel TRUE typed into a count column would read as 1 seat: refused."""
    out = vendors_to_xlsx(folder, bad=(5, "seats", True))
    (folder / "vendors.csv").unlink()
    err = load_error(folder)
    check(err, out, 5, "seats", True, "must be a whole number, not yes/no")


def _numeric_leaves(tp, where: str):
    """Every (place, type) of a number under ``tp`` (a model, or a field's annotation)."""
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            yield from _numeric_leaves(typing.Annotated[f.annotation, f], f"{tp.__name__}.{name}")
    elif (origin is typing.Annotated and args[0] in (int, float)) or tp in (int, float):
        yield where, tp
    elif origin is typing.Annotated:
        yield from _numeric_leaves(args[0], where)
    elif origin is not typing.Literal:
        for a in args:
            yield from _numeric_leaves(a, where)


#: Numbers that may be a yes/no: a knock-out limit is one on a yes/no column.
YES_NO_MEANT = {"KnockOut.value"}
def test_every_number_of_every_document_refuses_a_yes_no():
    """Each numeric key of every YAML document (and table row) refuses True and False."""
    from pydantic import TypeAdapter, ValidationError

    from bpo_analysis.data import io

    models = [*io.DOCUMENTS.values(), *io.OPTIONAL_DOCUMENTS.values(),
              *(spec.model for spec in io.TABLES.values())]
    leaves = [x for model in models for x in _numeric_leaves(model, model.__name__)]
    assert len(leaves) > 100
    taking = set()
    for where, tp in leaves:
        for value in (True, False):
            try:
                TypeAdapter(tp).validate_python(value)
            except ValidationError as err:
                assert "not yes/no" in str(err) or "Input should be" in str(err), where
            else:
                taking.add(where)
    assert taking - YES_NO_MEANT == set(), sorted(taking - YES_NO_MEANT)


def test_xlsx_and_csv_for_the_same_table(folder):
    out = vendors_to_xlsx(folder)
    err = load_error(folder)
    check(err, out, None, None, ["vendors.csv", "vendors.xlsx"], "exactly one of them")
    assert "two files for the same table" in str(err)


def test_broken_xlsx(folder):
    (folder / "vendors.csv").unlink()
    (folder / "vendors.xlsx").write_bytes(b"this is not a zip file")
    err = load_error(folder)
    check(err, folder / "vendors.xlsx", None, None, None, "a sheet whose first row is the")
    assert "cannot read the Excel workbook" in str(err)


# ---------------------------------------------------------------- found in review
@pytest.mark.filterwarnings("ignore::bpo_analysis.errors.DataWarning")  # short Sunday
@pytest.mark.parametrize("written, expected", [
    ('"08:00"', "08:00"), ('"8:30"', "08:30"), ("08:00", "08:00"), ('"24:00"', "24:00"),
    ("24:00", "24:00")])
def test_clock_times_in_the_forms_yaml_gives(folder, written, expected):
    set_line(folder / "scenario.yaml", 17, 'close: "18:00"', f"close: {written}")
    set_line(folder / "scenario.yaml", 17, 'open: "09:00"', 'open: "07:00"')
    h = load_client(folder).scenario.opening_hours["sunday"]
    assert (f"{h.close:%H:%M}" if h.close != h.close.max else "24:00") == expected


@pytest.mark.parametrize("written", ["18", '"6pm"', '"25:00"', "18.5"])
def test_clock_times_that_are_refused(folder, written):
    path = folder / "scenario.yaml"
    set_line(path, 17, 'close: "18:00"', f"close: {written}")
    err = load_error(folder)
    check(err, path, 17, "opening_hours.sunday.close", err.value, 'quote it, e.g. open: "09:00"')


def test_a_closed_weekday_loads_and_is_closed(folder):
    path = folder / "scenario.yaml"
    set_line(path, 17, '{open: "09:00", close: "18:00"}', "null")
    with pytest.warns(DataWarning, match="outside their channel.s opening hours"):
        client = load_client(folder)  # the sample has Sunday contacts: now out of hours
    assert client.scenario.opening_hours["sunday"] is None


def test_duplicate_yaml_key(folder):
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  sunday:", '  saturday:  {open: "10:00", close: "20:00"}\n  sunday:')
    path.write_text(text, encoding="utf-8")
    err = load_error(folder)
    assert err.row == 17 and "'saturday' given twice (first on line 16)" in str(err)


def test_unknown_timezone(folder):
    path = folder / "scenario.yaml"
    set_line(path, 6, "timezone: Asia/Taipei", "timezone: Asia/Taipie")
    check(load_error(folder), path, 6, "timezone", "Asia/Taipie", "IANA time zone")


@pytest.mark.parametrize("name, row, column, cell", [
    ("demand_intervals.csv", 20, "aht_s", "inf"),
    ("vendors.csv", 3, "qa_score", "nan"),
])
def test_infinity_and_nan_are_refused(folder, name, row, column, cell):
    path = folder / name
    set_cell(path, row, column, cell)
    err = load_error(folder)
    check(err, path, row, column, cell, "finite number")


def test_infinity_in_yaml_is_refused(folder):
    path = folder / "inhouse_costs.yaml"
    set_line(path, 9, "agent_monthly: 37000", "agent_monthly: .inf")
    check(load_error(folder), path, 9, "wages.agent_monthly", float("inf"), "finite number")


def test_utc_offset_in_interval_start_is_refused(folder):
    path = folder / "demand_intervals.csv"
    set_cell(path, 9, "interval_start", "2025-01-01 02:00+08:00")
    check(load_error(folder), path, 9, "interval_start", "2025-01-01 02:00+08:00",
          "without a UTC offset")


def test_all_zero_demand(folder):
    path = folder / "demand_intervals.csv"
    rows = read_rows(path)
    i, j = rows[0].index("contacts"), rows[0].index("aht_s")
    write_rows(path, [rows[0]] + [[*r[:i], "0", *r[i + 1:j], "", *r[j + 1:]] for r in rows[1:]])
    check(load_error(folder), path, None, "contacts", None, "a demand history with contacts")


def test_missing_intervals_warn_and_count_as_zero(folder):
    path = folder / "demand_intervals.csv"
    rows = read_rows(path)
    write_rows(path, rows[:100] + rows[104:])  # 4 rows gone: chat, email, voice, chat
    with pytest.warns(DataWarning) as caught:
        client = load_client(folder)
    text = " ".join(str(w.message) for w in caught)
    assert "chat has 2 of 17520 intervals missing" in text
    assert "voice has 1 of 17520 intervals missing" in text
    assert any("intervals missing" in n for n in client.warnings)


def test_header_not_on_the_first_row(folder):
    path = folder / "vendors.csv"
    path.write_text("Vendor list 2025\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    err = load_error(folder)
    check(err, path, 1, None, ["Vendor list 2025"], "the header on row 1")


def test_fifteen_minute_client_over_two_years(folder):
    """Another interval length and a demand spanning two calendar years load and profile."""
    from bpo_analysis.core import demand
    from bpo_analysis.steps.profile import views as profile

    set_line(folder / "scenario.yaml", 7, "interval_minutes: 30", "interval_minutes: 15")
    starts = pd.date_range("2025-07-01", "2027-06-30 23:45", freq="15min")
    d = pd.DataFrame({"interval_start": starts.strftime("%Y-%m-%d %H:%M"), "channel": "email",
                      "contacts": 2, "aht_s": 500.0})
    d.to_csv(folder / "demand_intervals.csv", index=False)
    client = load_client(folder)
    assert len(client.demand) == 2 * 365 * 96
    heat = demand.heatmap(demand.heatmap_cube(client.demand, 15))
    assert heat.shape == (7, 96) and (heat.to_numpy() == 2).all()
    shown = profile.profile_headlines(client)
    assert shown["contacts"].value == 2 * 365 * 96 * 2
    assert shown["contacts"].note == "2025-07-01 to 2027-06-30 (730 days)"


def test_xlsx_demand_with_real_datetime_cells(folder, baseline):
    csv_path = folder / "demand_intervals.csv"
    frame = pd.read_csv(csv_path, parse_dates=["interval_start"])
    frame.to_excel(folder / "demand_intervals.xlsx", index=False)
    csv_path.unlink()
    client = load_client(folder)
    pd.testing.assert_frame_equal(client.demand.reset_index(drop=True),
                                  baseline.demand.reset_index(drop=True), check_dtype=False)


def test_xlsx_text_cells_are_not_blanks_and_numbers_are_ids(folder):
    path = vendors_to_xlsx(folder)
    (folder / "vendors.csv").unlink()
    frame = pd.read_excel(path, dtype=object)
    frame.loc[0, "vendor_id"] = 101  # typed as a number in Excel
    frame.loc[1, "name"] = "NA"  # a vendor really named NA
    frame.loc[2, "pilot_csat"] = "n/a"  # text where a share is expected: refused
    frame.to_excel(path, index=False)
    err = load_error(folder)
    check(err, path, 4, "pilot_csat", "n/a", "valid number")
    frame.loc[2, "pilot_csat"] = None
    frame.to_excel(path, index=False)
    quotes = folder / "quotes.csv"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(",V01,", ",101,"),
                      encoding="utf-8")
    client = load_client(folder)
    assert client.vendors["vendor_id"].iloc[0] == "101"
    assert client.vendors["name"].iloc[1] == "NA"


# ---------------------------------------------------------------- messages that misled (issue 22)
def test_empty_optional_quote_cells_take_their_documented_default(folder, baseline):
    path = folder / "quotes.csv"
    for column in ("monthly_minimum", "band_share", "escalation_from_year"):
        set_cell(path, 2, column, "")
    client = load_client(folder)
    assert client.quotes.loc[2, ["monthly_minimum", "band_share", "escalation_from_year"]
                             ].tolist() == [0.0, 0.0, 2]  # data/README.md's defaults
    pd.testing.assert_frame_equal(client.quotes, baseline.quotes)  # the sample wrote them
    set_cell(path, 2, "contract_term_months", "")  # a required cell still may not be empty
    check(load_error(folder), path, 2, "contract_term_months", None, "valid integer")


@pytest.mark.parametrize("cell, found", [
    ("45663.35416666", "found an Excel serial day number (45663.35416666 is 2025-01-06 08:30)"),
    ("1736152200", "found epoch seconds (since 1970; 1736152200 is 2025-01-06 08:30 UTC)"),
    ("1736152200000", "found epoch milliseconds (since 1970; 1736152200000 is 2025-01-06 "
                      "08:30 UTC)"),
], ids=["excel serial", "epoch seconds", "epoch milliseconds"])
def test_a_number_in_interval_start_says_what_it_is(folder, cell, found):
    path = folder / "demand_intervals.csv"
    set_cell(path, 9, "interval_start", cell)
    err = load_error(folder)
    check(err, path, 9, "interval_start", cell, found)
    assert "not a date-time: write the local date-time as YYYY-MM-DD HH:MM without a UTC " \
           "offset, e.g. 2025-01-06 08:30 (in Excel: format the column as yyyy-mm-dd hh:mm)" \
           in err.allowed
    assert "must be local time without a UTC offset" not in str(err)


def test_a_number_cell_in_an_excel_demand_says_it_is_a_serial_day(folder):
    csv_path = folder / "demand_intervals.csv"
    frame = pd.read_csv(csv_path, dtype=object, keep_default_na=False)
    frame["interval_start"] = frame["interval_start"].astype(object)
    frame.loc[7, "interval_start"] = 45658.5  # row 9: 2025-01-01 12:00 as Excel stores it
    frame.to_excel(folder / "demand_intervals.xlsx", index=False)
    csv_path.unlink()
    err = load_error(folder)
    check(err, folder / "demand_intervals.xlsx", 9, "interval_start", 45658.5,
          "found an Excel serial day number (45658.5 is 2025-01-01 12:00)")


@pytest.mark.parametrize("sep, decimal, said", [
    (";", ",", "the file is separated by ';' with decimal commas, not by commas"),
    (";", ".", "the file is separated by ';', not by commas"),
    ("\t", ".", "the file is separated by tabs, not by commas"),
], ids=["european excel", "semicolons", "tabs"])
def test_a_csv_not_separated_by_commas_says_so(folder, sep, decimal, said):
    path = folder / "quotes.csv"
    rows = read_rows(path)
    lines = [sep.join(c.replace(".", decimal) for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = load_error(folder)
    check(err, path, 1, None, lines[0][:60], "comma-separated fields with decimal points: "
          "save it as comma-separated ('CSV UTF-8') with '.' as the decimal separator")
    assert said in str(err) and "row 6" not in str(err)


def _quotes_workbook(folder: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """quotes.csv replaced by quotes.xlsx with these sheets, in this order."""
    out = folder / "quotes.xlsx"
    with pd.ExcelWriter(out, engine="openpyxl") as book:
        for name, frame in sheets.items():
            frame.to_excel(book, sheet_name=name, index=False)
    (folder / "quotes.csv").unlink()
    return out


COVER = pd.DataFrame({"Quotes received, RFP 2025": ["prepared by procurement"]})


@pytest.mark.parametrize("names", [("Cover", "Data"), ("Cover", "2024 quotes", "quotes")],
                         ids=["found by its columns", "found by its name"])
def test_xlsx_with_a_cover_sheet_first_reads_the_table_sheet(folder, baseline, names):
    quotes = pd.read_csv(folder / "quotes.csv")
    sheets = {n: COVER if n == "Cover" else quotes for n in names}
    if len(names) == 3:
        sheets[names[1]] = quotes.head(2)  # another table of quotes: the named one wins
    _quotes_workbook(folder, sheets)
    pd.testing.assert_frame_equal(load_client(folder).quotes, baseline.quotes,
                                  check_dtype=False)


def test_xlsx_without_the_tables_sheet_names_its_sheets_and_the_columns(folder):
    out = _quotes_workbook(folder, {"Cover": COVER, "Notes": pd.DataFrame({"note": ["x"]})})
    err = load_error(folder)
    check(err, out, None, None, ["Cover", "Notes"], "a sheet (named 'quotes', or any one) "
          "whose row 1 is the header: quote_id, vendor_id, channel, pricing_model")
    assert "no sheet has the table's columns on its first row" in str(err)
    assert "no data rows" not in str(err)


def test_xlsx_table_sheets_that_are_ambiguous_or_incomplete_are_named(folder):
    quotes = pd.read_csv(folder / "quotes.csv")
    out = _quotes_workbook(folder, {"Cover": COVER, "2024": quotes, "2025": quotes})
    check(load_error(folder), out, None, None, ["2024", "2025"],
          "the table on one sheet, or the sheet to read named 'quotes'")
    out.unlink()
    (folder / "quotes.csv").write_text("x")  # _quotes_workbook removes it again
    out = _quotes_workbook(folder, {"Cover": COVER, "Data": quotes.drop(columns="channel")})
    err = load_error(folder)
    check(err, out, None, "channel", None, "columns quote_id")
    assert "required column is missing (on sheet 'Data')" in str(err)


@pytest.mark.parametrize("name, line, old, new, key, value, said", [
    ("scenario.yaml", 5, "currency:", "curency:", "curency", "TWD",
     "unknown key 'curency' (did you mean 'currency'?)"),
    ("scenario.yaml", 24, "volume_growth_annual:", "volume_growth_anual:",
     "volume_growth_anual", 0.06, "unknown key 'volume_growth_anual' (did you mean "
     "'volume_growth_annual'?)"),
    ("inhouse_costs.yaml", 26, "other_monthly", "other_monthy", "facilities.other_monthy",
     85000, "unknown key 'other_monthy' (did you mean 'other_monthly'?)"),
    ("continuity.yaml", 12, "outage:", "outages:", "outages", None,
     "unknown key 'outages' (did you mean 'outage'?)"),
], ids=["required key", "optional key", "nested key", "key of a block"])
def test_a_misspelt_yaml_key_is_named_with_its_line_and_the_key_meant(
        folder, name, line, old, new, key, value, said):
    path = folder / name
    set_line(path, line, old, new)
    err = load_error(folder)
    check(err, path, line, key, value, "the keys of ")
    assert said in str(err) and "missing key" not in str(err)
    assert old.rstrip(":") in err.allowed


def test_a_misspelt_weekday_suggests_the_day(folder):
    path = folder / "scenario.yaml"
    set_line(path, 11, "monday:", "mondey:")
    err = load_error(folder)
    check(err, path, 11, "opening_hours.mondey", "mondey", "(did you mean 'monday'?)")


@pytest.mark.parametrize("name, old, new, line, key, value, said, allowed", [
    ("criteria.yaml", "{id: qa_score,", "{id: mystery_shopper,", 7, "criteria.1.id",
     "mystery_shopper", "criterion id 'mystery_shopper' given twice (first on line 6)",
     "each id once"),
    ("criteria.yaml", "- [price, people, 1.5]", "- [price, peple, 1.5]", 84,
     "ahp.judgements.4.1", "peple", "an ahp judgement names 'peple', not one of the groups "
     "(did you mean 'people'?)", "one of the groups: service quality, scale"),
    ("maturity_answers.yaml", "subject: V02 Harbor Contact Services",
     "subject: Formosa Click in-house centre", 11, "assessments.1.subject",
     "Formosa Click in-house centre", "subject 'Formosa Click in-house centre' is assessed "
     "twice (first on line 6)", "one entry per subject"),
    ("continuity.yaml", "- id: second_vendor", "- id: backup_site", 25,
     "outage.options.1.id", "backup_site", "option id 'backup_site' given twice (first on "
     "line 18)", "each option id once"),
    ("scenario.yaml", '  monday:    {open: "08:00", close: "24:00"}\n', "", 11,
     "opening_hours", ["tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
     "opening_hours lacks monday", "every weekday, monday to sunday; write null for a "
     "closed day (monday: null)"),
], ids=["criterion id twice", "unknown ahp group", "subject twice", "outage option twice",
        "no monday"])
def test_a_rule_over_a_list_points_at_the_item(folder, name, old, new, line, key, value,
                                               said, allowed):
    path = folder / name
    edit_text(path, old, new, count=1)
    err = load_error(folder)
    check(err, path, line, key, value, allowed)
    assert said in str(err) and "{'" not in str(err), str(err)  # not the whole document


def test_all_weights_zero_points_at_the_criteria(folder):
    path = folder / "criteria.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"weight: [0-9.]+", "weight: 0", text), encoding="utf-8")
    err = load_error(folder)
    check(err, path, 6, "criteria", None, "at least one criterion with a weight > 0")
    assert "every criterion's weight is 0" in str(err) and "'mystery_shopper'" not in str(err)


MERGED_HOURS = '''  monday: &weekday {open: "08:00", close: "24:00"}
  tuesday: *weekday
  wednesday: {<<: *weekday}
  thursday:
    <<: *weekday
    close: "22:00"
  friday: {<<: *weekday, open: "09:00"}
'''


@pytest.mark.filterwarnings("ignore::bpo_analysis.errors.DataWarning")  # shorter hours
def test_yaml_merge_keys_are_read_and_may_be_overridden(folder, baseline):
    path = folder / "scenario.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[10].startswith("  monday:") and lines[14].startswith("  friday:")
    path.write_text("".join(lines[:10]) + MERGED_HOURS + "".join(lines[15:]), encoding="utf-8")
    hours = load_client(folder).scenario.opening_hours
    assert hours["monday"] == hours["tuesday"] == hours["wednesday"]
    assert str(hours["thursday"].close) == "22:00:00" and str(hours["friday"].open) == "09:00:00"
    assert hours["friday"].close == baseline.scenario.opening_hours["friday"].close
    # a merged key refused is found at its anchor's line; a key written twice still is refused
    edit_text(path, 'monday: &weekday {open: "08:00"', 'monday: &weekday {open: "8 am"')
    check(load_error(folder), path, 11, "opening_hours.monday.open", "8 am", "HH:MM")
    edit_text(path, '    close: "22:00"\n', '    close: "22:00"\n    close: "23:00"\n')
    err = load_error(folder)
    check(err, path, 17, None, None, "not valid YAML")
    assert "key 'close' given twice (first on line 16)" in str(err)


def test_a_folder_or_an_unreadable_file_is_one_clear_error(folder, monkeypatch):
    risks = (folder / "risks.csv").read_bytes()
    (folder / "risks.csv").unlink()
    (folder / "risks.csv").mkdir()
    err = load_error(folder)
    check(err, folder / "risks.csv", None, None, None,
          "the file risks.csv itself (move the folder away)")
    assert "a folder where a file is expected" in str(err)
    (folder / "risks.csv").rmdir()
    (folder / "risks.csv").write_bytes(risks)
    real = Path.read_bytes

    def refused(self):
        if self.name == "sla.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refused)
    err = load_error(folder)
    check(err, folder / "sla.yaml", None, None, None, "check its permissions")
    assert "cannot read the file: permission denied" in str(err)


def test_a_missing_yaml_key_names_the_key_and_where_it_belongs(folder):
    path = folder / "continuity.yaml"
    edit_text(path, "  hours: 10 ", "  # hours: 10 ")
    err = load_error(folder)
    check(err, path, 13, "outage.hours", None, "a value for 'hours' in outage")
    assert "missing key 'hours'" in str(err) and "Field required" not in str(err)
