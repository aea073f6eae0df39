"""The house style every chart shares, laid out for a printed page.

Colours, the template, month labels, and :func:`finish`: the title, the legend under it,
labels that fit the narrowest width a chart is drawn at (:data:`PRINT_WIDTH`); round ticks
in a scaled unit (:func:`amount_axis`), twin axes with one zero (:func:`aligned_ranges`).
Text widths are estimated (no browser at build time): 0.6 x the font size a Latin
character, 1 x a Chinese one, which errs wide for the house font.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bpo_analysis.core.present import amount_scale
from bpo_analysis.i18n import N_
from bpo_analysis.i18n import month as month_label

__all__ = ["CATEGORY_COLOURS", "CHANNEL_COLOURS", "FONT_SIZE", "PERCENTILE_MARKS",
           "PRICING_MODEL_NAMES", "PRINT_WIDTH", "TEMPLATE", "aligned_ranges", "amount_axis",
           "finish", "fit_label", "legend_rows", "live_update", "mark_values", "month_labels",
           "named",
           "nice_ticks", "palette", "radar_polar", "text_width"]

CHANNEL_COLOURS = {N_("voice"): "#1f6feb", N_("chat"): "#2da44e", N_("email"): "#bf8700",
                   N_("total"): "#57606a"}
#: Colours of categories (criteria groups, cost items): 20 distinct, the dark ten first.
CATEGORY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78",
                    "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
                    "#dbdb8d", "#9edae5")
TEMPLATE = "plotly_white"
#: The narrowest width a chart is drawn at, CSS px: a printed A4 page (the print lays the
#: page out 920 px wide) and a report column at 1,400 px both have at least this.
PRINT_WIDTH = 860
#: Font sizes of the template, px: text and the title.
FONT_SIZE, TITLE_SIZE = 12, 17
_LINE = 1.3  # a line of text, share of its font size
_LEGEND_ROW = 21  # px of a row of the horizontal legend
_GAP = 8  # px between two labels

#: Set while figures are rebuilt only to update live ones (:func:`live_update`).
_LIVE: ContextVar[bool] = ContextVar("live_update", default=False)


@contextmanager
def live_update() -> Iterator[None]:
    """Build figures without the template while inside, to update live figures with.

    A dashboard rebuilds its figure on every move and copies what changed into the live
    figure, which keeps its own template: leaving it out saves plotly's validation of it
    (about 14 ms a figure).

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
    """Label each month of a ``PeriodIndex`` as on an axis ('Jan 2025'), in the report language.

    One category label per month; any other index is shown as ``str`` of its values.

    >>> month_labels(pd.period_range("2025-01", periods=2, freq="M"))
    ['Jan 2025', 'Feb 2025']
    """
    return [month_label(p) for p in index.to_timestamp()] if isinstance(
        index, pd.PeriodIndex) else [str(p) for p in index]


def palette(n: int) -> list[str]:
    """Return ``n`` colours, all distinct up to 20 (:data:`CATEGORY_COLOURS`).

    >>> len(set(palette(12)))
    12
    """
    return [CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(n)]


# ---------------------------------------------------------------- text that fits
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
#: A word or one Chinese character, with the brackets and punctuation kept on its line.
_PIECE = re.compile(rf"[（「『【(]*(?:\d+[年月日]|[^\s{_CJK}]+|[^\s（「『【）」』】、，。：；！？])"
                    rf"[）」』】、，。：；！？)]*\s*|.\s*")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimate the width of a text, px: its widest line (lines broken with ``<br>``).

    0.6 x ``size`` a character, 1 x for a wide (Chinese) one; HTML tags not counted.

    >>> text_width("service quality"), text_width("服務品質"), text_width("a<br>abc")
    (108.0, 48.0, 21.6)
    """
    return round(max(sum(1.0 if _wide(c) else 0.6 for c in _TAG.sub("", line)) * size
                     for line in _BR.split(str(text))), 1)


_ID = re.compile(r"\s*\(\w{1,5}\)$")  # a vendor's id after its name: " (V01)"


def _shorten(line: str, width: float, size: float, cut: bool = False) -> str:
    if not cut and text_width(line, size) <= width:
        return line
    tail = _ID.search(line)  # kept: the name is shortened, not the id
    end = tail.group() if tail and tail.start() else ""
    line = line[:len(line) - len(end)]
    while line and text_width(line + "…" + end, size) > width:
        line = line[:-1]
    if line.rfind(" ") > len(line) / 2:  # at a word's end when that loses little
        line = line[:line.rfind(" ")]
    return line.rstrip() + "…" + end


def named(key: str, names: Mapping[str, str] | None) -> str:
    """Return an id as a reader reads it: the name, then the id ("Jade Mountain (V01)").

    >>> named("V01", {"V01": "Jade Mountain"}), named("V09", {})
    ('Jade Mountain (V01)', 'V09')
    """
    name = (names or {}).get(key)
    return f"{name} ({key})" if name and name != key else str(key)


def fit_label(text: str, width: float, size: float = FONT_SIZE, lines: int = 2) -> str:
    """Break a label into at most ``lines`` lines of ``width`` px, shortened with '…'.

    Lines break at spaces, or between two Chinese characters; a label that still does
    not fit loses its end.

    >>> fit_label("business continuity", 90)
    'business<br>continuity'
    >>> fit_label("References in the client's industry", 100, lines=1)
    'References…'
    >>> fit_label("資訊安全", 30)
    '資訊<br>安全'
    >>> fit_label("Jade Mountain Teleservices (V01)", 150, lines=1)
    'Jade Mountain… (V01)'
    """
    out, line = [], ""
    for piece in _PIECE.findall(str(text)):
        if line.strip() and text_width((line + piece).rstrip(), size) > width:
            out.append(line)
            line = piece
        else:
            line += piece
    out.append(line)
    if len(out) > lines:  # the rest on the last line, shortened
        out = [*out[:lines - 1], _shorten("".join(out[lines - 1:]).rstrip(), width, size, True)]
    return "<br>".join(_shorten(x.rstrip(), width, size) for x in out)


# ---------------------------------------------------------------- round ticks, one zero
def nice_ticks(low: float, high: float, count: int = 5) -> np.ndarray:
    """Return round tick values in ``low`` .. ``high``: about ``count``, 1, 2 or 5 x 10^k apart.

    >>> nice_ticks(-4_200_000, 19_700_000).tolist()
    [0.0, 5000000.0, 10000000.0, 15000000.0]
    """
    span = (high - low) or abs(high) or 1.0
    mag = 10.0 ** math.floor(math.log10(span / count))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= span / count)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return np.arange(first, last + 1) * step + 0.0


def amount_axis(low: float, high: float, unit: str, count: int = 5) -> tuple[dict, str]:
    """Return an axis of amounts from ``low`` to ``high``: round ticks in a scaled unit.

    The axis settings (range, about ``count`` tick values, their texts in the scaled
    unit) and the scaled unit for the axis title ("TWD M"); ``unit`` is the amounts'.

    >>> axis, unit = amount_axis(-4_200_000, 19_700_000, "TWD")
    >>> unit, axis["ticktext"]
    ('TWD M', ['0', '5', '10', '15'])
    """
    divisor, scaled = amount_scale([low, high], unit)
    ticks = nice_ticks(low, high, count)
    step = (ticks[1] - ticks[0]) / divisor if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = [f"{v / divisor:,.{decimals}f}".replace("-", "−") if v else "0" for v in ticks]
    return {"range": [low, high], "tickmode": "array", "tickvals": ticks.tolist(),
            "ticktext": text}, scaled


def aligned_ranges(spans: Sequence[tuple[float, float]],
                   pad: float = 0.06) -> list[tuple[float, float]]:
    """Return axis ranges covering each ``(low, high)``, zero at the same height on all.

    Twin axes (bars on the left, a cumulative line on the right) then share their zero
    line: a line crossing zero crosses the bars' zero.

    >>> aligned_ranges([(-10, 10), (-4, 19)], pad=0)
    [(-10.0, 10.0), (-19.0, 19.0)]
    """
    padded = []
    for low, high in spans:
        low, high = min(float(low), 0.0), max(float(high), 0.0)
        span = (high - low) or 1.0
        padded.append((low - pad * span if low < 0 else low, high + pad * span))
    below = min(max(-lo / (hi - lo) for lo, hi in padded), 0.9)
    return [(-below * hi / (1 - below), hi) if -lo / (hi - lo) < below
            else (lo, -lo * (1 - below) / below) if -lo / (hi - lo) > below else (lo, hi)
            for lo, hi in padded]


def radar_polar(labels: Sequence[str], height: float) -> dict:
    """Return a radar's polar layout: labels clockwise from the top, fitted beside the circle.

    A label at the top or bottom (centred) no wider than the room to its neighbours; the
    radial axis and its ticks between the first two labels, off every label.
    """
    n, radius = max(len(labels), 1), (height - 130) * 0.84 / 2
    room = (PRINT_WIDTH - 100) / 2 - radius - 10
    step = math.radians(360 / n)
    above = [abs(math.sin(math.pi / 2 - i * step)) > 0.99 for i in range(n)]  # |cos| < 0.1
    text = [fit_label(s, min(room, 2 * radius * math.sin(step) - 8) if top else room)
            for s, top in zip(labels, above, strict=True)]
    return {"domain": {"y": [0.08, 0.92]}, "angularaxis": {
        "rotation": 90, "direction": "clockwise", "tickmode": "array",
        "tickvals": list(labels), "ticktext": text},
        "radialaxis": {"angle": 90 - 180 / n, "tickangle": 90 - 180 / n}}


def mark_values(fig: go.Figure, marks: Sequence[tuple[float, str]], low: float,
                high: float) -> None:
    """Mark values on the x axis (``low`` .. ``high``): a dotted line, its label above the plot.

    Labels that would touch are set one above the other.
    """
    px = (PRINT_WIDTH - 140) / ((high - low) or 1.0)  # px a unit of x, about
    ends: list[float] = []  # the right end of the labels on each row, px
    for at, label in marks:
        x, half = (at - low) * px, text_width(label) / 2 + 4
        row = next((r for r, end in enumerate(ends) if x - half >= end), len(ends))
        ends[row:row + 1] = [x + half]
        fig.add_vline(x=at, line_dash="dot", line_color="#57606a")
        fig.add_annotation(x=at, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=label, yshift=18 * row)


# ---------------------------------------------------------------- the page's layout
def legend_rows(fig: go.Figure, width: float = PRINT_WIDTH - 160) -> tuple[int, float]:
    """Return the rows the horizontal legend of ``fig`` takes in ``width`` px, and its column.

    One row if every item fits (an item: its text and 40 px of symbol), column 0; else a
    grid of columns as wide as the widest text (plotly's ``entrywidth``); 0 rows: none.

    >>> legend_rows(go.Figure([go.Bar(name="voice"), go.Bar(name="chat")]))
    (1, 0.0)
    """
    names = [t.name for t in fig.data if t.showlegend is not False and t.name
             and t.visible is not False and t.type not in ("heatmap", "histogram2d")]
    if fig.layout.showlegend is False or not names or (
            len(names) < 2 and fig.layout.showlegend is not True):
        return 0, 0.0
    text = [text_width(n) for n in names]
    if sum(text) + 45 * len(text) < width:
        return 1, 0.0
    return -(-len(text) // max(1, int(width // (max(text) + 45)))), max(text)


def _traces_on(fig: go.Figure, axis: str) -> list:
    """Return the traces drawn on a layout axis ('xaxis2' -> traces with xaxis 'x2')."""
    ref = axis[0] + axis[5:]
    return [t for t in fig.data if (getattr(t, axis[0] + "axis", None) or axis[0]) == ref
            and getattr(t, "type", "") not in ("scatterpolar", "pie")]


def _categories(fig: go.Figure, axis: str) -> list[str]:
    """Return the category labels of an axis, in order; none for a numeric axis."""
    seen: dict[str, None] = {}
    for t in _traces_on(fig, axis):
        values = getattr(t, axis[0], None)
        if values is not None and len(values) and isinstance(values[0], str):
            seen.update(dict.fromkeys(values))
    return list(seen)


def _fit_y(fig: go.Figure, axis: str, height: float) -> float:
    """Wrap an axis's category labels into the left margin; return the margin they need."""
    labels = _categories(fig, axis)
    lay = fig.layout[axis]
    if not labels or lay.showticklabels is False:
        return 0.0
    if lay.tickvals is None:  # (else fitted already, by the chart or a finish before)
        dom = lay.domain or (0, 1)
        one_line = (height - 110) * (dom[1] - dom[0]) / len(labels) < 2 * FONT_SIZE * _LINE
        lay.update(tickmode="array", tickvals=labels, ticktext=[
            fit_label(s, 0.3 * PRINT_WIDTH, lines=1 if one_line else 2) for s in labels])
    text = lay.ticktext or lay.tickvals
    return max(map(text_width, text)) + 14 + (24 if lay.title.text else 0)


def _fit_x(fig: go.Figure, axis: str, plot_width: float) -> None:
    """Fit an axis's category labels to their slot: wrapped, every k-th, or slanted."""
    labels = _categories(fig, axis)
    lay = fig.layout[axis]
    if not labels or lay.tickvals is not None or lay.showticklabels is False:
        return
    dom = lay.domain or (0, 1)
    slot = plot_width * (dom[1] - dom[0]) / len(labels)
    text = [fit_label(s, slot - _GAP, lines=3) for s in labels]
    if "…" in "".join(text):  # many short labels (months, times): every k-th shown
        words = max(text_width(w) for s in labels for w in str(s).split() or [""])
        text = [fit_label(s, words, lines=2) for s in labels]
        if len(labels) <= 12 or "…" in "".join(text):  # else: slanted, one line each
            text = [fit_label(s, 0.25 * PRINT_WIDTH, lines=1) for s in labels]
            k = -(-FONT_SIZE * _LINE // (slot * 0.7))
            lay.update(tickmode="array", tickvals=labels[::int(k)],
                       ticktext=text[::int(k)], tickangle=-45)
            return
    need = max(map(text_width, text)) + _GAP
    k = next(k for k in (1, 2, 3, 4, 6, 12, 24, 48, len(labels)) if k * slot >= need)
    lay.update(tickmode="array", tickvals=labels[::k], ticktext=text[::k], tickangle=0)


def _above_plot(fig: go.Figure) -> float:
    """Return the px the annotations above the plot take (subplot titles, marks' labels)."""
    tall = [len(_BR.split(str(a.text))) * (a.font.size or FONT_SIZE) * _LINE + 4
            + (a.yshift or 0)
            for a in fig.layout.annotations if a.visible is not False
            and str(a.yref or "paper").endswith(("paper", "domain")) and a.y is not None
            and a.y >= 1 and (a.yanchor or "auto") in ("bottom", "auto")]
    return max(tall, default=0.0)


def finish(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the house style of every chart to ``fig`` and return it.

    The template; the title at the top left, broken into lines to fit; the legend in
    rows at the foot of the figure (plotly keeps the axes, their labels and titles above
    it, at any height the figure is drawn at); category labels wrapped to their slot, or
    every k-th shown when there are many; the margins these need. ``fig`` is changed in
    place and returned; ``title`` is in the report language; ``height`` (px) is the
    plot's and its labels' (the title and legend rows add to it).

    >>> fig = finish(go.Figure(), "Contacts per month", height=300)
    >>> fig.layout.title.text, fig.layout.height, fig.layout.legend.orientation
    ('Contacts per month', 300, 'h')
    """
    heading = fit_label(title, PRINT_WIDTH - 30, TITLE_SIZE, lines=3)
    top = round(12 + len(_BR.split(heading)) * TITLE_SIZE * _LINE + 14 + _above_plot(fig))
    left = max([60.0, *(_fit_y(fig, k, height) for k in fig.layout
                        if k.startswith("yaxis") and (fig.layout[k].domain or (0,))[0] == 0)])
    rows, column = legend_rows(fig, PRINT_WIDTH - left - 100)  # (y ticks may widen it)
    height = height + max(0, top - 60) + rows * _LEGEND_ROW
    for k in [k for k in fig.layout if k.startswith("xaxis")]:
        _fit_x(fig, k, PRINT_WIDTH - left - 80)
    style = {} if _LIVE.get() else {"template": TEMPLATE}
    fig.update_layout(**style, height=height,
                      title={"text": heading, "x": 0.01, "xanchor": "left", "xref": "container",
                             "y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 12}},
                      margin={"l": round(left), "r": 20, "t": top, "b": 50},
                      legend={"orientation": "h", "x": 0.01, "xanchor": "left",
                              "xref": "container", "y": 0, "yanchor": "bottom",
                              "yref": "container", "traceorder": "normal",
                              "entrywidth": column or None})
    return fig


#: Names the package defines as data and the figures show (translated with ``term``).
_NAMES = (N_("In-house"), N_("Shared (per contact)"), N_("Dedicated (per seat)"),
          N_("Hybrid (base + overflow)"), N_("Partial (some channels in-house)"),
          N_("peak"), N_("trough"), N_("Vendor set-up fee"), N_("Transition (client)"),
          N_("Service fees"), N_("Management fee"), N_("Retained (hidden) costs"),
          N_("Exit / transition back"), N_("TCO"))

#: How a quote's pricing model reads (translated with ``term``).
PRICING_MODEL_NAMES = {"per_call": N_("per call"), "per_minute": N_("per minute"),
                       "per_productive_hour": N_("per productive hour"),
                       "per_seat": N_("per seat"), "hybrid": N_("hybrid (base + overflow)")}

#: The percentiles marked on a distribution's chart (5 %, the median, 95 %).
PERCENTILE_MARKS = ((5, "5 %"), (50, N_("median")), (95, "95 %"))
