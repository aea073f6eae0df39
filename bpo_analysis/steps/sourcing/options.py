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

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.billing import overflow_by_month
from bpo_analysis.core.inhouse import centre_by_month
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import Calendar, Workforce, fte_by_month, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.errors import DataError, InputError

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


@dataclass(frozen=True)
class SourcingInputs:
    """The assumptions of the comparison (every dashboard slider is one of them).

    Prices are indicative market prices in the scenario currency; step 3 prices each real
    quote. The shared price may carry volume bands around a monthly commitment (see
    :func:`bpo_analysis.core.costs.shared_by_month`). ``dedicated_cover`` is the quantile of the
    monthly FTE need the dedicated seats cover (1.0: the busiest month; the need is the
    agent-hours over the paid hours of one FTE, since a vendor changes shifts without
    gaps, seed 003);
    ``hybrid_base_percentile`` the quantile of the interval need the hybrid base covers;
    ``inhouse_seat_cover`` the quantile of the interval need the in-house seats cover (peaks
    above it run on overtime and over-occupancy); ``inhouse_channels`` the channels the
    partial option keeps in-house, for the first ``inhouse_coverage_hours`` after opening
    each day (8: one in-house day shift, shared agents take the evening; seed 003).
    """

    price_per_contact: float
    price_per_seat: float
    monthly_minimum: float = 0.0
    management_fee: float = 0.0
    committed_contacts_monthly: float | None = None
    band_share: float = 0.0
    above_band_price_factor: float = 1.0
    below_band_price_factor: float = 1.0
    dedicated_cover: float = 1.0
    hybrid_base_percentile: float = 0.5
    inhouse_seat_cover: float = 0.95
    inhouse_channels: tuple[str, ...] = ("email",)
    inhouse_coverage_hours: float = 24.0
    volume_scale: float = 1.0
    aht_scale: float = 1.0
    workforce: Workforce = field(default_factory=Workforce)

    def __post_init__(self) -> None:
        """Refuse a bad value with an InputError naming the field."""
        for name in ("price_per_contact", "price_per_seat", "monthly_minimum",
                     "management_fee"):
            if not getattr(self, name) >= 0:
                raise InputError(name, getattr(self, name), "an amount >= 0")
        for name in ("hybrid_base_percentile", "inhouse_seat_cover"):
            if not 0 <= getattr(self, name) <= 1:
                raise InputError(name, getattr(self, name), "a quantile in [0, 1]")
        if not 0 < self.dedicated_cover <= 1:
            raise InputError("dedicated_cover", self.dedicated_cover, "a quantile in (0, 1]")
        if not (self.volume_scale > 0 and self.aht_scale > 0):
            raise InputError("volume_scale/aht_scale", (self.volume_scale, self.aht_scale),
                             "> 0 (with no contacts there is nothing to compare)")
        if not 0 <= self.band_share < 1:
            raise InputError("band_share", self.band_share, "a share in [0, 1)")
        for name in ("above_band_price_factor", "below_band_price_factor"):
            if not getattr(self, name) > 0:
                raise InputError(name, getattr(self, name), "a price multiplier > 0")
        unknown = set(self.inhouse_channels) - {"voice", "chat", "email"}
        if unknown:
            raise InputError("inhouse_channels", self.inhouse_channels,
                             "channels among voice, chat, email")
        if not 0 < self.inhouse_coverage_hours <= 24:
            raise InputError("inhouse_coverage_hours", self.inhouse_coverage_hours,
                             "hours in (0, 24]")


def indicative_inputs(client: Client, **overrides: object) -> SourcingInputs:
    """Build inputs with indicative prices: the medians of the quotes per pricing model.

    Per contact: the ``per_call`` quotes (with their monthly minimum, management fee
    and, where quotes give one, the volume band); per seat: the ``per_seat`` quotes.
    ``overrides`` replace any field.

    Parameters
    ----------
    client : Client
        The client; its ``quotes.csv`` gives the prices (currency per contact, per
        seat-month; minimum and management fee per month).
    **overrides
        Fields of :class:`SourcingInputs` to set instead.

    Returns
    -------
    SourcingInputs

    Raises
    ------
    DataError
        No quote of a pricing model whose price is not given in ``overrides``.
    """
    q = client.quotes
    per_call, per_seat = q[q["pricing_model"] == "per_call"], q[q["pricing_model"] == "per_seat"]
    for name, part in (("per_call", per_call), ("per_seat", per_seat)):
        if part.empty and f"price_per_{'contact' if name == 'per_call' else 'seat'}" not in (
                overrides):
            raise DataError(f"no {name} quote to take an indicative price from",
                            file=client.path / "quotes.csv", column="pricing_model",
                            allowed=f"a {name} quote, or give the price explicitly")
    banded = per_call[per_call["committed_contacts_monthly"].notna()]
    bands = {} if banded.empty else {
        "committed_contacts_monthly": float(banded["committed_contacts_monthly"].median()),
        "band_share": float(banded["band_share"].median()),
        "above_band_price_factor": float(banded["above_band_price_factor"].median()),
        "below_band_price_factor": float(banded["below_band_price_factor"].median())}
    base = {**bands,
            "price_per_contact": float(per_call["unit_price"].median()) if len(per_call) else 0,
            "price_per_seat": float(per_seat["unit_price"].median()) if len(per_seat) else 0,
            "monthly_minimum": float(per_call["monthly_minimum"].median())
            if len(per_call) else 0.0,
            "management_fee": float(q["management_fee_monthly"].median())}
    return SourcingInputs(**{**base, **overrides})


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
    opening) are kept, contacts and agents. Email is a backlog worked through the open
    hours: its agents inside the window are kept, and the same share of the day's email
    contacts (the covered share of the open day).
    """
    opens, closes = client.scenario.opening_minutes()
    start, cover = opens[cal.weekday], inputs.inhouse_coverage_hours * 60
    window = ((cal.minute_of_day >= start) & (cal.minute_of_day < start + cover)).astype(float)
    open_min = closes - opens
    covered = np.divide(np.minimum(cover, open_min), open_min, out=np.zeros(7),
                        where=open_min > 0)[cal.weekday]
    codes, names = pd.factorize(plan["channel"])
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


def inputs_from_parameters(client: Client, *, price_per_contact: float = 0.0,
                           price_per_seat: float = 0.0, shrinkage: float = 0.30,
                           shift_hours: float = 8.0, shift_starts: str = "",
                           inhouse_channels: str = "email", **fields: object
                           ) -> SourcingInputs:
    """Build the inputs from notebook parameters.

    A price of 0 means "the median of the quotes"; ``inhouse_channels`` is a
    comma-separated list ("email", "voice,chat", or ""), and so is ``shift_starts``
    ("08:00,16:00"; "" lets a shift start at any interval).

    Parameters
    ----------
    client : Client
        The client whose quotes give the indicative prices.
    price_per_contact, price_per_seat : float
        Currency per contact handled and per seat-month; 0 takes the median quote.
    shrinkage : float
        Share (0-1) of paid agent time not available for contacts.
    shift_hours : float
        Paid length of one in-house shift, hours.
    shift_starts, inhouse_channels : str
        Comma-separated lists, as above.
    **fields
        Other fields of :class:`SourcingInputs`.

    Returns
    -------
    SourcingInputs

    Warns
    -----
    UserWarning
        A channel kept in-house that the client does not serve.
    """
    prices = {k: v for k, v in (("price_per_contact", price_per_contact),
                                ("price_per_seat", price_per_seat)) if v > 0}
    channels = tuple(c.strip() for c in inhouse_channels.split(",") if c.strip())
    unknown = [c for c in channels if c not in ("voice", "chat", "email")]
    if unknown:
        raise InputError("inhouse_channels", inhouse_channels,
                         "a comma-separated subset of voice, chat, email")
    absent = [c for c in channels if c not in client.scenario.service_targets]
    if absent:
        warnings.warn(f"inhouse_channels: {absent} not served by {client.scenario.company}; "
                      "the partial option keeps the others in-house", stacklevel=2)
    starts = tuple(t.strip() for t in shift_starts.split(",") if t.strip())
    workforce = Workforce(shrinkage=shrinkage, shift_hours=shift_hours, shift_starts=starts)
    return indicative_inputs(client, workforce=workforce, **prices,
                             inhouse_channels=channels, **fields)


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
