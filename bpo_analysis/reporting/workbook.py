"""A report as an Excel workbook: every table on its own sheet, numbers as numbers.

The first sheet is the report's summary (title, client, run, the headline and its
cards); then one sheet per table of the report, in the report's order, named after its
section; the last sheet holds the assumptions: every parameter with the value the run
used, and the data files with their size, date and SHA-256. Every number is written as
a number with the number format the report shows it in (``#,##0``, ``0.0%``), its unit
in the column header; headers are frozen and columns sized to their contents.

Written with XlsxWriter (write-only, native number formats and frozen panes) from
:class:`bpo_analysis.reporting.content.ReportContent`, so the workbook's numbers are the
report's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import xlsxwriter

from bpo_analysis.i18n import N_, term
from bpo_analysis.reporting.content import ReportContent

__all__ = ["SHEET_NAME_MAX", "number_in_text", "sheet_names", "write_workbook"]

SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
#: a number shown with its unit: "15,727,131 TWD", "58.1 %", "-46.4 TWD M", "×1.40"
_NUMBER = re.compile(r"^(?P<pre>[×x]?)(?P<num>[-−+]?\d{1,3}(?:,\d{3})*(?:\.(?P<dec>\d+))?|"
                     r"[-−+]?\d+(?:\.(?P<dec2>\d+))?)(?P<post>(?:\s?%|\s[^\d\s][^\d]{0,24})?)$")
_WORDS = {"summary": N_("Summary"), "assumptions": N_("Assumptions"),
          "client": N_("Client"), "run": N_("Run"), "headline": N_("Headline"),
          "parameter": N_("parameter"), "value": N_("value used"), "meaning": N_("meaning"),
          "sources": N_("Data sources"), "file": N_("file"), "from": N_("from"),
          "size": N_("size"), "modified": N_("modified"), "given": N_("given"),
          "default": N_("default"), "how": N_("given or default")}


def number_in_text(text: str) -> tuple[float, str] | None:
    """Return the number a cell shows as text, and the Excel format that shows it so.

    A table that mixes units in a column (an NPV in TWD beside an IRR in %) shows its
    numbers as text; the workbook still writes them as numbers.

    Parameters
    ----------
    text : str
        The cell as the report shows it.

    Returns
    -------
    tuple or None
        (value, number format), or None when the text is not one number with a unit.

    Examples
    --------
    >>> number_in_text("15,727,131 TWD")
    (15727131.0, '#,##0" TWD"')
    >>> number_in_text("58.1 %")
    (0.581, '0.0%')
    >>> number_in_text("Q01") is None, number_in_text("2026-01") is None
    (True, True)
    """
    m = _NUMBER.match(text.strip())
    if m is None:
        return None
    dec = len(m["dec"] or m["dec2"] or "")
    value = float(m["num"].replace(",", "").replace("−", "-"))
    number = ("#,##0" if "," in m["num"] or abs(value) >= 1000 else "0") + (
        "." + "0" * dec if dec else "")
    post = m["post"].strip()
    if post == "%":
        return value / 100, number.replace("#,##", "") + "%"
    pre = f'"{m["pre"]}"' if m["pre"] else ""
    return value, pre + number + (f'" {post}"' if post else "")


def sheet_names(titles: list[str]) -> list[str]:
    r"""Return valid, unique sheet names for ``titles`` (31 characters, no ``[]:*?/\\``).

    >>> sheet_names(["Cash flows, month by month", "Cash flows, month by month"])
    ['Cash flows, month by month', 'Cash flows, month by month (2)']
    """
    out: list[str] = []
    for title in titles:
        base = " ".join(_BAD_SHEET.sub(" ", title).split()).strip("'") or "Table"
        if len(base) > SHEET_NAME_MAX:  # cut at a word when one ends late enough
            cut = base[:SHEET_NAME_MAX + 1].rfind(" ")
            base = base[:cut if cut > SHEET_NAME_MAX // 2 else SHEET_NAME_MAX].rstrip(" ,;:")
        name, n = base, 1
        while name.lower() in (o.lower() for o in out):
            n += 1
            name = f"{base[:SHEET_NAME_MAX - len(str(n)) - 3]} ({n})"
        out.append(name)
    return out


def _for_print(sheet, landscape: bool) -> None:
    """Print a sheet on A4, one page wide (as many long as it needs)."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


class _Writer:
    """One workbook being written: its formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bottom": 1, "bg_color": "#F3F4F6"})
        self.header_number = book.add_format({"bold": True, "text_wrap": True,
                                              "valign": "top", "bottom": 1,
                                              "bg_color": "#F3F4F6", "align": "right"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._numbers: dict[str, Any] = {}

    def number(self, spec: str | None):
        if not spec:
            return None
        if spec not in self._numbers:
            self._numbers[spec] = self.book.add_format({"num_format": spec})
        return self._numbers[spec]

    def cell(self, sheet, row: int, col: int, value: Any, text: str, spec: str | None) -> int:
        """Write one cell; return the width its text needs."""
        if isinstance(value, bool):
            sheet.write_string(row, col, text)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, self.number(spec))
        elif (found := number_in_text(text)) is not None:
            sheet.write_number(row, col, found[0], self.number(found[1]))
        elif value is None:
            sheet.write_blank(row, col, None)
        else:
            sheet.write_string(row, col, text)
        return len(text)

    def table(self, name: str, table: dict, section: str) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, table["caption"] or section, self.title)
        if table["caption"] and section:
            sheet.write_string(1, 0, section)
        widths = [len(c) for c in table["columns"]]
        numeric = [any(isinstance(row[c], int | float) and not isinstance(row[c], bool)
                       for row in table["values"]) for c in range(len(table["columns"]))]
        for c, header in enumerate(table["columns"]):  # over numbers, right-aligned
            sheet.write_string(3, c, header, self.header_number if numeric[c] else self.header)
        for r, (values, texts) in enumerate(zip(table["values"], table["texts"], strict=True)):
            for c, (value, text) in enumerate(zip(values, texts, strict=True)):
                widths[c] = max(widths[c], self.cell(sheet, 4 + r, c, value, text,
                                                     table["formats"][c]))
        for c, w in enumerate(widths):
            sheet.set_column(c, c, min(max(w, 6) * 1.1 + 2, 60),
                             self.wrap if w > 60 else None)
        sheet.freeze_panes(4, 0)
        _for_print(sheet, landscape=sum(min(max(w, 6) * 1.1 + 2, 60) for w in widths) > 100)
        sheet.repeat_rows(3)  # the header on every printed page

    def summary(self, content: ReportContent) -> None:
        sheet = self.book.add_worksheet(term(_WORDS["summary"]))
        sheet.write_string(0, 0, content.title, self.title)
        rows = [(term(_WORDS["client"]), content.cover.client),
                (term(_WORDS["run"]), content.cover.run_text)]
        head = content.headline
        if head:
            rows.append((term(_WORDS["headline"]), head["title"]))
            if head.get("context"):
                rows.append(("", head["context"]))
            rows += [(c["label"], c["text"]) for c in head["cards"]]
        for r, (label, text) in enumerate(rows, start=2):
            sheet.write_string(r, 0, label, self.bold)
            self.cell(sheet, r, 1, text, text, None)
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 110, self.wrap)
        _for_print(sheet, landscape=True)

    def assumptions(self, content: ReportContent, name: str) -> None:
        sheet = self.book.add_worksheet(name)
        w = {k: term(v) for k, v in _WORDS.items()}
        sheet.write_string(0, 0, w["assumptions"], self.title)
        for c, h in enumerate((w["parameter"], w["value"], w["how"], w["meaning"])):
            sheet.write_string(2, c, h, self.header)
        used = content.used
        r = 3
        for r, p in enumerate(content.cover.parameters, start=3):
            sheet.write_string(r, 0, p.name)
            sheet.write_string(r, 1, used.get(p.name, p.text))
            sheet.write_string(r, 2, w["given"] if p.given else w["default"])
            sheet.write_string(r, 3, p.help)
        r += 2
        sheet.write_string(r, 0, w["sources"], self.bold)
        for c, h in enumerate((w["file"], w["from"], w["size"], w["modified"], "SHA-256")):
            sheet.write_string(r + 1, c, h, self.header)
        for i, s in enumerate(content.cover.sources, start=r + 2):
            for c, text in enumerate((str(s.path), s.via_text, s.size_text, s.modified_text,
                                      s.sha256 or "")):
                sheet.write_string(i, c, text)
        for c, width in enumerate((40, 44, 14, 60, 66)):
            sheet.set_column(c, c, width)
        sheet.freeze_panes(3, 0)
        _for_print(sheet, landscape=True)


def write_workbook(content: ReportContent, path: str | Path) -> Path:
    """Write the report's workbook to ``path`` (the caller makes it atomic).

    Parameters
    ----------
    content : ReportContent
        The report (:func:`bpo_analysis.reporting.content.report_content`).
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    tables = [(s.heading, t.data) for s in (content.intro, *content.sections)
              for t in s.of_kind("table")]
    names = sheet_names([term(_WORDS["summary"])]
                        + [h or t["caption"] or f"Table {i + 1}"
                           for i, (h, t) in enumerate(tables)]
                        + [term(_WORDS["assumptions"])])
    with xlsxwriter.Workbook(str(path), {"strings_to_numbers": False}) as book:
        book.set_properties({"title": content.title, "company": content.cover.client})
        w = _Writer(book)
        w.summary(content)
        for name, (heading, table) in zip(names[1:-1], tables, strict=True):
            w.table(name, table, heading)
        w.assumptions(content, names[-1])
    return path
