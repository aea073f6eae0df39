"""Figures of notebook 05 (the monthly review).

Control charts, reported against recomputed, volume against forecast.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import CHANNEL_COLOURS, finish, month_labels
from bpo_analysis.data.kpis import KPIS, fmt_value
from bpo_analysis.i18n import _, term
from bpo_analysis.i18n import month as month_label

__all__ = ["control_charts", "reported_vs_recomputed_chart", "volume_forecast_chart"]


def _kpi_axis(unit: str) -> tuple[str, str, float]:
    """Return the axis title, tick format and multiplier for a KPI unit (shares shown in %)."""
    if unit == "share":
        return "%", ".0%", 1.0
    return term(unit), ",.1f", 1.0


def control_charts(charts: dict[str, pd.DataFrame], alerts: pd.DataFrame,
                   month: pd.Period | None = None, cols: int = 3) -> go.Figure:
    """Plot one Shewhart chart per KPI (value, centre line, control limits).

    Signals are marked (red: worse, green: better) and the reviewed month's worse alerts
    annotated.
    """
    from plotly.subplots import make_subplots

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
    titles = [f"{term(KPIS[k].name)} ({_kpi_axis(KPIS[k].unit)[0]})" for k in ids]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.09,
                        horizontal_spacing=0.07)
    for i, k in enumerate(ids):
        r, c = i // cols + 1, i % cols + 1
        ch = charts[k]
        x = month_labels(pd.PeriodIndex(ch.index))
        unit = KPIS[k].unit
        fmt = _kpi_axis(unit)[1]
        hover = f"%{{x}}: %{{y:{fmt}}} {'' if unit == 'share' else unit}"
        fig.add_trace(go.Scatter(x=x, y=ch["value"].to_numpy(), mode="lines+markers",
                                 line={"color": "#1f6feb"}, marker={"size": 5},
                                 name=term(KPIS[k].name), showlegend=False,
                                 hovertemplate=hover + "<extra>value</extra>"), row=r, col=c)
        for col, dash, label in (("centre", "solid", _("centre")), ("ucl", "dash", "UCL"),
                                 ("lcl", "dash", "LCL")):
            fig.add_trace(go.Scatter(x=x, y=ch[col].to_numpy(), mode="lines",
                                     line={"color": "#57606a", "dash": dash, "width": 1},
                                     showlegend=False, name=label,
                                     hovertemplate=hover + f"<extra>{label}</extra>"),
                          row=r, col=c)
        sig = ch["signal"] != ""
        if sig.any():
            xs = [lab for lab, s in zip(x, sig, strict=True) if s]
            fig.add_trace(go.Scatter(
                x=xs, y=ch.loc[sig, "value"].to_numpy(), mode="markers", showlegend=False,
                marker={"size": 10, "symbol": "circle-open", "line": {"width": 2},
                        "color": np.where(ch.loc[sig, "worse"], "#cf222e", "#2da44e")},
                text=ch.loc[sig, "signal"].to_numpy(), name=_("signal"),
                hovertemplate="%{x}: %{text}<extra>signal</extra>"), row=r, col=c)
        fig.update_yaxes(tickformat=fmt, row=r, col=c)
        fig.update_xaxes(type="category", tickangle=-45, nticks=8, row=r, col=c)
        if month is not None:
            now = alerts[(alerts["kpi"] == k) & (alerts["month"] == month) & alerts["worse"]]
            for _row, a in now.iterrows():
                change = fmt_value(a["change"], unit, signed=True)
                fig.add_annotation(x=month_labels(pd.PeriodIndex([month]))[0], y=a["value"],
                                   text=_("{change} since {month}").format(
                                       change=change, month=month_label(a["since"])),
                                   showarrow=True,
                                   arrowhead=2, ax=-50, ay=-30, font={"color": "#cf222e",
                                                                      "size": 10},
                                   row=r, col=c)
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
        x = list(g["month"])
        fig.add_trace(go.Scatter(x=x, y=g["reported"].to_numpy(), mode="lines+markers",
                                 name=_("{channel}: reported").format(channel=term(ch)),
                                 line={"color": colour, "dash": "dot"},
                                 hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{ch} reported"
                                               "</extra>"))
        fig.add_trace(go.Scatter(x=x, y=g["recomputed"].to_numpy(), mode="lines+markers",
                                 name=_("{channel}: from the records ({variant})").format(
                                     channel=term(ch), variant=g["definition"].iloc[0]),
                                 line={"color": colour},
                                 hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{ch} records"
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
        fig.add_trace(go.Bar(x=list(g["month"]), y=g["actual"].to_numpy(),
                             name=_("{channel}: offered").format(channel=term(ch)),
                             marker_color=colour, opacity=0.7,
                             hovertemplate="%{x}: %{y:,.0f} contacts<extra>" + str(ch)
                                           + " offered</extra>"))
        fig.add_trace(go.Scatter(x=list(g["month"]), y=g["forecast"].to_numpy(),
                                 mode="lines",
                                 name=_("{channel}: forecast").format(channel=term(ch)),
                                 line={"color": colour, "dash": "dash"},
                                 hovertemplate="%{x}: %{y:,.0f} contacts<extra>" + str(ch)
                                               + " forecast</extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("contacts per month"), tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Volume against forecast"))


# ---------------------------------------------------------------- step 6: ROI
