"""Figures of notebook 03 (pricing and TCO): the TCO waterfalls and cost curves.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis import i18n
from bpo_analysis.core.charts import finish
from bpo_analysis.i18n import _, term
from bpo_analysis.steps.pricing.calc import COMPONENT_GROUPS, component_group

__all__ = ["cost_curve_chart", "tco_waterfalls"]


def tco_waterfalls(term: pd.DataFrame, quote_ids: list[str], currency: str,
                   value: str = "pv") -> go.Figure:
    """Plot each quote's TCO built up by component group.

    One waterfall per quote, side by side, one scale, from
    :func:`~bpo_analysis.core.quotes.term_costs`; ``value`` "pv" or "amount".
    """
    from plotly.subplots import make_subplots

    unit = (_("{currency} present value").format(currency=currency) if value == "pv"
            else currency)
    vendor = term.groupby("quote_id")["vendor_id"].first()
    fig = make_subplots(rows=1, cols=max(len(quote_ids), 1), shared_yaxes=True,
                        subplot_titles=[f"{q} ({vendor[q]})" for q in quote_ids])
    for i, q in enumerate(quote_ids, start=1):
        g = term[term["quote_id"] == q]
        parts = g.groupby(g["component"].map(component_group))[value].sum()
        order = [grp for _, grp in COMPONENT_GROUPS if grp in parts.index]
        fig.add_trace(go.Waterfall(
            x=[i18n.term(g) for g in [*order, "TCO"]],  # (``term`` is the costs here)
            y=[*parts[order].to_numpy(), parts.sum()],
            name=q,
            measure=["relative"] * len(order) + ["total"], showlegend=False,
            hovertemplate=f"{q} %{{x}}: %{{y:,.0f}} {unit}<extra></extra>"), row=1, col=i)
    fig.update_yaxes(title=unit, tickformat=",", row=1, col=1)
    fig.update_xaxes(type="category", tickangle=-40)
    return finish(fig, _("TCO of each finalist by component (what is not on the quote "
                          "included)"), height=520)


def cost_curve_chart(curves: pd.DataFrame, models: dict[str, str], forecast: float,
                     break_evens: pd.DataFrame, currency: str) -> go.Figure:
    """Plot the monthly bill of every quote against contacts per month.

    Lines, labelled with the pricing model, the forecast (dashed line) and the break-even
    points (markers), from :func:`~bpo_analysis.steps.pricing.calc.cost_curves` and
    :func:`~bpo_analysis.steps.pricing.calc.break_evens`.
    """
    x = curves["contacts_per_month"].to_numpy()
    unit = _("{currency} per month").format(currency=currency)
    quotes = [c for c in curves.columns if c not in ("scale", "contacts_per_month")]
    fig = go.Figure([go.Scatter(x=x, y=curves[q].to_numpy(), name=f"{q} ({term(models[q])})",
                                mode="lines",
                                hovertemplate=f"{q}: %{{x:,.0f}} contacts/month -> "
                                              f"%{{y:,.0f}} {unit}<extra></extra>")
                     for q in quotes])
    if len(break_evens):
        at = break_evens["contacts_per_month"].to_numpy()
        first = [b.split(" = ")[0] for b in break_evens["quotes"]]
        y = [float(np.interp(v, x, curves[q])) for v, q in zip(at, first, strict=True)]
        fig.add_trace(go.Scatter(x=at, y=y, mode="markers", name=_("break-even"),
                                 marker={"symbol": "x", "size": 10, "color": "#cf222e"},
                                 text=list(break_evens["quotes"]),
                                 hovertemplate="%{text} at %{x:,.0f} contacts/month"
                                               "<extra></extra>"))
    fig.add_vline(x=forecast, line_dash="dash", line_color="#57606a",
                  annotation_text=_("forecast"), annotation_position="top")
    fig.update_xaxes(title=_("contacts per month (first contract year)"), tickformat=",")
    fig.update_yaxes(title=unit, tickformat=",")
    return finish(fig, _("Monthly bill of each quote as volume moves"), height=480)


# ---------------------------------------------------------------- step 4: contract
