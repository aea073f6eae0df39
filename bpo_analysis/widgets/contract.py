"""Dashboard of notebook 04: the SLA terms, live.

Move a KPI's target or minimum on a channel, its pool share, the at-risk share or the
earn-back months; the payout distribution and the back-test follow.
"""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go

from bpo_analysis.core.sla_charts import credits_chart
from bpo_analysis.core.sla_lines import line_name, split
from bpo_analysis.data import kpis
from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import _
from bpo_analysis.steps.contract import charts as contract_charts
from bpo_analysis.steps.contract import views as contract_views
from bpo_analysis.steps.contract.step import ContractInputs, ContractResult, evaluate_terms
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["contract_dashboard"]


def contract_dashboard(client: Client, result: ContractResult,
                       draws: int = 20_000) -> w.VBox:
    """Build the controls around ``result`` (the report's terms).

    The payout histogram, the back-test chart and table and the headline sentence
    update in place. Live, the payout draws ``draws`` years (the report 100,000) from
    the same fitted model.
    """
    cur = client.currency
    state = {"terms": result.terms, "busy": False}
    ids = result.lines
    first = result.terms.kpis[split(ids[0])[0]]
    target0, minimum0 = first.thresholds(split(ids[0])[1])
    wide = {"style": {"description_width": "170px"}, "layout": w.Layout(width="440px"),
            "continuous_update": False}

    def span(line: str, v: float) -> dict:
        """Slider range from the KPI's unit (a share 0-1, points, or times up to 3x)."""
        lo, hi = kpis.KPIS[split(line)[0]].bounds
        if not np.isfinite(hi):
            hi = max(3 * abs(v), 1.0)
        step = (hi - lo) / 1000
        return {"min": lo, "max": hi, "step": step, "readout_format": ".3g"}

    controls = {
        "kpi": w.Dropdown(options=[(line_name(i), i) for i in ids], value=ids[0],
                          description=_("KPI")),
        "target": w.FloatSlider(target0, description=_("Target"),
                                **span(ids[0], target0), **wide),
        "minimum": w.FloatSlider(minimum0, description=_("Minimum"),
                                 **span(ids[0], minimum0), **wide),
        "allocation": w.FloatSlider(first.allocation, min=0.0, max=1.0, step=0.05,
                                    description=_("Share of the pool"), **wide),
        "at_risk_share": w.FloatSlider(result.terms.at_risk_share, min=0.0, max=0.3,
                                       step=0.01, description=_("At risk (of invoice)"),
                                       readout_format=".0%", **wide),
        "earn_back_months": w.IntSlider(result.terms.earn_back_months, min=0, max=6,
                                        description=_("Earn-back months"), **wide),
    }
    sentence = w.HTML(f"<b>{contract_views.headlines(result, cur).title}</b>")
    note = w.HTML("")
    payout = go.FigureWidget(contract_charts.payout_chart(result.payout["net"], cur))
    backtest = go.FigureWidget(credits_chart(result.months, cur))
    table = w.HTML(contract_views.backtest_view(result, cur).to_html())

    def on_kpi(change: dict) -> None:
        kid, ch = split(change["new"])
        t = state["terms"].kpis[kid]
        state["busy"] = True
        try:
            for name, value in zip(("target", "minimum"), t.thresholds(ch), strict=True):
                rng = span(change["new"], value)
                c = controls[name]
                c.max = max(c.max, rng["max"])  # widen first so min <= max holds throughout
                c.min, c.max, c.step = rng["min"], rng["max"], rng["step"]
                c.value = value
            controls["allocation"].value = t.allocation
        finally:
            state["busy"] = False

    @live
    def update(_change: object = None) -> None:
        if state["busy"]:
            return
        v = {k: c.value for k, c in controls.items()}
        try:
            terms = contract_views.with_changes(
                state["terms"], v["kpi"], target=v["target"], minimum=v["minimum"],
                allocation=v["allocation"]).model_copy(update={
                    "at_risk_share": v["at_risk_share"],
                    "earn_back_months": v["earn_back_months"]})
        except InputError as err:  # e.g. a target looser than the minimum
            msg = html.escape(err.allowed)
            note.value = f"<span style='color:#cf222e'>{line_name(v['kpi'])}: {msg}</span>"
            return
        note.value = ""
        state["terms"] = terms
        res = evaluate_terms(client, terms, ContractInputs(result.vendor_id, draws),
                             model=result.model)
        state["result"] = res
        sentence.value = f"<b>{contract_views.headlines(res, cur).title}</b>"
        table.value = contract_views.backtest_view(res, cur).to_html()
        refresh(payout, contract_charts.payout_chart(res.payout["net"], cur))
        refresh(backtest, credits_chart(res.months, cur))

    controls["kpi"].observe(on_kpi, names="value")
    for name, c in controls.items():
        if name != "kpi":
            c.observe(update, names="value")
    items = list(controls.values())
    box = w.VBox([w.HBox([w.VBox(items[:3]), w.VBox(items[3:])]), note, sentence, payout,
                  backtest, table])
    box.controls, box.figures, box.state = controls, {"payout": payout,
                                                      "backtest": backtest}, state
    box.summary, box.table, box.note = sentence, table, note
    return box
