"""Cost models. First part: the in-house ("as-is") baseline the outsourcing is compared with.

The baseline prices the centre the client runs today, from ``inhouse_costs.yaml``:
the people on the payroll, their employer loading, replacing those who leave, and the
seats, equipment and platform. Amounts are per month in the client's currency.
"""

from __future__ import annotations

import math

import pandas as pd

from .models import InhouseCosts

__all__ = ["cost_per_contact", "inhouse_baseline", "supervisors_needed"]


def supervisors_needed(agents: float, agents_per_supervisor: float) -> int:
    """Supervisors for a team: ceil(agents / span), safe against float noise.

    >>> supervisors_needed(82, 12)   # 6.83 -> 7 team leads
    7
    >>> supervisors_needed(36, 12)   # exactly 3, not 4
    3
    """
    return max(0, math.ceil(round(agents / agents_per_supervisor, 9)))


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

    >>> from bpo_analysis.models import InhouseCosts
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
    h, w, ld = costs.headcount, costs.wages, costs.loading
    agents = float(sum(h.agents_fte.values()))
    sups = supervisors_needed(agents, h.agents_per_supervisor)
    pay_factor = (12 + ld.bonus_months_per_year) / 12
    f = costs.facilities
    a = costs.attrition
    rows = [
        ("people", "Agent pay", f"{agents:g} FTE x base x (12 + bonus months) / 12",
         agents * w.agent_monthly * pay_factor),
        ("people", "Agent insurance and benefits", f"{agents:g} FTE x base x loading",
         agents * w.agent_monthly * ld.insurance_and_benefits),
        ("people", "Night-shift premium", "agents x base x premium x night share",
         agents * w.agent_monthly * ld.night_shift_premium * ld.night_share_of_hours),
        ("people", "Supervisors", f"{sups} x base x ((12 + bonus) / 12 + loading)",
         sups * w.supervisor_monthly * (pay_factor + ld.insurance_and_benefits)),
        ("people", "Managers", f"{h.managers} x base x ((12 + bonus) / 12 + loading)",
         h.managers * w.manager_monthly * (pay_factor + ld.insurance_and_benefits)),
        ("people", "Recruiting and training", "agents x attrition / 12 x cost per hire",
         agents * a.annual_rate / 12 * (a.recruiting_per_hire + a.training_per_hire)),
        ("facilities", "Seats: rent", f"{h.seats} seats x rent", h.seats * f.rent_per_seat_monthly),
        ("facilities", "Seats: equipment", f"{h.seats} seats x equipment",
         h.seats * f.equipment_per_seat_monthly),
        ("technology", "Seats: IT licences", f"{h.seats} seats x IT",
         h.seats * f.it_per_seat_monthly),
        ("technology", "Platform (ACD/IVR/WFM)", "fixed per month", f.platform_monthly),
        ("facilities", "Other overhead", "fixed per month", f.other_monthly),
    ]
    out = pd.DataFrame(rows, columns=["group", "item", "basis", "monthly"])
    out["monthly"] = out["monthly"].astype(float)
    return out


def cost_per_contact(monthly_cost: float, monthly_contacts: pd.Series) -> pd.Series:
    """Cost per contact handled in each month: a flat cost spread over seasonal volume.

    >>> cost_per_contact(1_000_000, pd.Series([20_000, 25_000], index=["Jan", "Feb"]))
    Jan    50.0
    Feb    40.0
    dtype: float64
    """
    return monthly_cost / monthly_contacts.where(monthly_contacts > 0)
