"""Figures of notebook 02 (vendor evaluation).

Contributions, rank stability, switch points, the radar and AHP weights.

The report and the live dashboard draw the same figure from the same function; every
axis, colour bar and hover label names its unit (and the currency for money).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import finish, palette, radar_polar
from bpo_analysis.i18n import N_, _, term

__all__ = ["ahp_weights_chart", "contribution_chart", "radar_chart", "rank_stability_chart",
           "switch_point_chart"]

#: The criteria groups of the bundled clients' ``criteria.yaml`` (translated with ``term``;
#: a client's own groups show as its file writes them).
_GROUPS = (N_("service quality"), N_("scale"), N_("industry experience"),
           N_("operations maturity"), N_("people"), N_("flexibility"), N_("technology"),
           N_("information security"), N_("business continuity"), N_("site"),
           N_("pilot results"), N_("price"), N_("data protection"),
           N_("healthcare experience"))


def contribution_chart(contributions: pd.DataFrame, groups: pd.Series) -> go.Figure:
    """Plot the weighted-sum score of each vendor (horizontal bars) by criteria group.

    Stacked by group, one colour each, from :attr:`scoring.Ranking.contributions`;
    ``groups`` maps criterion -> group.
    """
    by_group = contributions.T.groupby(groups.reindex(contributions.columns), sort=False).sum()
    order = contributions.sum(axis=1).sort_values().index
    fig = go.Figure([go.Bar(y=list(order), x=by_group.loc[g, order].to_numpy(), name=term(g),
                            orientation="h", marker_color=colour,
                            hovertemplate=_("{group}<br>{vendor}: {score} points").format(
                                group=term(g), vendor="%{y}", score="%{x:.3f}")
                                          + "<extra></extra>")
                     for g, colour in zip(by_group.index, palette(len(by_group)), strict=True)])
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=_("weighted-sum score (0-1 points), by criteria group"))
    fig.update_yaxes(title=_("vendor"))
    return finish(fig, _("Where each vendor's score comes from"), height=160 + 60 * len(order))


def rank_stability_chart(stability: pd.DataFrame) -> go.Figure:
    """Plot the share of weightings under which each vendor takes each rank.

    Stacked bars, from :func:`sensitivity.rank_stability`.
    """
    cols = [c for c in stability.columns if c.startswith("P(rank")]
    ranks = [c.removeprefix("P(rank").removesuffix(")").strip() for c in cols]
    fig = go.Figure([go.Bar(x=list(stability.index), y=stability[c].to_numpy() * 100,
                            name=_("rank {n}").format(n=n),
                            hovertemplate=_("{vendor}: rank {n} in {share} % of weightings")
                            .format(vendor="%{x}", n=n, share="%{y:.1f}") + "<extra></extra>")
                     for c, n in zip(cols, ranks, strict=True)])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("% of weightings"), range=[0, 100])
    fig.update_xaxes(title=_("vendor"), type="category")
    return finish(fig, _("How sure is the ranking? Ranks over weightings drawn around the "
                          "chosen weights"))


def switch_point_chart(switch: pd.DataFrame) -> go.Figure:
    """Plot, for each criterion, the weights over which today's winner stays the winner.

    The range of its weight (bar) and today's weight (diamond), shown in %, from
    :func:`sensitivity.weight_switch_points`.
    """
    s = switch.iloc[::-1]
    lo = s["below"].astype(float).fillna(0.0)
    hi = s["above"].astype(float).fillna(1.0)
    winner = s["winner"].iloc[0] if len(s) else ""
    outside = [" ".join([*([_("Below, {vendor} wins.").format(vendor=wb)] if pd.notna(wb)
                           else []),
                         *([_("Above, {vendor} wins.").format(vendor=wa)] if pd.notna(wa)
                           else [])]) or _("At any weight.")
               for wb, wa in zip(s["winner below"], s["winner above"], strict=True)]
    fig = go.Figure([
        go.Bar(y=list(s.index), x=(hi - lo).to_numpy(), base=lo.to_numpy(), orientation="h",
               name=_("{winner} stays the winner").format(winner=winner),
               marker={"color": "#9ecbff"}, customdata=list(zip(lo, hi, outside, strict=True)),
               hovertemplate=_("{criterion}: {winner} stays the winner from {low} to {high}")
               .format(criterion="%{y}", winner=winner, low="%{customdata[0]:.1%}",
                       high="%{customdata[1]:.1%}")
                             + "<br>%{customdata[2]}<extra></extra>"),
        go.Scatter(y=list(s.index), x=s["weight"].to_numpy(), mode="markers",
                   name=_("weight today"), marker={"symbol": "diamond", "size": 9,
                                                "color": "#cf222e"},
                   hovertemplate=_("{criterion}: weight today {weight}").format(
                       criterion="%{y}", weight="%{x:.1%}") + "<extra></extra>")])
    fig.update_xaxes(title=_("weight of the criterion (%; the others rescale)"),
                     range=[0, 1], tickformat=".0%")
    fig.update_yaxes(title=_("criterion"), type="category")
    return finish(fig, _("Weights over which {winner} stays the winner").format(winner=winner),
                   height=max(420, 22 * len(s) + 120))


def radar_chart(group_scores: pd.DataFrame) -> go.Figure:
    """Plot the finalists by criteria group (0 = worst, 1 = best of the finalists).

    From :func:`~bpo_analysis.steps.vendors.scoring.group_scores`.
    """
    groups = [term(g) for g in group_scores.columns]
    theta = [*groups, groups[0]]
    fig = go.Figure([go.Scatterpolar(r=[*row, row.iloc[0]], theta=theta, name=str(v),
                                     fill="toself", opacity=0.6, line={"color": colour},
                                     hovertemplate=_("{vendor}<br>{group}: {score} (0-1, best "
                                                     "= 1)").format(vendor=v, group="%{theta}",
                                                                    score="%{r:.2f}")
                                                   + "<extra></extra>")
                     for (v, row), colour in zip(group_scores.iterrows(),
                                                 palette(len(group_scores)), strict=True)])
    polar = radar_polar(groups, 520)
    polar["radialaxis"].update(range=[0, 1], tickvals=[0, 0.5, 1])
    fig.update_layout(polar=polar)
    return finish(fig, _("The finalists by criteria group (1 = best of the finalists)"), 520)


def ahp_weights_chart(ahp_weights: pd.Series, stated: pd.Series) -> go.Figure:
    """Plot AHP weights next to the stated weights (both as % of 1), per compared item."""
    fig = go.Figure([go.Bar(x=[term(g) for g in weights.index], y=weights.to_numpy() * 100,
                            name=name, hovertemplate="%{x}: %{y:.1f} %<extra>" + name
                                                     + "</extra>")
                     for weights, name in ((ahp_weights, _("AHP (pairwise judgements)")),
                                           (stated, _("as stated in the criteria")))])
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("weight, %"))
    fig.update_xaxes(type="category")
    return finish(fig, _("Weights from pairwise judgements (AHP) and as stated"))


# ---------------------------------------------------------------- step 3: pricing
