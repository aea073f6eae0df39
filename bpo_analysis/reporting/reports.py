"""Run notebooks as parameterised reports (papermill) and export offline HTML (nbconvert).

No calculation happens here. A run:

1. refuses unknown parameter names (papermill only warns) and values that do not match
   the type the notebook declares (:mod:`bpo_analysis.reporting.catalog`);
2. executes the notebook with papermill into a temporary file, with plotly rendering
   both for JupyterLab and for the HTML export (plotly.js inlined, no CDN), in a report
   kernel (:mod:`bpo_analysis.reporting.execution`);
3. on success exports a self-contained HTML without code cells, prompts or widgets --
   a cover (client, run, version, parameters, data files with their SHA-256) and a table
   of contents first (:mod:`bpo_analysis.reporting.cover`) -- and moves both files into
   place with an atomic rename; on failure keeps the executed notebook as
   ``NAME.FAILED.ipynb`` for diagnosis and leaves any earlier good report untouched;
4. optionally writes every chart of the report as PNG, PDF or SVG into ``NAME_charts/``
   (:mod:`bpo_analysis.reporting.images`).

Path-like parameters (names ending in ``_dir``, ``_path`` or ``_file``) given by the
caller are resolved against the caller's working directory; the notebooks' defaults
are relative to ``notebooks/``, where the kernel runs.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from traitlets import validate

from bpo_analysis import i18n
from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import cover as _cover
from bpo_analysis.reporting import images as _images
from bpo_analysis.reporting import layout as _layout
from bpo_analysis.reporting.catalog import (
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    Parameter,
    list_notebooks,
    notebook_parameters,
    notebook_path,
    resolve_parameters,
)
from bpo_analysis.reporting.content import read_report, report_content
from bpo_analysis.reporting.deliverables import Options, make_files, publish
from bpo_analysis.reporting.execution import LocalKernelManager, execute_notebook, run_failure

# The notebooks and their parameters (catalog) and the report kernels' manager
# (execution) are importable from here as well.
__all__ = ["NOTEBOOKS_DIR", "TEMPLATES_DIR", "LocalKernelManager", "Parameter", "Report",
           "export_html", "list_notebooks", "notebook_parameters", "notebook_path",
           "output_stem", "resolve_parameters", "run_all", "run_report"]

TEMPLATES_DIR = PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class Report:
    """Where a successful run wrote its outputs.

    Attributes
    ----------
    name : str
        The output stem (``NAME``), see :func:`output_stem`.
    html : Path or None
        ``NAME.html`` (None when the formats asked for left HTML out).
    notebook : Path
        The executed ``NAME.ipynb``.
    charts : tuple of Path
        The static chart images in ``NAME_charts/`` when asked for (``images=``), else
        empty.
    files : dict
        The other formats written: ``"pdf"``, ``"pptx"``, ``"xlsx"`` -> ``NAME.<format>``.
    """

    name: str
    html: Path | None
    notebook: Path
    charts: tuple[Path, ...] = ()
    files: dict[str, Path] = dataclasses.field(default_factory=dict)

    @property
    def paths(self) -> list[Path]:
        """Every report file written, HTML first."""
        return [p for p in (self.html, *self.files.values()) if p is not None]


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter taking the page's language as a BCP 47 tag (``zh-Hant``).

    nbconvert's own check knows ISO 639-1 codes only and makes any other "en".
    """

    @validate("language_code")
    def _valid_language_code(self, proposal: dict) -> str:
        return proposal["value"]


@functools.cache
def _exporter(language_code: str) -> _ReportExporter:
    """Return the report exporter for pages in ``language_code``, one per process.

    nbconvert compiles the template chain (bpo_report -> lab -> base, about 0.25 s) once
    per exporter and keeps it in the exporter's Jinja environment; a batch worker exports
    many reports.
    """
    return _ReportExporter(template_name="bpo_report",
                           extra_template_basedirs=[str(TEMPLATES_DIR)], exclude_input=True,
                           exclude_input_prompt=True, exclude_output_prompt=True,
                           language_code=language_code)


def export_html(notebook: Path, read: tuple | None = None) -> str:
    """Return the self-contained HTML of an executed notebook: no code, prompts, widgets or CDN.

    The notebook is read as its report shows it
    (:func:`bpo_analysis.reporting.content.read_report`: cells tagged ``interactive``
    left out). The page opens on the finding: a cover (the title, the client and the
    date), the introduction and the headline, then a table of contents of the level-2
    and level-3 headings, linked to their anchors, then the sections. The appendix comes
    last (:mod:`bpo_analysis.reporting.layout`): the run's date, time and duration, the
    package version, every parameter (given or default, with the value the steps used
    for those that mean "from the client's files"), the data files with size, date and
    SHA-256 (:func:`bpo_analysis.reporting.cover.report_cover`), the command that makes
    the report again and the notebook's own instructions (its ``howto`` cells).

    The report is in the run's language (its ``language`` parameter, ``""`` meaning the
    ``BPO_ANALYSIS_LANGUAGE`` environment variable): the outputs already are; the
    markdown cells, the title, the contents and the cover's words are translated here
    (:func:`bpo_analysis.i18n.translate_notebook`,
    :data:`bpo_analysis.reporting.cover.LABELS`), and the page says its language
    (``<html lang="zh-Hant">``).

    Parameters
    ----------
    notebook : Path
        The executed notebook's file.
    read : tuple, optional
        What :func:`~bpo_analysis.reporting.content.read_report` returned for it.

    Returns
    -------
    str
        The HTML page.
    """
    body_nb, cover, lang = read or read_report(notebook)
    with i18n.use_language(lang):
        labels = _cover.labels()
        body_nb, howto = _layout.take_howto(body_nb)
        toc = _cover.table_of_contents(body_nb)
        toc.append(_cover.Heading(2, _layout.APPENDIX_ID, labels["appendix"]))
        body_nb = _layout.put_contents(body_nb)
        used = _layout.used_values(body_nb, cover, lang)
        front = {"cover": cover, "labels": labels, "used": used,
                 "contents": _layout.contents_html(_cover.nested(toc), labels["contents"]),
                 "howto": howto, "command": _layout.run_command(cover),
                 "appendix_id": _layout.APPENDIX_ID}
        body, _resources = _exporter(lang).from_notebook_node(
            body_nb, resources={"metadata": {"name": cover.title}, "bpo_report": front})
    return body


def _publish(stem: str, tmp_nb: Path, out: Path, options: Options | None = None) -> Report:
    """Export ``tmp_nb`` to HTML and the other formats asked for; then move them in place.

    Nothing half-written remains: on a failure no file moves, the run is kept as
    ``NAME.FAILED.ipynb``.
    """
    tmp_html = tmp_nb.with_suffix(".html")
    tmp_stem = out / f".{stem}.{os.getpid()}.part"
    formats = options.formats if options else ("html",)
    where = "the HTML export"
    try:
        read = read_report(tmp_nb)
        tmp_html.write_text(export_html(tmp_nb, read), encoding="utf-8")
        files = {}
        if set(formats) - {"html"}:
            where = f"writing the {', '.join(f.upper() for f in formats if f != 'html')}"
            files = make_files(report_content(tmp_nb, read), tmp_html, tmp_stem, options)
    except Exception as err:  # nbconvert/template/browser errors: keep the run for diagnosis
        tmp_html.unlink(missing_ok=True)
        raise run_failure(stem, where, err, tmp_nb, out / f"{stem}.FAILED.ipynb") from None
    final_html = out / f"{stem}.html"
    if "html" in formats:
        os.replace(tmp_html, final_html)
    else:
        tmp_html.unlink()
    placed = publish(files, out, stem)
    final_nb = out / f"{stem}.ipynb"
    os.replace(tmp_nb, final_nb)
    (out / f"{stem}.FAILED.ipynb").unlink(missing_ok=True)
    return Report(stem, final_html if "html" in formats else None, final_nb,
                  files=placed)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_stem(name: str, parameters: Mapping[str, Any] | None = None) -> str:
    """Return the file name (without suffix) a run of notebook ``name`` writes.

    The notebook's name, or the ``output_name`` template of its ``bpo_analysis``
    metadata filled with the parameters (given, else the declared defaults), e.g.
    ``{notebook}_{month}`` -> ``05_performance_review_2026-10`` for a dated monthly
    report; characters other than letters, digits, ``.``, ``_`` and ``-`` become ``-``.

    Parameters
    ----------
    name : str
        The notebook, as :func:`notebook_path` takes it.
    parameters : mapping, optional
        The run's parameters (they win over the declared defaults).

    Returns
    -------
    str
        The stem of ``NAME.html`` and ``NAME.ipynb``.

    Raises
    ------
    InputError
        The template names a field that is not a parameter.
    """
    src = notebook_path(name)
    template = nbformat.read(src, as_version=4).metadata.get("bpo_analysis", {}).get(
        "output_name")
    if not template:
        return src.stem
    values = {p.name: p.default for p in notebook_parameters(name)}
    values.update(parameters or {})
    try:
        filled = template.format(notebook=src.stem, **values)
    except (KeyError, IndexError) as err:
        raise InputError(f"{src.name} metadata bpo_analysis.output_name", template,
                         f"fields among the parameters {sorted(values)} ({err})") from None
    return _UNSAFE.sub("-", filled)


def run_report(name: str, parameters: Mapping[str, Any] | None = None,
               output_dir: str | Path = "reports", *, timeout: int = 900,
               images: str | Sequence[str] = (), files: Options | None = None) -> Report:
    """Execute one notebook with ``parameters`` and write ``NAME.html`` and ``NAME.ipynb``.

    ``NAME`` comes from :func:`output_stem`: the notebook's name, or a dated one.

    Parameters
    ----------
    name : str
        Notebook name, unique prefix (``"00"``) or name without its number.
    parameters : mapping, optional
        Parameter values; checked against the notebook's declarations first.
    output_dir : str or Path
        Where the report goes (created if needed).
    timeout : int
        Seconds one cell may run.
    images : str or sequence of str
        Also write every chart of the report as a static image in these formats (``png``,
        ``pdf``, ``svg``; ``"png,pdf"`` or ``("png", "pdf")``) into ``NAME_charts/``,
        named ``NN_<slug of the chart title>.<format>``
        (:mod:`bpo_analysis.reporting.images`).
    files : Options, optional
        The report's formats (HTML, PDF, PowerPoint, Excel), paper and deck template
        (:class:`bpo_analysis.reporting.deliverables.Options`); HTML alone by default.

    Returns
    -------
    Report
        Where the report, its other formats, the executed notebook and the charts were
        written.

    Raises
    ------
    InputError
        Unknown notebook or parameter, a value of the wrong type or an unknown image
        format (nothing is run).
    ReportError
        A cell, the kernel or the HTML export failed: names the cell (and its line) and
        the error; the executed notebook is kept as ``NAME.FAILED.ipynb`` and any earlier
        good report is left as it was. With ``images``: Chromium or kaleido missing, or
        a report in Chinese and no Chinese font (said before anything runs), or the
        image export failed after the report was written (the message gives the
        report's path; no half-written chart folder).
    """
    src = notebook_path(name)
    formats = _images.parse_formats(images)
    params = resolve_parameters(name, parameters or {})
    stem = output_stem(name, params)
    browser = files is not None and set(files.formats) & {"pdf", "pptx"}
    if formats or browser:  # a missing browser or font is said before a long run
        _images.find_chromium()
        _images.check_language_fonts(params.get("language", ""))
    if browser:  # Chromium starts and compiles plotly.js while the notebook runs
        files.printer.warm()
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp_nb = out / f".{stem}.{os.getpid()}.ipynb"
    try:
        execute_notebook(src, params, tmp_nb, out / f"{stem}.FAILED.ipynb", timeout)
        report = _publish(stem, tmp_nb, out, files)
    finally:
        tmp_nb.unlink(missing_ok=True)
    if not formats:
        return report
    try:
        charts = _images.export_charts(report.notebook, out / f"{stem}_charts", formats)
    except ReportError as err:
        raise ReportError(f"{stem}: the report was written ({report.html}) but its static "
                          f"charts were not: {err}") from None
    return dataclasses.replace(report, charts=tuple(charts))


def run_all(parameters: Mapping[str, Any] | None = None, output_dir: str | Path = "reports",
            *, images: str | Sequence[str] = (), files: Options | None = None
            ) -> tuple[list[Report], dict[str, ReportError]]:
    """Run every notebook; a parameter goes to the notebooks that declare it.

    Continues past a failed notebook. A parameter no notebook declares, or an unknown
    image format, is refused before anything runs; so is ``images`` without Chromium.

    Parameters
    ----------
    parameters : mapping, optional
        Parameter values, each for the notebooks that declare it.
    output_dir : str or Path
        Where the reports go.
    images : str or sequence of str
        Static chart formats, as in :func:`run_report`.
    files : Options, optional
        The reports' formats, as in :func:`run_report` (one browser prints them all).

    Returns
    -------
    tuple
        The reports made (list of Report) and the failures (notebook name ->
        ReportError).

    Raises
    ------
    InputError
        A parameter no notebook declares, or an unknown image format.
    ReportError
        ``images`` without Chromium or kaleido, or Chinese charts without a Chinese font.
    """
    names = list_notebooks()
    declared = {n: {p.name for p in notebook_parameters(n)} for n in names}
    known = set().union(*declared.values()) if declared else set()
    for key in parameters or {}:
        if key not in known:
            raise InputError("parameter", key, f"one of {sorted(known)}")
    if _images.parse_formats(images):
        _images.find_chromium()
        _images.check_language_fonts((parameters or {}).get("language", ""))
    done, failures = [], {}
    for n in names:
        mine = {k: v for k, v in (parameters or {}).items() if k in declared[n]}
        try:
            done.append(run_report(n, mine, output_dir, images=images, files=files))
        except ReportError as err:
            failures[n] = err
    return done, failures
