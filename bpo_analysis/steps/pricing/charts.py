"""Figures of notebook 03 (pricing and TCO): the TCO waterfalls and cost curves.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bpo_analysis import i18n
from bpo_analysis.core.charts import (
    PRICING_MODEL_NAMES,
    PRINT_WIDTH,
    finish,
    fit_label,
    named,
    palette,
)
from bpo_analysis.i18n import _, term
from bpo_analysis.steps.pricing.calc import COMPONENT_GROUPS, component_group

__all__ = ["cost_curve_chart", "tco_waterfalls"]


def tco_waterfalls(term: pd.DataFrame, quote_ids: list[str], currency: str,
                   value: str = "pv", names: Mapping[str, str] | None = None) -> go.Figure:
    """Plot each quote's TCO built up by component group.

    One waterfall per quote, side by side, one scale, from
    :func:`~bpo_analysis.core.quotes.term_costs`; ``value`` "pv" or "amount"; ``names``
    the vendors' names by id (each panel is titled "Q07: Harbor Contact Services (V02)").
    """
    unit = (_("{currency} present value").format(currency=currency) if value == "pv"
            else currency)
    vendor = term.groupby("quote_id")["vendor_id"].first()
    panel = (PRINT_WIDTH - 140) / max(len(quote_ids), 1)
    fig = make_subplots(rows=1, cols=max(len(quote_ids), 1), shared_yaxes=True,
                        subplot_titles=[fit_label(f"{q}: {named(vendor[q], names)}", panel, 16)
                                        for q in quote_ids])
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
    fig.update_xaxes(type="category")
    return finish(fig, _("TCO of each finalist by component (what is not on the quote "
                          "included)"), height=520)


def cost_curve_chart(curves: pd.DataFrame, models: dict[str, str], forecast: float,
                     break_evens: pd.DataFrame, currency: str,
                     names: Mapping[str, str] | None = None) -> go.Figure:
    """Plot the monthly bill of every quote against contacts per month.

    Lines, labelled with the pricing model, the forecast (dashed line) and the break-even
    points (markers), from :func:`~bpo_analysis.steps.pricing.calc.cost_curves` and
    :func:`~bpo_analysis.steps.pricing.calc.break_evens`; ``names`` the vendor of each
    quote as the report names it, by quote id.
    """
    x = curves["contacts_per_month"].to_numpy()
    unit = _("{currency} per month").format(currency=currency)
    quotes = [c for c in curves.columns if c not in ("scale", "contacts_per_month")]
    model = {q: term(PRICING_MODEL_NAMES.get(m, m)) for q, m in models.items()}
    fig = go.Figure([go.Scatter(x=x, y=curves[q].to_numpy(), mode="lines",
                                name=" ".join([q, *([names[q]] if q in (names or {})
                                                    else []), f"({model[q]})"]),
                                line={"color": colour},
                                hovertemplate=_("{quote}: {n} contacts per month cost {amount}")
                                .format(quote=q, n="%{x:,.0f}", amount="%{y:,.0f} " + unit)
                                              + "<extra></extra>")
                     for q, colour in zip(quotes, palette(len(quotes)), strict=True)])
    if len(break_evens):
        at = break_evens["contacts_per_month"].to_numpy()
        first = [b.split(" = ")[0] for b in break_evens["quotes"]]
        y = [float(np.interp(v, x, curves[q])) for v, q in zip(at, first, strict=True)]
        fig.add_trace(go.Scatter(x=at, y=y, mode="markers", name=_("break-even"),
                                 marker={"symbol": "x", "size": 10, "color": "#cf222e"},
                                 text=[_("{a} and {b}").format(a=a, b=b) for a, b in (
                                     q.split(" = ") for q in break_evens["quotes"])],
                                 hovertemplate=_("{quotes} cost the same at {n} contacts per "
                                                 "month").format(quotes="%{text}",
                                                                 n="%{x:,.0f}")
                                               + "<extra></extra>"))
    fig.add_vline(x=forecast, line_dash="dash", line_color="#57606a",
                  annotation_text=_("forecast"), annotation_position="top")
    fig.update_xaxes(title=_("contacts per month (first contract year)"), tickformat=",")
    fig.update_yaxes(title=unit, tickformat=",")
    return finish(fig, _("Monthly bill of each quote as volume moves"), height=480)


# ---------------------------------------------------------------- step 4: contract
