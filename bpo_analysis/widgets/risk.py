"""Dashboard of notebook 07: the surge and outage risks, live.

Sliders for the surge multiplier, its duration, the vendor's ramp speed and the backup
share; the headline cards, the surge chart, the surge costs by pricing model and the
outage options update in place.
"""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.errors import BpoAnalysisError
from bpo_analysis.i18n import _
from bpo_analysis.steps.risk import RiskResult
from bpo_analysis.steps.risk import calc as risk
from bpo_analysis.steps.risk import charts as risk_plots
from bpo_analysis.steps.risk import surge as surge_model
from bpo_analysis.steps.risk import views as risk_views
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["risk_dashboard"]


def risk_dashboard(result: RiskResult, client) -> w.VBox:
    """Build sliders around ``result`` (the report's review of ``client``).

    A move recomputes the surge (Erlang A per interval) and its costs, or the backup
    options (the share slider sets every option's share, where the report shows each
    option's own), on the report's staffing plan, which is not computed again. A choice
    the model refuses (a surge running past the demand year) is said above the cards,
    which keep the last valid figures.
    """
    s0 = result.surge
    wide = {"style": {"description_width": "200px"}, "layout": w.Layout(width="460px"),
            "continuous_update": False}
    share0 = (result.outage.terms.options[0].share if result.outage.terms.options else 0.5)
    controls = {
        "multiplier": w.FloatSlider(s0.inputs.multiplier, min=0.5, max=4.0, step=0.1,
                                    description=_("Surge (x forecast volume)"),
                                    readout_format=".1f", **wide),
        "days": w.IntSlider(s0.inputs.days, min=1, max=21, description=_("Surge length (days)"),
                            **wide),
        "seats_per_day": w.FloatSlider(s0.seats_per_day, min=0.0, max=20.0, step=0.5,
                                       description=_("Vendor ramp (seats a day)"),
                                       readout_format=".1f", **wide),
        "backup_share": w.FloatSlider(share0, min=0.0, max=1.0, step=0.05,
                                      description=_("Backup share, every option"),
                                      readout_format=".0%", **wide)}
    summary = w.HTML(risk_views.headlines(result)._repr_html_())
    note = w.HTML()
    cur = result.currency
    surge_fig = go.FigureWidget(risk_plots.surge_chart(s0.intervals, result.channel,
                                                       result.target, result.within_s))
    cost_fig = go.FigureWidget(risk_plots.surge_cost_chart(result.surge_costs, cur))
    outage_fig = go.FigureWidget(risk_plots.outage_chart(result.options, cur))
    state = {"result": result}

    @live
    def update(change: dict | None = None) -> None:
        v = {k: c.value for k, c in controls.items()}
        res = state["result"]
        surge_moved = change is None or change.get("owner") is not controls["backup_share"]
        if surge_moved:
            try:
                inputs = replace(s0.inputs, multiplier=v["multiplier"], days=v["days"],
                                 seats_per_day=v["seats_per_day"])
                s = surge_model.surge_scenario(client, inputs, plan=result.plan)
            except BpoAnalysisError as err:  # e.g. a surge running past the demand year
                note.value = f"<span style='color:#cf222e'>{html.escape(str(err))}</span>"
                return
            res = replace(res, surge=s, surge_costs=surge_model.surge_costs(
                client, s, plan=result.plan))
        else:
            outage = risk.with_backup_share(result.outage, v["backup_share"])
            options = risk.outage_options(client, outage).assign(
                flag=result.options["flag"].to_numpy())  # eligibility does not move
            res = replace(res, outage=outage, options=options)
        note.value = ""
        state["result"] = res
        summary.value = risk_views.headlines(res)._repr_html_()
        if surge_moved:  # only the figures the moved control changes are rebuilt
            refresh(surge_fig, risk_plots.surge_chart(res.surge.intervals, res.channel,
                                                      res.target, res.within_s))
            refresh(cost_fig, risk_plots.surge_cost_chart(res.surge_costs, res.currency))
        else:
            refresh(outage_fig, risk_plots.outage_chart(res.options, res.currency))

    for c in controls.values():
        c.observe(update, names="value")
    items = list(controls.values())
    box = w.VBox([w.HBox([w.VBox(items[:2]), w.VBox(items[2:])]), note, summary, surge_fig,
                  cost_fig, outage_fig])
    box.controls, box.state, box.summary, box.note = controls, state, summary, note
    box.figures = {"surge": surge_fig, "costs": cost_fig, "outage": outage_fig}
    return box
