"""One money bridge: today's in-house cost, the same service in-house, each outsourced option.

Three numbers describe the client's own centre: what it costs today (step 0: the payroll
and seats of ``inhouse_costs.yaml``), what it costs staffed for the service targets (step
1's In-house option, step 6's ``same_service`` baseline) and what each outsourced option
costs instead. :func:`money_bridge` links them in one table. Each step between today and
the same service recomputes the in-house cost (:func:`bpo_analysis.core.costs.
inhouse_by_month`) with one input moved from today's value to the staffing plan's, so the
causes are the cost model's own items; the steps between two levels sum exactly to their
difference, and what they leave is shown as "Other differences", never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

from bpo_analysis.core import costs
from bpo_analysis.core.charts import finish
from bpo_analysis.core.inhouse import (
    AS_IS,
    INCUMBENT,
    SAME_SERVICE,
    TODAY_TOTAL,
    centre_by_month,
    incumbent_fees,
)
from bpo_analysis.core.present import styled
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import Calendar
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.sourcing.options import OPTIONS

if TYPE_CHECKING:
    from bpo_analysis.steps.sourcing.step import SourcingResult

__all__ = ["KINDS", "bridge_chart", "bridge_table", "money_bridge", "today_level"]

#: The kinds of row: a level (start, subtotal, option) or a step between two levels.
KINDS = ("start", "step", "subtotal", "option")

TODAY = AS_IS
AGENTS = N_("Agents on contacts for the service targets")
SHRINKAGE = N_("Shrinkage: breaks, training, absence")
SHIFTS = N_("Shift loss: whole shifts")
NIGHT = N_("Night-shift premium")
LEADS = N_("Team leads")
HIRING = N_("Replacing agents who leave")
SEATS = N_("Seats: rent, equipment, IT")
OTHER = N_("Other differences")
SAME = SAME_SERVICE
TAKEN_BACK = N_("The incumbent's contacts answered in-house")

#: The outsourced options' cost components (:mod:`bpo_analysis.core.sourcing_costs`,
#: :func:`~bpo_analysis.steps.sourcing.options.option_tables`; a partial option's are
#: "Shared: ..." and "In-house: ..."), translated where the bridge names them.
_COMPONENTS = (N_("Per-contact charges"), N_("Volume-band adjustment"), N_("Minimum top-up"),
               N_("Management fee"), N_("Dedicated seats"), N_("Dedicated base seats"),
               N_("Overflow per contact"), N_("Shared"))
#: Pay, bonuses and insurance of the agents (linear in the agents: split by cause).
_PAY = ("Agent pay", "Agent insurance and benefits")
#: The other cost items (:func:`bpo_analysis.core.costs.inhouse_baseline`) each step takes.
_ITEMS = {NIGHT: ("Night-shift premium",), LEADS: ("Supervisors",),
          HIRING: ("Recruiting and training",),
          SEATS: ("Seats: rent", "Seats: equipment", "Seats: IT licences")}


def _sum(items: pd.Series, names: tuple[str, ...]) -> float:
    return float(items.reindex(list(names), fill_value=0.0).sum())


def _option_cause(parts: pd.Series, gap: float, currency: str) -> str:
    """Say what an option pays, by component, and how far it is from the same service."""
    head = parts.groupby(lambda c: c.split(": ", 1)[0] if ": " in c else c, sort=False).sum()
    text = _(", ").join(f"{term(k)} {v:,.0f}" for k, v in head.items() if abs(v) >= 0.5)
    template = (_("{parts} ({currency} a month): {gap:,.0f} {currency} less than the "
                  "in-house centre at the same service targets.") if gap < 0 else
                _("{parts} ({currency} a month): {gap:,.0f} {currency} more than the "
                  "in-house centre at the same service targets."))
    return template.format(parts=text, currency=currency, gap=abs(gap))


def money_bridge(result: SourcingResult) -> pd.DataFrame:
    """Bridge today's in-house cost to the same-service centre and each outsourced option.

    Parameters
    ----------
    result : SourcingResult
        Step 1 (:func:`bpo_analysis.steps.sourcing.run`): its client, inputs, staffing
        plan and option costs.

    Returns
    -------
    DataFrame
        One row per line, in order: the start (today's in-house cost, as step 0 shows
        it); when a vendor answers part of the contacts today, its invoices, today's
        whole cost (a subtotal) and those invoices stopping; the steps to the same
        service, the subtotal (step 1's In-house option), then one row per outsourced
        option. Columns ``row`` (label), ``kind`` (:data:`KINDS`),
        ``amount`` (the change the row explains: from 0 for the start, from the start
        for the subtotal, from the subtotal for an option), ``total`` (the level after
        the row; an option's cost) and ``cause`` (a sentence), in the client's currency
        per month (the average month of the demand).

    Notes
    -----
    With today's agents A0, night share n0 and seats S0, and the plan's agents on
    contacts A1 (required hours / paid hours per FTE), on the schedule A2 (with
    shrinkage) and on whole shifts A3, night share n and seats S: the agents' pay and
    insurance C(A) is split C(A1) - C(A0), C(A2) - C(A1), C(A3) - C(A2); the night
    premium, team leads, hiring and seats are each item's cost at (A3, n, S) less at
    (A0, n0, S0). "Other differences" is the same-service cost less today's and the steps.

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> from bpo_analysis.steps.sourcing import run
    >>> b = money_bridge(run(load_client("data/sample")))
    >>> levels = b[b["kind"] != "step"].set_index("row")["total"].round()
    >>> levels.iloc[:4].tolist()   # today in-house, with the incumbent, same service, shared
    [5910413.0, 6619636.0, 9380689.0, 8603157.0]
    >>> steps = b.loc[b["kind"] == "step", "amount"].sum()
    >>> bool(np.isclose(steps, levels.iloc[2] - levels.iloc[0], atol=1))
    True
    """
    client, inputs, cur = result.client, result.inputs, result.currency
    ih, w, sc = client.inhouse, inputs.workforce, client.scenario
    h = ih.headcount
    plan, fte = result.plan, result.fte
    cal = Calendar.of(plan["interval_start"])
    today = float(costs.inhouse_baseline(ih)["monthly"].sum())
    per_month = result.summary["per_month"]
    same = float(per_month[OPTIONS[0]])
    a0, n0, s0 = float(sum(h.agents_fte.values())), ih.loading.night_share_of_hours, h.seats
    hour = sc.interval_minutes / 60 / w.paid_hours_per_fte_month
    a1 = pd.Series(cal.per_month(plan["required"].to_numpy(float)) * hour, index=fte.index)

    def at(agents: float | pd.Series) -> pd.Series:
        month = pd.DataFrame({"fte": agents, "night_share": n0}, index=fte.index)
        return costs.inhouse_by_month(ih, month, s0).mean()

    t0, t1, t2, t3 = at(a0), at(a1), at(fte["fte_needed"]), at(fte["fte"])
    end = centre_by_month(client, plan, cal, w, inputs.inhouse_seat_cover, fte=fte).mean()
    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    seats = ceil_whole(np.quantile(need[need > 0], inputs.inhouse_seat_cover)) if (
        need > 0).any() else 0
    span, rate = h.agents_per_supervisor, ih.attrition.annual_rate
    fte_avg, need_avg = float(fte["fte"].mean()), float(fte["fte_needed"].mean())
    night = float(fte["night_hours"].sum() / fte["agent_hours"].sum()) if (
        fte["agent_hours"].sum() > 0) else 0.0
    leads = float(np.mean([costs.supervisors_needed(a, span) for a in fte["fte"]]))
    steps = [
        (AGENTS, _sum(t1, _PAY) - _sum(t0, _PAY), _(
            "Meeting the service targets takes {need:,.1f} full-time agents on contacts on "
            "average (the agents the targets need at once, over {paid:g} paid hours a "
            "month), against {agents:,.0f} on today's payroll: the pay, bonuses and "
            "employer insurance of the difference.").format(
            need=a1.mean(), paid=w.paid_hours_per_fte_month, agents=a0)),
        (SHRINKAGE, _sum(t2, _PAY) - _sum(t1, _PAY), _(
            "Breaks, training and absence take {shrinkage:.0%} of paid time, so the "
            "schedule needs {fte:,.1f} full-time agents: the pay, bonuses and insurance "
            "of {added:,.1f} more.").format(shrinkage=w.shrinkage, fte=need_avg,
                                             added=need_avg - a1.mean())),
        (SHIFTS, _sum(t3, _PAY) - _sum(t2, _PAY), _(
            "Agents work whole {hours:g}-hour shifts, which cannot follow the demand "
            "interval by interval: {fte:,.1f} paid full-time agents, {added:,.1f} more "
            "than the schedule needs ({used:.0%} of the paid hours used).").format(
            hours=w.shift_hours, fte=fte_avg, added=fte_avg - need_avg,
            used=fte["needed_hours"].sum() / fte["agent_hours"].sum()
            if fte["agent_hours"].sum() > 0 else 1.0)),
        (NIGHT, _sum(end, _ITEMS[NIGHT]) - _sum(t0, _ITEMS[NIGHT]), _(
            "The premium on night hours: {fte:,.1f} agents with {night:.1%} of their shift "
            "hours at night, against {agents:,.0f} agents with {night0:.1%} today.").format(
            fte=fte_avg, night=night, agents=a0, night0=n0)),
        (LEADS, _sum(end, _ITEMS[LEADS]) - _sum(t0, _ITEMS[LEADS]), _(
            "One team lead per {span:g} agents: {leads:,.1f} on average against {leads0} "
            "today, at their pay, bonuses and insurance.").format(
            span=span, leads=leads, leads0=costs.supervisors_needed(a0, span))),
        (HIRING, _sum(end, _ITEMS[HIRING]) - _sum(t0, _ITEMS[HIRING]), _(
            "Hiring and training replacements for the {rate:.0%} of agents who leave each "
            "year: {hires:,.1f} hires a month against {hires0:,.1f} today.").format(
            rate=rate, hires=fte_avg * rate / 12, hires0=a0 * rate / 12)),
        (SEATS, _sum(end, _ITEMS[SEATS]) - _sum(t0, _ITEMS[SEATS]), _(
            "{seats:,.0f} seats, enough for the agents on the schedule in {cover:.0%} of "
            "the intervals, against {seats0:,.0f} today: rent, equipment and IT licences "
            "per seat.").format(seats=seats, cover=inputs.inhouse_seat_cover, seats0=s0)),
    ]
    rest = same - today - sum(a for _r, a, _c in steps)
    steps.append((OTHER, rest, _(
        "Nothing is left unexplained: managers, the platform and other overheads cost the "
        "same in both, and the steps above take every other cost item (what remains is "
        "rounding).") if abs(rest) < 0.5 else _(
        "Not explained by the steps above: step 1 prices the same-service centre "
        "{gap:+,.0f} {currency} a month apart from today's cost and the steps (a cost "
        "item that changed otherwise, or a different calculation).").format(
        gap=rest, currency=cur)))
    rows = [(TODAY, "start", today, today, _(
        "What the centre costs today, from the client's in-house costs: {agents:,.0f} "
        "agents on the payroll, {leads} team leads, {managers:g} managers and {seats:,.0f} "
        "seats, with {night:.0%} of agent hours at night.").format(
        agents=a0, leads=costs.supervisors_needed(a0, span), managers=h.managers, seats=s0,
        night=n0))]
    rows += _incumbent_rows(result, today)
    level = today
    for label, amount, cause in steps:
        level += amount
        rows.append((label, "step", amount, level, cause))
    rows.append((SAME, "subtotal", same - today, same, _(
        "Step 1's in-house option: the client's own centre meeting the service targets on "
        "whole shifts, {change:+,.0f} {currency} a month against today.").format(
        change=same - today, currency=cur)))
    long = result.long
    months = long["month"].nunique()
    for option in long["option"].unique():
        if option == OPTIONS[0]:
            continue
        parts = long[long["option"] == option].groupby("component", sort=False)[
            "amount"].sum() / months
        cost = float(per_month[option])
        rows.append((option, "option", cost - same, cost,
                     _option_cause(parts, cost - same, cur)))
    return pd.DataFrame(rows, columns=["row", "kind", "amount", "total", "cause"])


def today_level(bridge: pd.DataFrame) -> tuple[str, float]:
    """Return today's whole cost of the service: its words and amount a month.

    The in-house centre plus the incumbent's invoices when a vendor answers part of the
    contacts, else the in-house centre alone.
    """
    rows = bridge.set_index("row")["total"]
    words = TODAY_TOTAL if TODAY_TOTAL in rows.index else AS_IS
    return words, float(rows[words])


def _incumbent_rows(result: SourcingResult, today: float) -> list[tuple]:
    """Return the rows of the incumbent's fees: today's whole cost, then taken back in-house.

    None when no vendor answers contacts today.
    """
    client = result.client
    fees = incumbent_fees(client)
    if fees.sum() <= 0:
        return []
    monthly = float(fees.mean())
    r = client.vendor_reports
    r = r[pd.PeriodIndex(r["month"], freq="M").isin(fees.index) & (
        r["vendor_id"].isin(client.decision.incumbent) if client.decision is not None
        and client.decision.incumbent else True)]
    names = client.vendors.set_index("vendor_id")["name"]
    who = ", ".join(f"{names.get(v, v)} ({v})" for v in dict.fromkeys(r["vendor_id"]))
    share = float(r["contacts_handled"].sum()) / float(client.demand["contacts"].sum())
    return [
        (INCUMBENT, "step", monthly, today + monthly, _(
            "{vendors} answers part of the contacts today ({share:.0%} of them): its "
            "invoices, a month on average over the demand year.").format(
            vendors=who, share=share)),
        (TODAY_TOTAL, "subtotal", monthly, today + monthly, _(
            "What the client pays today for the whole service: the in-house centre and the "
            "incumbent's invoices.")),
        (TAKEN_BACK, "step", -monthly, today, _(
            "The same-service centre answers every contact, so the incumbent's invoices "
            "stop; the steps below staff the centre for all the contacts."))]


def bridge_table(bridge: pd.DataFrame, currency: str) -> Styler:
    """Style the money bridge for the report, with the currency in the headers.

    Parameters
    ----------
    bridge : DataFrame
        :func:`money_bridge`.
    currency : str
        The currency shown in the headers.

    Returns
    -------
    Styler
        One row per line: the change it explains ("-" for the start) and the level
        ("-" for a step), both in ``currency`` per month, and why.
    """
    change = _("change, {currency} per month").format(currency=currency)
    level = _("level, {currency} per month").format(currency=currency)
    step = bridge["kind"] == "step"
    amount = bridge["amount"].where(bridge["amount"].abs() >= 0.5, 0.0)  # "+0", never "-0"
    t = pd.DataFrame({N_("bridge step"): bridge["row"].map(term),
                      change: amount.where(bridge["kind"] != "start"),
                      level: bridge["total"].where(~step), N_("why"): bridge["cause"]})
    return styled(t, {change: "{:+,.0f}", level: "{:,.0f}"},
                  _("From today's in-house cost to the same service, and to each "
                    "outsourced option"))


def bridge_chart(bridge: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the money bridge: a waterfall to the same service, then each option's cost.

    Parameters
    ----------
    bridge : DataFrame
        :func:`money_bridge`.
    currency : str
        The currency on the axis and in the hover labels.

    Returns
    -------
    Figure
        The waterfall from today's cost through its steps (cost added red, saved green)
        to the same-service centre, then one bar per outsourced option with a dotted
        line at the same-service level.

    Examples
    --------
    >>> b = pd.DataFrame({"row": ["Today", "More agents", "Same", "Shared"],
    ...                   "kind": ["start", "step", "subtotal", "option"],
    ...                   "amount": [100.0, 20.0, 20.0, -5.0],
    ...                   "total": [100.0, 120.0, 120.0, 115.0], "cause": [""] * 4})
    >>> fig = bridge_chart(b, "TWD")
    >>> list(fig.data[0].measure), list(fig.data[1].y)
    (['absolute', 'relative', 'total'], [115.0])
    """
    unit = _("{currency} per month").format(currency=currency)
    head = bridge[(bridge["kind"] != "option")
                  & ~((bridge["row"] == OTHER) & (bridge["amount"].abs() < 0.5))]
    opts = bridge[bridge["kind"] == "option"]
    measure = {"start": "absolute", "step": "relative", "subtotal": "total"}
    fig = go.Figure(go.Waterfall(
        x=head["row"].map(term).tolist(), y=head["amount"].where(
            head["kind"] != "subtotal", head["total"]).tolist(),
        measure=head["kind"].map(measure).tolist(), showlegend=False,
        increasing={"marker": {"color": "#cf222e"}},
        decreasing={"marker": {"color": "#2da44e"}}, totals={"marker": {"color": "#1f6feb"}},
        hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra></extra>"))
    same = float(bridge.loc[bridge["kind"] == "subtotal", "total"].iloc[-1])  # same service
    fig.add_trace(go.Bar(
        x=opts["row"].map(term).tolist(), y=opts["total"].tolist(), showlegend=False,
        marker_color=np.where(opts["amount"] < 0, "#2da44e", "#cf222e").tolist(), opacity=0.75,
        text=[f"{a:+,.0f}" for a in opts["amount"]], textposition="outside",
        hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra></extra>"))
    fig.add_hline(y=same, line_dash="dot", line_color="#57606a")
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(type="category", tickangle=-40)
    return finish(fig, _("From today's in-house cost to the same service, and to each "
                         "outsourced option"), height=560)
