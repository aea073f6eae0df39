"""Run many parameter sets as reports at once, on local processes or a Dask cluster.

A *parameter set* is one YAML file; its name is the file's stem::

    # params/monthly_V02.yaml
    notebook: performance_review        # a name, a unique prefix ('05'), a list, or all
    parameters:                         # passed to the notebooks that declare them
      month: "2025-12"
      records_path: ../data/sample/records/V02.parquet   # relative to this file's folder

``notebook`` left out (or ``all``) means every notebook, in decision order. With several
notebooks a parameter goes to those that declare it; a name none of them declares is
refused. Path parameters (names ending in ``_dir``, ``_path`` or ``_file``) are relative
to the folder of the YAML file, so a set means the same whatever directory cron starts
in; absolute paths and ``~`` work as well. Parameters given for the whole batch (``-p
month 2026-01``: what changes from one scheduled run to the next) win over the files'.

:func:`run_batch` checks every file first (YAML, keys, notebook names, parameter names
and types); a set that fails the check is one failed entry naming the file, the line, the
key, the value and what is allowed, and the other sets still run. Each (parameter set x
notebook) is then one run of :func:`bpo_analysis.reporting.reports.run_report` in a worker
process (``jobs`` of them, default one per core) or on a Dask cluster (``scheduler``; one
thread per worker process, as a run changes the process's working directory and
environment). A failed run never stops the batch. Outputs::

    OUT/<run date>/<parameter set>/<report>.html   (+ the executed .ipynb, and the
                                                    .pdf/.pptx/.xlsx asked for)
    OUT/<run date>/index.html                      every run: status, link, seconds, error
    OUT/<run date>/index.json                      the same, for schedulers

A report whose name carries a date (``05_performance_review_2025-12.html``) keeps it.
Re-running into the same date folder replaces the reports it runs and the index, which
describes the last batch run there.

The parts: :mod:`~bpo_analysis.reporting.batch.sets` finds and checks the parameter
sets, :mod:`~bpo_analysis.reporting.batch.worker` is one run in a worker,
:mod:`~bpo_analysis.reporting.batch.executor` runs them in parallel and
:mod:`~bpo_analysis.reporting.batch.index` writes the index; :func:`run_batch`, here,
puts them together.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpo_analysis.errors import BpoAnalysisError, DataError, InputError
from bpo_analysis.reporting.batch.executor import check_address, execute
from bpo_analysis.reporting.batch.index import write_index
from bpo_analysis.reporting.batch.sets import (
    ParameterSet,
    command_line_parameters,
    find_parameter_files,
    load_parameter_set,
)
from bpo_analysis.reporting.batch.worker import Run, Task, run_task
from bpo_analysis.reporting.deck import check_template
from bpo_analysis.reporting.deliverables import parse_formats
from bpo_analysis.reporting.printer import check_paper

__all__ = ["DEFAULT_OUTPUT", "Batch", "ParameterSet", "Run", "Task", "command_line_parameters",
           "execute", "find_parameter_files", "load_parameter_set", "run_batch", "run_task",
           "write_index"]

DEFAULT_OUTPUT = Path("reports") / "batch"


@dataclass(frozen=True)
class Batch:
    """What :func:`run_batch` did: every run in set and notebook order, and the index.

    Attributes
    ----------
    date : str
        The run date (``YYYY-MM-DD``) naming the output folder.
    directory : Path
        ``OUTPUT/<date>``.
    runs : list of Run
        Every run (ok or failed) and every refused set, in set and notebook order.
    index_html, index_json : Path
        The index of the batch.
    """

    date: str
    directory: Path
    runs: list[Run]
    index_html: Path
    index_json: Path

    @property
    def failures(self) -> list[Run]:
        """The runs (and refused sets) that produced no report."""
        return [r for r in self.runs if not r.ok]


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
              progress: bool | None = None, command: str = "",
              formats: str | Iterable[str] | None = None, paper: str = "a4",
              template: str | Path | None = None) -> Batch:
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
    formats, paper, template :
        The reports' formats (``"html,pdf,pptx,xlsx"``; HTML alone by default), the PDF's
        paper and the decks' template, as :class:`~bpo_analysis.reporting.deliverables.
        Options` takes them; the index links every file.

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
    files_wanted = parse_formats(formats)
    paper = check_paper(paper)
    template = str(check_template(template).resolve()) if template and "pptx" in \
        files_wanted else ""
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError("-j/--jobs", jobs, "a whole number of worker processes, at least 1")
    if jobs is not None and scheduler:
        raise InputError("-j/--jobs", jobs, "left out with --scheduler: the cluster's workers "
                         "decide how many reports run at once")
    if scheduler:
        check_address(scheduler)
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
    tasks = [Task(s.name, s.file, n, s.parameters[n], directory / s.name, files_wanted,
                  paper, template)
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
