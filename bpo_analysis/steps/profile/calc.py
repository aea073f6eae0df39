"""The client profile (notebook 00): the in-house cost baseline month by month.

The demand's own measures are :mod:`bpo_analysis.core.demand`.
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core import costs, demand
from bpo_analysis.core.inhouse import incumbent_fees
from bpo_analysis.data.client import Client

__all__ = ["baseline_by_month"]


def baseline_by_month(client: Client) -> pd.DataFrame:
    """Compute per calendar month the contacts, today's cost and the cost per contact.

    Today's cost is the in-house centre (flat per month) and the incumbent vendor's
    invoices (:func:`bpo_analysis.core.inhouse.incumbent_fees`), as the demand counts the
    contacts the incumbent answers; a month the demand covers only partly gets the share
    of both for the days covered, so its cost per contact is not inflated.

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs).

    Returns
    -------
    DataFrame
        One row per month: ``contacts``, ``days_covered``, ``inhouse`` and ``incumbent``
        (currency per month), ``cost`` (their sum) and ``cost_per_contact`` (currency).
    """
    months = demand.monthly_volume(client.demand)
    monthly_cost = float(costs.inhouse_baseline(client.inhouse)["monthly"].sum())
    share = months["days_covered"] / months["days_in_month"]
    inhouse = monthly_cost * share
    vendor = incumbent_fees(client).reindex(months.index, fill_value=0.0) * share
    cost = inhouse + vendor
    return pd.DataFrame({"contacts": months["total"], "days_covered": months["days_covered"],
                         "inhouse": inhouse, "incumbent": vendor, "cost": cost,
                         "cost_per_contact": costs.cost_per_contact(cost, months["total"])})
