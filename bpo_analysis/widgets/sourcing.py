"""Dashboard of notebook 01: the sourcing options, live, as the assumptions move."""

from __future__ import annotations

import dataclasses

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.verdicts import VerdictRules
from bpo_analysis.core.workforce import Calendar, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _, term
from bpo_analysis.steps.sourcing import calc as sourcing
from bpo_analysis.steps.sourcing import charts as sourcing_charts
from bpo_analysis.steps.sourcing import views as sourcing_views
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["sourcing_dashboard"]


def _primary(client: Client) -> str:
    """Return the live channel the service-level sliders act on: voice, else the first other."""
    targets = client.scenario.service_targets
    return "voice" if "voice" in targets else next(c for c in targets if c != "email")


def _around(value: float, low: float = 0.5, high: float = 2.0) -> dict:
    """Slider bounds around a starting value (any currency, any scale)."""
    return {"min": value * low, "max": value * high, "step": max(value * 0.01, 1e-3)}


def _controls(client: Client, inputs: sourcing.SourcingInputs) -> dict[str, w.ValueWidget]:
    target = client.scenario.service_targets[_primary(client)]
    cur, ch = client.currency, _primary(client)
    wide = {"style": {"description_width": "190px"}, "layout": w.Layout(width="460px"),
            "continuous_update": False}
    f = w.FloatSlider
    return {
        "volume_scale": f(inputs.volume_scale, **_around(inputs.volume_scale),
                          description=_("Volume (x today)"), **wide),
        "aht_scale": f(inputs.aht_scale, **_around(inputs.aht_scale, 0.7, 1.5),
                       description=_("Handle time (x today)"), **wide),
        "target_sl": f(target.service_level, min=0.5, max=0.99, step=0.01,
                       description=_("SL target ({channel})").format(channel=term(ch)), **wide),
        "answer_within_s": f(target.answer_within_s, **_around(target.answer_within_s, 0.25, 3),
                             description=_("Answer within, s ({channel})").format(
                                 channel=term(ch)), **wide),
        "shrinkage": f(inputs.workforce.shrinkage, min=0.0, max=0.6, step=0.01,
                       description=_("Shrinkage"), **wide),
        "agent_monthly": f(client.inhouse.wages.agent_monthly,
                           **_around(client.inhouse.wages.agent_monthly, 0.7, 1.5),
                           description=_("Agent wage ({currency}/month)").format(currency=cur),
                           **wide),
        "price_per_contact": f(inputs.price_per_contact, **_around(inputs.price_per_contact),
                               description=_("Shared ({currency}/contact)").format(
                                   currency=cur), **wide),
        "price_per_seat": f(inputs.price_per_seat, **_around(inputs.price_per_seat),
                            description=_("Dedicated ({currency}/seat-month)").format(
                                currency=cur), **wide),
        "hybrid_base_percentile": f(inputs.hybrid_base_percentile, min=0.0, max=1.0,
                                    step=0.05, description=_("Hybrid base (percentile)"),
                                    **wide),
        "inhouse_coverage_hours": f(inputs.inhouse_coverage_hours, min=4, max=24, step=1,
                                    description=_("Partial: in-house hours"), **wide),
    }


def _scenario(client: Client, v: dict) -> Client:
    """Return the client with the dashboard's service target (primary channel) and agent wage."""
    ch = _primary(client)
    targets = dict(client.scenario.service_targets)
    targets[ch] = targets[ch].model_copy(update={
        "service_level": v["target_sl"], "answer_within_s": float(v["answer_within_s"])})
    wages = client.inhouse.wages.model_copy(update={"agent_monthly": float(v["agent_monthly"])})
    return dataclasses.replace(
        client, scenario=client.scenario.model_copy(update={"service_targets": targets}),
        inhouse=client.inhouse.model_copy(update={"wages": wages}))


def _compute(client: Client, inputs: sourcing.SourcingInputs, values: dict, cal: Calendar,
             cache: dict) -> tuple[dict, pd.DataFrame]:
    """Compute the option tables and summary for the slider ``values``.

    The staffing plan is reused while the sliders it depends on stay put.
    """
    scaled = _scenario(client, values)
    new = dataclasses.replace(
        inputs, workforce=dataclasses.replace(inputs.workforce, shrinkage=values["shrinkage"]),
        **{k: values[k] for k in ("volume_scale", "aht_scale", "price_per_contact",
                                  "price_per_seat", "hybrid_base_percentile",
                                  "inhouse_coverage_hours")})
    key = tuple(values[k] for k in ("volume_scale", "aht_scale", "target_sl",
                                    "answer_within_s", "shrinkage"))
    if cache.get("key") != key:
        cache["key"], cache["plan"] = key, staffing_plan(
            scaled, new.workforce, volume_scale=new.volume_scale, aht_scale=new.aht_scale,
            calendar=cal)
    tables = sourcing.option_tables(scaled, new, cal, cache["plan"])
    return tables, sourcing.option_summary(tables, float(cache["plan"]["contacts"].sum()))


def sourcing_dashboard(client: Client, inputs: sourcing.SourcingInputs) -> w.VBox:
    """Build sliders for every assumption of the sourcing options.

    The monthly cost per option, the cost per contact and the recommendation update in
    place. The staffing plan is recomputed only when a slider that changes it moves
    (volume, handle time, targets, shrinkage).
    """
    cal, cache, cur = Calendar.of(client.demand["interval_start"]), {}, client.currency
    controls = _controls(client, inputs)

    def values() -> dict:
        return {k: c.value for k, c in controls.items()}

    tables, summary = _compute(client, inputs, values(), cal, cache)
    long = sourcing.option_costs_from(tables, cur)
    monthly = go.FigureWidget(sourcing_charts.option_monthly_chart(long, cur))
    per_contact = go.FigureWidget(sourcing_charts.cost_per_contact_by_option(summary, cur))
    rules = VerdictRules.of(client)
    sentence = w.HTML(f"<b>{sourcing_views.recommendation(summary, cur, rules)}</b>")

    @live
    def update(_change: object = None) -> None:
        tables, summary = _compute(client, inputs, values(), cal, cache)
        refresh(monthly, sourcing_charts.option_monthly_chart(
            sourcing.option_costs_from(tables, cur), cur))
        refresh(per_contact, sourcing_charts.cost_per_contact_by_option(summary, cur))
        sentence.value = f"<b>{sourcing_views.recommendation(summary, cur, rules)}</b>"

    for c in controls.values():
        c.observe(update, names="value")
    sliders = list(controls.values())
    box = w.VBox([w.HBox([w.VBox(sliders[:5]), w.VBox(sliders[5:])]), sentence, monthly,
                  per_contact])
    box.controls, box.figures, box.summary, box.update = (
        controls, {"monthly": monthly, "per_contact": per_contact}, sentence, update)
    return box
