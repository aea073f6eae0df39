"""Break-even of step 1: where two sourcing options cost the same, and which is cheaper.

The options' costs as the whole demand is scaled (:func:`cost_curve`), every volume where
two options cost the same (:func:`crossings`, :func:`break_even`) and which of them is
cheaper in each range of volume between those break-evens (:func:`cheaper_ranges`,
:func:`break_even_table`). Two cost curves may cross more than once (a dedicated team
adds seats in steps, a shared contract has a monthly minimum), so a single break-even
would leave the reader guessing which option wins at today's volume.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from bpo_analysis.core.workforce import Calendar
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps.sourcing.options import OPTIONS, SourcingInputs, option_tables

__all__ = ["BREAK_EVEN_PAIRS", "break_even", "break_even_table", "cheaper_ranges", "cost_curve",
           "crossings", "range_of"]


def cost_curve(client: Client, inputs: SourcingInputs,
               scales: np.ndarray | None = None) -> pd.DataFrame:
    """Compute the average monthly cost of every option as the whole demand is scaled.

    Parameters
    ----------
    client : Client
        The client whose demand is scaled.
    inputs : SourcingInputs
        The assumptions of the comparison (its ``volume_scale`` is replaced).
    scales : array, optional
        Multipliers of the demand; default 0.2x to 3x in 15 steps.

    Returns
    -------
    DataFrame
        One row per scale: ``scale``, ``contacts_per_month`` and one column per option
        (currency per month).
    """
    scales = np.linspace(0.2, 3.0, 15) if scales is None else np.asarray(scales, float)
    cal = Calendar.of(client.demand["interval_start"])
    months = len(cal.months)
    rows = []
    for s in scales:
        tables = option_tables(client, dataclasses.replace(inputs, volume_scale=float(s)), cal)
        rows.append({"scale": float(s),
                     "contacts_per_month": client.demand["contacts"].sum() * s / months,
                     **{k: float(v.to_numpy().sum()) / months for k, v in tables.items()}})
    return pd.DataFrame(rows)


def crossings(curve: pd.DataFrame, a: str, b: str) -> list[float]:
    """Return every monthly volume where options ``a`` and ``b`` cost the same.

    Each change of sign of their cost difference along a :func:`cost_curve` is one
    crossing, placed by linear interpolation between the two volumes around it.

    Parameters
    ----------
    curve : DataFrame
        :func:`cost_curve`.
    a, b : str
        Two of :data:`~bpo_analysis.steps.sourcing.options.OPTIONS`.

    Returns
    -------
    list of float
        Contacts per month, ascending; empty when one option is the cheaper at every
        volume of the curve.

    Notes
    -----
    With :math:`d_i = c_a(x_i) - c_b(x_i)` the cost difference at volume :math:`x_i` and
    :math:`d_i, d_j` two successive non-zero differences of opposite signs, the crossing
    is :math:`x_i + (x_{i+1} - x_i) d_i / (d_i - d_{i+1})` when :math:`j = i + 1`, else
    :math:`x_{i+1}`, the first volume where they cost exactly the same. A difference that
    touches zero and keeps its sign is not a crossing: the cheaper option does not change.

    Examples
    --------
    Shared agents cost 50 at 1,000 contacts a month, 200 at 2,000 and 240 at 3,000; a
    dedicated team 100, 150 and 300 (thousand TWD a month): the cheaper option changes
    twice.

    >>> curve = pd.DataFrame({"contacts_per_month": [1000, 2000, 3000],
    ...                       "Shared (per contact)": [50, 200, 240],
    ...                       "Dedicated (per seat)": [100, 150, 300]})
    >>> crossings(curve, "Shared (per contact)", "Dedicated (per seat)")
    [1500.0, 2454.5454545454545]
    """
    _check(a, b)
    x = curve["contacts_per_month"].to_numpy(float)
    diff = (curve[a] - curve[b]).to_numpy(float)
    i, j = _flips(diff)
    at = np.where(j == i + 1, x[i] + (x[j] - x[i]) * diff[i] / (diff[i] - diff[j]),
                  x[np.minimum(i + 1, len(x) - 1)])
    return [float(v) for v in at]


def cheaper_ranges(curve: pd.DataFrame, a: str, b: str,
                   today: float | None = None) -> pd.DataFrame:
    """Tabulate which of options ``a`` and ``b`` is cheaper in each range of volume.

    The volumes of the curve are cut at every :func:`crossings` of the two options; the
    first range starts at the curve's lowest volume, the last ends at its highest.

    Parameters
    ----------
    curve : DataFrame
        :func:`cost_curve`.
    a, b : str
        Two of :data:`~bpo_analysis.steps.sourcing.options.OPTIONS`.
    today : float, optional
        Today's contacts per month, to mark the range it falls in.

    Returns
    -------
    DataFrame
        One row per range, by volume: ``options`` ("a vs b"), ``from (contacts per
        month)``, ``to (contacts per month)``, ``cheaper`` (the option, or None where the
        two cost the same at every volume) and ``today`` (True in the range holding
        ``today``: from it inclusive to the next break-even exclusive; none when ``today``
        lies outside the curve's volumes, :func:`range_of`).

    Examples
    --------
    Shared agents are cheaper up to 1,500 contacts a month, dedicated seats to about
    2,455, shared again above; today's 2,000 contacts fall in the middle range:

    >>> curve = pd.DataFrame({"contacts_per_month": [1000, 2000, 3000],
    ...                       "Shared (per contact)": [50, 200, 240],
    ...                       "Dedicated (per seat)": [100, 150, 300]})
    >>> r = cheaper_ranges(curve, "Shared (per contact)", "Dedicated (per seat)", 2000)
    >>> r[["from (contacts per month)", "cheaper", "today"]].round()
       from (contacts per month)               cheaper  today
    0                     1000.0  Shared (per contact)  False
    1                     1500.0  Dedicated (per seat)   True
    2                     2455.0  Shared (per contact)  False
    """
    x = curve["contacts_per_month"].to_numpy(float)
    edges = [float(x[0]), *crossings(curve, a, b), float(x[-1])]
    sign = np.sign((curve[a] - curve[b]).to_numpy(float))
    _, j = _flips(sign)
    nonzero = np.flatnonzero(sign)
    signs = [sign[nonzero[0]], *sign[j]] if nonzero.size else [0.0]
    ranges = pd.DataFrame({"options": f"{a} vs {b}", "from (contacts per month)": edges[:-1],
                           "to (contacts per month)": edges[1:],
                           "cheaper": [a if s < 0 else b if s > 0 else None for s in signs],
                           "today": False})
    held = range_of(ranges, today)
    if held is not None:
        ranges.loc[held, "today"] = True
    return ranges


def range_of(ranges: pd.DataFrame, volume: float | None) -> int | None:
    """Return the position of the range of :func:`cheaper_ranges` that holds ``volume``.

    A range runs from its lower end inclusive to the next break-even exclusive (a volume
    at a break-even belongs to the range above it); the last one includes its upper end.

    Parameters
    ----------
    ranges : DataFrame
        :func:`cheaper_ranges`.
    volume : float or None
        Contacts per month.

    Returns
    -------
    int or None
        The row's position; None when ``volume`` is None or outside the volumes studied.

    Examples
    --------
    >>> r = pd.DataFrame({"from (contacts per month)": [1000.0, 1500.0],
    ...                   "to (contacts per month)": [1500.0, 3000.0]})
    >>> range_of(r, 1200), range_of(r, 1500), range_of(r, 3000), range_of(r, 3500)
    (0, 1, 1, None)
    """
    low = ranges["from (contacts per month)"].to_numpy(float)
    high = ranges["to (contacts per month)"].to_numpy(float)
    if volume is None or not low[0] <= volume <= high[-1]:
        return None
    return min(int(np.searchsorted(high, volume, side="right")), len(high) - 1)


def break_even(client: Client, inputs: SourcingInputs, a: str, b: str,
               scales: np.ndarray | None = None) -> tuple[list[float], pd.DataFrame]:
    """Find every monthly volume at which options ``a`` and ``b`` cost the same.

    Scales the whole demand over ``scales`` (default 0.2x to 3x) and interpolates each
    crossing of the two options' costs (:func:`crossings`); none when one option is the
    cheaper over the whole range.

    Parameters
    ----------
    client : Client
        The client whose demand is scaled.
    inputs : SourcingInputs
        The assumptions of the comparison.
    a, b : str
        Two of :data:`~bpo_analysis.steps.sourcing.options.OPTIONS`.
    scales : array, optional
        Multipliers of the demand (see :func:`cost_curve`).

    Returns
    -------
    volumes : list of float
        Contacts per month, ascending (empty: they never cross in the range).
    curve : DataFrame
        :func:`cost_curve`.
    """
    _check(a, b)
    curve = cost_curve(client, inputs, scales)
    return crossings(curve, a, b), curve


BREAK_EVEN_PAIRS = ((OPTIONS[0], OPTIONS[1]), (OPTIONS[0], OPTIONS[2]),
                    (OPTIONS[0], OPTIONS[3]), (OPTIONS[1], OPTIONS[2]))


def break_even_table(curve: pd.DataFrame, today: float | None = None) -> pd.DataFrame:
    """Tabulate, for each main pair of options, which is cheaper in each range of volume.

    In-house against each outsourced form, and shared against dedicated: the ranges of
    :func:`cheaper_ranges`, cut at every break-even of the pair.

    Parameters
    ----------
    curve : DataFrame
        :func:`cost_curve`.
    today : float, optional
        Today's contacts per month, to mark the range it falls in.

    Returns
    -------
    DataFrame
        :func:`cheaper_ranges` of every pair of :data:`BREAK_EVEN_PAIRS`, one after the
        other: a pair that never crosses has one row, a pair that crosses n times n + 1.
    """
    return pd.concat([cheaper_ranges(curve, a, b, today) for a, b in BREAK_EVEN_PAIRS],
                     ignore_index=True)


def _check(*names: str) -> None:
    """Refuse a name that is not one of the options."""
    for name in names:
        if name not in OPTIONS:
            raise InputError("option", name, f"one of {list(OPTIONS)}")


def _flips(diff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions ``i < j`` of successive non-zero values of opposite signs."""
    sign = np.sign(diff)
    nonzero = np.flatnonzero(sign)
    i, j = nonzero[:-1], nonzero[1:]
    flip = sign[i] != sign[j]
    return i[flip], j[flip]
