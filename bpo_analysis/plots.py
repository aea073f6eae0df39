"""Plotly figures built from calculation results.

The static report and the live dashboard draw the same figure from the same function.
Every axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis import i18n
from bpo_analysis.core.charts import CHANNEL_COLOURS, finish, month_labels
from bpo_analysis.i18n import N_, _, term, weekday
from bpo_analysis.i18n import month as month_label

__all__ = [
    "baseline_cost_chart",
    "break_even_chart",
    "cash_flow_chart",
    "channel_mix_chart",
    "cost_per_contact_by_option",
    "cost_per_contact_chart",
    "daily_volume_chart",
    "demand_heatmap",
    "idle_chart",
    "monthly_volume_chart",
    "npv_histogram",
    "option_components_chart",
    "option_monthly_chart",
    "option_monthly_components_chart",
    "plan_vs_actual_chart",
    "tornado_chart",
]

#: Names the package defines as data and the figures show (translated with ``term``).
_NAMES = (N_("In-house"), N_("Shared (per contact)"), N_("Dedicated (per seat)"),
          N_("Hybrid (base + overflow)"), N_("Partial (some channels in-house)"),
          N_("peak"), N_("trough"), N_("Vendor set-up fee"), N_("Transition (client)"),
          N_("Service fees"), N_("Management fee"), N_("Retained (hidden) costs"),
          N_("Exit / transition back"), N_("TCO"))


def demand_heatmap(heat: pd.DataFrame, *, unit: str = "", title: str = "") -> go.Figure:
    """Weekday x time-of-day heatmap of :func:`bpo_analysis.core.demand.heatmap`; ``unit``
    (of the colour bar) defaults to contacts per interval, ``title`` to "When contacts
    arrive" (both in the report language)."""
    unit = unit or _("contacts per interval")
    title = title or _("When contacts arrive")
    fig = go.Figure(go.Heatmap(
        z=heat.to_numpy(), x=list(heat.columns), y=[weekday(str(d)) for d in heat.index],
        colorscale="Blues",
        colorbar={"title": {"text": unit}},
        hovertemplate="%{y} %{x}: %{z:,.1f} " + unit + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=_("weekday"))
    fig.update_xaxes(title=_("interval start (local time)"), nticks=24)
    return finish(fig, title)


def monthly_volume_chart(monthly: pd.DataFrame) -> go.Figure:
    """Stacked contacts per month and channel, from :func:`demand.monthly_volume`."""
    x = month_labels(monthly.index)
    fig = go.Figure([go.Bar(x=x, y=monthly[ch], name=term(ch), marker_color=CHANNEL_COLOURS[ch],
                            hovertemplate="%{x} " + ch + ": %{y:,.0f} contacts<extra></extra>")
                     for ch in ("voice", "chat", "email")])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("contacts per month"), tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Seasonality: contacts per month"))


def channel_mix_chart(mix: pd.DataFrame) -> go.Figure:
    """Share of contacts vs share of workload per channel, from :func:`demand.channel_mix`."""
    fig = go.Figure([
        go.Bar(y=[_("contacts"), _("workload (contacts x AHT)")],
               x=[mix.loc[ch, "contact_share"] * 100, mix.loc[ch, "workload_share"] * 100],
               name=term(ch), orientation="h", marker_color=CHANNEL_COLOURS[ch],
               customdata=[[mix.loc[ch, "contacts"], "contacts"],
                           [mix.loc[ch, "workload_h"], "hours"]],
               hovertemplate=ch + ": %{x:.1f} % (%{customdata[0]:,.0f} %{customdata[1]})"
                             "<extra></extra>")
        for ch in mix.index])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=_("share of the period (%)"), range=[0, 100], ticksuffix=" %")
    return finish(fig, _("Channel mix: contacts and the work they bring"), height=300)


def daily_volume_chart(daily: pd.DataFrame, episodes: pd.DataFrame) -> go.Figure:
    """Contacts per day and channel, unusual episodes shaded and labelled."""
    fig = go.Figure([go.Scatter(x=daily.index, y=daily[ch], name=term(ch), mode="lines",
                                line={"color": CHANNEL_COLOURS[ch], "width": 1.2},
                                hovertemplate="%{x|%a %d %b}: %{y:,.0f} contacts " + ch
                                              + "<extra></extra>")
                     for ch in ("voice", "chat", "email", "total")])
    for e in episodes.itertuples():
        colour = "rgba(207,34,46,0.15)" if e.kind == "peak" else "rgba(87,96,106,0.12)"
        fig.add_vrect(x0=e.start - pd.Timedelta(hours=12), x1=e.end + pd.Timedelta(hours=12),
                      fillcolor=colour, line_width=0, annotation_position="top left",
                      annotation_text=_("{kind} x{ratio:.1f}").format(
                          kind=term(e.kind), ratio=e.peak_ratio),
                      annotation_font_size=10)
    fig.update_yaxes(title=_("contacts per day"), tickformat=",")
    fig.update_xaxes(title=_("date"))
    return finish(fig, _("Daily volume, with unusual days shaded (ratio to the usual day)"))


def baseline_cost_chart(items: pd.DataFrame, currency: str) -> go.Figure:
    """Horizontal bars of the in-house monthly cost items (:func:`costs.inhouse_baseline`)."""
    d = items.sort_values("monthly")
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure(go.Bar(x=d["monthly"], y=d["item"], orientation="h",
                           marker_color="#1f6feb", customdata=d[["basis"]],
                           text=[f"{v:,.0f}" for v in d["monthly"]], textposition="auto",
                           hovertemplate="%{y}: %{x:,.0f} " + unit
                                         + "<br>%{customdata[0]}<extra></extra>"))
    fig.update_xaxes(title=unit, tickformat=",")
    total = float(items["monthly"].sum())
    return finish(fig, _("In-house cost today: {total:,.0f} {unit}").format(
        total=total, unit=unit), height=460)


def cost_per_contact_chart(by_month: pd.DataFrame, currency: str) -> go.Figure:
    """Flat monthly cost over seasonal volume: the in-house cost per contact by month."""
    x = month_labels(by_month.index)
    unit = _("{currency} per contact").format(currency=currency)
    fig = go.Figure(go.Bar(x=x, y=by_month["cost_per_contact"], marker_color="#8250df",
                           text=[f"{v:,.1f}" for v in by_month["cost_per_contact"]],
                           textposition="outside",
                           hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra></extra>"))
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("In-house cost per contact by month (fixed cost, seasonal volume)"))


# ---------------------------------------------------------------- step 1: sourcing options
OPTION_COLOURS = ["#57606a", "#1f6feb", "#bf8700", "#2da44e", "#8250df"]


def option_monthly_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """Cost per month of every option (lines), from :func:`sourcing.option_costs`."""
    monthly = long.groupby(["option", "month"], sort=False)["amount"].sum()
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Scatter(x=month_labels(pd.PeriodIndex(monthly[o].index)),
                                y=monthly[o].to_numpy(), name=term(o), mode="lines+markers",
                                line={"color": c},
                                hovertemplate=f"{o}<br>%{{x}}: %{{y:,.0f}} {unit}<extra></extra>")
                     for o, c in zip(long["option"].unique(), OPTION_COLOURS, strict=False)])
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Monthly cost of each sourcing option"))


def option_components_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """The period's cost of each option, stacked by cost component."""
    t = long.groupby(["option", "component"], sort=False)["amount"].sum().reset_index()
    unit = _("{currency} over the period").format(currency=currency)
    fig = go.Figure([go.Bar(x=part["amount"], y=[term(o) for o in part["option"]], name=comp,
                            orientation="h",
                            hovertemplate="%{y}<br>" + comp + ": %{x:,.0f} " + unit
                                          + "<extra></extra>")
                     for comp, part in t.groupby("component", sort=False)])
    fig.update_layout(barmode="stack", showlegend=False)
    fig.update_xaxes(title=unit, tickformat=",")
    return finish(fig, _("What each option costs, by component (hover for the item)"), 380)


def cost_per_contact_by_option(summary: pd.DataFrame, currency: str) -> go.Figure:
    """Cost per contact of each option, cheapest first (:func:`sourcing.option_summary`)."""
    unit = _("{currency} per contact").format(currency=currency)
    fig = go.Figure(go.Bar(x=[term(o) for o in summary.index], y=summary["per_contact"],
                           marker_color="#1f6feb",
                           text=[f"{v:,.1f}" for v in summary["per_contact"]],
                           textposition="outside",
                           hovertemplate="%{x}: %{y:,.1f} " + unit + "<extra></extra>"))
    fig.update_yaxes(title=unit)
    return finish(fig, _("Cost per contact handled, by option"), 380)


def break_even_chart(curve: pd.DataFrame, a: str, b: str, volume: float | None,
                     today: float, currency: str) -> go.Figure:
    """Monthly cost of two options as the volume varies, with the break-even marked."""
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Scatter(x=curve["contacts_per_month"], y=curve[o], name=term(o),
                                mode="lines", hovertemplate="%{x:,.0f} contacts per month: "
                                "%{y:,.0f} " + unit + "<extra>" + o + "</extra>")
                     for o in (a, b)])
    fig.add_vline(x=today, line_dash="dot",
                  annotation_text=_("today: {n:,.0f}").format(n=today))
    if volume is not None:
        fig.add_vline(x=volume, line_color="#cf222e",
                      annotation_text=_("break-even: {n:,.0f} contacts per month").format(
                          n=volume))
    fig.update_xaxes(title=_("contacts per month"), tickformat=",")
    fig.update_yaxes(title=unit, tickformat=",")
    return finish(fig, _("Break-even: {a} vs {b}").format(a=term(a), b=term(b)))


def idle_chart(idle: pd.DataFrame) -> go.Figure:
    """Share of productive agent time left idle per month (:func:`sourcing.idle_by_month`)."""
    x = month_labels(idle.index)
    fig = go.Figure([go.Bar(x=x, y=idle[c] * 100, name=term(c),
                            hovertemplate="%{x}: %{y:.1f} % idle<extra>" + c + "</extra>")
                     for c in idle.columns])
    fig.update_yaxes(title=_("idle share of productive time (%)"), ticksuffix=" %")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Idle agents: dedicated seats sized to the peak sit idle off-peak"))


def option_monthly_components_chart(long: pd.DataFrame, currency: str) -> go.Figure:
    """Each option's monthly cost stacked by component: one panel per option, same scale."""
    from plotly.subplots import make_subplots

    options = list(long["option"].unique())
    fig = make_subplots(rows=len(options), cols=1, shared_xaxes=True,
                        subplot_titles=[term(o) for o in options], vertical_spacing=0.04)
    unit = _("{currency} per month").format(currency=currency)
    for row, option in enumerate(options, start=1):
        part = long[long["option"] == option]
        for comp, rows in part.groupby("component", sort=False):
            fig.add_trace(go.Bar(x=month_labels(pd.PeriodIndex(rows["month"])),
                                 y=rows["amount"], name=comp, showlegend=False,
                                 hovertemplate=f"{option}<br>{comp}<br>%{{x}}: %{{y:,.0f}} "
                                               f"{unit}<extra></extra>"), row=row, col=1)
        fig.update_yaxes(title_text=unit, tickformat=",", row=row, col=1)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(matches="y")  # one scale for all panels: heights compare across options
    return finish(fig, _("Monthly cost of each option, by component (hover for the item)"),
                   height=220 * len(options))


def horizon_chart(horizon: pd.DataFrame, currency: str, value: str = "amount") -> go.Figure:
    """Cumulative cost of every option over the planning horizon (lines), from
    :func:`sourcing.horizon_costs`; ``value`` "amount" (nominal) or "pv"."""
    monthly = horizon.groupby(["option", "month"], sort=False)[value].sum()
    unit = (_("{currency}, cumulative present value") if value == "pv"
            else _("{currency}, cumulative")).format(currency=currency)
    fig = go.Figure([go.Scatter(x=month_labels(pd.PeriodIndex(monthly[o].index)),
                                y=monthly[o].cumsum().to_numpy(), name=term(o), mode="lines",
                                line={"color": c},
                                hovertemplate=f"{o}<br>%{{x}}: %{{y:,.0f}} {unit}<extra></extra>")
                     for o, c in zip(horizon["option"].unique(), OPTION_COLOURS, strict=False)])
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Cumulative cost over the {months}-month planning horizon").format(
        months=monthly.index.get_level_values(1).nunique()))


def shift_starts_chart(by_start: pd.DataFrame) -> go.Figure:
    """Average in-house shifts starting at each clock time, per weekday (grouped bars),
    from :meth:`workforce.Shifts.by_start`."""
    fig = go.Figure([go.Bar(x=list(by_start.index), y=by_start[d].to_numpy(),
                            name=weekday(str(d)),
                            hovertemplate=f"{d} %{{x}}: %{{y:.1f}} shifts<extra></extra>")
                     for d in by_start.columns])
    fig.update_yaxes(title=_("shifts starting (average per day)"))
    fig.update_xaxes(title=_("shift start (local time)"), type="category")
    return finish(fig, _("In-house shifts: when they start"))


# ---------------------------------------------------------------- step 2: vendors
def contribution_chart(contributions: pd.DataFrame, groups: pd.Series) -> go.Figure:
    """Weighted-sum score of each vendor (horizontal bars) stacked by criteria group,
    from :attr:`scoring.Ranking.contributions`; ``groups`` maps criterion -> group."""
    by_group = contributions.T.groupby(groups.reindex(contributions.columns), sort=False).sum()
    order = contributions.sum(axis=1).sort_values().index
    fig = go.Figure([go.Bar(y=list(order), x=by_group.loc[g, order].to_numpy(), name=g,
                            orientation="h",
                            hovertemplate=f"{g}<br>%{{y}}: %{{x:.3f}} points<extra></extra>")
                     for g in by_group.index])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=_("weighted-sum score (0-1 points), by criteria group"))
    fig.update_yaxes(title=_("vendor"))
    return finish(fig, _("Where each vendor's score comes from"))


def rank_stability_chart(stability: pd.DataFrame) -> go.Figure:
    """Share of weightings under which each vendor takes each rank (stacked bars),
    from :func:`scoring.rank_stability`."""
    cols = [c for c in stability.columns if c.startswith("P(rank")]
    fig = go.Figure([go.Bar(x=list(stability.index), y=stability[c].to_numpy() * 100,
                            name=_("rank {n}").format(
                                n=c.removeprefix("P(rank").removesuffix(")").strip()),
                            hovertemplate=f"%{{x}}: %{{y:.1f}} % of weightings ({c})"
                                          "<extra></extra>")
                     for c in cols])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("% of weightings"), range=[0, 100])
    fig.update_xaxes(title=_("vendor"), type="category")
    return finish(fig, _("How sure is the ranking? Ranks over weightings drawn around the "
                          "chosen weights"))


def switch_point_chart(switch: pd.DataFrame) -> go.Figure:
    """For each criterion, the range of its weight over which today's winner stays
    the winner (bar) and today's weight (diamond), from
    :func:`scoring.weight_switch_points`."""
    s = switch.iloc[::-1]
    lo, hi = s["below"].astype(float).fillna(0.0), s["above"].astype(float).fillna(1.0)
    winner = s["winner"].iloc[0] if len(s) else ""
    label = [f"{c}: below {b} -> {wb}" if pd.notna(b) else f"{c}" for c, b, wb in
             zip(s.index, s["below"], s["winner below"], strict=True)]
    fig = go.Figure([
        go.Bar(y=list(s.index), x=(hi - lo).to_numpy(), base=lo.to_numpy(), orientation="h",
               name=_("{winner} stays the winner").format(winner=winner),
               marker={"color": "#9ecbff"},
               customdata=list(zip(label, s["winner above"].fillna("-"), strict=True)),
               hovertemplate="weight %{base:.3f} to %{x:.3f} wide<br>%{customdata[0]}"
                             "<br>above: %{customdata[1]}<extra></extra>"),
        go.Scatter(y=list(s.index), x=s["weight"].to_numpy(), mode="markers",
                   name=_("weight today"), marker={"symbol": "diamond", "size": 9,
                                                "color": "#cf222e"},
                   hovertemplate="%{y}: weight today %{x:.3f}<extra></extra>")])
    fig.update_xaxes(title=_("weight of the criterion (share of 1; the others rescale)"),
                     range=[0, 1])
    fig.update_yaxes(title=_("criterion"), type="category")
    return finish(fig, _("Weights over which {winner} stays the winner").format(winner=winner),
                   height=max(420, 22 * len(s) + 120))


def radar_chart(group_scores: pd.DataFrame) -> go.Figure:
    """The finalists by criteria group (0 = worst, 1 = best of the finalists), from
    :func:`evaluation.group_scores`."""
    theta = [*group_scores.columns, group_scores.columns[0]]
    fig = go.Figure([go.Scatterpolar(r=[*row, row.iloc[0]], theta=theta, name=str(v),
                                     fill="toself", opacity=0.6,
                                     hovertemplate=f"{v}<br>%{{theta}}: %{{r:.2f}} "
                                                   "(0-1, best = 1)<extra></extra>")
                     for v, row in group_scores.iterrows()])
    fig.update_layout(polar={"radialaxis": {"range": [0, 1], "title": _("score (0-1)")}})
    return finish(fig, _("The finalists by criteria group (1 = best of the finalists)"))


def ahp_weights_chart(ahp_weights: pd.Series, stated: pd.Series) -> go.Figure:
    """AHP weights next to the stated weights (both as % of 1), per compared item."""
    fig = go.Figure([go.Bar(x=list(ahp_weights.index), y=ahp_weights.to_numpy() * 100,
                            name=_("AHP (pairwise judgements)"),
                            hovertemplate="%{x}: %{y:.1f} %<extra>AHP</extra>"),
                     go.Bar(x=list(stated.index), y=stated.to_numpy() * 100,
                            name=_("stated in criteria.yaml"),
                            hovertemplate="%{x}: %{y:.1f} %<extra>stated</extra>")])
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("weight, %"))
    fig.update_xaxes(type="category")
    return finish(fig, _("Weights from pairwise judgements (AHP) and as stated"))


# ---------------------------------------------------------------- step 3: pricing
def tco_waterfalls(term: pd.DataFrame, quote_ids: list[str], currency: str,
                   value: str = "pv") -> go.Figure:
    """Each quote's TCO built up by component group (one waterfall per quote, side by
    side, one scale), from :func:`pricing.term_costs`; ``value`` "pv" or "amount"."""
    from plotly.subplots import make_subplots

    from bpo_analysis.steps.pricing.calc import COMPONENT_GROUPS, component_group

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
    """Monthly bill of every quote against contacts per month (lines, labelled with the
    pricing model), the forecast (dashed line) and the break-even points (markers), from
    :func:`pricing.cost_curves` and :func:`pricing.break_evens`."""
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
def backtest_chart(months: pd.DataFrame, currency: str, title: str = "") -> go.Figure:
    """Credits, earn-back and bonuses month by month under the terms (bars; earn-back and
    bonus below zero) and the net (line), from :func:`contracts.monthly_credits`;
    ``title`` defaults to "Back-test: what the terms would have credited, month by
    month" (in the report language)."""
    title = title or _("Back-test: what the terms would have credited, month by month")
    x = month_labels(pd.PeriodIndex(months.index))
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([
        go.Bar(x=x, y=months["credits"].to_numpy(), name=_("credits"),
               hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>credits</extra>"),
        go.Bar(x=x, y=-months["earned_back"].to_numpy(), name=_("earned back"),
               hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>earned back</extra>"),
        go.Bar(x=x, y=-months["bonus"].to_numpy(), name=_("bonus"),
               hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>bonus</extra>"),
        go.Scatter(x=x, y=months["net"].to_numpy(), name=_("net (vendor owes)"),
                   mode="lines+markers",
                   hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>net</extra>")])
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title=unit, tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, title)


def payout_chart(net: np.ndarray, currency: str) -> go.Figure:
    """Distribution of a year's net credits over the simulated years (histogram), with
    the mean and the 5th and 95th percentiles marked."""
    unit = _("{currency} a year").format(currency=currency)
    fig = go.Figure(go.Histogram(x=net, nbinsx=60, histnorm="percent",
                                 name=_("simulated years"),
                                 hovertemplate=f"%{{x}} {unit}: %{{y:.1f}} % of years"
                                               "<extra></extra>"))
    for q, label in NPV_MARKS:
        fig.add_vline(x=float(np.percentile(net, q)), line_dash="dot", line_color="#57606a",
                      annotation_text=term(label), annotation_position="top")
    fig.update_xaxes(title=_("net credits ({unit})").format(unit=unit), tickformat=",")
    fig.update_yaxes(title=_("% of simulated years"))
    return finish(fig, _("Payout over {n:,} simulated years").format(n=len(net)))


def miss_curve_chart(calib: pd.DataFrame, curves: dict[str, pd.DataFrame]) -> go.Figure:
    """Months a year each KPI would miss its target, as the target moves (lines), with
    today's target marked, from :func:`contract_views.calibration` and its curves."""
    from plotly.subplots import make_subplots

    ids = list(curves)
    fig = make_subplots(rows=1, cols=len(ids), subplot_titles=ids, shared_yaxes=True)
    for i, kid in enumerate(ids, start=1):
        c = curves[kid]
        fig.add_trace(go.Scatter(x=c["target"], y=c["months"], mode="lines", name=kid,
                                 showlegend=False,
                                 hovertemplate="target %{x:.3g}: missed %{y:.1f} months a "
                                               "year<extra></extra>"), row=1, col=i)
        now = calib.set_index("KPI").loc[kid]
        fig.add_trace(go.Scatter(x=[now["target"]], y=[now["months missed a year"]],
                                 mode="markers", marker={"size": 9, "color": "#cf222e"},
                                 showlegend=False, hovertemplate="today's target %{x:.3g}: "
                                 "%{y:.1f} months<extra></extra>"), row=1, col=i)
    fig.update_yaxes(title=_("months a year below target"), range=[0, 12], row=1, col=1)
    return finish(fig, _("How often each target would be missed (the vendor's history)"),
                   height=380)


def _kpi_axis(unit: str) -> tuple[str, str, float]:
    """Axis title, tick format and multiplier for a KPI unit (shares shown in %)."""
    if unit == "share":
        return "%", ".0%", 1.0
    return term(unit), ",.1f", 1.0


def control_charts(charts: dict[str, pd.DataFrame], alerts: pd.DataFrame,
                   month: pd.Period | None = None, cols: int = 3) -> go.Figure:
    """One Shewhart chart per KPI (value, centre line, control limits), signals marked
    (red: worse, green: better) and the reviewed month's worse alerts annotated."""
    from plotly.subplots import make_subplots

    from bpo_analysis.data.kpis import KPIS, fmt_value

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
    """One KPI as the vendor reported it and as the records give it, per month and
    channel (from :func:`review.reconcile`)."""
    from bpo_analysis.data.kpis import KPIS

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
    """Contacts offered (bars) against the forecast (lines), per month and channel."""
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
ROI_COLOURS = {N_("Vendor fees"): "#cf222e", N_("Retained (hidden) costs"): "#fd8c73",
               N_("One-off"): "#8250df", N_("Exit / transition back"): "#6e7781",
               N_("In-house cost avoided"): "#1f6feb", N_("Benefits"): "#2da44e"}


def payback_marker(payback: float | None, months: int) -> dict:
    """Where the cash-flow chart marks the payback: the month index (the first month
    at or after it), the label, and whether it shows (not when there is no payback)."""
    at = months - 1 if payback is None else min(int(np.ceil(payback)), months - 1)
    return {"x": at, "visible": payback is not None,
            "text": "" if payback is None else _("payback after {months:.1f} months").format(
                months=payback)}


def cash_flow_chart(by_group: pd.DataFrame, payback: float | None, currency: str,
                    title: str = "") -> go.Figure:
    """Monthly cash flows by group (bars: gains up, costs down) and the cumulative net
    (line, right axis), with the payback month marked; ``by_group`` has one column per
    group and one row per month (signed, currency), from :func:`roi_views.by_group`;
    ``title`` defaults to "Cash flows of the move, month by month" (in the report
    language)."""
    title = title or _("Cash flows of the move, month by month")
    x = month_labels(pd.PeriodIndex(by_group.index))
    unit = _("{currency} per month").format(currency=currency)
    fig = go.Figure([go.Bar(x=x, y=by_group[g].to_numpy(), name=term(g),
                            marker_color=ROI_COLOURS.get(g),
                            hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>{g}</extra>")
                     for g in by_group.columns])
    fig.add_trace(go.Scatter(x=x, y=by_group.sum(axis=1).cumsum().to_numpy(),
                             name=_("cumulative net"), mode="lines+markers", yaxis="y2",
                             line={"color": "#24292f", "width": 2},
                             hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}"
                                           "<extra>cumulative net</extra>"))
    fig.update_layout(barmode="relative", yaxis2={
        "title": _("cumulative net ({currency})").format(currency=currency),
        "overlaying": "y", "side": "right",
        "tickformat": ",", "showgrid": False, "zeroline": True})
    fig.update_yaxes(title=unit, tickformat=",", selector={"side": None})
    fig.update_xaxes(title=_("month (the first: one-offs before go-live)"), type="category")
    mark = payback_marker(payback, len(x))
    fig.add_shape(type="line", x0=mark["x"], x1=mark["x"], y0=0, y1=1, yref="paper",
                  line={"dash": "dash", "color": "#1a7f37"}, visible=mark["visible"])
    fig.add_annotation(x=mark["x"], y=1, yref="paper", text=mark["text"], showarrow=False,
                       xanchor="right", yanchor="bottom", visible=mark["visible"])
    return finish(fig, title, height=460)


def tornado_labels(table: pd.DataFrame) -> list[str]:
    """The tornado's bar labels, smallest swing first (plotly draws upwards)."""
    t = table.iloc[::-1]
    return [f"{d} ({lo:g} .. {hi:g})" for d, lo, hi in zip(t["driver"], t["low"], t["high"],
                                                           strict=True)]


TORNADO_SIDES = (("npv_low", N_("driver at low"), "#fd8c73"),
                 ("npv_high", N_("driver at high"), "#54aeff"))


def tornado_chart(table: pd.DataFrame, npv: float, currency: str) -> go.Figure:
    """NPV with each driver at its low and high value (bars from the base NPV), largest
    swing on top, from :func:`roi.tornado`."""
    t = table.iloc[::-1]
    fig = go.Figure([
        go.Bar(y=tornado_labels(table), x=(t[col] - npv).to_numpy(), base=npv,
               orientation="h", name=term(label), marker_color=colour,
               customdata=t[col].to_numpy(),
               hovertemplate=f"%{{y}}: NPV %{{customdata:,.0f}} {currency}<extra>{label}"
                             "</extra>")
        for col, label, colour in TORNADO_SIDES])
    fig.add_shape(type="line", x0=npv, x1=npv, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    fig.add_annotation(x=npv, y=1, yref="paper", text=f"NPV {npv:,.0f} {currency}",
                       showarrow=False, yanchor="bottom")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=_("net present value ({currency})").format(currency=currency),
                     tickformat=",")
    return finish(fig, _("Tornado: what moves the NPV most"), height=120 + 40 * len(t))


NPV_MARKS = ((5, "5 %"), (50, N_("median")), (95, "95 %"))


def npv_bins(npv: np.ndarray, p_positive: float, bins: int = 60) -> dict:
    """The NPV histogram's bars (centre, share of draws in %, width, colour), the
    quantile marks (one line trace: x and y with gaps) and the title."""
    counts, edges = np.histogram(npv, bins=bins)
    mid = (edges[:-1] + edges[1:]) / 2
    share = counts / counts.sum() * 100
    top = float(share.max()) * 1.08
    marks = np.percentile(npv, [q for q, _ in NPV_MARKS])
    return {"x": mid, "y": share, "width": np.diff(edges),
            "color": np.where(mid > 0, "#2da44e", "#cf222e"),
            "mark_x": [v for m in marks for v in (m, m, None)],
            "mark_y": [v for _ in marks for v in (0.0, top, None)],
            "title": _("NPV over {n:,} draws: P(NPV > 0) = {p:.0%}").format(
                n=len(npv), p=p_positive)}


def npv_histogram(npv: np.ndarray, currency: str, p_positive: float,
                  bins: int = 60) -> go.Figure:
    """Distribution of the simulated NPVs (binned here: the report does not carry every
    draw), with the 5 %, median and 95 % marked (dotted), and zero."""
    b = npv_bins(npv, p_positive, bins)
    fig = go.Figure([
        go.Bar(x=b["x"], y=b["y"], width=b["width"], marker_color=b["color"],
               name=_("draws"),
               hovertemplate=f"NPV %{{x:,.0f}} {currency}: %{{y:.1f}} % of draws"
                             "<extra></extra>"),
        go.Scatter(x=b["mark_x"], y=b["mark_y"], mode="lines+text",
                   name=_("5 %, median, 95 %"),
                   line={"dash": "dot", "color": "#57606a"}, textposition="top center",
                   text=[t for _q, label in NPV_MARKS for t in ("", term(label), "")],
                   hovertemplate=f"%{{x:,.0f}} {currency}<extra></extra>")])
    fig.add_shape(type="line", x0=0, x1=0, y0=0, y1=1, yref="paper",
                  line={"color": "#24292f"})
    fig.update_xaxes(title=_("net present value ({currency})").format(currency=currency),
                     tickformat=",")
    fig.update_yaxes(title=_("% of draws"))
    return finish(fig, b["title"])


def plan_vs_actual_chart(cumulative: pd.DataFrame, currency: str) -> go.Figure:
    """Cumulative net cash flow: the plan and actuals + plan for the months still to
    come (lines), the months run shaded; ``cumulative`` from
    :func:`roi_views.cumulative_plan_actual`."""
    x = month_labels(pd.PeriodIndex(cumulative.index))
    fig = go.Figure([go.Scatter(x=x, y=cumulative[c].to_numpy(), name=term(c), mode="lines",
                                line={"dash": dash, "width": 2},
                                hovertemplate=f"%{{x}}: %{{y:,.0f}} {currency}<extra>{c}"
                                              "</extra>")
                     for c, dash in ((N_("plan"), "dot"), (N_("actual + plan"), "solid"))])
    run = int(cumulative["run"].sum())
    if run:
        fig.add_vrect(x0=-0.5, x1=run - 0.5, fillcolor="rgba(84,174,255,0.12)",
                      line_width=0, annotation_text=_("months run"),
                      annotation_position="top left")
    fig.update_yaxes(title=_("cumulative net ({currency})").format(currency=currency),
                     tickformat=",")
    fig.update_xaxes(title=_("month"), type="category")
    return finish(fig, _("Plan against actuals: cumulative net cash flow"))
