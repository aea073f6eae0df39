"""Step 1: compare the sourcing options on the client's own demand, month by month.

The options and their monthly costs are in :mod:`~bpo_analysis.steps.sourcing.options`,
the break-evens in :mod:`~bpo_analysis.steps.sourcing.breakeven` and the planning horizon
in :mod:`~bpo_analysis.steps.sourcing.horizon`; this module adds how each option follows
the seasons and leaves its agents idle (:func:`peak_effect`, :func:`idle_by_month`), and
every name of step 1's calculation stays importable from here.

The five options (in-house, shared, dedicated, hybrid, partial) are described in
:mod:`~bpo_analysis.steps.sourcing.options`. Costs are in the scenario currency, per
calendar month of the demand (:func:`option_tables`), and projected over the planning
horizon with volume growth, wage and cost inflation and price escalation, nominal and in
present value (:func:`horizon_costs`, :func:`horizon_summary`).
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.billing import overflow_by_month
from bpo_analysis.core.demand import daily_volume, find_peaks, monthly_volume
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.workforce import fte_by_month, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.steps.sourcing.breakeven import (
    break_even,
    break_even_table,
    cheaper_ranges,
    cost_curve,
    crossings,
    range_of,
)
from bpo_analysis.steps.sourcing.horizon import horizon_costs, horizon_summary
from bpo_analysis.steps.sourcing.options import (
    OPTIONS,
    SourcingInputs,
    contacts_per_month,
    indicative_inputs,
    inputs_from_parameters,
    option_costs,
    option_costs_from,
    option_summary,
    option_tables,
)

__all__ = [
    "OPTIONS",
    "SourcingInputs",
    "break_even",
    "break_even_table",
    "cheaper_ranges",
    "contacts_per_month",
    "cost_curve",
    "crossings",
    "horizon_costs",
    "horizon_months",
    "horizon_summary",
    "idle_by_month",
    "indicative_inputs",
    "inputs_from_parameters",
    "option_costs",
    "option_costs_from",
    "option_summary",
    "option_tables",
    "overflow_by_month",
    "peak_effect",
    "range_of",
]


def peak_effect(tables: dict[str, pd.DataFrame], client: Client) -> pd.DataFrame:
    """Show how each option's monthly cost follows the seasons and the largest spike.

    Per option: the average month, the busiest and quietest months by contacts, and the
    month of the largest peak episode the demand shows (e.g. a product recall), each as
    currency per month, with the busiest month's premium over the average.

    Parameters
    ----------
    tables : dict of str to DataFrame
        :func:`~bpo_analysis.steps.sourcing.options.option_tables`.
    client : Client
        The client whose demand gives the busiest and quietest months and the spike.

    Returns
    -------
    DataFrame
        One row per option; the columns name their month (``busiest (Nov 2025)``);
        ``busiest vs average`` is a share.
    """
    volume = monthly_volume(client.demand)["total"]
    episodes = find_peaks(daily_volume(client.demand)["total"])
    peaks = episodes[episodes["kind"] == "peak"]
    spike = (peaks.loc[peaks["excess_contacts"].idxmax(), "peak_date"].to_period("M")
             if len(peaks) else None)
    busy, quiet = volume.idxmax(), volume.idxmin()
    rows = {}
    for option, t in tables.items():
        monthly = t.sum(axis=1)
        rows[option] = {"average month": monthly.mean(), f"busiest ({busy:%b %Y})": monthly[busy],
                        f"quietest ({quiet:%b %Y})": monthly[quiet],
                        **({f"largest spike ({spike:%b %Y})": monthly[spike]} if spike else {}),
                        "busiest vs average": monthly[busy] / monthly.mean() - 1}
    return pd.DataFrame(rows).T


def idle_by_month(client: Client, inputs: SourcingInputs) -> pd.DataFrame:
    """Compute the share of productive agent time left idle each month.

    In-house against dedicated. Productive time per FTE is paid hours x (1 - shrinkage);
    the work is contacts x AHT. In-house FTE are whole shifts (idle where a shift
    outlasts the need); dedicated seats sized to the busiest month sit idle in the quiet
    ones (seed 000's reason to buy shared agents for peaky demand).

    Parameters
    ----------
    client : Client
        The client (demand, scenario).
    inputs : SourcingInputs
        The assumptions of the comparison (scales, workforce, dedicated cover).

    Returns
    -------
    DataFrame
        One row per month; ``In-house`` and ``Dedicated (per seat)``, shares 0-1.
    """
    w = inputs.workforce
    plan = staffing_plan(client, w, volume_scale=inputs.volume_scale,
                         aht_scale=inputs.aht_scale)
    fte = fte_by_month(plan, client.scenario, w)
    hours = plan["load_erlangs"] * client.scenario.interval_minutes / 60.0
    work = hours.groupby(plan["interval_start"].dt.to_period("M")).sum()
    productive = w.paid_hours_per_fte_month * (1 - w.shrinkage)
    seats = costs.dedicated_seats(fte["fte_needed"], inputs.dedicated_cover)
    return pd.DataFrame({"In-house": costs.idle_share(work, fte["fte"], productive),
                         "Dedicated (per seat)": costs.idle_share(work, seats, productive)})
