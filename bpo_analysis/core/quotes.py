"""A vendor's quote billed on the client's demand, for one year or over a contract term.

Steps 2 (the price criterion), 3 (pricing and TCO) and 6 (the ROI of the signed quote)
bill quotes the same way, so the engine lives here: each quote is billed on the demand of
the channels it covers, with the staffing the service targets need, under its own pricing
model (:func:`bpo_analysis.core.billing.bill`); over a term the demand grows by the
scenario's yearly growth and prices escalate from the quote's escalation year, and the
total cost of ownership adds what is not on the quote (``tco.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from bpo_analysis.core import billing, offers
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.offers import FULL_SCOPE, client_channels, scope_transition, seat_transition
from bpo_analysis.core.workforce import Calendar, Workforce, client_workforce, staffing_plan
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.data.models import TcoAssumptions
from bpo_analysis.data.quality import quote_rules
from bpo_analysis.errors import InputError

__all__ = ["Plans", "PricingInputs", "check_quotes", "escalation_factor", "first_year_scale",
           "quote_costs", "quote_summary", "tco_assumptions", "term_costs", "vendor_prices"]


@dataclass(frozen=True)
class PricingInputs:
    """The assumptions of step 3 (every dashboard slider is one of them).

    ``volume_scale`` multiplies the forecast; ``forecast_error`` is the +- share the unit
    costs and the risk are shown at; ``term_months`` is the months every quote is
    compared over (None: the planning horizon); ``discount_rate`` replaces the
    scenario's, ``escalation`` each quote's yearly escalation and ``hidden_share`` the
    total of ``tco.yaml``'s retained shares (items keep their proportions); None keeps
    the data's value.
    """

    volume_scale: float = 1.0
    forecast_error: float = 0.2
    term_months: int | None = None
    discount_rate: float | None = None
    escalation: float | None = None
    hidden_share: float | None = None
    seats: Literal["needed", "quoted"] = "needed"

    def __post_init__(self) -> None:
        """Check every assumption: an InputError names the first out of its range."""
        if not self.volume_scale > 0:
            raise InputError("volume_scale", self.volume_scale, "> 0")
        if not 0 <= self.forecast_error < 1:
            raise InputError("forecast_error", self.forecast_error, "a share in [0, 1)")
        if self.term_months is not None and not (
                isinstance(self.term_months, int) and 1 <= self.term_months <= 120):
            raise InputError("term_months", self.term_months, "whole months 1-120")
        if self.discount_rate is not None and not -1 < self.discount_rate <= 1:
            raise InputError("discount_rate", self.discount_rate, "> -1 and <= 1")
        if self.escalation is not None and not -0.1 <= self.escalation <= 0.3:
            raise InputError("escalation", self.escalation, "a yearly change from -0.1 to 0.3")
        if self.hidden_share is not None and not 0 <= self.hidden_share <= 0.5:
            raise InputError("hidden_share", self.hidden_share, "a share of 0-0.5")
        if self.seats not in ("needed", "quoted"):
            raise InputError("seats", self.seats,
                             "'needed' (for the service targets) or 'quoted'")

    @classmethod
    def from_parameters(cls, *, volume_scale: float = 1.0, forecast_error: float = 0.2,
                        term_months: int = 0, discount_rate: float = -1.0,
                        escalation: float = -1.0, hidden_share: float = -1.0,
                        seats: str = "needed") -> PricingInputs:
        """Build the inputs from notebook parameters.

        In them, 0 (term) or -1 (the others) means "the value of the data" (papermill
        parameters cannot be None).
        """
        return cls(volume_scale=volume_scale, forecast_error=forecast_error,
                   term_months=term_months or None,
                   discount_rate=None if discount_rate == -1 else discount_rate,
                   escalation=None if escalation == -1 else escalation,
                   hidden_share=None if hidden_share == -1 else hidden_share,
                   seats=seats)  # type: ignore[arg-type]


@dataclass
class Plans:
    """Staffing plans of the client's demand by volume scale, computed once each.

    The dashboard moves between a few scales, so each plan is kept.
    """

    client: Client
    workforce: Workforce | None = None  # None: the client's (its paid hours per agent)
    calendar: Calendar | None = None
    _cache: dict[float, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Take the client's workforce and build the demand's calendar when none is given."""
        if self.workforce is None:
            self.workforce = client_workforce(self.client)
        if self.calendar is None:
            self.calendar = Calendar.of(self.client.demand["interval_start"])

    def at(self, scale: float) -> pd.DataFrame:
        """Return the staffing plan at ``scale`` x the demand (computed once, then kept)."""
        key = round(float(scale), 9)
        if key not in self._cache:
            self._cache[key] = staffing_plan(self.client, self.workforce, volume_scale=key,
                                             calendar=self.calendar)
        return self._cache[key]


# ---------------------------------------------------------------- checks
def check_quotes(client: Client) -> None:
    """Check the client's quotes against the rules of ``quotes.csv``.

    The rules of :func:`bpo_analysis.data.quality.quote_rules` (a price for the pricing
    model, no overlapping volume bands), for a client built or changed in code;
    :func:`bpo_analysis.load_client` applies them when it reads ``quotes.csv``.
    """
    quote_rules(client.quotes, source_file(client, "quotes"))


def tco_assumptions(client: Client) -> TcoAssumptions:
    """Return the client's ``tco.yaml`` (transition, retained and exit costs).

    A DataError names the file when the client folder has none.
    """
    return client.optional("tco", "step 3 needs the client's transition, retained and exit "
                                  "costs")


# ---------------------------------------------------------------- one year of bills
def quote_costs(client: Client, *, seats: Literal["needed", "quoted"] = "needed",
                workforce: Workforce | None = None, plan: pd.DataFrame | None = None,
                calendar: Calendar | None = None, volume_scale: float = 1.0) -> pd.DataFrame:
    """Bill every quote per month of the demand year (at ``volume_scale`` x demand).

    Parameters
    ----------
    client : Client
        Its demand, scenario (service targets) and ``quotes.csv``.
    seats : {'needed', 'quoted'}
        Bill per seat on the seats the targets need, or on the ``seats_quoted``.
    workforce, calendar : Workforce, Calendar, optional
        Shrinkage, shifts, paid hours (default ``Workforce()``); the demand's calendar.
    plan : DataFrame, optional
        The staffing plan, when already computed (``volume_scale`` then unused).
    volume_scale : float
        Multiplies the demand (1 is the forecast).

    Returns
    -------
    DataFrame
        Columns ``quote_id``, ``vendor_id``, ``pricing_model``, ``channel``, ``month``,
        ``amount`` (currency per month, management fee included), ``contacts`` (of the
        channels the quote covers), ``productive_hours`` (agent-hours on contacts the
        targets need), ``seats`` (per-seat and hybrid: seats billed) and ``currency``.
    """
    if seats not in ("needed", "quoted"):
        raise InputError("seats", seats, "'needed' (for the service targets) or 'quoted'")
    check_quotes(client)
    cal = calendar or Calendar.of(client.demand["interval_start"])
    workforce = workforce or client_workforce(client)
    if plan is None:
        plan = staffing_plan(client, workforce, volume_scale=volume_scale, calendar=cal)
    frames = []
    for _, q in client.quotes.iterrows():
        b = billing.bill(q, plan, cal, client.scenario.interval_minutes, workforce, seats)
        frames.append(pd.DataFrame({
            "quote_id": q["quote_id"], "vendor_id": q["vendor_id"],
            "pricing_model": q["pricing_model"], "channel": q["channel"],
            "month": cal.months, "amount": b["service"] + b["management"],
            "contacts": b["contacts"], "productive_hours": b["productive_hours"],
            "seats": b["seats"]}))
    return pd.concat(frames, ignore_index=True).assign(currency=client.currency)


def quote_summary(costs_by_month: pd.DataFrame) -> pd.DataFrame:
    """Summarise each quote's year, cheapest per contact first (index ``quote_id``).

    Parameters
    ----------
    costs_by_month : DataFrame
        The bills of :func:`quote_costs` (one row per quote and month).

    Returns
    -------
    DataFrame
        ``vendor_id``, ``pricing_model``, ``channel``, ``total`` (the year's bill,
        currency), ``contacts`` covered, ``productive_hours`` (agent-hours), ``seats``,
        ``currency``, ``per_contact`` = total / contacts and ``per_productive_hour`` =
        total / productive_hours (NaN without contacts or hours).
    """
    g = costs_by_month.groupby("quote_id", sort=False)
    out = g.agg(vendor_id=("vendor_id", "first"), pricing_model=("pricing_model", "first"),
                channel=("channel", "first"), total=("amount", "sum"),
                contacts=("contacts", "sum"), productive_hours=("productive_hours", "sum"),
                seats=("seats", "first"), currency=("currency", "first"))
    out["per_contact"] = out["total"] / out["contacts"].where(out["contacts"] > 0)
    out["per_productive_hour"] = out["total"] / out["productive_hours"].where(
        out["productive_hours"] > 0)
    return out.sort_values("per_contact")


def vendor_prices(client: Client, summary: pd.DataFrame | None = None) -> pd.Series:
    """Return each vendor's lowest cost per contact among its offers for every channel.

    Step 2's ``price`` criterion. An offer covers every channel (a quote for all, or a
    vendor's channel quotes together); a vendor with none is priced on its cheapest quote.

    Parameters
    ----------
    client : Client
        Its vendors and, without ``summary``, what :func:`quote_costs` needs.
    summary : DataFrame, optional
        :func:`quote_summary`, when already computed (default: of :func:`quote_costs`).

    Returns
    -------
    Series
        ``per_contact`` (currency), by ``vendor_id``; NaN for a vendor without a quote.

    Examples
    --------
    Formosa Click's quotes: V02 is priced on its per-seat Q07, not its per-call Q02:

    >>> from bpo_analysis.data.client import load_client
    >>> vendor_prices(load_client("data/sample")).round(2).to_dict()
    {'V01': 69.21, 'V02': 64.61, 'V03': 28.3, 'V04': 57.61, 'V05': 58.51, 'V06': 80.53}
    """
    summary = quote_summary(quote_costs(client)) if summary is None else summary
    best = summary.groupby("vendor_id")["per_contact"].min()
    full = offers.full_scope_offers(client.quotes, offers.client_channels(client))
    per_offer = pd.Series({oid: summary.loc[list(o.quotes), "total"].sum() / summary.loc[
        list(o.quotes), "contacts"].sum() for oid, o in full.iterrows()
        if set(o.quotes) <= set(summary.index)}, dtype=float)
    if len(per_offer):
        best = per_offer.groupby(full.loc[per_offer.index, "vendor_id"]).min().combine_first(best)
    return best.reindex(client.vendors["vendor_id"]).rename("per_contact")


# ---------------------------------------------------------------- over the contract
def escalation_factor(q: pd.Series, year: np.ndarray | int, override: float | None) -> np.ndarray:
    """Return a quote's price factor in contract ``year`` (1 = first).

    Parameters
    ----------
    q : Series
        A row of ``quotes.csv``: ``annual_escalation`` (share a year), ``escalation_from_year``.
    year : int or ndarray of int
        Contract years (1 = the first 12 months).
    override : float or None
        One yearly escalation (share) for every quote; None keeps the quote's.

    Returns
    -------
    ndarray
        The factor on the quoted prices, shaped like ``year``.

    Notes
    -----
    (1 + e) ** (year - from + 1) from the quote's ``escalation_from_year`` on, 1 before it.

    Examples
    --------
    V01's per-seat quote rises 3 % a year from contract year 2, so Formosa Click pays
    1.0927 x the quoted seat price in the fourth year:

    >>> from bpo_analysis.data.client import load_client
    >>> q = load_client("data/sample").quotes.set_index("quote_id").loc["Q01"]
    >>> escalation_factor(q, np.arange(1, 5), None)
    array([1.      , 1.03    , 1.0609  , 1.092727])
    """
    e = q["annual_escalation"] if override is None else override
    return (1 + e) ** np.maximum(0, np.asarray(year) - int(q["escalation_from_year"]) + 1)


def first_year_scale(client: Client, plans: Plans, inputs: PricingInputs) -> float:
    """Return the demand scale of the first contract year.

    Parameters
    ----------
    client : Client
        Its scenario's ``volume_growth_annual`` (share a year) and horizon start.
    plans, inputs : Plans, PricingInputs
        The plans' demand calendar; the inputs' ``volume_scale`` (x the forecast).

    Returns
    -------
    float
        The slider's scale grown from the demand year to the horizon's first month:
        s (1 + g)^k, g the yearly growth, k the whole years between (1 = the forecast).
    """
    _, _, years = horizon_months(client, plans.calendar, periods=1)
    return inputs.volume_scale * (1 + client.scenario.volume_growth_annual) ** int(years[0])


def term_costs(client: Client, inputs: PricingInputs = PricingInputs(),
               plans: Plans | None = None) -> pd.DataFrame:
    """Return every quote's cash flows over its contract term: the total cost of ownership.

    Month ``t`` = 1 .. term from the planning horizon's start; one-off costs are at
    t = 0 and the exit at t = term. Components:

    * ``Vendor set-up fee`` (the quote's, t = 0);
    * ``Transition: ...`` (``tco.yaml``, t = 0): CTI and seat set-up and initial
      training for the seats the busiest month needs, knowledge base, IVR flow design,
      requirement interviews, each channel beyond the first, CRM integration;
    * ``Service fees`` and ``Management fee`` (monthly; the demand grown by the
      scenario's yearly growth, prices escalated from the quote's escalation year);
    * ``Retained: <item>`` (monthly; the item's share of that month's bill);
    * ``Exit / transition back`` (t = term; months of the average monthly bill).

    Every quote runs over the same ``term_months`` (default: the scenario's planning
    horizon), so that TCOs compare; the quote's own contract term is in
    :func:`bpo_analysis.steps.pricing.calc.tco_summary`.

    Parameters
    ----------
    client : Client
        Its demand, scenario, ``quotes.csv`` and ``tco.yaml`` (else a DataError).
    inputs : PricingInputs
        Volume scale (x forecast), term (months), discount rate (a year), escalation
        (share a year), hidden-cost share (0-0.5) and seats.
    plans : Plans, optional
        Staffing plans by volume scale, when already computed (the dashboard keeps one).

    Returns
    -------
    DataFrame
        A tidy table: ``quote_id``, ``vendor_id``, ``pricing_model``, ``t``,
        ``month``, ``component``, ``amount`` (nominal), ``pv`` (discounted to the
        horizon's start at the annual rate r: amount / (1 + r) ** (t / 12)),
        ``contacts`` (handled that month, on the service-fee rows; 0 elsewhere) and
        ``currency``.

    Notes
    -----
    PV = amount / (1 + r)^(t/12); a month's fees: the bill of its demand month grown
    (1 + g)^k, x :func:`escalation_factor` of contract year (t - 1) // 12 + 1.
    """
    tco = tco_assumptions(client)
    plans = plans or Plans(client)
    check_quotes(client)
    sc = client.scenario
    rate = sc.discount_rate if inputs.discount_rate is None else inputs.discount_rate
    retained = dict(tco.retained)
    if inputs.hidden_share is not None:
        total = sum(retained.values())
        retained = ({k: v * inputs.hidden_share / total for k, v in retained.items()}
                    if total > 0 else {"hidden_costs": inputs.hidden_share})
    served = client_channels(client)
    term = inputs.term_months or sc.planning_horizon_months
    months, taken, years = horizon_months(client, plans.calendar, periods=term)
    bills: dict[int, dict] = {}
    for k in np.unique(years):
        plan = plans.at(inputs.volume_scale * (1 + sc.volume_growth_annual) ** int(k))
        bills[int(k)] = {q["quote_id"]: billing.bill(q, plan, plans.calendar, sc.interval_minutes,
                                              plans.workforce, inputs.seats)
                         for _, q in client.quotes.iterrows()}
    position = {m: i for i, m in enumerate(plans.calendar.months)}
    rows = []
    for _, q in client.quotes.iterrows():
        qid = q["quote_id"]
        t = np.arange(1, term + 1)
        factor = escalation_factor(q, (t - 1) // 12 + 1, inputs.escalation)
        service = np.array([bills[int(years[i])][qid]["service"][position[taken[i]]]
                            for i in range(term)]) * factor
        handled = np.array([bills[int(years[i])][qid]["contacts"][position[taken[i]]]
                            for i in range(term)])
        fee = np.array([bills[int(years[i])][qid]["management"][position[taken[i]]]
                        for i in range(term)]) * factor
        channels = len(served) if q["channel"] == FULL_SCOPE else 1
        one_off = [("Vendor set-up fee", float(q["setup_fee"])),
                   *seat_transition(tco.transition, bills[int(years[0])][qid]["seats_needed"]),
                   *scope_transition(tco, channels)]
        bill = service + fee
        monthly = [("Service fees", service), ("Management fee", fee),
                   *[(f"Retained: {k.replace('_', ' ')}", bill * v)
                     for k, v in retained.items()]]
        exit_cost = tco.exit_months_of_fees * bill.mean()
        for name, amount in one_off:
            rows.append((qid, 0, name, amount, 0.0))
        for name, series in monthly:
            n = handled if name == "Service fees" else np.zeros(term)
            rows += [(qid, int(i), name, float(a), float(c))
                     for i, a, c in zip(t, series, n, strict=True)]
        rows.append((qid, term, "Exit / transition back", exit_cost, 0.0))
    out = pd.DataFrame(rows, columns=["quote_id", "t", "component", "amount", "contacts"])
    meta = client.quotes.set_index("quote_id")[["vendor_id", "pricing_model"]]
    out = out.join(meta, on="quote_id")
    out["month"] = [months[0] - 1 + int(t) if t > 0 else months[0] - 1 for t in out["t"]]
    out["pv"] = out["amount"] * (1 + rate) ** (-out["t"] / 12)
    return out[["quote_id", "vendor_id", "pricing_model", "t", "month", "component",
                "amount", "pv", "contacts"]].assign(currency=client.currency)
