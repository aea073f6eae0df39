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
