"""Dashboard of notebook 08: a live self-assessment. Pick a subject, move any answer
(1 operational .. 4 visionary); the level cards, the radar's "live" trace and the gaps
follow."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w
import plotly.graph_objects as go

from .. import maturity as mt
from .. import maturity_views, risk_plots
from ..models import Assessment, MaturityAnswers

__all__ = ["maturity_dashboard"]

LIVE = "live answers"


def maturity_dashboard(result: maturity_views.MaturityReview) -> w.VBox:
    """Sliders holding ``result.subject``'s answers; the subject's own answers are
    untouched, the live ones are assessed beside them."""
    m0 = result.maturity
    pick = w.Dropdown(options=m0.subjects, value=result.subject, description="Subject")
    sliders: dict[tuple[str, str], w.IntSlider] = {}
    for dim, qs in mt.QUESTIONNAIRE.items():
        for q in qs:
            sliders[(dim, q.id)] = w.IntSlider(
                1, min=1, max=4, description=q.topic[:28], continuous_update=False,
                style={"description_width": "210px"}, layout=w.Layout(width="420px"))
    summary = w.HTML()
    gaps = w.HTML()
    radar = go.FigureWidget(risk_plots.maturity_radar(m0.answers, m0.subjects))
    radar.add_trace(go.Scatterpolar(r=[], theta=[], name=LIVE, line={"dash": "dot",
                                                                      "color": "#24292f"}))
    state: dict = {"loading": False}

    def assess() -> maturity_views.MaturityReview:
        answers = {d: {q.id: sliders[(d, q.id)].value for q in qs}
                   for d, qs in mt.QUESTIONNAIRE.items()}
        live = MaturityAnswers(assessments=[Assessment(subject=LIVE, answers=answers)])
        return replace(result, maturity=mt.assess(live), subject=LIVE)

    def update(_change: object = None) -> None:
        if state["loading"]:
            return
        res = assess()
        state["result"] = res
        summary.value = maturity_views.headlines(res)._repr_html_()
        gaps.value = maturity_views.gaps_view(res).to_html()
        a = res.maturity.answers
        theta = [f"{d[:4]}.: {t}" for d, t in zip(a["dimension"], a["topic"], strict=True)]
        with radar.batch_update():
            radar.data[-1].r = [*a["answer"], a["answer"].iloc[0]]
            radar.data[-1].theta = [*theta, theta[0]]

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
    columns = [w.VBox([w.HTML(f"<b>{d.title()}</b>"),
                       *[sliders[(d, q.id)] for q in qs]])
               for d, qs in mt.QUESTIONNAIRE.items()]
    box = w.VBox([pick, w.HBox(columns), summary, radar, gaps])
    box.controls = {"subject": pick, **{f"{d}.{q}": s for (d, q), s in sliders.items()}}
    box.state, box.summary, box.figures = state, summary, {"radar": radar}
    return box
