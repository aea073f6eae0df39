"""The house style every chart shares: the channel colours, the template, the title,
margins and legend (:func:`finish`) and month labels in the report's language. The steps'
charts (and :mod:`bpo_analysis.plots`) build on it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.i18n import N_
from bpo_analysis.i18n import month as month_label

__all__ = ["CHANNEL_COLOURS", "TEMPLATE", "finish", "month_labels"]

CHANNEL_COLOURS = {N_("voice"): "#1f6feb", N_("chat"): "#2da44e", N_("email"): "#bf8700",
                   N_("total"): "#57606a"}
TEMPLATE = "plotly_white"


def month_labels(index: pd.Index) -> list[str]:
    """Period/Timestamp month index -> 'Jan 2025' category labels (every month shown),
    in the report language."""
    return [month_label(p) for p in index.to_timestamp()] if isinstance(
        index, pd.PeriodIndex) else [str(p) for p in index]


def finish(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """The house style of every chart: the template, the title at the left, the height,
    the margins and a horizontal legend under the plot."""
    fig.update_layout(template=TEMPLATE, title={"text": title, "x": 0.01}, height=height,
                      margin={"l": 60, "r": 20, "t": 60, "b": 50},
                      legend={"orientation": "h", "y": -0.15})
    return fig
