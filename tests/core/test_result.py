"""Every step's result has one shape: headline, tables and figures by name, inputs."""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import pytest
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult, Views


def test_views_build_each_item_once_and_only_when_read():
    built = []
    views = Views({"a": lambda: built.append("a") or 1, "b": lambda: built.append("b") or 2})
    assert list(views) == ["a", "b"] and len(views) == 2 and built == []
    assert views["a"] == 1 and views["a"] == 1
    assert built == ["a"]
    with pytest.raises(KeyError, match=r"no 'c'; this result has \['a', 'b'\]"):
        views["c"]


def test_every_step_returns_its_result_with_one_shape(sample_client):
    from bpo_analysis.steps import contract, maturity, pricing, profile, roi, vendors

    results = [profile.run(sample_client), vendors.run(sample_client, draws=500),
               pricing.run(sample_client, term_months=12),
               contract.run(sample_client, simulated_years=500),
               roi.run(sample_client, draws=500), maturity.run(sample_client)]
    for res in results:
        name = type(res).__name__
        assert isinstance(res, StepResult) and dataclasses.is_dataclass(res), name
        assert res.step and name.endswith("Result")
        assert isinstance(res.headline, Headlines) and res.headline.items, name
        assert res.headline is res.headline  # computed once
        assert res.inputs is not None, name
        first_table = next(iter(res.tables))
        assert isinstance(res.tables[first_table], Styler), (name, first_table)
        first_figure = next(iter(res.figures))
        assert isinstance(res.figures[first_figure], go.Figure), (name, first_figure)
