"""Figures of notebook 07 (risk and continuity).

Built like every step's charts (the house style of :mod:`bpo_analysis.core.charts`;
units and currency on every axis and hover label); the report and the live dashboard
draw the same figure.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bpo_analysis.core.charts import (
    CHANNEL_COLOURS,
    PRICING_MODEL_NAMES,
    PRINT_WIDTH,
    finish,
    fit_label,
    named,
    text_width,
)
from bpo_analysis.i18n import N_, _, day, day_time, plural, term

__all__ = ["day_ticks", "outage_chart", "risk_heatmap", "surge_chart", "surge_cost_chart",
           "surge_traces"]

#: Score and NPSA band (0 low, 1 moderate, 2 high, 3 extreme) of each cell of the 5 x 5
#: matrix, impact 5..1 down, likelihood 1..5 across; a discrete colour per band.
_SCORE = np.array([[lk * im for lk in range(1, 6)] for im in range(5, 0, -1)])
_BAND = np.select([_SCORE >= 15, _SCORE >= 8, _SCORE >= 4], [3, 2, 1], 0)
#: Panel names the notebook passes to :func:`risk_heatmap` (translated with ``term``).
_PANELS = (N_("before mitigation"), N_("after mitigation"))
_BAND_SCALE = [[0.0, "#dafbe1"], [0.25, "#dafbe1"], [0.25, "#fff8c5"], [0.5, "#fff8c5"],
               [0.5, "#ffd8b5"], [0.75, "#ffd8b5"], [0.75, "#ffcecb"], [1.0, "#ffcecb"]]


def risk_heatmap(cells: dict[str, pd.DataFrame]) -> go.Figure:
    """Draw the 5 x 5 likelihood x impact matrix, one panel per entry of ``cells``.

    Panels are e.g. before and after mitigation, from
    :func:`~bpo_analysis.steps.risk.register.heat_matrix`: the cell colour is the NPSA band
    of its score, the text the risk ids in it.
    """
    fig = make_subplots(1, len(cells), subplot_titles=[term(c) for c in cells],
                        horizontal_spacing=0.08)
    cell = (PRINT_WIDTH - 160) / max(len(cells), 1) / 5 - 8  # px of a cell, about
    for i, m in enumerate(cells.values(), start=1):
        text = [[fit_label(", ".join(c), cell, lines=4) for c in row] for row in m.to_numpy()]
        count = [[plural(len(c), N_("{n} risk"), N_("{n} risks")) for c in row]
                 for row in m.to_numpy()]
        data = np.dstack([_SCORE, count])
        fig.add_trace(go.Heatmap(
            z=_BAND, x=list(m.columns), y=list(m.index), text=text, texttemplate="%{text}",
            textfont={"size": 12}, customdata=data, colorscale=_BAND_SCALE, zmin=0, zmax=3,
            showscale=False, xgap=2, ygap=2,
            hovertemplate=_("likelihood {likelihood} (1-5) × impact {impact} (1-5) = score "
                            "{score}").format(likelihood="%{x}", impact="%{y}",
                                              score="%{customdata[0]}")
                          + "<br>%{customdata[1]}: %{text}<extra></extra>"), 1, i)
        fig.update_xaxes(title=_("likelihood (1-5)"), dtick=1, row=1, col=i)
        fig.update_yaxes(title=_("impact (1-5)") if i == 1 else None, dtick=1, row=1, col=i)
    return finish(fig, _("Risk matrix (score = likelihood x impact; NPSA bands: "
                          "low 1-3, moderate 4-6, high 8-12, extreme 15-25)"), height=460)


def surge_traces(iv: pd.DataFrame, channel: str) -> dict[str, np.ndarray]:
    """Return the arrays :func:`surge_chart` draws for ``channel``.

    The dashboard updates its traces with them; service level and abandonment are blank
    where no contacts arrive (closed hours).
    """
    c = iv[iv["channel"] == channel]
    idle = (c["arrivals"] <= 0).to_numpy()  # closed or no demand: no service to judge
    return {"x": c["interval_start"].to_numpy(),
            "sl": np.where(idle, np.nan, c["service_level"].to_numpy()),
            "abandon": np.where(idle, np.nan, c["abandon_rate"].to_numpy()),
            "agents": c["agents"].to_numpy(),
            "required": c["required"].to_numpy(), "backlog": c["backlog"].to_numpy(),
            "offered": c["offered"].to_numpy()}


def surge_chart(iv: pd.DataFrame, channel: str, target: float, within_s: float) -> go.Figure:
    """Plot a surge, interval by interval, for one channel.

    Service level and abandonment (top), agents on contacts against those the target needs
    (middle), the backlog (bottom), from :func:`~bpo_analysis.steps.risk.surge.surge_scenario`.
    """
    t = surge_traces(iv, channel)
    when = [day_time(x) for x in pd.DatetimeIndex(t["x"])]
    colour = CHANNEL_COLOURS.get(channel, "#57606a")
    fig = make_subplots(3, 1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.4, 0.35, 0.25])
    fig.add_trace(go.Scatter(x=t["x"], y=t["sl"],
                             name=_("service level (within {s:g} s)").format(s=within_s),
                             line={"color": colour}, customdata=when,
                             hovertemplate=_("{when}: {share} answered in time").format(
                                 when="%{customdata}", share="%{y:.1%}")
                                           + "<extra></extra>"), 1, 1)
    fig.add_trace(go.Scatter(x=t["x"], y=t["abandon"], name=_("abandonment"),
                             line={"color": "#cf222e"}, customdata=when,
                             hovertemplate=_("{when}: {share} abandoned").format(
                                 when="%{customdata}", share="%{y:.1%}")
                                           + "<extra></extra>"), 1, 1)
    fig.add_hline(y=target, line={"dash": "dash", "color": "#57606a"}, row=1, col=1,
                  annotation_text=_("target {target:.0%}").format(target=target),
                  annotation_position="top right")
    fig.add_trace(go.Scatter(x=t["x"], y=t["agents"], name=_("agents on contacts"),
                             line={"color": "#24292f", "shape": "hv"}, customdata=when,
                             hovertemplate=_("{when}: {n} agents").format(
                                 when="%{customdata}", n="%{y:.1f}") + "<extra></extra>"),
                  2, 1)
    fig.add_trace(go.Scatter(x=t["x"], y=t["required"], name=_("agents the target needs"),
                             line={"color": "#bf8700", "dash": "dot", "shape": "hv"},
                             customdata=when, hovertemplate=_("{when}: {n} agents needed")
                             .format(when="%{customdata}", n="%{y:.0f}")
                                           + "<extra></extra>"), 2, 1)
    fig.add_trace(go.Bar(x=t["x"], y=t["backlog"], name=_("backlog (waiting + to redial)"),
                         marker_color="#8250df", customdata=when,
                         hovertemplate=_("{when}: {n} contacts").format(
                             when="%{customdata}", n="%{y:,.1f}") + "<extra></extra>"), 3, 1)
    fig.update_yaxes(title=_("share of contacts"), tickformat=".0%", range=[0, 1.02], row=1,
                     col=1)
    fig.update_yaxes(title=_("agents"), row=2, col=1)
    fig.update_yaxes(title=_("contacts"), row=3, col=1)
    fig.update_xaxes(**day_ticks(pd.DatetimeIndex(t["x"])), row=3, col=1)
    return finish(fig, _("Surge, {channel}: service, staffing and backlog per interval").format(
        channel=term(channel)), height=640)


def surge_cost_chart(costs: pd.DataFrame, currency: str,
                     names: Mapping[str, str] | None = None) -> go.Figure:
    """Plot the extra cost of the surge under each quote's pricing model.

    As run and holding the service level, from
    :func:`~bpo_analysis.steps.risk.surge_costs.surge_costs`; each quote with its vendor
    (by name, from ``names`` by id) and pricing model.
    """
    label = [f"{q} {named(v, names)} ({term(PRICING_MODEL_NAMES.get(m, m))}){' *' if c else ''}"
             for q, v, m, c in zip(costs["quote_id"], costs["vendor_id"],
                                   costs["pricing_model"], costs["contracted"], strict=True)]
    fig = go.Figure([
        go.Bar(y=label, x=costs[col], orientation="h", name=name, marker_color=colour,
               hovertemplate=f"%{{y}}: %{{x:,.0f}} {currency}<extra>{name}</extra>")
        for col, name, colour in (("as_run", _("as it ran (vendor's ramp)"), "#1f6feb"),
                                  ("hold_sla", _("holding the service level"), "#bf8700"))])
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
    fig.update_xaxes(title=_("extra cost of the surge ({currency})").format(currency=currency),
                     tickformat=",")
    return finish(fig, _("What the surge adds to the bill, by pricing model (* contracted)"),
                   height=160 + 44 * len(costs))


def day_ticks(times: pd.DatetimeIndex) -> dict:
    """Return a time axis's ticks: every k-th midnight, the day in the report language."""
    days = pd.date_range(times.min().normalize(), times.max(), freq="D")
    text = [day(d) for d in days]
    slot = (PRINT_WIDTH - 160) / max(len(days), 1)
    k = int(-(-(max(map(text_width, text), default=0) + 8) // slot)) or 1
    return {"tickmode": "array", "tickvals": list(days[::k]), "ticktext": text[::k]}


def outage_chart(options: pd.DataFrame, currency: str) -> go.Figure:
    """Plot each backup option's cost a year against the loss it avoids a year.

    From :func:`~bpo_analysis.steps.risk.calc.outage_options`.
    """
    o = options[options["option"] != "none"]
    fig = go.Figure([
        go.Bar(x=[term(n) for n in o["name"]], y=o[col], name=name, marker_color=colour,
               hovertemplate=_("{option}: {amount} a year").format(
                   option="%{x}", amount="%{y:,.0f} " + currency) + f"<extra>{name}</extra>")
        for col, name, colour in (("loss_avoided", _("expected loss avoided"), "#2da44e"),
                                  ("annual_cost", _("cost of the backup"), "#cf222e"))])
    none = float(options.loc[options["option"] == "none", "expected_loss"].iloc[0])
    fig.add_hline(y=none, line={"dash": "dash", "color": "#57606a"},
                  annotation_text=_("expected loss with no backup {loss:,.0f} {currency}/year"
                                    ).format(loss=none, currency=currency),
                  annotation_position="top left")
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("{currency} a year").format(currency=currency), tickformat=",")
    return finish(fig, _("Site outage: what each backup costs against the loss it avoids"))
