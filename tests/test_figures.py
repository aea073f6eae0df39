"""Every chart of every step, for both bundled clients, in English and in Chinese, read as a
printed page shows it: round ticks, one zero on twin axes, labels that fit their space,
annotations apart, a legend for what a page needs, a colour per category and no axis
title under the legend.

The checks read the figure objects (no browser): they lay the page out the way plotly
does, at the narrowest width a chart is drawn (``PRINT_WIDTH``), with text widths
estimated at 0.6 x the font size a character (1 x for a Chinese one). Each check is also
run on a figure built as the charts were before issue 23 and must find its defect there
(``test_each_check_finds_the_defect_it_is_for``).
"""

from __future__ import annotations

import importlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from bpo_analysis import load_client
from bpo_analysis.core.charts import PRINT_WIDTH
from bpo_analysis.i18n import use_language
from tests.conftest import HK, SAMPLE, plotly_values

W = PRINT_WIDTH  # px
SIZE, TITLE, SUBTITLE, LINE = 12, 17, 16, 1.3  # font sizes, px; a line, share of its size

#: Each step's parameters (the notebooks' defaults; fewer draws, the same charts).
STEPS = {"profile": {}, "sourcing": {}, "vendors": {"draws": 1_000}, "pricing": {},
         "contract": {"simulated_years": 2_000}, "review": {"month": "2025-12"},
         "roi": {"draws": 2_000}, "risk": {}, "maturity": {}}


# ---------------------------------------------------------------- the page, estimated
def text_width(text: object, size: float = SIZE) -> float:
    """Width of a text, px: its widest line, 0.6 x the size a character, 1 x a Chinese one."""
    lines = re.split(r"<br\s*/?>", str(text))
    return max(sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size
                   for c in re.sub(r"<[^>]+>", "", line)) for line in lines)


def n_lines(text: object) -> int:
    return len(re.split(r"<br\s*/?>", str(text)))


Box = tuple[float, float, float, float]  # left, top, right, bottom, px from the top left


def overlap(a: Box, b: Box, slack: float = 1.0) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack
            and min(a[3], b[3]) - max(a[1], b[1]) > slack)


def _trace_axis(t, letter: str) -> str:
    ref = getattr(t, f"{letter}axis", None) or letter
    return f"{letter}axis{ref[1:]}"


def _array(values):
    """A trace's array: as given, or plotly's base64 typed array decoded."""
    return plotly_values(values) if isinstance(values, dict) else values


def _numbers(values) -> np.ndarray:
    values = _array(values)
    if values is None or len(values) == 0 or not isinstance(
            values[0], (int, float, np.integer, np.floating)):
        return np.array([])  # (labels, dates)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([])
    return arr[np.isfinite(arr)]


class Page:
    """Where plotly puts a figure's plot, axes, legend and annotations at ``W`` px."""

    def __init__(self, fig: go.Figure):
        self.fig, lay = fig, fig.layout
        self.h = lay.height or 450
        m = lay.margin
        self.m = {k: (getattr(m, k) if getattr(m, k) is not None else d)
                  for k, d in (("l", 80), ("r", 80), ("t", 100), ("b", 80))}
        self.axes = [k for k in lay if re.fullmatch(r"[xy]axis\d*", k)]
        left = max([self.m["l"], *(self.tick_room(k) for k in self.axes
                                   if k[0] == "y" and self.side(k) == "left")])
        right = max([self.m["r"], *(self.tick_room(k) for k in self.axes
                                    if k[0] == "y" and self.side(k) == "right")])
        bottom = max([self.m["b"], *(self.tick_band(k) + 24 for k in self.axes
                                     if k[0] == "x")])
        self.plot = (left, self.m["t"], W - right, self.h - bottom)
        lg = lay.legend
        if lg.yref == "container" and (lg.y or 0) < 0.2 and self.legend() is not None:
            # plotly keeps the room of a legend at the figure's foot (and the axes above it)
            legend = self.legend()
            self.plot = (left, self.m["t"], W - right, self.h - bottom - (
                legend[3] - legend[1]))

    # axes
    def side(self, axis: str) -> str:
        return self.fig.layout[axis].side or ("left" if axis[0] == "y" else "bottom")

    def categories(self, axis: str) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.fig.data:
            v = _array(getattr(t, axis[0], None)) if _trace_axis(t, axis[0]) == axis else None
            if v is not None and len(v) and isinstance(next(iter(v)), str):
                seen.update(dict.fromkeys(v))
        return list(seen)

    def values(self, axis: str) -> np.ndarray:
        """The numbers drawn on an axis (bars from zero, and stacked bars' sums)."""
        out, bars = [], []
        for t in self.fig.data:
            if _trace_axis(t, axis[0]) != axis or t.type in ("heatmap", "scatterpolar"):
                continue
            v = _numbers(getattr(t, axis[0], None))
            out.append(v)
            along = "h" if axis[0] == "x" else "v"
            if t.type == "bar" and (t.orientation or "v") == along and len(v):
                bars.append(v)
        if bars and self.fig.layout.barmode in ("stack", "relative"):
            n = max(map(len, bars))
            stack = np.array([np.pad(b, (0, n - len(b))) for b in bars])
            out += [np.clip(stack, 0, None).sum(axis=0), np.clip(stack, None, 0).sum(axis=0)]
        if bars or not any(map(len, out)):
            out.append(np.zeros(1))
        return np.concatenate(out)

    def tick_texts(self, axis: str) -> list[str]:
        ax = self.fig.layout[axis]
        if ax.ticktext is not None:
            return [str(s) for s in ax.ticktext]
        if ax.tickvals is not None:
            return [str(v) for v in ax.tickvals]
        cats = self.categories(axis)
        if cats:
            return cats
        top = np.abs(self.values(axis)).max(initial=0)
        return [f"{top:,.0f}" if "," in (ax.tickformat or "") else f"{top:.6g}"]

    def tick_room(self, axis: str) -> float:
        """Px a y axis's tick labels and title take beside the plot."""
        ax = self.fig.layout[axis]
        if ax.visible is False:
            return 0.0
        ticks = max(map(text_width, self.tick_texts(axis)), default=0) + 8
        return ticks + (24 if ax.title.text else 0)

    def tick_band(self, axis: str) -> float:
        """Px an x axis's tick labels take under the plot."""
        ax = self.fig.layout[axis]
        texts = self.tick_texts(axis) if ax.visible is not False else []
        if not texts or ax.showticklabels is False:
            return 0.0
        angle = abs(ax.tickangle or 0)
        tall = max(map(n_lines, texts)) * SIZE * LINE
        return tall if angle == 0 else max(map(text_width, texts)) * math.sin(
            math.radians(angle)) + tall

    def span(self, axis: str) -> tuple[float, float]:
        """The px an axis spans (x: left to right; y: bottom to top)."""
        d = self.fig.layout[axis].domain or (0, 1)
        x0, y0, x1, y1 = self.plot
        return ((x0 + d[0] * (x1 - x0), x0 + d[1] * (x1 - x0)) if axis[0] == "x"
                else (y1 - d[0] * (y1 - y0), y1 - d[1] * (y1 - y0)))

    def to_px(self, axis: str, value) -> float:
        """A value on an axis, in px."""
        ax, (a, b) = self.fig.layout[axis], self.span(axis)
        cats = self.categories(axis)
        if cats and isinstance(value, str):
            lo, hi, v = -0.5, len(cats) - 0.5, cats.index(value) if value in cats else 0
        elif cats:
            lo, hi, v = -0.5, len(cats) - 0.5, float(value)
        else:
            if isinstance(value, (pd.Timestamp, np.datetime64, str)) or hasattr(value, "year"):
                times = [pd.Timestamp(x).value for t in self.fig.data
                         if _trace_axis(t, axis[0]) == axis
                         and getattr(t, axis[0], None) is not None
                         for x in getattr(t, axis[0])]
                value = pd.Timestamp(value).value
                lo, hi = min(times, default=value), max(times, default=value + 1)
            elif ax.range is not None:
                lo, hi = (float(r) for r in ax.range)
            else:
                vals = self.values(axis)
                lo, hi = float(vals.min()), float(vals.max())
            v = float(value)
        if ax.autorange == "reversed":
            lo, hi = hi, lo
        return a + (v - lo) / ((hi - lo) or 1.0) * (b - a)

    def ref_px(self, ref: str | None, value, letter: str) -> float:
        ref = ref or (letter if self.axes else "paper")  # plotly's default: the first axis
        x0, y0, x1, y1 = self.plot
        if ref == "paper":
            return x0 + value * (x1 - x0) if letter == "x" else y1 - value * (y1 - y0)
        if ref == "container":
            return value * W if letter == "x" else (1 - value) * self.h
        axis = f"{letter}axis{ref.split()[0][1:]}"
        if ref.endswith("domain"):
            a, b = self.span(axis)
            return a + value * (b - a)
        return self.to_px(axis, value)

    # things drawn
    def annotations(self) -> Iterator[tuple[str, Box]]:
        for a in self.fig.layout.annotations:
            if a.visible is False or not a.text or a.x is None or a.y is None:
                continue
            size = (a.font.size if a.font and a.font.size else SIZE)
            w, h = text_width(a.text, size) + 4, n_lines(a.text) * size * LINE + 4
            x, y = self.ref_px(a.xref, a.x, "x"), self.ref_px(a.yref, a.y, "y")
            arrow = a.showarrow is not False
            if arrow:
                x, y = x + (a.ax if a.ax is not None else -10), y + (a.ay if a.ay is not None
                                                                      else -30)
            xa, ya = a.xanchor or "auto", a.yanchor or "auto"
            paper = not arrow and str(a.xref) in ("paper", "container")
            if xa == "auto":
                xa = ("left" if a.x <= 1 / 3 else "right" if a.x >= 2 / 3 else "center"
                      ) if paper else "center"
            if ya == "auto":
                ya = ("bottom" if a.y <= 1 / 3 else "top" if a.y >= 2 / 3 else "middle"
                      ) if paper and str(a.yref) == "paper" else "middle"
            x += a.xshift or 0
            y -= a.yshift or 0
            left = x - {"left": 0, "center": w / 2, "right": w}[xa]
            top = y - {"top": 0, "middle": h / 2, "bottom": h}[ya]
            yield str(a.text), (left, top, left + w, top + h)

    def legend_items(self) -> list[str]:
        lay = self.fig.layout
        names = [t.name for t in self.fig.data if t.showlegend is not False and t.name
                 and t.visible is not False and t.type not in ("heatmap", "histogram2d")]
        shown = lay.showlegend is True or (lay.showlegend is None and len(names) > 1)
        return names if shown else []

    def legend(self) -> Box | None:
        """The legend's box, as plotly lays a legend out (rows, or a grid of columns)."""
        names, lg = self.legend_items(), self.fig.layout.legend
        if not names:
            return None
        x0, y0, x1, y1 = self.plot
        if (lg.orientation or "v") == "v":
            w, h = 40 + max(map(text_width, names)), 20 * len(names) + 10
        else:
            room, text = x1 - x0, [lg.entrywidth or text_width(n) for n in names]
            if sum(text) + 45 * len(text) < room:
                w, rows = sum(text) + 45 * len(text), 1
            else:
                cols = max(1, int(room // (max(text) + 45)))
                w, rows = cols * (max(text) + 45), -(-len(text) // cols)
            h = 20 * rows + 10
        horizontal = (lg.orientation or "v") == "h"
        x = lg.x if lg.x is not None else (0 if horizontal else 1.02)
        y = lg.y if lg.y is not None else (-0.1 if horizontal else 1)
        px = x * W if lg.xref == "container" else x0 + x * (x1 - x0)
        py = (1 - y) * self.h if lg.yref == "container" else y1 - y * (y1 - y0)
        xa = lg.xanchor or "auto"
        ya = lg.yanchor or "auto"
        if xa == "auto":
            xa = "left" if x <= 1 / 3 else "right" if x >= 2 / 3 else "center"
        if ya == "auto":
            ya = "bottom" if y <= 1 / 3 else "top" if y >= 2 / 3 else "middle"
        left = px - {"left": 0, "center": w / 2, "right": w}[xa]
        top = py - {"top": 0, "middle": h / 2, "bottom": h}[ya]
        return left, top, left + w, top + h

    def titles(self) -> Iterator[tuple[str, Box]]:
        """Each axis title's box, and each x axis's band of tick labels."""
        for k in self.axes:
            ax = self.fig.layout[k]
            if ax.visible is False:
                continue
            a, b = self.span(k)
            if k[0] == "x":
                band = self.tick_band(k)
                bottom = self.plot[3] if ax.side != "top" else self.plot[1]
                yield f"{k} tick labels", (a, bottom, b, bottom + band)
                if ax.title.text:
                    w = text_width(ax.title.text, 14)
                    yield f"{k} title", ((a + b - w) / 2, bottom + band + 4, (a + b + w) / 2,
                                         bottom + band + 24)
            elif ax.title.text:
                room, h = self.tick_room(k), text_width(ax.title.text, 14)
                x = self.plot[0] - room if self.side(k) == "left" else self.plot[2] + room - 22
                yield f"{k} title", (x, (a + b - h) / 2, x + 22, (a + b + h) / 2)


# ---------------------------------------------------------------- the checks
def _significant(text: str) -> int | None:
    """Significant digits a tick text shows; None if it is not a number."""
    t = text.replace("−", "-").replace(",", "").replace("%", "").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    digits = t.lstrip("-").replace(".", "").lstrip("0")
    return len(digits if "." in t else digits.rstrip("0")) or 1


def round_ticks(fig: go.Figure) -> list[str]:
    """Ticks show at most 3 significant digits, or plotly's round ticks with separators."""
    page, bad = Page(fig), []
    for k in page.axes:
        ax = fig.layout[k]
        if ax.overlaying and ax.tickmode not in ("array", "linear", "auto"):
            bad.append(f"{k}: ticks synced to the other axis (not round)")
        if ax.showticklabels is False or ax.matches or ax.visible is False:
            continue
        if ax.tickvals is not None:
            shown = [str(s) for s in (ax.ticktext if ax.ticktext is not None else ax.tickvals)]
            long = [s for s in shown if (_significant(s) or 0) > 3]
            if long:
                bad.append(f"{k}: ticks {long[:3]}")
        elif not page.categories(k) and np.abs(page.values(k)).max(initial=0) >= 10_000 and \
                not re.search(r",|~?s", ax.tickformat or ""):
            bad.append(f"{k}: amounts without thousands separators (tickformat "
                       f"{ax.tickformat!r})")
    return bad


def zeros_aligned(fig: go.Figure) -> list[str]:
    """An axis over another has its zero at the same height."""
    bad = []
    for k in [k for k in fig.layout if re.fullmatch(r"yaxis\d*", k)]:
        ax = fig.layout[k]
        if not ax.overlaying:
            continue
        base = fig.layout["yaxis" + ax.overlaying[1:]]
        if ax.range is None or base.range is None:
            bad.append(f"{k}: ranges left to plotly, which puts the two zeros apart")
            continue
        (a0, a1), (b0, b1) = ((float(r[0]), float(r[1])) for r in (ax.range, base.range))
        if abs(-a0 / (a1 - a0) - -b0 / (b1 - b0)) > 0.01:
            bad.append(f"{k}: zero at {-a0 / (a1 - a0):.0%} of the height, "
                       f"{-b0 / (b1 - b0):.0%} on the axis it overlays")
    return bad


def _polar_labels(fig: go.Figure, page: Page) -> Iterator[str]:
    """Radar labels beyond the page or on each other, and radial ticks on a label."""
    for k in [k for k in fig.layout if re.fullmatch(r"polar\d*", k)]:
        polar = fig.layout[k]
        ang = polar.angularaxis
        theta: dict[str, None] = {}
        for t in fig.data:
            if t.type == "scatterpolar" and (t.subplot or "polar") == k:
                theta.update(dict.fromkeys(str(s) for s in (t.theta or ())))
        cats = [str(v) for v in ang.tickvals] if ang.tickvals is not None else list(theta)
        text = [str(v) for v in ang.ticktext] if ang.ticktext is not None else cats
        if not cats:
            continue
        x0, y0, x1, y1 = page.plot
        dx, dy = polar.domain.x or (0, 1), polar.domain.y or (0, 1)
        bw, bh = (x1 - x0) * (dx[1] - dx[0]), (y1 - y0) * (dy[1] - dy[0])
        r = min(bw, bh) / 2
        cx, cy = x0 + (dx[0] + dx[1]) / 2 * (x1 - x0), y1 - (dy[0] + dy[1]) / 2 * (y1 - y0)
        sign = -1 if ang.direction == "clockwise" else 1
        start = ang.rotation if ang.rotation is not None else 0
        angles = [start + sign * 360 * i / len(cats) for i in range(len(cats))]
        boxes = []
        for label, a in zip(text, angles, strict=True):
            c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
            w, h = text_width(label), n_lines(label) * SIZE * LINE
            px, py = cx + (r + 4) * c, cy - (r + 4) * s  # anchored as plotly anchors them
            left = px - w / 2 if abs(c) < 0.1 else px if c > 0 else px - w
            top = py - 0.5 * (1 + s) * h
            boxes.append((label, (left, top, left + w, top + h)))
            if left < 0 or left + w > W or top < page.plot[1] - 40:
                yield f"{k}: label {label!r} beyond the page"
        for (a, ba), (b, bb) in zip(boxes, boxes[1:] + boxes[:1], strict=True):
            if overlap(ba, bb):
                yield f"{k}: labels {a!r} and {b!r} overlap"
        radial = polar.radialaxis.angle if polar.radialaxis.angle is not None else 0
        near = min(abs((radial - a + 180) % 360 - 180) for a in angles)
        if near < 0.3 * 360 / len(cats):
            yield f"{k}: the radial ticks at {radial:g}° sit on a label ({near:.0f}° away)"


def labels_fit(fig: go.Figure) -> list[str]:
    """No title, category, tick, annotation or radar label longer than its space."""
    page, bad = Page(fig), []
    title = fig.layout.title.text or ""
    if text_width(title, TITLE) > W - 20:
        bad.append(f"title {title!r} wider than the page")
    for k in page.axes:
        ax = fig.layout[k]
        cats = page.categories(k)
        if not cats or ax.showticklabels is False or ax.visible is False:
            continue
        vals = [str(v) for v in ax.tickvals] if ax.tickvals is not None else cats
        text = [str(v) for v in ax.ticktext] if ax.ticktext is not None else vals
        a, b = page.span(k)
        slot = abs(b - a) / len(cats)
        if k[0] == "y":
            room = page.m["l"] - 6 - (24 if ax.title.text else 0)
            long = [s for s in text if text_width(s) > room]
            tall = [s for s in text if n_lines(s) * SIZE * LINE > slot + 2]
            bad += [f"{k}: {s!r} wider than the margin ({room:.0f} px)" for s in long[:3]]
            bad += [f"{k}: {s!r} taller than its row ({slot:.0f} px)" for s in tall[:3]]
            continue
        where = [cats.index(v) if v in cats else 0 for v in vals]
        gaps = np.diff(where) if len(where) > 1 else np.array([len(cats)])
        space = slot * float(gaps.min())
        angle = abs(ax.tickangle or 0)
        if angle == 0:
            wide = [s for s in text if text_width(s) > space]
            bad += [f"{k}: {s!r} wider than its place ({space:.0f} px)" for s in wide[:3]]
        elif space * math.sin(math.radians(angle)) < max(map(n_lines, text)) * SIZE * 1.2:
            bad.append(f"{k}: slanted labels {space:.0f} px apart cover each other")
    for text, (left, top, right, bottom) in page.annotations():
        if left < -1 or right > W + 1 or top < -1 or bottom > page.h + 1:
            bad.append(f"annotation {text!r} beyond the page")
    return bad + list(_polar_labels(fig, page))


def annotations_apart(fig: go.Figure) -> list[str]:
    """No annotation (a mark's label, a subplot's title) covers another."""
    notes = list(Page(fig).annotations())
    return [f"{a!r} covers {b!r}" for i, (a, ba) in enumerate(notes)
            for b, bb in notes[i + 1:] if overlap(ba, bb)]


def legend_complete(fig: go.Figure) -> list[str]:
    """Traces of one kind, named apart, in one panel, are in the legend (or label themselves)."""
    page, bad = Page(fig), []
    legend = set(page.legend_items())
    panels: dict[tuple, set[str]] = {}
    for t in fig.data:
        if not t.name or "text" in (getattr(t, "mode", None) or "") or t.visible is False:
            continue
        where = (getattr(t, "subplot", None) or (getattr(t, "xaxis", None),
                                                  getattr(t, "yaxis", None)), t.type)
        panels.setdefault(where, set()).add(t.name)
    for names in panels.values():
        if len(names) > 1:
            bad += [f"trace {n!r} not in the legend" for n in sorted(names - legend)]
    return sorted(set(bad))


def _colour(fig: go.Figure, i: int, t) -> str | None:
    for part, key in (("marker", "color"), ("line", "color"), ("fillcolor", None)):
        v = getattr(t, part, None)
        v = getattr(v, key, None) if key and v is not None else v
        if isinstance(v, str):
            return v.lower()
        if v is not None and not isinstance(v, str):
            return None  # a colour per point: not one category's
    way = (fig.layout.template.layout.colorway if fig.layout.template else None) or \
        pio.templates["plotly"].layout.colorway
    return way[i % len(way)].lower()


def colours_distinct(fig: go.Figure) -> list[str]:
    """Every legend entry looks different (colour, dash, symbol, kind of trace)."""
    legend = set(Page(fig).legend_items())
    looks: dict[tuple, set[str]] = {}
    for i, t in enumerate(fig.data):
        if t.name not in legend or t.showlegend is False:
            continue
        colour = _colour(fig, i, t)
        if colour is None:
            continue
        line = getattr(t, "line", None)
        marker = getattr(t, "marker", None)
        look = (t.type, colour, getattr(line, "dash", None), getattr(marker, "symbol", None))
        looks.setdefault(look, set()).add(t.name)
    return [f"{sorted(names)} look the same {look[1:3]}" for look, names in looks.items()
            if len(names) > 1]


def legend_clear(fig: go.Figure) -> list[str]:
    """The legend covers no axis title, no tick labels, no annotation, and stays on the page."""
    page = Page(fig)
    box = page.legend()
    if box is None:
        return []
    bad = [f"legend covers the {name}" for name, other in page.titles() if overlap(box, other)]
    bad += [f"legend covers {text!r}" for text, other in page.annotations()
            if overlap(box, other)]
    if box[0] < -1 or box[2] > W + 1 or box[1] < -1 or box[3] > page.h + 1:
        bad.append("legend beyond the page")
    return bad


CHECKS: dict[str, Callable[[go.Figure], list[str]]] = {
    "round_ticks": round_ticks, "zeros_aligned": zeros_aligned, "labels_fit": labels_fit,
    "annotations_apart": annotations_apart, "legend_complete": legend_complete,
    "colours_distinct": colours_distinct, "legend_clear": legend_clear}


# ---------------------------------------------------------------- every figure
def _figures() -> dict[str, go.Figure]:
    out = {}
    for lang in ("en", "zh-Hant"):
        with use_language(lang):
            for folder in (SAMPLE, HK):
                client = load_client(folder)
                for step, params in STEPS.items():
                    result = importlib.import_module(f"bpo_analysis.steps.{step}").run(
                        client, **params)
                    for name in result.figures:
                        shown = result.figures[name]
                        for i, fig in enumerate(shown if isinstance(shown, list) else [shown]):
                            out[f"{folder.name} {lang} {step}.{name}{i or ''}"] = fig
    return out


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    """Every figure of every step: both clients, English and Chinese (about a minute)."""
    return _figures()


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS)
def test_every_figure_reads_on_a_printed_page(figures, check):
    assert len(figures) > 140
    found = {key: problems for key, fig in figures.items() if (problems := CHECKS[check](fig))}
    assert not found, "\n".join(f"{key}: {p}" for key, ps in found.items() for p in ps)


# ---------------------------------------------------------------- the checks can fail
def _old_cash_flow() -> go.Figure:
    """06's cash flows as drawn before: synced right ticks, autoranged, legend under."""
    x = [f"M{i}" for i in range(24)]
    fig = go.Figure([go.Bar(x=x, y=np.linspace(-9e6, 9e6, 24), name="fees"),
                     go.Bar(x=x, y=np.full(24, 6e6), name="gains"),
                     go.Scatter(x=x, y=np.linspace(-4e6, 12.9e6, 24), yaxis="y2",
                                name="cumulative net")])
    fig.update_layout(barmode="relative", height=460, margin={"l": 60, "r": 20, "t": 60,
                                                              "b": 50},
                      legend={"orientation": "h", "y": -0.15},
                      yaxis2={"overlaying": "y", "side": "right", "tickformat": ","})
    fig.update_xaxes(title="month (the first: one-offs before go-live)", type="category")
    fig.update_yaxes(title="TWD per month", tickformat=",", selector={"side": None})
    return fig


def _old_figures() -> dict[str, go.Figure]:
    """One figure with each defect, built as the charts drew them before issue 23."""
    groups = ["service quality", "scale", "industry experience", "operations maturity",
              "people", "flexibility", "technology", "information security",
              "business continuity", "site", "pilot results", "price"]
    contributions = go.Figure([go.Bar(y=["V01", "V02"], x=[0.1, 0.2], name=g,
                                      orientation="h") for g in groups])
    contributions.update_layout(barmode="stack", template="plotly_white")
    ahp = go.Figure(go.Bar(x=groups, y=np.arange(12.0)))
    ahp.update_layout(margin={"l": 60, "r": 20, "t": 60, "b": 50}, height=420)
    break_even = go.Figure(go.Scatter(x=[0, 100_000], y=[0, 1e7]))
    for v, text in ((61_375, "break-even: 61,375 contacts per month"),
                    (70_000, "break-even: 70,000 contacts per month")):
        break_even.add_vline(x=v, annotation_text=text, annotation_position="top")
    components = go.Figure([go.Bar(x=[1, 2], y=["In-house", "Shared"], orientation="h",
                                   name=n) for n in ("Agent pay", "Supervisors")])
    components.update_layout(barmode="stack", showlegend=False)
    radar = go.Figure(go.Scatterpolar(r=[1, 2, 3, 4], theta=["a", "b", "c", "d"]))
    radar.update_layout(polar={"radialaxis": {"range": [0, 4], "tickvals": [1, 2, 3, 4],
                                              "ticktext": ["1 operational", "2", "3", "4"]}})
    return {"round_ticks": _old_cash_flow(), "zeros_aligned": _old_cash_flow(),
            "labels_fit": ahp, "annotations_apart": break_even,
            "legend_complete": components, "colours_distinct": contributions,
            "legend_clear": _old_cash_flow(), "radar": radar}


@pytest.mark.parametrize("check", CHECKS)
def test_each_check_finds_the_defect_it_is_for(check):
    assert CHECKS[check](_old_figures()[check]), check


def test_the_radar_check_finds_level_labels_on_a_topic():
    assert any("radial ticks" in p for p in labels_fit(_old_figures()["radar"]))


def test_the_checks_pass_a_chart_laid_out_by_the_house_style():
    from bpo_analysis.core.charts import aligned_ranges, amount_axis, finish

    fig = _old_cash_flow()
    (lo1, hi1), (lo2, hi2) = aligned_ranges([(-9e6, 15e6), (-4e6, 12.9e6)])
    fig.update_layout(yaxis={**amount_axis(lo1, hi1, "TWD")[0], "title": "TWD M per month"},
                      yaxis2=amount_axis(lo2, hi2, "TWD")[0])
    fig.data[0].marker.color, fig.data[1].marker.color = "#cf222e", "#2da44e"
    finish(fig, "Cash flows of the move, month by month")
    assert {c: CHECKS[c](fig) for c in CHECKS} == {c: [] for c in CHECKS}


def test_a_subplot_title_over_its_neighbours_is_found():
    fig = make_subplots(1, 2, subplot_titles=["a" * 80, "b" * 80])
    assert annotations_apart(fig) and labels_fit(fig)
