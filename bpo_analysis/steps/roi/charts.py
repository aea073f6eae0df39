"""Figures of notebook 06 (the ROI review).

Cash flows, the tornado, the NPV histogram and plan against actual.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import PERCENTILE_MARKS, finish, month_labels
from bpo_analysis.i18n import N_, _, term

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
    language).
    """
    title = title or _("Cash flows of the move, month by month")
    x = month_labels(pd.PeriodIndex(by_group.index))
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Bar(x=x, y=by_group[g].to_numpy(), name=term(g),
                            marker_color=ROI_COLOURS.get(g),
                            hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>{g}</extra>")
                     for g in by_group.columns])
    fig.add_trace(go.Scatter(x=x, y=by_group.sum(axis=1).cumsum().to_numpy(),
                             name=_("cumulative net"), mode="lines+markers", yaxis="y2",
                             line={"color": "#24292f", "width": 2},
                             hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}"
                                           "<extra>cumulative net</extra>"))
    fig.update_layout(barmode="relative", yaxis2={
        "title": _("cumulative net ({currency})").format(currency=currency),
        "overlaying": "y", "side": "right",
        "tickformat": ",", "showgrid": False, "zeroline": True})
    fig.update_yaxes(title=unit, tickformat=",", selector={"side": None})
    fig.update_xaxes(title=_("month (the first: one-offs before go-live)"), type="category")
    mark = payback_marker(payback, len(x))
    fig.add_shape(type="line", x0=mark["x"], x1=mark["x"], y0=0, y1=1, yref="paper",
                  line={"dash": "dash", "color": "#1a7f37"}, visible=mark["visible"])
    fig.add_annotation(x=mark["x"], y=1, yref="paper", text=mark["text"], showarrow=False,
                       xanchor="right", yanchor="bottom", visible=mark["visible"])
    return finish(fig, title, height=460)


def tornado_labels(table: pd.DataFrame) -> list[str]:
    """Return the tornado's bar labels, smallest swing first (plotly draws upwards)."""
    t = table.iloc[::-1]
    return [f"{d} ({lo:g} .. {hi:g})" for d, lo, hi in zip(t["driver"], t["low"], t["high"],
                                                           strict=True)]


TORNADO_SIDES = (("npv_low", N_("driver at low"), "#fd8c73"),
                 ("npv_high", N_("driver at high"), "#54aeff"))


def tornado_chart(table: pd.DataFrame, npv: float, currency: str) -> go.Figure:
    """Plot the NPV with each driver at its low and high value (bars from the base NPV).

    Largest swing on top, from :func:`~bpo_analysis.steps.roi.model.tornado`.
    """
    t = table.iloc[::-1]
    fig = go.Figure([
        go.Bar(y=tornado_labels(table), x=(t[col] - npv).to_numpy(), base=npv,
               orientation="h", name=term(label), marker_color=colour,
               customdata=t[col].to_numpy(),
               hovertemplate=f"%{{y}}: NPV %{{customdata:,.0f}} {currency}<extra>{label}"
                             "</extra>")
        for col, label, colour in TORNADO_SIDES])
    fig.add_shape(type="line", x0=npv, x1=npv, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    fig.add_annotation(x=npv, y=1, yref="paper", text=f"NPV {npv:,.0f} {currency}",
                       showarrow=False, yanchor="bottom")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=_("net present value ({currency})").format(currency=currency),
                     tickformat=",")
    return finish(fig, _("Tornado: what moves the NPV most"), height=120 + 40 * len(t))


def npv_bins(npv: np.ndarray, p_positive: float, bins: int = 60) -> dict:
    """Return the NPV histogram's bars, the quantile marks and the title.

    The bars' centre, share of draws in %, width and colour; the quantile marks as one line
    trace (x and y with gaps).
    """
    counts, edges = np.histogram(npv, bins=bins)
    mid = (edges[:-1] + edges[1:]) / 2
    share = counts / counts.sum() * 100
    top = float(share.max()) * 1.08
    marks = np.percentile(npv, [q for q, _ in PERCENTILE_MARKS])
    return {"x": mid, "y": share, "width": np.diff(edges),
            "color": np.where(mid > 0, "#2da44e", "#cf222e"),
            "mark_x": [v for m in marks for v in (m, m, None)],
            "mark_y": [v for _ in marks for v in (0.0, top, None)],
            "title": _("NPV over {n:,} draws: P(NPV > 0) = {p:.0%}").format(
                n=len(npv), p=p_positive)}


def npv_histogram(npv: np.ndarray, currency: str, p_positive: float,
                  bins: int = 60) -> go.Figure:
    """Plot the distribution of the simulated NPVs, with the 5 %, median and 95 % marked.

    Binned here (the report does not carry every draw), the quantiles dotted, and zero.
    """
    b = npv_bins(npv, p_positive, bins)
    fig = go.Figure([
        go.Bar(x=b["x"], y=b["y"], width=b["width"], marker_color=b["color"],
               name=_("draws"),
               hovertemplate=f"NPV %{{x:,.0f}} {currency}: %{{y:.1f}} % of draws"
                             "<extra></extra>"),
        go.Scatter(x=b["mark_x"], y=b["mark_y"], mode="lines+text",
                   name=_("5 %, median, 95 %"),
                   line={"dash": "dot", "color": "#57606a"}, textposition="top center",
                   text=[t for _q, label in PERCENTILE_MARKS for t in ("", term(label), "")],
                   hovertemplate=f"%{{x:,.0f}} {currency}<extra></extra>")])
    fig.add_shape(type="line", x0=0, x1=0, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    fig.update_xaxes(title=_("net present value ({currency})").format(currency=currency),
                     tickformat=",")
    fig.update_yaxes(title=_("% of draws"))
    return finish(fig, b["title"])


def plan_vs_actual_chart(cumulative: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the cumulative net cash flow: the plan and actuals + plan.

    Actuals + plan for the months still to come (lines), the months run shaded;
    ``cumulative`` from :func:`roi_views.cumulative_plan_actual`.
    """
    x = month_labels(pd.PeriodIndex(cumulative.index))
    fig = go.Figure([go.Scatter(x=x, y=cumulative[c].to_numpy(), name=term(c), mode="lines",
                                line={"dash": dash, "width": 2},
                                hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}<extra>{c}"
                                              "</extra>")
                     for c, dash in ((N_("plan"), "dot"), (N_("actual + plan"), "solid"))])
    run = int(cumulative["run"].sum())
    if run:
        fig.add_vrect(x0=-0.5, x1=run - 0.5, fillcolor="rgba(84,174,255,0.12)",
                      line_width=0, annotation_text=_("months run"),
                      annotation_position="top left")
    fig.update_yaxes(title=_("cumulative net ({currency})").format(currency=currency),
                     tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Plan against actuals: cumulative net cash flow"))
