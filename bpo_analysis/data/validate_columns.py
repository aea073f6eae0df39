"""Column-wise validation of large tables: the row models' rules, a column at a time.

:func:`bpo_analysis.data.io.read_table` validates a table against its row model. Row by row
(a pydantic model per row) that costs about 10 µs a row: over half a second for a year
of half-hour demand, the bulk of loading a client. This module gets the same result a
column at a time, and is kept apart from :mod:`bpo_analysis.data.io` because it is a second
way to apply the models, with its own assumptions (listed below), that ``io`` only calls.

How, for each field of the model:

1. The cells of its column are grouped: equal text cells are validated once (a year of
   half hours has 17,520 distinct start times in 52,560 rows and 215 distinct contact
   counts). Other cells (typed Excel cells: ``1``, ``1.0`` and ``True`` are equal in
   Python, not to a model) are validated one by one.
2. Each distinct cell is validated by the model's own field: its annotation (with the
   validators it carries, such as a share's 0-1 check) and constraints, under the
   model's configuration (:func:`field_adapter`). The values the field returns fill the
   typed column; the model stays the only statement of what a cell may hold.
3. The model's field validators (rules a field's annotation cannot state, some spanning
   fields, such as "``aht_s`` is empty while ``contacts`` > 0") are not run here: each
   has a *screen* in :data:`SCREENS`, a vectorised test on the typed columns that is
   True for every row the validator may refuse (it may say more).

The rows a field refuses and the rows a screen names are then validated whole by the
model (``io`` does that, as for a table read row by row), so an error is the one that
row-wise validation raises, with the same "and N more row(s)" count. Assumptions, which
:func:`covers` checks where it can: a field's validation does not depend on other
fields (only the model's field validators may), every field validator has a screen and
returns its input unchanged, no field validates its default, and the model has no
model validators or serializers. A model not covered is validated row by row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from pydantic import BaseModel, TypeAdapter, ValidationError

from bpo_analysis.data import models as m

__all__ = ["MIN_ROWS", "SCREENS", "covers", "field_adapter", "validate"]

#: Shorter tables are validated row by row, which is then faster (the fixed cost of a
#: column, about 0.5 ms, is more than that of its rows).
MIN_ROWS = 1_000

#: A vectorised test on a table's typed columns: True for rows a validator may refuse.
Screen = Callable[[pd.DataFrame], np.ndarray]


def _aware(column: str) -> Screen:
    """Rows whose datetime in ``column`` carries a UTC offset."""

    def screen(out: pd.DataFrame) -> np.ndarray:
        s = out[column]
        if s.dtype.kind == "M" and getattr(s.dtype, "tz", None) is None:
            return np.zeros(len(s), dtype=bool)  # naive datetimes only
        return np.array([getattr(v, "tzinfo", None) is not None for v in s], dtype=bool)

    return screen


def _empty_aht(out: pd.DataFrame) -> np.ndarray:
    """Rows without a handle time whose contacts are not 0 (or not known)."""
    return (out["aht_s"].isna() & out["contacts"].ne(0)).to_numpy()


def _more_handled(out: pd.DataFrame) -> np.ndarray:
    """Rows whose handled contacts are not known to be within the contacts offered."""
    return ~(out["contacts_handled"] <= out["contacts_offered"]).to_numpy()


#: The models validated column-wise, each with one screen per field validator.
SCREENS: dict[type[BaseModel], dict[str, Screen]] = {
    m.DemandRow: {"_local": _aware("interval_start"), "_aht": _empty_aht},
    m.VendorReportRow: {"_handled": _more_handled},
    m.RoiActualRow: {},
}


def covers(model: type[BaseModel]) -> bool:
    """Tell whether :func:`validate` applies ``model``'s rules completely.

    That is: the model has a screen for each of its field validators and for nothing
    else, no other validators or serializers, and no field that validates its default.

    Parameters
    ----------
    model : type of BaseModel
        A row model.

    Returns
    -------
    bool
        True when the model has a :data:`SCREENS` entry that covers it.

    Examples
    --------
    >>> covers(m.DemandRow), covers(m.VendorRow)
    (True, False)
    """
    if model not in SCREENS:
        return False
    d = model.__pydantic_decorators__
    others = (d.validators, d.root_validators, d.field_serializers, d.model_serializers,
              d.model_validators, d.computed_fields)
    return (set(d.field_validators) == set(SCREENS[model]) and not any(others)
            and not any(f.validate_default for f in model.model_fields.values()))


@functools.cache
def field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    """Build the validator of a list of cells of field ``name`` of ``model``.

    The field's annotation and constraints (its ``FieldInfo``) under the model's
    configuration.

    Parameters
    ----------
    model : type of BaseModel
        A row model.
    name : str
        One of its fields.

    Returns
    -------
    TypeAdapter
        Validates (and dumps) a list of cells of the field.

    Examples
    --------
    >>> field_adapter(m.DemandRow, "contacts").validate_python(["3", 4])
    [3, 4]
    """
    f = model.model_fields[name]
    return TypeAdapter(list[Annotated[f.annotation, f]], config=model.model_config)


def _distinct(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, distinct)`` with ``distinct[codes]`` equal to ``cells``.

    Text cells and empty cells (``None``) are grouped; with any other cell in the column
    (from Excel) every cell stays apart.
    """
    if infer_dtype(cells, skipna=True) in ("string", "empty"):
        codes, distinct = pd.factorize(cells)
        missing = codes < 0
        if np.equal(cells[missing], None).all():  # a NaN is no empty cell: kept apart
            if missing.any():
                codes[missing] = len(distinct)
                distinct = np.append(distinct.astype(object), None)
            return codes, distinct
    return np.arange(len(cells)), cells


def _field_values(model: type[BaseModel], name: str, cells: np.ndarray
                  ) -> tuple[list[Any], np.ndarray]:
    """Return the field's values for ``cells`` (``None`` where refused) and which it refuses."""
    adapter = field_adapter(model, name)
    refused = np.zeros(len(cells), dtype=bool)
    try:
        return adapter.dump_python(adapter.validate_python(list(cells))), refused
    except ValidationError as err:
        refused[[e["loc"][0] for e in err.errors()]] = True
    values = iter(adapter.dump_python(adapter.validate_python(list(cells[~refused]))))
    return [None if r else next(values) for r in refused], refused


def _typed_column(df: pd.DataFrame, model: type[BaseModel], name: str
                  ) -> tuple[pd.Series, np.ndarray]:
    """Column ``name`` typed by the model's field, and the rows whose cell it refuses.

    The dtype is the one row-wise validation gives: pandas infers it from the field's
    values for a Series as for a DataFrame of dicts (the tests check that they agree).
    """
    if name in df.columns:
        codes, distinct = _distinct(df[name].to_numpy(dtype=object))
        values, refused = _field_values(model, name, distinct)
    else:  # an optional column left out: its default, as a model would give it
        default = model.model_fields[name].get_default(call_default_factory=True)
        codes, values, refused = np.zeros(len(df), dtype=np.intp), [default], np.zeros(1, bool)
    typed = pd.Series(values)
    return typed.take(codes).set_axis(df.index), refused[codes]


def validate(df: pd.DataFrame, model: type[BaseModel]) -> tuple[pd.DataFrame, np.ndarray]:
    """Validate the untyped table ``df`` column-wise against ``model`` (see the module).

    Parameters
    ----------
    df : DataFrame
        Cells as read (text, ``None`` for empty, or Excel's typed cells), one column per
        field given; index: the row numbers in the file.
    model : type of BaseModel
        A row model that :func:`covers`.

    Returns
    -------
    out : DataFrame
        One column per model field, typed as row-wise validation types them (in rows
        marked suspect a refused cell is missing).
    suspect : ndarray of bool
        The rows to validate whole with the model: every row it refuses is among them.
        When none is refused, ``out`` is what row-wise validation returns.

    Examples
    --------
    >>> cells = pd.DataFrame({"interval_start": ["2025-01-06 08:00", "2025-01-06 08:30"],
    ...                       "channel": ["voice", "voice"], "contacts": ["3", "2"],
    ...                       "aht_s": ["250", None]}, index=[2, 3])
    >>> out, suspect = validate(cells, m.DemandRow)
    >>> out["contacts"].tolist(), suspect.tolist()
    ([3, 2], [False, True])
    """
    columns, suspect = {}, np.zeros(len(df), dtype=bool)
    for name in model.model_fields:
        columns[name], refused = _typed_column(df, model, name)
        suspect |= refused
    out = pd.DataFrame(columns, index=df.index)
    for screen in SCREENS[model].values():
        suspect |= screen(out)
    return out, suspect
