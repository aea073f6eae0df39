"""Dashboard of notebook 01: the sourcing options, live, as the assumptions move."""

from __future__ import annotations

import dataclasses

import ipywidgets as w
import plotly.graph_objects as go

from .. import plots, sourcing
from ..io import Client
from ..workforce import Calendar, Workforce, staffing_plan

__all__ = ["sourcing_dashboard"]


def _controls(client: Client, inputs: sourcing.SourcingInputs) -> dict[str, w.ValueWidget]:
    voice = client.scenario.service_targets["voice"]
    cur = client.currency
    wide = {"style": {"description_width": "190px"}, "layout": w.Layout(width="460px"),
            "continuous_update": False}
    return {
        "volume_scale": w.FloatSlider(1.0, min=0.5, max=2.0, step=0.05,
                                      description="Volume (x today)", **wide),
        "aht_scale": w.FloatSlider(1.0, min=0.7, max=1.5, step=0.05,
                                   description="Handle time (x today)", **wide),
        "target_sl": w.FloatSlider(voice.service_level, min=0.6, max=0.95, step=0.01,
                                   description="SL target, voice + chat", **wide),
        "answer_within_s": w.IntSlider(int(voice.answer_within_s), min=10, max=60, step=5,
                                       description="Voice answer time (s)", **wide),
        "shrinkage": w.FloatSlider(inputs.workforce.shrinkage, min=0.1, max=0.45, step=0.01,
                                   description="Shrinkage", **wide),
        "agent_monthly": w.IntSlider(int(client.inhouse.wages.agent_monthly), min=28_000,
                                     max=50_000, step=500,
                                     description=f"Agent wage ({cur}/month)", **wide),
        "price_per_contact": w.FloatSlider(inputs.price_per_contact, min=20, max=150, step=1,
                                           description=f"Shared ({cur}/contact)", **wide),
        "price_per_seat": w.IntSlider(int(inputs.price_per_seat), min=40_000, max=90_000,
                                      step=500, description=f"Dedicated ({cur}/seat-month)",
                                      **wide),
        "hybrid_base_percentile": w.FloatSlider(inputs.hybrid_base_percentile, min=0.0,
                                                max=1.0, step=0.05,
                                                description="Hybrid base (percentile)", **wide),
        "inhouse_coverage_hours": w.FloatSlider(inputs.inhouse_coverage_hours, min=8, max=24,
                                                step=1, description="Partial: in-house hours",
                                                **wide),
    }


def _scenario(client: Client, v: dict) -> Client:
    """The client with the dashboard's service targets and agent wage."""
    targets = dict(client.scenario.service_targets)
    targets["voice"] = targets["voice"].model_copy(update={
        "service_level": v["target_sl"], "answer_within_s": float(v["answer_within_s"])})
    if "chat" in targets:
        targets["chat"] = targets["chat"].model_copy(update={"service_level": v["target_sl"]})
    wages = client.inhouse.wages.model_copy(update={"agent_monthly": float(v["agent_monthly"])})
    return dataclasses.replace(
        client, scenario=client.scenario.model_copy(update={"service_targets": targets}),
        inhouse=client.inhouse.model_copy(update={"wages": wages}))


def sourcing_dashboard(client: Client, inputs: sourcing.SourcingInputs) -> w.VBox:
    """Sliders for every assumption; the monthly cost per option, the cost per contact
    and the recommendation update in place. The staffing plan is recomputed only when a
    slider that changes it moves (volume, handle time, targets, shrinkage)."""
    cal = Calendar.of(client.demand["interval_start"])
    controls = _controls(client, inputs)
    cache: dict = {}
    cur = client.currency

    def compute() -> tuple[dict, object]:
        v = {k: c.value for k, c in controls.items()}
        scaled = _scenario(client, v)
        new = dataclasses.replace(
            inputs, workforce=Workforce(shrinkage=v["shrinkage"]),
            **{k: v[k] for k in ("volume_scale", "aht_scale", "price_per_contact",
                                 "price_per_seat", "hybrid_base_percentile",
                                 "inhouse_coverage_hours")})
        key = (v["volume_scale"], v["aht_scale"], v["target_sl"], v["answer_within_s"],
               v["shrinkage"])
        if cache.get("key") != key:
            cache["key"], cache["plan"] = key, staffing_plan(
                scaled, new.workforce, volume_scale=new.volume_scale,
                aht_scale=new.aht_scale, calendar=cal)
        tables = sourcing.option_tables(scaled, new, cal, cache["plan"])
        contacts = float(cache["plan"]["contacts"].sum())
        return tables, sourcing.option_summary(tables, contacts)

    tables, summary = compute()
    monthly = go.FigureWidget(plots.option_monthly_chart(sourcing.option_costs_from(
        tables, cur), cur))
    per_contact = go.FigureWidget(plots.cost_per_contact_by_option(summary, cur))
    sentence = w.HTML(f"<b>{sourcing.recommendation(summary, cur)}</b>")

    def update(_change: object = None) -> None:
        tables, summary = compute()
        with monthly.batch_update():
            for trace in monthly.data:
                trace.y = tables[trace.name].to_numpy().sum(axis=1)
        with per_contact.batch_update():
            bar = per_contact.data[0]
            bar.x, bar.y = list(summary.index), summary["per_contact"].to_numpy()
            bar.text = [f"{x:,.1f}" for x in summary["per_contact"]]
        sentence.value = f"<b>{sourcing.recommendation(summary, cur)}</b>"

    for c in controls.values():
        c.observe(update, names="value")
    box = w.VBox([w.HBox([w.VBox(list(controls.values())[:5]),
                          w.VBox(list(controls.values())[5:])]), sentence, monthly,
                  per_contact])
    box.controls, box.figures, box.summary, box.update = (
        controls, {"monthly": monthly, "per_contact": per_contact}, sentence, update)
    return box
