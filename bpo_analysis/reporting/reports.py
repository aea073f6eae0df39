"""Run notebooks as parameterised reports (papermill) and export offline HTML (nbconvert).

No calculation happens here. A run:

1. refuses unknown parameter names (papermill only warns) and values that do not match
   the type the notebook declares;
2. executes the notebook with papermill into a temporary file, with plotly rendering
   both for JupyterLab and for the HTML export (plotly.js inlined, no CDN);
3. on success exports a self-contained HTML without code cells, prompts or widgets --
   a cover (client, run, version, parameters, data files with their SHA-256) and a table
   of contents first (:mod:`bpo_analysis.reporting.cover`) -- and moves both files into place with
   an atomic rename; on failure keeps the executed notebook as ``NAME.FAILED.ipynb`` for
   diagnosis and leaves any earlier good report untouched;
4. optionally writes every chart of the report as PNG, PDF or SVG into ``NAME_charts/``
   (:mod:`bpo_analysis.reporting.images`).

Path-like parameters (names ending in ``_dir``, ``_path`` or ``_file``) given by the
caller are resolved against the caller's working directory; the notebooks' defaults
are relative to ``notebooks/``, where the kernel runs.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import os
import re
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import yaml
from jupyter_client.manager import AsyncKernelManager
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError
from traitlets import CaselessStrEnum, Float, validate

from bpo_analysis import i18n
from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import cover as _cover
from bpo_analysis.reporting import images as _images
from bpo_analysis.reporting.notebook import prepare_notebook
from bpo_analysis.reporting.parameters import absolute

__all__ = ["LocalKernelManager", "Parameter", "Report", "export_html", "list_notebooks",
           "notebook_parameters", "output_stem", "resolve_parameters",
           "run_all", "run_report"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # bpo_analysis/
NOTEBOOKS_DIR = Path(os.environ.get("BPO_ANALYSIS_NOTEBOOKS", PACKAGE_DIR.parent / "notebooks"))
TEMPLATES_DIR = PACKAGE_DIR / "templates"
PLOTLY_RENDERER = "plotly_mimetype+notebook"
#: Run by every report kernel as it starts (``exec_lines``): ``go.Figure``s are shown by
#: :func:`bpo_analysis.reporting.renderer.show_in_report` (why: see there). Registered by type name
#: and through a lambda, the kernel imports neither plotly nor the package before the
#: notebook does and its namespace gets no new name (``__import__`` with a ``fromlist``
#: returns the submodule). Other ways to show a figure (``fig.show()``) still go through
#: plotly's renderers and ``PLOTLY_RENDERER``.
KERNEL_SETUP = ("get_ipython().display_formatter.ipython_display_formatter.for_type_by_name("
                "'plotly.graph_objs._figure', 'Figure', lambda fig: __import__("
                "'bpo_analysis.reporting.renderer', fromlist=['_']).show_in_report(fig))")
_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "float": (float, int), "str": (str,),
                                       "bool": (bool,)}


class LocalKernelManager(AsyncKernelManager):
    """The report kernels' manager: local sockets and a quiet shutdown.

    Report kernels talk over local IPC sockets: no TCP port is opened, and the kernel
    does not warn (on every run) that TCP traffic is unencrypted.

    A shutdown does not interrupt the kernel. jupyter_client sends SIGINT before every
    shutdown request; when the signal lands while ipykernel still finishes the last
    message it handled, the kernel logs ``[IPKernelApp] ERROR | KeyboardInterrupt
    caught in kernel.`` on the run's stderr -- after a good run. Without it an idle
    kernel exits on the shutdown request alone (in about 0.3 s), and a busy one (a cell
    still running after a timeout) is stopped by jupyter_client's next steps: SIGTERM
    after half of ``shutdown_wait_time``, SIGKILL at its end. An interrupt asked for
    outside a shutdown (``interrupt_kernel()``) is sent as before.

    ``shutdown_wait_time`` is 2 s here, not jupyter_client's 5 s: about one idle
    ipykernel 7 in 20 replies to the shutdown request and then hangs closing its
    control thread, and waits for the SIGTERM; a report kernel has nothing left to save.
    """

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
    shutdown_wait_time = Float(2.0, config=True, help="Seconds a kernel asked to shut down "
                               "gets before SIGKILL (SIGTERM at half of them).")

    def _ip_default(self) -> str:
        """A socket path of its own. jupyter_client's default, ``kernel-ipc`` in the working
        directory, makes two runs started at once (``batch -j 2``) pick the same socket
        files, and one kernel then hears the other's messages ("Invalid Signature")."""
        if self.transport == "ipc":
            return os.path.join(tempfile.gettempdir(), f"bpo-kernel-{uuid.uuid4().hex[:16]}-ipc")
        return super()._ip_default()

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt the kernel, except as the first step of a shutdown (see the class)."""
        if not self.shutting_down:
            await super()._async_interrupt_kernel()


@dataclass(frozen=True)
class Parameter:
    """A notebook parameter as declared in its ``parameters`` cell."""

    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class Report:
    """Where a successful run wrote its outputs.

    Attributes
    ----------
    name : str
        The output stem (``NAME``), see :func:`output_stem`.
    html, notebook : Path
        ``NAME.html`` and the executed ``NAME.ipynb``.
    charts : tuple of Path
        The static chart images in ``NAME_charts/`` when asked for (``images=``), else
        empty.
    """

    name: str
    html: Path
    notebook: Path
    charts: tuple[Path, ...] = ()


def list_notebooks(directory: Path = NOTEBOOKS_DIR) -> list[str]:
    """Names (file stems) of the report notebooks, in decision order."""
    return sorted(p.stem for p in directory.glob("[0-9]*.ipynb"))


def _path(name: str, directory: Path = NOTEBOOKS_DIR) -> Path:
    names = list_notebooks(directory)
    if not names:
        raise InputError("notebook", name, f"a notebook of {directory}, but it has none: run "
                         "from a clone of the repository (make report), or point "
                         "BPO_ANALYSIS_NOTEBOOKS at the notebooks folder")
    stem = name.removesuffix(".ipynb")
    matches = ([n for n in names if n == stem] or [n for n in names if n.startswith(stem)]
               or [n for n in names if n.split("_", 1)[-1] == stem])
    if len(matches) != 1:
        raise InputError("notebook", name, f"one of {names} (or a unique prefix such as "
                         "'00', or the name without its number, e.g. 'performance_review')")
    return directory / f"{matches[0]}.ipynb"


def notebook_parameters(name: str) -> list[Parameter]:
    """The parameters a notebook declares: name, type, default and help text."""
    found = pm.inspect_notebook(str(_path(name)))
    out = []
    for p in found.values():
        try:
            default = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            default = p["default"]
        out.append(Parameter(p["name"], p["inferred_type_name"], default, p["help"]))
    return out


def _coerce(p: Parameter, value: Any) -> Any:
    if isinstance(value, str) and p.type != "str":
        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError:
            pass
    allowed = _TYPES.get(p.type)
    ok = allowed is None or (isinstance(value, allowed)
                             and not (p.type in ("int", "float") and isinstance(value, bool)))
    if not ok:
        raise InputError(f"parameter {p.name}", value,
                         f"a {p.type} (default {p.default!r}; {p.help or 'no help text'})")
    if p.type == "float":
        value = float(value)
    if p.name == "language":  # checked here, not in the kernel half-way through a run
        try:
            i18n.check_language(value)
        except InputError as err:  # the value, or the environment variable "" stands for
            if err.argument != "language":
                raise
            raise InputError(f"parameter {p.name}", value, err.allowed) from None
    return absolute(p.name, value)


def resolve_parameters(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check names and types of ``given`` against the notebook; return typed values.

    ``language`` must be ``""`` or one of :data:`bpo_analysis.i18n.LANGUAGES`, and the
    ``BPO_ANALYSIS_LANGUAGE`` variable that ``""`` stands for is checked too (here, not
    half-way through a run). Report runs default ``show_widgets`` to False (widgets do
    not render in HTML).
    """
    declared = {p.name: p for p in notebook_parameters(name)}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            raise InputError("parameter", key,
                             f"one of the parameters of {_path(name).stem}: "
                             f"{sorted(declared)} (see: bpo-analysis params {name})")
        out[key] = _coerce(declared[key], value)
    if "language" in declared and "language" not in out:
        _coerce(declared["language"], declared["language"].default)  # the variable checked
    if "show_widgets" in declared:
        out.setdefault("show_widgets", False)
    return out


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


#: IPython's mark of the line that raised: an arrow padded to the width of the line
#: numbers ("----> 9 x = 1", "---> 10 x = 1", "--> 100 x = 1").
_RAISED = re.compile(r"^\s*-+>\s*\d+\s(.*)$")


def _failing_line(err: PapermillExecutionError) -> str:
    """The cell line that raised (IPython marks it with an arrow), else the cell's first
    line."""
    for frame in err.traceback:
        for line in _ANSI.sub("", frame).splitlines():
            if found := _RAISED.match(line):
                return found.group(1).strip()[:80]
    return next((ln.strip() for ln in err.source.splitlines() if ln.strip()), "")[:80]


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter taking the page's language as a BCP 47 tag
    (``zh-Hant``): nbconvert's own check knows ISO 639-1 codes only and makes any other
    "en"."""

    @validate("language_code")
    def _valid_language_code(self, proposal: dict) -> str:
        return proposal["value"]


@functools.cache
def _exporter(language_code: str) -> _ReportExporter:
    """The report exporter for pages in ``language_code``, one per process: nbconvert
    compiles the template chain (bpo_report -> lab -> base, about 0.25 s) once per
    exporter and keeps it in the exporter's Jinja environment; a batch worker exports
    many reports."""
    return _ReportExporter(template_name="bpo_report",
                           extra_template_basedirs=[str(TEMPLATES_DIR)], exclude_input=True,
                           exclude_input_prompt=True, exclude_output_prompt=True,
                           language_code=language_code)


def export_html(notebook: Path) -> str:
    """Self-contained HTML of an executed notebook: no code, prompts, widgets or CDN.

    The notebook goes through :func:`prepare_notebook` (cells tagged ``interactive`` are
    left out); its ``# `` title moves to a cover, which shows the client, the run's date
    and time, the package version, every parameter (given or default) and the data files
    with size, date and SHA-256 (:func:`bpo_analysis.reporting.cover.report_cover`), followed by a
    table of contents of the level-2 and level-3 headings, linked to their anchors.

    The report is in the run's language (its ``language`` parameter, ``""`` meaning the
    ``BPO_ANALYSIS_LANGUAGE`` environment variable): the outputs already are; the
    markdown cells, the title, the contents and the cover's words are translated here
    (:func:`bpo_analysis.i18n.translate_notebook`, :data:`bpo_analysis.reporting.cover.LABELS`),
    and the page says its language (``<html lang="zh-Hant">``).
    """
    notebook = Path(notebook)
    nb = prepare_notebook(nbformat.read(notebook, as_version=4))
    cover = _cover.report_cover(nb, notebook)
    language = next((p.value for p in cover.parameters if p.name == "language"), "")
    with i18n.use_language(language) as lang:  # "" -> BPO_ANALYSIS_LANGUAGE, as in the run
        nb = i18n.translate_notebook(nb, lang)
        title, body_nb = _cover.split_title(nb)
        front = {"cover": dataclasses.replace(cover, title=title),
                 "toc": _cover.nested(_cover.table_of_contents(body_nb)),
                 "labels": _cover.labels()}
        body, _resources = _exporter(lang).from_notebook_node(
            body_nb, resources={"metadata": {"name": title}, "bpo_report": front})
    return body


def _execute(src: Path, params: dict[str, Any], tmp_nb: Path, failed: Path,
             timeout: int) -> None:
    """Run the notebook into ``tmp_nb``; on any failure keep it as ``failed`` and raise."""
    try:
        with _env(PLOTLY_RENDERER=PLOTLY_RENDERER):
            pm.execute_notebook(str(src), str(tmp_nb), parameters=params, cwd=str(src.parent),
                                kernel_name="python3", progress_bar=False,
                                request_save_on_cell_execute=False, execution_timeout=timeout,
                                kernel_manager_class=LocalKernelManager,
                                extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_SETUP}"])
    except Exception as err:  # a cell error, a timeout or a dead kernel: same handling
        where = "the run"
        if isinstance(err, PapermillExecutionError):
            where = f"cell {err.cell_index} ({_failing_line(err)!r})"
        raise _failure(src.stem, where, err, tmp_nb, failed) from None


def _failure(stem: str, where: str, err: Exception, tmp_nb: Path, failed: Path) -> ReportError:
    kept = None
    if tmp_nb.exists():
        os.replace(tmp_nb, failed)
        kept = failed
    ename = getattr(err, "ename", type(err).__name__)
    evalue = getattr(err, "evalue", str(err))
    return ReportError(f"{stem}: {where} failed with {ename}: {evalue}"
                       + (f"\n  executed notebook kept for diagnosis: {kept}" if kept else ""),
                       cell_index=getattr(err, "cell_index", None), ename=ename,
                       evalue=evalue, failed_notebook=kept)


def _publish(stem: str, tmp_nb: Path, out: Path) -> Report:
    """Export ``tmp_nb`` to HTML and move both into place; nothing half-written remains."""
    final_nb, final_html = out / f"{stem}.ipynb", out / f"{stem}.html"
    tmp_html = tmp_nb.with_suffix(".html")
    try:
        tmp_html.write_text(export_html(tmp_nb), encoding="utf-8")
    except Exception as err:  # nbconvert/template errors: keep the run for diagnosis
        tmp_html.unlink(missing_ok=True)
        raise _failure(stem, "the HTML export", err, tmp_nb,
                       out / f"{stem}.FAILED.ipynb") from None
    os.replace(tmp_html, final_html)
    os.replace(tmp_nb, final_nb)
    (out / f"{stem}.FAILED.ipynb").unlink(missing_ok=True)
    return Report(stem, final_html, final_nb)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_stem(name: str, parameters: Mapping[str, Any] | None = None) -> str:
    """The file name (without suffix) a run of notebook ``name`` writes: the notebook's
    name, or the ``output_name`` template of its ``bpo_analysis`` metadata filled with
    the parameters (given, else the declared defaults), e.g. ``{notebook}_{month}`` ->
    ``05_performance_review_2026-10`` for a dated monthly report."""
    src = _path(name)
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
               images: str | Sequence[str] = ()) -> Report:
    """Execute one notebook with ``parameters`` and write ``NAME.html`` + ``NAME.ipynb``
    (``NAME`` from :func:`output_stem`: the notebook's name, or a dated one).

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
        named ``NN_<slug of the chart title>.<format>`` (:mod:`bpo_analysis.reporting.images`).

    Returns
    -------
    Report

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
    src = _path(name)
    formats = _images.parse_formats(images)
    params = resolve_parameters(name, parameters or {})
    stem = output_stem(name, params)
    if formats:  # a missing browser or font is said before a long run, not after
        _images.find_chromium()
        _images.check_language_fonts(params.get("language", ""))
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp_nb = out / f".{stem}.{os.getpid()}.ipynb"
    try:
        _execute(src, params, tmp_nb, out / f"{stem}.FAILED.ipynb", timeout)
        report = _publish(stem, tmp_nb, out)
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
            *, images: str | Sequence[str] = ()) -> tuple[list[Report], dict[str, ReportError]]:
    """Run every notebook; a parameter goes to the notebooks that declare it.

    Continues past a failed notebook; returns the reports made and the failures.
    A parameter no notebook declares, or an unknown image format, is refused before
    anything runs; so is ``images`` without Chromium. ``images`` as in :func:`run_report`.
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
            done.append(run_report(n, mine, output_dir, images=images))
        except ReportError as err:
            failures[n] = err
    return done, failures
