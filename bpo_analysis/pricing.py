"""Step 3, first part: every vendor's quote priced on the client's own demand.

Each quote is billed on the same demand year -- the contacts of the channels it covers,
with their handle times and the staffing the service targets need -- under its own
pricing model:

* ``per_call`` -- contacts x price, with the quote's volume band and monthly minimum
  (:func:`bpo_analysis.costs.shared_by_month`);
* ``per_minute`` -- handle minutes (contacts x AHT) x price, at least the minimum;
* ``per_productive_hour`` -- the agent-hours on contacts the vendor needs for the
  service targets (the staffing engine's required agents x interval length) x price,
  at least the minimum;
* ``per_seat`` -- seats x price: the seats the busiest month needs for the targets
  (``seats="needed"``) or the seats quoted (``seats="quoted"``; a quote that names no
  seats is priced on the seats needed, and the ``seats`` column shows which);
* ``hybrid`` -- the quoted dedicated seats x seat price, and the contacts above what
  they carry x the overflow price (:func:`bpo_analysis.sourcing.overflow_by_month`).

The management fee is added every month. The comparable figure is the cost per contact
handled over the year.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from . import costs
from .errors import InputError
from .io import Client
from .sourcing import overflow_by_month
from .staffing import ceil_whole
from .workforce import Calendar, Workforce, staffing_plan

__all__ = ["quote_costs", "quote_summary", "vendor_prices"]


def _covered(plan: pd.DataFrame, channel: str) -> np.ndarray:
    return np.ones(len(plan), bool) if channel == "all" else (
        plan["channel"] == channel).to_numpy()


def _bill(q: pd.Series, plan: pd.DataFrame, cal: Calendar, interval_minutes: int,
          workforce: Workforce, seats: str) -> tuple[np.ndarray, np.ndarray, float]:
    """(monthly charge, monthly contacts, seats billed) of quote ``q`` on ``plan``."""
    rows = _covered(plan, q["channel"])
    contacts = cal.per_month(plan["contacts"].to_numpy(float) * rows)
    minimum = float(q["monthly_minimum"])
    hours = interval_minutes / 60
    model, price, n_seats = q["pricing_model"], float(q["unit_price"]), np.nan
    if model == "per_call":
        bands = {} if pd.isna(q["committed_contacts_monthly"]) else {
            "committed": float(q["committed_contacts_monthly"]),
            "band_share": float(q["band_share"]),
            "above_factor": float(q["above_band_price_factor"]),
            "below_factor": float(q["below_band_price_factor"])}
        bill = costs.shared_by_month(pd.Series(contacts), price, monthly_minimum=minimum,
                                     **bands).to_numpy().sum(axis=1)
    elif model == "per_minute":
        minutes = cal.per_month(plan["contacts"].to_numpy(float)
                                * np.nan_to_num(plan["aht_s"].to_numpy(float)) / 60 * rows)
        bill = np.maximum(minutes * price, minimum)
    elif model == "per_productive_hour":
        productive = cal.per_month(plan["required"].to_numpy(float) * hours * rows)
        bill = np.maximum(productive * price, minimum)
    elif model == "per_seat":
        needed = cal.per_month(plan["scheduled"].to_numpy(float) * hours * rows)
        n_seats = (float(q["seats_quoted"]) if seats == "quoted" and pd.notna(q["seats_quoted"])
                   else ceil_whole(needed.max() / workforce.paid_hours_per_fte_month))
        bill = np.maximum(np.full(len(contacts), n_seats * price), minimum)
    else:  # hybrid
        n_seats = float(q["seats_quoted"])
        need = cal.per_slot(plan["scheduled"].to_numpy(float) * rows)
        open_hours = np.bincount(cal.slot_month, (need > 0) * hours, len(cal.months))
        # the quoted seat-months as agents at once over the staffed hours of the month
        # with the most of them (so the base is on whenever anyone is needed)
        base = n_seats * workforce.paid_hours_per_fte_month / max(open_hours.max(), 1e-9)
        overflow, _ = overflow_by_month(plan.assign(
            contacts=plan["contacts"] * rows, scheduled=plan["scheduled"] * rows), cal,
            base, interval_minutes)
        bill = np.maximum(n_seats * float(q["seat_price_monthly"]) + overflow * price, minimum)
    return bill + float(q["management_fee_monthly"]), contacts, n_seats


def quote_costs(client: Client, *, seats: Literal["needed", "quoted"] = "needed",
                workforce: Workforce | None = None, plan: pd.DataFrame | None = None,
                calendar: Calendar | None = None) -> pd.DataFrame:
    """Every quote's bill per month of the demand year.

    Returns
    -------
    DataFrame
        Columns ``quote_id``, ``vendor_id``, ``pricing_model``, ``channel``, ``month``,
        ``amount`` (currency per month, management fee included), ``contacts`` (of the
        channels the quote covers), ``seats`` (per-seat and hybrid: seats billed) and
        ``currency``.
    """
    if seats not in ("needed", "quoted"):
        raise InputError("seats", seats, "'needed' (for the service targets) or 'quoted'")
    cal = calendar or Calendar.of(client.demand["interval_start"])
    workforce = workforce or Workforce()
    if plan is None:
        plan = staffing_plan(client, workforce, calendar=cal)
    frames = []
    for _, q in client.quotes.iterrows():
        bill, contacts, n_seats = _bill(q, plan, cal, client.scenario.interval_minutes,
                                        workforce, seats)
        frames.append(pd.DataFrame({
            "quote_id": q["quote_id"], "vendor_id": q["vendor_id"],
            "pricing_model": q["pricing_model"], "channel": q["channel"],
            "month": cal.months, "amount": bill, "contacts": contacts, "seats": n_seats}))
    return pd.concat(frames, ignore_index=True).assign(currency=client.currency)


def quote_summary(costs_by_month: pd.DataFrame) -> pd.DataFrame:
    """Per quote: the year's bill, contacts covered and cost per contact, cheapest per
    contact first (index ``quote_id``)."""
    g = costs_by_month.groupby("quote_id", sort=False)
    out = g.agg(vendor_id=("vendor_id", "first"), pricing_model=("pricing_model", "first"),
                channel=("channel", "first"), total=("amount", "sum"),
                contacts=("contacts", "sum"), seats=("seats", "first"),
                currency=("currency", "first"))
    out["per_contact"] = out["total"] / out["contacts"].where(out["contacts"] > 0)
    return out.sort_values("per_contact")


def vendor_prices(client: Client, summary: pd.DataFrame | None = None) -> pd.Series:
    """Each vendor's lowest cost per contact among its quotes (currency per contact),
    indexed by ``vendor_id``; NaN for a vendor without a quote. The ``price`` criterion
    of step 2 reads it."""
    summary = quote_summary(quote_costs(client)) if summary is None else summary
    best = summary.groupby("vendor_id")["per_contact"].min()
    return best.reindex(client.vendors["vendor_id"]).rename("per_contact")
