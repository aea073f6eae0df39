"""Dashboard of notebook 03: the quotes and their TCO, live.

Move the volume, the forecast error, the contract length, the discount rate, the
escalation or the hidden-cost share; the quote comparison, the risk and flag tables and
the finalists' TCO follow.
"""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.core.quotes import Plans, PricingInputs
from bpo_analysis.i18n import _
from bpo_analysis.steps.pricing import PricingResult
from bpo_analysis.steps.pricing import charts as pricing_charts
from bpo_analysis.steps.pricing import views as pricing_views
from bpo_analysis.steps.pricing.step import price
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["pricing_dashboard"]


def pricing_dashboard(result: PricingResult) -> w.VBox:
    """Build sliders for the step-3 assumptions around ``result`` (the report's numbers).

    The tables and the TCO waterfalls of the finalists update in place. Each quote keeps
    its own escalation until the escalation slider is moved (or its box ticked).
    Staffing plans are cached by volume, so returning to a volume is immediate; a new
    volume takes a few tenths of a second (the demand is re-staffed for every contract
    year).
    """
    client, quote_ids = result.client, result.finalists
    cur = client.currency  # the ISO code, as the other dashboards
    sc, tco, inputs = client.scenario, client.tco, result.inputs
    escalation = float(client.quotes["annual_escalation"].median())
    hidden = float(sum(tco.retained.values())) if tco else 0.045
    wide = {"style": {"description_width": "190px"}, "layout": w.Layout(width="460px"),
            "continuous_update": False}
    controls = {
        "volume_scale": w.FloatSlider(inputs.volume_scale, min=0.5, max=1.5, step=0.05,
                                      description=_("Volume (x forecast)"), **wide),
        "forecast_error": w.FloatSlider(inputs.forecast_error, min=0.0, max=0.5, step=0.05,
                                        description=_("Forecast error (+-)"), **wide),
        "term_months": w.IntSlider(inputs.term_months or sc.planning_horizon_months, min=12,
                                   max=60, step=6, description=_("Contract length (months)"),
                                   **wide),
        "discount_rate": w.FloatSlider(sc.discount_rate if inputs.discount_rate is None
                                       else inputs.discount_rate, min=0.0, max=0.2,
                                       step=0.005, description=_("Discount rate (per year)"),
                                       readout_format=".1%", **wide),
        "one_escalation": w.Checkbox(inputs.escalation is not None,
                                     description=_("One escalation for all quotes"),
                                     indent=False),
        "escalation": w.FloatSlider(escalation if inputs.escalation is None
                                    else inputs.escalation, min=-0.1, max=0.3, step=0.005,
                                    description=_("Escalation, all quotes (per year)"),
                                    readout_format=".1%", **wide),
        "hidden_share": w.FloatSlider(hidden if inputs.hidden_share is None
                                      else inputs.hidden_share, min=0.0, max=0.15,
                                      step=0.005, description=_("Hidden costs (share)"),
                                      readout_format=".1%", **wide),
    }
    plans = Plans(client)
    curves = result.curves
    sentence = w.HTML(f"<b>{pricing_views.headlines(result, cur).title}</b>")
    table = w.HTML(pricing_views.comparison_view(result, cur).to_html())
    risk = w.HTML(pricing_views.risk_view(result, cur).to_html())
    flags = w.HTML(pricing_views.flags_view(result, cur).to_html())
    waterfall = go.FigureWidget(pricing_charts.tco_waterfalls(result.term, quote_ids, cur))
    state = {"result": result}

    @live
    def update(_change: object = None) -> None:
        v = {k: c.value for k, c in controls.items()}
        new = PricingInputs(
            volume_scale=float(v["volume_scale"]), forecast_error=float(v["forecast_error"]),
            term_months=int(v["term_months"]), discount_rate=float(v["discount_rate"]),
            escalation=float(v["escalation"]) if v["one_escalation"] else None,
            hidden_share=float(v["hidden_share"]), seats=inputs.seats)
        res = price(client, new, plans=plans, curves=curves, currency=cur)
        state["result"] = res
        sentence.value = f"<b>{pricing_views.headlines(res, cur).title}</b>"
        table.value = pricing_views.comparison_view(res, cur).to_html()
        risk.value = pricing_views.risk_view(res, cur).to_html()
        flags.value = pricing_views.flags_view(res, cur).to_html()
        refresh(waterfall, pricing_charts.tco_waterfalls(res.term, quote_ids, cur))

    def escalation_moved(_change: object = None) -> None:
        if controls["one_escalation"].value:
            update()
        else:  # moving the slider is choosing one escalation for all quotes
            controls["one_escalation"].value = True  # triggers update()

    for name, c in controls.items():
        c.observe(escalation_moved if name == "escalation" else update, names="value")
    sliders = list(controls.values())
    box = w.VBox([w.HBox([w.VBox(sliders[:3]), w.VBox(sliders[3:])]), sentence, table,
                  waterfall, risk, flags])
    box.controls, box.figures, box.state = controls, {"waterfall": waterfall}, state
    box.summary, box.tables = sentence, {"comparison": table, "risk": risk, "flags": flags}
    return box
