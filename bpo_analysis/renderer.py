"""Plotly in live pages outside JupyterLab (Voilà), set up by ``bpo-analysis present``
in its kernels:

* a renderer: HTML with plotly.js inlined once per kernel and no MathJax from a CDN, so
  a page draws with no network (plotly's ``notebook`` renderer always adds MathJax from a
  CDN, and the lab mime renderer raises in Voilà 0.5);
* the dashboards' ``FigureWidget`` front end loaded once per page from a local URL
  (:func:`use_widget_module`) instead of inside every figure's state.
"""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

__all__ = ["NAME", "OfflineHtmlRenderer", "use", "use_widget_module",
           "widget_bundle"]

NAME = "bpo_offline_html"


class OfflineHtmlRenderer(MimetypeRenderer):
    """``text/html`` output: the first figure a kernel shows carries plotly.js, the
    others reuse it; no MathJax, no ``<script src>``."""

    def __init__(self) -> None:
        self.loaded = False

    def to_mimebundle(self, fig_dict: dict) -> dict:
        html = pio.to_html(fig_dict, include_plotlyjs=not self.loaded, include_mathjax=False,
                           full_html=False, validate=False,
                           config={"responsive": True, "displaylogo": False})
        self.loaded = True
        return {"text/html": html}


def use(widget_module: str | None = None) -> None:
    """Register the renderer and make it the default of this process; with
    ``widget_module``, also :func:`use_widget_module`."""
    pio.renderers[NAME] = OfflineHtmlRenderer()
    pio.renderers.default = NAME
    if widget_module:
        use_widget_module(widget_module)


def use_widget_module(url: str) -> None:
    """Make every ``FigureWidget`` of this process load its front end (plotly's widget
    bundle, 5 MB of JavaScript) from ``url``, an http(s) address the page can reach.

    By default each figure carries the bundle in its own state, so a page with four
    figures receives and compiles it four times; anywidget gives a model 2 s to load its
    module and, past that, drops every later update of the figure (a slider moved, the
    chart stayed). From one URL the browser loads and compiles it once per page.
    """
    from plotly.basewidget import BaseFigureWidget

    if not url.startswith(("http://", "https://")):
        raise ValueError(f"widget module URL {url!r}: an http:// or https:// address")
    BaseFigureWidget._esm = url  # anywidget reads _esm when a widget is created


def widget_bundle() -> Path:
    """plotly's widget bundle, the file :func:`use_widget_module` serves."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
