"""What a report was made from: the parameter values of its run and its data files.

Read from the executed notebook and from file metadata, never recomputed: every
parameter with the value the run used (given, or the notebook's default), and every data
file -- the client folder's, then those the ``*_path``/``*_file`` parameters name -- with
its size, modification time and SHA-256, so a reader can tell which data made the report.
The client folder is *not* validated again here (that is the notebook's job and it is
slow); only ``scenario.yaml``'s ``company`` is read for the client's name.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import yaml

from bpo_analysis.data.io import DOC_EXTS, DOCUMENTS, OPTIONAL_DOCUMENTS, TABLE_EXTS, TABLES
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.reporting.parameters import resolve_path

__all__ = ["INTERNAL_PARAMETERS", "SHORT_HASH", "ParameterValue", "Source", "client_files",
           "client_name", "data_sources", "file_source", "files_under", "moment_text",
           "run_parameters"]

#: Parameters that only steer how a notebook runs, not what it reports: not on the cover.
INTERNAL_PARAMETERS = frozenset({"show_widgets"})
_FILE_SUFFIXES = ("_path", "_file")
_HASH_CHUNK = 1 << 20
SHORT_HASH = 12  # hex digits of SHA-256 shown on the cover (the full digest is in the page)
_CLIENT_FOLDER = N_("client folder")
_MISSING = N_("missing")
_UNREADABLE = N_("unreadable")
_MODIFIED_AFTER = N_("modified after the run started")


def moment_text(moment: datetime, seconds: bool = True) -> str:
    """Return a time as the cover shows it: date, time, zone name and UTC offset.

    Parameters
    ----------
    moment : datetime
        An aware time.
    seconds : bool
        Show the seconds (else to the minute).

    Returns
    -------
    str
        E.g. ``2026-11-23 09:14:05 CST (UTC+08:00)``; a zone without a name of its own
        gives the offset alone.

    Examples
    --------
    >>> from datetime import timedelta, timezone
    >>> moment_text(datetime(2026, 11, 23, 9, 14, 5, tzinfo=timezone(timedelta(hours=8))))
    '2026-11-23 09:14:05 UTC+08:00'
    >>> moment_text(datetime(2026, 11, 23, 9, 14, 5, tzinfo=UTC), seconds=False)
    '2026-11-23 09:14 UTC+00:00'
    """
    offset = moment.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = moment.tzname() or ""
    shown = f"{moment:%Y-%m-%d %H:%M:%S}" if seconds else f"{moment:%Y-%m-%d %H:%M}"
    return f"{shown} {name} ({offset})" if name and not name.startswith(("UTC", "+", "-")) \
        else f"{shown} {offset}"


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
        """The value as shown on the cover.

        Strings as they are (``""`` when empty), anything else as JSON (``1.4``,
        ``false``, ``{"voice": 0.12}``).
        """
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
        return moment_text(self.modified, seconds=False) if self.modified else ""

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


# ----------------------------------------------------------------- parameters
def _declared(notebook: Path) -> list[tuple[str, Any, str]]:
    """Return (name, default, help) of each parameter the ``parameters`` cell declares.

    Parsed by papermill as :func:`bpo_analysis.reporting.catalog.notebook_parameters`
    does; an executed notebook keeps its ``parameters`` cell, so its own file is read.
    """
    out = []
    for p in pm.inspect_notebook(str(notebook)).values():
        try:
            default = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            default = p["default"]
        out.append((p["name"], default, p["help"]))
    return out


def run_parameters(nb: nbformat.NotebookNode, notebook: Path
                   ) -> tuple[list[ParameterValue], dict[str, Any]]:
    """Return the cover's parameters and every value the run used.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (``metadata.papermill.parameters``: the values given).
    notebook : Path
        Its file, whose ``parameters`` cell gives the declared defaults.

    Returns
    -------
    tuple
        The cover's rows (list of ParameterValue, in declaration order, then the values
        given but not declared; :data:`INTERNAL_PARAMETERS` left out), and every value
        the run used (name -> value, internal ones included).
    """
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


def file_source(path: Path, via: str, started: datetime) -> Source:
    """Return one data file as the cover lists it: size, modification time, SHA-256.

    Parameters
    ----------
    path : Path
        The file.
    via : str
        Where the run took it from (``client folder``, ``parameter NAME``).
    started : datetime
        When the run started: a file modified later is noted.

    Returns
    -------
    Source
        A missing file has no size, time or hash (noted ``missing``); a file that cannot
        be read has no hash (noted ``unreadable``).
    """
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
    """Return the files of a client folder that loading it reads, in the loader's order.

    Parameters
    ----------
    folder : Path
        The client folder.

    Returns
    -------
    list of Path
        Its documents, then its tables; files the schema does not know are left out.
    """
    found = []
    for name in [*DOCUMENTS, *OPTIONAL_DOCUMENTS]:
        found += [folder / f"{name}{e}" for e in DOC_EXTS if (folder / f"{name}{e}").is_file()]
    for name in TABLES:
        found += [folder / f"{name}{e}" for e in TABLE_EXTS if (folder / f"{name}{e}").is_file()]
    return found


def client_name(folder: Path | None) -> str:
    """Return the client's name: ``company`` in its ``scenario.yaml``, else the folder's name.

    Parameters
    ----------
    folder : Path or None
        The client folder (None: no client, an empty name).

    Returns
    -------
    str
        The name, stripped.
    """
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


def files_under(folder: Path) -> list[Path]:
    """Return every file under ``folder``, partition folders included, sorted.

    Hidden files and folders are left out; an unreadable folder gives the files that
    could be listed.

    Parameters
    ----------
    folder : Path
        A folder of data files, e.g. partitioned Parquet records.

    Returns
    -------
    list of Path
        The files.
    """
    try:
        found = [p for p in folder.rglob("*") if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    except OSError:
        found = []
    return sorted(found)


def data_sources(used: dict[str, Any], base: Path, started: datetime
                 ) -> tuple[Path | None, list[Source]]:
    """Return the client folder and every data file of a run, each once.

    Parameters
    ----------
    used : dict
        Every parameter value the run used (:func:`run_parameters`).
    base : Path
        The folder relative paths are read against (the source notebook's, where the
        kernel ran).
    started : datetime
        When the run started.

    Returns
    -------
    tuple
        The client folder (``client_dir``; None when not given) and the sources: the
        client folder's files (:func:`client_files`), then the files the ``*_path`` and
        ``*_file`` parameters name (every file of a folder).
    """
    client_dir = used.get("client_dir")
    folder = (resolve_path(client_dir, base) if isinstance(client_dir, str) and client_dir
              else None)
    sources = [file_source(p, _CLIENT_FOLDER, started) for p in client_files(folder)] \
        if folder is not None and folder.is_dir() else []
    seen = {s.path for s in sources}
    for name, value in used.items():
        if not (name.endswith(_FILE_SUFFIXES) and isinstance(value, str) and value):
            continue
        path = resolve_path(value, base)
        files = files_under(path) if path.is_dir() else [path]
        for p in files:
            if p not in seen:
                seen.add(p)
                sources.append(file_source(p, f"parameter {name}", started))
    return folder, sources
