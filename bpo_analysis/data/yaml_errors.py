"""Where a YAML document's problem is: its line, its key path, and what was meant.

:func:`bpo_analysis.data.files.read_document` validates a document against its model;
this module turns pydantic's first error into one :class:`~bpo_analysis.errors.DataError`
that points at the item at fault:

- an unknown key (a misspelt one) is named with its line and the closest key the model
  knows (``did you mean 'currency'?``), before the missing key the typo leaves;
- a rule over a list or mapping (a criterion id given twice, an AHP judgement naming no
  group) raises :class:`~bpo_analysis.errors.ItemError` in the model, which says which
  item: its line and dotted key, not the whole document;
- a value that is a whole mapping or a long list is not printed back.

Lines come from the nodes PyYAML composes (``start_mark``); keys a merge key (``<<:
*base``) brings in are found at their anchor.
"""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from bpo_analysis.errors import DataError, ItemError

__all__ = ["document_error", "node_line"]

_MERGE = "tag:yaml.org,2002:merge"
_LONG = 80  # a mapping or list value longer than this (as text) is not printed back


def _lookup(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """Find the (key, value) nodes of ``key`` in a mapping, or in what its merge keys bring."""
    pairs = [(k, v) for k, v in node.value if k.tag != _MERGE]
    found = next(((k, v) for k, v in pairs if k.value == key), None)
    for k, v in node.value:
        if found is None and k.tag == _MERGE:
            for src in v.value if isinstance(v, yaml.SequenceNode) else [v]:
                found = _lookup(src, key) if isinstance(src, yaml.MappingNode) else None
                if found:
                    break
    return found


def node_line(node: yaml.Node | None, loc: tuple[Any, ...], *, key: bool = False
              ) -> int | None:
    r"""Return the line (1-based) of key path ``loc`` in a composed YAML document.

    As deep as the path is found: the first line of its value (a mapping under a key
    starts on the line after the key's), or with ``key`` the line of the last key itself.

    Parameters
    ----------
    node : yaml.Node or None
        The document as :func:`yaml.compose` returns it.
    loc : tuple
        Keys and list positions, e.g. ``("criteria", 3, "column")``.
    key : bool
        The line of the key rather than of its value (for a key refused as such).

    Returns
    -------
    int or None
        The line, or None when not even the first key is there.

    Examples
    --------
    A weekday that takes the hours of another through a merge key:

    >>> doc = yaml.compose("monday: &day {open: '08:00'}\ntuesday:\n  <<: *day\n")
    >>> node_line(doc, ("tuesday",)), node_line(doc, ("tuesday",), key=True)
    (3, 2)
    >>> node_line(doc, ("tuesday", "open"))
    1
    """
    line = None
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            pair = _lookup(node, str(step))
            if pair is None:
                break
            node = pair[1]
            line = (pair[0] if key else node).start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _unwrap(tp: Any) -> Any:
    """Return the type under ``Annotated`` and ``X | None``."""
    if get_origin(tp) is Annotated:
        return _unwrap(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        kinds = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in kinds if isinstance(a, type) and issubclass(a, BaseModel)]
        return _unwrap((models or kinds)[0])
    return tp


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """List the keys the model allows in the mapping at ``loc`` (None: it is no model)."""
    tp: Any = model
    for key in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(key))
            tp = field.annotation if field else None
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        elif get_origin(tp) is tuple and isinstance(key, int) and key < len(get_args(tp)):
            tp = get_args(tp)[key]
        else:
            return None
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return DataError._NO_VALUE
    return data


def _shown(value: Any) -> Any:
    """Return the value to print back: a long mapping by its keys, a long list not at all."""
    if isinstance(value, dict) and len(repr(value)) > _LONG:
        value = list(value)
    if isinstance(value, (dict, list)) and len(repr(value)) > _LONG:
        return DataError._NO_VALUE
    return value


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(map(str, loc)) or "the document"


def _unknown_key(errs: list[dict], e: dict, model: type[BaseModel]) -> tuple[str, str]:
    """(problem, allowed) for a key the model does not know, with the closest known key."""
    *parent, key = e["loc"]
    known = _keys_at(model, tuple(parent))
    # the keys left out next to it first: a misspelt required key is also a missing one
    missing = [x["loc"][-1] for x in errs
               if x["type"] == "missing" and list(x["loc"][:-1]) == parent]
    near = (difflib.get_close_matches(str(key), missing, n=1)
            or difflib.get_close_matches(str(key), known or [], n=1))
    problem = f"unknown key {key!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
    allowed = (f"the keys of {_where(tuple(parent))}: {', '.join(known)}" if known
               else "the keys data/README.md lists for this file")
    return problem, allowed


def _refused(e: dict) -> str:
    """Say what pydantic allows, with the closest choice to a misspelt word."""
    allowed = e["msg"].removeprefix("Value error, ")
    if e["type"] == "literal_error" and isinstance(e["input"], str):
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", e.get("ctx", {}).get("expected", ""))
        near = difflib.get_close_matches(e["input"], choices, n=1)
        if near and near[0] != e["input"]:
            allowed += f" (did you mean {near[0]!r}?)"
    return allowed


def document_error(path: Any, text: str, data: Any, model: type[BaseModel],
                   err: ValidationError) -> DataError:
    r"""Turn a document's validation error into one DataError naming line, key and value.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    text : str
        Its text (for the lines).
    data : object
        What it holds, as loaded.
    model : type of BaseModel
        The document's model.
    err : ValidationError
        What the model refused.

    Returns
    -------
    DataError
        The first problem; an unknown key comes before the missing key it explains.

    Examples
    --------
    >>> from bpo_analysis.data.models import Scenario
    >>> text = "company: Formosa Click\ncurency: TWD\n"
    >>> data = yaml.safe_load(text)
    >>> try:
    ...     Scenario.model_validate(data)
    ... except ValidationError as err:
    ...     print(document_error("scenario.yaml", text, data, Scenario, err))
    ... # doctest: +ELLIPSIS
    scenario.yaml, row 2, column 'curency': unknown key 'curency' (did you mean 'currency'?); ...
    """
    errs = err.errors()
    e = next((x for x in errs if x["type"] == "extra_forbidden"), errs[0])
    loc = tuple(x for x in e["loc"] if not str(x).startswith("function-") and x != "[key]")
    problem, value, first = "invalid value", e["input"], None
    allowed = _refused(e)
    item = e.get("ctx", {}).get("error")
    if isinstance(item, ItemError):
        loc = loc + item.loc
        problem, allowed, value = item.problem, item.allowed, _value_at(data, loc)
        first = loc[:len(loc) - len(item.loc)] + item.first if item.first else None
    elif e["type"] == "extra_forbidden":
        problem, allowed = _unknown_key(errs, e, model)
        value = value if not isinstance(value, (dict, list)) else DataError._NO_VALUE
    elif e["type"] == "missing":
        problem, value = f"missing key {loc[-1]!r}", DataError._NO_VALUE
        allowed = f"a value for {loc[-1]!r} in {_where(loc[:-1])} (see data/README.md)"
    node = yaml.compose(text)
    if first is not None and (first_line := node_line(node, first)):
        problem += f" (first on line {first_line})"
    row = node_line(node, loc, key=e["type"] == "extra_forbidden")
    return DataError(problem, file=path, row=row,
                     column=".".join(map(str, loc)) or None, value=_shown(value),
                     allowed=allowed)
