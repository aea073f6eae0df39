"""Shared fixtures: the sample client, one executed report of each notebook, and
Debian's Chromium for the real-browser tests."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from bpo_analysis import load_client

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SHOTS = ROOT / "reports" / "screenshots"  # browser screenshots, kept as test artefacts


def _chromium() -> str:
    from tests.voila_driver import CHROMIUM

    return CHROMIUM


if not Path(_chromium()).exists() and os.environ.get("BPO_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"Chromium not found at {_chromium()}; `make test` installs it")
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


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh copy of data/sample that a test may break."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "client"))


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


def _run(tmp_path_factory, name: str):
    """Run notebook ``name`` as a report on the sample data: (report, executed notebook)."""
    from bpo_analysis import reports

    report = reports.run_report(name, {"client_dir": str(SAMPLE)},
                                tmp_path_factory.mktemp(f"reports-{name[:2]}"))
    return report, nbformat.read(report.notebook, as_version=4)


@pytest.fixture(scope="session")
def profile_report(tmp_path_factory):
    """Notebook 00 run as a report (papermill + HTML export) on the sample data."""
    return _run(tmp_path_factory, "00_client_profile")


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
def sourcing_report(tmp_path_factory):
    """Notebook 01 run as a report on the sample data."""
    return _run(tmp_path_factory, "01_sourcing_model")


@pytest.fixture(scope="session")
def vendor_report(tmp_path_factory):
    """Notebook 02 run as a report on the sample data."""
    return _run(tmp_path_factory, "02_vendor_evaluation")


@pytest.fixture(scope="session")
def pricing_report(tmp_path_factory):
    """Notebook 03 run as a report on the sample data."""
    return _run(tmp_path_factory, "03_pricing_tco")


@pytest.fixture(scope="session")
def contract_report(tmp_path_factory):
    """Notebook 04 run as a report on the sample data."""
    return _run(tmp_path_factory, "04_contract_sla")


@pytest.fixture(scope="session")
def v02_records(sample_client):
    """Vendor V02's raw records for 2024-2025, as the sample's reports were computed from."""
    from bpo_analysis import sample

    return sample.vendor_records(sample_client.demand,
                                 growth=sample_client.scenario.volume_growth_annual)


@pytest.fixture(scope="session")
def v02_parquet(v02_records, tmp_path_factory):
    """The same records written as Parquet, where notebook 05 reads them."""
    from bpo_analysis import sample

    return sample.write_records(v02_records, tmp_path_factory.mktemp("records") / "V02.parquet")


@pytest.fixture(scope="session")
def review_report(tmp_path_factory, v02_parquet):
    """Notebook 05 run as a report on V02's sample records (December 2025)."""
    from bpo_analysis import reports

    report = reports.run_report("performance_review",
                                {"client_dir": str(SAMPLE), "records_path": str(v02_parquet)},
                                tmp_path_factory.mktemp("reports-05"))
    return report, nbformat.read(report.notebook, as_version=4)


@pytest.fixture(scope="session")
def roi_report(tmp_path_factory):
    """Notebook 06 run as a report on the sample business case and its six months of
    actuals."""
    from bpo_analysis import reports

    report = reports.run_report("roi_review", {"client_dir": str(SAMPLE),
                                               "actuals_file": str(SAMPLE / "roi_actuals.csv")},
                                tmp_path_factory.mktemp("reports-06"))
    return report, nbformat.read(report.notebook, as_version=4)


@pytest.fixture(scope="session")
def risk_report(tmp_path_factory):
    """Notebook 07 run as a report on the sample register and continuity assumptions."""
    return _run(tmp_path_factory, "07_risk_continuity")


@pytest.fixture(scope="session")
def maturity_report(tmp_path_factory):
    """Notebook 08 run as a report on the sample maturity answers."""
    return _run(tmp_path_factory, "08_maturity")
