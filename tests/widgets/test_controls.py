"""A dashboard's figure rebuilt by the step's chart function reaches the live widget."""

from __future__ import annotations

import plotly.graph_objects as go

from bpo_analysis.widgets.controls import changed, refresh


def _chart(y, title, mark):
    fig = go.Figure([go.Bar(x=["voice", "chat"], y=y, marker={"color": "#0969da"}),
                     go.Scatter(x=["voice", "chat"], y=[sum(y)] * 2, name="total")])
    fig.add_vline(x=mark, annotation_text=f"mark {mark}")
    return fig.update_layout(title=title, height=300)


def test_refresh_sets_values_nested_properties_shapes_and_title():
    live = go.FigureWidget(_chart([120, 80], "before", 0))
    fresh = _chart([132, 88], "after", 1)
    fresh.data[0].marker.color = "#cf222e"
    live.layout.height = 500  # the widget's own size stays
    refresh(live, fresh)
    assert list(live.data[0].y) == [132, 88] and list(live.data[1].y) == [220, 220]
    assert live.data[0].marker.color == "#cf222e"
    assert live.layout.title.text == "after"
    assert live.layout.shapes[0].x0 == 1 and live.layout.annotations[0].text == "mark 1"
    assert live.layout.height == 500


def test_refresh_replaces_the_traces_when_the_chart_gained_one():
    live = go.FigureWidget(go.Figure(go.Bar(x=["a"], y=[1])))
    fresh = go.Figure([go.Bar(x=["a"], y=[2]), go.Scatter(x=["a"], y=[3])])
    refresh(live, fresh)
    assert [t.type for t in live.data] == ["bar", "scatter"]
    assert list(live.data[1].y) == [3]


def test_changed_sends_only_what_moved():
    live = go.FigureWidget(go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="n")))
    sent = []
    live.data[0].on_change(lambda trace, *props: sent.append(props), "y", "name")
    changed(live.data[0], y=[1, 2], name="n")
    assert sent == []
    changed(live.data[0], y=[1, 3], name="n")
    assert list(live.data[0].y) == [1, 3] and len(sent) == 1
