"""Figures of notebook 06 (the ROI review).

Cash flows, the tornado, the NPV histogram and plan against actual.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import (
    PERCENTILE_MARKS,
    aligned_ranges,
    amount_axis,
    finish,
    mark_values,
    month_labels,
)
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.roi.words import DRIVERS, driver_value

__all__ = ["ROI_COLOURS", "TORNADO_SIDES", "cash_flow_chart", "npv_bins",
           "npv_histogram", "payback_marker", "plan_vs_actual_chart", "tornado_chart",
           "tornado_labels"]


ROI_COLOURS = {N_("Vendor fees"): "#cf222e", N_("Retained (hidden) costs"): "#fd8c73",
               N_("One-off"): "#8250df", N_("Exit / transition back"): "#6e7781",
               N_("In-house cost avoided"): "#1f6feb", N_("Benefits"): "#2da44e"}


def payback_marker(payback: float | None, months: int) -> dict:
    """Return where the cash-flow chart marks the payback.

    The month index (the first month at or after it), the label, and whether it shows (not
    when there is no payback).
    """
    at = months - 1 if payback is None else min(int(np.ceil(payback)), months - 1)
    return {"x": at, "visible": payback is not None,
            "text": "" if payback is None else _("payback after {months:.1f} months").format(
                months=payback)}


def cash_flow_chart(by_group: pd.DataFrame, payback: float | None, currency: str,
                    title: str = "") -> go.Figure:
    """Plot the monthly cash flows by group and the cumulative net.

    Monthly cash flows by group (bars: gains up, costs down) and the cumulative net
    (line, right axis), with the payback month marked; ``by_group`` has one column per
    group and one row per month (signed, currency), from :func:`roi_views.by_group`;
    ``title`` defaults to "Cash flows of the move, month by month" (in the report
    language). Both axes in round steps of a scaled unit ("TWD M"), their zeros at one
    height: the line crosses the bars' zero line where the cumulative net turns positive.
    """
    title = title or _("Cash flows of the move, month by month")
    x = month_labels(pd.PeriodIndex(by_group.index))
    flows = by_group.to_numpy(float)
    cumulative = flows.sum(axis=1).cumsum()
    spans = aligned_ranges([(np.clip(flows, None, 0).sum(axis=1).min(initial=0.0),
                             np.clip(flows, 0, None).sum(axis=1).max(initial=0.0)),
                            (cumulative.min(initial=0.0), cumulative.max(initial=0.0))])
    (bars, bar_unit), (line, line_unit) = (amount_axis(*s, currency) for s in spans)
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Bar(x=x, y=by_group[g].to_numpy(), name=term(g),
                            marker_color=ROI_COLOURS.get(g),
                            hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>{term(g)}</extra>")
                     for g in by_group.columns])
    fig.add_trace(go.Scatter(x=x, y=cumulative, name=_("cumulative net"),
                             mode="lines+markers", yaxis="y2",
                             line={"color": "#24292f", "width": 2},
                             hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}<extra>"
                                           + _("cumulative net") + "</extra>"))
    fig.update_layout(barmode="relative", yaxis={
        **bars, "title": _("{currency} per month").format(currency=bar_unit)}, yaxis2={
        **line, "title": _("cumulative net ({currency})").format(currency=line_unit),
        "overlaying": "y", "side": "right", "showgrid": False, "zeroline": False})
    fig.update_xaxes(title=_("month (the first: one-offs before go-live)"), type="category")
    mark = payback_marker(payback, len(x))
    fig.add_shape(type="line", x0=mark["x"], x1=mark["x"], y0=0, y1=1, yref="paper",
                  line={"dash": "dash", "color": "#1a7f37"}, visible=mark["visible"])
    fig.add_annotation(x=mark["x"], y=1, yref="paper", text=mark["text"], showarrow=False,
                       xanchor="right", yanchor="bottom", visible=mark["visible"])
    return finish(fig, title, height=460)


def tornado_labels(table: pd.DataFrame, currency: str = "") -> list[str]:
    """Return the tornado's bar labels, smallest swing first (plotly draws upwards).

    Each driver by its name with its low and high value ("Wage inflation (a year): 1.5 %
    to 4.0 %").
    """
    t = table.iloc[::-1]
    return [_("{driver}: {low} to {high}").format(
                driver=term(DRIVERS[d][0]), low=driver_value(d, lo, currency),
                high=driver_value(d, hi, currency)) if d in DRIVERS else f"{d} ({lo:g}, {hi:g})"
            for d, lo, hi in zip(t["driver"], t["low"], t["high"], strict=True)]


TORNADO_SIDES = (("npv_low", N_("driver at low"), "#fd8c73"),
                 ("npv_high", N_("driver at high"), "#54aeff"))


def tornado_chart(table: pd.DataFrame, npv: float, currency: str) -> go.Figure:
    """Plot the NPV with each driver at its low and high value (bars from the base NPV).

    Largest swing on top, from :func:`~bpo_analysis.steps.roi.model.tornado`; the NPV in
    round steps of a scaled unit ("TWD M").
    """
    t = table.iloc[::-1]
    ends = np.r_[t["npv_low"].to_numpy(float), t["npv_high"].to_numpy(float), npv]
    pad = 0.05 * (ends.max() - ends.min() or abs(npv) or 1.0)
    axis, unit = amount_axis(ends.min() - pad, ends.max() + pad, currency)
    fig = go.Figure([
        go.Bar(y=tornado_labels(table, currency), x=(t[col] - npv).to_numpy(), base=npv,
               orientation="h", name=term(label), marker_color=colour,
               customdata=t[col].to_numpy(),
               hovertemplate=f"%{{y}}: NPV %{{customdata:,.0f}} {currency}<extra>"
                             f"{term(label)}</extra>")
        for col, label, colour in TORNADO_SIDES])
    fig.add_shape(type="line", x0=npv, x1=npv, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    fig.add_annotation(x=npv, y=1, yref="paper", text=f"NPV {npv:,.0f} {currency}",
                       showarrow=False, yanchor="bottom")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(**axis, title=_("net present value ({currency})").format(currency=unit))
    return finish(fig, _("Tornado: what moves the NPV most"), height=140 + 44 * len(t))


def npv_bins(npv: np.ndarray, p_positive: float, bins: int = 60) -> dict:
    """Return the NPV histogram's bars, the quantile marks, the x range and the title.

    The bars' centre, share of draws in %, width and colour; the NPV at each of
    :data:`PERCENTILE_MARKS`; the range from the lowest bin to the highest, zero included.
    """
    counts, edges = np.histogram(npv, bins=bins)
    mid = (edges[:-1] + edges[1:]) / 2
    low, high = min(float(edges[0]), 0.0), max(float(edges[-1]), 0.0)
    return {"x": mid, "y": counts / counts.sum() * 100, "width": np.diff(edges),
            "color": np.where(mid > 0, "#2da44e", "#cf222e"),
            "marks": np.percentile(npv, [q for q, _ in PERCENTILE_MARKS]).tolist(),
            "range": (low - 0.02 * (high - low), high + 0.02 * (high - low)),
            "title": _("NPV over {n:,} draws: P(NPV > 0) = {p:.0%}").format(
                n=len(npv), p=p_positive)}


def npv_histogram(npv: np.ndarray, currency: str, p_positive: float,
                  bins: int = 60) -> go.Figure:
    """Plot the distribution of the simulated NPVs, with the 5 %, median and 95 % marked.

    Binned here (the report does not carry every draw), the quantiles dotted, and zero.
    """
    b = npv_bins(npv, p_positive, bins)
    axis, unit = amount_axis(*b["range"], currency)
    fig = go.Figure(go.Bar(x=b["x"], y=b["y"], width=b["width"], marker_color=b["color"],
                           name=_("draws"),
                           hovertemplate=_("NPV {x} {currency}: {y} % of draws").format(
                               x="%{x:,.0f}", currency=currency, y="%{y:.1f}")
                           + "<extra></extra>"))
    fig.add_shape(type="line", x0=0, x1=0, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    mark_values(fig, [(x, term(label)) for x, (_q, label) in zip(
        b["marks"], PERCENTILE_MARKS, strict=True)], *b["range"])
    fig.update_xaxes(**axis, title=_("net present value ({currency})").format(currency=unit))
    fig.update_yaxes(title=_("% of draws"))
    return finish(fig, b["title"])


def plan_vs_actual_chart(cumulative: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the cumulative net cash flow: the plan and actuals + plan.

    Actuals + plan for the months still to come (lines), the months run shaded;
    ``cumulative`` from :func:`roi_views.cumulative_plan_actual`.
    """
    x = month_labels(pd.PeriodIndex(cumulative.index))
    lines = ((N_("plan"), "dot"), (N_("actual + plan"), "solid"))
    values = cumulative[[c for c, _dash in lines]].to_numpy(float)
    ((low, high),) = aligned_ranges([(values.min(), values.max())])
    axis, unit = amount_axis(low, high, currency)
    fig = go.Figure([go.Scatter(x=x, y=cumulative[c].to_numpy(), name=term(c), mode="lines",
                                line={"dash": dash, "width": 2},
                                hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}<extra>{term(c)}"
                                              "</extra>")
                     for c, dash in lines])
    run = int(cumulative["run"].sum())
    if run:
        fig.add_vrect(x0=-0.5, x1=run - 0.5, fillcolor="rgba(84,174,255,0.12)",
                      line_width=0, annotation_text=_("months run"),
                      annotation_position="top left")
    fig.update_yaxes(**axis, title=_("cumulative net ({currency})").format(currency=unit))
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Plan against actuals: cumulative net cash flow"))
