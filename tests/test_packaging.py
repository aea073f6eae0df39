"""Set-up files agree with each other and the docs agree with the schema."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from pydantic import BaseModel

from bpo_analysis import io
from tests.conftest import ROOT

# conda-forge names that differ from PyPI
CONDA_NAMES = {"duckdb": "python-duckdb", "kaleido": "python-kaleido"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = {_name(r) for r in project["dependencies"]}
    for extra in ("notebooks", "test", "bench"):
        pip |= {_name(r) for r in project["optional-dependencies"][extra]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == {CONDA_NAMES.get(p, p) for p in pip}
    assert {"notebooks", "test", "bench"} <= set(project["optional-dependencies"])
    assert project["scripts"]["bpo-analysis"] == "bpo_analysis.cli:main"


def test_readme_ci_and_makefile_agree():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
    make = (ROOT / "Makefile").read_text()
    for target in ("report", "test", "bench", "lab"):
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
