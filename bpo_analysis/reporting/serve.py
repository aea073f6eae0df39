"""Present the notebooks live as a Voilà app: no code on screen, on 127.0.0.1 only.

``bpo-analysis present [NAME] [-p key value ...]`` (and ``make present``) prepares an app
folder and runs Voilà on it:

* every notebook, with the given parameters injected the way papermill injects them (a
  parameter goes to the notebooks that declare it; unknown names and wrong types are
  refused before anything starts), path defaults made absolute, ``show_widgets`` on, and
  the markdown in the ``language`` parameter's language;
* a Voilà template, ``bpo`` (the lab template with a step bar on every page, one theme,
  and no request to a CDN, so a consultant can present with no network), and an index
  page that lists the steps in decision order with what each decides;
* kernel culling: the kernel of a page closed for ``cull_idle_s`` seconds is shut down
  (an open page keeps its kernel however long the discussion lasts).

Figures render with :mod:`bpo_analysis.reporting.renderer` (plotly.js inlined in the page, no CDN),
set by an IPython start-up file of the app; the dashboards' ``FigureWidget`` objects
render through anywidget, their front end served once by the app
(:func:`bpo_analysis.reporting.renderer.use_widget_module`).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from bpo_analysis import i18n
from bpo_analysis.errors import BpoAnalysisError, InputError
from bpo_analysis.i18n import N_, term
from bpo_analysis.reporting import renderer, reports
from bpo_analysis.reporting.parameters import absolute, is_path

__all__ = ["App", "Step", "prepare", "start", "steps", "voila_command"]

TEMPLATE_DIR = reports.TEMPLATES_DIR / "voila" / "bpo"
WIDGET_MODULE = "plotly-widget.js"  # plotly's widget bundle, served by the app
WIDGET_MODULE_ENV = "BPO_ANALYSIS_WIDGET_MODULE"  # its URL, read by the kernels' start-up
HOST = "127.0.0.1"
# "What this step decides." in bold, in every report language (en, zh-Hant)
_DECIDES = re.compile(r"\*\*(?:What this step decides\.|這一步決定什麼。)\*\*\s*(.+?)"
                      r"(?:\n\s*\n|$)", re.S)


@dataclass(frozen=True)
class Step:
    """One notebook of the decision, as the index shows it."""

    name: str  # file stem, e.g. "03_pricing_tco"
    title: str  # its "# " heading
    summary: str  # the first sentence of "What this step decides."
    dashboard: bool  # has a live dashboard (declares show_widgets)

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def short(self) -> str:
        """The step's name for the step bar: its title up to the colon, "03 Pricing and TCO"."""
        head = re.split("[:：]", self.title, maxsplit=1)[0].split("—", 1)[-1].strip()
        return f"{self.number} {head}"

    @property
    def path(self) -> str:
        """The page's path on the server."""
        return f"/voila/render/{self.name}.ipynb"


_MARKUP = re.compile(r"\*\*|\*|`")


def _first_sentence(text: str) -> str:
    """The first sentence of a markdown paragraph, as plain text."""
    text = _MARKUP.sub("", " ".join(text.split()))
    m = re.match(r"(.+?(?:[.!?](?=\s|$)|[。！？]))", text)
    return m.group(1) if m else text


def steps(language: str = "en") -> list[Step]:
    """The report notebooks in decision order, with their titles and what each decides
    (in ``language``, ``""`` meaning the ``BPO_ANALYSIS_LANGUAGE`` environment variable)."""
    out = []
    for name in reports.list_notebooks():
        nb = i18n.translate_notebook(
            nbformat.read(reports.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4), language)
        md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        title = next((ln[2:].strip() for ln in md.splitlines() if ln.startswith("# ")), name)
        m = _DECIDES.search(md)
        params = {p.name for p in reports.notebook_parameters(name)}
        out.append(Step(name, title, _first_sentence(m.group(1)) if m else "",
                        "show_widgets" in params))
    return out


def _notebook_parameters(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """What to inject into one notebook: the given parameters it declares (checked and
    typed), its relative path defaults made absolute, and the dashboard switched on."""
    declared = {p.name: p for p in reports.notebook_parameters(name)}
    mine = {k: v for k, v in given.items() if k in declared}
    out = reports.resolve_parameters(name, mine)
    for p in declared.values():  # a default is read against the notebook's folder
        if p.name not in out and is_path(p.name, p.default):
            out[p.name] = absolute(p.name, p.default, reports.NOTEBOOKS_DIR)
    if "show_widgets" in declared and "show_widgets" not in mine:
        out["show_widgets"] = True
    return out


@dataclass
class App:
    """A prepared presentation: the folder Voilà serves and what it shows."""

    root: Path  # temporary folder: notebooks/, jupyter/voila/templates/bpo/, ipython/
    steps: list[Step]
    parameters: dict[str, Any]
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def url(self) -> str:
        """The index page."""
        return f"http://{HOST}:{self.port}/"

    @property
    def widget_module_url(self) -> str:
        """Where the pages load the figures' front end from (see
        :func:`bpo_analysis.reporting.renderer.use_widget_module`)."""
        return f"http://{HOST}:{self.port}/voila/templates/bpo/static/{WIDGET_MODULE}"

    def url_of(self, name: str) -> str:
        """The page of one step (a unique prefix such as "03" or the name without its
        number, as for ``bpo-analysis report``)."""
        stem = reports._path(name).stem
        return f"http://{HOST}:{self.port}/voila/render/{stem}.ipynb"

    def stop(self) -> None:
        """Stop the Voilà server this app started and its kernels (by the process group
        of the PID it started: Voilà leads its own) and remove the folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # Voilà shuts its kernels down
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # kernels included
                self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


#: The index page's words (shown with :func:`~bpo_analysis.i18n.term`, in the app's language)
_WORDS = {"live": N_("Live dashboard."), "parameters": N_("Parameters"),
          "defaults": N_("The sample client, every notebook’s defaults."),
          "context": N_("the decision, step by step"),
          "heading": N_("Outsourcing the contact centre: the decision, step by step")}


def _index_html(app_steps: list[Step], parameters: Mapping[str, Any]) -> str:
    w = {key: html.escape(term(text)) for key, text in _WORDS.items()}
    items = "".join(
        f'<li><a href="{s.path}"><div class="bpo-step-title">{html.escape(s.title)}</div>'
        f'<div class="bpo-step-summary">{html.escape(s.summary)}'
        f"{' ' + w['live'] if s.dashboard else ''}</div></a></li>" for s in app_steps)
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                   for k, v in sorted(parameters.items()))
    given = (f'<table class="bpo-params"><caption>{w["parameters"]}</caption>{rows}</table>'
             if rows else f"<p class='bpo-step-summary'>{w['defaults']}</p>")
    return ('<nav class="bpo-nav"><span class="bpo-brand">bpo-analysis</span>'
            f'<span class="bpo-context">{w["context"]}</span></nav>'
            f'<h1>{w["heading"]}</h1>{given}<ol class="bpo-steps">{items}</ol>')


def _nav_html(app_steps: list[Step]) -> str:
    links = "".join(f'<a class="bpo-step" href="{s.path}" data-step="{s.name}">'
                    f"{html.escape(s.short)}</a>" for s in app_steps)
    mark = ("<script>for (const a of document.querySelectorAll('.bpo-nav a.bpo-step'))"
            "{if (location.pathname.endsWith('/' + a.dataset.step + '.ipynb'))"
            "{a.classList.add('bpo-current');}}</script>")
    return f'<nav class="bpo-nav"><a class="bpo-brand" href="/">bpo-analysis</a>{links}</nav>{mark}'


def _raw(fragment: str) -> str:
    """A fragment Voilà's Jinja includes as it is."""
    return "{% raw %}" + fragment + "{% endraw %}"


def prepare(parameters: Mapping[str, Any] | None = None) -> App:
    """Write the app folder: parameterised notebooks, the template, the index; the
    notebooks' text, the index and the step bar in the ``language`` parameter's language
    (``""`` or none: the ``BPO_ANALYSIS_LANGUAGE`` environment variable, else English).

    Raises
    ------
    InputError
        A parameter no notebook declares, or a value of the wrong type (nothing written).
    """
    given = dict(parameters or {})
    directory = reports.NOTEBOOKS_DIR
    names = reports.list_notebooks()
    declared = set().union(*({p.name for p in reports.notebook_parameters(n)} for n in names))
    for key in given:
        if key not in declared:
            raise InputError("parameter", key, f"one of {sorted(declared)}")
    injected = {n: _notebook_parameters(n, given) for n in names}  # language checked here
    root = Path(tempfile.mkdtemp(prefix="bpo-present-"))
    try:
        with i18n.use_language(given.get("language", "")) as lang:
            app_steps = steps(lang)
            index, nav = _index_html(app_steps, given), _nav_html(app_steps)
        (root / "notebooks").mkdir()
        for n in names:
            nb = load_notebook_node(str(directory / f"{n}.ipynb"))  # as papermill reads it
            nb = parameterize_notebook(i18n.translate_notebook(nb, lang), injected[n],
                                       kernel_name="python3")
            nbformat.write(nb, root / "notebooks" / f"{n}.ipynb")
        if (directory / "images").is_dir():
            (root / "notebooks" / "images").symlink_to((directory / "images").resolve())
        startup = root / "ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-bpo-analysis.py").write_text(
            "import os\nfrom bpo_analysis.reporting import renderer\n"
            f"renderer.use(os.environ.get({WIDGET_MODULE_ENV!r}))\n", encoding="utf-8")
        template = root / "jupyter" / "voila" / "templates" / "bpo"
        shutil.copytree(TEMPLATE_DIR, template)
        (template / "static").mkdir(exist_ok=True)
        shutil.copyfile(renderer.widget_bundle(), template / "static" / WIDGET_MODULE)
        (template / "bpo_index.html").write_text(_raw(index), encoding="utf-8")
        (template / "bpo_nav.html").write_text(_raw(nav), encoding="utf-8")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return App(root, app_steps, given)


def voila_command(app: App, port: int, *, cull_idle_s: int = 600, preheat: bool = False,
                  ) -> list[str]:
    """The Voilà command line serving ``app`` on 127.0.0.1:``port``."""
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
