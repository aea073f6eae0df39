"""Dashboard of notebook 06: the business case, live.

A slider for every driver of the business case and the discount rate; the headline
figures, the cash-flow chart, the tornado and the NPV distribution update in place.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.core.verdicts import VerdictRules
from bpo_analysis.data.models import ROI_DRIVERS
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.roi import RoiResult
from bpo_analysis.steps.roi import charts as roi_charts
from bpo_analysis.steps.roi import model as roi
from bpo_analysis.steps.roi import views as roi_views
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["roi_dashboard"]

#: Slider label and readout of each driver.
LABELS = {"volume": (N_("Volume (x forecast)"), ".2f"), "aht": (N_("AHT (x forecast)"), ".2f"),
          "wage_inflation": (N_("Wage inflation (a year)"), ".1%"),
          "price_escalation": (N_("Price escalation (a year)"), ".1%"),
          "churn_reduction": (N_("Churn reduction (relative)"), ".1%"),
          "transition_overrun": (N_("Transition overrun"), ".0%"),
          "customer_value": (N_("Customer value"), ",.0f"),
          "fcr_after": (N_("FCR with the vendor"), ".1%")}


def _span(case: roi.BusinessCase, d: str) -> tuple[float, float]:
    """Return a driver's slider range: its low..high, or +-50 % around a base without one."""
    if d in case.ranges:
        return case.ranges[d]
    base = case.base[d]
    return (base * 0.5, base * 1.5) if base > 0 else (0.0, 1.0)


def roi_dashboard(result: RoiResult, draws: int = 10_000) -> w.VBox:
    """Build sliders around ``result`` (the report's case).

    Every move recomputes the measures, the tornado and a Monte Carlo of ``draws``
    draws (the report's 100,000 take about 0.15 s; 10,000 keep a slider under 50 ms) on
    the same business case, without re-running the staffing engine.
    """
    case0, cur = result.case, result.case.currency
    wide = {"style": {"description_width": "200px"}, "layout": w.Layout(width="460px"),
            "continuous_update": False}
    controls: dict[str, w.FloatSlider] = {}
    for d in ROI_DRIVERS:
        lo, hi = _span(case0, d)
        label, fmt = LABELS[d]
        controls[d] = w.FloatSlider(result.drivers.get(d, case0.base[d]), min=lo, max=hi,
                                    step=(hi - lo) / 100 or 0.01, description=term(label),
                                    readout_format=fmt, **wide)
    controls["discount_rate"] = w.FloatSlider(case0.discount_rate, min=0.0, max=0.2,
                                              step=0.005, description=_("Discount rate (a year)"),
                                              readout_format=".1%", **wide)
    summary = w.HTML(roi_views.headlines(result, VerdictRules.of(result.client))._repr_html_())
    every = roi_views.by_group(case0, result.drivers, every=True)
    flows = go.FigureWidget(roi_charts.cash_flow_chart(every, result.measures.payback, cur))
    tornado = go.FigureWidget(roi_charts.tornado_chart(result.tornado,
                                                  result.tornado.attrs.get("npv", 0.0), cur))
    hist = go.FigureWidget(roi_charts.npv_histogram(result.simulation.npv, cur,
                                               result.simulation.p_positive))
    state = {"result": result}

    @live
    def update(_change: object = None) -> None:
        v = {k: c.value for k, c in controls.items()}
        case = case0.with_rate(v.pop("discount_rate"))
        res = replace(result, case=case, drivers=v, measures=roi.measures(case, v),
                      tornado=roi.tornado(case, v), simulation=roi.simulate(case, draws, 0, v),
                      actual=None)  # the decision, the client and the inputs kept
        state["result"] = res
        summary.value = roi_views.headlines(res, VerdictRules.of(res.client))._repr_html_()
        grouped = roi_views.by_group(case, v, every=True)
        refresh(flows, roi_charts.cash_flow_chart(grouped, res.measures.payback, cur))
        refresh(tornado, roi_charts.tornado_chart(res.tornado, res.tornado.attrs["npv"], cur))
        refresh(hist, roi_charts.npv_histogram(res.simulation.npv, cur,
                                               res.simulation.p_positive))

    for c in controls.values():
        c.observe(update, names="value")
    items = list(controls.values())
    half = (len(items) + 1) // 2
    box = w.VBox([w.HBox([w.VBox(items[:half]), w.VBox(items[half:])]), summary, flows,
                  tornado, hist])
    box.controls, box.state, box.summary = controls, state, summary
    box.figures = {"cash_flows": flows, "tornado": tornado, "npv": hist}
    return box
