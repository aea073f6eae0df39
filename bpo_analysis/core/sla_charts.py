"""The chart of SLA credits month by month.

Drawn by step 4 (the back-test on the vendor's reports) and step 5 (the credits
recomputed from the raw records).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import finish, month_labels
from bpo_analysis.i18n import _

__all__ = ["credits_chart"]


def credits_chart(months: pd.DataFrame, currency: str, title: str = "") -> go.Figure:
    """Chart the credits, earn-back and bonuses month by month under the terms.

    Bars (earn-back and bonus below zero) and the net (line), from
    :func:`bpo_analysis.core.sla.monthly_credits`.

    Parameters
    ----------
    months : DataFrame
        The ``months`` table of :func:`~bpo_analysis.core.sla.monthly_credits`
        (``credits``, ``earned_back``, ``bonus``, ``net``: currency per month).
    currency : str
        ISO code of the amounts (e.g. TWD).
    title : str
        Defaults to "Back-test: what the terms would have credited, month by month"
        (in the report language).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    title = title or _("Back-test: what the terms would have credited, month by month")
    x = month_labels(pd.PeriodIndex(months.index))
    unit = _("{currency} per month").format(currency=currency)
    credits, back, bonus, net = (_("credits"), _("earned back"), _("bonus"),
                                 _("net (vendor owes)"))
    hover = f"%{{x}}: %{{y:,.0f}} {unit}<extra>"
    fig = go.Figure([
        go.Bar(x=x, y=months["credits"].to_numpy(), name=credits,
               hovertemplate=hover + credits + "</extra>"),
        go.Bar(x=x, y=-months["earned_back"].to_numpy(), name=back,
               hovertemplate=hover + back + "</extra>"),
        go.Bar(x=x, y=-months["bonus"].to_numpy(), name=bonus,
               hovertemplate=hover + bonus + "</extra>"),
        go.Scatter(x=x, y=months["net"].to_numpy(), name=net, mode="lines+markers",
                   hovertemplate=hover + net + "</extra>")])
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, title)
