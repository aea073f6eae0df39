"""Print a report to PDF, and photograph its charts, in one headless Chromium.

The PDF is the HTML report printed by the Chromium the browser tests use (Debian's
``/usr/bin/chromium``, driven by Playwright; no other rendering engine): its print
stylesheet (in the report template) starts each section on a new page, keeps charts and
tables whole where they fit, and repeats table headers; Chromium adds a running header
(client, report, date) and the page numbers. Paper is A4 or Letter.

The same loaded page gives the deck the images of the charts PowerPoint cannot draw
natively: each chart as the report draws it, at the print width.

One :class:`Printer` starts the browser once and prints many reports (a batch). It
drives the browser from a thread of its own: Playwright's synchronous API refuses to run
in a thread with an asyncio loop running (a Jupyter kernel, a process that ran
notebooks with nbclient), and its objects must stay in the thread that made them.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

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
        self._page = None  # one tab for every report: its renderer keeps plotly.js compiled
        self._thread: ThreadPoolExecutor | None = None

    def _submit(self, fn, *args, **kwargs):
        """Queue ``fn`` on the printer's own thread (where the browser lives)."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="bpo-printer")
        return self._thread.submit(fn, *args, **kwargs)

    def _call(self, fn, *args, **kwargs):
        """Run ``fn`` in the printer's own thread and return its result."""
        return self._submit(fn, *args, **kwargs).result()

    def warm(self) -> None:
        """Start the browser and compile plotly.js now, in the background.

        A report run calls it before the notebook runs, so the seconds Chromium takes to
        start and to compile plotly.js's 4.8 MB pass while the kernel computes; the
        first render then finds both ready. A failure here is met again, and said, by
        :meth:`render`.
        """
        self._submit(self._warm)

    def _warm(self) -> None:
        try:
            page = self._tab()
            with tempfile.TemporaryDirectory() as tmp:
                warm = Path(tmp) / "plotly.html"  # the same script the reports carry
                warm.write_text(pio.to_html(go.Figure(), include_plotlyjs=True,
                                            full_html=True), encoding="utf-8")
                page.goto(warm.as_uri(), wait_until="load")
        except Exception:
            self._stop()

    def _tab(self):
        """Return the one tab every report is printed in (it keeps plotly.js compiled)."""
        if self._page is None or self._page.is_closed():
            self._page = self._start().new_page(
                viewport={"width": LAYOUT_WIDTH, "height": 1000}, device_scale_factor=2)
        return self._page

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
                self._stop()
                raise ReportError(f"Chromium did not start to print the report: {err}") \
                    from None
        return self._browser

    def close(self) -> None:
        """Stop the browser (if started) and the printer's thread."""
        if self._thread is not None:
            try:
                self._thread.submit(self._stop).result()
            except RuntimeError:  # at interpreter exit the thread is gone, and the browser
                pass              # with the Playwright driver it ran under
            self._thread.shutdown()
            self._thread = None

    def _stop(self) -> None:
        self._page = None
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()
        self._browser = self._pw = None

    def render(self, page_html: Path, *, pdf: dict[str, Path] | None = None,
               charts: Collection[int] = (), header: tuple[str, str, str] = ("", "", "")
               ) -> dict[int, bytes]:
        """Print ``page_html`` to PDF files and/or photograph its charts.

        Parameters
        ----------
        page_html : Path
            The report's HTML file.
        pdf : dict, optional
            Paper ("a4", "letter") -> the PDF file to write.
        charts : collection of int
            The charts to photograph, by their position among the report's charts.
        header : tuple of str
            Client, report title and date for the running header.

        Returns
        -------
        dict
            Chart position -> its PNG, for the ``charts`` asked for.
        """
        shots, printed = self.start(page_html, pdf=pdf, charts=charts, header=header)
        printed.result()
        return shots.result()

    def start(self, page_html: Path, *, pdf: dict[str, Path] | None = None,
              charts: Collection[int] = (), header: tuple[str, str, str] = ("", "", "")
              ) -> tuple[Future, Future]:
        """Queue :meth:`render`'s work and return at once: the caller works meanwhile.

        Returns
        -------
        tuple of Future
            The charts' PNGs (as :meth:`render` returns them), ready once the page is
            drawn; and the PDFs, written after.
        """
        # the words in the caller's language (the printer's thread has no language set)
        shots = self._submit(self._load, page_html, set(charts))
        printed = self._submit(self._print, pdf or {}, _header(*header), _footer(), shots)
        return shots, printed

    def _load(self, page_html: Path, charts: set[int]) -> dict[int, bytes]:
        page = self._tab()
        try:
            page.goto(Path(page_html).resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                f"[...document.querySelectorAll('{_CHARTS}')].every(d => d._fullLayout)",
                timeout=60_000)
            return {i: el.screenshot(type="png", animations="disabled")
                    for i, el in enumerate(page.query_selector_all(_CHARTS)) if i in charts}
        except Exception:
            page.close()  # a page left in an unknown state is not used again
            raise

    def _print(self, pdf: dict[str, Path], header: str, footer: str, loaded: Future) -> None:
        if loaded.exception() is not None:  # the page did not load: nothing to print
            return
        page = self._tab()
        try:
            for paper, path in pdf.items():
                fmt, width = PAPERS[paper]
                page.pdf(path=str(path), format=fmt, print_background=True,
                         display_header_footer=True, header_template=header,
                         footer_template=footer, margin=MARGIN,
                         scale=round(width / LAYOUT_WIDTH, 3), prefer_css_page_size=False)
        except Exception:
            page.close()
            raise
