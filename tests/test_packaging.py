"""Set-up files agree with each other and the docs agree with the schema."""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import metadata

import pytest
import yaml
from pydantic import BaseModel

from bpo_analysis.data import io
from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", re.M)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_lock_pins_every_dependency_of_every_extra_exactly():
    project = _project()
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("notebooks", "test", "bench", "dev"):
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    lock = LOCK.read_text()
    pinned = {name.lower() for name, _version in PINNED.findall(lock)}
    assert wanted - pinned == set(), "pyproject.toml names packages the lock does not pin"
    assert "uv pip compile pyproject.toml --all-extras" in lock, "the lock is uv's output"
    lines = [ln for ln in lock.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert all(PINNED.match(ln) for ln in lines), "every line of the lock is an exact pin"


def test_the_lock_was_resolved_from_this_pyproject():
    """make lock records pyproject.toml's hash: an edit without a new lock is caught."""
    recorded = re.findall(r"^# resolved from pyproject.toml sha256 ([0-9a-f]{64})$",
                          LOCK.read_text(), re.M)
    current = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    assert recorded == [current], "pyproject.toml changed since the lock: run make lock"


def test_installed_versions_are_the_locked_ones():
    """The venv the suite runs in is the lock (make test syncs it): a version that moved
    is named here, before any test it would break."""
    lock = PINNED.findall(LOCK.read_text())
    versions: dict[str, set[str]] = {}
    for name, version in lock:
        versions.setdefault(name.lower(), set()).add(version)
    for name in ("pandas", "numpy", "plotly", "babel", "papermill", "nbconvert", "ipykernel",
                 "jupyter-client", "duckdb", "pydantic", "scipy"):
        assert metadata.version(name) in versions[name], (
            f"{name} {metadata.version(name)} is installed; the lock says {versions[name]}")


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert conda == ["python=3.11", "pip"], "conda gives only Python and pip"
    assert pip == ["-r requirements.lock", "--no-deps -e ."]
    assert "--python-version 3.11" in LOCK.read_text(), "the lock is resolved for 3.11"
    project = _project()
    assert {"notebooks", "test", "bench", "dev"} <= set(project["optional-dependencies"])
    assert project["scripts"]["bpo-analysis"] == "bpo_analysis.cli:main"


def test_readme_ci_and_makefile_agree():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
    make = (ROOT / "Makefile").read_text()
    for target in ("report", "test", "test-fast", "bench", "lab", "lock", "upgrade"):
        assert re.search(rf"^{target}:", make, re.M), target
    picture = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    assert picture and (ROOT / picture.group(1)).is_file()


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += _keys(ann, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


@pytest.mark.parametrize("name", [*io.DOCUMENTS, *io.OPTIONAL_DOCUMENTS, *io.TABLES])
def test_data_readme_documents_every_file_and_field(name):
    readme = (ROOT / "data" / "README.md").read_text()
    model = (io.DOCUMENTS.get(name) or io.OPTIONAL_DOCUMENTS.get(name)
             or io.TABLES[name].model)
    section = re.search(rf"^### `{name}\.(csv|yaml)`.*?(?=^### |\Z)", readme, re.M | re.S)
    assert section, f"data/README.md has no section for {name}"
    documented = set(re.findall(r"`([a-z_][a-z0-9_.<>]*)`", section.group(0)))
    missing = [k for k in _keys(model) if k not in documented
               and not any(d.startswith(k + ".") for d in documented)]
    assert missing == []


@pytest.mark.slow
def test_the_readmes_package_tour_runs(monkeypatch, v02_parquet):
    """The README's "Using the package" example, run as a reader would paste it (from the
    project folder, the sample vendor's records where ``make report`` writes them)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text[text.index("## Using the package"):]
    code = tour[tour.index("```python\n") + len("```python\n"):]
    code = code[:code.index("```")]
    assert "load_client" in code and "review.run(" in code
    monkeypatch.chdir(ROOT)
    code = code.replace("data/sample/records/V02.parquet", str(v02_parquet))
    exec(compile(code, "README.md (Using the package)", "exec"), {})
