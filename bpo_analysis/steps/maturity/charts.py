"""Figures of notebook 08 (maturity): the radar of every topic's level.

Built like every step's charts (the house style of :mod:`bpo_analysis.core.charts`);
the report and the live dashboard draw the same figure.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.charts import finish, palette, radar_polar
from bpo_analysis.i18n import N_, _, term

__all__ = ["maturity_radar", "radar_labels"]


def maturity_radar(answers: pd.DataFrame, subjects: list[str]) -> go.Figure:
    """Plot every topic's level (1 operational .. 4 visionary), one trace per subject.

    From :func:`~bpo_analysis.steps.maturity.calc.assess` (``answers``).
    """
    fig = go.Figure()
    labels: dict[str, None] = {}
    for s, colour in zip(subjects, palette(len(subjects)), strict=True):
        a = answers[answers["subject"] == s]
        theta = radar_labels(a)
        labels.update(dict.fromkeys(theta))
        fig.add_trace(go.Scatterpolar(
            r=[*a["answer"], a["answer"].iloc[0]], theta=[*theta, theta[0]], name=s,
            fill="toself", opacity=0.55, line={"color": colour},
            hovertemplate=_("{subject}<br>{topic}: level {level} (1-4)").format(
                subject=s, topic="%{theta}", level="%{r}") + "<extra></extra>"))
    polar = radar_polar(list(labels), 560)
    polar["radialaxis"].update(range=[0, 4.2], tickvals=[1, 2, 3, 4])
    fig.update_layout(polar=polar)
    fig.add_annotation(text=_("Levels: {levels}").format(levels=_(", ").join(
        f"{i} {term(n)}" for i, n in enumerate(_LEVELS, start=1))), showarrow=False,
        x=0.5, y=0, xref="paper", yref="paper", yanchor="top", yshift=-8)
    return finish(fig, _("Maturity by topic (level 1-4)"), height=560)


_LEVELS = (N_("operational"), N_("refined"), N_("strategic"), N_("visionary"))
_DIMENSIONS = {N_("technology"): N_("tech."), N_("people"): N_("peop."),
               N_("process"): N_("proc.")}


def radar_labels(answers: pd.DataFrame) -> list[str]:
    """Return the radar's axis labels, 'tech.: <topic>'.

    The layer shortened, in the report language, then the questionnaire's topic.
    """
    return [f"{term(_DIMENSIONS.get(d, d[:4] + '.'))}: {term(t)}"
            for d, t in zip(answers["dimension"], answers["topic"], strict=True)]
