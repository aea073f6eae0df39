"""The house style every chart shares (core.charts): the template and layout ``finish``
sets, month labels in the report language, the channel colours and percentile marks."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from bpo_analysis.core import charts
from bpo_analysis.data.models import CHANNELS
from bpo_analysis.i18n import catalog, term, use_language


def test_finish_sets_the_house_style_on_the_figure_itself():
    fig = go.Figure(go.Bar(x=["voice"], y=[3]))
    out = charts.finish(fig, "Contacts per month")
    assert out is fig  # styled in place, returned for chaining
    layout = fig.layout
    assert charts.TEMPLATE == "plotly_white"
    assert layout.template == pio.templates["plotly_white"]
    assert (layout.title.text, layout.title.x, layout.title.xref, layout.title.y) == (
        "Contacts per month", 0.01, "container", 1)
    assert layout.height == 420
    assert (layout.margin.l, layout.margin.r, layout.margin.t, layout.margin.b) == (
        60, 20, 48, 50)
    # the legend at the figure's foot, where plotly keeps the axes and their titles above
    # it at any height the figure is drawn at
    assert (layout.legend.orientation, layout.legend.yref, layout.legend.y,
            layout.legend.yanchor) == ("h", "container", 0, "bottom")
    assert fig.data[0].y == (3,)  # the traces are left alone


def test_finish_makes_room_for_the_legend_rows_and_a_long_title():
    names = [f"cost item number {i}" for i in range(12)]
    fig = charts.finish(go.Figure([go.Bar(x=["a"], y=[1], name=n) for n in names]),
                        "What each option costs, by cost item " * 4, height=400)
    rows, column = charts.legend_rows(fig, charts.PRINT_WIDTH - 160)
    widest = max(map(charts.text_width, names))
    assert rows > 1 and fig.layout.legend.entrywidth == column == widest  # a grid
    assert fig.layout.title.text.count("<br>") == 1  # two lines of the page's width
    assert fig.layout.margin.t == round(12 + 2 * 17 * 1.3 + 14)  # two lines of title
    assert fig.layout.height == 400 + fig.layout.margin.t - 60 + 21 * rows  # the plot's kept


def test_finish_fits_category_labels_to_their_space():
    groups = ["service quality", "information security", "business continuity", "site"]
    bars = charts.finish(go.Figure(go.Bar(y=["Partial (some channels in-house)", "In-house"],
                                          x=[1, 2], orientation="h")), "t")
    assert bars.layout.margin.l == round(charts.text_width(
        "Partial (some channels in-house)") + 14)  # the widest label in the margin
    few = charts.finish(go.Figure(go.Bar(x=groups, y=[1, 2, 3, 4])), "t").layout.xaxis
    assert list(few.tickvals) == groups and few.tickangle == 0
    assert list(few.ticktext) == groups  # room enough: whole, side by side
    months = [f"M{i:02d} 2025" for i in range(36)]
    many = charts.finish(go.Figure(go.Bar(x=months, y=np.ones(36))), "t").layout.xaxis
    step = months.index(many.tickvals[1])
    assert step > 1 and list(many.tickvals) == months[::step]  # every k-th month
    assert many.ticktext[0] == "M00<br>2025"
    criteria = [f"criterion with a long name {i}" for i in range(12)]
    slanted = charts.finish(go.Figure(go.Bar(x=criteria, y=np.ones(12))), "t").layout.xaxis
    assert slanted.tickangle == -45 and list(slanted.ticktext) == criteria


def test_text_widths_and_labels_that_fit():
    assert charts.text_width("abcde") == 36.0 and charts.text_width("客服中心") == 48.0
    assert charts.text_width("ab<br>abcd", 10) == 24.0
    assert charts.fit_label("business continuity", 90) == "business<br>continuity"
    assert charts.fit_label("客服中心委外", 40) == "客服中<br>心委外"
    assert charts.fit_label("Jade Mountain Teleservices (V01)", 150, lines=1) == (
        "Jade Mountain… (V01)")  # the id kept, the name shortened
    assert charts.fit_label("short", 200) == "short"
    assert charts.named("V01", {"V01": "Jade Mountain"}) == "Jade Mountain (V01)"
    assert charts.named("Q03", None) == "Q03"


@pytest.mark.parametrize(("low", "high", "unit", "scaled", "text"), [
    (-4_200_000, 19_700_000, "TWD", "TWD M", ["0", "5", "10", "15"]),
    (-19_687_420.9, 18_989_844.5, "TWD", "TWD M", ["−10", "0", "10"]),
    (-1_250_000, 1_250_000, "HKD", "HKD M", ["−1.0", "−0.5", "0", "0.5", "1.0"]),
    (0, 8_500, "TWD", "TWD", ["0", "2,000", "4,000", "6,000", "8,000"]),
])
def test_amount_axes_have_round_ticks_in_a_scaled_unit(low, high, unit, scaled, text):
    axis, shown = charts.amount_axis(low, high, unit)
    assert (shown, axis["ticktext"], axis["range"]) == (scaled, text, [low, high])
    assert all(low <= v <= high for v in axis["tickvals"])


def test_twin_axes_get_one_zero():
    spans = charts.aligned_ranges([(-9_900_000, 11_000_000), (-19_700_000, 19_000_000)])
    zeros = [-lo / (hi - lo) for lo, hi in spans]
    assert zeros == pytest.approx([zeros[0]] * 2)
    assert spans[0][0] <= -9_900_000 and spans[1][1] >= 19_000_000  # every value shown
    ((lo, hi),) = charts.aligned_ranges([(5, 10)])
    assert lo == 0 and hi > 10  # zero at the foot when nothing is negative
    up, down = charts.aligned_ranges([(0, 10), (-10, 0)])  # zero cannot be at both ends
    assert -up[0] / (up[1] - up[0]) == pytest.approx(-down[0] / (down[1] - down[0]))


def test_a_radar_keeps_its_radial_ticks_off_the_labels():
    polar = charts.radar_polar(["price", "scale", "site", "people"], 520)
    assert (polar["angularaxis"]["rotation"], polar["angularaxis"]["direction"]) == (
        90, "clockwise")
    assert polar["radialaxis"]["angle"] == 45  # between the first two labels (90, 0)
    long = charts.radar_polar(["a very long topic name that cannot sit on one line"] * 8, 520)
    assert all(charts.text_width(t) <= 240 for t in long["angularaxis"]["ticktext"])


def test_category_colours_are_distinct():
    assert len(set(charts.palette(20))) == 20 == len(charts.CATEGORY_COLOURS)
    assert charts.palette(21)[20] == charts.CATEGORY_COLOURS[0]


def test_finish_takes_a_height_and_restyles_a_figure_twice_the_same():
    fig = charts.finish(go.Figure(), "First", height=300)
    first = fig.to_plotly_json()["layout"]
    charts.finish(fig, "Second", height=300)
    again = fig.to_plotly_json()["layout"]
    assert again["height"] == 300 and again["title"]["text"] == "Second"
    bars = charts.finish(go.Figure(go.Bar(y=["Partial (some channels in-house)"], x=[1],
                                          orientation="h")), "t")
    left = bars.layout.margin.l
    assert charts.finish(bars, "t").layout.margin.l == left  # fitted labels kept
    assert {k: v for k, v in again.items() if k != "title"} == {
        k: v for k, v in first.items() if k != "title"}


def test_month_labels_show_every_month_across_a_year_end():
    months = pd.period_range("2025-11", periods=4, freq="M")
    assert charts.month_labels(months) == ["Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"]
    with use_language("zh-Hant"):
        assert charts.month_labels(months[1:3]) == ["2025年12月", "2026年1月"]


def test_month_labels_of_other_indexes_are_their_text():
    assert charts.month_labels(pd.Index(["Q1 2025", "Q2 2025"])) == ["Q1 2025", "Q2 2025"]
    assert charts.month_labels(pd.Index([2025, 2026])) == ["2025", "2026"]


def test_every_channel_and_the_total_have_their_own_colour():
    assert set(CHANNELS) | {"total"} == set(charts.CHANNEL_COLOURS)
    colours = list(charts.CHANNEL_COLOURS.values())
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert len(set(colours)) == len(colours)


def test_channel_names_and_marks_are_translated():
    translated = catalog("zh-Hant")
    names = [*charts.CHANNEL_COLOURS, *(label for _, label in charts.PERCENTILE_MARKS
                                        if not label[0].isdigit())]
    assert all((None, name) in translated for name in names), names
    with use_language("zh-Hant"):
        shown = [term(name) for name in names]
    assert all(s != n for s, n in zip(shown, names, strict=True))


def test_percentile_marks_are_the_5th_the_median_and_the_95th():
    assert charts.PERCENTILE_MARKS == ((5, "5 %"), (50, "median"), (95, "95 %"))
    draws = np.arange(1, 101, dtype=float)  # 100 equally likely outcomes
    marks = np.percentile(draws, [q for q, _ in charts.PERCENTILE_MARKS])
    assert marks.tolist() == pytest.approx([5.95, 50.5, 95.05])


def test_marked_values_close_together_get_their_labels_one_above_the_other():
    fig = go.Figure(go.Histogram(x=[0, 100]))
    charts.mark_values(fig, [(10.0, "5 %"), (11.0, "median"), (90.0, "95 %")], 0, 100)
    notes = fig.layout.annotations
    assert [a.text for a in notes] == ["5 %", "median", "95 %"]
    assert [a.yshift for a in notes] == [0, 18, 0]  # the median above, 95 % far enough
    assert [s.x0 for s in fig.layout.shapes] == [10.0, 11.0, 90.0]
