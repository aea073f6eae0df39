"""Dashboard of notebook 00: when does demand arrive, per channel, measure and season."""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from .. import demand, plots
from ..io import Client

__all__ = ["profile_dashboard"]

_CHANNELS = [("All channels", "all"), ("Voice", "voice"), ("Chat", "chat"), ("Email", "email")]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _controls() -> dict[str, w.ValueWidget]:
    return {
        "channel": w.ToggleButtons(options=_CHANNELS, value="all", description="Channel"),
        "measure": w.ToggleButtons(options=[(v.capitalize(), k) for k, v in
                                            demand.MEASURES.items()],
                                   value="contacts", description="Measure"),
        "months": w.SelectionRangeSlider(options=[(m, i + 1) for i, m in enumerate(_MONTHS)],
                                         index=(0, 11), description="Months",
                                         layout=w.Layout(width="520px")),
    }


def profile_dashboard(client: Client) -> w.VBox:
    """Heatmap of demand with a channel, measure and month-range control.

    The cube of sums is built once; moving a control slices it (well under a
    millisecond) and updates the figure in place.
    """
    cube = demand.heatmap_cube(client.demand, client.scenario.interval_minutes)
    controls = _controls()
    fig = go.FigureWidget(plots.demand_heatmap(demand.heatmap(cube)))
    summary = w.HTML()

    def update(_change: object = None) -> None:
        ch = controls["channel"].value
        measure = controls["measure"].value
        heat = demand.heatmap(cube, channels=None if ch == "all" else [ch],
                              months=controls["months"].value, measure=measure)
        unit = demand.MEASURES[measure]
        day, slot, value = demand.peak_slot(heat)
        with fig.batch_update():
            fig.data[0].z = heat.to_numpy()
            fig.data[0].colorbar.title.text = unit
            fig.data[0].hovertemplate = "%{y} %{x}: %{z:,.1f} " + unit + "<extra></extra>"
            first, last = controls["months"].label
            fig.layout.title.text = f"When contacts arrive: {ch}, {first}-{last}"
        summary.value = f"<b>Busiest slot:</b> {day} {slot}, {value:,.1f} {unit} on average"

    for c in controls.values():
        c.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([controls["channel"], controls["measure"]]), controls["months"],
                  summary, fig])
    box.controls, box.figure, box.summary = controls, fig, summary
    return box
