"""The house style every chart shares: channel colours, template, title and month labels.

The channel colours, the template, the title, margins and legend (:func:`finish`) and
month labels in the report's language. Every step's charts
(``bpo_analysis.steps.<step>.charts``) build on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.i18n import N_
from bpo_analysis.i18n import month as month_label

__all__ = ["CHANNEL_COLOURS", "PERCENTILE_MARKS", "TEMPLATE", "finish", "live_update",
           "month_labels"]

CHANNEL_COLOURS = {N_("voice"): "#1f6feb", N_("chat"): "#2da44e", N_("email"): "#bf8700",
                   N_("total"): "#57606a"}
TEMPLATE = "plotly_white"

#: Set while figures are rebuilt only to update live ones (:func:`live_update`).
_LIVE: ContextVar[bool] = ContextVar("live_update", default=False)


@contextmanager
def live_update() -> Iterator[None]:
    """Build figures without the template while inside, to update live figures with.

    A dashboard rebuilds its figure with the step's chart function on every move and
    copies what changed into the live figure, which keeps its own template; plotly
    validates a template each time one is set (about 14 ms a figure), so leaving it out
    of these rebuilds saves that on every move.

    Examples
    --------
    >>> with live_update():
    ...     rebuilt = finish(go.Figure(), "Contacts per month")
    >>> rebuilt.layout.title.text, rebuilt.layout.template.layout.plot_bgcolor == "white"
    ('Contacts per month', False)
    >>> finish(go.Figure(), "Contacts per month").layout.template.layout.plot_bgcolor
    'white'
    """
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


def month_labels(index: pd.Index) -> list[str]:
    """Label each month of an index as on an axis ('Jan 2025'), in the report language.

    Parameters
    ----------
    index : Index
        A monthly ``PeriodIndex``; any other index is shown as ``str`` of its values.

    Returns
    -------
    list of str
        One category label per month (so that every month is shown on the axis).

    Examples
    --------
    >>> month_labels(pd.period_range("2025-01", periods=2, freq="M"))
    ['Jan 2025', 'Feb 2025']
    """
    return [month_label(p) for p in index.to_timestamp()] if isinstance(
        index, pd.PeriodIndex) else [str(p) for p in index]


def finish(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the house style of every chart to ``fig`` and return it.

    The template, the title at the left, the height, the margins and a horizontal
    legend under the plot.

    Parameters
    ----------
    fig : Figure
        The figure to style (changed in place).
    title : str
        Its title, already in the report language.
    height : int
        Height, pixels.

    Returns
    -------
    Figure
        ``fig`` itself.

    Examples
    --------
    >>> fig = finish(go.Figure(), "Contacts per month", height=300)
    >>> fig.layout.title.text, fig.layout.height, fig.layout.legend.orientation
    ('Contacts per month', 300, 'h')
    """
    style = {} if _LIVE.get() else {"template": TEMPLATE}
    fig.update_layout(**style, title={"text": title, "x": 0.01}, height=height,
                      margin={"l": 60, "r": 20, "t": 60, "b": 50},
                      legend={"orientation": "h", "y": -0.15})
    return fig


#: Names the package defines as data and the figures show (translated with ``term``).
_NAMES = (N_("In-house"), N_("Shared (per contact)"), N_("Dedicated (per seat)"),
          N_("Hybrid (base + overflow)"), N_("Partial (some channels in-house)"),
          N_("peak"), N_("trough"), N_("Vendor set-up fee"), N_("Transition (client)"),
          N_("Service fees"), N_("Management fee"), N_("Retained (hidden) costs"),
          N_("Exit / transition back"), N_("TCO"))

#: The percentiles marked on a distribution's chart (5 %, the median, 95 %).
PERCENTILE_MARKS = ((5, "5 %"), (50, N_("median")), (95, "95 %"))
