"""The five sourcing options of step 1 and what each costs month by month.

Options (seed 000 step 1, seed 003 sections 4-5):

* **In-house** -- the staffing plan on whole shifts (:func:`~bpo_analysis.core.workforce.
  shift_schedule`), at the client's own cost per FTE, night premium included;
* **Shared** -- shared agents billed per contact handled, with volume bands and a
  monthly minimum;
* **Dedicated** -- dedicated agents billed per seat-month, seats sized to the month the
  client chooses to cover (idle off-peak: the seed's point);
* **Hybrid** -- a dedicated base sized to a percentile of the interval need, with the
  overflow above it billed per contact;
* **Partial** -- some channels kept in-house (for the first hours after opening, if
  coverage is limited), the rest on shared agents.

Costs are in the scenario currency, per calendar month of the demand
(:func:`option_tables`); :mod:`~bpo_analysis.steps.sourcing.breakeven` scales the demand
to find where two options cost the same, :mod:`~bpo_analysis.steps.sourcing.horizon`
projects them over the planning horizon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.billing import overflow_by_month
from bpo_analysis.core.inhouse import centre_by_month
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import Calendar, fte_by_month, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.steps.sourcing.inputs import (
    SourcingInputs,
    indicative_inputs,
    inputs_from_parameters,
)

__all__ = [
    "OPTIONS",
    "SourcingInputs",
    "contacts_per_month",
    "indicative_inputs",
    "inputs_from_parameters",
    "option_costs",
    "option_costs_from",
    "option_summary",
    "option_tables",
]

OPTIONS = ("In-house", "Shared (per contact)", "Dedicated (per seat)",
           "Hybrid (base + overflow)", "Partial (some channels in-house)")


def _hybrid(plan: pd.DataFrame, cal: Calendar, inputs: SourcingInputs,
            interval_minutes: int) -> pd.DataFrame:
    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    busy = need[need > 0]
    base = ceil_whole(np.quantile(busy, inputs.hybrid_base_percentile)) if busy.size else 0
    overflow, base_hours = overflow_by_month(plan, cal, base, interval_minutes)
    base_seats = ceil_whole(base_hours.max(initial=0.0)
                            / inputs.workforce.paid_hours_per_fte_month)
    return pd.DataFrame({"Dedicated base seats": float(base_seats * inputs.price_per_seat),
                         "Overflow per contact": overflow * inputs.price_per_contact,
                         "Management fee": float(inputs.management_fee)}, index=cal.months)


def _kept_in_house(plan: pd.DataFrame, cal: Calendar, client: Client,
                   inputs: SourcingInputs) -> tuple[np.ndarray, np.ndarray]:
    """Return the (contact share, agent share) of each row the partial option keeps.

    The shares (0-1) are those kept in-house. Voice and chat: the rows of its channels
    that arrive inside the coverage window (the first ``inhouse_coverage_hours`` after
    the channel opens) are kept, contacts and agents. Email is a backlog worked through the open
    hours: its agents inside the window are kept, and the same share of the day's email
    contacts (the covered share of the open day).
    """
    codes, names = pd.factorize(plan["channel"])
    cover = inputs.inhouse_coverage_hours * 60
    window, covered = np.zeros(len(plan)), np.zeros(len(plan))
    for i, ch in enumerate(names):  # each channel from its own opening
        at = codes == i
        opens, closes = client.scenario.opening_minutes(str(ch))
        start = opens[cal.weekday]
        window[at] = ((cal.minute_of_day >= start) & (cal.minute_of_day < start + cover))[at]
        open_min = closes - opens
        covered[at] = np.divide(np.minimum(cover, open_min), open_min, out=np.zeros(7),
                                where=open_min > 0)[cal.weekday][at]
    ours = np.isin(codes, [i for i, n in enumerate(names) if n in inputs.inhouse_channels])
    email = codes == (names.get_loc("email") if "email" in names else -2)
    contacts = np.where(ours, np.where(email, covered, window), 0.0)
    return contacts, np.where(ours, window, 0.0)


def option_tables(client: Client, inputs: SourcingInputs, calendar: Calendar | None = None,
                  plan: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Compute every option's cost per month (rows) and component (columns).

    :func:`option_costs` is the same as one tidy table; this wide form is what a
    dashboard needs on every slider move. Pass the demand's :class:`Calendar`, and the
    staffing ``plan`` when only prices or wages changed, to save recomputing them.

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs, scenario).
    inputs : SourcingInputs
        Prices, cover quantiles, scales and workforce of the comparison.
    calendar : Calendar, optional
        The calendar of the demand's intervals.
    plan : DataFrame, optional
        The staffing plan at ``inputs``' scales and workforce.

    Returns
    -------
    dict of str to DataFrame
        By option name (:data:`OPTIONS`): one row per calendar month, one column per
        cost component, in the scenario currency per month.
    """
    cal = calendar or Calendar.of(client.demand["interval_start"])
    if plan is None:
        plan = staffing_plan(client, inputs.workforce, volume_scale=inputs.volume_scale,
                             aht_scale=inputs.aht_scale, calendar=cal)
    minutes = client.scenario.interval_minutes
    fte = fte_by_month(plan, client.scenario, inputs.workforce, cal)
    seats = costs.dedicated_seats(fte["fte_needed"], inputs.dedicated_cover)
    kept = _kept_in_house(plan, cal, client, inputs)
    out_contacts = pd.Series(cal.per_month(plan["contacts"].to_numpy(float) * (1 - kept[0])),
                             index=fte.index)
    shared_kw = {"monthly_minimum": inputs.monthly_minimum,
                 "management_fee": inputs.management_fee,
                 "committed": inputs.committed_contacts_monthly,
                 "band_share": inputs.band_share,
                 "above_factor": inputs.above_band_price_factor,
                 "below_factor": inputs.below_band_price_factor}
    shared_part = costs.shared_by_month(out_contacts, inputs.price_per_contact, **shared_kw)
    if out_contacts.sum() == 0:  # nothing goes out: no shared contract, no minimum, no fee
        shared_part = shared_part * 0.0
    kept_part = centre_by_month(client, plan, cal, inputs.workforce,
                                inputs.inhouse_seat_cover, kept)
    partial = pd.concat([kept_part.add_prefix("In-house: "),
                         shared_part.add_prefix("Shared: ")], axis=1)
    return dict(zip(OPTIONS, [
        centre_by_month(client, plan, cal, inputs.workforce, inputs.inhouse_seat_cover,
                        fte=fte),
        costs.shared_by_month(fte["contacts"], inputs.price_per_contact, **shared_kw),
        costs.dedicated_by_month(fte["fte_needed"], seats, inputs.price_per_seat,
                                 management_fee=inputs.management_fee),
        _hybrid(plan, cal, inputs, minutes),
        partial.fillna(0.0)], strict=True))


def option_costs(client: Client, inputs: SourcingInputs) -> pd.DataFrame:
    """Compute every option's cost per month and component, as a tidy table.

    Parameters
    ----------
    client : Client
        The client (demand, in-house costs, scenario).
    inputs : SourcingInputs
        The assumptions of the comparison.

    Returns
    -------
    DataFrame
        Columns ``option``, ``month``, ``component``, ``amount`` (scenario currency per
        month) and ``currency``.
    """
    return option_costs_from(option_tables(client, inputs), client.currency)


def option_summary(long: pd.DataFrame | dict[str, pd.DataFrame], contacts: float
                   ) -> pd.DataFrame:
    """Summarise each option over the period, cheapest first.

    Per option: total over the period, average month, cost per contact, and the
    difference to the cheapest option (absolute and share), cheapest first.

    Parameters
    ----------
    long : DataFrame or dict of str to DataFrame
        :func:`option_costs` or the wide :func:`option_tables`.
    contacts : float
        Contacts over the period (the cost per contact is NaN when 0).

    Returns
    -------
    DataFrame
        Indexed by option: ``total`` (currency over the period), ``per_month``,
        ``per_contact`` (currency), ``vs_cheapest`` (currency) and
        ``vs_cheapest_share`` (share of the cheapest total).
    """
    if isinstance(long, dict):
        total = pd.Series({k: float(v.to_numpy().sum()) for k, v in long.items()})
        months = len(next(iter(long.values())))
    else:
        total = long.groupby("option", sort=False)["amount"].sum()
        months = long["month"].nunique()
    out = pd.DataFrame({"total": total, "per_month": total / months,
                        "per_contact": total / contacts if contacts > 0 else np.nan})
    out["vs_cheapest"] = out["total"] - out["total"].min()
    out["vs_cheapest_share"] = out["vs_cheapest"] / out["total"].min()
    return out.sort_values("total")


def option_costs_from(tables: dict[str, pd.DataFrame], currency: str) -> pd.DataFrame:
    """Return the tidy table of :func:`option_costs` from the wide :func:`option_tables`.

    Parameters
    ----------
    tables : dict of str to DataFrame
        :func:`option_tables`.
    currency : str
        The currency code put in the ``currency`` column.

    Returns
    -------
    DataFrame
        Columns ``option``, ``month``, ``component``, ``amount`` and ``currency``.
    """
    long = pd.concat({k: v.rename_axis("month").rename_axis(columns="component").stack()
                      for k, v in tables.items()}, names=["option"])
    return long.rename("amount").reset_index().assign(currency=currency)


def contacts_per_month(client: Client, inputs: SourcingInputs) -> float:
    """Return the average contacts per month of the (scaled) demand.

    "Today" on a break-even chart.

    Parameters
    ----------
    client : Client
        The client whose demand is counted.
    inputs : SourcingInputs
        Its ``volume_scale`` multiplies the contacts.

    Returns
    -------
    float
        Contacts per month.
    """
    months = client.demand["interval_start"].dt.to_period("M").nunique()
    return float(client.demand["contacts"].sum()) * inputs.volume_scale / months
