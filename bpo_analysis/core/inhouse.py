"""The in-house centre: its cost by month and over the planning horizon.

The client's own centre is staffed for the service targets. Step 1 compares it with the
outsourced options and step 6 takes it as the ``same_service`` baseline of the business
case, so both read it from here. The centre pays the FTE of the staffing plan on whole
shifts (:func:`bpo_analysis.core.workforce.fte_by_month`) at the client's own cost per
FTE, and the seats that cover the ``seat_cover`` quantile of the interval need
(:func:`bpo_analysis.core.costs.inhouse_by_month`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import (
    Calendar,
    Workforce,
    client_workforce,
    fte_by_month,
    staffing_plan,
)
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import N_

__all__ = ["AS_IS", "BASELINES", "INCUMBENT", "SAME_SERVICE", "TODAY_TOTAL", "baseline_words",
           "centre_by_month", "centre_over_horizon", "incumbent_fees"]

#: The two in-house baselines, in the words every report uses (the money bridge's levels).
AS_IS = N_("Today's in-house centre (as is)")
SAME_SERVICE = N_("In-house centre staffed for the service targets (same service)")
#: The incumbent vendor's invoices, a month, when it answers part of the contacts today.
INCUMBENT = N_("Incumbent vendor's fees today")
#: Today's whole cost when a vendor already answers part of the contacts.
TODAY_TOTAL = N_("Today's cost: in-house centre and incumbent vendor (as is)")
#: ``roi.yaml``'s ``baseline`` -> its words.
BASELINES = {"as_is": AS_IS, "same_service": SAME_SERVICE}


def incumbent_fees(client: Client) -> pd.Series:
    """Return what the incumbent vendor(s) bill in each month of the demand year.

    The vendors are ``decision.yaml``'s incumbents, else every vendor with monthly
    reports; their invoices (``vendor_monthly_reports``' ``invoice_amount``, all
    channels) in the demand's months. Today's cost of the service is the in-house centre
    plus these fees: the demand counts the contacts the incumbent answers too.

    Parameters
    ----------
    client : Client
        The client (its demand, monthly reports and decision).

    Returns
    -------
    Series
        Currency per month, indexed by the demand's months (0 where no invoice).

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> fees = incumbent_fees(load_client("data/sample"))   # Harbor, 12-18 % of contacts
    >>> len(fees), round(fees.mean())
    (12, 709223)
    """
    months = client.demand["interval_start"].dt.to_period("M").unique()
    r = client.vendor_reports
    stated = client.decision.incumbent if client.decision is not None else None
    r = r[r["vendor_id"].isin(stated)] if stated else r
    by = r.groupby(pd.PeriodIndex(r["month"], freq="M"))["invoice_amount"].sum()
    return by.reindex(pd.PeriodIndex(months, freq="M"), fill_value=0.0).astype(float)


def baseline_words(client: Client, baseline: str) -> str:
    """Return the words a report names its in-house baseline with (``as_is``/``same_service``).

    Today's cost includes the incumbent's fees when a vendor answers part of the contacts.
    """
    if baseline == "as_is" and incumbent_fees(client).sum() > 0:
        return TODAY_TOTAL
    return BASELINES[baseline]


def centre_by_month(client: Client, plan: pd.DataFrame, cal: Calendar, workforce: Workforce,
                    seat_cover: float = 0.95,
                    kept: tuple[np.ndarray, np.ndarray] | None = None,
                    fte: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the in-house cost of a staffing plan, every month of the demand year.

    Parameters
    ----------
    client : Client
        The client (its ``inhouse_costs.yaml`` costs and scenario).
    plan : DataFrame
        The staffing plan (:func:`bpo_analysis.core.workforce.staffing_plan`).
    cal : Calendar
        The demand's calendar.
    workforce : Workforce
        Shrinkage, shifts and paid hours of one FTE.
    seat_cover : float
        Quantile (0-1) of the interval need the seats cover; peaks above it run on
        overtime and over-occupancy.
    kept : (ndarray, ndarray), optional
        The (contact share, agent share) of each plan row kept in-house (the partial
        option); None keeps every row.
    fte : DataFrame, optional
        The plan's :func:`~bpo_analysis.core.workforce.fte_by_month` when already
        computed (ignored with ``kept``).

    Returns
    -------
    DataFrame
        One row per month, one column per cost item, in the client's currency per month
        (fixed costs remain in a month, or for channels, with no contacts).

    Notes
    -----
    seats = ceil(the ``seat_cover`` quantile of the agents scheduled per interval, all
    channels together, over the intervals with any); the FTE are paid on whole shifts.
    """
    if kept is not None:
        plan = plan.assign(contacts=plan["contacts"] * kept[0],
                           scheduled=plan["scheduled"] * kept[1])
        fte = None
    if fte is None:
        fte = fte_by_month(plan, client.scenario, workforce, cal)
    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    seats = ceil_whole(np.quantile(need[need > 0], seat_cover)) if (need > 0).any() else 0
    return costs.inhouse_by_month(client.inhouse, fte, seats)


def centre_over_horizon(client: Client, *, volume_scale: float = 1.0,
                        workforce: Workforce | None = None, seat_cover: float = 0.95,
                        calendar: Calendar | None = None) -> pd.DataFrame:
    """Return the in-house centre's cost per month and item over the planning horizon.

    Each horizon month takes the demand of the same calendar month grown by the
    scenario's ``volume_growth_annual`` for each whole year in between (the staffing plan
    is recomputed at each year's volume); people costs rise with ``wage_inflation_annual``
    and seats and technology with ``cost_inflation_annual`` once per whole year since the
    demand year.

    Parameters
    ----------
    client : Client
        The client.
    volume_scale : float
        Multiplies the demand (1 is the forecast).
    workforce : Workforce, optional
        Shrinkage and shifts (default :class:`~bpo_analysis.core.workforce.Workforce`).
    seat_cover : float
        Quantile (0-1) of the interval need the seats cover.
    calendar : Calendar, optional
        The demand's calendar, when already built.

    Returns
    -------
    DataFrame
        Columns ``month`` (period), ``component`` (cost item) and ``amount`` (currency
        per month, nominal), months in order.

    Notes
    -----
    The amount of item i in horizon month m, k whole years after the demand month d it
    takes its demand from, is  cost_i(d; plan at s (1 + g)^k) x (1 + r_i)^k, with s the
    volume scale, g the yearly volume growth and r_i the wage (people) or cost
    (facilities, technology) inflation.
    """
    sc = client.scenario
    workforce = workforce or client_workforce(client)
    cal = calendar or Calendar.of(client.demand["interval_start"])
    horizon, taken, years = horizon_months(client, cal)
    groups = costs.inhouse_groups(client.inhouse)
    rate = {"people": sc.wage_inflation_annual, "facilities": sc.cost_inflation_annual,
            "technology": sc.cost_inflation_annual}
    parts = []
    for k in np.unique(years):
        plan = staffing_plan(client, workforce,
                             volume_scale=volume_scale * (1 + sc.volume_growth_annual) ** k,
                             calendar=cal)
        table = centre_by_month(client, plan, cal, workforce, seat_cover)
        at = years == k
        rows = table.loc[taken[at]]
        rows.index = horizon[at]
        grown = np.column_stack([np.full(at.sum(), (1 + rate[groups[c]]) ** int(k))
                                 for c in rows.columns])
        parts.append(rows * grown)
    wide = pd.concat(parts).sort_index()
    long = wide.rename_axis("month").rename_axis(columns="component").stack()
    return long.rename("amount").reset_index()
