"""Exceptions and warnings of bpo-analysis.

Every error names *where* the problem is (argument, or file / row / column), the bad
value and what is allowed, so that a user can fix their input without reading a
traceback. One base class, :class:`BpoAnalysisError`, lets callers catch everything
the package raises on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "BpoAnalysisError",
    "DataError",
    "DataWarning",
    "InfeasibleError",
    "InputError",
    "ItemError",
    "ReportError",
]


class BpoAnalysisError(Exception):
    """Base class of every error bpo-analysis raises on purpose."""


class InputError(BpoAnalysisError, ValueError):
    """A function argument is out of its allowed range.

    Examples
    --------
    >>> raise InputError("horizon_months", 0, "at least 1")
    Traceback (most recent call last):
    ...
    bpo_analysis.errors.InputError: argument 'horizon_months' = 0 is not allowed: must be at least 1
    """

    def __init__(self, argument: str, value: Any, allowed: str):
        self.argument, self.value, self.allowed = argument, value, allowed
        super().__init__(f"argument {argument!r} = {value!r} is not allowed: must be {allowed}")


def _where(file: str | Path | None, row: int | None, column: str | None) -> str:
    parts = []
    if file is not None:
        parts.append(str(file))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts) if parts else "input"


class DataError(BpoAnalysisError, ValueError):
    """A data file or table is unusable.

    Parameters
    ----------
    problem : str
        What is wrong, in words.
    file, row, column :
        Where. ``row`` is the row number a user sees in a spreadsheet (the header is
        row 1, so the first data row is row 2; in a text editor the same, unless a quoted
        cell spans several lines); for YAML files it is the line number and ``column``
        is the dotted key path.
    value :
        The offending value, if there is one.
    allowed : str
        What would have been accepted.

    Examples
    --------
    >>> err = DataError("negative count", file="demand.csv", row=7, column="contacts",
    ...                 value=-3, allowed=">= 0")
    >>> print(err)
    demand.csv, row 7, column 'contacts': negative count; value -3; allowed: >= 0
    """

    _NO_VALUE = object()

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = _NO_VALUE,
        allowed: str | None = None,
    ):
        self.problem, self.file, self.row, self.column = problem, file, row, column
        self.value = None if value is self._NO_VALUE else value
        self.has_value, self.allowed = value is not self._NO_VALUE, allowed
        msg = f"{_where(file, row, column)}: {problem}"
        if value is not self._NO_VALUE:
            msg += f"; value {value!r}"
        if allowed:
            msg += f"; allowed: {allowed}"
        super().__init__(msg)

    def noted(self, note: str) -> DataError:
        """Return the same error with ``note`` added to its problem, e.g. the sheet it is on.

        Parameters
        ----------
        note : str
            Said in brackets after the problem.

        Returns
        -------
        DataError
            A new error; file, row, column, value and what is allowed unchanged.

        Examples
        --------
        >>> print(DataError("required column is missing", file="quotes.xlsx",
        ...                 column="channel").noted("on sheet 'Data'"))
        quotes.xlsx, column 'channel': required column is missing (on sheet 'Data')
        """
        return DataError(f"{self.problem} ({note})", file=self.file, row=self.row,
                         column=self.column,
                         value=self.value if self.has_value else self._NO_VALUE,
                         allowed=self.allowed)


class ItemError(ValueError):
    """A document's rule refused one item of a list or mapping: says which one.

    Raised inside a model validator (pydantic reports it as that model's error); the
    reader of the file turns ``loc`` into the item's line and dotted key, so the message
    points at the item, not at the whole document.

    Parameters
    ----------
    problem : str
        What is wrong with the item, in words.
    loc : tuple
        Keys and list positions of the item, from the model that raises.
    allowed : str
        What would have been accepted.
    first : tuple, optional
        Where the item it repeats is (same form as ``loc``), for a duplicate.

    Examples
    --------
    >>> err = ItemError("criterion id given twice", ("criteria", 3, "id"), "each id once",
    ...                 first=("criteria", 0, "id"))
    >>> str(err), err.loc
    ('criterion id given twice: allowed: each id once', ('criteria', 3, 'id'))
    """

    def __init__(self, problem: str, loc: tuple[Any, ...], allowed: str, *,
                 first: tuple[Any, ...] | None = None):
        self.problem, self.loc, self.allowed, self.first = problem, tuple(loc), allowed, first
        super().__init__(f"{problem}: allowed: {allowed}")


class InfeasibleError(BpoAnalysisError):
    """No answer exists for the inputs (e.g. a service level no staffing can reach)."""


class ReportError(BpoAnalysisError):
    """A notebook report could not be produced.

    Carries the failing cell (``cell_index``, 0-based among all cells), the error name
    and value raised inside the notebook, and the path of the executed notebook kept
    for diagnosis.
    """

    def __init__(self, message: str, *, cell_index: int | None = None, ename: str | None = None,
                 evalue: str | None = None, failed_notebook: Path | None = None):
        self.cell_index, self.ename, self.evalue = cell_index, ename, evalue
        self.failed_notebook = failed_notebook
        super().__init__(message)


class DataWarning(UserWarning):
    """A soft problem in the data: loaded, but the user should know (extra column, encoding)."""
