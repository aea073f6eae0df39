"""Notebook parameters that are paths: the one place that knows which they are and how a
relative one is read.

A parameter whose name ends in ``_dir``, ``_path`` or ``_file`` is a path. Given
relative, it is read against a base folder: the working directory for ``bpo-analysis
report``, the parameter file's folder for ``batch``, the notebook's folder for a
notebook's own default. An empty value means "none" and is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PATH_SUFFIXES", "absolute", "is_path", "resolve_path"]

PATH_SUFFIXES = ("_dir", "_path", "_file")


def is_path(name: str, value: Any) -> bool:
    """True for a path parameter given a path (a non-empty string).

    >>> is_path("client_dir", "data/sample"), is_path("client_dir", ""), is_path("month", "x")
    (True, False, False)
    """
    return name.endswith(PATH_SUFFIXES) and isinstance(value, str) and value != ""


def resolve_path(value: str, base: Path | None = None) -> Path:
    """``value`` (``~`` expanded) as an absolute, resolved path; a relative one is read
    against ``base`` (default: the working directory).

    >>> resolve_path("sample", Path("/srv/data")).as_posix()
    '/srv/data/sample'
    """
    path = Path(value).expanduser()
    return (path if path.is_absolute() else (base or Path.cwd()) / path).resolve()


def absolute(name: str, value: Any, base: Path | None = None) -> Any:
    """A path parameter's value as an absolute path (a string, as papermill injects it),
    read against ``base``; any other parameter, or an empty path, unchanged.

    >>> absolute("actuals_file", "roi.csv", Path("/srv/client")), absolute("month", "2025-12")
    ('/srv/client/roi.csv', '2025-12')
    """
    return str(resolve_path(value, base)) if is_path(name, value) else value
