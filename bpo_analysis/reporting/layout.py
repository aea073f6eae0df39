"""Where things go in a report: the finding first, the provenance last.

A report opens on its cover (title, client, date), the step's introduction and its
headline; the contents follow the headline (the template puts them after the cell
:func:`put_contents` marks), then the sections. What a reader needs only to audit or
repeat the report goes to the appendix at the end: the run, every parameter with the value the steps
used, the data files, and how to run the report again -- the exact command of this run
and the notebook's own instructions (its markdown cells tagged ``howto``, which a
notebook user reads at the top and a report reader finds in the appendix).
"""

from __future__ import annotations

import html
import shlex
from typing import Any

import nbformat
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from bpo_analysis.core.present import HEADLINE_TEXT_MIME
from bpo_analysis.i18n import LANGUAGES
from bpo_analysis.reporting.cover import Cover, Heading

__all__ = ["APPENDIX_ID", "HOWTO_TAG", "contents_html", "put_contents", "run_command",
           "take_howto", "used_values"]

HOWTO_TAG = "howto"  # markdown cells saying how to run the notebook as a report
APPENDIX_ID = "report-appendix-heading"


def take_howto(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, str]:
    """Return the notebook without its ``howto`` cells, and those cells as HTML.

    Parameters
    ----------
    nb : NotebookNode
        The notebook as the report shows it; left as it was.

    Returns
    -------
    tuple
        The copy without the cells, and their markdown rendered to HTML (empty when
        there are none).
    """
    nb = nbformat.from_dict(nb)
    howto = [c for c in nb.cells if HOWTO_TAG in c.get("metadata", {}).get("tags", [])]
    nb.cells = [c for c in nb.cells if c not in howto]
    return nb, "".join(markdown2html_mistune(c.source) for c in howto)


def used_values(nb: nbformat.NotebookNode, cover: Cover, language: str) -> dict[str, str]:
    """Return parameter -> the value the run used, where the parameter left it open.

    From the headlines the report shows (each step says what it took, "8.0 % from
    scenario.yaml"), and the report's language for an empty ``language``.
    """
    out: dict[str, str] = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            words = o.get("data", {}).get(HEADLINE_TEXT_MIME)
            if words:
                out.update(words.get("used") or {})
    out["language"] = LANGUAGES.get(language, language)
    open_ = {p.name for p in cover.parameters if _left_open(p.value)}
    return {k: v for k, v in out.items() if k in open_}


def _left_open(value: Any) -> bool:
    """Whether a parameter's value means "from the client's files" ("", 0, -1, {})."""
    if isinstance(value, bool):
        return False
    return value in ("", 0, -1, None) or value == {}


def contents_html(toc: list[tuple[Heading, list[Heading]]], label: str) -> str:
    """Return the report's contents as a ``<nav>``: the headings, nested two levels."""
    def link(h: Heading) -> str:
        return f'<a href="#{html.escape(h.id)}">{html.escape(h.text)}</a>'

    items = []
    for entry, children in toc:
        sub = "".join(f"<li>{link(c)}</li>" for c in children)
        items.append(f"<li>{link(entry)}{f'<ol>{sub}</ol>' if sub else ''}</li>")
    return (f'<nav class="bpo-toc" id="report-contents" aria-label="{html.escape(label)}">'
            f'<div class="bpo-cover-heading" role="heading" aria-level="2">'
            f'{html.escape(label)}</div><ol>{"".join(items)}</ol></nav>')


def _has_headline(cell: Any) -> bool:
    return any(HEADLINE_TEXT_MIME in o.get("data", {}) for o in cell.get("outputs", []))


def put_contents(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` with its first headline cell marked ``bpo_contents``.

    The report template puts the contents after that cell (the first cell when no cell
    shows a headline).

    (Not a raw HTML cell: nbconvert sanitises those, and a ``<nav>`` would be escaped.)

    >>> md = nbformat.v4.new_markdown_cell
    >>> nb = nbformat.v4.new_notebook(cells=[md("Intro"), md("## First section")])
    >>> [c.metadata.get("bpo_contents", False) for c in put_contents(nb).cells]
    [True, False]
    """
    nb = nbformat.from_dict(nb)
    if nb.cells:
        at = next((i for i, c in enumerate(nb.cells) if _has_headline(c)), 0)
        nb.cells[at].metadata["bpo_contents"] = True
    return nb


def run_command(cover: Cover) -> str:
    """Return the command line that makes this report again, from the project's folder.

    Parameters
    ----------
    cover : Cover
        The report's cover: the notebook and the parameters the run was given.

    Returns
    -------
    str
        ``bpo-analysis report NAME -p KEY VALUE ...`` (shell-quoted).

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> from bpo_analysis.reporting.provenance import ParameterValue
    >>> p = (ParameterValue("month", "2025-12", True), ParameterValue("seed", 0, False))
    >>> c = Cover("t", "05_performance_review.ipynb", "c", None, datetime.now(UTC), None,
    ...           "0.1.0", p, ())
    >>> run_command(c)
    'bpo-analysis report 05_performance_review -p month 2025-12'
    """
    args = ["bpo-analysis", "report", cover.notebook.removesuffix(".ipynb")]
    for p in cover.parameters:
        if p.given:
            args += ["-p", p.name, p.value if isinstance(p.value, str) else p.text]
    return shlex.join(args)
