"""Cost models. First part: the in-house ("as-is") baseline the outsourcing is compared with.

The baseline prices the centre the client runs today, from ``inhouse_costs.yaml``:
the people on the payroll, their employer loading, replacing those who leave, and the
seats, equipment and platform. Amounts are per month in the client's currency.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.data.models import InhouseCosts
from bpo_analysis.errors import InputError

__all__ = ["cost_per_contact", "dedicated_by_month", "dedicated_seats", "idle_share",
           "inhouse_baseline", "inhouse_by_month", "inhouse_groups", "shared_by_month",
           "supervisors_needed"]


def supervisors_needed(agents: float, agents_per_supervisor: float) -> int:
    """Supervisors for a team: ceil(agents / span), safe against float noise.

    >>> supervisors_needed(82, 12)   # 6.83 -> 7 team leads
    7
    >>> supervisors_needed(36, 12)   # exactly 3, not 4
    3
    """
    return max(0, ceil_whole(agents / agents_per_supervisor))


def inhouse_baseline(costs: InhouseCosts) -> pd.DataFrame:
    """Monthly cost of the in-house centre, item by item.

    Parameters
    ----------
    costs : InhouseCosts
        The validated ``inhouse_costs.yaml``.

    Returns
    -------
    DataFrame
        Columns ``group``, ``item``, ``basis`` (how it was computed) and
        ``monthly`` (currency per month), one row per cost item.

    Notes
    -----
    With A agents, S = ceil(A / span) supervisors and M managers, base pay w, employer
    loading l, b bonus months per year:

    * pay            = heads x w x (12 + b) / 12
    * insurance      = heads x w x l
    * night premium  = A x w_agent x premium x night share of hours
    * attrition      = A x annual rate / 12 x (recruiting + training per hire)
    * seats          = seats x (rent + equipment + IT per seat), plus platform and other.

    References
    ----------
    Cost items as listed for dedicated agents in seed 000 (salary, labour and health
    insurance, bonuses, allowances, training, rent, furniture, OA equipment) and the
    attrition and night-shift points of seed 003.

    Examples
    --------
    A 24-agent team (2 supervisors, 1 manager) at 36,000 a month:

    >>> from bpo_analysis.data.models import InhouseCosts
    >>> c = InhouseCosts.model_validate({"currency": "TWD",
    ...   "headcount": {"agents_fte": {"voice": 24}, "agents_per_supervisor": 12,
    ...                 "managers": 1, "seats": 20},
    ...   "wages": {"agent_monthly": 36000, "supervisor_monthly": 50000,
    ...             "manager_monthly": 80000},
    ...   "loading": {"insurance_and_benefits": 0.2, "bonus_months_per_year": 0,
    ...               "night_shift_premium": 0, "night_share_of_hours": 0},
    ...   "attrition": {"annual_rate": 0.5, "recruiting_per_hire": 10000,
    ...                 "training_per_hire": 14000},
    ...   "facilities": {"rent_per_seat_monthly": 5000, "equipment_per_seat_monthly": 0,
    ...                  "it_per_seat_monthly": 0, "platform_monthly": 0}})
    >>> b = inhouse_baseline(c)
    >>> b.set_index("item").loc[["Agent pay", "Recruiting and training", "Seats: rent"],
    ...                         "monthly"].tolist()
    [864000.0, 24000.0, 100000.0]
    >>> float(b["monthly"].sum())
    1376800.0
    """
    h = costs.headcount
    agents = float(sum(h.agents_fte.values()))
    items = _inhouse_items(costs, agents, h.seats, costs.loading.night_share_of_hours)
    out = pd.DataFrame(items, columns=["group", "item", "basis", "monthly"])
    out["monthly"] = out["monthly"].astype(float)
    return out


def _inhouse_items(costs: InhouseCosts, agents: Any, seats: Any, night_share: Any,
                   managers: float | None = None) -> list[tuple[str, str, str, Any]]:
    """(group, item, basis, amount per month) of an in-house centre; ``agents``,
    ``seats`` and ``night_share`` may be scalars or Series by month."""
    w, ld, f, a = costs.wages, costs.loading, costs.facilities, costs.attrition
    sups = ceil_whole(np.asarray(agents, float) / costs.headcount.agents_per_supervisor)
    mgrs = costs.headcount.managers if managers is None else managers
    pay = (12 + ld.bonus_months_per_year) / 12
    seat = f.rent_per_seat_monthly, f.equipment_per_seat_monthly, f.it_per_seat_monthly
    return [
        ("people", "Agent pay", "agents x base x (12 + bonus months) / 12",
         agents * w.agent_monthly * pay),
        ("people", "Agent insurance and benefits", "agents x base x loading",
         agents * w.agent_monthly * ld.insurance_and_benefits),
        ("people", "Night-shift premium", "agents x base x premium x night share",
         agents * w.agent_monthly * ld.night_shift_premium * night_share),
        ("people", "Supervisors", "ceil(agents / span) x base x ((12 + bonus) / 12 + loading)",
         sups * w.supervisor_monthly * (pay + ld.insurance_and_benefits)),
        ("people", "Managers", f"{mgrs:g} x base x ((12 + bonus) / 12 + loading)",
         mgrs * w.manager_monthly * (pay + ld.insurance_and_benefits)),
        ("people", "Recruiting and training", "agents x attrition / 12 x cost per hire",
         agents * a.annual_rate / 12 * (a.recruiting_per_hire + a.training_per_hire)),
        ("facilities", "Seats: rent", "seats x rent", seats * seat[0]),
        ("facilities", "Seats: equipment", "seats x equipment", seats * seat[1]),
        ("technology", "Seats: IT licences", "seats x IT", seats * seat[2]),
        ("technology", "Platform (ACD/IVR/WFM)", "fixed per month", f.platform_monthly),
        ("facilities", "Other overhead", "fixed per month", f.other_monthly),
    ]


def inhouse_groups(costs: InhouseCosts) -> dict[str, str]:
    """The group (``people``, ``facilities``, ``technology``) of each in-house item."""
    return {item: group for group, item, _, _ in _inhouse_items(costs, 0.0, 0.0, 0.0)}


def cost_per_contact(monthly_cost: float, monthly_contacts: pd.Series) -> pd.Series:
    """Cost per contact handled in each month: a flat cost spread over seasonal volume.

    >>> cost_per_contact(1_000_000, pd.Series([20_000, 25_000], index=["Jan", "Feb"]))
    Jan    50.0
    Feb    40.0
    dtype: float64
    """
    return monthly_cost / monthly_contacts.where(monthly_contacts > 0)


# ---------------------------------------------------------------- sourcing options
def inhouse_by_month(costs: InhouseCosts, fte: pd.DataFrame, seats: float) -> pd.DataFrame:
    """In-house cost per month (rows) and item (columns), for the FTE a staffing plan needs.

    ``fte`` is :func:`bpo_analysis.core.workforce.fte_by_month` (columns ``fte`` and
    ``night_share``); ``seats`` the seats the centre keeps all year.
    """
    items = _inhouse_items(costs, fte["fte"].to_numpy(float), seats,
                           fte["night_share"].to_numpy(float))
    n = len(fte)
    block = np.column_stack([np.broadcast_to(np.asarray(amount, float), (n,))
                             for _, _, _, amount in items])
    return pd.DataFrame(block, index=fte.index, columns=[item for _, item, _, _ in items])


def shared_by_month(contacts: pd.Series, price_per_contact: float, *,
                    monthly_minimum: float = 0.0, management_fee: float = 0.0,
                    committed: float | None = None, band_share: float = 0.0,
                    above_factor: float = 1.0, below_factor: float = 1.0) -> pd.DataFrame:
    """Shared agents billed per contact, with volume bands and a monthly minimum.

    With a monthly commitment C and a band b: contacts above (1 + b) C are charged at
    the price x ``above_factor`` (the surcharge is the "Volume-band adjustment"); when
    the month falls below (1 - b) C every contact is charged at the price x
    ``below_factor``. The bill is never below ``monthly_minimum``.

    Examples
    --------
    Committed 10,000 contacts a month, +-10 % free, 10 % more above the band:

    >>> shared_by_month(pd.Series([10_500, 12_000, 2_000]), 50, monthly_minimum=200_000,
    ...                 committed=10_000, band_share=0.1, above_factor=1.1)
       Per-contact charges  Volume-band adjustment  Minimum top-up  Management fee
    0             525000.0                     0.0             0.0             0.0
    1             600000.0                  5000.0             0.0             0.0
    2             100000.0                     0.0        100000.0             0.0
    """
    n = contacts.to_numpy(float)
    charges = n * price_per_contact
    adjust = np.zeros_like(n)
    if committed:
        above = np.maximum(n - (1 + band_share) * committed, 0.0)
        below = n < (1 - band_share) * committed
        adjust = above * price_per_contact * (above_factor - 1) + np.where(
            below, charges, 0.0) * (below_factor - 1)
    top_up = np.maximum(monthly_minimum - (charges + adjust), 0.0)
    return pd.DataFrame({"Per-contact charges": charges, "Volume-band adjustment": adjust,
                         "Minimum top-up": top_up,
                         "Management fee": np.full_like(n, float(management_fee))},
                        index=contacts.index)


def dedicated_seats(need_fte: pd.Series, cover: float) -> int:
    """Dedicated seats (one seat = one agent's full month) sized to the ``cover`` quantile
    of the monthly need: 1.0 covers the busiest month, 0.5 the median month.

    >>> dedicated_seats(pd.Series([80.2, 95.0, 120.4]), 1.0)
    121
    """
    if not 0 < cover <= 1:
        raise InputError("cover", cover, "a quantile in (0, 1]")
    return ceil_whole(float(np.quantile(need_fte.to_numpy(float), cover)))


def dedicated_by_month(need_fte: pd.Series, seats: int, price_per_seat: float, *,
                       management_fee: float = 0.0) -> pd.DataFrame:
    """Dedicated agents billed per seat-month: the same bill every month."""
    return pd.DataFrame({"Dedicated seats": float(seats * price_per_seat),
                         "Management fee": float(management_fee)}, index=need_fte.index)


def idle_share(workload_hours: pd.Series, fte: float | pd.Series,
               productive_hours_per_fte: float) -> pd.Series:
    """Share of the agents' productive time not spent handling contacts, per month.

    >>> idle_share(pd.Series([6_000.0, 9_000.0]), 100, 120).round(2).tolist()
    [0.5, 0.25]
    """
    capacity = fte * productive_hours_per_fte
    return (1.0 - workload_hours / capacity).clip(lower=0.0, upper=1.0)
