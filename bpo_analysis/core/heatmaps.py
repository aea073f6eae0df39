"""The weekday x time-of-day heatmap, drawn by one function.

It shows contacts arriving (step 0) or agents needed on duty (step 1).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import finish
from bpo_analysis.i18n import _, weekday

__all__ = ["demand_heatmap"]


def demand_heatmap(heat: pd.DataFrame, *, unit: str = "", title: str = "") -> go.Figure:
    """Draw the weekday x time-of-day heatmap of :func:`bpo_analysis.core.demand.heatmap`.

    Parameters
    ----------
    heat : DataFrame
        Rows Mon..Sun, columns interval starts ('HH:MM'), values in ``unit``.
    unit : str
        Of the colour bar; defaults to contacts per interval (in the report language).
    title : str
        Defaults to "When contacts arrive" (in the report language).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    unit = unit or _("contacts per interval")
    title = title or _("When contacts arrive")
    fig = go.Figure(go.Heatmap(
        z=heat.to_numpy(), x=list(heat.columns), y=[weekday(str(d)) for d in heat.index],
        colorscale="Blues",
        colorbar={"title": {"text": unit}},
        hovertemplate=_("{weekday} {time}: {value} {unit}").format(
            weekday="%{y}", time="%{x}", value="%{z:,.1f}", unit=unit) + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=_("weekday"))
    fig.update_xaxes(title=_("interval start (local time)"))
    return finish(fig, title)
