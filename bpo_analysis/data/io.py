"""Read and validate one file of a client folder (the schema of ``data/sample``).

Tables may be CSV (UTF-8, with or without the BOM Excel writes; Big5/cp950 is decoded
with a :class:`~bpo_analysis.errors.DataWarning`; comma-separated, decimal points) or
Excel ``.xlsx`` (the sheet named like the table, or whose first row has its columns);
documents are YAML. Every file is validated against :mod:`bpo_analysis.data.models`; the
first problem found raises one :class:`~bpo_analysis.errors.DataError` naming file,
row (as a spreadsheet shows it: header = row 1) and column, the value and what is
allowed. Unknown columns warn and are ignored, but for the ones criteria score
(:mod:`bpo_analysis.data.extras`, which also refuses a renamed column with its new name);
an optional column's empty cell takes the default ``data/README.md`` gives it. Nothing
else is filled in. The whole folder, with the rules that span files, is
:func:`bpo_analysis.data.client.load_client`.

This module validates the tables and names every file of a folder (:data:`TABLES`,
:data:`DOCUMENTS`); getting a table's cells is :mod:`bpo_analysis.data.frames`; finding a
file, decoding its text and reading a YAML document are in :mod:`bpo_analysis.data.files`,
whose names are exported here too.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from bpo_analysis.data import models as m
from bpo_analysis.data import validate_columns
from bpo_analysis.data.extras import read_extras, refuse_renamed
from bpo_analysis.data.files import (
    DOC_EXTS,
    SourceFile,
    StrictYamlLoader,
    find_file,
    read_bytes,
    read_document,
    yaml_line,
)
from bpo_analysis.data.frames import read_frame
from bpo_analysis.errors import DataError, DataWarning

__all__ = [
    "DOCUMENTS",
    "DOC_EXTS",
    "OPTIONAL_DOCUMENTS",
    "TABLES",
    "SourceFile",
    "StrictYamlLoader",
    "find_file",
    "read_document",
    "read_roi_actuals",
    "read_table",
    "read_vendor_reports",
    "yaml_line",
]

TABLE_EXTS = (".csv", ".xlsx")


@dataclass(frozen=True)
class TableSpec:
    """How a table is validated: its row model and the columns that identify a row."""

    model: type[BaseModel]
    key: tuple[str, ...]
    names: tuple[str, ...] = ()  # columns that name a row in an error (quote and vendor)


TABLES: dict[str, TableSpec] = {
    "demand_intervals": TableSpec(m.DemandRow, ("interval_start", "channel")),
    "vendors": TableSpec(m.VendorRow, ("vendor_id",), ("vendor_id",)),
    "quotes": TableSpec(m.QuoteRow, ("quote_id",), ("quote_id", "vendor_id")),
    "vendor_monthly_reports": TableSpec(m.VendorReportRow, ("month", "vendor_id", "channel")),
    "risks": TableSpec(m.RiskRow, ("risk_id",)),
}
#: Tables read on their own, outside a client folder.
ROI_ACTUALS = TableSpec(m.RoiActualRow, ("month",))
DOCUMENTS: dict[str, type[BaseModel]] = {
    "scenario": m.Scenario,
    "inhouse_costs": m.InhouseCosts,
    "criteria": m.Criteria,
    "sla": m.SlaTerms,
    "maturity_answers": m.MaturityAnswers,
}
#: Documents a client folder may leave out (the steps that need them say so).
OPTIONAL_DOCUMENTS: dict[str, type[BaseModel]] = {
    "tco": m.TcoAssumptions,
    "roi": m.RoiAssumptions,
    "continuity": m.ContinuityAssumptions,
    "decision": m.DecisionFile,
}


def _check_columns(path: Path, df: pd.DataFrame, model: type[BaseModel],
                   scored: Collection[str] = ()) -> None:
    fields = model.model_fields
    refuse_renamed(path, list(df.columns), model)
    if not set(fields) & set(df.columns):
        raise DataError("the first row has none of the expected column names", file=path,
                        row=1, value=list(df.columns)[:5],
                        allowed="the header on row 1: " + ", ".join(fields))
    for name, f in fields.items():
        if f.is_required() and name not in df.columns:
            near = difflib.get_close_matches(name, list(df.columns), n=1)
            hint = f" (is {near[0]!r} meant to be it?)" if near else ""
            raise DataError(f"required column is missing{hint}", file=path, column=name,
                            allowed="columns " + ", ".join(fields))
    extra = [c for c in df.columns if c not in fields and c not in scored]
    if extra:
        warnings.warn(DataWarning(f"{path}: unknown column(s) {extra} ignored; known columns: "
                                  + ", ".join(fields)), stacklevel=3)


def _defaults(df: pd.DataFrame, model: type[BaseModel]) -> pd.DataFrame:
    """Give an optional column's empty cells its documented default (``monthly_minimum`` 0).

    Only for columns whose default is a value: where the default is "not known" (None)
    the empty cell already means that.
    """
    for name, f in model.model_fields.items():
        if name in df.columns and not f.is_required() and f.default is not None:
            empty = df[name].isna()
            if empty.any():
                df[name] = df[name].where(~empty, f.default)
    return df


def _text_cells(df: pd.DataFrame, model: type[BaseModel]) -> pd.DataFrame:
    """Excel stores an id typed as 101 as a number: read it back as the text '101'."""
    for name, f in model.model_fields.items():
        if name in df.columns and f.annotation in (str, str | None):
            df[name] = [str(int(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
                        and float(v).is_integer() else v for v in df[name]]
    return df


def _first_row_error(path: Path, err: ValidationError, rows: pd.Index,
                     records: list[dict] | None = None, names: tuple[str, ...] = ()
                     ) -> DataError:
    errs = err.errors()
    e = errs[0]
    column = str(e["loc"][1]) if len(e["loc"]) > 1 else None
    more = len({x["loc"][0] for x in errs if x["loc"]}) - 1
    record = records[e["loc"][0]] if records and e["loc"] else {}
    named = [f"{n} {record[n]}" for n in names if record.get(n) not in (None, "")]
    problem = "invalid value" + (f" in {', '.join(named)}" if named else "") + (
        f" (and {more} more row(s) with problems)" if more > 0 else "")
    allowed = e["msg"].removeprefix("Value error, ")
    if path.suffix == ".xlsx" and e["type"] == "string_type":
        allowed += " (Excel stored the cell as a number or date: format the column as Text)"
    return DataError(problem, file=path, row=int(rows[e["loc"][0]]), column=column,
                     value=e["input"] if column else None, allowed=allowed)


def _check_unique(path: Path, df: pd.DataFrame, key: tuple[str, ...]) -> None:
    dup = df.duplicated(list(key), keep=False)
    if dup.any():
        first = df.loc[dup, list(key)].iloc[0]
        same = [int(r) for r in df.index[dup & (df[list(key)] == first).all(axis=1)]]
        first = first.tolist()
        raise DataError(f"duplicate {'/'.join(key)}: rows {same} are the same", file=path,
                        row=same[-1], column=key[0], value=first if len(key) > 1 else first[0],
                        allowed=f"each {'/'.join(key)} once")


@functools.cache
def _rows_adapter(model: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(list[model])


def _validate_rows(path: Path, df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Validate the untyped table ``df`` row by row with ``spec.model``.

    Returns the typed table, or raises a DataError for the first row refused (counting
    the others).
    """
    cols = [c for c in spec.model.model_fields if c in df.columns]
    records = [dict(zip(cols, vals, strict=True))
               for vals in zip(*(df[c].tolist() for c in cols), strict=True)]
    adapter = _rows_adapter(spec.model)
    try:
        rows = adapter.validate_python(records)
    except ValidationError as err:
        raise _first_row_error(path, err, df.index, records, spec.names) from None
    return pd.DataFrame(adapter.dump_python(rows), columns=list(spec.model.model_fields),
                        index=df.index)


def _validate_table(path: Path, df: pd.DataFrame, spec: TableSpec,
                    scored: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Check the columns, then every row, then the key's uniqueness; the typed table."""
    if df.empty:
        raise DataError("the table has a header but no data rows", file=path,
                        allowed="at least one data row")
    _check_columns(path, df, spec.model, scored)
    if path.suffix == ".xlsx":
        df = _text_cells(df, spec.model)
    df = _defaults(df, spec.model)
    if len(df) >= validate_columns.MIN_ROWS and validate_columns.covers(spec.model):
        out, suspect = validate_columns.validate(df, spec.model)
        if suspect.any():  # raises for the first row refused; else ``out`` holds
            _validate_rows(path, df[suspect], spec)
    else:
        out = _validate_rows(path, df, spec)
    _check_unique(path, out, spec.key)
    return out.join(read_extras(path, df, scored)) if scored else out


def read_table(path: str | Path, spec: TableSpec, scored: Mapping[str, Sequence[str]] | None
               = None) -> tuple[pd.DataFrame, SourceFile]:
    """Read one table file and validate every row against ``spec.model``.

    A long table whose model :mod:`~bpo_analysis.data.validate_columns` covers is
    validated a column at a time, then the rows found suspect row by row: the same table
    and errors, in a fraction of the time.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8, with or without a BOM; Big5/cp950 with a warning) or
        ``.xlsx`` file (the sheet named like the table, or whose first row has its
        columns).
    spec : TableSpec
        The row model, the key columns (unique per row) and the columns naming a row.
    scored : mapping, optional
        Columns beyond the model that criteria score -> their ids
        (:func:`~bpo_analysis.data.extras.scored_extras`): kept, typed as numbers or
        yes/no, and not warned about. Other unknown columns warn and are ignored.

    Returns
    -------
    table : DataFrame
        One column per model field (then per scored column), typed, indexed by the row
        number in the file as a spreadsheet shows it (header = 1).
    source : SourceFile
        Its provenance: format, encoding, rows and SHA-256.

    Raises
    ------
    DataError
        An empty or unreadable file, a missing or renamed column (the new name said), a
        cell the model refuses (or a scored column's cell neither a number nor yes/no), a
        duplicate key, a bad encoding, a CSV separated by ';', a workbook without the
        table's sheet or a malformed table (naming the file, row, column and value).

    Examples
    --------
    >>> table, source = read_table("data/sample/quotes.csv", TABLES["quotes"])
    >>> table.loc[2, "quote_id"], source.format, source.rows
    ('Q01', 'csv', 8)
    """
    path = Path(path)
    raw = read_bytes(path)
    fields = spec.model.model_fields
    df, encoding, sheet = read_frame(path, raw, list(fields),
                                     [n for n, f in fields.items() if f.is_required()])
    try:
        out = _validate_table(path, df, spec, scored or {})
    except DataError as err:  # in a workbook of several sheets, say which one
        raise (err.noted(f"on sheet {sheet!r}") if sheet else err) from None
    digest = hashlib.sha256(raw).hexdigest()
    return out, SourceFile(path.stem, path, path.suffix[1:], encoding, len(out), digest)


def read_vendor_reports(path: str | Path) -> pd.DataFrame:
    """Read one file of vendors' monthly reports (``vendor_monthly_reports.csv``'s schema).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file.

    Returns
    -------
    DataFrame
        The validated reports, one row per month, vendor and channel.

    Raises
    ------
    DataError
        As :func:`read_table`.

    Examples
    --------
    >>> reports = read_vendor_reports("data/sample/vendor_monthly_reports.csv")
    >>> len(reports), sorted(reports["channel"].unique())
    (48, ['chat', 'voice'])
    """
    return read_table(path, TABLES["vendor_monthly_reports"])[0]


def read_roi_actuals(path: str | Path) -> pd.DataFrame:
    """Read one file of the move's monthly actuals (``roi_actuals.csv``'s schema).

    One row per month; empty FCR, CSAT or churn cells stay NaN (the plan's value is
    used for them).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file.

    Returns
    -------
    DataFrame
        The validated actuals.

    Raises
    ------
    DataError
        As :func:`read_table` (a month twice included).

    Examples
    --------
    >>> actuals = read_roi_actuals("data/sample/roi_actuals.csv")
    >>> actuals["month"].is_unique
    True
    """
    return read_table(path, ROI_ACTUALS)[0]
