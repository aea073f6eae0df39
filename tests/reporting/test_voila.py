"""The live presentation (``bpo-analysis present``) in a real browser: Debian's Chromium
drives every dashboard served by Voilà, with every non-local request refused.

For each dashboard: the page opens on the numbers the package computes (its headless
twin: the same notebook's cells run in this process), a slider moved with the keyboard
moves the figures and the headline numbers to the package's numbers for the new value,
and nothing on screen is code. Screenshots are kept in reports/screenshots/ as artefacts.
"""

from __future__ import annotations

import pytest

from bpo_analysis import cli
from bpo_analysis.reporting import renderer, serve
from tests import voila_driver as drv
from tests.conftest import SHOTS, in_chromium

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
        steps = serve.steps()  # the decision summary first, then 00 .. 08
        names = [s.name for s in steps]
        assert names[0] == "09_decision_summary" and names[1:] == sorted(names[1:])
        assert links.count() == len(steps) == 10
        for i, s in enumerate(steps):
            assert links.nth(i).get_attribute("href") == s.path
            assert links.nth(i).locator(".bpo-step-title").inner_text() == s.title
        assert "What this step decides" not in page.inner_text("body")
        assert "**" not in page.inner_text("body") and "`" not in page.inner_text("body")
        page.screenshot(path=SHOTS / "voila_index.png", full_page=True)
    finally:
        page.close()


def test_present_cli_refuses_an_unknown_step(capsys):
    assert cli.main(["present", "99_nothing"]) == 2
    assert "one of ['00_client_profile'" in capsys.readouterr().err


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
