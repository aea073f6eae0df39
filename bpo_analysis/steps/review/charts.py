"""Figures of notebook 05 (the monthly review).

Control charts, reported against recomputed, volume against forecast.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bpo_analysis.core.charts import CHANNEL_COLOURS, PRINT_WIDTH, finish, fit_label, month_labels
from bpo_analysis.data.kpis import KPIS, fmt_value
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.i18n import month as month_label

__all__ = ["control_charts", "reported_vs_recomputed_chart", "volume_forecast_chart"]


def _kpi_axis(unit: str) -> tuple[str, str, float]:
    """Return the axis title, tick format and multiplier for a KPI unit (shares shown in %)."""
    if unit == "share":
        return "%", ".0%", 1.0
    return term(unit), ",.1f", 1.0


def _months(months: pd.Series) -> list[str]:
    """Return months given as 'YYYY-MM' as the axis labels them, in the report language."""
    return month_labels(pd.PeriodIndex(list(months), freq="M"))


def control_charts(charts: dict[str, pd.DataFrame], alerts: pd.DataFrame,
                   month: pd.Period | None = None, cols: int = 3) -> go.Figure:
    """Plot one Shewhart chart per KPI (value, centre line, control limits).

    Signals are marked (red: worse, green: better) and the reviewed month's worse alerts
    annotated; one legend for the panels.
    """
    ids = list(charts)
    if not ids:
        fig = go.Figure()
        fig.add_annotation(text=_("Too few months of records for control limits (at least "
                                  "3 are needed): the charts start with the third month."),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return finish(fig, _("Control charts"), height=200)
    rows = -(-len(ids) // cols)
    panel = (PRINT_WIDTH - 140) / cols - 10
    titles = [fit_label(f"{term(KPIS[k].name)} ({_kpi_axis(KPIS[k].unit)[0]})", panel, 16)
              for k in ids]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.12,
                        horizontal_spacing=0.07)
    lines = ((N_("the month's value"), "value", {"color": "#1f6feb"}),
             (N_("centre line (the baseline's mean)"), "centre", {"color": "#57606a",
                                                                  "width": 1}),
             (N_("control limits"), "ucl", {"color": "#57606a", "dash": "dash", "width": 1}),
             (N_("control limits"), "lcl", {"color": "#57606a", "dash": "dash", "width": 1}))
    for i, k in enumerate(ids):
        r, c = i // cols + 1, i % cols + 1
        ch = charts[k]
        x = month_labels(pd.PeriodIndex(ch.index))
        unit = KPIS[k].unit
        fmt = _kpi_axis(unit)[1]
        hover = f"%{{x}}: %{{y:{fmt}}} {'' if unit == 'share' else term(unit)}"
        for name, col, line in lines:
            fig.add_trace(go.Scatter(x=x, y=ch[col].to_numpy(), line=line, name=term(name),
                                     mode="lines+markers" if col == "value" else "lines",
                                     marker={"size": 5}, legendgroup=name,
                                     showlegend=i == 0 and col != "lcl",
                                     hovertemplate=hover + f"<extra>{term(name)}</extra>"),
                          row=r, col=c)
        sig = ch["signal"] != ""
        if sig.any():
            xs = [lab for lab, s in zip(x, sig, strict=True) if s]
            fig.add_trace(go.Scatter(
                x=xs, y=ch.loc[sig, "value"].to_numpy(), mode="markers", name=_(
                    "signal (red: worse, green: better)"), legendgroup="signal",
                showlegend=not any(t.legendgroup == "signal" for t in fig.data),
                marker={"size": 10, "symbol": "circle-open", "line": {"width": 2},
                        "color": np.where(ch.loc[sig, "worse"], "#cf222e", "#2da44e")},
                text=[term(t) for t in ch.loc[sig, "signal"]],
                hovertemplate="%{x}: %{text}<extra></extra>"), row=r, col=c)
        fig.update_yaxes(tickformat=fmt, row=r, col=c)
        fig.update_xaxes(type="category", row=r, col=c)
        if month is not None:
            now = alerts[(alerts["kpi"] == k) & (alerts["month"] == month) & alerts["worse"]]
            drawn = ch[["value", "ucl", "lcl"]].to_numpy(float)
            low, high = np.nanmin(drawn), np.nanmax(drawn)
            for _row, a in now.iterrows():
                change = fmt_value(a["change"], unit, signed=True)
                upper = (a["value"] - low) > 0.5 * ((high - low) or 1.0)  # label the other way
                fig.add_annotation(x=month_labels(pd.PeriodIndex([month]))[0], y=a["value"],
                                   text=_("{change} since {month}").format(
                                       change=change, month=month_label(a["since"])),
                                   showarrow=True, xanchor="right",
                                   arrowhead=2, ax=-30, ay=30 if upper else -30,
                                   font={"color": "#cf222e", "size": 10}, row=r, col=c)
    return finish(fig, _("Control charts: each KPI month by month, limits from the baseline"),
                   height=300 * rows)


def reported_vs_recomputed_chart(rec: pd.DataFrame, kpi_id: str) -> go.Figure:
    """Plot one KPI as the vendor reported it and as the records give it.

    Per month and channel (from :func:`~bpo_analysis.steps.review.calc.reconcile`).
    """
    r = rec[rec["kpi"] == kpi_id]
    unit = KPIS[kpi_id].unit
    title, fmt, _scale = _kpi_axis(unit)
    fig = go.Figure()
    for ch, g in r.groupby("channel", sort=False):
        colour = CHANNEL_COLOURS.get(str(ch), "#57606a")
        x = _months(g["month"])
        reported = _("{channel}: reported").format(channel=term(ch))
        records = _("{channel}: from the records ({variant})").format(
            channel=term(ch), variant=term(g["definition"].iloc[0]))
        fig.add_trace(go.Scatter(x=x, y=g["reported"].to_numpy(), mode="lines+markers",
                                 name=reported, line={"color": colour, "dash": "dot"},
                                 hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{reported}"
                                               "</extra>"))
        fig.add_trace(go.Scatter(x=x, y=g["recomputed"].to_numpy(), mode="lines+markers",
                                 name=records, line={"color": colour},
                                 hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{records}"
                                               "</extra>"))
    name = term(KPIS[kpi_id].name)
    fig.update_yaxes(title=f"{name} ({title})", tickformat=fmt)
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("{kpi}: the vendor's report against the records").format(kpi=name))


def volume_forecast_chart(volume: pd.DataFrame) -> go.Figure:
    """Plot contacts offered (bars) against the forecast (lines), per month and channel."""
    fig = go.Figure()
    for ch, g in volume.groupby("channel", sort=False):
        colour = CHANNEL_COLOURS.get(str(ch), "#57606a")
        x = _months(g["month"])
        offered = _("{channel}: offered").format(channel=term(ch))
        forecast = _("{channel}: forecast").format(channel=term(ch))
        fig.add_trace(go.Bar(x=x, y=g["actual"].to_numpy(), name=offered,
                             marker_color=colour, opacity=0.7,
                             hovertemplate=_("{month}: {n} contacts").format(
                                 month="%{x}", n="%{y:,.0f}") + f"<extra>{offered}</extra>"))
        fig.add_trace(go.Scatter(x=x, y=g["forecast"].to_numpy(), mode="lines", name=forecast,
                                 line={"color": colour, "dash": "dash"},
                                 hovertemplate=_("{month}: {n} contacts").format(
                                     month="%{x}", n="%{y:,.0f}")
                                               + f"<extra>{forecast}</extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("contacts per month"), tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Volume against forecast"))


# ---------------------------------------------------------------- step 6: ROI
