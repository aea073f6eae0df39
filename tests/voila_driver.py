"""Drive the live dashboards in Debian's Chromium (Playwright), and the same dashboards
headless in this process: shared by tests/reporting/test_voila.py and benchmarks/run.py.

The headless twin runs the cells of the very notebook Voilà serves (the app's
parameterised copy) in this process, so both sides start from the same parameters; the
dashboard functions are the package's (tests/widgets/test_widgets.py checks them against the
calculations).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")

# every live dashboard: (notebook, the slider a test or the benchmark moves)
DASHBOARDS = [("00_client_profile", "Months"),
              ("01_sourcing_model", "Volume (x today)"),
              ("02_vendor_evaluation", "Cost per contact"),
              ("03_pricing_tco", "Volume (x forecast)"),
              ("04_contract_sla", "At risk (of invoice)"),
              ("06_roi_review", "Discount rate (a year)"),
              ("07_risk_continuity", "Surge (x forecast volume)"),
              ("08_maturity", "Coaching")]

# JavaScript run in the page: the dashboard is the outermost widget box
_DASHBOARD = ("[...document.querySelectorAll('.widget-vbox')]"
              ".find(e => !e.parentElement.closest('.widget-vbox'))")
_STATE_JS = f"""() => {{
  const box = {_DASHBOARD};
  if (!box) return null;
  const arr = a => (a === undefined || a === null) ? null
      : Array.from(a, v => (v !== null && typeof v === 'object' && v.length !== undefined)
                           ? Array.from(v) : v);
  return {{
    figures: [...box.querySelectorAll('.js-plotly-plot')].map(
        el => (el.data || []).map(t => ({{x: arr(t.x), y: arr(t.y), z: arr(t.z),
                                          r: arr(t.r)}}))),
    texts: [...box.querySelectorAll('.widget-html-content')].map(e => e.innerText),
    cards: Object.fromEntries([...box.querySelectorAll('.bpo-card-value[data-key]')]
                              .map(e => [e.dataset.key, e.innerText.trim()])),
  }};
}}"""


def numbers(text: str) -> list[str]:
    """The numbers a text shows, in order (what a reader compares)."""
    return _NUMBER.findall(text)


# ------------------------------------------------------------------ the browser side
def open_page(browser, url: str, timeout_s: float = 240):
    """Open a Voilà page with every non-local request refused; wait until its
    dashboard's sliders and figures are drawn. ``page.bpo_errors``,
    ``page.bpo_blocked`` and ``page.bpo_requested`` collect page errors, refused requests
    and the local URLs requested."""
    return wait_ready(start_page(browser, url, timeout_s), timeout_s)


def start_page(browser, url: str, timeout_s: float = 240):
    """Start opening a Voilà page (every non-local request refused) and return as soon as
    the app answers: its kernel runs the notebook meanwhile, so the caller can compute in
    this process (the headless twin) while the app does; then :func:`wait_ready`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.bpo_errors, page.bpo_blocked, page.bpo_requested = [], [], []

    def only_local(route):
        if route.request.url.startswith(LOCAL):
            page.bpo_requested.append(route.request.url)
            route.continue_()
        else:
            page.bpo_blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("pageerror", lambda e: page.bpo_errors.append(str(e)))
    page.goto(url, timeout=timeout_s * 1000, wait_until="commit")
    return page


def wait_ready(page, timeout_s: float = 240):
    """Wait until a page :func:`start_page` opened has drawn its dashboard's sliders and
    figures; a cell that failed in the app fails here, with its message."""
    url = page.url
    failed = page.get_by_text("There was an error when executing cell")
    page.locator(".widget-slider .noUi-handle").first.or_(failed.first).wait_for(
        timeout=timeout_s * 1000)
    if failed.count():
        raise AssertionError(f"{url}: {failed.first.inner_text()} (see the Voilà log)")
    page.wait_for_function(f"() => {{ const b = {_DASHBOARD}; return b && "
                           f"b.querySelectorAll('.js-plotly-plot .main-svg').length > 0; }}",
                           timeout=timeout_s * 1000)
    return page


def state(page) -> dict:
    """The dashboard as the browser shows it: figure data, HTML texts, cards."""
    return page.evaluate(_STATE_JS)


def slider_handle(page, description: str):
    """The (first) handle of the slider labelled ``description``."""
    slider = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=description)).first
    return slider.locator(".noUi-handle").first


def press(page, description: str, key: str = "ArrowRight") -> float:
    """Move the slider one step with the keyboard; return the seconds until a figure of
    the dashboard shows new data (checked at every animation frame)."""
    before = page.evaluate(f"() => JSON.stringify(({_STATE_JS})().figures)")
    handle = slider_handle(page, description)
    handle.focus()
    t = time.perf_counter()
    handle.press(key)
    page.wait_for_function(f"before => JSON.stringify(({_STATE_JS})().figures) !== before",
                           arg=before, polling="raf", timeout=60_000)
    return time.perf_counter() - t


# ------------------------------------------------------------------ the headless twin
@contextlib.contextmanager
def _chdir(folder: Path) -> Iterator[None]:
    import os

    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def headless_dashboard(notebook: Path):
    """Run ``notebook``'s code cells in this process (cwd: its folder) and return the
    dashboard widget it displays last."""
    import IPython.display
    import ipywidgets as w

    shown = []

    def capture(*objs, **_kw):
        shown.extend(objs)

    nb = nbformat.read(notebook, as_version=4)
    ns = {"display": capture, "__name__": "__main__"}

    def run() -> None:
        with _chdir(notebook.parent):
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    exec(compile(cell.source, f"{notebook.name} cell {i}", "exec"), ns)

    real = IPython.display.display
    IPython.display.display = capture  # cells also import it from IPython.display
    try:  # in a copy of this context: the notebook's set_language stays in there
        contextvars.copy_context().run(run)
    finally:
        IPython.display.display = real
    boxes = [o for o in shown if isinstance(o, w.Box)]
    assert boxes, f"{notebook.name} displays no dashboard"
    return boxes[-1]


def control(dashboard, description: str):
    """The control labelled ``description``."""
    found = [c for c in dashboard.controls.values() if c.description == description]
    assert len(found) == 1, (description, [c.description for c in dashboard.controls.values()])
    return found[0]


def step_right(dashboard, description: str) -> None:
    """What ArrowRight does to a slider's (first) handle: one step up, within its range."""
    c = control(dashboard, description)
    if hasattr(c, "index") and isinstance(c.index, tuple):  # a selection range slider
        lo, hi = c.index
        c.index = (min(lo + 1, hi), hi)
    else:
        decimals = max(0, -int(np.floor(np.log10(c.step)))) + 6
        c.value = min(round(c.value + c.step, decimals), c.max)


def _walk(widget) -> Iterator:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def headless_state(dashboard) -> dict:
    """The same view of the headless dashboard as :func:`state` gives of the page."""
    import ipywidgets as w
    import plotly.graph_objects as go
    from bs4 import BeautifulSoup

    def arr(v):
        if v is None:
            return None
        return [list(r) if isinstance(r, (list, tuple, np.ndarray)) else r for r in v]

    widgets = list(_walk(dashboard))
    figures = [[{k: arr(getattr(t, k, None)) for k in ("x", "y", "z", "r")} for t in f.data]
               for f in widgets if isinstance(f, go.FigureWidget)]
    htmls = [x for x in widgets if isinstance(x, w.HTML)]
    texts = [BeautifulSoup(x.value, "html.parser").get_text(" ") for x in htmls]
    cards = {}
    for x in htmls:
        soup = BeautifulSoup(x.value, "html.parser")
        for el in soup.select(".bpo-card-value[data-key]"):
            cards[el["data-key"]] = el.get_text().strip()
    return {"figures": figures, "texts": texts, "cards": cards}


def _numeric(values) -> np.ndarray | None:
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return a


def differences(shown: dict, expected: dict) -> list[str]:
    """Where the page differs from the package: figure data (numeric arrays within
    1e-9, others equal), the numbers of every HTML text, every card."""
    out = []
    if len(shown["figures"]) != len(expected["figures"]):
        return [f"{len(shown['figures'])} figures shown, {len(expected['figures'])} expected"]
    for i, (fs, fe) in enumerate(zip(shown["figures"], expected["figures"], strict=True)):
        if len(fs) != len(fe):
            out.append(f"figure {i}: {len(fs)} traces shown, {len(fe)} expected")
            continue
        for j, (ts, te) in enumerate(zip(fs, fe, strict=True)):
            for k in ("x", "y", "z", "r"):
                a, b = ts.get(k), te.get(k)
                if a is None and b is None:
                    continue
                if _same_dates(a, b):
                    continue
                na, nb = _numeric(a), _numeric(b)
                if na is not None and nb is not None and na.shape == nb.shape:
                    if not np.allclose(na, nb, rtol=1e-9, atol=1e-12, equal_nan=True):
                        out.append(f"figure {i} trace {j} {k} differs")
                elif [str(v) for v in (a or [])] != [str(v) for v in (b or [])]:
                    out.append(f"figure {i} trace {j} {k}: {str(a)[:80]} != {str(b)[:80]}")
    s_numbers = [numbers(t) for t in shown["texts"]]
    e_numbers = [numbers(t) for t in expected["texts"]]
    if s_numbers != e_numbers:
        out.append(f"numbers in the texts: {s_numbers} != {e_numbers}")
    if shown["cards"] != expected["cards"]:
        out.append(f"cards: {shown['cards']} != {expected['cards']}")
    return out


def _same_dates(a, b) -> bool:
    """Dates sent as ISO strings by the browser and as datetimes here."""
    import pandas as pd

    if not (a and b and isinstance(a[0], str) and not isinstance(b[0], (int, float, str))):
        return False  # only ISO strings shown against dates sent

    def naive(v):  # the browser says UTC ("...Z"); plotly sent naive local times
        t = pd.to_datetime(pd.Series(v))
        return t.dt.tz_localize(None) if t.dt.tz is not None else t

    try:
        return len(a) == len(b) and bool((naive(a) == naive(b)).all())
    except (TypeError, ValueError):
        return False


def wait_until_equal(page, expected: dict, timeout_s: float = 60) -> list[str]:
    """Poll the page until it shows ``expected``; return the last differences (empty
    when it does)."""
    deadline = time.monotonic() + timeout_s
    while True:
        diff = differences(state(page), expected)
        if not diff or time.monotonic() > deadline:
            return diff
        page.wait_for_timeout(200)
