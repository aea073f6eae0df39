"""Figures of notebook 01 (the sourcing model).

The options' costs, break-even, idle time, the horizon and shifts.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bpo_analysis.core.charts import finish, month_labels, palette
from bpo_analysis.i18n import N_, _, term, weekday
from bpo_analysis.steps.sourcing.options import OPTIONS

__all__ = ["OPTION_COLOURS", "break_even_chart", "component_colours", "cost_item",
           "cost_per_contact_by_option", "horizon_chart", "idle_chart",
           "option_components_chart", "option_monthly_chart",
           "option_monthly_components_chart", "shift_starts_chart"]


OPTION_COLOURS = ["#57606a", "#1f6feb", "#bf8700", "#2da44e", "#8250df"]
#: The options' cost items the charts name (translated with ``term``).
_ITEMS = (N_("Agent pay"), N_("Agent insurance and benefits"), N_("Night-shift premium"),
          N_("Supervisors"), N_("Managers"), N_("Recruiting and training"), N_("Seats: rent"),
          N_("Seats: equipment"), N_("Seats: IT licences"), N_("Platform (ACD/IVR/WFM)"),
          N_("Other overhead"), N_("Per-contact charges"), N_("Volume-band adjustment"),
          N_("Minimum top-up"), N_("Dedicated seats"), N_("Dedicated base seats"),
          N_("Overflow per contact"))


def option_monthly_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the cost per month of every option (lines), from :func:`sourcing.option_costs`."""
    monthly = long.groupby(["option", "month"], sort=False)["amount"].sum()
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Scatter(x=month_labels(pd.PeriodIndex(monthly[o].index)),
                                y=monthly[o].to_numpy(), name=term(o), mode="lines+markers",
                                line={"color": c},
                                hovertemplate=f"{term(o)}<br>%{{x}}: %{{y:,.0f}} {unit}"
                                              "<extra></extra>")
                     for o, c in zip(long["option"].unique(), OPTION_COLOURS, strict=False)])
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Monthly cost of each sourcing option"))


def component_colours(long: pd.DataFrame) -> dict[str, str]:
    """Return a colour for each cost item of the options, one per item whatever the option.

    The partial option's "In-house: Agent pay" is the in-house option's "Agent pay"; an
    item that is zero all along is left out.
    """
    amount = long.groupby(long["component"].map(cost_item), sort=False)["amount"].sum()
    items = list(amount.index[amount.abs() > 0])
    return dict(zip(items, palette(len(items)), strict=True))


def cost_item(component: str) -> str:
    """Return the cost item a component is ("In-house: Agent pay" -> "Agent pay")."""
    return component.removeprefix("In-house: ").removeprefix("Shared: ")


def option_components_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the period's cost of each option, stacked by cost item, one colour an item."""
    t = long.groupby(["option", "component"], sort=False)["amount"].sum().reset_index()
    t["item"] = t["component"].map(cost_item)
    colours = component_colours(long)
    unit = _("{currency} over the period").format(currency=currency)
    fig = go.Figure([go.Bar(x=part["amount"], y=[term(o) for o in part["option"]],
                            name=term(item), orientation="h", marker_color=colours[item],
                            hovertemplate="%{y}<br>" + term(item) + ": %{x:,.0f} " + unit
                                          + "<extra></extra>")
                     for item, part in t.groupby("item", sort=False) if item in colours])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=unit, tickformat=",")
    return finish(fig, _("What each option costs, by cost item"), 380)


def cost_per_contact_by_option(summary: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the cost per contact of each option, cheapest first.

    From :func:`~bpo_analysis.steps.sourcing.options.option_summary`.
    """
    unit = _("{currency} per contact").format(currency=currency)
    fig = go.Figure(go.Bar(x=[term(o) for o in summary.index], y=summary["per_contact"],
                           marker_color="#1f6feb",
                           text=[f"{v:,.1f}" for v in summary["per_contact"]],
                           textposition="outside",
                           hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra></extra>"))
    fig.update_yaxes(title=unit)
    return finish(fig, _("Cost per contact handled, by option"), 380)


def break_even_chart(curve: pd.DataFrame, a: str, b: str, volumes: Sequence[float],
                     today: float, currency: str) -> go.Figure:
    """Plot the monthly cost of two options as the volume varies, every break-even marked.

    ``curve`` is :func:`~bpo_analysis.steps.sourcing.breakeven.cost_curve` and
    ``volumes`` the break-evens of ``a`` and ``b`` on it
    (:func:`~bpo_analysis.steps.sourcing.breakeven.crossings`, contacts per month): each
    is a red line and a point on the curves; ``today`` (contacts per month) a dotted line.
    Their labels take one row each, top down in the order of volume, so that no label
    covers another however close the volumes.
    """
    unit = _("{currency} per month").format(currency=currency)
    per_month = _("contacts per month")
    x = curve["contacts_per_month"].to_numpy(float)
    fig = go.Figure([go.Scatter(x=x, y=curve[o], name=term(o), mode="lines",
                                hovertemplate="%{x:,.0f} " + per_month + ": %{y:,.0f} "
                                              + unit + "<extra>" + term(o) + "</extra>",
                                line={"color": dict(zip(OPTIONS, OPTION_COLOURS,
                                                        strict=True)).get(o)})
                     for o in (a, b)])
    at = [float(v) for v in volumes]
    if at:
        fig.add_trace(go.Scatter(
            x=at, y=np.interp(at, x, curve[a].to_numpy(float)), mode="markers",
            name=_("break-even"), marker={"color": "#cf222e", "size": 9},
            hovertemplate="%{x:,.0f} " + per_month + ": %{y:,.0f} " + unit
                          + "<extra>" + _("break-even") + "</extra>"))
    marks = sorted([(today, _("today: {n:,.0f} contacts per month").format(n=today),
                     "#57606a", "dot")]
                   + [(v, _("break-even: {n:,.0f} contacts per month").format(n=v), "#cf222e",
                       "solid") for v in at])
    middle = (x[0] + x[-1]) / 2
    for row, (v, text, colour, dash) in enumerate(marks):
        fig.add_vline(x=v, line_color=colour, line_dash=dash)
        fig.add_annotation(x=v, y=1 - _LABEL_ROW * row, yref="paper", yanchor="top",
                           text=text, showarrow=False, font={"color": colour},
                           xanchor="left" if v <= middle else "right",
                           bgcolor="rgba(255,255,255,0.85)")
    fig.update_xaxes(title=per_month, tickformat=",")
    fig.update_yaxes(title=unit, tickformat=",")
    return finish(fig, _("Break-even: {a} vs {b}").format(a=term(a), b=term(b)))


#: Height of one row of labels on :func:`break_even_chart`, share of the plot's height.
_LABEL_ROW = 0.08


def idle_chart(idle: pd.DataFrame) -> go.Figure:
    """Plot the share of productive agent time left idle per month.

    From :func:`~bpo_analysis.steps.sourcing.calc.idle_by_month`.
    """
    x = month_labels(idle.index)
    fig = go.Figure([go.Bar(x=x, y=idle[c] * 100, name=term(c),
                            hovertemplate=_("{month}: {share} % idle").format(
                                month="%{x}", share="%{y:.1f}") + f"<extra>{term(c)}</extra>")
                     for c in idle.columns])
    fig.update_yaxes(title=_("idle share of productive time (%)"), ticksuffix=" %")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Idle agents: dedicated seats sized to the peak sit idle off-peak"))


def option_monthly_components_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """Plot each option's monthly cost stacked by cost item: one panel per option, same scale.

    One colour and one legend entry per cost item, whichever panels it is in.
    """
    options = list(long["option"].unique())
    fig = make_subplots(rows=len(options), cols=1, shared_xaxes=True,
                        subplot_titles=[term(o) for o in options], vertical_spacing=0.05)
    unit = _("{currency} per month").format(currency=currency)
    colours, shown = component_colours(long), set()
    for row, option in enumerate(options, start=1):
        part = long[long["option"] == option]
        for comp, rows in part.groupby("component", sort=False):
            item = cost_item(comp)
            if item not in colours:
                continue
            fig.add_trace(go.Bar(x=month_labels(pd.PeriodIndex(rows["month"])),
                                 y=rows["amount"], name=term(item), legendgroup=item,
                                 showlegend=item not in shown, marker_color=colours[item],
                                 hovertemplate=f"{term(option)}<br>{term(item)}<br>%{{x}}: "
                                               f"%{{y:,.0f}} {unit}<extra></extra>"),
                          row=row, col=1)
            shown.add(item)
        fig.update_yaxes(tickformat=",", row=row, col=1)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(matches="y")  # one scale for all panels: heights compare across options
    fig.update_yaxes(title_text=unit, row=(len(options) + 1) // 2, col=1)
    return finish(fig, _("Monthly cost of each option, by cost item"),
                  height=200 * len(options))


def horizon_chart(horizon: pd.DataFrame, currency: str, value: str = "amount") -> go.Figure:
    """Plot the cumulative cost of every option over the planning horizon (lines).

    From :func:`~bpo_analysis.steps.sourcing.horizon.horizon_costs`; ``value`` "amount"
    (nominal) or "pv".
    """
    monthly = horizon.groupby(["option", "month"], sort=False)[value].sum()
    unit = (_("{currency}, cumulative present value") if value == "pv"
            else _("{currency}, cumulative")).format(currency=currency)
    fig = go.Figure([go.Scatter(x=month_labels(pd.PeriodIndex(monthly[o].index)),
                                y=monthly[o].cumsum().to_numpy(), name=term(o), mode="lines",
                                line={"color": c},
                                hovertemplate=f"{term(o)}<br>%{{x}}: %{{y:,.0f}} {unit}"
                                              "<extra></extra>")
                     for o, c in zip(horizon["option"].unique(), OPTION_COLOURS, strict=False)])
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Cumulative cost over the {months}-month planning horizon").format(
        months=monthly.index.get_level_values(1).nunique()))


def shift_starts_chart(by_start: pd.DataFrame) -> go.Figure:
    """Plot the average in-house shifts starting at each clock time, per weekday.

    Grouped bars, from :meth:`workforce.Shifts.by_start`.
    """
    fig = go.Figure([go.Bar(x=list(by_start.index), y=by_start[d].to_numpy(),
                            name=weekday(str(d)),
                            hovertemplate=_("{day} {time}: {n} shifts start").format(
                                day=weekday(str(d)), time="%{x}", n="%{y:.1f}")
                                          + "<extra></extra>")
                     for d in by_start.columns])
    fig.update_yaxes(title=_("shifts starting (average per day)"))
    fig.update_xaxes(title=_("shift start (local time)"), type="category")
    return finish(fig, _("In-house shifts: when they start"))


# ---------------------------------------------------------------- step 2: vendors
