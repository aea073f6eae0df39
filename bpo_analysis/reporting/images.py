"""Static images of a report's charts (PNG, PDF or SVG), for slides and documents.

The figures are read from the executed notebook's plotly outputs
(``application/vnd.plotly.v1+json``), so nothing is recomputed and the images show
exactly what the HTML report shows: every chart of the static report, in order (the live
dashboard's figures, in cells tagged ``interactive``, are not part of the report and
are left out). They are drawn by kaleido (1.x) in a headless Chromium (Debian's
``/usr/bin/chromium``; ``BROWSER_PATH`` may name another), started once per process.

Files are named ``NN_<slug of the chart title>.<format>`` (``01_when-contacts-arrive-
average-contacts-per-interval-all-channels.png``) and written to a temporary folder that
replaces the chart folder only once every image is written: a failed export leaves no
half-written folder behind (and an earlier complete one as it was).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import nbformat

from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.i18n import check_language
from bpo_analysis.reporting.notebook import prepare_notebook

__all__ = ["CJK_FONT_PACKAGE", "FORMATS", "HEIGHT", "SCALE", "WIDTH", "chart_figures",
           "chart_names", "check_fonts", "check_language_fonts", "export_charts",
           "find_chromium", "parse_formats", "write_charts"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Formats the export writes.
FORMATS = ("png", "pdf", "svg")
#: Presentation size, in layout pixels: 1200 wide, at least 700 high (a figure drawn
#: taller, e.g. one bar per quote, keeps its own height).
WIDTH, HEIGHT = 1200, 700
#: PNG pixel density (2: a 2400 x 1400 image, sharp on a projector); vector formats use 1.
SCALE = 2
_SLUG_MAX = 60
_TAGS = re.compile(r"<[^>]+>")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
#: Debian's package of the fonts Chromium draws Chinese with (``make test`` installs it).
CJK_FONT_PACKAGE = "fonts-noto-cjk"


def parse_formats(images: str | Iterable[str] | None, argument: str = "images"
                  ) -> tuple[str, ...]:
    """Return the image formats asked for, checked.

    Parameters
    ----------
    images : str or iterable of str or None
        ``"png,pdf"`` or ``["png", "pdf"]`` (case, spaces and a leading dot ignored);
        None or empty for no images.
    argument : str
        The argument's name in an error message (``--images`` for the CLI).

    Returns
    -------
    tuple of str
        The formats, each once, in the order given: ``("png", "pdf")``; ``()`` for none.

    Raises
    ------
    InputError
        A format that is not one of :data:`FORMATS`, naming the argument, the value and
        the formats allowed.

    Examples
    --------
    >>> parse_formats("PNG, .pdf,png"), parse_formats(None)
    (('png', 'pdf'), ())
    """
    if not images:
        return ()
    items = images.split(",") if isinstance(images, str) else list(images)
    out: list[str] = []
    for item in items:
        fmt = str(item).strip().lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(argument, images if isinstance(images, str) else item,
                             f"one or more of {', '.join(FORMATS)}, comma-separated "
                             "(e.g. png,pdf)")
        if fmt not in out:
            out.append(fmt)
    return tuple(out)


def chart_figures(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """Return the plotly figures (JSON dicts) of a notebook's outputs, in cell order.

    Parameters
    ----------
    nb : NotebookNode
        The notebook as the report shows it
        (:func:`bpo_analysis.reporting.notebook.prepare_notebook`), so that live-only
        cells are already gone.

    Returns
    -------
    list of dict
        Each ``application/vnd.plotly.v1+json`` output of the code cells (a copy of
        its top level).
    """
    return [dict(o["data"][PLOTLY_MIME]) for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {})]


def _title(fig: dict[str, Any]) -> str:
    """Return the figure's title text, tags replaced by spaces (empty when it has none)."""
    title = (fig.get("layout") or {}).get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return _TAGS.sub(" ", text) if isinstance(text, str) else ""


def slug(text: str, fallback: str = "chart") -> str:
    """Return a file-name slug of ``text``.

    Lower case, words joined by ``-``, accents dropped, letters of any script kept (a
    Chinese title stays Chinese), at most 60 characters cut at a word.

    Parameters
    ----------
    text : str
        A chart title (HTML tags are dropped).
    fallback : str
        The slug of a text without a word.

    Returns
    -------
    str
        The slug; a first word longer than 60 characters is cut.

    Examples
    --------
    >>> slug("In-house cost today: 5,910,413 TWD per month")
    'in-house-cost-today-5-910-413-twd-per-month'
    >>> slug("  <b></b> ")
    'chart'
    """
    text = unicodedata.normalize("NFKD", _TAGS.sub(" ", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", text.lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _SLUG_MAX:
            break
        out = candidate
    return out or (words[0][:_SLUG_MAX] if words else fallback)


def chart_names(figures: Sequence[dict[str, Any]]) -> list[str]:
    """Return the charts' file names without suffix: ``NN_<slug of the title>``.

    Parameters
    ----------
    figures : sequence of dict
        Plotly figure JSON, as :func:`chart_figures` returns.

    Returns
    -------
    list of str
        Numbered from 01 in order (three digits from 100 figures on); a figure without
        a title is ``NN_chart``.
    """
    digits = max(2, len(str(len(figures))))
    return [f"{i:0{digits}d}_{slug(_title(fig))}" for i, fig in enumerate(figures, 1)]


def find_chromium() -> str:
    """Return the Chromium (or Chrome) kaleido will use.

    ``BROWSER_PATH`` if set, else the first found on ``PATH`` or in the usual places
    (Debian: ``/usr/bin/chromium``).

    Returns
    -------
    str
        The browser's executable.

    Raises
    ------
    ReportError
        No browser found (or ``BROWSER_PATH`` names no executable), or kaleido is not
        installed: says what is missing and how to install it.
    """
    try:
        import kaleido  # noqa: F401  (only checked here)
        from choreographer.browsers.chromium import Chromium
    except ImportError as err:
        raise ReportError(f"static charts need the kaleido package (>= 1.0), which is not "
                          f"installed ({err}): pip install 'kaleido>=1'") from None
    try:
        path = Chromium.find_browser(skip_local=False)
    except Exception:  # a lookup that fails is the same as none found
        path = None
    if not path or not (Path(path).is_file() and os.access(path, os.X_OK)):
        where = f"BROWSER_PATH={os.environ['BROWSER_PATH']!r} is not an executable" \
            if os.environ.get("BROWSER_PATH") else "none on PATH or in the usual places"
        raise ReportError("static charts need Chromium (or Chrome) for kaleido, and it was "
                          f"not found ({where}): install it with `apt-get install chromium` "
                          "(Debian/Ubuntu) or set BROWSER_PATH to the browser's executable")
    return str(path)


def check_fonts(figures: Sequence[dict[str, Any]]) -> None:
    """Refuse to draw Chinese text on a machine with no font that has Chinese glyphs.

    Chromium would draw an empty box for every character of a zh-Hant report, silently.
    Asks fontconfig (``fc-list :lang=zh-tw``), which Chromium draws with on Linux; a
    machine without ``fc-list`` is not checked.

    Parameters
    ----------
    figures : sequence of dict
        Plotly figure JSON; only figures with Chinese text make it ask.

    Raises
    ------
    ReportError
        Chinese text and no Chinese font: says which package to install.
    """
    if any(_CJK.search(json.dumps(fig, ensure_ascii=False, default=str)) for fig in figures):
        _require_chinese_font()


def check_language_fonts(language: str) -> None:
    """Check the fonts before a run, as :func:`check_fonts` does after it.

    A report in Traditional Chinese will have Chinese text in its images.

    Parameters
    ----------
    language : str
        The run's language (``""``: the ``BPO_ANALYSIS_LANGUAGE`` variable).

    Raises
    ------
    InputError
        An unknown language.
    ReportError
        A report in Chinese and no Chinese font.
    """
    if check_language(language) == "zh-Hant":
        _require_chinese_font()


def _require_chinese_font() -> None:
    """Raise ReportError when fontconfig knows no font with Chinese glyphs."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    found = subprocess.run([fc_list, ":lang=zh-tw", "family"], capture_output=True,
                           text=True, check=False).stdout
    if not found.strip():
        raise ReportError("the charts have Chinese text, and no font on this machine has "
                          "Chinese glyphs (Chromium would draw empty boxes): install one, "
                          f"e.g. `apt-get install {CJK_FONT_PACKAGE}` (Debian/Ubuntu)")


def _render(specs: list[dict[str, Any]]) -> None:
    """Draw every spec (kaleido's ``fig``/``path``/``opts`` dicts).

    With kaleido's process-wide server (started here once, MathJax off: no CDN, works
    offline).
    """
    import kaleido

    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    errors = kaleido.write_fig_from_object_sync(specs, cancel_on_error=True)
    if errors:  # kaleido returns (not raises) the errors of single figures
        raise errors[0]


def write_charts(figures: Sequence[dict[str, Any]], folder: str | Path,
                 formats: Iterable[str] = ("png",), *, width: int = WIDTH,
                 height: int = HEIGHT, scale: float = SCALE) -> list[Path]:
    """Write each figure as a static image in every format into ``folder``.

    Parameters
    ----------
    figures : sequence of dict
        Plotly figure JSON, as :func:`chart_figures` returns.
    folder : str or Path
        The chart folder; replaced as a whole once every image is written.
    formats : iterable of str
        Among :data:`FORMATS`; checked by :func:`parse_formats`.
    width, height : int
        Size in layout pixels; a figure whose layout is taller than ``height`` keeps
        its own height.
    scale : float
        Pixel density of PNG images (PDF and SVG are vector: drawn at scale 1).

    Returns
    -------
    list of Path
        The files written, figure by figure, each in every format.

    Raises
    ------
    InputError
        An unknown format.
    ReportError
        kaleido or Chromium is missing, Chinese text has no font (:func:`check_fonts`),
        or drawing failed; the folder is left as it was (no half-written folder).
    """
    fmts = parse_formats(tuple(formats))
    folder = Path(folder).resolve()
    find_chromium()
    check_fonts(figures)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    names = chart_names(figures)
    specs, files = [], []
    for fig, name in zip(figures, names, strict=True):
        fig_height = (fig.get("layout") or {}).get("height")
        h = max(height, int(fig_height)) if isinstance(fig_height, int | float) else height
        for fmt in fmts:
            files.append(folder / f"{name}.{fmt}")
            specs.append({"fig": fig, "path": tmp / f"{name}.{fmt}",
                          "opts": {"format": fmt, "width": width, "height": h,
                                   "scale": scale if fmt == "png" else 1}})
    try:
        if specs:
            _render(specs)
        missing = [s["path"].name for s in specs
                   if not (s["path"].is_file() and s["path"].stat().st_size)]
        if missing:
            raise RuntimeError(f"kaleido wrote no image for {missing}")
    except Exception as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, ReportError):
            raise
        raise ReportError(f"the static charts failed: {type(err).__name__}: {err}") from None
    _swap(tmp, folder)
    return files


def _swap(tmp: Path, folder: Path) -> None:
    """Put the complete ``tmp`` folder in the place of ``folder`` (renames only)."""
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    if folder.exists():
        os.replace(folder, old)
    try:
        os.replace(tmp, folder)
    except OSError:
        if old.exists():
            os.replace(old, folder)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(old)


def export_charts(notebook: str | Path, folder: str | Path, formats: Iterable[str] = ("png",),
                  **size: Any) -> list[Path]:
    """Write every chart of the report made from an executed notebook as static images.

    Parameters
    ----------
    notebook : str or Path
        The executed notebook (``NAME.ipynb`` next to ``NAME.html``).
    folder : str or Path
        Where the images go, e.g. ``reports/NAME_charts``.
    formats : iterable of str
        Among :data:`FORMATS`.
    **size
        ``width``, ``height``, ``scale``: see :func:`write_charts`.

    Returns
    -------
    list of Path
        The files written, in the report's order.

    Examples
    --------
    >>> export_charts("reports/00_client_profile.ipynb",  # doctest: +SKIP
    ...               "reports/00_client_profile_charts", ["png", "pdf"])
    """
    nb = prepare_notebook(nbformat.read(notebook, as_version=4))
    return write_charts(chart_figures(nb), folder, formats, **size)
