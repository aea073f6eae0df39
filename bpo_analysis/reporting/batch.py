"""Run many parameter sets as reports at once, on local processes or a Dask cluster.

A *parameter set* is one YAML file; its name is the file's stem::

    # params/monthly_V02.yaml
    notebook: performance_review        # a name, a unique prefix ('05'), a list, or all
    parameters:                         # passed to the notebooks that declare them
      month: "2025-12"
      records_path: ../data/records/V02.parquet   # relative to this file's folder

``notebook`` left out (or ``all``) means every notebook, in decision order. With several
notebooks a parameter goes to those that declare it; a name none of them declares is
refused. Path parameters (names ending in ``_dir``, ``_path`` or ``_file``) are relative
to the folder of the YAML file, so a set means the same whatever directory cron starts
in; absolute paths and ``~`` work as well. Parameters given for the whole batch (``-p
month 2026-01``: what changes from one scheduled run to the next) win over the files'.

:func:`run_batch` checks every file first (YAML, keys, notebook names, parameter names
and types); a set that fails the check is one failed entry naming the file, the line, the
key, the value and what is allowed, and the other sets still run. Each (parameter set x
notebook) is then one run of :func:`bpo_analysis.reporting.reports.run_report` in a worker process
(``jobs`` of them, default one per core) or on a Dask cluster (``scheduler``; one thread
per worker process, as a run changes the process's working directory and environment). A
failed run never stops the batch. Outputs::

    OUT/<run date>/<parameter set>/<report>.html   (+ the executed .ipynb)
    OUT/<run date>/index.html                      every run: status, link, seconds, error
    OUT/<run date>/index.json                      the same, for schedulers

A report whose name carries a date (``05_performance_review_2025-12.html``) keeps it.
Re-running into the same date folder replaces the reports it runs and the index, which
describes the last batch run there.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import glob
import html
import json
import multiprocessing
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from bpo_analysis.data.io import StrictYamlLoader
from bpo_analysis.errors import BpoAnalysisError, DataError, InputError, ReportError
from bpo_analysis.reporting import reports
from bpo_analysis.reporting.parameters import absolute

__all__ = ["Batch", "ParameterSet", "Run", "Task", "command_line_parameters", "execute",
           "find_parameter_files", "load_parameter_set", "run_batch", "run_task",
           "write_index"]

DEFAULT_OUTPUT = Path("reports") / "batch"
CONNECT_TIMEOUT = 10.0  # seconds to wait for a Dask scheduler before giving up
KEYS = ("notebook", "parameters")
ALL = "all"
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class ParameterSet:
    """A checked parameter-set file.

    Attributes
    ----------
    name : str
        The file's stem: the folder its reports go to.
    file : Path
        The YAML file (absolute).
    notebooks : tuple of str
        Notebook names (full stems), in decision order.
    parameters : dict
        Per notebook, the parameters it receives (path values made absolute).
    """

    name: str
    file: Path
    notebooks: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Task:
    """One run: notebook ``notebook`` with ``parameters`` into ``output_dir``."""

    set_name: str
    file: Path
    notebook: str
    parameters: dict[str, Any]
    output_dir: Path


@dataclass(frozen=True)
class Run:
    """The outcome of one run (or of a parameter set refused before running).

    Attributes
    ----------
    set_name, file, notebook :
        Which run. ``notebook`` is ``"*"`` for a set refused by the checks.
    status : str
        ``"ok"`` or ``"failed"``.
    error : str
        Why it failed (empty when ok).
    report, executed : Path or None
        The HTML report and the executed notebook (``NAME.FAILED.ipynb`` when a cell
        failed and it was kept).
    seconds : float
        Wall-clock time of the run in its worker (0 when it did not run).
    worker : str
        ``host:pid`` of the process that ran it.
    started, finished : float or None
        Unix times of the run in its worker.
    parameters : dict
        The parameters passed to the notebook.
    """

    set_name: str
    file: Path
    notebook: str
    status: str
    error: str = ""
    report: Path | None = None
    executed: Path | None = None
    seconds: float = 0.0
    worker: str = ""
    started: float | None = None
    finished: float | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the report was written."""
        return self.status == "ok"


@dataclass(frozen=True)
class Batch:
    """What :func:`run_batch` did: every run in set and notebook order, and the index."""

    date: str
    directory: Path
    runs: list[Run]
    index_html: Path
    index_json: Path

    @property
    def failures(self) -> list[Run]:
        """The runs (and refused sets) that produced no report."""
        return [r for r in self.runs if not r.ok]


# --- finding and checking parameter sets --------------------------------------------------

def find_parameter_files(paths: Iterable[str | Path]) -> list[Path]:
    """The parameter-set files named by ``paths``: files, folders (their ``*.yaml`` and
    ``*.yml``, sorted) and glob patterns (for callers without a shell, e.g. systemd).

    Raises
    ------
    InputError
        A path that does not exist, a folder without YAML files, a pattern that matches
        nothing, or no path at all.
    """
    found: list[Path] = []
    for arg in paths:
        p = Path(arg).expanduser()
        if p.is_dir():
            files = sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml"))
            if not files:
                raise InputError("PARAMS", str(arg), "a folder holding parameter sets "
                                 "(*.yaml, *.yml), but it has none")
        elif p.exists():
            files = [p]
        elif _GLOB.search(str(arg)):
            files = sorted(Path(f) for f in glob.glob(str(p)))
            if not files:
                raise InputError("PARAMS", str(arg), "a pattern matching parameter-set "
                                 "files, but it matches none")
        else:
            raise InputError("PARAMS", str(arg), "an existing parameter-set file (YAML) or "
                             "a folder of them")
        found.extend(files)
    unique = list(dict.fromkeys(f.resolve() for f in found))
    if not unique:
        raise InputError("PARAMS", [], "at least one parameter-set file (YAML)")
    return unique


def _key_line(node: yaml.Node | None, *keys: str) -> int | None:
    """Line (1-based) of the key at path ``keys`` in a composed YAML document (as deep as
    it is found)."""
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value if k.value == key), None)
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def _notebook_names(raw: Any, node: yaml.Node | None, path: Path) -> list[str]:
    """Full notebook stems of the set's ``notebook`` value (refused by name if unknown)."""
    line = _key_line(node, "notebook")
    allowed = (f"a notebook of {reports.list_notebooks()} (or a unique prefix such as "
               "'05', or the name without its number, e.g. 'performance_review'), a list of "
               f"them, or {ALL!r} (every notebook)")
    if raw is None or raw == ALL:
        return reports.list_notebooks()
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        raise DataError("no notebook", file=path, row=line, column="notebook", value=raw,
                        allowed=allowed)
    # YAML reads `05` as the integer 5: take the text as written instead
    items = node.value if isinstance(node, yaml.MappingNode) else []
    written = next((v for k, v in items if k.value == "notebook"), None)
    scalars = ([written] if isinstance(written, yaml.ScalarNode)
               else list(getattr(written, "value", [])))
    names: list[str] = []
    for i, value in enumerate(values):
        if isinstance(value, int | float) and not isinstance(value, bool) and i < len(scalars):
            value = scalars[i].value
        if not isinstance(value, str) or not value:
            raise DataError("not a notebook name", file=path, row=line, column="notebook",
                            value=value, allowed=allowed)
        try:
            stem = reports._path(value).stem
        except InputError:
            raise DataError("unknown notebook", file=path, row=line, column="notebook",
                            value=value, allowed=allowed) from None
        if stem in names:
            raise DataError("notebook given twice", file=path, row=line, column="notebook",
                            value=value, allowed="each notebook once")
        names.append(stem)
    return sorted(names)


def command_line_parameters(given: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Parameters given for every set (``-p KEY VALUE``), typed per notebook.

    Each goes to the notebooks that declare it, typed as each declares it (a string
    ``"200"`` becomes ``200`` for an int); a path is relative to the working directory.

    Returns
    -------
    dict
        Per notebook (those declaring at least one of them), its typed values.

    Raises
    ------
    InputError
        A name no notebook declares, or a value of the wrong type for one that does.
    """
    declared = {n: {p.name for p in reports.notebook_parameters(n)}
                for n in reports.list_notebooks()}
    known = sorted(set().union(*declared.values()))
    out: dict[str, dict[str, Any]] = {}
    for key, value in given.items():
        if key not in known:
            raise InputError("-p/--parameter", key, f"a parameter of a notebook: one of {known}")
        for n, names in declared.items():
            if key in names:
                try:
                    typed = reports.resolve_parameters(n, {key: value})[key]
                except InputError as err:
                    raise InputError(f"-p {key}", value, f"{err.allowed} in {n}") from None
                out.setdefault(n, {})[key] = typed
    return out


def load_parameter_set(path: str | Path,
                       overrides: Mapping[str, Mapping[str, Any]] | None = None
                       ) -> ParameterSet:
    """Read and check one parameter-set file; nothing is run.

    Parameters
    ----------
    path : str or Path
        The YAML file: a mapping with ``notebook`` (optional) and ``parameters``
        (optional). Relative path parameters are taken from its folder.
    overrides : mapping, optional
        Per notebook, checked values that win over the file's (from
        :func:`command_line_parameters`).

    Returns
    -------
    ParameterSet

    Raises
    ------
    DataError
        The file cannot be read, is not YAML, not a mapping, has a key other than
        ``notebook`` and ``parameters``, names an unknown notebook, or a parameter that
        none of its notebooks declares or of the wrong type: the message names the
        file, the line, the key, the value and what is allowed.
    """
    path = Path(path).expanduser().resolve()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read the file ({err})", file=path,
                        allowed="a readable UTF-8 YAML file") from None
    try:
        data = yaml.load(text, Loader=StrictYamlLoader)  # safe; refuses a key given twice
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError(f"not valid YAML ({getattr(err, 'problem', None) or err})",
                        file=path, row=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise DataError("the file is empty or not a mapping of keys", file=path,
                        value=None if data is None else type(data).__name__,
                        allowed="a mapping with the keys notebook (optional) and parameters")
    for key in data:
        if key not in KEYS:
            raise DataError("unknown key", file=path, row=_key_line(node, str(key)),
                            column=str(key), value=key, allowed=f"one of {list(KEYS)}")
    notebooks = _notebook_names(data.get("notebook"), node, path)
    given = data.get("parameters") or {}
    if not isinstance(given, dict):
        raise DataError("not a mapping of parameter: value", file=path,
                        row=_key_line(node, "parameters"), column="parameters",
                        value=given, allowed="a mapping of parameter name: value")
    declared = {n: {p.name for p in reports.notebook_parameters(n)} for n in notebooks}
    known = sorted(set().union(*declared.values()))
    for key in given:
        if key not in known:
            which = notebooks[0] if len(notebooks) == 1 else f"the {len(notebooks)} notebooks"
            raise DataError("unknown parameter", file=path,
                            row=_key_line(node, "parameters", str(key)),
                            column=f"parameters.{key}", value=key,
                            allowed=f"one of the parameters of {which}: {known} "
                            "(see: bpo-analysis params NAME)")
    values = {k: absolute(str(k), v, path.parent) for k, v in given.items()}
    per_notebook = {n: {k: v for k, v in values.items() if k in declared[n]}
                    for n in notebooks}
    for n, mine in per_notebook.items():
        try:
            reports.resolve_parameters(n, mine)  # the types the notebook declares
        except InputError as err:
            key = err.argument.removeprefix("parameter ")
            raise DataError("wrong type", file=path, row=_key_line(node, "parameters", key),
                            column=f"parameters.{key}", value=err.value,
                            allowed=f"{err.allowed} in {n}") from None
        mine.update((overrides or {}).get(n, {}))
    return ParameterSet(path.stem, path, tuple(notebooks), per_notebook)


# --- running ------------------------------------------------------------------------------

def run_task(task: Task) -> Run:
    """Run one report; never raises for a failed run (a pure, picklable function for
    worker processes and Dask workers).

    Returns
    -------
    Run
        ``ok`` with the report's paths, or ``failed`` with the error (for a failed cell
        the message names the cell and its line, and ``executed`` is the kept
        ``NAME.FAILED.ipynb``).
    """
    worker = f"{socket.gethostname()}:{os.getpid()}"
    base = {"set_name": task.set_name, "file": task.file, "notebook": task.notebook,
            "worker": worker, "parameters": dict(task.parameters)}
    started, t0 = time.time(), time.perf_counter()
    try:
        report = reports.run_report(task.notebook, task.parameters, task.output_dir)
    except Exception as err:  # a ReportError, a bad value, anything: this run failed
        message = str(err) if isinstance(err, BpoAnalysisError) else (
            f"{type(err).__name__}: {err}")
        kept = err.failed_notebook if isinstance(err, ReportError) else None
        return Run(status="failed", error=message, executed=kept,
                   seconds=time.perf_counter() - t0, started=started, finished=time.time(),
                   **base)
    return Run(status="ok", report=report.html, executed=report.notebook,
               seconds=time.perf_counter() - t0, started=started, finished=time.time(), **base)


def _progress_bar(total: int, progress: bool | None, desc: str):
    from tqdm.auto import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: later pools of this process may fork

    # progress=None: on when stderr is a terminal (tqdm's disable=None), off in cron logs
    return Bar(total=total, desc=desc, unit="run", file=sys.stderr, dynamic_ncols=True,
               disable=None if progress is None else not progress)


def _failed(result: Any) -> bool:
    return isinstance(result, BaseException) or getattr(result, "status", "ok") == "failed"


def _start_method() -> str:
    """``fork`` on Linux when this process has a single thread (workers inherit the
    imported package: no start-up), else ``spawn`` (forking a threaded process can
    deadlock the child)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _collect(futures: dict[Any, int], completed: Iterable[Any], bar: dict[str, Any]
             ) -> list[Any]:
    """Results of ``futures`` (future -> item index) as they complete, a progress tick
    each; an exception in place of a call that raised or whose worker died."""
    results: list[Any] = [None] * len(futures)
    with _progress_bar(len(futures), **bar) as progress:
        for fut in completed:
            try:
                results[futures[fut]] = fut.result()
            except Exception as err:  # raised in fn, or the worker process died
                results[futures[fut]] = err
            progress.update(1)
            progress.set_postfix(failed=sum(_failed(r) for r in results if r is not None),
                                 refresh=False)
    return results


def _local(fn: Callable[[Any], Any], items: list[Any], jobs: int, bar: dict[str, Any]
           ) -> list[Any]:
    context = multiprocessing.get_context(_start_method())
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # the workers start at the first submit: before the progress bar starts a thread
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            return _collect(futures, cf.as_completed(futures), bar)
        except BaseException:  # Ctrl-C: drop the runs not started
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _check_address(address: str) -> None:
    """Refuse a scheduler address Dask cannot parse (before anything runs)."""
    from distributed.comm import get_address_host_port

    try:
        get_address_host_port(address)
    except (ValueError, NotImplementedError) as err:
        raise InputError("--scheduler", address, "the address of a Dask scheduler, e.g. "
                         f"tcp://host:8786 ({err})") from None


def _connect(address: str):
    """A Dask client of the scheduler at ``address``; one clear error if none answers."""
    from distributed import Client

    _check_address(address)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise InputError("--scheduler", address, "the address of a running Dask scheduler, "
                         f"e.g. tcp://host:8786; none answered within {CONNECT_TIMEOUT:g} s "
                         f"({type(err).__name__}: {err})") from None


def _check_workers(client: Any, address: str) -> None:
    """Refuse a cluster without workers (the batch would wait forever) or with workers of
    more than one thread (report runs change their process's working directory and
    environment, so two at once in one process would mix them up)."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        raise InputError("--scheduler", address, "a scheduler with workers (dask worker "
                         f"{address} --nthreads 1); none joined within "
                         f"{CONNECT_TIMEOUT:g} s") from None
    threaded = {w: n for w, n in client.nthreads().items() if n > 1}
    if threaded:
        raise InputError("--scheduler", address, "a cluster of one-thread workers (dask "
                         f"worker {address} --nthreads 1): a report run changes its "
                         "process's working directory and environment; these workers "
                         f"have more threads: {threaded}")


def _dask(fn: Callable[[Any], Any], items: list[Any], address: str, bar: dict[str, Any]
          ) -> list[Any]:
    from distributed import as_completed

    client = _connect(address)
    try:
        _check_workers(client, address)
        futures = {client.submit(fn, item, pure=False): i for i, item in enumerate(items)}
        return _collect(futures, as_completed(list(futures), loop=client.loop), bar)
    finally:
        client.close()


def execute(fn: Callable[[Any], Any], items: Sequence[Any], *, jobs: int | None = None,
            scheduler: str | None = None, progress: bool | None = None,
            desc: str = "reports") -> list[Any]:
    """``fn(item)`` for every item in parallel, results in the items' order.

    Parameters
    ----------
    fn : callable
        A picklable function (defined at module level).
    items : sequence
        Its arguments, one per call.
    jobs : int, optional
        Local worker processes (default: one per core, at most one per item).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): submit there instead.
    progress : bool, optional
        Progress bar on stderr; default: when stderr is a terminal.
    desc : str
        The progress bar's label.

    Returns
    -------
    list
        ``fn``'s results; an exception in place of a call that raised or whose worker
        died (never raised).

    Raises
    ------
    InputError
        ``jobs`` below 1, or no scheduler answers at ``scheduler``.
    """
    items = list(items)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError("-j/--jobs", jobs, "a whole number of worker processes, at least 1")
    if not items:
        return []
    bar = {"progress": progress, "desc": desc}
    if scheduler:
        return _dask(fn, items, scheduler, bar)
    return _local(fn, items, min(jobs or os.cpu_count() or 1, len(items)), bar)


# --- the index ----------------------------------------------------------------------------

def _rel(path: Path | None, base: Path) -> str | None:
    return None if path is None else Path(os.path.relpath(path, base)).as_posix()


def _run_record(run: Run, base: Path) -> dict[str, Any]:
    rec = asdict(run)
    rec.update(set=rec.pop("set_name"), file=str(run.file), report=_rel(run.report, base),
               executed=_rel(run.executed, base), seconds=round(run.seconds, 2),
               error_summary=run.error.splitlines()[0] if run.error else "")
    for key in ("started", "finished"):
        if rec[key] is not None:
            rec[key] = dt.datetime.fromtimestamp(rec[key]).astimezone().isoformat(
                timespec="seconds")
    return rec


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em;margin-bottom:.2em}
table{border-collapse:collapse;margin-top:1em;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37;font-weight:600}.failed{color:#c62828;font-weight:600}
code,.params{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.params{color:#555}.meta td{border:none;padding:.1em .6em .1em 0}
"""


def _html_index(meta: dict[str, Any], records: list[dict[str, Any]]) -> str:
    e = html.escape
    ok = sum(r["status"] == "ok" for r in records)
    rows = []
    for r in records:
        link = (f'<a href="{e(quote(r["report"]))}">{e(Path(r["report"]).name)}</a>'
                if r["report"] else "")
        if r["status"] != "ok" and r["executed"]:
            link = (f'<a href="{e(quote(r["executed"]))}">'
                    f'{e(Path(r["executed"]).name)}</a> (kept for diagnosis)')
        params = ", ".join(f"{k}={v!r}" for k, v in r["parameters"].items())
        rows.append(
            f"<tr><td>{e(r['set'])}</td><td>{e(r['notebook'])}</td>"
            f'<td class="{e(r["status"])}">{e(r["status"])}</td><td>{link}</td>'
            f'<td class="num">{r["seconds"]:.1f}</td><td>{e(r["error_summary"])}</td>'
            f'<td class="params">{e(params)}</td></tr>')
    options = "".join(f"<tr><td>{e(k)}</td><td><code>{e(str(v))}</code></td></tr>"
                      for k, v in meta["options"].items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>bpo-analysis batch {e(meta['date'])}</title><style>{_STYLE}</style></head>
<body>
<h1>Reports of {e(meta['date'])}</h1>
<p>{ok} of {len(records)} runs succeeded; {len(records) - ok} failed.</p>
<table class="meta">
<tr><td>command</td><td><code>{e(meta['command'])}</code></td></tr>
<tr><td>started</td><td>{e(meta['started'])}</td></tr>
<tr><td>finished</td><td>{e(meta['finished'])} ({meta['seconds']:.0f} s)</td></tr>
{options}
</table>
<table>
<thead><tr><th>parameter set</th><th>notebook</th><th>status</th><th>report</th>
<th>seconds</th><th>error</th><th>parameters</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


def write_index(directory: Path, runs: list[Run], meta: Mapping[str, Any]) -> tuple[Path, Path]:
    """Write ``index.html`` (self-contained: no script, no CDN) and ``index.json`` listing
    every run, with links relative to ``directory``; returns both paths.

    ``meta`` holds ``date``, ``command``, ``started``, ``finished``, ``seconds`` (wall
    clock) and ``options``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    records = [_run_record(r, directory) for r in runs]
    doc = {**meta, "ok": sum(r.ok for r in runs), "failed": sum(not r.ok for r in runs),
           "runs": records}
    out_json, out_html = directory / "index.json", directory / "index.html"
    for path, text in ((out_json, json.dumps(doc, indent=2, default=str) + "\n"),
                       (out_html, _html_index(doc, records))):
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return out_html, out_json


def _run_date(date: str | dt.date | None) -> str:
    if date is None:
        return dt.date.today().isoformat()
    if isinstance(date, dt.date):
        return date.isoformat()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
            raise ValueError
        return dt.date.fromisoformat(str(date)).isoformat()
    except ValueError:
        raise InputError("--date", date, "a date YYYY-MM-DD, e.g. 2026-01-02") from None


def run_batch(paths: Iterable[str | Path], output: str | Path = DEFAULT_OUTPUT, *,
              parameters: Mapping[str, Any] | None = None, jobs: int | None = None,
              scheduler: str | None = None, date: str | dt.date | None = None,
              progress: bool | None = None, command: str = "") -> Batch:
    """Check and run every parameter set; write the reports and the index.

    Parameters
    ----------
    paths : iterable of str or Path
        Parameter-set files, folders of them, or glob patterns.
    output : str or Path
        Root folder; the run goes to ``output/<date>/``.
    parameters : mapping, optional
        Parameters for every set (they win over the files'), e.g. the month of a
        scheduled review; each goes to the notebooks that declare it.
    jobs : int, optional
        Local worker processes (default: one per core). Not with ``scheduler``.
    scheduler : str, optional
        A Dask scheduler's address: the runs go to its workers, which must see the same
        package, notebooks, data and output folder (a shared file system).
    date : str or date, optional
        The run date naming the output folder (``YYYY-MM-DD``); default today.
    progress : bool, optional
        Progress bar on stderr; default: when stderr is a terminal.
    command : str
        The command line, shown in the index.

    Returns
    -------
    Batch
        Every run (ok or failed) in set and notebook order, and the index paths.

    Raises
    ------
    InputError
        No parameter-set file, a path that does not exist, a parameter in ``parameters``
        that no notebook declares or of the wrong type, ``jobs`` below 1 or with
        ``scheduler``, a bad date, or no scheduler answering: nothing is run.
    """
    day = _run_date(date)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError("-j/--jobs", jobs, "a whole number of worker processes, at least 1")
    if jobs is not None and scheduler:
        raise InputError("-j/--jobs", jobs, "left out with --scheduler: the cluster's workers "
                         "decide how many reports run at once")
    if scheduler:
        _check_address(scheduler)
    files = find_parameter_files(paths)
    overrides = command_line_parameters(parameters or {})
    directory = Path(output).expanduser().resolve() / day
    started, t0 = dt.datetime.now().astimezone(), time.perf_counter()
    sets: list[ParameterSet | Run] = []
    seen: dict[str, Path] = {}
    for f in files:
        try:
            if f.stem in seen:
                raise DataError("a second parameter set of the same name (its reports would "
                                "overwrite the other's)", file=f, value=f.stem,
                                allowed=f"a file name other than that of {seen[f.stem]}")
            seen[f.stem] = f
            sets.append(load_parameter_set(f, overrides))
        except BpoAnalysisError as err:
            sets.append(Run(f.stem, f, "*", "failed", error=str(err)))
    tasks = [Task(s.name, s.file, n, s.parameters[n], directory / s.name)
             for s in sets if isinstance(s, ParameterSet) for n in s.notebooks]
    results = execute(run_task, tasks, jobs=jobs, scheduler=scheduler, progress=progress)
    done = iter(zip(tasks, results, strict=True))
    runs: list[Run] = []
    for s in sets:
        if isinstance(s, Run):
            runs.append(s)
            continue
        for _ in s.notebooks:
            task, res = next(done)
            if isinstance(res, BaseException):  # its worker died, or cannot run the task
                res = Run(task.set_name, task.file, task.notebook, "failed",
                          error=f"no result from the worker running it ({type(res).__name__}: "
                                f"{res})", parameters=dict(task.parameters))
            runs.append(res)
    meta = {"date": day, "command": command or "run_batch()",
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - t0, 1),
            "options": {"parameter sets": " ".join(str(f) for f in files),
                        "parameters": dict(parameters or {}),
                        "output": str(directory), "jobs": jobs or (
                            "cluster" if scheduler else (os.cpu_count() or 1)),
                        "scheduler": scheduler or "local processes"}}
    index_html, index_json = write_index(directory, runs, meta)
    return Batch(day, directory, runs, index_html, index_json)
