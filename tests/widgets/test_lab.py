"""JupyterLab in Debian's Chromium: open a notebook, run all cells, move a slider of its
dashboard; the cards are HTML cards (not a JSON tree) and the dashboard shows the numbers
the package computes before and after the move. Runs on a parameterised copy of the
notebooks (``serve.prepare``), so nothing is saved into notebooks/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bpo_analysis.reporting import serve
from tests import voila_driver as drv
from tests.conftest import SHOTS, in_chromium

NAME, SLIDER = "07_risk_continuity", "Surge (x forecast volume)"

pytestmark = [pytest.mark.slow, in_chromium]


@pytest.fixture(scope="module")
def lab():
    app = serve.prepare()
    port = serve._free_port(0)
    config = Path(tempfile.mkdtemp(prefix="bpo-lab-config-"))
    (config / "labconfig").mkdir()
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
           f"--ServerApp.root_dir={app.notebooks}", "--ServerApp.disable_check_xsrf=True",
           "--allow-root"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open(SHOTS.parent / "lab-test.log", "wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start: reports/lab-test.log") from None
                time.sleep(0.5)
        yield url, app
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        app.stop()
        import shutil

        shutil.rmtree(config, ignore_errors=True)


#: What the notebook shows while "Run All" goes on: each code cell's prompt ("[ ]" not run,
#: "[*]" running or queued, "[n]" done), the error outputs and the dashboard's sliders.
_PROGRESS = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
  return {prompts, done: prompts.filter(p => /^\\[\\d+\\]:?$/.test(p)).length,
          errors: [...document.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.textContent.slice(0, 300)),
          sliders: document.querySelectorAll('.widget-slider .noUi-handle').length};
}"""
#: Every cell of the notebook done and a slider drawn. The run takes ~20 s on a quiet
#: 2-core machine; the bound allows the rest of the suite loading both cores, and only
#: waits that long when the cells are still running (an error ends the wait at once).
RUN_ALL_TIMEOUT_S = 300


def _wait_for_run_all(page) -> None:
    """Wait until every code cell ran and the dashboard's slider is drawn, or a cell
    failed; on failure say what the notebook showed (prompts, errors, sliders)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ready = (f"(() => {{ const s = ({_PROGRESS})(); return s.errors.length > 0 || "
             "(s.done === s.prompts.length && s.sliders > 0); })()")
    try:
        page.wait_for_function(ready, timeout=RUN_ALL_TIMEOUT_S * 1000, polling=500)
    except PlaywrightTimeout:
        pass
    seen = page.evaluate(_PROGRESS)
    page.screenshot(path=SHOTS / f"lab_{NAME}_run_all.png")
    assert seen["errors"] == [] and seen["done"] == len(seen["prompts"]) and seen["sliders"], (
        f"after Run All ({RUN_ALL_TIMEOUT_S} s at most): {seen['done']} of "
        f"{len(seen['prompts'])} cells done, prompts {seen['prompts']}, "
        f"{seen['sliders']} slider(s), errors {seen['errors']} "
        f"(screenshot reports/screenshots/lab_{NAME}_run_all.png)")


def test_run_all_then_move_a_slider_in_jupyterlab(lab, browser):
    url, app = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{url}/lab/tree/{NAME}.ipynb?reset", timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        _wait_for_run_all(page)
        page.wait_for_function("() => document.querySelectorAll("
                               "'.widget-vbox .js-plotly-plot .main-svg').length > 0",
                               timeout=60_000)
        # the headline cards are cards: the numbers' own MIME type is not a JSON tree
        assert page.locator(".jp-OutputArea-output .bpo-card-value").count() >= 8
        assert page.locator(".jp-RenderedJSON").count() == 0
        twin = drv.headless_dashboard(app.notebooks / f"{NAME}.ipynb")
        assert drv.wait_until_equal(page, drv.headless_state(twin)) == []
        before = drv.state(page)
        drv.press(page, SLIDER)
        drv.step_right(twin, SLIDER)
        assert drv.wait_until_equal(page, drv.headless_state(twin)) == []
        assert drv.state(page)["figures"] != before["figures"]
        page.screenshot(path=SHOTS / f"lab_{NAME}.png")
        assert errors == []
    finally:
        page.close()
