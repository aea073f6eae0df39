"""Dashboard of notebook 04: the SLA terms, live.

Move a KPI's target, minimum or pool share, the at-risk share or the earn-back months;
the payout distribution and the back-test follow.
"""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go
from pydantic import ValidationError

from bpo_analysis.core.sla_charts import credits_chart
from bpo_analysis.data import kpis
from bpo_analysis.data.client import Client
from bpo_analysis.data.models import SlaTerms
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
    ids = list(result.terms.kpis)
    first = result.terms.kpis[ids[0]]
    wide = {"style": {"description_width": "170px"}, "layout": w.Layout(width="440px"),
            "continuous_update": False}

    def span(kid: str, v: float) -> dict:
        """Slider range from the KPI's unit (a share 0-1, points, or times up to 3x)."""
        lo, hi = kpis.KPIS[kid].bounds
        if not np.isfinite(hi):
            hi = max(3 * abs(v), 1.0)
        step = (hi - lo) / 1000
        return {"min": lo, "max": hi, "step": step, "readout_format": ".3g"}

    controls = {
        "kpi": w.Dropdown(options=ids, value=ids[0], description=_("KPI")),
        "target": w.FloatSlider(first.target, description=_("Target"),
                                **span(ids[0], first.target), **wide),
        "minimum": w.FloatSlider(first.minimum, description=_("Minimum"),
                                 **span(ids[0], first.minimum), **wide),
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
        t = state["terms"].kpis[change["new"]]
        state["busy"] = True
        try:
            for name in ("target", "minimum"):
                rng = span(change["new"], getattr(t, name))
                c = controls[name]
                c.max = max(c.max, rng["max"])  # widen first so min <= max holds throughout
                c.min, c.max, c.step = rng["min"], rng["max"], rng["step"]
                c.value = getattr(t, name)
            controls["allocation"].value = t.allocation
        finally:
            state["busy"] = False

    @live
    def update(_change: object = None) -> None:
        if state["busy"]:
            return
        v = {k: c.value for k, c in controls.items()}
        data = state["terms"].model_dump()
        data["kpis"][v["kpi"]].update(target=v["target"], minimum=v["minimum"],
                                      allocation=v["allocation"])
        data.update(at_risk_share=v["at_risk_share"], earn_back_months=v["earn_back_months"])
        try:
            terms = SlaTerms.model_validate(data)
        except ValidationError as err:  # e.g. a target looser than the minimum
            msg = html.escape(err.errors()[0]["msg"].removeprefix("Value error, "))
            note.value = f"<span style='color:#cf222e'>{v['kpi']}: {msg}</span>"
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
