"""Shared fixtures: the sample client, one executed report of each notebook per language
(run in the background from the start of the session), and Debian's Chromium for the
real-browser tests."""

from __future__ import annotations

import atexit
import base64
import concurrent.futures as cf
import functools
import multiprocessing
import os
import shutil
import types
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
import pytest

from bpo_analysis import load_client

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
HK = ROOT / "data" / "hk_health"  # the second bundled client (a Hong Kong health insurer)
SHOTS = ROOT / "reports" / "screenshots"  # browser screenshots, kept as test artefacts


def _chromium() -> str:
    from tests.voila_driver import CHROMIUM

    return CHROMIUM


if not Path(_chromium()).exists() and os.environ.get("BPO_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"Chromium not found at {_chromium()}; `make test` installs it")

#: The MIME type of a plotly figure in a notebook's outputs.
PLOTLY = "application/vnd.plotly.v1+json"


def pytest_report_header(config: pytest.Config) -> str:
    """The versions the numbers depend on, at the top of every run's log (after ``make
    upgrade`` a failure is read next to what moved)."""
    from importlib import metadata

    names = ("numpy", "pandas", "scipy", "plotly", "babel", "duckdb", "papermill",
             "nbconvert", "ipykernel", "voila", "playwright")
    return "bpo-analysis stack: " + ", ".join(f"{n} {metadata.version(n)}" for n in names)


def _refused_in_fast_tests(what: str):
    def refuse(*_args, **_kwargs):
        raise RuntimeError(f"make test-fast starts no {what}: mark this test slow")
    return refuse


def pytest_configure(config: pytest.Config) -> None:
    """Under ``make test-fast`` (``BPO_TEST_FAST=1``) a kernel, a Voila server or a browser
    started by a test not marked ``slow`` fails it, so the inner loop stays fast."""
    if os.environ.get("BPO_TEST_FAST") != "1":
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner
    from playwright.sync_api import BrowserType

    from bpo_analysis.reporting import serve

    LocalProvisioner.launch_kernel = _refused_in_fast_tests("Jupyter kernel")
    BrowserType.launch = _refused_in_fast_tests("browser")
    # the server's own subprocess module only: serve.start may refuse before starting it
    serve.subprocess = types.SimpleNamespace(
        **{**vars(serve.subprocess), "Popen": _refused_in_fast_tests("Voila server")})


#: Marks a test that drives Chromium (skipped where there is none, outside `make test`).
in_chromium = pytest.mark.skipif(not Path(_chromium()).exists(),
                                 reason="Chromium not installed (make test installs it)")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (one per test module)."""
    from playwright.sync_api import sync_playwright

    from tests.voila_driver import ARGS

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=ARGS)
        yield b
        b.close()


def copy_sample(dest: Path) -> Path:
    """Copy data/sample's files to ``dest`` (not the generated raw records in records/)."""
    return Path(shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("records")))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh copy of data/sample that a test may break."""
    return copy_sample(tmp_path / "client")


def edit_text(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a text file, ``count`` times
    (-1: every occurrence)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture(scope="session")
def sample_client():
    """The bundled sample client, loaded once."""
    return load_client(SAMPLE)


@pytest.fixture(scope="module")
def records(sample_client):
    """Two months of raw interaction records (6,000 rows) from the sample's demand."""
    from bpo_analysis.data import sample

    return sample.interaction_records(sample_client.demand, rows=6_000, interval_minutes=30,
                                      months=2)


@pytest.fixture(scope="module")
def parquet(records, tmp_path_factory):
    """:func:`records` written as one Parquet file."""
    from bpo_analysis.data import sample

    return sample.write_records(records, tmp_path_factory.mktemp("rec") / "r.parquet")


#: Every report the tests read: fixture name -> (notebook, parameters beyond the sample's
#: client folder). Each runs once per language per test session (``<name>_zh`` in Chinese).
REPORTS = {
    "profile_report": ("00_client_profile", {}),
    "sourcing_report": ("01_sourcing_model", {}),
    "vendor_report": ("02_vendor_evaluation", {}),
    "pricing_report": ("03_pricing_tco", {}),
    "contract_report": ("04_contract_sla", {}),
    "review_report": ("05_performance_review", {"records_path": "<v02_parquet>"}),
    "roi_report": ("06_roi_review", {"actuals_file": str(SAMPLE / "roi_actuals.csv")}),
    "risk_report": ("07_risk_continuity", {}),
    "maturity_report": ("08_maturity", {}),
    "summary_report": ("09_decision_summary", {}),
}
ZH = "_zh"
#: The same notebooks run on the second bundled client (in English): ``<name>_hk``.
HK_REPORTS = {
    f"{key}_hk": (name, {"client_dir": str(HK), **(
        {"records_path": "<h03_parquet>"} if "records_path" in extra else {})})
    for key, (name, extra) in REPORTS.items()}
ALL_REPORTS = {**REPORTS, **HK_REPORTS}


def _report_keys(item: pytest.Item) -> list[str]:
    """The reports a collected test reads: fixtures it requests, and fixture names among
    its parameters (``request.getfixturevalue(fixture)``)."""
    names = list(item.fixturenames)
    for value in getattr(getattr(item, "callspec", None), "params", {}).values():
        names += list(value) if isinstance(value, tuple) else [value]
    return [n for n in names if isinstance(n, str) and n.removesuffix(ZH) in ALL_REPORTS]


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that reads a report (or drives Chromium) ``slow``."""
    for item in items:
        if _report_keys(item) or "browser" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note which reports the selected tests read, in the order they first need them."""
    wanted: dict[str, None] = {}
    for item in session.items:
        wanted.update(dict.fromkeys(_report_keys(item)))
    session.config.stash[_WANTED] = list(wanted)


_WANTED = pytest.StashKey[list]()


_FILES: list = []  # the pool worker's one browser, for the PDFs and decks of all its runs


def _execute(name: str, parameters: dict, output_dir: str):
    """One report run in a pool worker (a fresh process: nothing of pytest's state), in
    every format: the HTML the tests read, and the PDF, deck and workbook made from it."""
    from bpo_analysis.reporting import reports
    from bpo_analysis.reporting.deliverables import FORMATS, Options

    if not _FILES:
        _FILES.append(Options(FORMATS))
        atexit.register(_FILES[0].close)
    return reports.run_report(name, parameters, output_dir, files=_FILES[0])


class ReportRuns:
    """The reports the session's tests read, each run once per language on a pool of
    worker processes started with the session, so that they run while the other tests
    do and both cores stay busy. A test waits only for the report it reads; a failed run
    fails the tests that read it, with the run's error."""

    def __init__(self, out: Path, records: Callable[[str], Path], jobs: int = 2):
        self.out, self.records = out, records  # records: fixture name -> the Parquet file
        # spawn, not fork: pytest's process holds threads (Playwright, the Voila app)
        self.pool = cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
        self.futures: dict[str, cf.Future] = {}

    def submit(self, key: str) -> cf.Future:
        if os.environ.get("BPO_TEST_FAST") == "1":  # the pool's workers escape the guards
            _refused_in_fast_tests("report run")()
        if key not in self.futures:
            name, extra = ALL_REPORTS[key.removesuffix(ZH)]
            params = {"client_dir": str(SAMPLE),
                      **{k: str(self.records(v.strip("<>"))) if str(v).startswith("<") else v
                         for k, v in extra.items()}}
            if key.endswith(ZH):
                params["language"] = "zh-Hant"
            self.futures[key] = self.pool.submit(_execute, name, params, str(self.out / key))
        return self.futures[key]

    @functools.cache  # noqa: B019 -- one instance per session; the cache dies with it
    def get(self, key: str) -> tuple:
        """``(Report, executed notebook)`` of one run, waiting for it if needed."""
        report = self.submit(key).result()
        return report, nbformat.read(report.notebook, as_version=4)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session", autouse=True)
def report_runs(request, tmp_path_factory):
    """Starts, before the first test, every report run the chosen tests will read."""
    wanted = request.config.stash.get(_WANTED, [])
    for k in wanted:  # the records written before the runs that read them start
        records = ALL_REPORTS[k.removesuffix(ZH)][1].get("records_path")
        if records:
            request.getfixturevalue(records.strip("<>"))
    runs = ReportRuns(tmp_path_factory.mktemp("reports"), request.getfixturevalue)
    for key in wanted:
        runs.submit(key)
    yield runs
    runs.close()


def _report_fixture(key: str):
    def fixture(report_runs):
        return report_runs.get(key)

    name, _ = ALL_REPORTS[key.removesuffix(ZH)]
    lang = " in Traditional Chinese" if key.endswith(ZH) else ""
    who = "the second client (data/hk_health)" if key.removesuffix(ZH).endswith("_hk") else \
        "the sample"
    fixture.__doc__ = f"Notebook {name} run as a report on {who}{lang}: (report, notebook)."
    return pytest.fixture(scope="session", name=key)(fixture)


for _key in REPORTS:
    globals()[_key] = _report_fixture(_key)
    globals()[_key + ZH] = _report_fixture(_key + ZH)
for _key in HK_REPORTS:
    globals()[_key] = _report_fixture(_key)


def outputs_with(nb: nbformat.NotebookNode, mime: str) -> list:
    """Every output payload of the given MIME type, in cell order."""
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


def plotly_values(v) -> np.ndarray:
    """A trace array from figure JSON: a plain list, or plotly's base64 typed array
    (``{"dtype": "f8", "bdata": ..., "shape": "7, 48"}``) as plotly >= 6 writes numpy data."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        shape = v.get("shape")
        return arr.reshape([int(s) for s in str(shape).split(",")]) if shape else arr
    return np.asarray(v, dtype=float)


@pytest.fixture(scope="session")
def v02_records(sample_client):
    """Vendor V02's raw records for 2024-2025, as the sample's reports were computed from."""
    from bpo_analysis.data import sample

    return sample.vendor_records(sample_client.demand,
                                 growth=sample_client.scenario.volume_growth_annual)


@pytest.fixture(scope="session")
def hk_client():
    """The second bundled client: a Hong Kong health insurer (data/hk_health)."""
    return load_client(HK)


@pytest.fixture(scope="session")
def h03_records():
    """Its incumbent H03's raw records for 2024-2025, as its monthly reports were computed
    from (generated again by the package's generator, as ``make`` does)."""
    from bpo_analysis.data import sample

    return sample.incumbent_records(HK)


@pytest.fixture(scope="session")
def h03_parquet(h03_records, tmp_path_factory):
    """The same records written as Parquet, where notebook 05 reads them on data/hk_health."""
    from bpo_analysis.data import sample

    return sample.write_records(h03_records, tmp_path_factory.mktemp("records") / "H03.parquet")


@pytest.fixture(scope="session")
def v02_parquet(v02_records, tmp_path_factory):
    """The same records written as Parquet, where notebook 05 reads them."""
    from bpo_analysis.data import sample

    return sample.write_records(v02_records, tmp_path_factory.mktemp("records") / "V02.parquet")
