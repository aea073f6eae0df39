"""A table's columns beyond its model: renamed ones refused, scored ones kept and typed.

``vendors.csv`` may carry any column of numbers or yes/no a client scores its vendors on
(``nps``, ``nearshore``, ``cantonese_agents``): a criterion of ``criteria.yaml`` that
reads it keeps it, typed like the model's own columns (a number, or yes/no; an empty
cell is not known). A column no criterion reads warns and is ignored
(:func:`bpo_analysis.data.io.read_table`). A column an earlier schema named otherwise
(``retail_references``) is refused with its new name, so a client folder is migrated
rather than half read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel

from bpo_analysis.data import models as m
from bpo_analysis.data.models.types import Bounds
from bpo_analysis.errors import DataError

__all__ = ["extra_bounds", "read_extras", "refuse_renamed", "scored_extras"]

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_WORDS = {"yes", "y", "true", "no", "n", "false"}  # what makes a column yes/no, not 0/1


def refuse_renamed(path: Path, columns: Sequence[str], model: type[BaseModel]) -> None:
    """Refuse a column the model's ``RENAMED`` lists, naming the new name.

    Examples
    --------
    >>> try:
    ...     refuse_renamed(Path("vendors.csv"), ["vendor_id", "pdpa_audit"], m.VendorRow)
    ... except DataError as err:
    ...     print(err.problem)
    column pdpa_audit was renamed data_protection_audit (audited under the client's \
data-protection law); rename the column
    """
    renamed: dict[str, tuple[str, str]] = getattr(model, "RENAMED", {})
    for old in columns:
        if old in renamed:
            new, meaning = renamed[old]
            raise DataError(f"column {old} was renamed {new} ({meaning}); rename the column",
                            file=path, row=1, column=old, allowed=f"{new}, the same values")


def scored_extras(criteria: m.Criteria, model: type[BaseModel]) -> dict[str, list[str]]:
    """Return the columns the criteria read that ``model`` has not, with the criteria ids.

    Examples
    --------
    >>> c = m.Criterion(id="nps", name="NPS", group="quality", column="nps",
    ...                 direction="benefit", unit="points", weight=1)
    >>> scored_extras(m.Criteria(criteria=[c]), m.VendorRow)
    {'nps': ['nps']}
    """
    out: dict[str, list[str]] = {}
    for c in criteria.criteria:
        if c.source == "vendors" and c.column and c.column not in model.model_fields:
            out.setdefault(c.column, []).append(c.id)
    return out


def _is_word(x: object) -> bool:
    return isinstance(x, bool | np.bool_) or (isinstance(x, str) and x.strip().lower() in _WORDS)


def _yes_no(x: object) -> bool | None:
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | float) and x in (0, 1):
        return bool(x)
    low = x.strip().lower() if isinstance(x, str) else None
    return True if low in _TRUE else False if low in _FALSE else None


def _number(x: object) -> float | None:
    if isinstance(x, bool | np.bool_):
        return None
    try:
        v = float(x.strip() if isinstance(x, str) else x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _empty(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _typed(path: Path, column: str, cells: pd.Series, ids: Sequence[str]) -> pd.Series:
    """Type one scored column: yes/no when its cells say yes or no more than numbers."""
    known = [x for x in cells if not _empty(x)]
    words = sum(_is_word(x) for x in known)
    numbers = sum(_number(x) not in (None, 0.0, 1.0) for x in known)  # 0/1 read as either
    flag = words > 0 and words >= numbers
    read = _yes_no if flag else _number
    values = [None if _empty(x) else read(x) for x in cells]
    bad = [i for i, (x, v) in enumerate(zip(cells, values, strict=True))
           if v is None and not _empty(x)]
    if bad:
        by = ("criterion " if len(ids) == 1 else "criteria ") + ", ".join(map(repr, ids))
        problem, allowed = ((f"{by} of criteria.yaml scores this column of yes/no",
                             "yes or no (true/false), or an empty cell for not known")
                            if flag else
                            (f"{by} of criteria.yaml scores this column of numbers",
                             "a number, or an empty cell for not known (or yes/no in every "
                             "cell)"))
        more = f" (and {len(bad) - 1} more row(s))" if len(bad) > 1 else ""
        raise DataError(problem + more, file=path, row=int(cells.index[bad[0]]),
                        column=column, value=cells.iloc[bad[0]], allowed=allowed)
    return pd.Series(values, index=cells.index, name=column, dtype=None if flag else float)


def read_extras(path: Path, cells: pd.DataFrame,
                scored: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Return the scored columns the table has, typed: numbers, or yes/no.

    A column is yes/no when its cells say yes or no (true, false, y, n) at least as often
    as they hold numbers other than 0 and 1, which read as either.

    Parameters
    ----------
    path : Path
        The table's file, for the errors.
    cells : DataFrame
        Its untyped cells (:func:`bpo_analysis.data.frames.read_frame`), ``None`` empty.
    scored : mapping
        Column -> the ids of the criteria that score it (:func:`scored_extras`); a
        column the table lacks is left out (the criteria check says so).

    Returns
    -------
    DataFrame
        One column per scored column found, on ``cells``' index: floats (NaN not known),
        or yes/no as ``True``/``False`` (``None`` not known).

    Raises
    ------
    DataError
        A cell that is neither a number nor, in a column of yes/no, yes or no (naming the
        row, column, value and the criteria that score it).

    Examples
    --------
    >>> cells = pd.DataFrame({"nps": ["45", None], "nearshore": ["yes", "no"]}, index=[2, 3])
    >>> t = read_extras(Path("vendors.csv"), cells, {"nps": ["nps"], "nearshore": ["near"]})
    >>> t["nps"].tolist(), t["nearshore"].tolist()
    ([45.0, nan], [True, False])
    """
    cols = {c: _typed(path, c, cells[c], ids) for c, ids in scored.items() if c in cells}
    return pd.DataFrame(cols, index=cells.index)


def extra_bounds(values: pd.Series) -> Bounds:
    """Return what a scored column holds: yes/no when every known cell is, else a number.

    >>> str(extra_bounds(pd.Series([True, None]))), str(extra_bounds(pd.Series([4.5, 3])))
    ('yes/no', 'a number')
    """
    known = values.dropna()
    if len(known) and all(isinstance(x, bool | np.bool_) for x in known):
        return Bounds("yes/no")
    return Bounds("number")
