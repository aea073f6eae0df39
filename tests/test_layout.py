"""The package's layout holds: the import contracts (import-linter), no private name
imported across modules, modules of at most 400 lines -- each with the list of what is
still to move, which must shrink, never grow."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "bpo_analysis"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

#: Private names still imported across modules: (importing module, name). None left;
#: the test keeps it so.
PRIVATE_IMPORTS: set[tuple[str, str]] = set()

#: Modules still over 400 lines, to split by meaning (issue 20).
LONG_MODULES = {"data/models/documents.py", "steps/roi/model.py"}


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the package under cwd, not the installed
    return subprocess.run([LINT_IMPORTS, "--config", str(cwd / "pyproject.toml"),
                           "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_import_contracts_hold():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_step_imported_by_the_data_layer_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "bpo_analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    io = tmp_path / "bpo_analysis" / "data" / "io.py"
    io.write_text(io.read_text(encoding="utf-8")
                  + "\nfrom bpo_analysis.steps.pricing import calc  # noqa\n", encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1
    assert "Layers run one way" in done.stdout and "BROKEN" in done.stdout
    assert "bpo_analysis.data.io -> bpo_analysis.steps.pricing.calc" in done.stdout


def test_a_step_that_imports_a_later_step_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "bpo_analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "locale", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    calc = tmp_path / "bpo_analysis" / "steps" / "vendors" / "scoring.py"
    calc.write_text(calc.read_text(encoding="utf-8")
                    + "\nfrom bpo_analysis.steps import pricing  # noqa\n", encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1
    assert "the decision flows one way BROKEN" in done.stdout
    assert "bpo_analysis.steps.vendors.scoring -> bpo_analysis.steps.pricing" in done.stdout


def test_a_step_uses_another_only_through_its_package():
    """An earlier step's ``run`` / ``upstream`` (its package), never its internals."""
    found = []
    for name, path in _modules().items():
        if not name.startswith("bpo_analysis.steps."):
            continue
        own = ".".join(name.split(".")[:3])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = ([f"{node.module}.{a.name}" for a in node.names]
                       if isinstance(node, ast.ImportFrom) and node.module else
                       [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for t in targets:
                parts = t.split(".")
                if t.startswith("bpo_analysis.steps.") and ".".join(parts[:3]) != own \
                        and len(parts) > 3 and parts[3] not in ("run", "upstream"):
                    found.append((name, t))
    assert not found, found


def test_no_private_name_is_imported_across_modules():
    found = set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "bpo_analysis"):
                found |= {(name, a.name) for a in node.names
                          if a.name.startswith("_") and a.name != "_"  # gettext's _
                          and not a.name.startswith("__")}
    assert found == PRIVATE_IMPORTS, (
        f"new: {sorted(found - PRIVATE_IMPORTS)}; gone (drop from the list): "
        f"{sorted(PRIVATE_IMPORTS - found)}")


def test_modules_stay_within_400_lines():
    lines = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in _modules().values()}
    long = {m for m, n in lines.items() if n > 400}
    assert long == LONG_MODULES, (
        f"over 400 lines: {sorted((m, lines[m]) for m in long - LONG_MODULES)}; "
        f"split already (drop from the list): {sorted(LONG_MODULES - long)}")


#: Imports of package modules inside a function, outside the CLI (whose commands import
#: what they use when they run): (module, imported module). None left; the test keeps
#: it so.
NESTED_IMPORTS: set[tuple[str, str]] = set()


def test_package_modules_are_imported_at_the_top():
    found = set()
    for name, path in _modules().items():
        if name == "bpo_analysis.cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                found |= {(name, n.module) for n in ast.walk(fn)
                          if isinstance(n, ast.ImportFrom)
                          and (n.module or "").startswith("bpo_analysis")}
    assert found == NESTED_IMPORTS, (
        f"new: {sorted(found - NESTED_IMPORTS)}; gone (drop from the list): "
        f"{sorted(NESTED_IMPORTS - found)}")


def test_make_lint_holds_docstrings_to_numpydoc(tmp_path):
    """ruff's pydocstyle rules (numpy convention) run on the package with the project's
    settings: a summary over two lines, or not in the imperative, fails."""
    pkg = tmp_path / "bpo_analysis"
    pkg.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (pkg / "__init__.py").write_text('"""A package."""\n', encoding="utf-8")
    (pkg / "bad.py").write_text(
        '"""A module."""\n\n\ndef price(x):\n    """The price of a contact, which\n'
        '    runs over two lines."""\n    return x\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "bpo_analysis"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert "D205" in done.stdout and "D401" in done.stdout
    clean = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(PACKAGE)],
                           cwd=ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
