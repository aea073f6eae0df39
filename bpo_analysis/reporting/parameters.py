"""Notebook parameters: which are paths and how a relative one is read; what each number may be.

The one place that knows. A parameter whose name ends in ``_dir``, ``_path`` or
``_file`` is a path. Given relative, it is read against a base folder: the working
directory for ``bpo-analysis report``, the parameter file's folder for ``batch``, the
notebook's folder for a notebook's own default. An empty value means "none" and is kept.

A numeric parameter has a :class:`Range` (:data:`RANGES`), checked with its type before a
run starts (:func:`check_range`): ``discount_rate 8`` would otherwise report 800 %, and
``price_per_seat -5`` run as if it were not set. A value that means "from the client's
files" (``-1 means the scenario's``) is allowed where the notebook's help says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpo_analysis.data.models.types import percent_hint
from bpo_analysis.errors import InputError

__all__ = ["PATH_SUFFIXES", "RANGES", "OutOfRange", "Range", "absolute", "check_range",
           "is_path", "resolve_path"]

PATH_SUFFIXES = ("_dir", "_path", "_file")


class OutOfRange(InputError):
    """A parameter of the right type outside its range (a batch file says so, not "wrong type")."""


@dataclass(frozen=True)
class Range:
    """What a numeric notebook parameter may be: ``unit`` from ``low`` to ``high``.

    Either end may be left open (excluded) or out (none). ``unset`` is the value that
    means "from the client's files" or "the default"; the notebook's help says what (its
    ``-1 means ...``). ``share`` parameters hint the decimal for a percentage (8 -> 0.08).
    """

    unit: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    unset: float | None = None
    share: bool = False

    def _within(self, v: float) -> bool:
        return ((self.low is None or (v > self.low if self.low_open else v >= self.low))
                and (self.high is None or (v < self.high if self.high_open else v <= self.high)))

    def holds(self, v: float) -> bool:
        """Tell whether ``v`` is allowed: within the range, or the ``unset`` value."""
        return v == self.unset or self._within(v)

    def allowed(self, help: str = "") -> str:
        """Say what is allowed, with what ``unset`` means as ``help`` says it."""
        if None not in (self.low, self.high) and not (self.low_open or self.high_open):
            text = f"{self.unit} from {self.low:g} to {self.high:g}"
        else:
            ends = [f"{sign} {x:g}" for x, sign in (
                (self.low, ">" if self.low_open else ">="),
                (self.high, "<" if self.high_open else "<=")) if x is not None]
            text = f"{self.unit} {' and '.join(ends)}"
        if self.unset is None:
            return text
        found = re.search(rf"(?<![\d.]){re.escape(f'{self.unset:g}')} means ([^;]+)", help)
        means = found.group(1).strip() if found else "not set"
        if self._within(self.unset):
            return f"{text} ({self.unset:g} means {means})"
        return f"{text}, or {self.unset:g} ({means})"


_SHARE, _HOURS, _WHOLE = "a share", "hours", "a whole number"
_MONTHS = "whole months"
#: Every numeric parameter of the notebooks, by name (the same name means the same in each).
RANGES: dict[str, Range] = {
    "peak_threshold": Range("a ratio to the usual day", low=1, low_open=True),
    "price_per_contact": Range("an amount", low=0, unset=0),
    "price_per_seat": Range("an amount", low=0, unset=0),
    "dedicated_cover": Range("a quantile", 0, 1, low_open=True, share=True),
    "hybrid_base_percentile": Range("a quantile", 0, 1, share=True),
    "shrinkage": Range(_SHARE, 0, 1, high_open=True, share=True),
    "shift_hours": Range(_HOURS, 0, 24, low_open=True),
    "volume_scale": Range("a multiple of the forecast", low=0, low_open=True),
    "aht_scale": Range("a multiple of the handle times", low=0, low_open=True),
    "inhouse_coverage_hours": Range(_HOURS, 0, 24, low_open=True),
    "draws": Range(_WHOLE, low=1),
    "concentration": Range("a number", low=0, low_open=True),
    "seed": Range(_WHOLE, low=0),
    "qa_seed": Range(_WHOLE, low=0),
    "forecast_error": Range(_SHARE, 0, 1, high_open=True, share=True),
    "term_months": Range(_MONTHS, 1, 120, unset=0),
    "horizon_months": Range(_MONTHS, 1, 120, unset=0),
    "discount_rate": Range("a decimal annual rate", -1, 1, low_open=True, unset=-1,
                           share=True),
    "escalation": Range("a decimal yearly change", -0.1, 0.3, unset=-1, share=True),
    "hidden_share": Range(_SHARE, 0, 0.5, unset=-1, share=True),
    "simulated_years": Range(_WHOLE, low=1),
    "months_missed_per_year": Range("months", 0, 12, low_open=True, high_open=True),
    "trend_months": Range(_MONTHS, low=2),
    "baseline_months": Range(_MONTHS, low=2),
    "qa_margin": Range(_SHARE, 0, 1, low_open=True, high_open=True, share=True),
    "qa_confidence": Range(_SHARE, 0, 1, low_open=True, high_open=True, share=True),
    "surge_multiplier": Range("a volume multiplier", low=0, low_open=True),
    "surge_days": Range("whole days", 1, 60),
    "seats_per_day": Range("seats a day", low=0, unset=-1),
    "lead_days": Range("whole days", 0, 30, unset=-1),
    "outage_hours": Range(_HOURS, 0, 240, low_open=True, unset=-1),
    "site_share": Range(_SHARE, 0, 1, low_open=True, unset=-1, share=True),
    "outages_per_year": Range("outages a year", 0, 365, unset=-1),
    "backup_share": Range(_SHARE, 0, 1, unset=-1, share=True),
    "top_n": Range(_WHOLE, low=1),
}


def check_range(name: str, value: Any, help: str = "", default: Any = None) -> None:
    """Refuse a numeric parameter outside its :class:`Range` (:data:`RANGES`), before a run.

    Parameters
    ----------
    name : str
        The parameter's name; one without a range (text, a path) is not checked.
    value : Any
        Its value, typed as the notebook declares it.
    help, default : str, Any
        The notebook's help text (what ``-1`` means, said in the message) and default.

    Raises
    ------
    OutOfRange
        An :class:`~bpo_analysis.errors.InputError` naming the parameter, the value and
        what is allowed (with the decimal for a percentage given as a share).

    Examples
    --------
    >>> check_range("discount_rate", -1.0, "annual; -1 means the rate in scenario.yaml")
    >>> try:
    ...     check_range("discount_rate", 8.0, "annual; -1 means the rate in scenario.yaml")
    ... except InputError as err:
    ...     print(err.allowed)
    a decimal annual rate > -1 and <= 1, or -1 (the rate in scenario.yaml) (write 8 % as 0.08)
    """
    r = RANGES.get(name)
    if r is None or isinstance(value, bool) or not isinstance(value, int | float):
        return
    if not r.holds(value):
        hint = percent_hint(value) if r.share else ""
        where = f" (default {default!r})" if default is not None else ""
        raise OutOfRange(f"parameter {name}", value, f"{r.allowed(help)}{hint}{where}")


def is_path(name: str, value: Any) -> bool:
    """Tell whether a parameter is a path parameter given a path (a non-empty string).

    Parameters
    ----------
    name : str
        The parameter's name: a path when it ends in ``_dir``, ``_path`` or ``_file``.
    value : Any
        Its value.

    Returns
    -------
    bool
        True for a path parameter whose value is a non-empty string.

    Examples
    --------
    >>> is_path("client_dir", "data/sample"), is_path("client_dir", ""), is_path("month", "x")
    (True, False, False)
    """
    return name.endswith(PATH_SUFFIXES) and isinstance(value, str) and value != ""


def resolve_path(value: str, base: Path | None = None) -> Path:
    """Return ``value`` (``~`` expanded) as an absolute, resolved path.

    Parameters
    ----------
    value : str
        The path as given.
    base : Path, optional
        What a relative path is read against (default: the working directory).

    Returns
    -------
    Path
        The absolute path, symbolic links resolved.

    Examples
    --------
    >>> resolve_path("sample", Path("/srv/data")).as_posix()
    '/srv/data/sample'
    """
    path = Path(value).expanduser()
    return (path if path.is_absolute() else (base or Path.cwd()) / path).resolve()


def absolute(name: str, value: Any, base: Path | None = None) -> Any:
    """Return a path parameter's value as an absolute path, any other value unchanged.

    Parameters
    ----------
    name : str
        The parameter's name.
    value : Any
        Its value.
    base : Path, optional
        What a relative path is read against (default: the working directory).

    Returns
    -------
    Any
        For a path parameter (:func:`is_path`), the absolute path as a string (as
        papermill injects it); any other parameter, or an empty path, as it was.

    Examples
    --------
    >>> absolute("actuals_file", "roi.csv", Path("/srv/client")), absolute("month", "2025-12")
    ('/srv/client/roi.csv', '2025-12')
    """
    return str(resolve_path(value, base)) if is_path(name, value) else value
