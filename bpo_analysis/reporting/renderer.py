"""Plotly outside plain JupyterLab: live pages (Voilà) and report runs.

Set up by ``bpo-analysis present`` in its kernels:

* a renderer: HTML with plotly.js inlined once per kernel and no MathJax from a CDN, so
  a page draws with no network (plotly's ``notebook`` renderer always adds MathJax from a
  CDN, and the lab mime renderer raises in Voilà 0.5);
* the dashboards' ``FigureWidget`` front end loaded once per page from a local URL
  (:func:`use_widget_module`) instead of inside every figure's state.

Set up by the report runner (:mod:`bpo_analysis.reporting.execution`) in its kernels:

* :func:`show_in_report`, which shows a figure as plotly's ``plotly_mimetype+notebook``
  renderers do, without loading plotly's renderer registry (see its Notes).
"""

from __future__ import annotations

import functools
from pathlib import Path

import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

__all__ = ["NAME", "OfflineHtmlRenderer", "show_in_report", "use", "use_widget_module",
           "widget_bundle"]

NAME = "bpo_offline_html"


class OfflineHtmlRenderer(MimetypeRenderer):
    """A plotly renderer of ``text/html`` output that needs no network.

    The first figure a kernel shows carries plotly.js, the others reuse it; no MathJax,
    no ``<script src>``.
    """

    def __init__(self) -> None:
        self.loaded = False

    def to_mimebundle(self, fig_dict: dict) -> dict:
        """Return the figure's ``text/html`` output (plotly.js with the first figure).

        Parameters
        ----------
        fig_dict : dict
            The figure as plotly's renderers receive it.

        Returns
        -------
        dict
            ``{"text/html": html}``.
        """
        html = pio.to_html(fig_dict, include_plotlyjs=not self.loaded, include_mathjax=False,
                           full_html=False, validate=False,
                           config={"responsive": True, "displaylogo": False})
        self.loaded = True
        return {"text/html": html}


def use(widget_module: str | None = None) -> None:
    """Register the renderer and make it the default of this process.

    Parameters
    ----------
    widget_module : str, optional
        Also :func:`use_widget_module` with this URL.
    """
    pio.renderers[NAME] = OfflineHtmlRenderer()
    pio.renderers.default = NAME
    if widget_module:
        use_widget_module(widget_module)


def use_widget_module(url: str) -> None:
    """Make every ``FigureWidget`` of this process load its front end from ``url``.

    The front end is plotly's widget bundle, 5 MB of JavaScript. By default each figure
    carries the bundle in its own state, so a page with four figures receives and
    compiles it four times; anywidget gives a model 2 s to load its module and, past
    that, drops every later update of the figure (a slider moved, the chart stayed).
    From one URL the browser loads and compiles it once per page.

    Parameters
    ----------
    url : str
        An http(s) address the page can reach.

    Raises
    ------
    ValueError
        ``url`` is not an http:// or https:// address.
    """
    from plotly.basewidget import BaseFigureWidget

    if not url.startswith(("http://", "https://")):
        raise ValueError(f"widget module URL {url!r}: an http:// or https:// address")
    BaseFigureWidget._esm = url  # anywidget reads _esm when a widget is created


def widget_bundle() -> Path:
    """Return the path of plotly's widget bundle, the file :func:`use_widget_module` serves.

    Returns
    -------
    Path
        ``widgetbundle.js`` in plotly's package data.
    """
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"


class _ReportRenderers:
    """Plotly's ``plotly_mimetype`` and ``notebook`` renderers, built as its registry does.

    The notebook renderer is activated (plotly.js shown) at the first figure.
    """

    def __init__(self) -> None:
        from plotly.io._base_renderers import NotebookRenderer, PlotlyRenderer

        self.renderers = (PlotlyRenderer(), NotebookRenderer(config={}))
        self.active = False

    def bundle(self, fig_dict: dict) -> dict:
        """Return both renderers' outputs of the figure (activating them the first time).

        Parameters
        ----------
        fig_dict : dict
            The validated figure.

        Returns
        -------
        dict
            MIME type -> data: the plotly JSON and the HTML.
        """
        if not self.active:
            for renderer in self.renderers:
                renderer.activate()
            self.active = True
        out: dict = {}
        for renderer in self.renderers:
            out.update(renderer.to_mimebundle(fig_dict))
        return out


@functools.cache
def _report_renderers() -> _ReportRenderers:
    """Return the kernel's one pair of report renderers (plotly.js is shown once per kernel)."""
    return _ReportRenderers()


def show_in_report(fig) -> None:
    """Show ``fig`` in a report kernel, as plotly's renderers for reports would.

    A display output with the figure's plotly JSON (JupyterLab draws it) and its HTML
    (the HTML export shows it), plotly.js shown once, before the first figure -- what
    ``plotly.io.show`` does with ``PLOTLY_RENDERER=plotly_mimetype+notebook``.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Validated as ``fig.show()`` validates it.

    Notes
    -----
    The report kernels call it for every ``go.Figure`` they display (the report runner
    registers it with IPython's display formatter, by type name, at kernel start). It
    uses plotly's own renderer classes, but not ``plotly.io.renderers``: that registry
    imports nbformat, hence jsonschema and its optional format checkers, one of which
    (``rfc3987_syntax``) builds 35 Earley parsers on import -- about 2 s of CPU in each
    report kernel, for a notebook-format library the kernel never uses.
    """
    from IPython.display import display
    from plotly.io._utils import validate_coerce_fig_to_dict

    fig_dict = validate_coerce_fig_to_dict(fig, True)
    display(_report_renderers().bundle(fig_dict), raw=True)
