"""Figures of notebook 00 (the client profile).

Demand, channel mix, peaks and today's costs (the weekday x time-of-day heatmap is
:func:`bpo_analysis.core.heatmaps.demand_heatmap`, shared with step 1).

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import (
    CHANNEL_COLOURS,
    PRINT_WIDTH,
    finish,
    month_labels,
    text_width,
)
from bpo_analysis.i18n import _, day, term, weekday

__all__ = ["baseline_cost_chart", "channel_mix_chart", "cost_per_contact_chart",
           "daily_volume_chart", "month_ticks", "monthly_volume_chart"]


def monthly_volume_chart(monthly: pd.DataFrame) -> go.Figure:
    """Plot stacked contacts per month and channel, from :func:`demand.monthly_volume`."""
    x = month_labels(monthly.index)
    fig = go.Figure([go.Bar(x=x, y=monthly[ch], name=term(ch), marker_color=CHANNEL_COLOURS[ch],
                            hovertemplate=_("{when} {channel}: {n} contacts").format(
                                when="%{x}", channel=term(ch), n="%{y:,.0f}")
                                          + "<extra></extra>")
                     for ch in ("voice", "chat", "email")])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("contacts per month"), tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Seasonality: contacts per month"))


def channel_mix_chart(mix: pd.DataFrame) -> go.Figure:
    """Plot share of contacts vs share of workload per channel (:func:`demand.channel_mix`)."""
    fig = go.Figure([
        go.Bar(y=[_("contacts"), _("workload (contacts x AHT)")],
               x=[mix.loc[ch, "contact_share"] * 100, mix.loc[ch, "workload_share"] * 100],
               name=term(ch), orientation="h", marker_color=CHANNEL_COLOURS[ch],
               customdata=[[mix.loc[ch, "contacts"], _("contacts")],
                           [mix.loc[ch, "workload_h"], _("hours")]],
               hovertemplate=term(ch) + ": %{x:.1f} % (%{customdata[0]:,.0f} "
                                        "%{customdata[1]})<extra></extra>")
        for ch in mix.index])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=_("share of the period (%)"), range=[0, 100], ticksuffix=" %")
    return finish(fig, _("Channel mix: contacts and the work they bring"), height=300)


def daily_volume_chart(daily: pd.DataFrame, episodes: pd.DataFrame) -> go.Figure:
    """Plot contacts per day and channel, unusual episodes shaded and labelled."""
    days = [f"{weekday(f'{d:%a}')} {day(d)}" for d in daily.index]
    fig = go.Figure([go.Scatter(x=daily.index, y=daily[ch], name=term(ch), mode="lines",
                                line={"color": CHANNEL_COLOURS[ch], "width": 1.2},
                                customdata=days, hovertemplate=_(
                                    "{when}: {n} contacts, {channel}").format(
                                    when="%{customdata}", n="%{y:,.0f}", channel=term(ch))
                                              + "<extra></extra>")
                     for ch in ("voice", "chat", "email", "total")])
    px = (PRINT_WIDTH - 160) / max((daily.index.max() - daily.index.min()).days, 1)
    ends: list[float] = []  # the right end of the labels on each row, px from the start
    for e in episodes.sort_values("start").itertuples():
        colour = "rgba(207,34,46,0.15)" if e.kind == "peak" else "rgba(87,96,106,0.12)"
        start = e.start - pd.Timedelta(hours=12)
        fig.add_vrect(x0=start, x1=e.end + pd.Timedelta(hours=12), fillcolor=colour,
                      line_width=0)
        text = _("{kind} x{ratio:.1f}").format(kind=term(e.kind), ratio=e.peak_ratio)
        at = (start - daily.index.min()).days * px
        row = next((r for r, end in enumerate(ends) if at >= end), len(ends))
        ends[row:row + 1] = [at + text_width(text, 10) + 6]
        fig.add_annotation(x=start, y=1, yref="paper", xanchor="left", yanchor="top",
                           yshift=-18 * row, text=text, showarrow=False, font={"size": 10})
    fig.update_yaxes(title=_("contacts per day"), tickformat=",")
    fig.update_xaxes(title=_("date"), **month_ticks(daily.index))
    return finish(fig, _("Daily volume, with unusual days shaded (ratio to the usual day)"))


def month_ticks(dates: pd.DatetimeIndex) -> dict:
    """Return a date axis's ticks: the first of every k-th month, labelled in the report language.

    Every k-th month so that the labels fit side by side on a printed page.
    """
    starts = pd.date_range(dates.min(), dates.max(), freq="MS")
    text = month_labels(starts.to_period("M"))
    slot = (PRINT_WIDTH - 160) / max(len(starts), 1)
    k = next(k for k in (1, 2, 3, 4, 6, 12, len(starts) or 1)
             if k * slot >= max(map(text_width, text), default=0) + 8)
    return {"tickmode": "array", "tickvals": list(starts[::k]), "ticktext": text[::k]}


def baseline_cost_chart(items: pd.DataFrame, currency: str) -> go.Figure:
    """Plot horizontal bars of the in-house monthly cost items (:func:`costs.inhouse_baseline`)."""
    d = items.sort_values("monthly")
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure(go.Bar(x=d["monthly"], y=[term(i) for i in d["item"]], orientation="h",
                           marker_color="#1f6feb", customdata=d[["basis"]],
                           text=[f"{v:,.0f}" for v in d["monthly"]], textposition="auto",
                           hovertemplate="%{y}: %{x:,.0f} " + unit
                                         + "<br>%{customdata[0]}<extra></extra>"))
    fig.update_xaxes(title=unit, tickformat=",")
    total = float(items["monthly"].sum())
    return finish(fig, _("In-house cost today: {total:,.0f} {unit}").format(
        total=total, unit=unit), height=460)


def cost_per_contact_chart(by_month: pd.DataFrame, currency: str) -> go.Figure:
    """Plot flat monthly cost over seasonal volume: the in-house cost per contact by month."""
    x = month_labels(by_month.index)
    unit = _("{currency} per contact").format(currency=currency)
    fig = go.Figure(go.Bar(x=x, y=by_month["cost_per_contact"], marker_color="#8250df",
                           text=[f"{v:,.1f}" for v in by_month["cost_per_contact"]],
                           textposition="outside",
                           hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra></extra>"))
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("In-house cost per contact by month (fixed cost, seasonal volume)"))


# ---------------------------------------------------------------- step 1: sourcing options
