"""Warnings shown to a reader as notes, not as Python output.

In a notebook, a warning the package raises (a :class:`~bpo_analysis.errors.DataWarning`
on a loaded file, a channel the client does not serve ...) would print on the cell's
error stream as ``/tmp/ipykernel_81/2351.py:5: DataWarning: ...`` -- a temporary file,
a line and a class name in a client's report. :func:`install` shows each as a note
instead: the message alone, in the report's style. Warnings of other libraries keep
Python's own display.
"""

from __future__ import annotations

import html
import sys
import warnings

from bpo_analysis.errors import DataWarning
from bpo_analysis.i18n import _

__all__ = ["install", "note_html"]

_PACKAGE = "bpo_analysis"


def note_html(message: str) -> str:
    """Return the HTML of a note: the message, after the word "Note" in the report language.

    >>> note_html("3 contacts <outside> the hours").split(">", 1)[1]
    'Note: 3 contacts &lt;outside&gt; the hours</div>'
    """
    style = "border-left:3px solid #bf8700;background:#fff8c5;padding:6px 10px;margin:6px 0"
    return f'<div class="bpo-note" style="{style}">' + _("Note: {message}").format(
        message=html.escape(str(message))) + "</div>"


def _ours(category: type[Warning], filename: str) -> bool:
    return issubclass(category, DataWarning) or _PACKAGE in str(filename)


def install() -> bool:
    """Show the package's warnings as notes in a running notebook kernel.

    Does nothing outside one (a script, the CLI, the tests keep Python's display).

    Returns
    -------
    bool
        Whether the notes were installed (a kernel is running).
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        return False
    if getattr(warnings.showwarning, "_bpo_notes", False):
        return True
    original = warnings.showwarning
    from IPython.display import HTML, display  # the kernel has IPython loaded

    def show(message, category, filename, lineno, file=None, line=None):
        if _ours(category, filename):
            display(HTML(note_html(str(message))))
        else:
            original(message, category, filename, lineno, file, line)

    show._bpo_notes = True  # type: ignore[attr-defined]
    warnings.showwarning = show
    return True
