"""Print a report to PDF, and photograph its charts, in one headless Chromium.

The PDF is the HTML report printed by the Chromium the browser tests use (Debian's
``/usr/bin/chromium``, driven by Playwright; no other rendering engine): its print
stylesheet (in the report template) starts each section on a new page, keeps charts and
tables whole where they fit, and repeats table headers; Chromium adds a running header
(client, report, date) and the page numbers. Paper is A4 or Letter.

The same loaded page gives the deck the images of the charts PowerPoint cannot draw
natively: each chart as the report draws it, at the print width.

One :class:`Printer` starts the browser once and prints many reports (a batch).
"""

from __future__ import annotations

import html
from pathlib import Path

from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.i18n import N_, term
from bpo_analysis.reporting.images import find_chromium

__all__ = ["ARGS", "PAPERS", "Printer", "check_paper"]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]
#: paper -> (Playwright format, printable width in CSS px at the margins below)
PAPERS = {"a4": ("A4", 794 - 2 * 45), "letter": ("Letter", 816 - 2 * 45)}
MARGIN = {"top": "16mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}
LAYOUT_WIDTH = 920  # CSS px the page is laid out at; the print scales it to the paper
_CHARTS = ".jp-OutputArea-output .plotly-graph-div"
_PAGE = N_("page {page} of {pages}")


def check_paper(paper: str) -> str:
    """Return the paper size's key ("a4" or "letter"), or refuse it naming what is allowed."""
    key = str(paper).strip().lower()
    if key not in PAPERS:
        raise InputError("--paper", paper, f"one of {', '.join(sorted(PAPERS))}")
    return key


def _header(client: str, title: str, date: str) -> str:
    style = ("font-size:8px;color:#57606a;width:100%;margin:0 12mm;display:flex;"
             "justify-content:space-between;font-family:sans-serif")
    return (f'<div style="{style}"><span>{html.escape(client)} · {html.escape(title)}</span>'
            f"<span>{html.escape(date)}</span></div>")


def _footer() -> str:
    words = html.escape(term(_PAGE)).format(page='<span class="pageNumber"></span>',
                                            pages='<span class="totalPages"></span>')
    return ('<div style="font-size:8px;color:#57606a;width:100%;text-align:center;'
            f'font-family:sans-serif">{words}</div>')


class Printer:
    """A headless Chromium that prints reports and photographs their charts.

    Use as a context manager; the browser starts on first use and stops on exit.
    """

    def __init__(self) -> None:
        self._pw = None
        self._browser = None

    def __enter__(self) -> Printer:
        """Return the printer; the browser stops on exit."""
        return self

    def __exit__(self, *exc) -> None:
        """Stop the browser."""
        self.close()

    def _start(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            try:
                self._browser = self._pw.chromium.launch(executable_path=find_chromium(),
                                                         args=ARGS)
            except Exception as err:  # a browser that does not start: said, not a trace
                self.close()
                raise ReportError(f"Chromium did not start to print the report: {err}") \
                    from None
        return self._browser

    def close(self) -> None:
        """Stop the browser (if started)."""
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()
        self._browser = self._pw = None

    def render(self, page_html: Path, *, pdf: dict[str, Path] | None = None, charts: bool = False,
               header: tuple[str, str, str] = ("", "", "")) -> list[bytes]:
        """Print ``page_html`` to PDF files and/or photograph its charts.

        Parameters
        ----------
        page_html : Path
            The report's HTML file.
        pdf : dict, optional
            Paper ("a4", "letter") -> the PDF file to write.
        charts : bool
            Return a PNG of every chart of the report, in the report's order.
        header : tuple of str
            Client, report title and date for the running header.

        Returns
        -------
        list of bytes
            The charts' PNGs (empty unless ``charts``).
        """
        page = self._start().new_page(viewport={"width": LAYOUT_WIDTH, "height": 1000},
                                      device_scale_factor=2)
        try:
            page.goto(Path(page_html).resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                f"[...document.querySelectorAll('{_CHARTS}')].every(d => d._fullLayout)",
                timeout=60_000)
            shots = ([el.screenshot(type="png", animations="disabled")
                      for el in page.query_selector_all(_CHARTS)] if charts else [])
            for paper, path in (pdf or {}).items():
                fmt, width = PAPERS[paper]
                page.pdf(path=str(path), format=fmt, print_background=True,
                         display_header_footer=True, header_template=_header(*header),
                         footer_template=_footer(), margin=MARGIN,
                         scale=round(width / LAYOUT_WIDTH, 3), prefer_css_page_size=False)
            return shots
        finally:
            page.close()
