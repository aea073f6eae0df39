"""The front matter of an HTML report: its cover and its table of contents.

Everything here is read from the executed notebook and from file metadata, never
recomputed: the cover says which notebook ran, for which client, when, with which
package version, with which parameter values (each marked as given or as the notebook's
default) and on which data files (size, modification time and SHA-256, so a reader can
tell which data made the report; :mod:`bpo_analysis.reporting.provenance` reads those).

The table of contents lists the report's level-2 and level-3 markdown headings, in
order, each with the anchor id nbconvert gives the heading in the exported HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import nbformat
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from bpo_analysis import __version__
from bpo_analysis.i18n import N_, day, term
from bpo_analysis.reporting.provenance import (
    ParameterValue,
    Source,
    client_files,
    client_name,
    data_sources,
    moment_text,
    run_parameters,
)

# ParameterValue, Source and client_files (provenance) are importable from here as well.
__all__ = ["LABELS", "Cover", "Heading", "ParameterValue", "Source", "client_files",
           "labels", "nested", "notebook_title", "report_cover", "split_title",
           "table_of_contents"]

#: The words of the cover and the table of contents, in English; :func:`labels` gives
#: them in the report's language.
LABELS = {"kicker": N_("Contact-centre outsourcing report"), "client": N_("Client"),
          "client_dir": N_("Client folder"), "run": N_("Run"), "took": N_("took {duration}"),
          "notebook": N_("Notebook"), "version": N_("version {version}"),
          "parameters": N_("Parameters"), "parameter": N_("parameter"), "value": N_("value"),
          "meaning": N_("meaning"), "given": N_("given"), "default": N_("default"),
          "sources": N_("Data sources"), "file": N_("file"), "from": N_("from"),
          "size": N_("size"), "modified": N_("modified"),
          "no_sources": N_("No data files found."), "contents": N_("Contents"),
          "date": N_("Date"), "appendix": N_("Appendix: how this report was made"),
          "again": N_("Running it again"),
          "this_run": N_("This report, exactly as it was made, from the project's folder:")}


def labels() -> dict[str, str]:
    """Return :data:`LABELS` in the current report language (:mod:`bpo_analysis.i18n`).

    Returns
    -------
    dict
        Label key -> its words (``{"client": "Client", ...}`` in English).

    Examples
    --------
    >>> labels()["contents"]
    'Contents'
    """
    return {key: term(text) for key, text in LABELS.items()}


@dataclass(frozen=True)
class Heading:
    """One entry of the table of contents.

    Attributes
    ----------
    level : int
        The heading's level, 2 or 3.
    id : str
        Its anchor id in the exported HTML.
    text : str
        Its text, whitespace collapsed.
    """

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Cover:
    """Everything the cover of a report shows.

    Attributes
    ----------
    title : str
        The notebook's ``# `` heading.
    notebook : str
        The notebook that ran (file name).
    client : str
        The client's name (``company`` in its ``scenario.yaml``; else the folder's name).
    client_dir : Path or None
        The client folder, when the notebook has a ``client_dir`` parameter.
    run_started : datetime
        When the run started, in the machine's time zone.
    run_seconds : float or None
        How long the run took.
    version : str
        The bpo-analysis version that made the report.
    parameters : tuple of ParameterValue
        Every parameter of the notebook (internal ones left out), in declaration order.
    sources : tuple of Source
        The client folder's files, then the files the ``*_path``/``*_file`` parameters
        point to.
    """

    title: str
    notebook: str
    client: str
    client_dir: Path | None
    run_started: datetime
    run_seconds: float | None
    version: str
    parameters: tuple[ParameterValue, ...]
    sources: tuple[Source, ...]

    @property
    def run_text(self) -> str:
        """Run date and time with the time zone, e.g. ``2026-11-23 09:14:05 CST (UTC+08:00)``."""
        return moment_text(self.run_started)

    @property
    def date_text(self) -> str:
        """The run's date in the report language, e.g. ``3 December 2026``."""
        return day(self.run_started)

    @property
    def run_iso(self) -> str:
        """The run's start as ISO 8601 with its UTC offset (for ``<time datetime>``)."""
        return self.run_started.isoformat(timespec="seconds")

    @property
    def duration_text(self) -> str:
        """How long the run took, e.g. ``42 s`` or ``3 min 5 s`` (empty when unknown)."""
        if self.run_seconds is None:
            return ""
        s = round(self.run_seconds)
        return f"{s} s" if s < 60 else f"{s // 60} min {s % 60} s"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """Return the first ``# `` heading of the notebook's markdown cells.

    Parameters
    ----------
    nb : NotebookNode
        The notebook.

    Returns
    -------
    str
        The heading's text, or ``"bpo-analysis report"`` when there is none.

    Examples
    --------
    >>> md = nbformat.v4.new_markdown_cell
    >>> nb = nbformat.v4.new_notebook(cells=[md("Intro"), md("# 03 — Pricing and TCO")])
    >>> notebook_title(nb)
    '03 — Pricing and TCO'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "bpo-analysis report"


def split_title(nb: nbformat.NotebookNode) -> tuple[str, nbformat.NotebookNode]:
    """Return the notebook's title and a copy of the notebook without its ``# `` title line.

    The cover shows the title; the report does not repeat it above the introduction.

    Parameters
    ----------
    nb : NotebookNode
        The notebook; left as it was.

    Returns
    -------
    tuple
        The title (:func:`notebook_title` when no line starts with ``# ``) and the copy.
    """
    nb = nbformat.from_dict(nb)  # a deep copy: the caller's notebook is left as it was
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("# "):
                cell.source = "\n".join(lines[:i] + lines[i + 1:]).strip("\n")
                return line[2:].strip(), nb
    return notebook_title(nb), nb


def _run_times(nb: nbformat.NotebookNode, notebook: Path) -> tuple[datetime, float | None]:
    """Return when the run started (aware, local time) and how long it took (or None)."""
    meta = nb.metadata.get("papermill", {})
    try:
        started = datetime.fromisoformat(meta["start_time"])
    except (KeyError, TypeError, ValueError):  # not run by papermill: the file's time
        started = datetime.fromtimestamp(notebook.stat().st_mtime, UTC)
    if started.tzinfo is None:  # older papermill wrote naive UTC
        started = started.replace(tzinfo=UTC)
    duration = meta.get("duration")
    return started.astimezone(), float(duration) if isinstance(duration, int | float) else None


def report_cover(nb: nbformat.NotebookNode, notebook: str | Path,
                 title: str | None = None) -> Cover:
    """Return the cover of the report made from an executed notebook.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (papermill's metadata ``metadata.papermill`` gives the
        parameters given, the source notebook and the run's start and duration).
    notebook : str or Path
        The executed notebook's file (its modification time stands in for the run's when
        the notebook was not run by papermill).
    title : str, optional
        The title; by default the notebook's ``# `` heading.

    Returns
    -------
    Cover
        What the cover shows. Relative path parameters (the notebooks' defaults) are
        resolved against the source notebook's folder, where the kernel ran.
    """
    notebook = Path(notebook)
    meta = nb.metadata.get("papermill", {})
    source_nb = Path(meta.get("input_path") or notebook)
    started, seconds = _run_times(nb, notebook)
    rows, used = run_parameters(nb, notebook)
    folder, sources = data_sources(used, source_nb.resolve().parent, started)
    return Cover(title=title or notebook_title(nb), notebook=source_nb.name,
                 client=client_name(folder), client_dir=folder, run_started=started,
                 run_seconds=seconds, version=__version__, parameters=tuple(rows),
                 sources=tuple(sources))


# ----------------------------------------------------------------- table of contents
_HEADING = re.compile(r"<h([23])\b[^>]*>.*?</h\1>", re.S)


def table_of_contents(nb: nbformat.NotebookNode) -> list[Heading]:
    """Return the level-2 and level-3 headings of the notebook's markdown cells, in order.

    Each cell is rendered with nbconvert's own markdown renderer, so the ids are exactly
    the anchors the HTML export gives the headings. Headings inside outputs (e.g. a
    headline card's title) are not sections and are left out.

    Parameters
    ----------
    nb : NotebookNode
        The notebook (as the report shows it, its ``# `` title already taken out).

    Returns
    -------
    list of Heading
        In the order of the notebook.
    """
    out = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for m in _HEADING.finditer(markdown2html_mistune(cell.source)):
            try:
                element = ElementTree.fromstring(m.group(0))
            except ElementTree.ParseError:
                continue
            anchor_id = element.get("id")
            for a in element.findall("a"):
                if "anchor-link" in (a.get("class") or ""):
                    element.remove(a)
            text = " ".join("".join(element.itertext()).split())
            if anchor_id and text:
                out.append(Heading(int(m.group(1)), anchor_id, text))
    return out


def nested(headings: list[Heading]) -> list[tuple[Heading, list[Heading]]]:
    """Group headings for a two-level list.

    Each level-2 heading with the level-3 headings that follow it; a level-3 heading
    before any level-2 one stands alone.

    Parameters
    ----------
    headings : list of Heading
        As :func:`table_of_contents` returns them.

    Returns
    -------
    list of tuple
        (heading, the level-3 headings under it), in order.
    """
    out: list[tuple[Heading, list[Heading]]] = []
    for h in headings:
        if h.level == 3 and out and out[-1][0].level == 2:
            out[-1][1].append(h)
        else:
            out.append((h, []))
    return out
