"""Read a table file, CSV or Excel, into untyped cells; say plainly why one cannot be.

:func:`bpo_analysis.data.io.read_table` validates a table's cells against its row model;
this module gets the cells. A CSV is UTF-8 (or Big5/cp950, with a warning) separated by
commas with decimal points: one that European Excel saved, separated by ``;`` with
decimal commas, is refused with that said (not read, since a decimal comma and a
thousands separator cannot be told apart: ``1,234`` is 1.234 or 1234). An Excel
workbook's table is on the sheet named like the table (``quotes``), else on the one
sheet whose first row holds the table's columns, so a cover or notes sheet may come
first.
"""

from __future__ import annotations

import io as _io
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bpo_analysis.data.files import decode
from bpo_analysis.errors import DataError

__all__ = ["read_frame"]

_DECIMAL_COMMA = re.compile(r"(?:^|;)\s*-?\d+,\d+\s*(?:;|$)", re.MULTILINE)


def _check_separator(path: Path, text: str) -> None:
    """Refuse a CSV whose header is separated by ';' or tabs rather than commas."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    for sep, name in ((";", "';'"), ("\t", "tabs")):
        if sep in header and header.count(sep) > header.count(","):
            commas = sep == ";" and _DECIMAL_COMMA.search(text) is not None
            problem = f"the file is separated by {name}" + (" with decimal commas" if commas
                                                             else "") + ", not by commas"
            raise DataError(problem, file=path, row=1, value=header[:60],
                            allowed="comma-separated fields with decimal points: save it as "
                            "comma-separated ('CSV UTF-8') with '.' as the decimal separator "
                            "(Excel: File > Options > Advanced, untick 'Use system separators')")


def _read_csv(path: Path, raw: bytes) -> tuple[pd.DataFrame, str]:
    if not raw.strip():
        raise DataError("the file is empty", file=path,
                        allowed="a header row and at least one data row")
    text, encoding = decode(path, raw)
    _check_separator(path, text)
    try:  # na_filter=False: every cell is text ("NA" too); "" is an empty cell
        df = pd.read_csv(_io.StringIO(text), dtype=object, na_filter=False,
                         skipinitialspace=True, skip_blank_lines=False, low_memory=False)
    except pd.errors.ParserError as err:
        found = re.search(r"line (\d+)", str(err))
        raise DataError(f"not a well-formed CSV table ({err})", file=path,
                        row=int(found.group(1)) if found else None,
                        allowed="the same number of comma-separated fields on every row"
                        ) from None
    cells = df.to_numpy(dtype=object, copy=True)  # one block: faster than df.where
    cells[cells == ""] = None
    return pd.DataFrame(cells, columns=df.columns, dtype=object), encoding


def _pick_sheet(path: Path, book: pd.ExcelFile, columns: Sequence[str],
                required: Sequence[str]) -> str | int:
    """Find the table's sheet: named like the table, or the one whose row 1 has its columns."""
    names = [str(n) for n in book.sheet_names]
    if len(names) == 1:
        return 0
    named = [n for n in names if n.strip().lower() == path.stem.lower()]
    if named:
        return named[0]
    headers = {n: {str(c).strip() for c in pd.read_excel(book, sheet_name=n, nrows=0).columns}
               for n in names}
    full = [n for n in names if set(required) <= headers[n]]
    some = [n for n in names if headers[n] & set(columns)]
    if len(full) > 1:
        raise DataError("several sheets hold the table's columns", file=path, value=full,
                        allowed=f"the table on one sheet, or the sheet to read named "
                        f"{path.stem!r}")
    if full or len(some) == 1:  # one sheet has some of them: its missing column is named
        return (full or some)[0]
    raise DataError("no sheet has the table's columns on its first row", file=path,
                    value=names, allowed=f"a sheet (named {path.stem!r}, or any one) whose "
                    "row 1 is the header: " + ", ".join(columns))


def _read_xlsx(path: Path, raw: bytes, columns: Sequence[str], required: Sequence[str]
               ) -> tuple[pd.DataFrame, str | None]:
    try:
        with pd.ExcelFile(_io.BytesIO(raw), engine="openpyxl") as book:
            sheet = _pick_sheet(path, book, columns, required)
            # na_filter=False: a cell reading "NA" or "null" is text, not a blank
            df = pd.read_excel(book, sheet_name=sheet, dtype=object, na_filter=False)
            name = None if len(book.sheet_names) == 1 else str(sheet)
    except DataError:
        raise
    except Exception as err:  # openpyxl raises many types for a broken workbook
        raise DataError(f"cannot read the Excel workbook ({err})", file=path,
                        allowed="an .xlsx workbook with a sheet whose first row is the "
                        "table's header") from None
    return df.astype(object).where(df.notna() & (df != ""), None), name


def read_frame(path: Path, raw: bytes, columns: Sequence[str] = (),
               required: Sequence[str] = ()) -> tuple[pd.DataFrame, str | None, str | None]:
    r"""Read a CSV or .xlsx table as untyped cells (types are the models' job).

    Parameters
    ----------
    path : Path
        The file (its suffix says the format; named in errors).
    raw : bytes
        Its content.
    columns, required : sequence of str
        The table's columns, and those it cannot do without: they find the sheet of a
        workbook with several.

    Returns
    -------
    cells : DataFrame
        Text (CSV) or Excel's typed cells, ``None`` where empty; the index is each row's
        number in the file as a spreadsheet shows it (header = 1); wholly empty rows are
        dropped without renumbering the others.
    encoding : str or None
        The CSV's text encoding (None for Excel).
    sheet : str or None
        The sheet read, in a workbook of several (None for a CSV or a single sheet).

    Raises
    ------
    DataError
        An empty file, a CSV separated by ';' (decimal commas) or tabs, a malformed CSV,
        a bad encoding, a broken workbook, or no sheet (or several) with the columns.

    Examples
    --------
    A CSV saved by Excel in a European locale:

    >>> try:
    ...     read_frame(Path("quotes.csv"), b"quote_id;unit_price\nQ01;62,5\n")
    ... except DataError as err:
    ...     print(err.problem, err.row, sep="; row ")
    the file is separated by ';' with decimal commas, not by commas; row 1
    """
    sheet = encoding = None
    if path.suffix == ".xlsx":
        df, sheet = _read_xlsx(path, raw, columns, required)
    else:
        df, encoding = _read_csv(path, raw)
    df.columns = [str(c).strip() for c in df.columns]
    df.index = pd.RangeIndex(2, len(df) + 2, name="row")
    kept = ~np.equal(df.to_numpy(), None).all(axis=1)  # empty cells are None
    return (df if kept.all() else df[kept]), encoding, sheet
