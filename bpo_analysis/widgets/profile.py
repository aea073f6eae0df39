"""Dashboard of notebook 00: when does demand arrive, per channel, measure and season."""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from bpo_analysis.core import demand
from bpo_analysis.core.heatmaps import demand_heatmap
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import N_, _, month_abbr, term, weekday
from bpo_analysis.widgets.controls import live, refresh

__all__ = ["profile_dashboard"]

#: The measures of :data:`demand.MEASURES` and the "all" channel (shown with ``term``).
_NAMES = (N_("contacts per interval"), N_("workload hours per interval"), N_("all"))


def _controls() -> dict[str, w.ValueWidget]:
    channels = [(_("All channels"), "all"), (_("Voice"), "voice"), (_("Chat"), "chat"),
                (_("Email"), "email")]
    return {
        "channel": w.ToggleButtons(options=channels, value="all", description=_("Channel")),
        "measure": w.ToggleButtons(options=[(term(v).capitalize(), k) for k, v in
                                            demand.MEASURES.items()],
                                   value="contacts", description=_("Measure")),
        "months": w.SelectionRangeSlider(options=[(month_abbr(i), i) for i in range(1, 13)],
                                         index=(0, 11), description=_("Months"),
                                         layout=w.Layout(width="520px")),
    }


def profile_dashboard(client: Client) -> w.VBox:
    """Heatmap of demand with a channel, measure and month-range control.

    The cube of sums is built once; moving a control slices it (well under a
    millisecond) and updates the figure in place.
    """
    cube = demand.heatmap_cube(client.demand, client.scenario.interval_minutes)
    controls = _controls()
    fig = go.FigureWidget(demand_heatmap(demand.heatmap(cube)))
    summary = w.HTML()

    @live
    def update(_change: object = None) -> None:
        ch = controls["channel"].value
        measure = controls["measure"].value
        heat = demand.heatmap(cube, channels=None if ch == "all" else [ch],
                              months=controls["months"].value, measure=measure)
        unit = term(demand.MEASURES[measure])
        day, slot, value = demand.peak_slot(heat)
        first, last = controls["months"].label
        refresh(fig, demand_heatmap(heat, unit=unit, title=_(
            "When contacts arrive: {channel}, {first}-{last}").format(
                channel=term(ch), first=first, last=last)))
        summary.value = _("<b>Busiest slot:</b> {day} {slot}, {value:,.1f} {unit} on average"
                          ).format(day=weekday(day), slot=slot, value=value, unit=unit)

    for c in controls.values():
        c.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([controls["channel"], controls["measure"]]), controls["months"],
                  summary, fig])
    box.controls, box.figure, box.summary = controls, fig, summary
    return box
