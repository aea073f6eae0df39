"""A report's table as the reader sees it, and as the workbook and the deck need it.

:func:`bpo_analysis.core.present.styled` returns a :class:`ReportTable`: a pandas
``Styler`` (its HTML is the report's table) that also carries its data under its own MIME
type (:data:`TABLE_MIME`): the caption, the column headers as shown, every cell's value
(numbers as numbers) and its text as shown, and each column's number format for a
spreadsheet. The HTML report ignores that type; the workbook writes the numbers with
their formats, the deck writes the shown text, so neither formats a number again.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

__all__ = ["TABLE_MIME", "ReportTable", "excel_format"]

TABLE_MIME = "application/vnd.bpo-analysis.table+json"

#: a Python format of one number: text before, ``{:,.1f}``-style spec, text after
_SPEC = re.compile(r"^(?P<pre>[^{}]*)\{:(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<dec>\d+))?"
                   r"(?P<kind>[fd%eg])?\}(?P<post>[^{}]*)$")


def _quoted(text: str) -> str:
    return f'"{text}"' if text else ""


def excel_format(spec: Any) -> str | None:
    """Return the spreadsheet number format that shows a number as ``spec`` does.

    Parameters
    ----------
    spec : str or callable or None
        A Python format string of one number (``"{:,.0f}"``, ``"{:.1%}"``,
        ``"x{:.2f}"``); anything else has no spreadsheet equivalent.

    Returns
    -------
    str or None
        An Excel number format (``"#,##0"``, ``"0.0%"``, ``'"x"0.00'``), or None (the
        cell keeps the spreadsheet's general format).

    Examples
    --------
    >>> excel_format("{:,.0f}"), excel_format("{:.1%}"), excel_format("x{:.2f}")
    ('#,##0', '0.0%', '"x"0.00')
    >>> excel_format("{:,.1f} TWD"), excel_format(str) is None
    ('#,##0.0" TWD"', True)
    """
    m = _SPEC.match(spec) if isinstance(spec, str) else None
    if m is None or m["kind"] in ("e", "g"):
        return None
    dec = int(m["dec"]) if m["dec"] is not None else (0 if m["kind"] in ("d", None) else 6)
    number = ("#,##0" if m["comma"] else "0") + ("." + "0" * dec if dec else "")
    if m["kind"] == "%":
        number += "%"
    if m["sign"]:
        number = f"+{number};-{number};0"
    return _quoted(m["pre"]) + number + _quoted(m["post"])


def _value(x: Any) -> Any:
    """Return a cell's value as JSON: numbers as numbers, missing as None, dates as ISO text."""
    if x is None or x is pd.NaT:
        return None
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return None if math.isnan(x) or math.isinf(x) else float(x)
    if isinstance(x, pd.Timestamp | dt.date):
        return x.isoformat()
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return str(x)


def _header(label: Any) -> str:
    if isinstance(label, tuple):
        return " – ".join(str(p) for p in label if str(p))
    return str(label)


class ReportTable(Styler):
    """A styled report table that also gives its data (:data:`TABLE_MIME`).

    Built by :func:`bpo_analysis.core.present.styled`; every ``Styler`` method works on
    it as on a ``Styler`` (they return the same object). ``formats`` are the column ->
    Python format strings the table was styled with.
    """

    formats: ClassVar[dict[str, Any]] = {}  # set per table by styled()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Add the table's data to the HTML a notebook shows (IPython merges both)."""
        return {TABLE_MIME: self.data_for_files()}

    def data_for_files(self) -> dict:
        """Return the caption, headers, values, shown texts and formats of the table.

        Returns
        -------
        dict
            ``caption``; ``columns`` (headers as shown, index levels first when the
            index is shown); ``values`` and ``texts`` (rows of cells: the value, a number
            or text or None, and the text the report shows); ``formats`` (one Excel
            number format or None per column).
        """
        self._compute()
        df = self.data
        grid = df.to_numpy(dtype=object)
        cols = [i for i in range(df.shape[1]) if i not in set(self.hidden_columns)]
        show_index = not all(self.hide_index_)
        names = [str(n) if n is not None else "" for n in df.index.names] if show_index else []
        columns = names + [_header(df.columns[i]) for i in cols]
        values, texts = [], []
        for r in range(df.shape[0]):
            if r in self.hidden_rows:
                continue
            label = df.index[r] if show_index else ()
            label = list(label) if isinstance(label, tuple) else ([label] if show_index else [])
            cells = [grid[r, c] for c in cols]
            values.append([_value(x) for x in label] + [_value(x) for x in cells])
            texts.append([str(x) for x in label] + [
                html.unescape(str(self._display_funcs[(r, c)](grid[r, c]))) for c in cols])
        formats = [None] * len(names) + [excel_format(self.formats.get(df.columns[i]))
                                         for i in cols]
        return {"caption": self.caption or "", "columns": columns, "values": values,
                "texts": texts, "formats": formats}
