"""A report's content as data: the one reading of an executed notebook the files share.

The HTML report, the PDF printed from it, the deck and the workbook all show the same
report: the notebook a run executed, as :func:`bpo_analysis.reporting.notebook.
prepare_notebook` keeps it (live-only cells left out), its markdown in the report's
language. This module reads it once into a :class:`ReportContent`: the title, the cover
(client, run, parameters, data sources), the headline, and the sections in order, each
with its headline cards, paragraphs written from the data, tables (their values, shown
texts and number formats, :data:`bpo_analysis.core.tables.TABLE_MIME`) and charts (the
plotly figure as the report drew it). Nothing is recomputed: the numbers in every file
are the numbers the report shows.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from bpo_analysis import i18n
from bpo_analysis.core.present import HEADLINE_TEXT_MIME
from bpo_analysis.core.tables import TABLE_MIME
from bpo_analysis.reporting import cover as _cover
from bpo_analysis.reporting.layout import HOWTO_TAG, used_values
from bpo_analysis.reporting.notebook import prepare_notebook

__all__ = ["PLOTLY_MIME", "Item", "ReportContent", "Section", "plain_text", "read_report",
           "report_content"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_PARAGRAPH = re.compile(r'^\s*<p class="bpo-text">(.*)</p>\s*$', re.S)
_MARKUP = re.compile(r"\*\*|__|`|^#+\s*|^\s*[-*]\s+", re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Item:
    """One thing a section shows.

    Attributes
    ----------
    kind : str
        ``"headline"`` (the words of a row of cards: ``title``, ``context``, ``cards``),
        ``"table"`` (caption, columns, values, texts, formats), ``"figure"`` (a plotly
        figure as a dict) or ``"text"`` (a paragraph written from the data).
    data : Any
        The item, as above.
    figure : int
        For a figure, its position among the report's figures (0-based), else -1.
    """

    kind: str
    data: Any
    figure: int = -1


@dataclass(frozen=True)
class Section:
    """A level-2 (or level-3) heading of the report and what follows it."""

    heading: str
    level: int
    text: str
    items: tuple[Item, ...]

    def of_kind(self, kind: str) -> list[Item]:
        """Return the section's items of ``kind``, in order."""
        return [i for i in self.items if i.kind == kind]


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows, in order, as data.

    Attributes
    ----------
    title : str
        The report's title.
    cover : Cover
        Client, run, parameters and data sources (:mod:`bpo_analysis.reporting.cover`).
    language : str
        The report's language.
    intro : Section
        What comes before the first heading: the step's question, its headline.
    sections : tuple of Section
        The headed sections, in order.
    used : dict
        Parameter -> the value the run took for it where the parameter left it open
        ("8.0 % from scenario.yaml"; :func:`~bpo_analysis.reporting.layout.used_values`).
    """

    title: str
    cover: _cover.Cover
    language: str
    intro: Section
    sections: tuple[Section, ...]

    @property
    def headline(self) -> dict | None:
        """The report's headline: the first headline of the report, or None."""
        for s in (self.intro, *self.sections):
            found = s.of_kind("headline")
            if found:
                return found[0].data
        return None

    def items(self, kind: str) -> list[Item]:
        """Return every item of ``kind`` in the report, in order."""
        return [i for s in (self.intro, *self.sections) for i in s.of_kind(kind)]

    used: dict[str, str] = dataclasses.field(default_factory=dict)


def plain_text(markdown: str) -> str:
    """Return markdown as plain text: no emphasis marks, code ticks or link targets.

    >>> plain_text("**Run it** with `make report`; see [the guide](http://x).")
    'Run it with make report; see the guide.'
    """
    text = _LINK.sub(r"\1", markdown)
    return " ".join(_MARKUP.sub("", text).split())


def read_report(notebook: str | Path) -> tuple[nbformat.NotebookNode, _cover.Cover, str]:
    """Read an executed notebook as its report shows it.

    Parameters
    ----------
    notebook : str or Path
        The executed notebook's file.

    Returns
    -------
    tuple
        The notebook (live-only cells left out, markdown in the report's language, its
        ``# `` title taken out), its cover (with the title) and the report's language.
    """
    notebook = Path(notebook)
    nb = prepare_notebook(nbformat.read(notebook, as_version=4))
    cover = _cover.report_cover(nb, notebook)
    language = next((p.value for p in cover.parameters if p.name == "language"), "")
    with i18n.use_language(language) as lang:  # "" -> BPO_ANALYSIS_LANGUAGE, as in the run
        nb = i18n.translate_notebook(nb, lang)
        title, body = _cover.split_title(nb)
    return body, dataclasses.replace(cover, title=title), lang


def _output_item(output: dict, figures: list[int]) -> Item | None:
    data = output.get("data") or {}
    if HEADLINE_TEXT_MIME in data:
        return Item("headline", data[HEADLINE_TEXT_MIME])
    if TABLE_MIME in data:
        return Item("table", data[TABLE_MIME])
    if PLOTLY_MIME in data:
        figures.append(len(figures))
        return Item("figure", data[PLOTLY_MIME], figures[-1])
    m = _PARAGRAPH.match("".join(data.get("text/html", "")))
    return Item("text", html.unescape(m.group(1))) if m else None


def report_content(notebook: str | Path, read: tuple | None = None) -> ReportContent:
    """Return what the report of an executed notebook shows, section by section.

    Parameters
    ----------
    notebook : str or Path
        The executed notebook's file.
    read : tuple, optional
        What :func:`read_report` returned for it already (the HTML export read it).

    Returns
    -------
    ReportContent
        Its title, cover, language, introduction and sections.
    """
    nb, cover, lang = read or read_report(notebook)
    used = used_values(nb, cover, lang)
    parts: list[tuple[str, int, list[str], list[Item]]] = [("", 0, [], [])]
    figures: list[int] = []
    for cell in nb.cells:
        if HOWTO_TAG in cell.get("metadata", {}).get("tags", []):
            continue  # how to run it: the appendix's, not the deck's or the workbook's
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"(#{2,3}) (.*)", line)
                if m:
                    parts.append((plain_text(m.group(2)), len(m.group(1)), [], []))
                else:
                    parts[-1][2].append(line)
        for output in cell.get("outputs", []):
            item = _output_item(output, figures)
            if item is not None:
                parts[-1][3].append(item)
    sections = [Section(h, level, plain_text("\n".join(text)), tuple(items))
                for h, level, text, items in parts]
    return ReportContent(cover.title, cover, lang, sections[0], tuple(sections[1:]), used)
