"""The executed notebook as the static report shows it.

The one place where a notebook is changed before export: the HTML of
:mod:`bpo_analysis.reporting.reports` and the chart images of
:mod:`bpo_analysis.reporting.images` both start from :func:`prepare_notebook`.
"""

from __future__ import annotations

import re
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

__all__ = ["INTERACTIVE_TAG", "WIDGET_MIME", "prepare_notebook"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
INTERACTIVE_TAG = "interactive"  # cells only for live use: dropped from static reports

_REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)


class _OfflineOutputs(Preprocessor):
    """Make outputs static and offline.

    Drop widget views (they cannot render in a static report) and remote
    ``<script src>`` tags -- plotly's notebook renderer always adds MathJax from a CDN,
    which these figures (no LaTeX) never use.
    """

    def preprocess_cell(self, cell, resources, index):
        """Return the cell without widget views and remote scripts, and the resources.

        Parameters
        ----------
        cell : NotebookNode
            A cell of the notebook (changed in place).
        resources : dict
            nbconvert's resources, passed on.
        index : int
            The cell's index (unused).

        Returns
        -------
        tuple
            The cell and the resources.
        """
        outputs = [o for o in cell.get("outputs", []) if WIDGET_MIME not in o.get("data", {})]
        for o in outputs:
            if "text/html" in o.get("data", {}):
                o.data["text/html"] = _REMOTE_SCRIPT.sub("", o.data["text/html"])
        if "outputs" in cell:
            cell.outputs = outputs
        return cell, resources


def prepare_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the executed notebook as the static report shows it.

    The one place where the notebook is changed before export (the HTML and the static
    charts both start here). Drops the cells tagged ``interactive`` (the live dashboard
    and its heading), widget views and the widget state, and remote ``<script src>``
    tags. (The markdown is translated later, by
    :func:`bpo_analysis.reporting.reports.export_html`; outputs are already in the run's
    language.)

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook; left as it was (a copy is changed).

    Returns
    -------
    NotebookNode
        The changed copy.
    """
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    resources: dict[str, Any] = {}
    nb, resources = TagRemovePreprocessor(remove_cell_tags={INTERACTIVE_TAG}).preprocess(
        nb, resources)
    nb, resources = _OfflineOutputs().preprocess(nb, resources)
    return nb
