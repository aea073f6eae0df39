"""The live presentation (``bpo-analysis present``) in a real browser: Debian's Chromium
drives every dashboard served by Voilà, with every non-local request refused.

For each dashboard: the page opens on the numbers the package computes (its headless
twin: the same notebook's cells run in this process), a slider moved with the keyboard
moves the figures and the headline numbers to the package's numbers for the new value,
and nothing on screen is code. Screenshots are kept in reports/screenshots/ as artefacts.
"""

from __future__ import annotations

import html
import re
import socket
from pathlib import Path

import pytest

from bpo_analysis import cli
from bpo_analysis.errors import InputError
from bpo_analysis.reporting import renderer, serve
from tests import voila_driver as drv
from tests.conftest import ROOT, SHOTS, in_chromium

DASHBOARDS = drv.DASHBOARDS


@pytest.fixture(scope="module")
def app():
    SHOTS.mkdir(parents=True, exist_ok=True)
    a = serve.start(port=0, cull_idle_s=60, wait_s=120, log=SHOTS.parent / "voila-test.log")
    yield a
    a.stop()
    assert a.process.poll() is not None and not a.root.exists()


@pytest.mark.slow
@in_chromium
@pytest.mark.parametrize("name, slider", DASHBOARDS)
def test_dashboard_moves_to_the_package_numbers_in_the_browser(app, browser, name, slider):
    page = drv.start_page(browser, app.url_of(name))  # the app's kernel runs the notebook
    try:
        twin = drv.headless_dashboard(app.notebooks / f"{name}.ipynb")  # while this does
        drv.wait_ready(page)
        assert drv.wait_until_equal(page, drv.headless_state(twin)) == []
        before = drv.state(page)
        drv.press(page, slider)
        drv.step_right(twin, slider)
        expected = drv.headless_state(twin)
        assert drv.wait_until_equal(page, expected) == []
        after = drv.state(page)
        # the package's numbers for the new value are not the ones before: a real move
        assert any("figure" in d for d in drv.differences(before, expected))
        shown_numbers = (after["cards"], [drv.numbers(t) for t in after["texts"]])
        assert shown_numbers != (before["cards"], [drv.numbers(t) for t in before["texts"]])
        # no code on screen, nothing fetched from outside, no script error
        assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0
        assert page.bpo_blocked == [] and page.bpo_errors == []
        # the figures' front end came once, from the app (not inside every figure's state)
        assert page.bpo_requested.count(app.widget_module_url) == 1
        # the step bar marks this step
        assert page.locator(".bpo-nav a.bpo-current").get_attribute("data-step") == name
        page.screenshot(path=SHOTS / f"voila_{name}.png", full_page=True)
    finally:
        page.close()


@pytest.mark.slow
@in_chromium
def test_index_lists_the_steps_in_decision_order(app, browser):
    page = browser.new_page()
    try:
        page.goto(app.url)
        links = page.locator("ol.bpo-steps li a")
        steps = serve.steps()
        assert [s.name for s in steps] == sorted(s.name for s in steps)  # 00 .. 08
        assert links.count() == len(steps) == 9
        for i, s in enumerate(steps):
            assert links.nth(i).get_attribute("href") == s.path
            assert links.nth(i).locator(".bpo-step-title").inner_text() == s.title
        assert "What this step decides" not in page.inner_text("body")
        assert "**" not in page.inner_text("body") and "`" not in page.inner_text("body")
        page.screenshot(path=SHOTS / "voila_index.png", full_page=True)
    finally:
        page.close()


def test_steps_read_title_and_decision_from_each_notebook():
    steps = {s.name: s for s in serve.steps()}
    s = steps["03_pricing_tco"]
    assert s.title == "03 — Pricing and TCO: is this price reasonable?"
    assert s.short == "03 Pricing and TCO"
    assert s.summary.startswith("Every vendor's quote is billed on the same forecast")
    assert s.summary.endswith(".") and "**" not in s.summary
    assert s.dashboard and not steps["05_performance_review"].dashboard
    assert "`" not in steps["02_vendor_evaluation"].summary


def test_prepare_injects_parameters_where_declared():
    app = serve.prepare({"client_dir": "data/sample", "surge_multiplier": 3})
    try:
        import nbformat

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
        # relative defaults are made absolute: the copies live elsewhere
        assert f'records_path = "{(ROOT / "data/records/V02.parquet").resolve()}"' in inj5
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


@pytest.mark.parametrize("params, arg", [({"no_such": 1}, "parameter"),
                                         ({"surge_multiplier": "lots"},
                                          "parameter surge_multiplier"),
                                         ({"language": "zh-TW"}, "parameter language")])
def test_present_refuses_bad_parameters_before_starting(params, arg):
    with pytest.raises(InputError) as e:
        serve.prepare(params)
    assert e.value.argument == arg


def test_present_refuses_a_port_in_use_and_a_bad_cull_time():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(InputError, match="in use"):
            serve.start(port=port)
    for port in (70000, -1):
        with pytest.raises(InputError, match="1-65535"):
            serve.start(port=port)
    with pytest.raises(InputError, match="--cull-idle"):
        serve.start(port=0, cull_idle_s=0)


def test_present_cli_refuses_an_unknown_step(capsys):
    assert cli.main(["present", "99_nothing"]) == 2
    assert "one of ['00_client_profile'" in capsys.readouterr().err


def test_voila_command_binds_localhost_and_culls_kernels():
    app = serve.App(Path("/tmp/x"), [], {})
    cmd = serve.voila_command(app, 8899, cull_idle_s=300)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8899" in cmd and "--template=bpo" in cmd
    assert "--MappingKernelManager.cull_idle_timeout=300" in cmd
    assert "--MappingKernelManager.cull_interval=60" in cmd
    assert "--preheat_kernel=True" in serve.voila_command(app, 8899, preheat=True)
    assert "--Voila.port_retries=0" in cmd  # never another port than the one the app names


def test_figure_widgets_load_their_front_end_from_the_given_url():
    import plotly.graph_objects as go
    from plotly.basewidget import BaseFigureWidget

    before = BaseFigureWidget._esm
    try:
        renderer.use_widget_module("http://127.0.0.1:8899/voila/templates/bpo/static/x.js")
        assert go.FigureWidget()._esm == "http://127.0.0.1:8899/voila/templates/bpo/static/x.js"
        with pytest.raises(ValueError, match="http"):
            renderer.use_widget_module("/voila/templates/bpo/static/x.js")
    finally:
        BaseFigureWidget._esm = before
    assert len(go.FigureWidget()._esm) > 1_000_000  # the bundle itself again


def test_present_in_chinese_translates_the_pages_and_the_index():
    from bpo_analysis import i18n
    from bpo_analysis.reporting import cover

    app = serve.prepare({"language": "zh-Hant"})
    try:
        import nbformat

        nb = nbformat.read(app.notebooks / "03_pricing_tco.ipynb", as_version=4)
        assert cover.notebook_title(nb) == "03 — 價格與總持有成本：這個價格合理嗎？"
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        assert markdown == [i18n.translate_markdown(c.source, "zh-Hant") for c in
                            nbformat.read(serve.reports.NOTEBOOKS_DIR / "03_pricing_tco.ipynb",
                                          as_version=4).cells if c.cell_type == "markdown"]
        index = (app.root / "jupyter/voila/templates/bpo/bpo_index.html").read_text("utf-8")
        zh = {s.name: s for s in serve.steps("zh-Hant")}
        assert all(s.summary and re.search(r"[\u3400-\u9fff]", s.title + s.summary)
                   for s in zh.values())
        assert zh["03_pricing_tco"].short == "03 價格與總持有成本"
        for s in zh.values():
            assert html.escape(s.title) in index and html.escape(s.summary) in index
        with i18n.use_language("zh-Hant"):
            assert html.escape(i18n.term(serve._WORDS["live"])) in index
    finally:
        app.stop()
