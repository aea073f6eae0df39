"""Figures of notebook 04 (the contract and SLA): the payout and the miss curves.

The back-test of credits month by month is
:func:`bpo_analysis.core.sla_charts.credits_chart`, shared with step 5.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bpo_analysis.core.charts import PERCENTILE_MARKS, PRINT_WIDTH, finish, fit_label, mark_values
from bpo_analysis.core.sla_lines import line_name, split
from bpo_analysis.data.kpis import KPIS
from bpo_analysis.i18n import _, term

__all__ = ["miss_curve_chart", "payout_chart"]


def payout_chart(net: np.ndarray, currency: str) -> go.Figure:
    """Plot the distribution of a year's net credits over the simulated years.

    A histogram, with the 5th percentile, the median and the 95th marked; labels that
    would touch are set one above the other.
    """
    unit = _("{currency} a year").format(currency=currency)
    fig = go.Figure(go.Histogram(x=net, nbinsx=60, histnorm="percent",
                                 name=_("simulated years"),
                                 hovertemplate=_("{amount}: {share} % of years").format(
                                     amount="%{x} " + unit, share="%{y:.1f}")
                                               + "<extra></extra>"))
    mark_values(fig, [(float(np.percentile(net, q)), term(label))
                      for q, label in PERCENTILE_MARKS], float(np.min(net)), float(np.max(net)))
    fig.update_xaxes(title=_("net credits ({unit})").format(unit=unit), tickformat=",")
    fig.update_yaxes(title=_("% of simulated years"))
    return finish(fig, _("Payout over {n:,} simulated years").format(n=len(net)))


def miss_curve_chart(calib: pd.DataFrame, curves: dict[str, pd.DataFrame]) -> go.Figure:
    """Plot the months a year each KPI would miss its target on each channel, as it moves.

    Lines, with today's target marked, from
    :func:`~bpo_analysis.steps.contract.views.calibration` and its curves; four panels
    a row, each titled with its KPI and channel.
    """
    ids = list(curves)
    cols = min(len(ids), 4)
    rows = -(-len(ids) // cols)
    panel = (PRINT_WIDTH - 140) / cols - 10
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True,
                        subplot_titles=[fit_label(line_name(i), panel, 16) for i in ids],
                        vertical_spacing=0.16 if rows > 1 else 0.0)
    curve, today = _("months missed a year, as the target moves"), _("today's target")
    for i, line in enumerate(ids):
        row, col = i // cols + 1, i % cols + 1
        c = curves[line]
        target = "%{x:.1%}" if KPIS[split(line)[0]].unit == "share" else "%{x:.3g}"
        fig.add_trace(go.Scatter(x=c["target"], y=c["months"], mode="lines", name=curve,
                                 legendgroup="curve", showlegend=i == 0,
                                 line={"color": "#1f6feb"},
                                 hovertemplate=_("target {target}: missed {n} months a year")
                                 .format(target=target, n="%{y:.1f}")
                                               + "<extra></extra>"), row=row, col=col)
        now = calib.set_index("KPI").loc[line]
        fig.add_trace(go.Scatter(x=[now["target"]], y=[now["months missed a year"]],
                                 mode="markers", marker={"size": 9, "color": "#cf222e"},
                                 name=today, legendgroup="today", showlegend=i == 0,
                                 hovertemplate=_("today's target {target}: missed {n} months "
                                                 "a year").format(target=target,
                                                                  n="%{y:.1f}")
                                               + "<extra></extra>"), row=row, col=col)
        share = KPIS[split(line)[0]].unit == "share"  # in %, as the tables show them
        fig.update_xaxes(tickformat=".0%" if share else ",", row=row, col=col)
    fig.update_yaxes(range=[0, 12])
    for r in range(1, rows + 1):
        fig.update_yaxes(title=_("months a year below target"), row=r, col=1)
    return finish(fig, _("How often each target would be missed (the vendor's history)"),
                  height=120 + 280 * rows)
