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

from bpo_analysis.core.charts import PERCENTILE_MARKS, finish
from bpo_analysis.core.sla_lines import line_name
from bpo_analysis.i18n import _, term

__all__ = ["miss_curve_chart", "payout_chart"]


def payout_chart(net: np.ndarray, currency: str) -> go.Figure:
    """Plot the distribution of a year's net credits over the simulated years.

    A histogram, with the mean and the 5th and 95th percentiles marked.
    """
    unit = _("{currency} a year").format(currency=currency)
    fig = go.Figure(go.Histogram(x=net, nbinsx=60, histnorm="percent",
                                 name=_("simulated years"),
                                 hovertemplate=f"%{{x}} {unit}: %{{y:.1f}} % of years"
                                               "<extra></extra>"))
    for q, label in PERCENTILE_MARKS:
        fig.add_vline(x=float(np.percentile(net, q)), line_dash="dot", line_color="#57606a",
                      annotation_text=term(label), annotation_position="top")
    fig.update_xaxes(title=_("net credits ({unit})").format(unit=unit), tickformat=",")
    fig.update_yaxes(title=_("% of simulated years"))
    return finish(fig, _("Payout over {n:,} simulated years").format(n=len(net)))


def miss_curve_chart(calib: pd.DataFrame, curves: dict[str, pd.DataFrame]) -> go.Figure:
    """Plot the months a year each KPI would miss its target on each channel, as it moves.

    Lines, with today's target marked, from
    :func:`~bpo_analysis.steps.contract.views.calibration` and its curves; four panels
    a row.
    """
    from plotly.subplots import make_subplots

    ids = list(curves)
    cols = min(len(ids), 4)
    rows = -(-len(ids) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[line_name(i) for i in ids],
                        shared_yaxes=True, vertical_spacing=0.12 if rows > 1 else 0.0)
    for i, line in enumerate(ids):
        row, col = i // cols + 1, i % cols + 1
        c = curves[line]
        fig.add_trace(go.Scatter(x=c["target"], y=c["months"], mode="lines",
                                 name=line_name(line), showlegend=False,
                                 hovertemplate="target %{x:.3g}: missed %{y:.1f} months a "
                                               "year<extra></extra>"), row=row, col=col)
        now = calib.set_index("KPI").loc[line]
        fig.add_trace(go.Scatter(x=[now["target"]], y=[now["months missed a year"]],
                                 mode="markers", marker={"size": 9, "color": "#cf222e"},
                                 showlegend=False, hovertemplate="today's target %{x:.3g}: "
                                 "%{y:.1f} months<extra></extra>"), row=row, col=col)
    fig.update_yaxes(range=[0, 12])
    for r in range(1, rows + 1):
        fig.update_yaxes(title=_("months a year below target"), row=r, col=1)
    return finish(fig, _("How often each target would be missed (the vendor's history)"),
                  height=120 + 260 * rows)
