"""Dashboard of notebook 02: the vendor ranking, live.

Move a criterion's weight (the others rescale) or the method, and the ranking, the rank
stability and the switch points follow.
"""

from __future__ import annotations

import dataclasses

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.i18n import _, term
from bpo_analysis.steps.vendors import VendorsResult, sensitivity
from bpo_analysis.steps.vendors import charts as vendor_charts
from bpo_analysis.steps.vendors import views as scoring_views
from bpo_analysis.steps.vendors.scoring import METHODS, rank, rescale_weights
from bpo_analysis.widgets.controls import live
from bpo_analysis.widgets.controls import refresh as refresh_figure

__all__ = ["vendor_dashboard"]


def _recompute(ev: VendorsResult, weights, method: str, draws: int) -> VendorsResult:
    """Return the evaluation under new weights or method.

    Rankings, stability, switch points (prices, knock-outs and the matrix stay).
    """
    directions = ev.criteria["direction"]
    rankings = {m: rank(ev.matrix, weights, directions, m) for m in METHODS}
    stability = sensitivity.rank_stability(ev.matrix, weights, directions, method, n=draws,
                                       concentration=ev.concentration, seed=ev.seed)
    switch = sensitivity.weight_switch_points(ev.matrix, weights, directions, method)
    return dataclasses.replace(ev, weights=weights, method=method, rankings=rankings,
                               stability=stability, switch_points=switch)


def _table_html(ev: VendorsResult, currency: str) -> str:
    return scoring_views.rankings_view(ev, currency).to_html()


STEP = 0.005  # the weight sliders' grid


def _on_grid(weight: float) -> float:
    """Return a weight as its slider shows it: on the 0.005 grid.

    The evaluation keeps the exact weights; a slider only ever holds a value the browser
    leaves as it is.
    """
    return round(float(weight) / STEP) * STEP


def vendor_dashboard(ev: VendorsResult, currency: str, draws: int = 2_000) -> w.VBox:
    """Build one slider per criterion weight and a method selector.

    Moving one slider rescales the others so they sum to 1; the sliders show the
    weights on their 0.005 grid, the evaluation uses the exact ones. The ranking table,
    the verdict, the rank-stability and the switch-point charts update in place. Live,
    rank stability draws ``draws`` weightings (2,000: a slider answers at once; the
    report draws 10,000).
    """
    state = {"ev": ev, "busy": False}
    sliders = {cid: w.FloatSlider(_on_grid(ev.weights[cid]), min=0.0, max=1.0, step=STEP,
                                  readout_format=".3f", continuous_update=False,
                                  description=f"{row['name']}",
                                  style={"description_width": "200px"},
                                  layout=w.Layout(width="420px"))
               for cid, row in ev.criteria.iterrows()}
    method = w.Dropdown(options=[(term(v), k) for k, v in METHODS.items()], value=ev.method,
                        description=_("Method"))
    stability = go.FigureWidget(vendor_charts.rank_stability_chart(ev.stability))
    switch = go.FigureWidget(vendor_charts.switch_point_chart(ev.switch_points))
    sentence = w.HTML(f"<b>{scoring_views.verdict(ev)}</b><br>"
                      f"{scoring_views.switch_sentence(ev.switch_points)}")
    table = w.HTML(_table_html(ev, currency))

    @live
    def refresh(new: VendorsResult) -> None:
        state["ev"] = new
        sentence.value = (f"<b>{scoring_views.verdict(new)}</b><br>"
                          f"{scoring_views.switch_sentence(new.switch_points)}")
        table.value = _table_html(new, currency)
        refresh_figure(stability, vendor_charts.rank_stability_chart(new.stability))
        refresh_figure(switch, vendor_charts.switch_point_chart(new.switch_points))

    def on_weight(change: dict) -> None:
        cid = next(k for k, s in sliders.items() if s is change["owner"])
        # a browser sends back the value it was given, rounded by its own arithmetic:
        # that is no move (before, off-grid values came back snapped and the weights drifted)
        if state["busy"] or abs(change["new"] - _on_grid(state["ev"].weights[cid])) < 1e-9:
            return
        weights = rescale_weights(state["ev"].weights, cid, float(change["new"]))
        state["busy"] = True
        try:
            for k, s in sliders.items():
                if k != cid:
                    s.value = _on_grid(weights[k])
        finally:
            state["busy"] = False
        refresh(_recompute(state["ev"], weights, method.value, draws))

    def on_method(change: dict) -> None:
        refresh(_recompute(state["ev"], state["ev"].weights, change["new"], draws))

    for s in sliders.values():
        s.observe(on_weight, names="value")
    method.observe(on_method, names="value")
    items = list(sliders.values())
    half = (len(items) + 1) // 2
    box = w.VBox([method, w.HBox([w.VBox(items[:half]), w.VBox(items[half:])]), sentence,
                  table, stability, switch])
    box.controls = {**sliders, "method": method}
    box.figures = {"stability": stability, "switch": switch}
    box.state, box.summary, box.table = state, sentence, table
    return box
