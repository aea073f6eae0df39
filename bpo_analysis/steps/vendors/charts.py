"""Figures of notebook 02 (vendor evaluation).

Contributions, rank stability, switch points, the radar and AHP weights.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import finish
from bpo_analysis.i18n import _

__all__ = ["ahp_weights_chart", "contribution_chart", "radar_chart", "rank_stability_chart",
           "switch_point_chart"]


def contribution_chart(contributions: pd.DataFrame, groups: pd.Series) -> go.Figure:
    """Plot the weighted-sum score of each vendor (horizontal bars) by criteria group.

    Stacked by group, from :attr:`scoring.Ranking.contributions`; ``groups`` maps criterion
    -> group.
    """
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
    """Plot the share of weightings under which each vendor takes each rank.

    Stacked bars, from :func:`sensitivity.rank_stability`.
    """
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
    """Plot, for each criterion, the weights over which today's winner stays the winner.

    The range of its weight (bar) and today's weight (diamond), from
    :func:`sensitivity.weight_switch_points`.
    """
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
    """Plot the finalists by criteria group (0 = worst, 1 = best of the finalists).

    From :func:`~bpo_analysis.steps.vendors.scoring.group_scores`.
    """
    theta = [*group_scores.columns, group_scores.columns[0]]
    fig = go.Figure([go.Scatterpolar(r=[*row, row.iloc[0]], theta=theta, name=str(v),
                                     fill="toself", opacity=0.6,
                                     hovertemplate=f"{v}<br>%{{theta}}: %{{r:.2f}} "
                                                   "(0-1, best = 1)<extra></extra>")
                     for v, row in group_scores.iterrows()])
    fig.update_layout(polar={"radialaxis": {"range": [0, 1], "title": _("score (0-1)")}})
    return finish(fig, _("The finalists by criteria group (1 = best of the finalists)"))


def ahp_weights_chart(ahp_weights: pd.Series, stated: pd.Series) -> go.Figure:
    """Plot AHP weights next to the stated weights (both as % of 1), per compared item."""
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
