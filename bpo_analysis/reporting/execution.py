"""Execute a notebook in a report kernel (papermill), and say where a failed run failed.

The report kernels run with :class:`LocalKernelManager` (local sockets, a quiet
shutdown), show plotly figures through :mod:`bpo_analysis.reporting.renderer`
(:data:`KERNEL_SETUP`) and render them for JupyterLab and the HTML export alike
(:data:`PLOTLY_RENDERER`). A failed run -- a cell error, a timeout, a dead kernel -- is
one :class:`~bpo_analysis.errors.ReportError` naming the cell and the line of it that
failed, by number and text (:func:`failed_at`); the executed notebook is kept as
``NAME.FAILED.ipynb`` for diagnosis.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError
from traitlets import CaselessStrEnum, Float

from bpo_analysis.errors import ReportError

__all__ = ["KERNEL_SETUP", "PLOTLY_RENDERER", "LocalKernelManager", "execute_notebook",
           "failed_at", "failing_line", "run_failure"]

PLOTLY_RENDERER = "plotly_mimetype+notebook"
#: Run by every report kernel as it starts (``exec_lines``): ``go.Figure``s are shown by
#: :func:`bpo_analysis.reporting.renderer.show_in_report` (why: see there). Registered by
#: type name and through a lambda, the kernel imports neither plotly nor the package before
#: the notebook does and its namespace gets no new name (``__import__`` with a
#: ``fromlist`` returns the submodule). Other ways to show a figure (``fig.show()``) still
#: go through plotly's renderers and ``PLOTLY_RENDERER``.
KERNEL_SETUP = ("get_ipython().display_formatter.ipython_display_formatter.for_type_by_name("
                "'plotly.graph_objs._figure', 'Figure', lambda fig: __import__("
                "'bpo_analysis.reporting.renderer', fromlist=['_']).show_in_report(fig))")


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
        """Return a socket path of the kernel's own.

        jupyter_client's default, ``kernel-ipc`` in the working directory, makes two
        runs started at once (``batch -j 2``) pick the same socket files, and one kernel
        then hears the other's messages ("Invalid Signature").
        """
        if self.transport == "ipc":
            return os.path.join(tempfile.gettempdir(), f"bpo-kernel-{uuid.uuid4().hex[:16]}-ipc")
        return super()._ip_default()

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt the kernel, except as the first step of a shutdown (see the class)."""
        if not self.shutting_down:
            await super()._async_interrupt_kernel()


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


#: IPython's mark of the line that raised: an arrow padded to the width of the line
#: numbers ("----> 9 x = 1", "---> 10 x = 1", "--> 100 x = 1").
_RAISED = re.compile(r"^\s*-+>\s*(\d+)\s(.*)$")
#: IPython's heading of a frame in a cell: "Cell In[3], line 9" (IPython >= 8; "Input In
#: [3]" in early 8.x), also over a SyntaxError, which has no arrow.
_CELL = re.compile(r"^\s*(?:Cell|Input) In ?\[[^\]]*\], line (\d+)")
#: IPython's line between chained exceptions: the frames after the last are the error's.
_CHAINED = ("The above exception was the direct cause", "During handling of the above")


def failing_line(err: PapermillExecutionError) -> tuple[int | None, str]:
    r"""Return the number and the text (at most 80 characters) of the cell line that failed.

    The line is the failing cell's in the traceback of the error raised (after the last
    chained one, whose frames may be in the package): its heading ``Cell In[3], line 9``
    gives the number, the cell's source the text as written (``%time x = 1 / 0``, not
    IPython's rewrite); a SyntaxError has a heading and no arrow. Without a cell heading,
    the first line IPython marks with an arrow; without one, the cell's first line.

    Parameters
    ----------
    err : PapermillExecutionError
        papermill's error of a failed cell (its traceback and the cell's source).

    Returns
    -------
    tuple
        The line number in the cell (1-based; None when the traceback gives none) and
        the line, stripped, without colour codes.

    Examples
    --------
    >>> from papermill.exceptions import PapermillExecutionError
    >>> source = "import bpo_analysis as bpo\n\nclient = bpo.load_client(client_dir)"
    >>> err = PapermillExecutionError(3, 3, source, "DataError", "risks.csv: empty",
    ...     ["DataError  Traceback", "Cell In[2], line 3\n----> 3 client = bpo.load_cl..."])
    >>> failing_line(err)
    (3, 'client = bpo.load_client(client_dir)')
    """
    frames = [_ANSI.sub("", f) for f in err.traceback]
    last = max((i for i, f in enumerate(frames) if any(c in f for c in _CHAINED)), default=-1)
    lines = err.source.splitlines()
    for frame in frames[last + 1:]:
        if found := _CELL.match(frame):
            n = int(found.group(1))
            if 1 <= n <= len(lines) and lines[n - 1].strip():
                return n, lines[n - 1].strip()[:80]
            arrow = next(filter(None, map(_RAISED.match, frame.splitlines())), None)
            if arrow:
                return n, arrow.group(2).strip()[:80]
    for frame in frames:
        for line in frame.splitlines():
            if found := _RAISED.match(line):
                return int(found.group(1)), found.group(2).strip()[:80]
    return None, next((ln.strip() for ln in lines if ln.strip()), "")[:80]


def failed_at(err: PapermillExecutionError) -> str:
    """Say where a cell failed: ``cell 3, line 9 ('client = bpo.load_client(client_dir)')``.

    Parameters
    ----------
    err : PapermillExecutionError
        papermill's error of a failed cell.

    Returns
    -------
    str
        The cell (0-based among all the executed notebook's cells, the injected
        parameters included), the line in it (1-based) when known, and the line's text.
    """
    n, text = failing_line(err)
    return f"cell {err.cell_index}" + (f", line {n}" if n else "") + f" ({text!r})"


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


def execute_notebook(src: Path, params: dict[str, Any], tmp_nb: Path, failed: Path,
                     timeout: int) -> None:
    """Run the notebook into ``tmp_nb``; on any failure keep it as ``failed`` and raise.

    Parameters
    ----------
    src : Path
        The notebook to run; its kernel runs in its folder.
    params : dict
        The checked parameters, injected by papermill.
    tmp_nb : Path
        Where the executed notebook is written.
    failed : Path
        Where it is kept when the run fails (``NAME.FAILED.ipynb``).
    timeout : int
        Seconds one cell may run.

    Raises
    ------
    ReportError
        A cell error, a timeout or a dead kernel (see :func:`run_failure`).
    """
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
            where = failed_at(err)
        raise run_failure(src.stem, where, err, tmp_nb, failed) from None


def run_failure(stem: str, where: str, err: Exception, tmp_nb: Path, failed: Path
                ) -> ReportError:
    """Keep the executed notebook for diagnosis; return the error saying what failed.

    Parameters
    ----------
    stem : str
        The report's name, which the message starts with.
    where : str
        What failed: ``"cell 3, line 2 ('x = 1 / 0')"``, ``"the run"``, ``"the HTML
        export"``.
    err : Exception
        The error (papermill's carries the cell's error name and value).
    tmp_nb : Path
        The executed notebook, if it was written: moved to ``failed``.
    failed : Path
        ``NAME.FAILED.ipynb``.

    Returns
    -------
    ReportError
        With the cell index, the error's name and value, and the kept notebook (None
        when there was none).
    """
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
