"""The report notebooks: which there are, and the parameters each declares and takes.

A notebook is named by its full name, a unique prefix (``05``) or its name without the
number (``performance_review``). Its parameters are those of its ``parameters`` cell,
as papermill reads them; a run's values are checked against them before anything runs
(papermill itself only warns about an unknown name), typed as declared, and path
parameters made absolute (:mod:`bpo_analysis.reporting.parameters`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import papermill as pm
import yaml

from bpo_analysis import i18n
from bpo_analysis.errors import InputError
from bpo_analysis.reporting.parameters import absolute, check_range

__all__ = ["NOTEBOOKS_DIR", "Parameter", "list_notebooks", "notebook_parameters",
           "notebook_path", "resolve_parameters"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # bpo_analysis/
NOTEBOOKS_DIR = Path(os.environ.get("BPO_ANALYSIS_NOTEBOOKS", PACKAGE_DIR.parent / "notebooks"))
_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "float": (float, int), "str": (str,),
                                       "bool": (bool,)}


@dataclass(frozen=True)
class Parameter:
    """A notebook parameter as declared in its ``parameters`` cell.

    Attributes
    ----------
    name : str
        The parameter's name.
    type : str
        The type papermill infers from its annotation: ``int``, ``float``, ``str`` and
        ``bool`` are checked, any other is not.
    default : Any
        The declared value, read as a Python literal when it is one.
    help : str
        The comment after it in the ``parameters`` cell.
    """

    name: str
    type: str
    default: Any
    help: str


def list_notebooks(directory: Path = NOTEBOOKS_DIR) -> list[str]:
    """Return the names (file stems) of the report notebooks, in decision order.

    Parameters
    ----------
    directory : Path
        The notebooks folder: its ``*.ipynb`` files whose name starts with a digit.

    Returns
    -------
    list of str
        ``["00_client_profile", "01_sourcing_model", ...]``.
    """
    return sorted(p.stem for p in directory.glob("[0-9]*.ipynb"))


def notebook_path(name: str, directory: Path = NOTEBOOKS_DIR) -> Path:
    """Return the notebook file that ``name`` names.

    Parameters
    ----------
    name : str
        A notebook's full name (``.ipynb`` optional), a unique prefix (``"05"``) or the
        name without its number (``"performance_review"``).
    directory : Path
        The notebooks folder.

    Returns
    -------
    Path
        ``directory/<full name>.ipynb``.

    Raises
    ------
    InputError
        No notebook, or more than one, matches; or the folder has no notebooks.
    """
    names = list_notebooks(directory)
    if not names:
        raise InputError("notebook", name, f"a notebook of {directory}, but it has none: run "
                         "from a clone of the repository (make report), or point "
                         "BPO_ANALYSIS_NOTEBOOKS at the notebooks folder")
    stem = name.removesuffix(".ipynb")
    matches = ([n for n in names if n == stem] or [n for n in names if n.startswith(stem)]
               or [n for n in names if n.split("_", 1)[-1] == stem])
    if len(matches) != 1:
        raise InputError("notebook", name, f"one of {names} (or a unique prefix such as "
                         "'00', or the name without its number, e.g. 'performance_review')")
    return directory / f"{matches[0]}.ipynb"


def notebook_parameters(name: str) -> list[Parameter]:
    """Return the parameters a notebook declares: name, type, default and help text.

    Parameters
    ----------
    name : str
        The notebook, as :func:`notebook_path` takes it.

    Returns
    -------
    list of Parameter
        In the order of its ``parameters`` cell.
    """
    found = pm.inspect_notebook(str(notebook_path(name)))
    out = []
    for p in found.values():
        try:
            default = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            default = p["default"]
        out.append(Parameter(p["name"], p["inferred_type_name"], default, p["help"]))
    return out


def _coerce(p: Parameter, value: Any) -> Any:
    if isinstance(value, str) and p.type != "str":
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            pass
    allowed = _TYPES.get(p.type)
    ok = allowed is None or (isinstance(value, allowed)
                             and not (p.type in ("int", "float") and isinstance(value, bool)))
    if not ok:
        raise InputError(f"parameter {p.name}", value,
                         f"a {p.type} (default {p.default!r}; {p.help or 'no help text'})")
    if p.type == "float":
        value = float(value)
    check_range(p.name, value, p.help, p.default)  # 8 for a discount rate: refused here
    if p.name == "language":  # checked here, not in the kernel half-way through a run
        try:
            i18n.check_language(value)
        except InputError as err:  # the value, or the environment variable "" stands for
            if err.argument != "language":
                raise
            raise InputError(f"parameter {p.name}", value, err.allowed) from None
    return absolute(p.name, value)


def resolve_parameters(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check names, types and ranges of ``given`` against the notebook; return typed values.

    ``language`` must be ``""`` or one of :data:`bpo_analysis.i18n.LANGUAGES`, and the
    ``BPO_ANALYSIS_LANGUAGE`` variable that ``""`` stands for is checked too (here, not
    half-way through a run). Report runs default ``show_widgets`` to False (widgets do
    not render in HTML).

    Parameters
    ----------
    name : str
        The notebook, as :func:`notebook_path` takes it.
    given : mapping
        Parameter name to value; a string is read as YAML for a parameter not declared
        ``str`` (``"2"`` -> ``2.0`` for a float); a relative path is read against the
        working directory.

    Returns
    -------
    dict
        The typed values, paths absolute; ``show_widgets`` (when declared) False unless
        given.

    Raises
    ------
    InputError
        A name the notebook does not declare, a value of the wrong type or outside its
        range (:data:`bpo_analysis.reporting.parameters.RANGES`), or an unknown language.
    """
    declared = {p.name: p for p in notebook_parameters(name)}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            raise InputError("parameter", key,
                             f"one of the parameters of {notebook_path(name).stem}: "
                             f"{sorted(declared)} (see: bpo-analysis params {name})")
        out[key] = _coerce(declared[key], value)
    if "language" in declared and "language" not in out:
        _coerce(declared["language"], declared["language"].default)  # the variable checked
    if "show_widgets" in declared:
        out.setdefault("show_widgets", False)
    return out
