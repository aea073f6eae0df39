"""What the dashboards share: updating a live figure in place.

A dashboard's controls call the step's calculation, rebuild the figure with the step's own
chart function (so the live figure cannot drift from the report's) and hand it to
:func:`refresh`, which sends the browser only what moved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.basedatatypes import BasePlotlyType

from bpo_analysis.core.charts import live_update

__all__ = ["changed", "live", "refresh"]

#: Layout keys a refresh leaves alone: the house template is the same on both sides, and
#: the size and margins are the widget's own.
_KEEP = frozenset({"template", "height", "width", "autosize", "margin"})


def changed(obj: Any, **props: Any) -> None:
    """Set only the properties whose value changed.

    Each plotly assignment validates and sends a message: skipping the unchanged ones
    keeps a slider move fast.

    Parameters
    ----------
    obj : plotly object
        A trace, a layout or one of their parts (``marker``, a shape, an annotation).
    **props
        Property name -> new value.
    """
    new = {k: v for k, v in props.items() if not _same(obj[k], v)}
    if new:
        obj.update(new)


def _same(old: Any, new: Any) -> bool:
    """Whether a plotly property's value equals a new one (arrays element by element)."""
    if old is None or new is None:
        return old is new
    try:
        return bool(np.array_equal(np.asarray(old, dtype=object),
                                   np.asarray(new, dtype=object)))
    except (ValueError, TypeError):  # shapes numpy cannot hold: compare as plain values
        return False


def _sync(obj: Any, new: Any, skip: frozenset[str] = frozenset()) -> None:
    """Bring the plotly object ``obj`` to ``new`` (an object of the same type), leaf by leaf.

    Compound properties (a marker, an axis) are followed, values are compared.
    """
    flat = {}
    for k in new.to_plotly_json():
        if k in skip or k == "type":
            continue
        v = new[k]
        if isinstance(v, BasePlotlyType) and obj[k] is not None:
            _sync(obj[k], v)
        else:
            flat[k] = v
    if flat:
        changed(obj, **flat)


def refresh(widget: go.FigureWidget, figure: go.Figure) -> None:
    """Update a live figure in place to equal a freshly built one.

    Traces are matched in order: each one's changed properties are set (a trace added or
    removed replaces the data); the layout follows too (titles, axes, shapes,
    annotations), except the template, size and margins. All in one batch, so the browser
    redraws once.

    Parameters
    ----------
    widget : plotly.graph_objects.FigureWidget
        The figure on the dashboard.
    figure : plotly.graph_objects.Figure
        The same chart rebuilt by the step's chart function on the moved inputs.

    Examples
    --------
    A volume slider moves one bar of a chart of contacts per channel:

    >>> live = go.FigureWidget(go.Figure(go.Bar(x=["voice", "chat"], y=[120, 80])))
    >>> refresh(live, go.Figure(go.Bar(x=["voice", "chat"], y=[132, 88])))
    >>> list(live.data[0].y)
    [132, 88]
    """
    with widget.batch_update():
        if [t.type for t in figure.data] != [t.type for t in widget.data]:
            widget.data = []
            widget.add_traces(list(figure.data))
        else:
            for trace, new in zip(widget.data, figure.data, strict=True):
                _sync(trace, new)
        for key in ("shapes", "annotations"):
            current, items = widget.layout[key], figure.layout[key]
            if len(current) == len(items):
                for item, new in zip(current, items, strict=True):
                    _sync(item, new)
            else:
                widget.layout[key] = items
        _sync(widget.layout, figure.layout, _KEEP | {"shapes", "annotations"})


def live(update: Callable[..., None]) -> Callable[..., None]:
    """Run a dashboard's ``update`` with its figures rebuilt for :func:`refresh` only.

    Inside, the step's chart functions leave the template out
    (:func:`bpo_analysis.core.charts.live_update`): the live figure keeps its own, and
    each rebuild saves plotly's validation of it.

    Parameters
    ----------
    update : callable
        The function a control calls when it moves.

    Returns
    -------
    callable
        ``update`` running inside :func:`~bpo_analysis.core.charts.live_update`.
    """
    @functools.wraps(update)
    def wrapped(*args, **kwargs):
        with live_update():
            return update(*args, **kwargs)
    return wrapped
