"""The Voilà app's folder: the parameterised notebooks, the template, the index and step bar.

:func:`prepare` writes it (:mod:`bpo_analysis.reporting.serve` runs Voilà on it):

* every notebook, with the given parameters injected the way papermill injects them (a
  parameter goes to the notebooks that declare it; unknown names and wrong types are
  refused before anything starts), path defaults made absolute, ``show_widgets`` on, and
  the markdown in the ``language`` parameter's language;
* a Voilà template, ``bpo`` (the lab template with a step bar on every page, one theme,
  and no request to a CDN, so a consultant can present with no network), and an index
  page that lists the steps in decision order with what each decides;
* an IPython start-up file that makes figures render with
  :mod:`bpo_analysis.reporting.renderer` (plotly.js inlined in the page, no CDN), and
  the dashboards' ``FigureWidget`` front end, served once by the app
  (:func:`bpo_analysis.reporting.renderer.use_widget_module`).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from bpo_analysis import i18n
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, term
from bpo_analysis.reporting import catalog, renderer, reports
from bpo_analysis.reporting.parameters import absolute, is_path

__all__ = ["HOST", "WIDGET_MODULE", "WIDGET_MODULE_ENV", "App", "Step", "prepare", "steps"]

TEMPLATE_DIR = reports.TEMPLATES_DIR / "voila" / "bpo"
WIDGET_MODULE = "plotly-widget.js"  # plotly's widget bundle, served by the app
WIDGET_MODULE_ENV = "BPO_ANALYSIS_WIDGET_MODULE"  # its URL, read by the kernels' start-up
HOST = "127.0.0.1"
# "What this step decides." in bold, in every report language (en, zh-Hant)
_DECIDES = re.compile(r"\*\*(?:What this step decides\.|這一步決定什麼。)\*\*\s*(.+?)"
                      r"(?:\n\s*\n|$)", re.S)


@dataclass(frozen=True)
class Step:
    """One notebook of the decision, as the index shows it.

    Attributes
    ----------
    name : str
        The file stem, e.g. ``"03_pricing_tco"``.
    title : str
        Its ``# `` heading.
    summary : str
        The first sentence of "What this step decides." (empty when it has none).
    dashboard : bool
        Whether it has a live dashboard (declares ``show_widgets``).
    """

    name: str  # file stem, e.g. "03_pricing_tco"
    title: str  # its "# " heading
    summary: str  # the first sentence of "What this step decides."
    dashboard: bool  # has a live dashboard (declares show_widgets)

    @property
    def number(self) -> str:
        """The step's number, e.g. ``"03"``."""
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
    """Return the first sentence of a markdown paragraph, as plain text."""
    text = _MARKUP.sub("", " ".join(text.split()))
    m = re.match(r"(.+?(?:[.!?](?=\s|$)|[。！？]))", text)
    return m.group(1) if m else text


def steps(language: str = "en") -> list[Step]:
    """Return the report notebooks, the summary first, with their titles and what each decides.

    Parameters
    ----------
    language : str
        The language of the titles and summaries (``""``: the ``BPO_ANALYSIS_LANGUAGE``
        environment variable).

    Returns
    -------
    list of Step
        One per notebook.
    """
    out = []
    names = catalog.list_notebooks()  # the decision summary opens the index
    for name in sorted(names, key=lambda n: n.split("_", 1)[-1] != "decision_summary"):
        nb = i18n.translate_notebook(
            nbformat.read(catalog.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4), language)
        md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        title = next((ln[2:].strip() for ln in md.splitlines() if ln.startswith("# ")), name)
        m = _DECIDES.search(md)
        params = {p.name for p in catalog.notebook_parameters(name)}
        out.append(Step(name, title, _first_sentence(m.group(1)) if m else "",
                        "show_widgets" in params))
    return out


def _notebook_parameters(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Return what to inject into one notebook.

    The given parameters it declares (checked and typed), its relative path defaults
    made absolute, and the dashboard switched on.
    """
    declared = {p.name: p for p in catalog.notebook_parameters(name)}
    mine = {k: v for k, v in given.items() if k in declared}
    out = catalog.resolve_parameters(name, mine)
    for p in declared.values():  # a default is read against the notebook's folder
        if p.name not in out and is_path(p.name, p.default):
            out[p.name] = absolute(p.name, p.default, catalog.NOTEBOOKS_DIR)
    if "show_widgets" in declared and "show_widgets" not in mine:
        out["show_widgets"] = True
    if "report_links" in declared and "report_links" not in mine:
        out["report_links"] = ".ipynb"  # the summary links to the app's pages, not files
    return out


@dataclass
class App:
    """A prepared presentation: the folder Voilà serves and what it shows.

    Attributes
    ----------
    root : Path
        A temporary folder: ``notebooks/``, ``jupyter/voila/templates/bpo/``,
        ``ipython/``.
    steps : list of Step
        The steps, as the index lists them.
    parameters : dict
        The parameters given.
    port : int
        The port on 127.0.0.1 (0 until started).
    process : subprocess.Popen or None
        The Voilà server, once started.
    """

    root: Path  # temporary folder: notebooks/, jupyter/voila/templates/bpo/, ipython/
    steps: list[Step]
    parameters: dict[str, Any]
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def notebooks(self) -> Path:
        """The folder of the parameterised notebooks Voilà serves."""
        return self.root / "notebooks"

    @property
    def url(self) -> str:
        """The index page."""
        return f"http://{HOST}:{self.port}/"

    @property
    def widget_module_url(self) -> str:
        """Where the pages load the figures' front end from.

        See :func:`bpo_analysis.reporting.renderer.use_widget_module`.
        """
        return f"http://{HOST}:{self.port}/voila/templates/bpo/static/{WIDGET_MODULE}"

    def url_of(self, name: str) -> str:
        """Return the address of one step's page.

        Parameters
        ----------
        name : str
            The step: a unique prefix such as "03" or the name without its number, as
            for ``bpo-analysis report``.

        Returns
        -------
        str
            The page's URL.

        Raises
        ------
        InputError
            No notebook, or more than one, is named so.
        """
        stem = catalog.notebook_path(name).stem
        return f"http://{HOST}:{self.port}/voila/render/{stem}.ipynb"

    def stop(self) -> None:
        """Stop the Voilà server this app started and its kernels, and remove the folder.

        The kernels are stopped by the process group of the PID it started (Voilà leads
        its own).
        """
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
    """Return the index page's body: the steps in order and the parameters given."""
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
    """Return the step bar on every page, the current step marked by a script."""
    links = "".join(f'<a class="bpo-step" href="{s.path}" data-step="{s.name}">'
                    f"{html.escape(s.short)}</a>" for s in app_steps)
    mark = ("<script>for (const a of document.querySelectorAll('.bpo-nav a.bpo-step'))"
            "{if (location.pathname.endsWith('/' + a.dataset.step + '.ipynb'))"
            "{a.classList.add('bpo-current');}}</script>")
    return f'<nav class="bpo-nav"><a class="bpo-brand" href="/">bpo-analysis</a>{links}</nav>{mark}'


def _raw(fragment: str) -> str:
    """Return a fragment Voilà's Jinja includes as it is."""
    return "{% raw %}" + fragment + "{% endraw %}"


def prepare(parameters: Mapping[str, Any] | None = None) -> App:
    """Write the app folder: parameterised notebooks, the template, the index.

    The notebooks' text, the index and the step bar are in the ``language`` parameter's
    language (``""`` or none: the ``BPO_ANALYSIS_LANGUAGE`` environment variable, else
    English).

    Parameters
    ----------
    parameters : mapping, optional
        Parameter values, each for the notebooks that declare it.

    Returns
    -------
    App
        The prepared app (not started); :meth:`App.stop` removes its folder.

    Raises
    ------
    InputError
        A parameter no notebook declares, or a value of the wrong type (nothing written).
    """
    given = dict(parameters or {})
    directory = catalog.NOTEBOOKS_DIR
    names = catalog.list_notebooks()
    declared = set().union(*({p.name for p in catalog.notebook_parameters(n)} for n in names))
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
