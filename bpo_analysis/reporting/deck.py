"""A report as a PowerPoint deck a consultant can edit and present.

The deck tells the report in slides: a title slide (the report, the client, the date);
the headline slide (the finding as its title, the cards as a table); then, section by
section, a slide per chart and per key table, the section's first slide titled with the
section's finding (a sentence the step wrote from the data, else the chart's title);
last, the assumptions (the parameters as used, the data files). Charts are native,
editable PowerPoint charts where the type maps (:mod:`.deck_charts`), else the report's
own rendering as an image; tables are native tables (their first rows when long: the
workbook holds every row). The section's explanation goes to the speaker notes.

A consultant's template (``--template firm.pptx``) gives the slide size, layouts, fonts
and colours: the deck uses its "Title Slide" and "Title Only" layouts (else the first
layout with a title), its theme colours for charts and tables, and drops its own slides.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, term
from bpo_analysis.reporting.content import Item, ReportContent
from bpo_analysis.reporting.deck_charts import NativeChart, native_chart

__all__ = ["TABLE_ROWS", "check_template", "write_deck"]

TABLE_ROWS = 12  # rows of a table on one slide; the workbook has them all
TABLE_COLUMNS = 8
_WORDS = {"assumptions": N_("Assumptions"), "parameter": N_("parameter"),
          "value": N_("value used"), "files": N_("{n} data files, each with its SHA-256 in "
                                                 "the report's appendix and the workbook"),
          "more": N_("First {shown} of {n} rows; the workbook has every row."),
          "measure": N_("measure")}

#: image of a figure by its index among the report's figures (PNG bytes), or None
Images = Callable[[int], bytes | None]


def check_template(template: str | Path | None) -> Path | None:
    """Return the template's path after checking it opens as a deck, or None.

    Raises
    ------
    InputError
        The file is missing or not a PowerPoint file, named with what is allowed.
    """
    if not template:
        return None
    path = Path(template)
    try:
        Presentation(str(path))
    except Exception as err:  # missing, a zip that is no deck, not a zip at all
        raise InputError("--template", str(path),
                         f"a PowerPoint file (.pptx) that opens ({type(err).__name__}: "
                         f"{err})") from None
    return path


def _layout(prs, *names: str):
    for layout in prs.slide_layouts:
        if layout.name in names:
            return layout
    for layout in prs.slide_layouts:  # the first with a title placeholder
        if any(p.placeholder_format.type == 1 for p in layout.placeholders):
            return layout
    return prs.slide_layouts[0]


class _Deck:
    def __init__(self, template: Path | None):
        self.prs = Presentation(str(template)) if template else Presentation()
        if template:  # the template's own slides are examples: drop them, keep layouts
            ids = self.prs.slides._sldIdLst
            for sld in list(ids):
                self.prs.part.drop_rel(sld.rId)
                ids.remove(sld)
        else:
            self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
        self.title_layout = _layout(self.prs, "Title Slide")
        self.body_layout = _layout(self.prs, "Title Only", "Title and Content")
        self.own_layout = template is None  # python-pptx's 4:3 layouts, widened here

    def slide(self, title: str, notes: str = ""):
        s = self.prs.slides.add_slide(self.body_layout)
        for ph in list(s.placeholders):  # only the title: an empty body box prints
            if ph.placeholder_format.type != 1:
                ph._element.getparent().remove(ph._element)
        t = s.shapes.title
        if t is not None:
            t.text = title
            if self.own_layout:  # the default layouts are 4:3: span the 16:9 slide
                margin = int(self.prs.slide_width * 0.04)
                t.left, t.top = margin, Inches(0.25)
                t.width, t.height = self.prs.slide_width - 2 * margin, Inches(1.15)
                t.text_frame.word_wrap = True
                for p in t.text_frame.paragraphs:
                    p.alignment = PP_ALIGN.LEFT
            size = 18 if len(title) > 150 else 22 if len(title) > 90 else \
                26 if len(title) > 50 or self.own_layout else None
            for p in t.text_frame.paragraphs:
                for r in p.runs:
                    if size:
                        r.font.size = Pt(size)
        if notes:
            s.notes_slide.notes_text_frame.text = notes
        return s

    def area(self, s) -> tuple[int, int, int, int]:
        """Return the free area below the slide's title: left, top, width, height."""
        w, h = self.prs.slide_width, self.prs.slide_height
        t = s.shapes.title
        margin = int(w * 0.04)
        top = (t.top + t.height + margin // 2) if t is not None else margin
        return margin, top, w - 2 * margin, h - top - margin

    def title_slide(self, content: ReportContent) -> None:
        s = self.prs.slides.add_slide(self.title_layout)
        if s.shapes.title is not None:
            s.shapes.title.text = content.title
        subtitle = f"{content.cover.client}\n{content.cover.date_text}"
        body = [p for p in s.placeholders if p.placeholder_format.idx == 1]
        if self.own_layout:  # the default layout is 4:3: centre it on the 16:9 slide
            margin = int(self.prs.slide_width * 0.06)
            for ph in s.placeholders:
                ph.left, ph.width = margin, self.prs.slide_width - 2 * margin
                ph.top, ph.height = ((Inches(1.6), Inches(2.6)) if ph.placeholder_format.idx == 0
                                     else (Inches(4.5), Inches(1.4)))
        if body:
            body[0].text = subtitle
        else:
            left, top, width, height = self.area(s)
            s.shapes.add_textbox(left, top, width, height).text_frame.text = subtitle

    def table(self, s, columns: list[str], rows: list[list[str]], top_gap: int = 0,
              total: int | None = None) -> None:
        """Draw a native table below the title: as many rows as fit.

        Columns are sized to their text; a note says how many rows the workbook has when
        some are left out.
        """
        left, top, width, height = self.area(s)
        top, height = top + top_gap, height - top_gap - Inches(0.35)
        size = 12 if len(rows) <= 8 and len(columns) <= 4 else 10
        chars = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
        widths = [min(max(c, 6), 70) for c in chars]
        col_w = [int(width * w / sum(widths)) for w in widths]
        per_line = [max(4, int(w / (size * 0.55 * 12700))) for w in col_w]  # EMU per char

        def lines(cells: list[str]) -> int:
            return max(-(-len(text) // per_line[i]) or 1 for i, text in enumerate(cells))

        line_h = int(size * 1.25 * 12700) + 1
        pad = Inches(0.1)
        used = lines(columns) * line_h + pad
        shown = []
        for r in rows:
            need = lines(r) * line_h + pad
            if used + need > height:
                break
            shown.append(r)
            used += need
        shape = s.shapes.add_table(len(shown) + 1, len(columns), left, top, width, used)
        for i, w in enumerate(col_w):
            shape.table.columns[i].width = w
        for c, text in enumerate(columns):
            self._cell(shape.table.cell(0, c), text, Pt(size))
        for r, row in enumerate(shown, start=1):
            for c, text in enumerate(row):
                self._cell(shape.table.cell(r, c), text, Pt(size))
        total = len(rows) if total is None else total
        if total > len(shown):
            box = s.shapes.add_textbox(left, self.prs.slide_height - Inches(0.75), width,
                                       Inches(0.4))
            box.text_frame.text = term(_WORDS["more"]).format(shown=len(shown), n=total)
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(11)

    @staticmethod
    def _cell(cell, text: str, size) -> None:
        cell.text = text
        for p in cell.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = size

    def chart(self, s, native: NativeChart | None, png: bytes | None) -> None:
        """Draw the chart natively, else its image."""
        left, top, width, height = self.area(s)
        if native is not None:
            chart = s.shapes.add_chart(native.kind, left, top, width, height,
                                       native.data).chart
            chart.has_title = bool(native.title)
            if native.title:
                chart.chart_title.text_frame.text = native.title
            chart.font.size = Pt(12)
            if native.kind not in (XL_CHART_TYPE.PIE, XL_CHART_TYPE.RADAR_MARKERS):
                axis = chart.value_axis
                axis.tick_labels.number_format = "#,##0.##"
                axis.tick_labels.number_format_is_linked = False
                chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
                for a, text in ((chart.category_axis, native.x_title), (axis, native.y_title)):
                    if text:
                        a.has_title = True
                        a.axis_title.text_frame.text = text
            chart.has_legend = native.legend
            if native.legend:
                chart.legend.position = XL_LEGEND_POSITION.BOTTOM
                chart.legend.include_in_layout = False
            return
        pic = s.shapes.add_picture(io.BytesIO(png), left, top)
        scale = min(width / pic.width, height / pic.height)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic.left = Emu(left + (width - pic.width) // 2)


def _finding(items: tuple[Item, ...], heading: str) -> str:
    """Return the section's finding: a sentence from the data, else its chart's title."""
    for item in items:
        if item.kind == "text":
            return item.data
    for item in items:
        if item.kind == "figure":
            title = native_title(item.data)
            if title:
                return title
    return heading


def native_title(fig: dict) -> str:
    """Return a figure's title as plain text."""
    title = fig.get("layout", {}).get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else str(title or "")
    return " ".join(text.replace("<br>", " ").split())


def _table_rows(table: dict) -> tuple[list[str], list[list[str]], int]:
    """Return the columns and rows a slide may show (the table sizes them to what fits)."""
    cols = table["columns"][:TABLE_COLUMNS]
    rows = [r[:TABLE_COLUMNS] for r in table["texts"][:TABLE_ROWS]]
    return cols, rows, len(table["texts"])


def write_deck(content: ReportContent, path: str | Path, *, template: str | Path | None = None,
               images: Images | None = None) -> Path:
    """Write the report's deck to ``path`` (the caller makes it atomic).

    Parameters
    ----------
    content : ReportContent
        The report (:func:`bpo_analysis.reporting.content.report_content`).
    path : str or Path
        The ``.pptx`` file to write.
    template : str or Path, optional
        The consultant's deck whose layouts, fonts and colours the deck takes.
    images : callable, optional
        Figure index -> PNG of the report's rendering, for charts with no native
        equivalent (a chart left without one is left out).

    Returns
    -------
    Path
        ``path``.
    """
    deck = _Deck(check_template(template))
    deck.title_slide(content)
    head = content.headline
    if head:
        s = deck.slide(head["title"], content.intro.text)
        rows = [[c["label"], c["text"]] for c in head["cards"]]
        gap = 0
        if head.get("context"):
            left, top, width, _h = deck.area(s)
            box = s.shapes.add_textbox(left, top, width, Inches(0.6))
            box.text_frame.word_wrap = True
            box.text_frame.text = head["context"]
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
            gap = Inches(0.7)
        deck.table(s, [term(_WORDS["measure"]), ""], rows, top_gap=gap)
    for section in content.sections:
        title = _finding(section.items, section.heading)
        for item in section.items:
            if item.kind == "figure":
                native = native_chart(item.data)
                png = None if native or images is None else images(item.figure)
                if native is None and png is None:
                    continue
                deck.chart(deck.slide(title, section.text), native, png)
            elif item.kind == "table":
                cols, rows, n = _table_rows(item.data)
                deck.table(deck.slide(item.data["caption"] or title, section.text), cols,
                           rows, total=n)
            else:
                continue
            title = section.heading  # the section's later slides: its heading
    used = content.used
    s = deck.slide(term(_WORDS["assumptions"]))
    rows = [[p.name, used.get(p.name, p.text)] for p in content.cover.parameters]
    rows.append(["", term(_WORDS["files"]).format(n=len(content.cover.sources))])
    deck.table(s, [term(_WORDS["parameter"]), term(_WORDS["value"])], rows[:16])
    deck.prs.core_properties.title = content.title
    deck.prs.save(str(path))
    return Path(path)
