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
    assert (layout.title.text, layout.title.x) == ("Contacts per month", 0.01)
    assert layout.height == 420
    assert (layout.margin.l, layout.margin.r, layout.margin.t, layout.margin.b) == (
        60, 20, 60, 50)
    assert (layout.legend.orientation, layout.legend.y) == ("h", -0.15)
    assert fig.data[0].y == (3,)  # the traces are left alone


def test_finish_takes_a_height_and_restyles_a_figure_twice_the_same():
    fig = charts.finish(go.Figure(), "First", height=300)
    first = fig.to_plotly_json()["layout"]
    charts.finish(fig, "Second", height=300)
    again = fig.to_plotly_json()["layout"]
    assert again["height"] == 300 and again["title"]["text"] == "Second"
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
