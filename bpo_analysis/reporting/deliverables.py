"""The files a consultant sends: the report as HTML, PDF, PowerPoint and Excel.

One run of a notebook makes its report once; the other formats are made from it
(:mod:`.content` reads it, :mod:`.printer` prints it and photographs the charts
PowerPoint cannot draw, :mod:`.deck` and :mod:`.workbook` write the deck and the
workbook). Every file is first written under a temporary name beside its final place;
only when every asked format is written are they all moved into place, so a failed run
leaves no half-written deck or workbook beside the earlier good ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from bpo_analysis import i18n
from bpo_analysis.errors import InputError
from bpo_analysis.reporting.content import ReportContent
from bpo_analysis.reporting.deck import check_template, write_deck
from bpo_analysis.reporting.deck_charts import native_chart
from bpo_analysis.reporting.printer import Printer, check_paper
from bpo_analysis.reporting.workbook import write_workbook

__all__ = ["FORMATS", "Options", "make_files", "parse_formats", "publish"]

FORMATS = ("html", "pdf", "pptx", "xlsx")


def parse_formats(formats: str | Iterable[str] | None) -> tuple[str, ...]:
    """Return the report formats asked for, in a fixed order; ``html`` by default.

    Parameters
    ----------
    formats : str or iterable of str or None
        ``"html,pdf,pptx,xlsx"``, a list of them, or None/empty for HTML alone.

    Returns
    -------
    tuple of str
        The formats, each once, in the order of :data:`FORMATS`.

    Raises
    ------
    InputError
        A format that is not one of :data:`FORMATS`.

    Examples
    --------
    >>> parse_formats("xlsx, PDF"), parse_formats(None)
    (('pdf', 'xlsx'), ('html',))
    """
    if not formats:
        return ("html",)
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    asked = {str(f).strip().lower().lstrip(".") for f in items if str(f).strip()}
    unknown = sorted(asked - set(FORMATS))
    if unknown:
        raise InputError("--format", ",".join(unknown),
                         f"a comma-separated list of {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in asked) or ("html",)


class Options:
    """How the files are made: the formats, the paper, the deck's template, one browser.

    Parameters
    ----------
    formats : str or iterable of str, optional
        As :func:`parse_formats` takes them.
    paper : str
        ``a4`` or ``letter``, for the PDF.
    template : str or Path, optional
        A PowerPoint file whose layouts, fonts and colours the deck takes.
    printer : Printer, optional
        A browser already started (a batch shares one); else one is started when a PDF
        or a chart image is needed, and stopped by :meth:`close`.
    """

    def __init__(self, formats: str | Iterable[str] | None = None, paper: str = "a4",
                 template: str | Path | None = None, printer: Printer | None = None):
        self.formats = parse_formats(formats)
        self.paper = check_paper(paper)
        self.template = check_template(template) if "pptx" in self.formats else None
        self._own = printer is None
        self.printer = printer or Printer()

    def close(self) -> None:
        """Stop the browser this object started (not one it was given)."""
        if self._own:
            self.printer.close()

    def __enter__(self) -> Options:
        """Return the options; :meth:`close` on exit."""
        return self

    def __exit__(self, *exc) -> None:
        """Stop the browser this object started."""
        self.close()


def make_files(content: ReportContent, html: Path, tmp_stem: Path,
               options: Options) -> dict[str, Path]:
    """Write the PDF, deck and workbook asked for beside ``html`` under temporary names.

    Parameters
    ----------
    content : ReportContent
        The report.
    html : Path
        Its HTML file (printed for the PDF; its charts photographed for the deck).
    tmp_stem : Path
        Temporary files are ``tmp_stem`` + ``.pdf``/``.pptx``/``.xlsx``.
    options : Options
        The formats, paper, template and browser.

    Returns
    -------
    dict
        Format -> the temporary file written (the caller moves them into place).
    """
    try:
        with i18n.use_language(content.language):  # the files' words: the report's language
            out = _write(content, html, tmp_stem, options)
    except Exception:
        for suffix in (".pdf", ".pptx", ".xlsx"):
            tmp_stem.with_suffix(suffix).unlink(missing_ok=True)
        raise
    return out


def _write(content: ReportContent, html: Path, tmp_stem: Path,
           options: Options) -> dict[str, Path]:
    out: dict[str, Path] = {}
    need_images = {f.figure for f in content.items("figure") if native_chart(f.data) is None
                   } if "pptx" in options.formats else set()
    pdf = {options.paper: tmp_stem.with_suffix(".pdf")} if "pdf" in options.formats else {}
    shots = printed = None
    if pdf or need_images:  # the browser draws and prints while the workbook and the
        c = content.cover   # deck are written here
        shots, printed = options.printer.start(html, pdf=pdf, charts=need_images,
                                               header=(c.client, content.title, c.date_text))
    try:
        if "xlsx" in options.formats:
            out["xlsx"] = write_workbook(content, tmp_stem.with_suffix(".xlsx"))
        if "pptx" in options.formats:
            images = shots.result() if shots is not None else {}
            out["pptx"] = write_deck(content, tmp_stem.with_suffix(".pptx"),
                                     template=options.template, images=images.get)
    finally:
        if printed is not None:
            shots.result()  # a page that did not load is the error to say
            printed.result()
    if pdf:
        out["pdf"] = pdf[options.paper]
    return {f: out[f] for f in FORMATS if f in out}  # in the order the formats are listed


def publish(files: Mapping[str, Path], out: Path, stem: str) -> dict[str, Path]:
    """Move the written files into place as ``out/stem.<format>``; return where they went."""
    placed = {}
    for fmt, tmp in files.items():
        final = out / f"{stem}.{fmt}"
        os.replace(tmp, final)
        placed[fmt] = final
    return placed
