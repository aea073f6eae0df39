"""Billing one vendor quote on a demand: what each pricing model charges per month.

Shared by the steps that price a quote -- pricing (3) for the TCO, risk (7) for what a
surge or an outage adds to the bill -- and by sourcing (1) for the hybrid's overflow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core.calendar import Calendar
from bpo_analysis.core.shifts import Workforce
from bpo_analysis.core.sourcing_costs import shared_by_month
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.errors import DataError

__all__ = ["bill", "covered", "overflow_by_month"]


def overflow_by_month(plan: pd.DataFrame, cal: Calendar, base: float, interval_minutes: int
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Split the contacts between a dedicated base and the overflow, per month.

    In each interval the base takes the share base / need of the contacts (need: the
    plan's scheduled agents, all channels); the rest overflow. A contact arriving while
    nobody is on (email at night) waits for the open day: it overflows in the share the
    day's open intervals do.

    Parameters
    ----------
    plan : DataFrame
        A staffing plan: ``contacts`` and ``scheduled`` per interval and channel.
    cal : Calendar
        The plan's :class:`~bpo_analysis.core.calendar.Calendar`.
    base : float
        Dedicated agents on at once whenever anyone is needed.
    interval_minutes : int
        Length of one interval, minutes.

    Returns
    -------
    overflow : ndarray
        Contacts above the base per month of ``cal``.
    base_hours : ndarray
        The base's agent-hours per month (base x interval hours over the intervals with
        a need).

    Notes
    -----
    With n_t agents needed in interval t: overflow share = clip(1 - base / n_t, 0, 1);
    where n_t = 0, the day's share sum of max(n - base, 0) / sum of n. Overflow_m = sum
    of contacts x share over month m.

    References
    ----------
    Seed 000, step 1 (shared agents suit peaky volume, dedicated seats flat volume:
    the hybrid puts the flat part on seats and the peaks on shared agents). The split in
    proportion to the agents needed is a planning approximation, not a published model.

    Examples
    --------
    A base of 10 dedicated agents: at 09:00 the plan needs 10, so the base takes all
    100 contacts; at 09:30 it needs 20, so half of the 100 contacts overflow. The base
    is paid 10 agents x 1 hour.

    >>> from bpo_analysis.core.calendar import Calendar
    >>> p = pd.DataFrame({"interval_start": pd.to_datetime(["2025-03-04 09:00",
    ...                   "2025-03-04 09:30"]), "contacts": [100.0, 100.0],
    ...                   "scheduled": [10, 20]})
    >>> overflow, base_hours = overflow_by_month(p, Calendar.of(p["interval_start"]), 10, 30)
    >>> overflow.tolist(), base_hours.tolist()
    ([50.0], [10.0])
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
    """Mark the rows of a staffing plan a quote for ``channel`` (or ``"all"``) covers.

    Parameters
    ----------
    plan : DataFrame
        A staffing plan (column ``channel``).
    channel : str
        The quote's channel, or ``"all"``.

    Returns
    -------
    ndarray of bool
        One per row of ``plan``.

    Examples
    --------
    >>> plan = pd.DataFrame({"channel": ["voice", "chat", "voice"]})
    >>> covered(plan, "voice").tolist(), covered(plan, "all").tolist()
    ([True, False, True], [True, True, True])
    """
    return np.ones(len(plan), bool) if channel == "all" else (
        plan["channel"] == channel).to_numpy()


def bill(q: pd.Series, plan: pd.DataFrame, cal: Calendar, interval_minutes: int,
          workforce: Workforce, seats: str, contracted: float = 0.0
          ) -> dict[str, np.ndarray | float]:
    """Bill quote ``q`` on ``plan``, per month of ``cal``.

    A per-seat quote bills at least the ``contracted`` seats (volume below the forecast
    does not give seats back).

    Parameters
    ----------
    q : Series
        One row of ``quotes.csv``: ``channel``, ``pricing_model``, ``unit_price``,
        ``monthly_minimum``, the volume band, ``seats_quoted``, ``seat_price_monthly``,
        ``management_fee_monthly`` (currency per unit, per seat-month, per month).
    plan : DataFrame
        A staffing plan: ``channel``, ``contacts``, ``aht_s`` (seconds), ``required``
        and ``scheduled`` agents per interval.
    cal : Calendar
        The plan's :class:`~bpo_analysis.core.calendar.Calendar`.
    interval_minutes : int
        Length of one interval, minutes.
    workforce : Workforce
        Its ``paid_hours_per_fte_month`` (hours of one seat-month).
    seats : {'quoted', 'needed'}
        Price a per-seat quote on its ``seats_quoted`` or on the seats the plan needs.
    contracted : float
        Seats already contracted: a per-seat bill never goes below them.

    Returns
    -------
    dict
        Per month of ``cal``: ``service`` (the charges, currency per month),
        ``management`` (the fee, currency per month), ``contacts``,
        ``productive_hours`` (the staffed agent-hours the targets need: logged-in time,
        waiting included); and ``seats`` billed (per-seat and hybrid; else NaN) and
        ``seats_needed`` (for the busiest month).

    Raises
    ------
    DataError
        ``seats='quoted'`` on a per-seat quote that names no seats.

    Notes
    -----
    With interval hours h and P paid hours per seat-month, per month:

    * per_call: :func:`~bpo_analysis.core.sourcing_costs.shared_by_month` (price x
      contacts, volume bands, minimum);
    * per_minute: max(price x sum of contacts x AHT / 60, minimum);
    * per_productive_hour: max(price x sum of required agents x h, minimum);
    * per_seat: max(seats x price, minimum), seats = max(quoted or needed,
      contracted), needed = ceil(max over months of sum of scheduled x h / P);
    * hybrid: max(seats x seat price + overflow contacts x price, minimum), the base
      being seats x P / (the most staffed hours of a month) agents at once
      (:func:`overflow_by_month`).

    References
    ----------
    Seed 000, steps 1 and 3: shared agents billed per call with a monthly minimum,
    dedicated agents per seat, and the fees of a quote (service, project management).

    Examples
    --------
    Formosa Click's January 2025 (101,350 contacts) on two of its quotes: V01's 60
    dedicated seats at 62,000 TWD, and V02's 92 TWD per call with 60,000 calls
    committed, +-10 % free and 10 % more above the band:

    >>> from bpo_analysis.core.calendar import Calendar
    >>> from bpo_analysis.core.workforce import staffing_plan
    >>> from bpo_analysis.data.client import load_client
    >>> client = load_client("data/sample")
    >>> plan = staffing_plan(client)
    >>> cal = Calendar.of(plan["interval_start"])
    >>> quotes = client.quotes.set_index("quote_id", drop=False)
    >>> seats = bill(quotes.loc["Q01"], plan, cal, 30, Workforce(), "quoted")
    >>> float(seats["service"][0]), seats["seats"], seats["seats_needed"]
    (3720000.0, 60.0, 121.0)
    >>> calls = bill(quotes.loc["Q02"], plan, cal, 30, Workforce(), "quoted")
    >>> float(calls["contacts"][0]), float(calls["service"][0])
    (101350.0, 9649420.0)
    """
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
        charges = shared_by_month(pd.Series(contacts), price, monthly_minimum=minimum,
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
