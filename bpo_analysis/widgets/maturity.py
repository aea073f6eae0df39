"""Dashboard of notebook 08: a live self-assessment.

Pick a subject, move any answer (1 operational .. 4 visionary); the level cards, the
radar's "live" trace and the gaps follow.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.data import questionnaire
from bpo_analysis.data.models import Assessment, MaturityAnswers
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.maturity import MaturityResult
from bpo_analysis.steps.maturity import calc as mt
from bpo_analysis.steps.maturity import charts as maturity_charts
from bpo_analysis.steps.maturity import views as maturity_views

__all__ = ["maturity_dashboard"]

#: The subject the sliders' answers are assessed as (shown in the report language).
LIVE = N_("live answers")


def maturity_dashboard(result: MaturityResult) -> w.VBox:
    """Build sliders holding ``result.subject``'s answers.

    The subject's own answers are untouched, the live ones are assessed beside them.
    """
    m0 = result.maturity
    live_name = term(LIVE)
    pick = w.Dropdown(options=m0.subjects, value=result.subject, description=_("Subject"))
    sliders: dict[tuple[str, str], w.IntSlider] = {}
    for dim, qs in questionnaire.QUESTIONNAIRE.items():
        for q in qs:
            sliders[(dim, q.id)] = w.IntSlider(
                1, min=1, max=4, description=q.topic[:28], continuous_update=False,
                style={"description_width": "210px"}, layout=w.Layout(width="420px"))
    summary = w.HTML()
    gaps = w.HTML()
    # plotly 7's FigureWidget (anywidget) drops changes made before it is shown: a trace
    # added, or data set, then never reaches the browser. So the widget is made once the
    # first live answers are known (below), with the live trace already in its figure.
    radar = None
    state: dict = {"loading": False}

    def assess() -> MaturityResult:
        answers = {d: {q.id: sliders[(d, q.id)].value for q in qs}
                   for d, qs in questionnaire.QUESTIONNAIRE.items()}
        live = MaturityAnswers(assessments=[Assessment(subject=live_name, answers=answers)])
        return replace(result, maturity=mt.assess(live), subject=live_name)

    def update(_change: object = None) -> None:
        if state["loading"]:
            return
        res = assess()
        state["result"] = res
        summary.value = maturity_views.headlines(res)._repr_html_()
        gaps.value = maturity_views.gaps_view(res).to_html()
        a = res.maturity.answers
        theta = maturity_charts.radar_labels(a)
        state["live"] = {"r": [*a["answer"], a["answer"].iloc[0]], "theta": [*theta, theta[0]]}
        if radar is not None:
            with radar.batch_update():
                radar.data[-1].r, radar.data[-1].theta = state["live"].values()

    def load(_change: object = None) -> None:
        own = m0.answers[m0.answers["subject"] == pick.value]
        state["loading"] = True
        for d, q, v in zip(own["dimension"], own["question"], own["answer"], strict=True):
            sliders[(d, q)].value = int(v)
        state["loading"] = False
        update()

    pick.observe(load, names="value")
    for s in sliders.values():
        s.observe(update, names="value")
    load()
    fig = maturity_charts.maturity_radar(m0.answers, m0.subjects)
    fig.add_trace(go.Scatterpolar(**state["live"], name=live_name,
                                  line={"dash": "dot", "color": "#24292f"}))
    radar = go.FigureWidget(fig)
    columns = [w.VBox([w.HTML(f"<b>{term(d).title()}</b>"),
                       *[sliders[(d, q.id)] for q in qs]])
               for d, qs in questionnaire.QUESTIONNAIRE.items()]
    box = w.VBox([pick, w.HBox(columns), summary, radar, gaps])
    box.controls = {"subject": pick, **{f"{d}.{q}": s for (d, q), s in sliders.items()}}
    box.state, box.summary, box.figures = state, summary, {"radar": radar}
    return box
