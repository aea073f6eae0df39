"""What a surge adds to the bill (seed 002: a product recall multiplies call volume).

:func:`surge_costs` prices the surge of
:func:`~bpo_analysis.steps.risk.surge.surge_scenario` under every quote's pricing model,
as it ran and holding the service level, against the forecast run through the same
model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bpo_analysis.core import billing, staffing
from bpo_analysis.core.decision import vendor_names
from bpo_analysis.core.workforce import Calendar, Workforce, client_workforce, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.steps.risk.calc import continuity

if TYPE_CHECKING:
    from bpo_analysis.steps.risk.surge import Surge

__all__ = ["surge_costs"]


def surge_costs(client: Client, surge: Surge, *, plan: pd.DataFrame | None = None,
                workforce: Workforce | None = None) -> pd.DataFrame:
    """Compute what the surge adds to the bill under every quote covering a surged channel.

    The service charges of the months the surge touches, surge minus forecast (the
    management fee does not change), like for like: the forecast is billed as it would
    run on the plan's agents (its own abandonment included). ``as_run`` -- the contacts
    answered and the agents staffed with the vendor's ramp; ``hold_sla`` -- every surge
    arrival answered, on the plan plus the seats the target needs. Per-seat quotes bill
    surge seat-days at the seat price a day (12/365 of the month's) plus
    ``continuity.yaml``'s ``seat_premium``; the other models bill through their own
    rules (bands, minimums, hybrid overflow) via :mod:`bpo_analysis.core.billing`.

    Parameters
    ----------
    client : Client
        The client (its quotes, scenario and ``continuity.yaml``).
    surge : Surge
        The surge, from :func:`~bpo_analysis.steps.risk.surge.surge_scenario`.
    plan : DataFrame, optional
        The forecast's staffing plan; saves recomputing it.
    workforce : Workforce, optional
        Shrinkage and shifts of the plan (default :class:`Workforce`).

    Returns
    -------
    DataFrame
        One row per quote covering a surged channel: ``quote_id``, ``vendor_id``,
        ``vendor`` (its name, as ``vendors.csv`` has it), ``pricing_model``, ``channel``,
        ``contracted`` (the quote of ``continuity.yaml``), ``as_run`` and ``hold_sla``
        (the extra cost, currency) and ``currency``.
    """
    workforce = workforce or client_workforce(client)
    cont = continuity(client)
    plan = staffing_plan(client, workforce) if plan is None else plan
    iv = surge.intervals
    first = iv["interval_start"].min().to_period("M").to_timestamp()
    stop = (iv["interval_start"].max().to_period("M") + 1).to_timestamp()
    base = plan[(plan["interval_start"] >= first) & (plan["interval_start"] < stop)].astype(
        {"contacts": float, "required": float, "scheduled": float})
    cal = Calendar.of(base["interval_start"])
    key = pd.MultiIndex.from_arrays([base["interval_start"].to_numpy(),
                                     np.asarray(base["channel"], dtype=object)])
    at = key.get_indexer(pd.MultiIndex.from_arrays([iv["interval_start"].to_numpy(),
                                                    iv["channel"].to_numpy(dtype=object)]))
    minutes = client.scenario.interval_minutes
    cols = [base.columns.get_loc(c) for c in ("contacts", "required", "scheduled")]
    names = vendor_names(client)
    rows = []
    for _, q in client.quotes.iterrows():
        covered = [c for c in surge.inputs.channels if q["channel"] in ("all", c)]
        if not covered:
            continue
        mine = iv["channel"].isin(covered).to_numpy()
        ran_base = base.copy()  # the forecast as it runs on the plan's agents
        ran_base.iloc[at[mine], cols[0]] = iv.loc[mine, "answered_base"].to_numpy()
        out = {}
        for case, contacts, agents, seats, compare in (
                ("as_run", iv["answered"], iv["agents"], surge.seats["seats_added"],
                 ran_base),
                ("hold_sla", iv["arrivals"], iv["agents_hold"], surge.seats["seats_needed"],
                 base)):
            if q["pricing_model"] == "per_seat":  # the seats of the channels it covers
                used = iv["agents_added"] if case == "as_run" else iv["agents_hold"] - iv[
                    "agents_base"]
                part = float(used[mine].sum() / used.sum()) if used.sum() > 0 else 0.0
                day_price = float(q["unit_price"]) * 12 / 365 * (1 + cont.surge.seat_premium)
                out[case] = float(seats[surge.seats["in_surge"]].sum()) * part * day_price
                continue
            changed = base.copy()
            req = agents[mine].to_numpy(float)
            changed.iloc[at[mine], cols[0]] = contacts[mine].to_numpy()
            changed.iloc[at[mine], cols[1]] = req
            changed.iloc[at[mine], cols[2]] = staffing.scheduled_agents(req, workforce.shrinkage)
            was = billing.bill(q, compare, cal, minutes, workforce, "quoted")["service"]
            now = billing.bill(q, changed, cal, minutes, workforce, "quoted")["service"]
            out[case] = float(np.sum(now - was))
        rows.append({"quote_id": q["quote_id"], "vendor_id": q["vendor_id"],
                     "vendor": names.get(q["vendor_id"], q["vendor_id"]),
                     "pricing_model": q["pricing_model"], "channel": q["channel"],
                     "contracted": q["quote_id"] == surge.quote_id, **out})
    return pd.DataFrame(rows).assign(currency=client.currency)
