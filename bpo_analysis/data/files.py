"""The files of a client folder: finding one, decoding its text, reading a YAML document.

Text is UTF-8 (the BOM Excel writes tolerated) or, failing that, Big5/cp950 with a
:class:`~bpo_analysis.errors.DataWarning`; YAML is read safely (PyYAML's safe loader, with
merge keys ``<<: *base``) and a key given twice is refused. A file that cannot be read (a
folder in its place, no permission) is one clear error. Every file read leaves its
provenance (:class:`SourceFile`). The tables and the
registries of a client folder's files are in :mod:`bpo_analysis.data.io`, which also
exports every name here.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bpo_analysis.data.yaml_errors import document_error, node_line
from bpo_analysis.errors import DataError, DataWarning

__all__ = ["DOC_EXTS", "SourceFile", "StrictYamlLoader", "decode", "find_file", "read_bytes",
           "read_document", "yaml_line"]


class StrictYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """A safe YAML loader that refuses a key given twice in one mapping.

    YAML itself would keep the last one silently. Merge keys (``<<: *weekday``) are
    read as YAML 1.1 defines them: a key written next to one overrides the merged one.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        r"""Build a mapping, refusing a key given twice in it.

        Parameters
        ----------
        node : yaml.MappingNode
            The mapping as parsed.
        deep : bool
            Construct nested objects at once (as :class:`yaml.SafeLoader`).

        Returns
        -------
        dict
            The mapping (what merge keys bring in, then its own keys).

        Raises
        ------
        yaml.constructor.ConstructorError
            A key given twice: names it and the line of its first use.

        Examples
        --------
        A scenario naming its currency twice is refused, not read as the last one:

        >>> yaml.load("{currency: TWD, currency: USD}", Loader=StrictYamlLoader)
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        yaml.constructor.ConstructorError: key 'currency' given twice (first on line 1)...

        A weekday may take another's hours and change one of them:

        >>> yaml.load("mon: &d {open: '08:00', close: '24:00'}\ntue: {<<: *d, close: '22:00'}",
        ...           Loader=StrictYamlLoader)["tue"]
        {'open': '08:00', 'close': '22:00'}
        """
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # merged keys may be overridden
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice (first on line {seen[key]})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


DOC_EXTS = (".yaml", ".yml")


@dataclass(frozen=True)
class SourceFile:
    """Provenance of one loaded file, for the data-quality summary and report covers."""

    name: str
    path: Path
    format: str
    encoding: str | None
    rows: int
    sha256: str


def find_file(folder: Path, name: str, exts: tuple[str, ...]) -> Path:
    """Find the one file ``name`` with one of the extensions ``exts`` in ``folder``.

    Parameters
    ----------
    folder : Path
        The client folder.
    name : str
        The file's name without extension (``quotes``, ``scenario`` ...).
    exts : tuple of str
        The extensions allowed, the first one named in an error (``(".csv", ".xlsx")``).

    Returns
    -------
    Path
        The file.

    Raises
    ------
    DataError
        No such file, or two of them (``quotes.csv`` and ``quotes.xlsx``).

    Examples
    --------
    >>> find_file(Path("data/sample"), "quotes", (".csv", ".xlsx")).name
    'quotes.csv'
    """
    found = [folder / f"{name}{e}" for e in exts if (folder / f"{name}{e}").exists()]
    if not found:
        raise DataError("file not found", file=folder / f"{name}{exts[0]}",
                        allowed=" or ".join(f"{name}{e}" for e in exts) + f" in {folder}")
    if len(found) > 1:
        raise DataError("two files for the same table; keep one", file=found[1],
                        value=[p.name for p in found], allowed="exactly one of them")
    if found[0].is_dir():
        raise DataError("a folder where a file is expected", file=found[0],
                        allowed=f"the file {found[0].name} itself (move the folder away)")
    return found[0]


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, or say in one clear error why it cannot be read.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    bytes
        Its content.

    Raises
    ------
    DataError
        A folder in the file's place, no permission to read it, or another system error
        (naming the file and the reason).

    Examples
    --------
    >>> read_bytes(Path("data/sample"))
    Traceback (most recent call last):
    ...
    bpo_analysis.errors.DataError: data/sample: a folder where a file is expected; allowed: a file
    """
    try:
        return path.read_bytes()
    except IsADirectoryError:
        problem, allowed = "a folder where a file is expected", "a file"
    except PermissionError:
        problem = "cannot read the file: permission denied"
        allowed = "a file the account running bpo-analysis may read (check its permissions)"
    except FileNotFoundError:
        problem, allowed = "file not found", "an existing file"
    except OSError as err:
        problem, allowed = f"cannot read the file ({err.strerror or err})", "a readable file"
    raise DataError(problem, file=path, allowed=allowed) from None


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    r"""Decode a file's bytes: UTF-8 (BOM tolerated) or, failing that, Big5/cp950.

    Parameters
    ----------
    path : Path
        The file, for the warning and the error.
    raw : bytes
        Its content.

    Returns
    -------
    text : str
        The text.
    encoding : str
        ``utf-8``, ``utf-8-sig`` (with Excel's BOM) or ``cp950``.

    Raises
    ------
    DataError
        Neither UTF-8 nor Big5/cp950 (names the row of the first bad byte and the byte).

    Warns
    -----
    DataWarning
        Decoded as Big5/cp950 (the encoding Excel uses in Taiwan).

    Examples
    --------
    A CSV saved by Excel as 'CSV UTF-8' starts with a byte-order mark:

    >>> decode(Path("quotes.csv"), b"\xef\xbb\xbfquote_id\nQ01\n")
    ('quote_id\nQ01\n', 'utf-8-sig')
    """
    try:
        text = raw.decode("utf-8-sig")
        return text, "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as err:
        utf8_line = raw[:err.start].count(b"\n") + 1
    try:
        text = raw.decode("cp950")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise DataError(f"the file is neither UTF-8 (first bad byte on row {utf8_line}) nor "
                        "Big5/cp950: a wrong encoding or a damaged file", file=path, row=line,
                        value=f"byte 0x{raw[err.start]:02x}",
                        allowed="UTF-8 text (Excel: Save As 'CSV UTF-8')") from None
    warnings.warn(DataWarning(
        f"{path}: not UTF-8; decoded as Big5 (cp950), the encoding Excel uses in Taiwan. "
        "Check the Chinese text, and save as 'CSV UTF-8' to silence this."), stacklevel=4)
    return text, "cp950"


def yaml_line(path: str | Path, loc: tuple[Any, ...]) -> int | None:
    """Return the line of key path ``loc`` in a YAML file, for an error message.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    loc : tuple
        Keys and list positions, e.g. ``("criteria", 3, "column")``.

    Returns
    -------
    int or None
        The 1-based line of the deepest part of ``loc`` found (None when not even the
        first key is there).

    Examples
    --------
    >>> yaml_line("data/sample/sla.yaml", ("kpis", "abandon_rate", "direction"))
    6
    """
    p = Path(path)
    stat = p.stat()
    return node_line(_composed(str(p), stat.st_mtime_ns, stat.st_size), loc)


@functools.lru_cache(maxsize=32)
def _composed(path: str, _mtime_ns: int, _size: int) -> yaml.Node | None:
    """Return a YAML file's node tree, parsed once per version of the file.

    A check that names the line of every item it looks at asks for many lines of one
    file; the file's modification time and size in the key parse it again after an edit.
    """
    text, _ = decode(Path(path), read_bytes(Path(path)))
    return yaml.compose(text)


def read_document(path: str | Path, model: type[BaseModel]) -> tuple[BaseModel, SourceFile]:
    """Read one YAML document and validate it against ``model``.

    Parameters
    ----------
    path : str or Path
        A ``.yaml`` file (UTF-8, or Big5/cp950 with a warning).
    model : type of BaseModel
        The document's model (:data:`bpo_analysis.data.io.DOCUMENTS` names them).

    Returns
    -------
    document : BaseModel
        The validated document.
    source : SourceFile
        Its provenance.

    Raises
    ------
    DataError
        Invalid YAML, a key given twice, an empty file, a missing or unknown key or an
        invalid value (naming the file, line and dotted key).

    Examples
    --------
    >>> from bpo_analysis.data.models import Scenario
    >>> scenario, source = read_document("data/sample/scenario.yaml", Scenario)
    >>> scenario.currency, scenario.interval_minutes, source.name
    ('TWD', 30, 'scenario')
    """
    path = Path(path)
    raw = read_bytes(path)
    text, encoding = decode(path, raw) if raw.strip() else ("", "utf-8")
    try:
        data = yaml.load(text, Loader=StrictYamlLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError(f"not valid YAML ({getattr(err, 'problem', err)})", file=path,
                        row=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise DataError("the file is empty or not a mapping of keys", file=path,
                        value=None if data is None else type(data).__name__,
                        allowed=f"the keys of {model.__name__}: {', '.join(model.model_fields)}")
    try:
        doc = model.model_validate(data)
    except ValidationError as err:
        raise document_error(path, text, data, model, err) from None
    digest = hashlib.sha256(raw).hexdigest()
    return doc, SourceFile(path.stem, path, "yaml", encoding, 1, digest)
