"""Run notebooks as parameterised reports (papermill) and export offline HTML (nbconvert).

No calculation happens here. A run:

1. refuses unknown parameter names (papermill only warns) and values that do not match
   the type the notebook declares;
2. executes the notebook with papermill into a temporary file, with plotly rendering
   both for JupyterLab and for the HTML export (plotly.js inlined, no CDN);
3. on success exports a self-contained HTML without code cells, prompts or widgets and
   moves both files into place with an atomic rename; on failure keeps the executed
   notebook as ``NAME.FAILED.ipynb`` for diagnosis and leaves any earlier good report
   untouched.

Path-like parameters (names ending in ``_dir``, ``_path`` or ``_file``) given by the
caller are resolved against the caller's working directory; the notebooks' defaults
are relative to ``notebooks/``, where the kernel runs.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import yaml
from jupyter_client.manager import AsyncKernelManager
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from papermill.exceptions import PapermillExecutionError
from traitlets import CaselessStrEnum

from .errors import InputError, ReportError

__all__ = ["LocalKernelManager", "Parameter", "Report", "export_html", "list_notebooks",
           "notebook_parameters", "output_stem", "resolve_parameters", "run_all", "run_report"]

PACKAGE_DIR = Path(__file__).resolve().parent
NOTEBOOKS_DIR = Path(os.environ.get("BPO_ANALYSIS_NOTEBOOKS", PACKAGE_DIR.parent / "notebooks"))
TEMPLATES_DIR = PACKAGE_DIR / "templates"
PLOTLY_RENDERER = "plotly_mimetype+notebook"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
INTERACTIVE_TAG = "interactive"  # cells only for live use: dropped from static reports
_PATH_SUFFIXES = ("_dir", "_path", "_file")
_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "float": (float, int), "str": (str,),
                                       "bool": (bool,)}


class LocalKernelManager(AsyncKernelManager):
    """Report kernels talk over local IPC sockets: no TCP port is opened, and the kernel
    does not warn (on every run) that TCP traffic is unencrypted."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)


@dataclass(frozen=True)
class Parameter:
    """A notebook parameter as declared in its ``parameters`` cell."""

    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class Report:
    """Where a successful run wrote its outputs."""

    name: str
    html: Path
    notebook: Path


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
    if p.name.endswith(_PATH_SUFFIXES) and isinstance(value, str):
        value = str(Path(value).expanduser().resolve())
    return value


def resolve_parameters(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check names and types of ``given`` against the notebook; return typed values.

    Report runs default ``show_widgets`` to False (widgets do not render in HTML).
    """
    declared = {p.name: p for p in notebook_parameters(name)}
    out: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            raise InputError("parameter", key,
                             f"one of the parameters of {_path(name).stem}: "
                             f"{sorted(declared)} (see: bpo-analysis params {name})")
        out[key] = _coerce(declared[key], value)
    if "show_widgets" in declared:
        out.setdefault("show_widgets", False)
    return out


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _failing_line(err: PapermillExecutionError) -> str:
    """The cell line that raised (IPython marks it '---->'), else the cell's first line."""
    for frame in err.traceback:
        for line in _ANSI.sub("", frame).splitlines():
            if line.lstrip().startswith("---->"):
                return line.split(None, 2)[-1].strip()[:80]
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


_REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)


class _OfflineOutputs(Preprocessor):
    """Make outputs static and offline: drop widget views (they cannot render in a
    static report) and remote ``<script src>`` tags -- plotly's notebook renderer always
    adds MathJax from a CDN, which these figures (no LaTeX) never use."""

    def preprocess_cell(self, cell, resources, index):
        outputs = [o for o in cell.get("outputs", []) if WIDGET_MIME not in o.get("data", {})]
        for o in outputs:
            if "text/html" in o.get("data", {}):
                o.data["text/html"] = _REMOTE_SCRIPT.sub("", o.data["text/html"])
        if "outputs" in cell:
            cell.outputs = outputs
        return cell, resources


def _title(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "bpo-analysis report"


def export_html(notebook: Path) -> str:
    """Self-contained HTML of an executed notebook: no code, prompts, widgets or CDN.

    Cells tagged ``interactive`` (the live dashboard and its heading) are left out.
    """
    nb = nbformat.read(notebook, as_version=4)
    exporter = HTMLExporter(template_name="bpo_report",
                            extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(_OfflineOutputs(), enabled=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={INTERACTIVE_TAG}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb)}})
    return body


def _execute(src: Path, params: dict[str, Any], tmp_nb: Path, failed: Path,
             timeout: int) -> None:
    """Run the notebook into ``tmp_nb``; on any failure keep it as ``failed`` and raise."""
    try:
        with _env(PLOTLY_RENDERER=PLOTLY_RENDERER):
            pm.execute_notebook(str(src), str(tmp_nb), parameters=params, cwd=str(src.parent),
                                kernel_name="python3", progress_bar=False,
                                request_save_on_cell_execute=False, execution_timeout=timeout,
                                kernel_manager_class=LocalKernelManager)
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
               output_dir: str | Path = "reports", *, timeout: int = 900) -> Report:
    """Execute one notebook with ``parameters`` and write ``NAME.html`` + ``NAME.ipynb``
    (``NAME`` from :func:`output_stem`: the notebook's name, or a dated one).

    Raises
    ------
    InputError
        Unknown notebook or parameter, or a value of the wrong type (nothing is run).
    ReportError
        A cell, the kernel or the HTML export failed: names the cell (and its line) and
        the error; the executed notebook is kept as ``NAME.FAILED.ipynb`` and any earlier
        good report is left as it was.
    """
    src = _path(name)
    params = resolve_parameters(name, parameters or {})
    stem = output_stem(name, params)
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp_nb = out / f".{stem}.{os.getpid()}.ipynb"
    try:
        _execute(src, params, tmp_nb, out / f"{stem}.FAILED.ipynb", timeout)
        return _publish(stem, tmp_nb, out)
    finally:
        tmp_nb.unlink(missing_ok=True)


def run_all(parameters: Mapping[str, Any] | None = None, output_dir: str | Path = "reports",
            ) -> tuple[list[Report], dict[str, ReportError]]:
    """Run every notebook; a parameter goes to the notebooks that declare it.

    Continues past a failed notebook; returns the reports made and the failures.
    A parameter no notebook declares is refused before anything runs.
    """
    names = list_notebooks()
    declared = {n: {p.name for p in notebook_parameters(n)} for n in names}
    known = set().union(*declared.values()) if declared else set()
    for key in parameters or {}:
        if key not in known:
            raise InputError("parameter", key, f"one of {sorted(known)}")
    done, failures = [], {}
    for n in names:
        mine = {k: v for k, v in (parameters or {}).items() if k in declared[n]}
        try:
            done.append(run_report(n, mine, output_dir))
        except ReportError as err:
            failures[n] = err
    return done, failures
