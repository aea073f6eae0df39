"""How the ROI review names things for a reader: drivers, measures, months and amounts.

The business case computes on ids (``churn_reduction``) and raw numbers (0.05, a share;
-46,391,679.2, currency); a report shows the driver's name, its value with its unit
("5.0 %"), a measure's definition in plain typographic notation and a table's amounts in
one scale ("TWD M"). The views (:mod:`bpo_analysis.steps.roi.views`) use these words.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from bpo_analysis.core.present import amount_scale, fmt
from bpo_analysis.i18n import N_, _, month_long, plural, term

__all__ = ["DEFINITIONS", "DRIVERS", "driver_value", "header", "irr_note", "months_said",
           "pct", "scaled"]

#: The uncertain drivers of the business case: id -> (the tornado table's name, the name
#: in a sentence, what its values are: "%" a share, "money" an amount in the currency).
DRIVERS: dict[str, tuple[str, str, str]] = {
    "volume": (N_("Contact volume (share of the forecast)"), N_("volume"), "%"),
    "aht": (N_("Average handle time (share of the forecast)"), N_("average handle time"),
            "%"),
    "wage_inflation": (N_("Wage inflation (a year)"), N_("wage inflation"), "%"),
    "price_escalation": (N_("Price escalation (a year)"), N_("price escalation"), "%"),
    "churn_reduction": (N_("Churn reduction (relative)"), N_("churn reduction"), "%"),
    "transition_overrun": (N_("Transition cost overrun (share of the budget)"),
                           N_("transition overrun"), "%"),
    "customer_value": (N_("Customer value (margin per customer kept)"), N_("customer value"),
                       "money"),
    "fcr_after": (N_("First-contact resolution with the vendor"),
                  N_("first-contact resolution"), "%")}

#: Each measure's definition, in plain typographic notation (the measures table).
DEFINITIONS = {
    N_("NPV"): N_("the sum of each month's net flow ÷ (1 + r) ^ (t ÷ 12), r the discount "
                  "rate a year and t the months from go-live"),
    N_("IRR"): N_("the discount rate at which the NPV is zero (on monthly flows, as a rate a "
                  "year)"),
    N_("MIRR"): N_("IRR with financing and reinvestment at the discount rate"),
    N_("ROI"): N_("(gains − costs) ÷ costs, nominal over the horizon"),
    N_("Cost-saving rate"): N_("(in-house cost avoided − outsourcing costs) ÷ whole in-house "
                               "cost"),
    N_("Payback"): N_("months until the cumulative net flow turns positive for good"),
    N_("Discounted payback"): N_("the same on discounted flows"),
    N_("Outsourcing costs"): N_("fees, retained (hidden), one-off and exit costs, nominal"),
    N_("Gains"): N_("in-house cost avoided + benefits, nominal"),
}

#: Cash-flow lines and groups the tables show (translated with ``term``).
_LINES = (N_("Service fees"), N_("Management fee"), N_("Retained (hidden) costs"),
          N_("Vendor set-up fee"), N_("Transition (client)"), N_("Severance"),
          N_("Exit / transition back"), N_("In-house cost avoided"), N_("Churn avoided"),
          N_("Fewer repeat contacts"), N_("Up-sell"), N_("CSAT"), N_("Vendor fees"),
          N_("One-off"), N_("Benefits"))

#: The IRR's notes (:func:`~bpo_analysis.steps.roi.model.irr`), translated with ``term``.
_IRR_NOTES = (N_("monthly IRR annualised"),
              N_("undefined: the net cash flows are never negative (nothing to pay back)"),
              N_("undefined: the net cash flows are never positive (no return)"),
              N_("undefined: no rate makes the net present value zero"))


def pct(x: float | None, decimals: int = 1) -> str:
    """Return a share as a percentage, or "undefined" (in the report language).

    >>> pct(0.0516), pct(None)
    ('5.2 %', 'undefined')
    """
    return _("undefined") if x is None or not np.isfinite(x) else fmt(x, "%", decimals)


def driver_value(driver: str, value: float, currency: str) -> str:
    """Return a driver's value as a reader reads it: '5.0 %', '2,800 TWD'.

    >>> driver_value("aht", 0.93, "TWD"), driver_value("customer_value", 2800.0, "TWD")
    ('93.0 %', '2,800 TWD')
    """
    if DRIVERS[driver][2] == "money":
        return fmt(value, currency)
    return fmt(value, "%", 1 if value == 0 or abs(value) >= 0.001 else 2)


def irr_note(note: str) -> str:
    """Return the IRR's note (:func:`~bpo_analysis.steps.roi.model.irr`) in the report language.

    >>> irr_note("3 sign changes: more than one rate may solve it")
    '3 sign changes: more than one rate may solve it'
    """
    changes = note.split(" ", 1)[0]
    if changes.isdigit():
        return plural(int(changes), N_("{n} sign change: more than one rate may solve it"),
                      N_("{n} sign changes: more than one rate may solve it"))
    return term(note)


def header(column: str, unit: str) -> str:
    """Return a column's header with its unit, in the report language.

    >>> header("year 1", "TWD M")
    'year 1 (TWD M)'
    """
    return _("{column} ({unit})").format(column=term(column), unit=unit)


def scaled(df: pd.DataFrame, columns: list[str], currency: str
           ) -> tuple[pd.DataFrame, str, str]:
    """Return ``df`` with the amounts of ``columns`` in one scale, the unit and the format.

    "264.8" under "TWD M" rather than "264,813,442" under "TWD"
    (:func:`~bpo_analysis.core.present.amount_scale`); an amount that shows as zero is
    zero, never "-0".

    >>> df, unit, number = scaled(pd.DataFrame({"a": [-264_813_442.0, -0.0]}), ["a"], "TWD")
    >>> unit, [number.format(v) for v in df["a"]]
    ('TWD M', ['-264.8', '0.0'])
    """
    divisor, unit = amount_scale(df[columns].to_numpy(float).ravel(), currency)
    decimals = 1 if divisor > 1 else 0
    out = df.copy()
    for c in columns:
        v = out[c].astype(float) / divisor
        out[c] = v.where(v.round(decimals) != 0, 0.0)
    return out, unit, f"{{:,.{decimals}f}}"


def months_said(months: tuple[pd.Period, ...]) -> str:
    """Return 'January 2026 to June 2026' (three or more in a row) or the months listed.

    >>> months_said(tuple(pd.period_range("2026-01", "2026-06", freq="M")))
    'January 2026 to June 2026'
    >>> months_said((pd.Period("2026-01", "M"), pd.Period("2026-03", "M")))
    'January 2026, March 2026'
    """
    ordinals = [m.ordinal for m in months]
    if len(months) > 2 and all(b - a == 1 for a, b in pairwise(ordinals)):
        return _("{first} to {last}").format(first=month_long(months[0]),
                                              last=month_long(months[-1]))
    return ", ".join(month_long(m) for m in months)
