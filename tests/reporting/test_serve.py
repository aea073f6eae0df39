"""The live presentation without a server or a browser: the app folder
(:mod:`bpo_analysis.reporting.app`), the steps its index lists, the Voilà command line and
environment, and what ``serve.start`` refuses before it starts anything
(:mod:`bpo_analysis.reporting.serve`). In a browser: tests/reporting/test_voila.py."""

from __future__ import annotations

import html
import os
import re
import socket
import tempfile
from pathlib import Path

import nbformat
import pytest

from bpo_analysis import i18n
from bpo_analysis.errors import InputError
from bpo_analysis.reporting import app as app_folder
from bpo_analysis.reporting import catalog, cover, renderer, serve
from tests.conftest import ROOT


@pytest.fixture
def prepared():
    """The app folder prepared with the defaults; removed afterwards."""
    a = serve.prepare()
    yield a
    a.stop()


def test_steps_read_title_and_decision_from_each_notebook():
    steps = {s.name: s for s in serve.steps()}
    names = catalog.list_notebooks()  # the decision summary opens the index
    assert list(steps) == ["09_decision_summary", *names[:-1]] and names[-1] in steps
    assert steps["09_decision_summary"].summary.startswith("What to recommend to the client")
    s = steps["03_pricing_tco"]
    assert s.title == "03 — Pricing and TCO: is this price reasonable?"
    assert s.short == "03 Pricing and TCO"
    assert s.summary.startswith("Every vendor's quote is billed on the same forecast")
    assert s.summary.endswith(".") and "**" not in s.summary
    assert s.dashboard and not steps["05_performance_review"].dashboard
    assert "`" not in steps["02_vendor_evaluation"].summary


def test_a_step_s_number_short_name_and_page():
    s = serve.Step("07_risk_continuity", "07 — Risk and continuity: what if volume doubles?",
                   "", True)
    assert (s.number, s.short, s.path) == (
        "07", "07 Risk and continuity", "/voila/render/07_risk_continuity.ipynb")
    assert serve.Step("03_x", "03 — 價格：合理嗎？", "", False).short == "03 價格"


def test_prepare_injects_parameters_where_declared():
    app = serve.prepare({"client_dir": "data/sample", "surge_multiplier": 3})
    try:
        nb7 = nbformat.read(app.notebooks / "07_risk_continuity.ipynb", as_version=4)
        injected = [c.source for c in nb7.cells
                    if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1
        assert f'client_dir = "{(Path.cwd() / "data/sample").resolve()}"' in injected[0]
        assert "surge_multiplier = 3.0" in injected[0] and "show_widgets = True" in injected[0]
        nb5 = nbformat.read(app.notebooks / "05_performance_review.ipynb", as_version=4)
        inj5 = next(c.source for c in nb5.cells
                    if "injected-parameters" in c.metadata.get("tags", []))
        assert "surge_multiplier" not in inj5  # 05 does not declare it
        # relative defaults are made absolute: the copies live elsewhere; the records are
        # the client folder's (an empty default, nothing to resolve)
        assert f'client_dir = "{(ROOT / "data/sample").resolve()}"' in inj5
        assert "records_path" not in inj5
        template = app.root / "jupyter/voila/templates/bpo"
        assert (template / "bpo_index.html").exists()
        assert (template / "static" / serve.WIDGET_MODULE).read_bytes() == \
            renderer.widget_bundle().read_bytes()
        env = serve._environment(app)
        assert env[serve.WIDGET_MODULE_ENV] == app.widget_module_url
        assert app.widget_module_url.startswith("http://127.0.0.1:")
    finally:
        app.stop()
    assert not app.root.exists()


def test_the_app_folder_holds_every_notebook_the_start_up_and_the_pages(prepared):
    assert sorted(p.stem for p in prepared.notebooks.glob("*.ipynb")) == \
        catalog.list_notebooks()
    names = catalog.list_notebooks()
    assert prepared.parameters == {} and [s.name for s in prepared.steps] == \
        [names[-1], *names[:-1]]  # the summary first
    startup = (prepared.root / "ipython/profile_default/startup/00-bpo-analysis.py").read_text()
    assert "renderer.use(os.environ.get('BPO_ANALYSIS_WIDGET_MODULE'))" in startup
    template = prepared.root / "jupyter/voila/templates/bpo"
    index = (template / "bpo_index.html").read_text(encoding="utf-8")
    nav = (template / "bpo_nav.html").read_text(encoding="utf-8")
    assert index.startswith("{% raw %}") and index.endswith("{% endraw %}")
    for s in prepared.steps:
        assert f'href="{s.path}"' in index and f'data-step="{s.name}"' in nav
        assert html.escape(s.title) in index and html.escape(s.short) in nav
    assert index.count("Live dashboard.") == sum(s.dashboard for s in prepared.steps)
    assert "every notebook’s defaults" in index  # no parameters given: the sample's


def test_the_index_lists_the_parameters_given(tmp_path):
    app = serve.prepare({"surge_multiplier": 3, "client_dir": str(tmp_path / "c<lient>")})
    try:
        index = (app.root / "jupyter/voila/templates/bpo/bpo_index.html").read_text("utf-8")
    finally:
        app.stop()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", index)
    assert rows == [("client_dir", html.escape(str(tmp_path / "c<lient>"))),
                    ("surge_multiplier", "3")]  # sorted, escaped, as given


@pytest.mark.parametrize("params, arg", [({"no_such": 1}, "parameter"),
                                         ({"surge_multiplier": "lots"},
                                          "parameter surge_multiplier"),
                                         ({"language": "zh-TW"}, "parameter language")])
def test_present_refuses_bad_parameters_before_starting(params, arg, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where an app folder would be made
    monkeypatch.setattr(tempfile, "tempdir", None)
    with pytest.raises(InputError) as e:
        serve.prepare(params)
    assert e.value.argument == arg
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_present_in_chinese_translates_the_pages_and_the_index():
    app = serve.prepare({"language": "zh-Hant"})
    try:
        nb = nbformat.read(app.notebooks / "03_pricing_tco.ipynb", as_version=4)
        assert cover.notebook_title(nb) == "03 — 價格與總持有成本：這個價格合理嗎？"
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        assert markdown == [i18n.translate_markdown(c.source, "zh-Hant") for c in
                            nbformat.read(catalog.NOTEBOOKS_DIR / "03_pricing_tco.ipynb",
                                          as_version=4).cells if c.cell_type == "markdown"]
        index = (app.root / "jupyter/voila/templates/bpo/bpo_index.html").read_text("utf-8")
        zh = {s.name: s for s in serve.steps("zh-Hant")}
        assert all(s.summary and re.search(r"[\u3400-\u9fff]", s.title + s.summary)
                   for s in zh.values())
        assert zh["03_pricing_tco"].short == "03 價格與總持有成本"
        for s in zh.values():
            assert html.escape(s.title) in index and html.escape(s.summary) in index
        with i18n.use_language("zh-Hant"):
            assert html.escape(i18n.term(app_folder._WORDS["live"])) in index
    finally:
        app.stop()


# ------------------------------------------------------------------ the app's addresses
def test_the_app_s_addresses_are_on_localhost_at_its_port():
    app = serve.App(Path("/tmp/x"), [], {}, port=8899)
    assert app.url == "http://127.0.0.1:8899/"
    assert app.url_of("03") == app.url_of("pricing_tco") == \
        "http://127.0.0.1:8899/voila/render/03_pricing_tco.ipynb"
    assert app.widget_module_url == \
        "http://127.0.0.1:8899/voila/templates/bpo/static/plotly-widget.js"
    with pytest.raises(InputError):
        app.url_of("99")


def test_stop_without_a_server_removes_the_folder(prepared):
    assert prepared.process is None and prepared.root.is_dir()
    prepared.stop()
    assert not prepared.root.exists()
    prepared.stop()  # twice: nothing left to do


# ------------------------------------------------------------------ the Voilà command
def test_voila_command_binds_localhost_and_culls_kernels():
    app = serve.App(Path("/tmp/x"), [], {})
    cmd = serve.voila_command(app, 8899, cull_idle_s=300)
    assert cmd[1:4] == ["-m", "voila", "/tmp/x/notebooks"]
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8899" in cmd and "--template=bpo" in cmd
    assert "--MappingKernelManager.cull_idle_timeout=300" in cmd
    assert "--MappingKernelManager.cull_interval=60" in cmd
    assert "--preheat_kernel=True" in serve.voila_command(app, 8899, preheat=True)
    assert "--preheat_kernel=True" not in cmd
    assert "--Voila.port_retries=0" in cmd  # never another port than the one the app names
    assert "--MappingKernelManager.cull_interval=1" in serve.voila_command(app, 1, cull_idle_s=1)


def test_voila_runs_with_the_app_s_template_start_up_and_widget_module(monkeypatch):
    app = serve.App(Path("/srv/app"), [], {}, port=8899)
    monkeypatch.setenv("PLOTLY_RENDERER", "browser")
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    env = serve._environment(app)
    assert env["JUPYTER_PATH"] == os.pathsep.join(["/srv/app/jupyter", "/elsewhere"])
    assert env["IPYTHONDIR"] == "/srv/app/ipython" and "PLOTLY_RENDERER" not in env
    assert env["BPO_ANALYSIS_WIDGET_MODULE"] == app.widget_module_url
    monkeypatch.delenv("JUPYTER_PATH")
    assert serve._environment(app)["JUPYTER_PATH"] == "/srv/app/jupyter"


def test_present_refuses_a_port_in_use_and_a_bad_cull_time():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(InputError, match="in use"):
            serve.start(port=port)
    for port in (70000, -1, True):
        with pytest.raises(InputError, match="1-65535"):
            serve.start(port=port)
    with pytest.raises(InputError, match="--cull-idle"):
        serve.start(port=0, cull_idle_s=0)
    free = serve._free_port(0)
    assert 0 < free <= 65535 and serve._free_port(free) == free
