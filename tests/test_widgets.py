"""The live dashboard, without a browser: move a control, the figure shows what the
package computes for that choice."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bpo_analysis import demand


@pytest.fixture(scope="module")
def dash(sample_client):
    from bpo_analysis.widgets import profile_dashboard

    return profile_dashboard(sample_client)


def test_dashboard_starts_on_the_whole_year(dash, sample_client):
    cube = demand.heatmap_cube(sample_client.demand, 30)
    np.testing.assert_allclose(dash.figure.data[0].z, demand.heatmap(cube).to_numpy())


@pytest.mark.parametrize("channel, months, measure", [
    ("voice", (11, 11), "contacts"),
    ("email", (1, 3), "workload_h"),
    ("all", (8, 8), "contacts"),
])
def test_moving_controls_updates_figure_and_summary(dash, sample_client, channel, months,
                                                    measure):
    dash.controls["channel"].value = channel
    dash.controls["measure"].value = measure
    dash.controls["months"].value = months
    cube = demand.heatmap_cube(sample_client.demand, 30)
    heat = demand.heatmap(cube, channels=None if channel == "all" else [channel],
                          months=months, measure=measure)
    np.testing.assert_allclose(dash.figure.data[0].z, heat.to_numpy())
    day, slot, value = demand.peak_slot(heat)
    assert f"{day} {slot}, {value:,.1f} {demand.MEASURES[measure]}" in dash.summary.value
    assert dash.figure.data[0].colorbar.title.text == demand.MEASURES[measure]


def test_importing_the_package_loads_no_widgets_or_papermill():
    code = ("import sys, bpo_analysis, bpo_analysis.demand, bpo_analysis.plots, "
            "bpo_analysis.profile; bad = {'ipywidgets', 'papermill', 'nbconvert'} & "
            "set(sys.modules); assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def sourcing_dash(sample_client):
    from bpo_analysis import sourcing
    from bpo_analysis.widgets import sourcing_dashboard

    return sourcing_dashboard(sample_client, sourcing.indicative_inputs(sample_client))


@pytest.mark.parametrize("moves", [
    {"volume_scale": 1.3},
    {"price_per_contact": 60.0, "price_per_seat": 52_000},
    {"target_sl": 0.9, "answer_within_s": 15, "shrinkage": 0.35},
    {"agent_monthly": 42_000, "hybrid_base_percentile": 0.8, "inhouse_coverage_hours": 8},
])
def test_sourcing_dashboard_shows_what_the_package_computes(sourcing_dash, sample_client,
                                                            moves):
    import dataclasses

    from bpo_analysis import sourcing
    from bpo_analysis.workforce import Workforce

    for name, value in moves.items():
        sourcing_dash.controls[name].value = value
    v = {k: c.value for k, c in sourcing_dash.controls.items()}
    # the same assumptions, built independently of the dashboard
    targets = dict(sample_client.scenario.service_targets)
    targets["voice"] = targets["voice"].model_copy(update={
        "service_level": v["target_sl"], "answer_within_s": v["answer_within_s"]})
    targets["chat"] = targets["chat"].model_copy(update={"service_level": v["target_sl"]})
    wages = sample_client.inhouse.wages.model_copy(update={"agent_monthly": v["agent_monthly"]})
    client = dataclasses.replace(
        sample_client,
        scenario=sample_client.scenario.model_copy(update={"service_targets": targets}),
        inhouse=sample_client.inhouse.model_copy(update={"wages": wages}))
    inputs = dataclasses.replace(
        sourcing.indicative_inputs(sample_client), workforce=Workforce(shrinkage=v["shrinkage"]),
        volume_scale=v["volume_scale"], aht_scale=v["aht_scale"],
        price_per_contact=v["price_per_contact"], price_per_seat=v["price_per_seat"],
        hybrid_base_percentile=v["hybrid_base_percentile"],
        inhouse_coverage_hours=v["inhouse_coverage_hours"])
    long = sourcing.option_costs(client, inputs)
    monthly = long.groupby(["option", "month"], sort=False)["amount"].sum()
    for trace in sourcing_dash.figures["monthly"].data:
        np.testing.assert_allclose(trace.y, monthly[trace.name].to_numpy())
    summary = sourcing.option_summary(long, client.demand["contacts"].sum() * v["volume_scale"])
    bar = sourcing_dash.figures["per_contact"].data[0]
    assert list(bar.x) == list(summary.index)
    np.testing.assert_allclose(bar.y, summary["per_contact"])
    assert sourcing.recommendation(summary, "TWD") in sourcing_dash.summary.value
