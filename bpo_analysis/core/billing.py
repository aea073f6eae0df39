"""Billing one vendor quote on a demand: what each pricing model charges per month.

Shared by the steps that price a quote -- pricing (3) for the TCO, risk (7) for what a
surge or an outage adds to the bill -- and by sourcing (1) for the hybrid's overflow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import Calendar, Workforce
from bpo_analysis.errors import DataError

__all__ = ["bill", "covered", "overflow_by_month"]


def overflow_by_month(plan: pd.DataFrame, cal: Calendar, base: float, interval_minutes: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Contacts above a dedicated base of ``base`` agents at once, and the base's
    agent-hours, per month of ``cal``.

    In each interval the base takes the share base / need of the contacts (need: the
    plan's scheduled agents, all channels); the rest overflow. A contact arriving while
    nobody is on (email at night) waits for the open day: it overflows in the share the
    day's open intervals do.
    """
    need = cal.per_slot(plan["scheduled"].to_numpy(float))  # agents at once, per interval
    share_out = np.clip(1 - np.divide(base, need, out=np.ones_like(need), where=need > 0),
                        0.0, 1.0)
    n_days = len(cal.days)
    total = np.bincount(cal.slot_day, need, n_days)
    day_share = np.divide(np.bincount(cal.slot_day, np.maximum(need - base, 0), n_days),
                          total, out=np.zeros(n_days), where=total > 0)
    share_out = np.where(need > 0, share_out, day_share[cal.slot_day])
    overflow = cal.per_month(plan["contacts"].to_numpy(float) * share_out[cal.slot])
    base_hours = np.bincount(cal.slot_month, (need > 0) * base * interval_minutes / 60,
                             len(cal.months))
    return overflow, base_hours


def covered(plan: pd.DataFrame, channel: str) -> np.ndarray:
    """Which rows of a staffing plan a quote for ``channel`` (or ``"all"``) covers."""
    return np.ones(len(plan), bool) if channel == "all" else (
        plan["channel"] == channel).to_numpy()


def bill(q: pd.Series, plan: pd.DataFrame, cal: Calendar, interval_minutes: int,
          workforce: Workforce, seats: str, contracted: float = 0.0
          ) -> dict[str, np.ndarray | float]:
    """Quote ``q`` on ``plan``, per month of ``cal``: ``service`` (the charges),
    ``management`` (the fee), ``contacts``, ``productive_hours`` (the staffed
    agent-hours the targets need: logged-in time, waiting included), ``seats`` billed
    (per-seat and hybrid; else NaN) and ``seats_needed`` (for the busiest month). A
    per-seat quote bills at least the ``contracted`` seats (volume below the forecast
    does not give seats back)."""
    rows = covered(plan, q["channel"])
    contacts = cal.per_month(plan["contacts"].to_numpy(float) * rows)
    hours = interval_minutes / 60
    productive = cal.per_month(plan["required"].to_numpy(float) * hours * rows)
    needed_hours = cal.per_month(plan["scheduled"].to_numpy(float) * hours * rows)
    needed = ceil_whole(needed_hours.max(initial=0.0) / workforce.paid_hours_per_fte_month)
    minimum = float(q["monthly_minimum"])
    model, price, n_seats = q["pricing_model"], float(q["unit_price"]), np.nan
    if model == "per_call":
        bands = {} if pd.isna(q["committed_contacts_monthly"]) else {
            "committed": float(q["committed_contacts_monthly"]),
            "band_share": float(q["band_share"]),
            "above_factor": float(q["above_band_price_factor"]),
            "below_factor": float(q["below_band_price_factor"])}
        charges = costs.shared_by_month(pd.Series(contacts), price, monthly_minimum=minimum,
                                     **bands).to_numpy().sum(axis=1)
    elif model == "per_minute":
        minutes = cal.per_month(plan["contacts"].to_numpy(float)
                                * np.nan_to_num(plan["aht_s"].to_numpy(float)) / 60 * rows)
        charges = np.maximum(minutes * price, minimum)
    elif model == "per_productive_hour":
        charges = np.maximum(productive * price, minimum)
    elif model == "per_seat":
        if seats == "quoted" and pd.isna(q["seats_quoted"]):
            raise DataError(f"quote {q['quote_id']} of vendor {q['vendor_id']} names no seats "
                            "to price seats='quoted' on", column="seats_quoted",
                            allowed="seats_quoted in quotes.csv, or seats='needed'")
        n_seats = max(float(q["seats_quoted"]) if seats == "quoted" else float(needed),
                      contracted)
        charges = np.maximum(np.full(len(contacts), n_seats * price), minimum)
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
        charges = np.maximum(n_seats * float(q["seat_price_monthly"]) + overflow * price, minimum)
    return {"service": charges, "management": np.full(len(contacts),
                                                   float(q["management_fee_monthly"])),
            "contacts": contacts, "productive_hours": productive, "seats": n_seats,
            "seats_needed": float(needed)}
