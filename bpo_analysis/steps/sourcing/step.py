"""Step 1 as one call: ``run(client, ...)`` prices every sourcing option.

It prices them on the client's demand, month by month and over the horizon, and returns
a :class:`SourcingResult`.

A retailer asks whether to keep its centre, or outsource it to shared or dedicated
agents:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"))
>>> list(result.summary.index)[:2]        # the cheapest two over the demand year
['Dedicated (per seat)', 'Hybrid (base + overflow)']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from bpo_analysis.core import workforce
from bpo_analysis.core.decision import Choice, Decision, memo
from bpo_analysis.core.heatmaps import demand_heatmap
from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult, currency_used, file_name, from_file, left_open
from bpo_analysis.core.verdicts import VerdictRules, sourcing_verdict
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import SOURCING_FORMS
from bpo_analysis.i18n import N_, _, plural, term
from bpo_analysis.steps.sourcing import calc, charts, views
from bpo_analysis.steps.sourcing.breakeven import break_even, cheaper_ranges
from bpo_analysis.steps.sourcing.bridge import (
    bridge_chart,
    bridge_table,
    money_bridge,
    today_level,
)
from bpo_analysis.steps.sourcing.horizon import horizon_costs, horizon_summary
from bpo_analysis.steps.sourcing.options import (
    SourcingInputs,
    contacts_per_month,
    inputs_from_parameters,
    option_costs,
    option_summary,
    option_tables,
)

__all__ = ["SourcingResult", "run", "upstream"]

#: The two options the break-even compares.
BREAK_EVEN = ("Shared (per contact)", "Dedicated (per seat)")

#: How the appendix says where an indicative price came from: the pricing model of the
#: quotes, one quote or the median of several, and the price's own unit.
PRICE_SOURCES = {
    "per_call": (N_("{price} per contact, the one per-call quote in {source}"),
                 N_("{price} per contact, the median of the {n} per-call quotes in {source}")),
    "per_seat": (N_("{price} per seat-month, the one per-seat quote in {source}"),
                 N_("{price} per seat-month, the median of the {n} per-seat quotes in "
                    "{source}")),
}


@dataclass(frozen=True, eq=False)
class SourcingResult(StepResult):
    """The result of step 1: the options' costs, summary, break-evens and horizon.

    Every option's cost per month and component (``long``), their summary, every
    break-even volume of shared against dedicated agents (``break_even``, contacts per
    month, ascending; empty when they never cross) with the cost curve they come from,
    and the options over the planning horizon, with the inputs they were computed from.
    ``from_files`` names the notebook parameters the run left to the client's files
    (:meth:`_used` says what it took for them).
    """

    step = "01 sourcing"

    client: Client
    inputs: SourcingInputs
    currency: str
    long: pd.DataFrame
    summary: pd.DataFrame
    break_even: tuple[float, ...]
    curve: pd.DataFrame
    horizon: pd.DataFrame
    over_horizon: pd.DataFrame
    from_files: frozenset[str] = frozenset()

    @cached_property
    def plan(self) -> pd.DataFrame:
        """Return the staffing plan of the (scaled) demand."""
        return workforce.staffing_plan(self.client, self.inputs.workforce,
                                       volume_scale=self.inputs.volume_scale,
                                       aht_scale=self.inputs.aht_scale)

    @cached_property
    def fte(self) -> pd.DataFrame:
        """Return the agent-hours and FTE per month of the plan."""
        return workforce.fte_by_month(self.plan, self.client.scenario, self.inputs.workforce)

    @cached_property
    def contacts(self) -> float:
        """Return today's contacts per month (of the scaled demand): "today" on the curve."""
        return contacts_per_month(self.client, self.inputs)

    @cached_property
    def break_even_ranges(self) -> pd.DataFrame:
        """Return which of shared and dedicated agents is cheaper in each range of volume.

        :func:`~bpo_analysis.steps.sourcing.breakeven.cheaper_ranges`, cut at every
        break-even, with the range of today's contacts marked.
        """
        return cheaper_ranges(self.curve, *BREAK_EVEN, self.contacts)

    decision_roles = ("form",)

    @cached_property
    def decision(self) -> Decision:
        """Return the sourcing form: ``decision.yaml``'s, else the cheapest option here.

        A stated form that is not the cheapest is noted with the cheaper option.
        """
        d = Decision.stated(self.client)
        cheapest = str(self.summary.index[0])
        form_of = {name: form for form, name in SOURCING_FORMS.items()}
        if d.form is None:
            runner = str(self.summary.index[1])
            tie = sourcing_verdict(float(self.summary["total"].iloc[0]),
                                   float(self.summary["total"].iloc[1]),
                                   VerdictRules.of(self.client)) == "tie"
            return d.but(form=Choice(form_of[cheapest], 1), note=_(
                "{cheapest} and {runner} tie within the forecast error; the cheaper is taken "
                "unless the decision file names the other.").format(
                cheapest=term(cheapest), runner=term(runner)) if tie else "")
        chosen = SOURCING_FORMS[d.form.value]
        if chosen == cheapest:
            return d
        extra = float(self.summary.loc[chosen, "total"] - self.summary.loc[cheapest, "total"])
        return d.but(about="form", note=_(
            "{form} is chosen in the decision file; step 1 finds {cheapest} {extra:,.0f} "
            "{currency} cheaper over the period.").format(
            form=term(chosen), cheapest=term(cheapest), extra=extra, currency=self.currency))

    def _headline(self) -> Headlines:
        return views.headlines(self.summary, self.break_even_ranges, self.currency,
                               self.over_horizon,
                               self.client.scenario.planning_horizon_months,
                               rules=VerdictRules.of(self.client),
                               today=self.today_level[1], contacts=self.contacts)

    @cached_property
    def today_level(self) -> tuple[str, float]:
        """Return today's whole cost a month and its words (the bridge's today level)."""
        return today_level(self.bridge)

    @cached_property
    def bridge(self) -> pd.DataFrame:
        """Return the money bridge: today's centre -> the same service -> each option."""
        return money_bridge(self)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        used = currency_used(c, left)
        for name, model in (("price_per_contact", "per_call"), ("price_per_seat", "per_seat")):
            if name in left:
                used[name] = price_used(c, model, getattr(self.inputs, name), self.currency)
        if "shift_starts" in left:
            used["shift_starts"] = from_file(c, _("any interval of the opening hours"),
                                             "scenario")
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        c, cur = self.client, self.currency
        return {"bridge": lambda: bridge_table(self.bridge, cur),
                "summary": lambda: views.summary_table(self.summary, cur),
                "horizon": lambda: views.horizon_view(self.over_horizon, cur),
                "schedule": lambda: views.schedule_view(
                    self.fte, self.inputs.workforce.shift_hours),
                "break_even": lambda: views.break_even_view(self.curve, self.contacts),
                "peaks": lambda: views.peak_view(option_tables(c, self.inputs), c, cur)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        c, cur = self.client, self.currency
        return {
            "bridge": lambda: bridge_chart(self.bridge, cur),
            "monthly": lambda: charts.option_monthly_chart(self.long, cur),
            "components": lambda: charts.option_components_chart(self.long, cur),
            "monthly_components": lambda: charts.option_monthly_components_chart(self.long,
                                                                                 cur),
            "cost_per_contact": lambda: charts.cost_per_contact_by_option(self.summary, cur),
            "horizon": lambda: charts.horizon_chart(self.horizon, cur),
            "agents": lambda: demand_heatmap(
                workforce.agent_heatmap(self.plan, c.scenario.interval_minutes),
                unit=_("agents per interval"), title=_("Agents needed on duty (all channels)")),
            "shift_starts": lambda: charts.shift_starts_chart(workforce.shift_schedule(
                self.plan, c.scenario, self.inputs.workforce).by_start()),
            "break_even": lambda: charts.break_even_chart(
                self.curve, *BREAK_EVEN, self.break_even, self.contacts, cur),
            "idle": lambda: charts.idle_chart(calc.idle_by_month(c, self.inputs))}


def run(client: Client, *, currency: str = "", price_per_contact: float = 0.0,
        price_per_seat: float = 0.0, dedicated_cover: float = 1.0,
        hybrid_base_percentile: float = 0.5, shrinkage: float = 0.3,
        shift_hours: float = 8.0, shift_starts: str = "", volume_scale: float = 1.0,
        aht_scale: float = 1.0, partial_inhouse_channels: str = "email",
        inhouse_coverage_hours: float = 24.0) -> SourcingResult:
    """Run step 1 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its demand, in-house costs, quotes and scenario).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    price_per_contact : float
        Shared agents, per contact handled; 0 means the median of the per-call quotes.
    price_per_seat : float
        Dedicated agents, per seat-month; 0 means the median of the per-seat quotes.
    dedicated_cover : float
        Quantile (0-1] of the monthly FTE need the dedicated seats cover (1 is the
        busiest month).
    hybrid_base_percentile : float
        Quantile (0-1) of the interval need the hybrid dedicated base covers.
    shrinkage : float
        Share of paid agent time not available for contacts.
    shift_hours : float
        Paid length of one in-house shift, hours.
    shift_starts : str
        In-house shift start times, comma-separated; "" means any interval in opening
        hours.
    volume_scale, aht_scale : float
        Multiply every contact and every handle time.
    partial_inhouse_channels : str
        Channels the partial option keeps in-house, comma-separated.
    inhouse_coverage_hours : float
        Partial option: hours after opening covered in-house.

    Returns
    -------
    SourcingResult
    """
    inputs = inputs_from_parameters(
        client, price_per_contact=price_per_contact, price_per_seat=price_per_seat,
        shrinkage=shrinkage, shift_hours=shift_hours, shift_starts=shift_starts,
        dedicated_cover=dedicated_cover, hybrid_base_percentile=hybrid_base_percentile,
        volume_scale=volume_scale, aht_scale=aht_scale,
        inhouse_channels=partial_inhouse_channels,
        inhouse_coverage_hours=inhouse_coverage_hours)
    long = option_costs(client, inputs)
    summary = option_summary(long, client.demand["contacts"].sum() * volume_scale)
    volumes, curve = break_even(client, inputs, *BREAK_EVEN)
    horizon = horizon_costs(client, inputs)
    return SourcingResult(client, inputs, currency or client.currency, long, summary,
                          tuple(volumes), curve, horizon,
                          horizon_summary(horizon, client.scenario.discount_rate),
                          left_open(currency_label=(currency, ""),
                                    price_per_contact=(price_per_contact, 0),
                                    price_per_seat=(price_per_seat, 0),
                                    shift_starts=(shift_starts, "")))


def price_used(client: Client, model: str, price: float, currency: str) -> str:
    """Return an indicative price and where it came from, as the appendix says it.

    The median of the client's ``model`` quotes (``per_call`` or ``per_seat``), else the
    per-minute (per-productive-hour) median in the unit of the price
    (:func:`~bpo_analysis.steps.sourcing.inputs.indicative_inputs`).

    >>> from bpo_analysis.data.client import load_client
    >>> price_used(load_client("data/sample"), "per_seat", 60_000.0, "TWD")
    '60,000 TWD per seat-month, the median of the 2 per-seat quotes in quotes.csv'
    """
    q = client.quotes
    source = file_name(client, "quotes", ".csv")
    shown = fmt_price(price, currency, 0 if model == "per_seat" else 1)
    quoted = q[q["pricing_model"] == model]
    if len(quoted):
        return plural(len(quoted), *PRICE_SOURCES[model], price=shown, source=source)
    other = "per_minute" if model == "per_call" else "per_productive_hour"
    rate = float(q.loc[q["pricing_model"] == other, "unit_price"].median())
    if model == "per_call":
        return _("{price} per contact: the median per-minute price, {rate} a minute, times "
                 "the average handle time of {minutes:.1f} minutes, from {source}").format(
            price=shown, rate=fmt_price(rate, currency, 2), minutes=price / rate, source=source)
    return _("{price} per seat-month: the median per-productive-hour price, {rate} an hour, "
             "times the {hours:,.0f} productive hours of a seat-month, from {source}").format(
        price=shown, rate=fmt_price(rate, currency, 2), hours=price / rate, source=source)


def fmt_price(price: float, currency: str, decimals: int) -> str:
    """Return a price with its currency, its decimals only where it has any ("92 TWD").

    >>> fmt_price(92.0, "TWD", 1), fmt_price(12.345, "TWD", 1)
    ('92 TWD', '12.3 TWD')
    """
    whole = abs(price - round(price)) < 0.5 * 10 ** -decimals
    return f"{price:,.{0 if whole else decimals}f} {currency}"


def upstream(client: Client) -> SourcingResult:
    """Return step 1 run with its defaults, once per client: what later steps build on.

    Steps 0 and 6 show its money bridge; the summary its form and costs.
    """
    return memo(client, "sourcing", lambda: run(client))
