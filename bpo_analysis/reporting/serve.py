"""Present the notebooks live as a Voilà app: no code on screen, on 127.0.0.1 only.

``bpo-analysis present [NAME] [-p key value ...]`` (and ``make present``) prepares an app
folder (:mod:`bpo_analysis.reporting.app`: the parameterised notebooks, the ``bpo``
template with a step bar on every page, an index of the steps in decision order, no
request to a CDN) and runs Voilà on it, with kernel culling: the kernel of a page closed
for ``cull_idle_s`` seconds is shut down (an open page keeps its kernel however long the
discussion lasts).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bpo_analysis.errors import BpoAnalysisError, InputError
from bpo_analysis.reporting.app import (
    HOST,
    WIDGET_MODULE,
    WIDGET_MODULE_ENV,
    App,
    Step,
    prepare,
    steps,
)

# The app and its steps (app) are importable from here as well.
__all__ = ["HOST", "WIDGET_MODULE", "WIDGET_MODULE_ENV", "App", "Step", "prepare", "start",
           "steps", "voila_command"]


def voila_command(app: App, port: int, *, cull_idle_s: int = 600, preheat: bool = False,
                  ) -> list[str]:
    """Return the Voilà command line serving ``app`` on 127.0.0.1:``port``.

    Parameters
    ----------
    app : App
        The prepared app.
    port : int
        The port on 127.0.0.1 (no other is tried).
    cull_idle_s : int
        Seconds after which the kernel of a page closed is shut down.
    preheat : bool
        Keep one executed kernel ready per notebook.

    Returns
    -------
    list of str
        The command, starting with this Python.
    """
    cmd = [sys.executable, "-m", "voila", str(app.notebooks), "--no-browser",
           f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={HOST}",
           "--template=bpo", "--classic_tree=True",
           "--theme=light", "--show_margins=True",
           "--MappingKernelManager.cull_interval=" + str(max(1, min(60, cull_idle_s // 2))),
           f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
           "--MappingKernelManager.cull_connected=False",
           "--VoilaConfiguration.show_tracebacks=False"]
    if preheat:
        cmd += ["--preheat_kernel=True", "--pool_size=1"]
    return cmd


def _free_port(port: int) -> int:
    """Return ``port`` if it is free on 127.0.0.1 (0: a free one); else refuse it."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InputError("--port", port, "a port number 1-65535 (0 picks a free one)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds
        try:
            s.bind((HOST, port))
        except OSError:
            raise InputError("--port", port, f"a free port on {HOST} (this one is in use; "
                             "0 picks a free one)") from None
        return s.getsockname()[1]


def _environment(app: App) -> dict[str, str]:
    """Return Voilà's environment: the app's template and start-up, the widget module."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(app.root / "jupyter")] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    env["IPYTHONDIR"] = str(app.root / "ipython")  # its startup picks the plotly renderer
    env.pop("PLOTLY_RENDERER", None)
    env[WIDGET_MODULE_ENV] = app.widget_module_url
    return env


def start(parameters: Mapping[str, Any] | None = None, *, port: int = 8866,
          cull_idle_s: int = 600, preheat: bool = False, wait_s: float = 60.0,
          log: Path | None = None) -> App:
    """Prepare the app and start Voilà in the background; return once it answers.

    The caller stops it with :meth:`App.stop` (by the PID this function started).
    Voilà's log goes to ``log`` when given, else to this process's terminal.

    Parameters
    ----------
    parameters : mapping, optional
        Parameter values, as for :func:`prepare`.
    port : int
        The port on 127.0.0.1 (0 picks a free one).
    cull_idle_s : int
        Seconds after which the kernel of a page closed is shut down.
    preheat : bool
        Keep one executed kernel ready per notebook.
    wait_s : float
        Seconds to wait for Voilà to answer.
    log : Path, optional
        A file Voilà's output is appended to.

    Returns
    -------
    App
        The app, served at :attr:`App.url`.

    Raises
    ------
    InputError
        Bad parameters, a port in use, or a culling time below 1 s.
    BpoAnalysisError
        Voilà did not answer within ``wait_s`` seconds (its log is named).
    """
    if cull_idle_s < 1:
        raise InputError("--cull-idle", cull_idle_s, "a whole number of seconds >= 1")
    port = _free_port(port)
    app = prepare(parameters)
    app.port = port
    out = open(log, "ab") if log else None  # None: Voilà logs to this terminal
    try:
        app.process = subprocess.Popen(voila_command(app, port, cull_idle_s=cull_idle_s,
                                                     preheat=preheat),
                                       env=_environment(app), stdout=out,
                                       stderr=subprocess.STDOUT if log else None,
                                       start_new_session=True)  # its own process group
    except BaseException:
        app.stop()
        raise
    finally:
        if out:
            out.close()
    try:  # Ctrl-C or SIGTERM while waiting stops it too
        _wait_until_served(app, wait_s, log)
    except BaseException:
        app.stop()
        raise
    return app


def _wait_until_served(app: App, wait_s: float, log: Path | None) -> None:
    """Return once the index page answers 200; raise if Voilà exits or is too slow."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise BpoAnalysisError(f"Voilà exited with code {app.process.returncode} before "
                                   f"serving {app.url}" + (f"; its log: {log}" if log else ""))
        with contextlib.suppress(OSError):
            with direct.open(app.url, timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.3)
    raise BpoAnalysisError(f"Voilà did not answer at {app.url} within {wait_s:.0f} s"
                           + (f"; its log: {log}" if log else ""))
