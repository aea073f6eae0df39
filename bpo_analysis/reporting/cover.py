"""The front matter of an HTML report: its cover and its table of contents.

Everything here is read from the executed notebook and from file metadata, never
recomputed: the cover says which notebook ran, for which client, when, with which
package version, with which parameter values (each marked as given or as the notebook's
default) and on which data files (size, modification time and SHA-256, so a reader can
tell which data made the report). The client folder is *not* validated again here (that
is the notebook's job and it is slow); only ``scenario.yaml``'s ``company`` is read for
the client's name.

The table of contents lists the report's level-2 and level-3 markdown headings, in
order, each with the anchor id nbconvert gives the heading in the exported HTML.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import nbformat
import yaml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from bpo_analysis import __version__
from bpo_analysis.data.io import DOC_EXTS, DOCUMENTS, OPTIONAL_DOCUMENTS, TABLE_EXTS, TABLES
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.reporting.parameters import resolve_path

__all__ = ["LABELS", "Cover", "Heading", "ParameterValue", "Source", "client_files",
           "labels", "nested",
           "notebook_title", "report_cover", "split_title", "table_of_contents"]

#: Parameters that only steer how a notebook runs, not what it reports: not on the cover.
INTERNAL_PARAMETERS = frozenset({"show_widgets"})
_FILE_SUFFIXES = ("_path", "_file")
_HASH_CHUNK = 1 << 20
SHORT_HASH = 12  # hex digits of SHA-256 shown on the cover (the full digest is in the page)
#: The words of the cover and the table of contents, in English; :func:`labels` gives
#: them in the report's language.
LABELS = {"kicker": N_("Contact-centre outsourcing report"), "client": N_("Client"),
          "client_dir": N_("Client folder"), "run": N_("Run"), "took": N_("took {duration}"),
          "notebook": N_("Notebook"), "version": N_("version {version}"),
          "parameters": N_("Parameters"), "parameter": N_("parameter"), "value": N_("value"),
          "meaning": N_("meaning"), "given": N_("given"), "default": N_("default"),
          "sources": N_("Data sources"), "file": N_("file"), "from": N_("from"),
          "size": N_("size"), "modified": N_("modified"),
          "no_sources": N_("No data files found."), "contents": N_("Contents")}
_CLIENT_FOLDER = N_("client folder")
_MISSING = N_("missing")
_UNREADABLE = N_("unreadable")
_MODIFIED_AFTER = N_("modified after the run started")


def labels() -> dict[str, str]:
    """:data:`LABELS` in the current report language (:mod:`bpo_analysis.i18n`)."""
    return {key: term(text) for key, text in LABELS.items()}


@dataclass(frozen=True)
class ParameterValue:
    """One parameter as the run used it.

    Attributes
    ----------
    name : str
        The parameter's name.
    value : Any
        The value the run used: the one given, else the notebook's declared default.
    given : bool
        True when the run was given the value (``-p``, ``-f`` or the API); False for the
        notebook's default.
    help : str
        The notebook's help text for the parameter (its comment in the parameters cell).
    """

    name: str
    value: Any
    given: bool
    help: str = ""

    @property
    def text(self) -> str:
        """The value as shown on the cover: strings as they are (``""`` when empty),
        anything else as JSON (``1.4``, ``false``, ``{"voice": 0.12}``)."""
        if isinstance(self.value, str):
            return self.value if self.value else '""'
        try:
            return json.dumps(self.value, ensure_ascii=False)
        except TypeError:
            return repr(self.value)

    @property
    def json(self) -> str:
        """The value as JSON, for the page's ``data-value`` attribute (machine-readable)."""
        try:
            return json.dumps(self.value, ensure_ascii=False)
        except TypeError:
            return json.dumps(repr(self.value))


@dataclass(frozen=True)
class Source:
    """A data file the report was made from.

    Attributes
    ----------
    path : Path
        Absolute path of the file.
    via : str
        Where the run took it from: ``client folder`` or ``parameter NAME``.
    size : int or None
        Size in bytes; None when the file is missing.
    modified : datetime or None
        Last modification, in the machine's time zone; None when missing.
    sha256 : str or None
        Hex SHA-256 of the file's bytes; None when missing.
    note : str
        Anything a reader should know: ``missing``, ``unreadable`` (no hash), or
        ``modified after the run started``
        (e.g. a file the run itself wrote, such as a QA list).
    """

    path: Path
    via: str
    size: int | None
    modified: datetime | None
    sha256: str | None
    note: str = ""

    @property
    def short_sha256(self) -> str:
        """The first :data:`SHORT_HASH` hex digits of the SHA-256 (empty when missing)."""
        return (self.sha256 or "")[:SHORT_HASH]

    @property
    def size_text(self) -> str:
        """The size for people: ``947 B``, ``2.3 kB``, ``1.6 MB`` (decimal units)."""
        if self.size is None:
            return ""
        value, unit = float(self.size), "B"
        for bigger in ("kB", "MB", "GB", "TB"):
            if value < 1000:
                break
            value, unit = value / 1000, bigger
        return f"{self.size} B" if unit == "B" else f"{value:.1f} {unit}"

    @property
    def modified_text(self) -> str:
        """The modification time, to the minute, with the UTC offset."""
        return _when(self.modified, seconds=False) if self.modified else ""

    @property
    def via_text(self) -> str:
        """:attr:`via` in the current report language."""
        if self.via.startswith("parameter "):
            return _("parameter {name}").format(name=self.via.removeprefix("parameter "))
        return term(self.via)

    @property
    def note_text(self) -> str:
        """:attr:`note` in the current report language."""
        return term(self.note) if self.note else ""


@dataclass(frozen=True)
class Heading:
    """One entry of the table of contents: heading level (2 or 3), anchor id, text."""

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
        return _when(self.run_started)

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


def _when(moment: datetime, seconds: bool = True) -> str:
    offset = moment.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = moment.tzname() or ""
    shown = f"{moment:%Y-%m-%d %H:%M:%S}" if seconds else f"{moment:%Y-%m-%d %H:%M}"
    return f"{shown} {name} ({offset})" if name and not name.startswith(("UTC", "+", "-")) \
        else f"{shown} {offset}"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The first ``# `` heading of the notebook's markdown cells (else a generic title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "bpo-analysis report"


def split_title(nb: nbformat.NotebookNode) -> tuple[str, nbformat.NotebookNode]:
    """The notebook's title and a copy of the notebook without its ``# `` title line.

    The cover shows the title; the report does not repeat it above the introduction.
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


# ----------------------------------------------------------------- parameters
def _declared(notebook: Path) -> list[tuple[str, Any, str]]:
    """(name, default, help) of each parameter the notebook's ``parameters`` cell declares,
    parsed by papermill as :func:`bpo_analysis.reporting.reports.notebook_parameters` does; an
    executed notebook keeps its ``parameters`` cell, so its own file is read."""
    import papermill as pm

    out = []
    for p in pm.inspect_notebook(str(notebook)).values():
        try:
            default = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            default = p["default"]
        out.append((p["name"], default, p["help"]))
    return out


def _parameters(nb: nbformat.NotebookNode, notebook: Path
                ) -> tuple[list[ParameterValue], dict[str, Any]]:
    """The cover's parameters and every value the run used (internal ones included)."""
    given = dict(nb.metadata.get("papermill", {}).get("parameters", {}) or {})
    rows, used = [], {}
    for name, default, help_text in _declared(notebook):
        value = given.get(name, default)
        used[name] = value
        if name not in INTERNAL_PARAMETERS:
            rows.append(ParameterValue(name, value, name in given, help_text))
    for name, value in given.items():  # given but not declared (papermill allows it)
        if name not in used:
            used[name] = value
            if name not in INTERNAL_PARAMETERS:
                rows.append(ParameterValue(name, value, True))
    return rows, used


# ----------------------------------------------------------------- data sources
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _source(path: Path, via: str, started: datetime) -> Source:
    try:
        stat = path.stat()
    except OSError:
        return Source(path, via, None, None, None, _MISSING)
    modified = datetime.fromtimestamp(stat.st_mtime, UTC).astimezone()
    note = _MODIFIED_AFTER if modified > started else ""
    try:
        digest = _sha256(path)
    except OSError:  # a file the run could not read either: said, not a failed report
        return Source(path, via, stat.st_size, modified, None, _UNREADABLE)
    return Source(path, via, stat.st_size, modified, digest, note)


def client_files(folder: Path) -> list[Path]:
    """The files of a client folder that loading it reads (documents, then tables), in
    the loader's order; files the schema does not know are left out."""
    found = []
    for name in [*DOCUMENTS, *OPTIONAL_DOCUMENTS]:
        found += [folder / f"{name}{e}" for e in DOC_EXTS if (folder / f"{name}{e}").is_file()]
    for name in TABLES:
        found += [folder / f"{name}{e}" for e in TABLE_EXTS if (folder / f"{name}{e}").is_file()]
    return found


def _client_name(folder: Path | None) -> str:
    if folder is None:
        return ""
    for ext in DOC_EXTS:
        path = folder / f"scenario{ext}"
        try:
            company = (yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}).get("company")
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
            continue
        if isinstance(company, str) and company.strip():
            return company.strip()
    return folder.name


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder`` (partition folders included), hidden ones left out;
    an unreadable folder gives the files that could be listed."""
    try:
        found = [p for p in folder.rglob("*") if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    except OSError:
        found = []
    return sorted(found)


def _sources(used: dict[str, Any], base: Path, started: datetime
             ) -> tuple[Path | None, list[Source]]:
    client_dir = used.get("client_dir")
    folder = (resolve_path(client_dir, base) if isinstance(client_dir, str) and client_dir
              else None)
    sources = [_source(p, _CLIENT_FOLDER, started) for p in client_files(folder)] \
        if folder is not None and folder.is_dir() else []
    seen = {s.path for s in sources}
    for name, value in used.items():
        if not (name.endswith(_FILE_SUFFIXES) and isinstance(value, str) and value):
            continue
        path = resolve_path(value, base)
        files = _files_under(path) if path.is_dir() else [path]
        for p in files:
            if p not in seen:
                seen.add(p)
                sources.append(_source(p, f"parameter {name}", started))
    return folder, sources


def _run_times(nb: nbformat.NotebookNode, notebook: Path) -> tuple[datetime, float | None]:
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
    """The cover of the report made from an executed notebook.

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
        Relative path parameters (the notebooks' defaults) are resolved against the
        source notebook's folder, where the kernel ran.
    """
    notebook = Path(notebook)
    meta = nb.metadata.get("papermill", {})
    source_nb = Path(meta.get("input_path") or notebook)
    started, seconds = _run_times(nb, notebook)
    rows, used = _parameters(nb, notebook)
    folder, sources = _sources(used, source_nb.resolve().parent, started)
    return Cover(title=title or notebook_title(nb), notebook=source_nb.name,
                 client=_client_name(folder), client_dir=folder, run_started=started,
                 run_seconds=seconds, version=__version__, parameters=tuple(rows),
                 sources=tuple(sources))


# ----------------------------------------------------------------- table of contents
_HEADING = re.compile(r"<h([23])\b[^>]*>.*?</h\1>", re.S)


def table_of_contents(nb: nbformat.NotebookNode) -> list[Heading]:
    """The level-2 and level-3 headings of the notebook's markdown cells, in order.

    Each cell is rendered with nbconvert's own markdown renderer, so the ids are exactly
    the anchors the HTML export gives the headings. Headings inside outputs (e.g. a
    headline card's title) are not sections and are left out.
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
    """Headings grouped for a two-level list: each level-2 heading with the level-3
    headings that follow it (a level-3 heading before any level-2 one stands alone)."""
    out: list[tuple[Heading, list[Heading]]] = []
    for h in headings:
        if h.level == 3 and out and out[-1][0].level == 2:
            out[-1][1].append(h)
        else:
            out.append((h, []))
    return out
