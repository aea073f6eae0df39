"""The options of step 1 over the planning horizon.

Projected with volume growth, wage and cost inflation and price escalation, nominal and
in present value (:func:`horizon_costs`, :func:`horizon_summary`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy_financial as npf
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.workforce import Calendar
from bpo_analysis.data.client import Client
from bpo_analysis.steps.sourcing.options import (
    OPTIONS,
    SourcingInputs,
    option_costs_from,
    option_tables,
)

__all__ = ["horizon_costs", "horizon_summary"]


def horizon_costs(client: Client, inputs: SourcingInputs,
                  calendar: Calendar | None = None) -> pd.DataFrame:
    """Project every option's cost per month over the planning horizon.

    Nominal and discounted. Each horizon month takes the demand of the same calendar
    month grown by the scenario's ``volume_growth_annual`` for each whole year in
    between, and the staffing plan is recomputed at each year's volume (so larger pools
    gain, and volume bands and minimums bite where they do). In-house people costs rise with
    ``wage_inflation_annual`` and seats and technology with ``cost_inflation_annual``
    once per whole year since the demand (the in-house costs are the demand year's);
    every vendor bill rises with ``price_escalation_annual`` from the second contract
    year (the prices are the first year's).

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs, scenario with the horizon and its rates).
    inputs : SourcingInputs
        The assumptions of the comparison, for the demand year.
    calendar : Calendar, optional
        The calendar of the demand's intervals.

    Returns
    -------
    DataFrame
        Columns ``option``, ``month``, ``year`` (1 = the first twelve months),
        ``component``, ``amount`` (currency per month, nominal), ``pv`` (the amount
        discounted to the start of the horizon at the scenario's annual
        ``discount_rate``, paid at the end of its month: amount / (1 + r) ** (t / 12),
        t = 1 for the first month) and ``currency``.
    """
    sc = client.scenario
    cal = calendar or Calendar.of(client.demand["interval_start"])
    horizon, taken, years = horizon_months(client, cal)
    groups = costs.inhouse_groups(client.inhouse)
    rate = {"people": sc.wage_inflation_annual, "facilities": sc.cost_inflation_annual,
            "technology": sc.cost_inflation_annual}

    t = np.arange(1, len(horizon) + 1)
    contract_year = (t - 1) // 12  # 0 in the first twelve months

    def factors(option: str, component: str, k: int, at: np.ndarray) -> np.ndarray:
        """Return the growth factors of one cost component in the year ``k`` rows.

        In-house items rise per year since the demand; vendor prices from the second
        contract year (the quotes are the first year's prices).
        """
        item = component.removeprefix("In-house: ")
        if option == OPTIONS[0] or (option == OPTIONS[4] and item != component):
            return np.full(at.sum(), (1 + rate[groups[item]]) ** k)
        return (1 + sc.price_escalation_annual) ** contract_year[at]

    parts: dict[str, list[pd.DataFrame]] = {o: [] for o in OPTIONS}
    for k in np.unique(years):
        scaled = dataclasses.replace(
            inputs, volume_scale=inputs.volume_scale * (1 + sc.volume_growth_annual) ** k)
        at = years == k
        for option, table in option_tables(client, scaled, cal).items():
            rows = table.loc[taken[at]]
            rows.index = horizon[at]
            grown = np.column_stack([factors(option, c, int(k), at) for c in rows.columns])
            parts[option].append(rows * grown)
    discount = pd.Series((1 + sc.discount_rate) ** (-t / 12), index=horizon)
    year = pd.Series((t - 1) // 12 + 1, index=horizon)
    long = option_costs_from({o: pd.concat(p).sort_index() for o, p in parts.items()},
                             client.currency)
    month = pd.PeriodIndex(long["month"])
    return long.assign(year=year.loc[month].to_numpy(),
                       pv=long["amount"] * discount.loc[month].to_numpy())[
        ["option", "month", "year", "component", "amount", "pv", "currency"]]


def horizon_summary(horizon: pd.DataFrame, discount_rate: float) -> pd.DataFrame:
    """Summarise each option over the horizon, cheapest in present value first.

    Per option over the horizon: nominal total, net present value of the costs
    (``numpy_financial.npv`` of the monthly totals at the monthly equivalent of the
    annual ``discount_rate``), average month, and the PV above the cheapest (absolute and
    share), cheapest in present value first.

    Parameters
    ----------
    horizon : DataFrame
        :func:`horizon_costs`.
    discount_rate : float
        Annual discount rate, share (0.08 for 8 %).

    Returns
    -------
    DataFrame
        Indexed by option: ``nominal`` and ``pv`` (currency over the horizon),
        ``per_month`` (currency), ``vs_cheapest_pv`` (currency) and
        ``vs_cheapest_share`` (share of the cheapest PV).
    """
    monthly = horizon.groupby(["option", "month"], sort=False)["amount"].sum().unstack(0)
    monthly_rate = (1 + discount_rate) ** (1 / 12) - 1
    out = pd.DataFrame({
        "nominal": monthly.sum(),
        "pv": [float(npf.npv(monthly_rate, np.r_[0.0, monthly[o].to_numpy()]))
               for o in monthly.columns],
        "per_month": monthly.mean()})
    out["vs_cheapest_pv"] = out["pv"] - out["pv"].min()
    out["vs_cheapest_share"] = out["vs_cheapest_pv"] / out["pv"].min()
    return out.sort_values("pv").rename_axis("option")
