"""One run of a batch as a worker process runs it: the task, its outcome, and the run.

:func:`run_task` is a pure, picklable function of a :class:`Task`; it never raises for a
failed run, so a worker (a local process or a Dask worker) always returns a :class:`Run`.
"""

from __future__ import annotations

import atexit
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpo_analysis.errors import BpoAnalysisError, ReportError
from bpo_analysis.reporting import reports
from bpo_analysis.reporting.deliverables import Options

__all__ = ["Run", "Task", "run_task"]


@dataclass(frozen=True)
class Task:
    """One run: notebook ``notebook`` with ``parameters`` into ``output_dir``.

    Attributes
    ----------
    set_name : str
        The parameter set the run belongs to.
    file : Path
        The parameter set's file.
    notebook : str
        The notebook's full stem.
    parameters : dict
        The checked parameters passed to the notebook.
    output_dir : Path
        Where the report goes.
    formats : tuple of str
        The report's formats (``html``, ``pdf``, ``pptx``, ``xlsx``).
    paper : str
        The PDF's paper (``a4`` or ``letter``).
    template : str
        The decks' PowerPoint template ("" for none).
    """

    set_name: str
    file: Path
    notebook: str
    parameters: dict[str, Any]
    output_dir: Path
    formats: tuple[str, ...] = ("html",)
    paper: str = "a4"
    template: str = ""


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
    files : dict
        The report's other formats written: format -> path.
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
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the report was written."""
        return self.status == "ok"


_OPTIONS: dict[tuple, Options] = {}  # one browser per worker process, for all its runs


@atexit.register
def _close_browsers() -> None:
    for options in _OPTIONS.values():
        options.close()


def _options(task: Task) -> Options | None:
    if task.formats == ("html",):
        return None
    key = (task.formats, task.paper, task.template)
    if key not in _OPTIONS:
        _OPTIONS[key] = Options(task.formats, task.paper, task.template or None)
    return _OPTIONS[key]


def run_task(task: Task) -> Run:
    """Run one report; never raise for a failed run.

    A pure, picklable function for worker processes and Dask workers.

    Parameters
    ----------
    task : Task
        The notebook, its parameters and where the report goes.

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
        report = reports.run_report(task.notebook, task.parameters, task.output_dir,
                                    files=_options(task))
    except Exception as err:  # a ReportError, a bad value, anything: this run failed
        message = str(err) if isinstance(err, BpoAnalysisError) else (
            f"{type(err).__name__}: {err}")
        kept = err.failed_notebook if isinstance(err, ReportError) else None
        return Run(status="failed", error=message, executed=kept,
                   seconds=time.perf_counter() - t0, started=started, finished=time.time(),
                   **base)
    return Run(status="ok", report=report.html, executed=report.notebook,
               files=dict(report.files), seconds=time.perf_counter() - t0, started=started,
               finished=time.time(), **base)
