"""The client profile (notebook 00): the in-house cost baseline month by month.

The demand's own measures are :mod:`bpo_analysis.core.demand`.
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core import costs, demand
from bpo_analysis.data.client import Client

__all__ = ["baseline_by_month"]


def baseline_by_month(client: Client) -> pd.DataFrame:
    """Compute per calendar month the contacts, the in-house cost and the cost per contact.

    The in-house cost is flat per month; a month the demand covers only partly gets the
    share of it for the days covered, so its cost per contact is not inflated.

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs).

    Returns
    -------
    DataFrame
        One row per month: ``contacts``, ``days_covered``, ``cost`` (currency per month)
        and ``cost_per_contact`` (currency).
    """
    months = demand.monthly_volume(client.demand)
    monthly_cost = float(costs.inhouse_baseline(client.inhouse)["monthly"].sum())
    cost = monthly_cost * months["days_covered"] / months["days_in_month"]
    return pd.DataFrame({"contacts": months["total"], "days_covered": months["days_covered"],
                         "cost": cost,
                         "cost_per_contact": costs.cost_per_contact(cost, months["total"])})
