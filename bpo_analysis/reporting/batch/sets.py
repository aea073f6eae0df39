"""Find and check the parameter-set files of a batch; nothing is run here.

A parameter set is one YAML file (its stem names the set): ``notebook`` (a name, a
unique prefix, a list of them, or ``all``) and ``parameters``. Every check names the
file, the line, the key, the value and what is allowed (a
:class:`~bpo_analysis.errors.DataError`), so a scheduled batch says which file to fix.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bpo_analysis.data.io import StrictYamlLoader
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.reporting import catalog
from bpo_analysis.reporting.parameters import OutOfRange, absolute

__all__ = ["ALL", "KEYS", "ParameterSet", "command_line_parameters", "find_parameter_files",
           "load_parameter_set"]

KEYS = ("notebook", "parameters")
ALL = "all"
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class ParameterSet:
    """A checked parameter-set file.

    Attributes
    ----------
    name : str
        The file's stem: the folder its reports go to.
    file : Path
        The YAML file (absolute).
    notebooks : tuple of str
        Notebook names (full stems), in decision order.
    parameters : dict
        Per notebook, the parameters it receives (path values made absolute).
    """

    name: str
    file: Path
    notebooks: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]


def find_parameter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Return the parameter-set files named by ``paths``, each once.

    Parameters
    ----------
    paths : iterable of str or Path
        Files, folders (their ``*.yaml`` and ``*.yml``, sorted) and glob patterns (for
        callers without a shell, e.g. systemd).

    Returns
    -------
    list of Path
        The files, resolved, in the order given.

    Raises
    ------
    InputError
        A path that does not exist, a folder without YAML files, a pattern that matches
        nothing, or no path at all.
    """
    found: list[Path] = []
    for arg in paths:
        p = Path(arg).expanduser()
        if p.is_dir():
            files = sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml"))
            if not files:
                raise InputError("PARAMS", str(arg), "a folder holding parameter sets "
                                 "(*.yaml, *.yml), but it has none")
        elif p.exists():
            files = [p]
        elif _GLOB.search(str(arg)):
            files = sorted(Path(f) for f in glob.glob(str(p)))
            if not files:
                raise InputError("PARAMS", str(arg), "a pattern matching parameter-set "
                                 "files, but it matches none")
        else:
            raise InputError("PARAMS", str(arg), "an existing parameter-set file (YAML) or "
                             "a folder of them")
        found.extend(files)
    unique = list(dict.fromkeys(f.resolve() for f in found))
    if not unique:
        raise InputError("PARAMS", [], "at least one parameter-set file (YAML)")
    return unique


def _key_line(node: yaml.Node | None, *keys: str) -> int | None:
    """Return the line (1-based) of the key at path ``keys`` in a composed YAML document.

    As deep as the path is found; None when not even its first key is.
    """
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value if k.value == key), None)
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def _notebook_names(raw: Any, node: yaml.Node | None, path: Path) -> list[str]:
    """Return the full notebook stems of the set's ``notebook`` value (refused if unknown)."""
    line = _key_line(node, "notebook")
    allowed = (f"a notebook of {catalog.list_notebooks()} (or a unique prefix such as "
               "'05', or the name without its number, e.g. 'performance_review'), a list of "
               f"them, or {ALL!r} (every notebook)")
    if raw is None or raw == ALL:
        return catalog.list_notebooks()
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        raise DataError("no notebook", file=path, row=line, column="notebook", value=raw,
                        allowed=allowed)
    # YAML reads `05` as the integer 5: take the text as written instead
    items = node.value if isinstance(node, yaml.MappingNode) else []
    written = next((v for k, v in items if k.value == "notebook"), None)
    scalars = ([written] if isinstance(written, yaml.ScalarNode)
               else list(getattr(written, "value", [])))
    names: list[str] = []
    for i, value in enumerate(values):
        if isinstance(value, int | float) and not isinstance(value, bool) and i < len(scalars):
            value = scalars[i].value
        if not isinstance(value, str) or not value:
            raise DataError("not a notebook name", file=path, row=line, column="notebook",
                            value=value, allowed=allowed)
        try:
            stem = catalog.notebook_path(value).stem
        except InputError:
            raise DataError("unknown notebook", file=path, row=line, column="notebook",
                            value=value, allowed=allowed) from None
        if stem in names:
            raise DataError("notebook given twice", file=path, row=line, column="notebook",
                            value=value, allowed="each notebook once")
        names.append(stem)
    return sorted(names)


def command_line_parameters(given: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Type the parameters given for every set (``-p KEY VALUE``), per notebook.

    Each goes to the notebooks that declare it, typed as each declares it (a string
    ``"200"`` becomes ``200`` for an int); a path is relative to the working directory.

    Parameters
    ----------
    given : mapping
        Parameter name to value, as given on the command line.

    Returns
    -------
    dict
        Per notebook (those declaring at least one of them), its typed values.

    Raises
    ------
    InputError
        A name no notebook declares, or a value of the wrong type for one that does.
    """
    declared = {n: {p.name for p in catalog.notebook_parameters(n)}
                for n in catalog.list_notebooks()}
    known = sorted(set().union(*declared.values()))
    out: dict[str, dict[str, Any]] = {}
    for key, value in given.items():
        if key not in known:
            raise InputError("-p/--parameter", key, f"a parameter of a notebook: one of {known}")
        for n, names in declared.items():
            if key in names:
                try:
                    typed = catalog.resolve_parameters(n, {key: value})[key]
                except InputError as err:
                    raise InputError(f"-p {key}", value, f"{err.allowed} in {n}") from None
                out.setdefault(n, {})[key] = typed
    return out


def load_parameter_set(path: str | Path,
                       overrides: Mapping[str, Mapping[str, Any]] | None = None
                       ) -> ParameterSet:
    """Read and check one parameter-set file; nothing is run.

    Parameters
    ----------
    path : str or Path
        The YAML file: a mapping with ``notebook`` (optional) and ``parameters``
        (optional). Relative path parameters are taken from its folder.
    overrides : mapping, optional
        Per notebook, checked values that win over the file's (from
        :func:`command_line_parameters`).

    Returns
    -------
    ParameterSet
        The set, its notebooks in decision order and each notebook's parameters.

    Raises
    ------
    DataError
        The file cannot be read, is not YAML, not a mapping, has a key other than
        ``notebook`` and ``parameters``, names an unknown notebook, or a parameter that
        none of its notebooks declares or of the wrong type: the message names the
        file, the line, the key, the value and what is allowed.
    """
    path = Path(path).expanduser().resolve()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read the file ({err})", file=path,
                        allowed="a readable UTF-8 YAML file") from None
    try:
        data = yaml.load(text, Loader=StrictYamlLoader)  # safe; refuses a key given twice
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError(f"not valid YAML ({getattr(err, 'problem', None) or err})",
                        file=path, row=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise DataError("the file is empty or not a mapping of keys", file=path,
                        value=None if data is None else type(data).__name__,
                        allowed="a mapping with the keys notebook (optional) and parameters")
    for key in data:
        if key not in KEYS:
            raise DataError("unknown key", file=path, row=_key_line(node, str(key)),
                            column=str(key), value=key, allowed=f"one of {list(KEYS)}")
    notebooks = _notebook_names(data.get("notebook"), node, path)
    given = data.get("parameters") or {}
    if not isinstance(given, dict):
        raise DataError("not a mapping of parameter: value", file=path,
                        row=_key_line(node, "parameters"), column="parameters",
                        value=given, allowed="a mapping of parameter name: value")
    declared = {n: {p.name for p in catalog.notebook_parameters(n)} for n in notebooks}
    known = sorted(set().union(*declared.values()))
    for key in given:
        if key not in known:
            which = notebooks[0] if len(notebooks) == 1 else f"the {len(notebooks)} notebooks"
            raise DataError("unknown parameter", file=path,
                            row=_key_line(node, "parameters", str(key)),
                            column=f"parameters.{key}", value=key,
                            allowed=f"one of the parameters of {which}: {known} "
                            "(see: bpo-analysis params NAME)")
    values = {k: absolute(str(k), v, path.parent) for k, v in given.items()}
    per_notebook = {n: {k: v for k, v in values.items() if k in declared[n]}
                    for n in notebooks}
    for n, mine in per_notebook.items():
        try:
            catalog.resolve_parameters(n, mine)  # the types the notebook declares
        except InputError as err:
            key = err.argument.removeprefix("parameter ")
            raise DataError("out of range" if isinstance(err, OutOfRange) else "wrong type",
                            file=path, row=_key_line(node, "parameters", key),
                            column=f"parameters.{key}", value=err.value,
                            allowed=f"{err.allowed} in {n}") from None
        mine.update((overrides or {}).get(n, {}))
    return ParameterSet(path.stem, path, tuple(notebooks), per_notebook)
