"""The checks of ``criteria.yaml`` against ``vendors.csv`` and among its AHP judgements.

Run at load time by :func:`bpo_analysis.data.quality.check_client`, so a criterion step 2
cannot score, a knock-out limit it cannot compare, or judgements AHP cannot weigh are
refused at ``bpo-analysis validate``, naming the line and key, not deep inside a report:

- a criterion reads a column ``vendors.csv`` has, of numbers or yes/no (not text): one of
  its model's, or any other the client added (:mod:`bpo_analysis.data.extras`); a
  column since renamed is refused with its new name;
- the ``languages`` asked for are ones vendors.csv says its vendors serve;
- a knock-out limit is of the column's kind (a number, or yes/no compared with ``==`` or
  ``!=``) and inside the column's range: a percentage on a share column (45 for 0.45)
  would let every vendor pass, or none;
- the AHP judgements compare each pair once and connect every group (or criterion).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bpo_analysis.data import models as m
from bpo_analysis.data.extras import extra_bounds
from bpo_analysis.data.io import yaml_line
from bpo_analysis.data.models.types import Bounds, bounds, percent_hint
from bpo_analysis.errors import DataError

__all__ = ["check_criteria"]

#: What a ``source: pricing`` criterion holds: each vendor's cost per contact.
_PRICE = Bounds("number", low=0.0)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _kinds(vendors: pd.DataFrame | None) -> dict[str, Bounds]:
    """Return what each column a criterion may read holds: the model's, then the extras."""
    fields = m.VendorRow.model_fields
    kinds = {n: bounds(f) for n, f in fields.items() if n not in ("vendor_id", "name")}
    if vendors is not None:
        kinds |= {c: extra_bounds(vendors[c]) for c in vendors.columns if c not in fields}
    return kinds


def _knock_out(c: m.Criterion, i: int, path: Path, kinds: dict[str, Bounds]) -> None:
    """Check a criterion's knock-out limit against what its column holds."""
    ko = c.knock_out
    if ko is None:
        return
    if c.source == "pricing":
        what, b = "the vendor's cost per contact (source: pricing)", _PRICE
    else:
        what, b = f"vendors.csv column {c.column}", kinds[str(c.column)]
    key = ("criteria", i, "knock_out")

    def refuse(problem: str, part: str, value: object, allowed: str) -> DataError:
        return DataError(f"criterion {c.id!r}: {problem}", file=path,
                         row=yaml_line(path, (*key, part)), column=".".join(map(str, (*key, part))),
                         value=value, allowed=allowed)

    if b.kind == "yes/no":
        if not isinstance(ko.value, bool):
            raise refuse(f"a knock-out limit on a yes/no column ({what})", "value", ko.value,
                         "yes or no, unquoted (true or false)")
        if ko.op not in ("==", "!="):
            raise refuse(f"a yes/no column ({what}) is compared with == or != only", "op",
                         ko.op, "== or !=")
        return
    if not _is_number(ko.value):
        raise refuse(f"a knock-out limit on a numeric column ({what}) must be a number",
                     "value", ko.value, f"{b}, as {what} holds")
    if not b.holds(ko.value):
        raise refuse(f"the knock-out limit is outside what {what} can hold, so every vendor "
                     "would pass the rule or none", "value", ko.value,
                     f"{b}{percent_hint(ko.value) if b.share else ''}")


def _columns(criteria: m.Criteria, path: Path, kinds: dict[str, Bounds]) -> None:
    """Check that every criterion reads a vendors.csv column of numbers or yes/no."""
    known = sorted(kinds)
    for i, c in enumerate(criteria.criteria):
        if c.source != "vendors":
            continue
        where = dict(file=path, row=yaml_line(path, ("criteria", i, "column")),
                     column=f"criteria.{i}.column", value=c.column)
        if c.column in m.VendorRow.RENAMED and c.column not in kinds:
            new, meaning = m.VendorRow.RENAMED[c.column]
            raise DataError(f"criterion {c.id!r} reads column {c.column}, which vendors.csv "
                            f"renamed {new} ({meaning})", **where, allowed=f"column: {new}")
        if c.column not in kinds:
            raise DataError("criterion reads a column vendors.csv does not have", **where,
                            allowed=f"one of {known}")
        if kinds[str(c.column)].kind == "text":
            scored = [n for n in known if kinds[n].kind != "text"]
            raise DataError(f"criterion {c.id!r} reads a text column: a vendor is scored "
                            "on numbers or yes/no", **where, allowed=f"one of {scored}")


def _languages(criteria: m.Criteria, path: Path, vendors: pd.DataFrame | None) -> None:
    """Check that vendors.csv says which languages its vendors serve, when some are asked."""
    if not criteria.languages or vendors is None:
        return
    served = vendors["languages"] if "languages" in vendors else pd.Series(dtype=object)
    if served.isna().all():
        raise DataError("criteria.yaml knocks out the vendors that do not serve these "
                        "languages, but vendors.csv says of none which it serves", file=path,
                        row=yaml_line(path, ("languages",)), column="languages",
                        value=list(criteria.languages),
                        allowed="a languages column in vendors.csv (e.g. zh-Hant; en), or "
                                "no languages here")


def _ahp(criteria: m.Criteria, path: Path) -> None:
    """Check that the AHP judgements judge each pair once and connect every item."""
    section = criteria.ahp
    if section is None:
        return
    items = criteria.ahp_items()
    seen: dict[frozenset[str], int] = {}
    link = {x: x for x in items}  # union-find over the judged pairs

    def root(x: str) -> str:
        while link[x] != x:
            x = link[x]
        return x

    for k, (a, b, value) in enumerate(section.judgements):
        key = ("ahp", "judgements", k)
        where = dict(file=path, row=yaml_line(path, key), column=f"ahp.judgements.{k}",
                     value=[a, b, value])
        if a == b:
            raise DataError(f"an AHP judgement compares {a!r} with itself", **where,
                            allowed=f"two different {section.over}")
        pair = frozenset((a, b))
        if pair in seen:
            j = seen[pair]
            raise DataError(f"the AHP judgements compare {a!r} and {b!r} twice", **where,
                            allowed=f"one judgement per pair: ahp.judgements.{j} (line "
                                    f"{yaml_line(path, ('ahp', 'judgements', j))}) already "
                                    "compares them; keep one")
        seen[pair] = k
        link[root(a)] = root(b)
    parts: dict[str, list[str]] = {}
    for x in items:
        parts.setdefault(root(x), []).append(x)
    if len(parts) > 1:
        first, *others = sorted(parts.values(), key=lambda p: items.index(p[0]))
        lost = [x for p in others for x in p]
        raise DataError(f"the AHP judgements do not connect every one of the {section.over}: "
                        f"{', '.join(lost)} never compared, directly or through others, "
                        f"with {', '.join(first)}", file=path,
                        row=yaml_line(path, ("ahp", "judgements")), column="ahp.judgements",
                        value=lost, allowed=f"judgements that link every one of the "
                        f"{section.over}, e.g. [{first[0]}, {lost[0]}, value]")


def check_criteria(criteria: m.Criteria, path: Path | str,
                   vendors: pd.DataFrame | None = None) -> None:
    """Check ``criteria.yaml`` against the columns of ``vendors.csv`` and AHP's needs.

    Parameters
    ----------
    criteria : Criteria
        The validated document.
    path : Path or str
        The file, for the error (the line of the key is looked up).
    vendors : DataFrame, optional
        The validated ``vendors.csv``: its columns beyond the model (those criteria score)
        may be read, and its ``languages`` must be known where ``languages`` are asked
        for. Without it, only the model's columns.

    Raises
    ------
    DataError
        A criterion that reads a column ``vendors.csv`` has not (one renamed: the new
        name said), or a text column; ``languages`` asked of vendors none of which says
        which it serves; a knock-out limit not of its column's kind or outside its range
        (a percentage on a share column is told how to write it); an AHP pair judged
        twice, an item judged against itself, or judgements that leave a group
        unconnected. Names the file, line, dotted key, value and what is allowed.

    Examples
    --------
    >>> from bpo_analysis.data.io import read_document
    >>> criteria, _ = read_document("data/sample/criteria.yaml", m.Criteria)
    >>> check_criteria(criteria, "data/sample/criteria.yaml")
    """
    path = Path(path)
    kinds = _kinds(vendors)
    _columns(criteria, path, kinds)
    for i, c in enumerate(criteria.criteria):
        _knock_out(c, i, path, kinds)
    _languages(criteria, path, vendors)
    _ahp(criteria, path)
