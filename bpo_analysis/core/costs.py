"""Cost models: the in-house ("as-is") baseline the outsourcing is compared with.

The baseline prices the centre the client runs today, from ``inhouse_costs.yaml``:
the people on the payroll, their employer loading, replacing those who leave, and the
seats, equipment and platform. Amounts are per month in the client's currency. What the
outsourcing forms bill (shared agents per contact, dedicated seats) is in
:mod:`bpo_analysis.core.sourcing_costs` and exported here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from bpo_analysis.core.sourcing_costs import (
    dedicated_by_month,
    dedicated_seats,
    idle_share,
    shared_by_month,
)
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.data.models import InhouseCosts
from bpo_analysis.i18n import N_, term

__all__ = ["cost_per_contact", "dedicated_by_month", "dedicated_seats", "idle_share",
           "inhouse_baseline", "inhouse_by_month", "inhouse_groups", "shared_by_month",
           "supervisors_needed"]


def supervisors_needed(agents: float, agents_per_supervisor: float) -> int:
    """Count the supervisors a team needs: ceil(agents / span), safe against float noise.

    Parameters
    ----------
    agents : float
        Agents (FTE) in the team.
    agents_per_supervisor : float
        Span of control: agents per supervisor (> 0).

    Returns
    -------
    int
        Supervisors (team leads), >= 0.

    Notes
    -----
    S = ceil(A / span), with the float-safe ceiling of
    :func:`bpo_analysis.core.staffing.ceil_whole`.

    References
    ----------
    A span-of-control rule as ``inhouse_costs.yaml`` states it
    (``agents_per_supervisor``); no published formula is followed beyond the ceiling.

    Examples
    --------
    82 agents at 12 per team lead need 7 team leads (6.83 rounded up); 36 need exactly
    3, not 4:

    >>> supervisors_needed(82, 12)
    7
    >>> supervisors_needed(36, 12)
    3
    """
    return max(0, ceil_whole(agents / agents_per_supervisor))


def inhouse_baseline(costs: InhouseCosts) -> pd.DataFrame:
    """Price the in-house centre per month, item by item.

    Parameters
    ----------
    costs : InhouseCosts
        The validated ``inhouse_costs.yaml``.

    Returns
    -------
    DataFrame
        Columns ``group``, ``item``, ``basis`` (how it is worked out, in words, in the
        report language) and ``monthly`` (currency per month), one row per cost item.

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

    Each item says how it is worked out, in the report language:

    >>> b.set_index("item").loc["Supervisors", "basis"]
    'one team lead per 12 agents (rounded up) × their pay, bonuses and insurance'
    >>> from bpo_analysis.i18n import use_language
    >>> with use_language("zh-Hant"):
    ...     inhouse_baseline(c).set_index("item").loc["Agent insurance and benefits", "basis"]
    '客服人員數 × 月薪 × 雇主負擔保險與福利比率'
    """
    h = costs.headcount
    agents = float(sum(h.agents_fte.values()))
    items = _inhouse_items(costs, agents, h.seats, costs.loading.night_share_of_hours)
    out = pd.DataFrame(items, columns=["group", "item", "basis", "monthly"])
    out["monthly"] = out["monthly"].astype(float)
    return out


#: How each in-house item is worked out, in words (the formulas of
#: :func:`inhouse_baseline`'s Notes); ``{span}`` and ``{managers}`` are filled in.
_BASIS = {
    "pay": N_("agents × monthly pay × (12 + bonus months) / 12"),
    "insurance": N_("agents × monthly pay × employer insurance and benefits"),
    "night": N_("agents × monthly pay × night premium × share of night hours"),
    "supervisors": N_("one team lead per {span:g} agents (rounded up) × their pay, bonuses "
                      "and insurance"),
    "managers": N_("managers ({managers:g}) × their pay, bonuses and insurance"),
    "attrition": N_("agents leaving a month (yearly attrition / 12) × cost of a hire"),
    "rent": N_("seats × rent per seat"),
    "equipment": N_("seats × equipment per seat"),
    "it": N_("seats × IT licences per seat"),
    "fixed": N_("fixed per month"),
}


def _inhouse_items(costs: InhouseCosts, agents: Any, seats: Any, night_share: Any,
                   managers: float | None = None) -> list[tuple[str, str, str, Any]]:
    """Return (group, item, basis, amount per month) of an in-house centre.

    ``agents``, ``seats`` and ``night_share`` may be scalars or Series by month; the
    basis is in the report language.
    """
    w, ld, f, a = costs.wages, costs.loading, costs.facilities, costs.attrition
    sups = ceil_whole(np.asarray(agents, float) / costs.headcount.agents_per_supervisor)
    mgrs = costs.headcount.managers if managers is None else managers
    pay = (12 + ld.bonus_months_per_year) / 12
    seat = f.rent_per_seat_monthly, f.equipment_per_seat_monthly, f.it_per_seat_monthly
    basis = {k: term(v).format(span=costs.headcount.agents_per_supervisor, managers=mgrs)
             for k, v in _BASIS.items()}
    return [
        ("people", "Agent pay", basis["pay"], agents * w.agent_monthly * pay),
        ("people", "Agent insurance and benefits", basis["insurance"],
         agents * w.agent_monthly * ld.insurance_and_benefits),
        ("people", "Night-shift premium", basis["night"],
         agents * w.agent_monthly * ld.night_shift_premium * night_share),
        ("people", "Supervisors", basis["supervisors"],
         sups * w.supervisor_monthly * (pay + ld.insurance_and_benefits)),
        ("people", "Managers", basis["managers"],
         mgrs * w.manager_monthly * (pay + ld.insurance_and_benefits)),
        ("people", "Recruiting and training", basis["attrition"],
         agents * a.annual_rate / 12 * (a.recruiting_per_hire + a.training_per_hire)),
        ("facilities", "Seats: rent", basis["rent"], seats * seat[0]),
        ("facilities", "Seats: equipment", basis["equipment"], seats * seat[1]),
        ("technology", "Seats: IT licences", basis["it"], seats * seat[2]),
        ("technology", "Platform (ACD/IVR/WFM)", basis["fixed"], f.platform_monthly),
        ("facilities", "Other overhead", basis["fixed"], f.other_monthly),
    ]


def inhouse_groups(costs: InhouseCosts) -> dict[str, str]:
    """Return the group (``people``, ``facilities``, ``technology``) of each in-house item.

    Parameters
    ----------
    costs : InhouseCosts
        The validated ``inhouse_costs.yaml`` (the items do not depend on its amounts).

    Returns
    -------
    dict
        Item name -> group.

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> groups = inhouse_groups(load_client("data/sample").inhouse)
    >>> groups["Agent pay"], groups["Seats: rent"], groups["Platform (ACD/IVR/WFM)"]
    ('people', 'facilities', 'technology')
    """
    return {item: group for group, item, _, _ in _inhouse_items(costs, 0.0, 0.0, 0.0)}


def cost_per_contact(monthly_cost: float, monthly_contacts: pd.Series) -> pd.Series:
    """Spread a flat monthly cost over each month's contacts.

    Parameters
    ----------
    monthly_cost : float
        Cost per month, currency per month (e.g. TWD per month).
    monthly_contacts : Series
        Contacts handled per month.

    Returns
    -------
    Series
        Cost per contact, currency per contact; NaN in a month without contacts.

    Notes
    -----
    cost per contact_m = monthly_cost / contacts_m.

    References
    ----------
    Seed 000, step 1: a flat (per-seat) cost suits flat volume, because seats sit
    idle off-peak -- a quiet month costs more per contact.

    Examples
    --------
    A centre costing 1,000,000 TWD a month: 50 TWD per contact in a January of 20,000
    contacts, 40 in a February of 25,000.

    >>> cost_per_contact(1_000_000, pd.Series([20_000, 25_000], index=["Jan", "Feb"]))
    Jan    50.0
    Feb    40.0
    dtype: float64
    """
    return monthly_cost / monthly_contacts.where(monthly_contacts > 0)


# ---------------------------------------------------------------- sourcing options
def inhouse_by_month(costs: InhouseCosts, fte: pd.DataFrame, seats: float) -> pd.DataFrame:
    """Price the in-house centre per month and item for the FTE a staffing plan needs.

    Parameters
    ----------
    costs : InhouseCosts
        The validated ``inhouse_costs.yaml`` (wages, loading, attrition, facilities).
    fte : DataFrame
        :func:`bpo_analysis.core.workforce.fte_by_month`: columns ``fte`` (agents,
        FTE) and ``night_share`` (share 0-1 of paid hours at night), one row per month.
    seats : float
        The seats the centre keeps all year.

    Returns
    -------
    DataFrame
        Currency per month: rows the months of ``fte``, columns the items of
        :func:`inhouse_baseline`.

    Notes
    -----
    The formulas of :func:`inhouse_baseline`, with the month's FTE as the agents, its
    night share, and ceil(FTE / span) supervisors.

    References
    ----------
    Cost items as listed for dedicated agents in seed 000 (salary, labour and health
    insurance, bonuses, allowances, training, rent, furniture, OA equipment) and the
    attrition and night-shift points of seed 003.

    Examples
    --------
    Formosa Click's centre with 100 FTE in January and 120 in February (5 % of the
    hours at night, 110 seats): agent pay with 1.5 bonus months is
    100 x 37,000 x 13.5 / 12 = 4,162,500 TWD in January.

    >>> from bpo_analysis.data.client import load_client
    >>> fte = pd.DataFrame({"fte": [100.0, 120.0], "night_share": [0.05, 0.05]},
    ...                    index=pd.period_range("2025-01", periods=2, freq="M"))
    >>> month = inhouse_by_month(load_client("data/sample").inhouse, fte, 110)
    >>> month["Agent pay"].tolist()
    [4162500.0, 4995000.0]
    >>> month["Seats: rent"].tolist()
    [572000.0, 572000.0]
    """
    items = _inhouse_items(costs, fte["fte"].to_numpy(float), seats,
                           fte["night_share"].to_numpy(float))
    n = len(fte)
    block = np.column_stack([np.broadcast_to(np.asarray(amount, float), (n,))
                             for _, _, _, amount in items])
    return pd.DataFrame(block, index=fte.index, columns=[item for _, item, _, _ in items])
