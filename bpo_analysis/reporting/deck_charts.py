"""A report's chart as a native, editable PowerPoint chart, where its type maps.

Bars (vertical or horizontal, grouped or stacked), lines over categories or dates,
scatter over numbers, radar and pie charts become PowerPoint charts with the same
series, categories and values (python-pptx's chart data), so a consultant can restyle
or edit them in PowerPoint. A chart that mixes kinds (bars with a line), uses a second
axis or subplots, or is a heatmap, waterfall, histogram, box or map has no faithful
PowerPoint equivalent: the deck shows it as an image instead (:mod:`.deck`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.enum.chart import XL_CHART_TYPE

__all__ = ["MAX_POINTS", "NativeChart", "native_chart", "trace_values"]

MAX_POINTS = 400  # categories a native chart carries; longer series go as an image
_TAGS = re.compile(r"<[^>]+>")


def trace_values(v: Any) -> list:
    """Return a trace's array from figure JSON as a list.

    Plotly (>= 6) writes numpy data as a base64 typed array (``{"dtype": "f8",
    "bdata": ..., "shape": "7, 48"}``); plain lists stay as they are.

    >>> trace_values({"dtype": "i1", "bdata": "AQID"})
    [1, 2, 3]
    """
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        shape = v.get("shape")
        if shape:
            arr = arr.reshape([int(s) for s in str(shape).split(",")])
        return arr.tolist()
    return list(v) if v is not None else []


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    return " ".join(_TAGS.sub(" ", str(value or "")).split())


@dataclass(frozen=True)
class NativeChart:
    """What python-pptx needs to draw a chart: its type, data and titles."""

    kind: Any  # XL_CHART_TYPE member
    data: Any  # CategoryChartData or XyChartData
    title: str
    x_title: str
    y_title: str
    legend: bool


def _visible(fig: dict) -> list[dict]:
    return [t for t in fig.get("data", []) if t.get("visible", True) is True]


def _category_series(traces: list[dict], horizontal: bool) -> tuple[list, list] | None:
    """Categories (in order of first appearance) and each trace's values aligned to them."""
    keys, values = ("y", "x") if horizontal else ("x", "y")
    cats: list = []
    series = []
    for t in traces:
        c = [str(x) for x in trace_values(t.get(keys))]
        v = trace_values(t.get(values))
        if not c or len(c) != len(v):
            return None
        for x in c:
            if x not in cats:
                cats.append(x)
        series.append(dict(zip(c, v, strict=True)))
    if len(cats) > MAX_POINTS:
        return None
    aligned = [[_number(s.get(c)) for c in cats] for s in series]
    return cats, aligned


def _number(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) or np.isinf(f) else f


def _names(traces: list[dict]) -> list[str]:
    return [_text(t.get("name")) or f"{i + 1}" for i, t in enumerate(traces)]


def _single_axes(fig: dict, traces: list[dict]) -> bool:
    layout = fig.get("layout", {})
    if any(k.startswith(("xaxis2", "yaxis2")) for k in layout):
        return False
    return all(t.get("xaxis", "x") == "x" and t.get("yaxis", "y") == "y" for t in traces)


def _bars(fig: dict, traces: list[dict]) -> tuple[Any, Any] | None:
    if any(t.get("base") is not None for t in traces):  # floating bars (a tornado)
        return None
    horizontal = {t.get("orientation", "v") for t in traces}
    if len(horizontal) != 1:
        return None
    h = horizontal.pop() == "h"
    found = _category_series(traces, h)
    if found is None:
        return None
    cats, aligned = found
    stacked = fig.get("layout", {}).get("barmode") in ("stack", "relative")
    kind = {(False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
            (False, True): XL_CHART_TYPE.COLUMN_STACKED,
            (True, False): XL_CHART_TYPE.BAR_CLUSTERED,
            (True, True): XL_CHART_TYPE.BAR_STACKED}[(h, stacked)]
    data = CategoryChartData()
    data.categories = cats
    for name, values in zip(_names(traces), aligned, strict=True):
        data.add_series(name, values)
    return kind, data


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _lines(traces: list[dict]) -> tuple[Any, Any] | None:
    xs = [trace_values(t.get("x")) for t in traces]
    if all(x and all(_is_number(v) for v in x) for x in xs):  # numbers on x: XY scatter
        if sum(len(x) for x in xs) > MAX_POINTS * 4:
            return None
        lines = all("lines" in (t.get("mode") or "lines") for t in traces)
        data = XyChartData()
        for name, t, x in zip(_names(traces), traces, xs, strict=True):
            s = data.add_series(name)
            for a, b in zip(x, trace_values(t.get("y")), strict=False):
                if _number(b) is not None:
                    s.add_data_point(a, b)
        kind = (XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS if lines
                else XL_CHART_TYPE.XY_SCATTER)
        return kind, data
    found = _category_series(traces, horizontal=False)
    if found is None:
        return None
    cats, aligned = found
    data = CategoryChartData()
    data.categories = cats
    for name, values in zip(_names(traces), aligned, strict=True):
        data.add_series(name, values)
    markers = any("markers" in (t.get("mode") or "") for t in traces)
    return (XL_CHART_TYPE.LINE_MARKERS if markers else XL_CHART_TYPE.LINE), data


def _radar(traces: list[dict]) -> tuple[Any, Any] | None:
    theta = [str(x) for x in trace_values(traces[0].get("theta"))]
    data = CategoryChartData()
    data.categories = theta
    for name, t in zip(_names(traces), traces, strict=True):
        r = trace_values(t.get("r"))
        if len(r) != len(theta):
            return None
        data.add_series(name, [_number(v) for v in r])
    return XL_CHART_TYPE.RADAR_MARKERS, data


def _pie(traces: list[dict]) -> tuple[Any, Any] | None:
    if len(traces) != 1:
        return None
    data = CategoryChartData()
    data.categories = [str(x) for x in trace_values(traces[0].get("labels"))]
    data.add_series(_names(traces)[0], [_number(v) for v in
                                        trace_values(traces[0].get("values"))])
    return XL_CHART_TYPE.PIE, data


def native_chart(fig: dict) -> NativeChart | None:
    """Return the native PowerPoint chart of a plotly figure, or None when none is faithful.

    Parameters
    ----------
    fig : dict
        The figure as the report's output holds it (plotly JSON).

    Returns
    -------
    NativeChart or None
        The chart type, data and titles; None for a chart the deck shows as an image.
    """
    traces = _visible(fig)
    kinds = {t.get("type", "scatter") for t in traces}
    if not traces or len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind in ("scatterpolar", "pie"):
        made = _radar(traces) if kind == "scatterpolar" else _pie(traces)
    elif not _single_axes(fig, traces):
        return None
    elif kind == "bar":
        made = _bars(fig, traces)
    elif kind in ("scatter", "scattergl"):
        made = _lines(traces)
    else:
        return None
    if made is None:
        return None
    layout = fig.get("layout", {})
    return NativeChart(made[0], made[1], _text(layout.get("title")),
                       _text(layout.get("xaxis", {}).get("title")),
                       _text(layout.get("yaxis", {}).get("title")),
                       legend=len(traces) > 1 or kind == "pie")
