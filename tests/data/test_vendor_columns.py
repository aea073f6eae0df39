"""Issue 22, a schema that fits any client: vendors.csv's columns on a copy of data/sample.

The columns named for Taiwan's retail sector are renamed, and a folder that still has an
old name is refused with the new one; any other column of numbers or yes/no may be
scored by a criterion (kept, typed, not warned about), one no criterion reads warns and
is ignored; ``languages`` says what the vendor's agents serve.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from bpo_analysis.data.client import load_client
from bpo_analysis.data.models import VendorRow
from bpo_analysis.errors import DataError, DataWarning
from tests.conftest import edit_text

NPS = {"V01": "45", "V02": "62", "V03": "30", "V04": "38", "V05": "51", "V06": "40"}
NPS_CRITERION = ("  - {id: nps, group: service quality, name: Net Promoter Score, column: nps, "
                 "direction: benefit, unit: points, weight: 0.05}\n")


def add_column(folder: Path, name: str, cells: dict[str, str]) -> Path:
    """Append a column to vendors.csv: ``cells`` by vendor id."""
    path = folder / "vendors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + f",{name}"] + [f"{ln},{cells[ln.split(',')[0]]}" for ln in lines[1:]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def add_criterion(folder: Path, line: str) -> Path:
    """Insert a criterion as the first of criteria.yaml's list."""
    path = folder / "criteria.yaml"
    edit_text(path, "criteria:\n", "criteria:\n" + line, count=1)
    return path


def quiet_load(folder: Path):
    """Load the folder, failing on any DataWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        return load_client(folder)


def load_error(folder: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_client(folder)
    return info.value


# ---------------------------------------------------------------- renamed columns
@pytest.mark.parametrize("old, new, meaning", [
    ("retail_references", "industry_references", "references in the client's industry"),
    ("pdpa_audit", "data_protection_audit", "audited under the client's data-protection law"),
])
def test_an_old_column_name_is_refused_with_the_new_one(folder, old, new, meaning):
    path = folder / "vendors.csv"
    edit_text(path, new, old, count=1)
    err = load_error(folder)
    assert (err.file, err.row, err.column) == (path, 1, old)
    assert str(err) == (f"{path}, row 1, column '{old}': column {old} was renamed {new} "
                        f"({meaning}); rename the column; allowed: {new}, the same values")


def test_an_old_column_name_is_refused_in_a_workbook_too(folder):
    df = pd.read_csv(folder / "vendors.csv").rename(
        columns={"industry_references": "retail_references"})
    df.to_excel(folder / "vendors.xlsx", sheet_name="vendors", index=False)
    (folder / "vendors.csv").unlink()
    err = load_error(folder)
    assert (err.file, err.column) == (folder / "vendors.xlsx", "retail_references")
    assert "was renamed industry_references (references in the client's industry)" in str(err)


def test_a_criterion_reading_an_old_column_name_is_refused(folder):
    path = folder / "criteria.yaml"
    edit_text(path, "column: industry_references", "column: retail_references")
    err = load_error(folder)
    assert (err.file, err.row, err.column, err.value) == (
        path, 13, "criteria.5.column", "retail_references")
    assert ("criterion 'industry_references' reads column retail_references, which "
            "vendors.csv renamed industry_references (references in the client's industry)"
            ) in str(err)
    assert err.allowed == "column: industry_references"


def test_the_sample_has_the_generic_names():
    fields = VendorRow.model_fields
    assert {"industry_references", "data_protection_audit", "languages"} <= set(fields)
    assert not set(VendorRow.RENAMED) & set(fields)


# ---------------------------------------------------------------- the client's own columns
def test_an_extra_column_a_criterion_reads_is_kept_and_typed_without_a_warning(folder):
    add_column(folder, "nps", {**NPS, "V03": ""})
    add_column(folder, "nearshore", dict.fromkeys(NPS, "yes") | {"V02": "no", "V05": ""})
    add_criterion(folder, NPS_CRITERION)
    add_criterion(folder, "  - {id: nearshore, group: site, name: Nearshore site, column: "
                          "nearshore, direction: benefit, unit: yes/no, weight: 0.01}\n")
    client = quiet_load(folder)
    v = client.vendors.set_index("vendor_id")
    assert v["nps"].dtype == float and v.loc["V01", "nps"] == 45.0
    assert pd.isna(v.loc["V03", "nps"])  # empty: not known
    assert v["nearshore"].tolist() == [True, False, True, True, None, True]
    assert client.warnings == ()


def test_an_extra_column_no_criterion_reads_warns_and_is_ignored(folder):
    add_column(folder, "nps", NPS)
    add_column(folder, "region", dict.fromkeys(NPS, "north"))
    add_criterion(folder, NPS_CRITERION)
    with pytest.warns(DataWarning, match=r"unknown column\(s\) \['region'\] ignored") as rec:
        client = load_client(folder)
    assert not [w for w in rec if "'nps'" in str(w.message)]
    assert "nps" in client.vendors and "region" not in client.vendors


def test_an_extra_column_unread_is_still_warned(folder):
    add_column(folder, "nps", NPS)
    with pytest.warns(DataWarning, match=r"unknown column\(s\) \['nps'\] ignored"):
        client = load_client(folder)
    assert "nps" not in client.vendors


YES_NO = {"V01": "yes", "V02": "no", "V03": "y", "V04": "1", "V05": "no", "V06": "true"}


@pytest.mark.parametrize("cells, bad, phrase, allowed", [
    ({**NPS, "V04": "n/a"}, "n/a", "criterion 'nps' of criteria.yaml scores this column of "
     "numbers", "a number, or an empty cell for not known (or yes/no in every cell)"),
    ({**NPS, "V04": "yes"}, "yes", "scores this column of numbers", "yes/no in every cell"),
    ({**YES_NO, "V04": "maybe"}, "maybe", "criterion 'nps' of criteria.yaml scores this "
     "column of yes/no", "yes or no (true/false), or an empty cell for not known"),
    ({**YES_NO, "V05": "3"}, "3", "scores this column of yes/no", "yes or no"),
], ids=["word among numbers", "yes among numbers", "word among yes/no", "3 among yes/no"])
def test_a_scored_extra_cell_of_another_kind_is_refused(folder, cells, bad, phrase, allowed):
    path = add_column(folder, "nps", cells)
    add_criterion(folder, NPS_CRITERION)
    err = load_error(folder)
    row = 2 + list(cells.values()).index(bad)
    assert (err.file, err.row, err.column, err.value) == (path, row, "nps", bad)
    assert phrase in str(err) and allowed in err.allowed


def test_a_criterion_reading_a_column_vendors_csv_lacks_lists_the_extras(folder):
    add_column(folder, "nps", NPS)
    add_criterion(folder, NPS_CRITERION)
    add_criterion(folder, NPS_CRITERION.replace("id: nps", "id: csat").replace(
        "column: nps", "column: csat_survey"))
    err = load_error(folder)
    assert err.column == "criteria.0.column" and err.value == "csat_survey"
    assert "vendors.csv does not have" in str(err) and "'nps'" in err.allowed


def test_a_knock_out_on_an_extra_yes_no_column_is_checked_like_the_schemas(folder):
    add_column(folder, "nearshore", dict.fromkeys(NPS, "yes"))
    path = add_criterion(folder, "  - {id: nearshore, group: site, name: Nearshore site, "
                                 "column: nearshore, direction: benefit, unit: yes/no, "
                                 'weight: 0.01, knock_out: {op: ">=", value: true}}\n')
    err = load_error(folder)
    assert (err.file, err.column, err.value) == (path, "criteria.0.knock_out.op", ">=")
    assert "a yes/no column (vendors.csv column nearshore) is compared with == or != only" \
        in str(err)


# ---------------------------------------------------------------- languages
def test_languages_are_read_as_lists_and_may_be_left_out(folder):
    client = quiet_load(folder)
    assert client.vendors.set_index("vendor_id").loc["V04", "languages"] == [
        "zh-Hant", "en", "tl", "yue"]
    edit_text(folder / "criteria.yaml", "languages: [zh-Hant, en]\n", "")
    df = pd.read_csv(folder / "vendors.csv").drop(columns="languages")
    df.to_csv(folder / "vendors.csv", index=False)
    assert quiet_load(folder).vendors["languages"].isna().all()


def test_languages_asked_of_vendors_that_give_none_are_refused(folder):
    df = pd.read_csv(folder / "vendors.csv").drop(columns="languages")
    df.to_csv(folder / "vendors.csv", index=False)
    path = folder / "criteria.yaml"
    err = load_error(folder)
    assert (err.file, err.column, err.value) == (path, "languages", ["zh-Hant", "en"])
    assert err.row == len(path.read_text(encoding="utf-8").splitlines())
    assert "vendors.csv says of none which it serves" in str(err)
