"""Break-even of step 1: where two sourcing options cost the same.

The options' costs as the whole demand is scaled (:func:`cost_curve`), and the volumes
where two options cost the same (:func:`crossing`, :func:`break_even`,
:func:`break_even_table`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from bpo_analysis.core.workforce import Calendar
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.steps.sourcing.options import OPTIONS, SourcingInputs, option_tables

__all__ = ["BREAK_EVEN_PAIRS", "break_even", "break_even_table", "cost_curve", "crossing"]


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


def crossing(curve: pd.DataFrame, a: str, b: str) -> float | None:
    """Return the monthly volume where options ``a`` and ``b`` cost the same.

    Monthly volume where options ``a`` and ``b`` of a :func:`cost_curve` cost the same
    (linear interpolation at the first change of sign); None if they never cross.

    Parameters
    ----------
    curve : DataFrame
        :func:`cost_curve`.
    a, b : str
        Two of :data:`~bpo_analysis.steps.sourcing.options.OPTIONS`.

    Returns
    -------
    float or None
        Contacts per month.

    Examples
    --------
    In-house costs 100 at 1,000 contacts a month and 150 at 2,000; shared 50 and 200:

    >>> curve = pd.DataFrame({"contacts_per_month": [1000, 2000], "In-house": [100, 150],
    ...                       "Shared (per contact)": [50, 200]})
    >>> crossing(curve, "In-house", "Shared (per contact)")
    1500.0
    """
    for name in (a, b):
        if name not in OPTIONS:
            raise InputError("option", name, f"one of {list(OPTIONS)}")
    diff = (curve[a] - curve[b]).to_numpy()
    cross = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) < 0)
    if not cross.size:
        return None
    i = cross[0]
    x0, x1 = curve["contacts_per_month"].iloc[i], curve["contacts_per_month"].iloc[i + 1]
    return float(x0 + (x1 - x0) * diff[i] / (diff[i] - diff[i + 1]))


def break_even(client: Client, inputs: SourcingInputs, a: str, b: str,
               scales: np.ndarray | None = None) -> tuple[float | None, pd.DataFrame]:
    """Find the monthly volume at which options ``a`` and ``b`` cost the same.

    Scales the whole demand over ``scales`` (default 0.2x to 3x) and interpolates where
    the two options' costs cross; None when they never do in the range.

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
    volume : float or None
        Contacts per month.
    curve : DataFrame
        :func:`cost_curve`.
    """
    for name in (a, b):
        if name not in OPTIONS:
            raise InputError("option", name, f"one of {list(OPTIONS)}")
    curve = cost_curve(client, inputs, scales)
    return crossing(curve, a, b), curve


BREAK_EVEN_PAIRS = ((OPTIONS[0], OPTIONS[1]), (OPTIONS[0], OPTIONS[2]),
                    (OPTIONS[0], OPTIONS[3]), (OPTIONS[1], OPTIONS[2]))


def break_even_table(curve: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Tabulate where the main pairs of options break even, and which is cheaper.

    In-house against each outsourced form, and shared against dedicated: where they
    break even, and which is cheaper below and above that volume.

    Parameters
    ----------
    curve : DataFrame
        :func:`cost_curve`.
    currency : str
        The currency code shown in the table.

    Returns
    -------
    DataFrame
        One row per pair of :data:`BREAK_EVEN_PAIRS`: ``options``, the break-even in
        contacts per month, the cheaper option at the lowest and the highest volume of
        the curve, and ``currency``.
    """
    rows = []
    low, high = curve.iloc[0], curve.iloc[-1]
    for a, b in BREAK_EVEN_PAIRS:
        at = crossing(curve, a, b)
        rows.append({"options": f"{a} vs {b}",
                     "break-even (contacts per month)": at,
                     f"cheaper at {low['contacts_per_month']:,.0f} contacts/month":
                         a if low[a] < low[b] else b,
                     f"cheaper at {high['contacts_per_month']:,.0f} contacts/month":
                         a if high[a] < high[b] else b,
                     "currency": currency})
    return pd.DataFrame(rows)
