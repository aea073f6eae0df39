"""Notebook parameters that are paths: which they are, and how a relative one is read.

The one place that knows. A parameter whose name ends in ``_dir``, ``_path`` or
``_file`` is a path. Given relative, it is read against a base folder: the working
directory for ``bpo-analysis report``, the parameter file's folder for ``batch``, the
notebook's folder for a notebook's own default. An empty value means "none" and is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PATH_SUFFIXES", "absolute", "is_path", "resolve_path"]

PATH_SUFFIXES = ("_dir", "_path", "_file")


def is_path(name: str, value: Any) -> bool:
    """Tell whether a parameter is a path parameter given a path (a non-empty string).

    Parameters
    ----------
    name : str
        The parameter's name: a path when it ends in ``_dir``, ``_path`` or ``_file``.
    value : Any
        Its value.

    Returns
    -------
    bool
        True for a path parameter whose value is a non-empty string.

    Examples
    --------
    >>> is_path("client_dir", "data/sample"), is_path("client_dir", ""), is_path("month", "x")
    (True, False, False)
    """
    return name.endswith(PATH_SUFFIXES) and isinstance(value, str) and value != ""


def resolve_path(value: str, base: Path | None = None) -> Path:
    """Return ``value`` (``~`` expanded) as an absolute, resolved path.

    Parameters
    ----------
    value : str
        The path as given.
    base : Path, optional
        What a relative path is read against (default: the working directory).

    Returns
    -------
    Path
        The absolute path, symbolic links resolved.

    Examples
    --------
    >>> resolve_path("sample", Path("/srv/data")).as_posix()
    '/srv/data/sample'
    """
    path = Path(value).expanduser()
    return (path if path.is_absolute() else (base or Path.cwd()) / path).resolve()


def absolute(name: str, value: Any, base: Path | None = None) -> Any:
    """Return a path parameter's value as an absolute path, any other value unchanged.

    Parameters
    ----------
    name : str
        The parameter's name.
    value : Any
        Its value.
    base : Path, optional
        What a relative path is read against (default: the working directory).

    Returns
    -------
    Any
        For a path parameter (:func:`is_path`), the absolute path as a string (as
        papermill injects it); any other parameter, or an empty path, as it was.

    Examples
    --------
    >>> absolute("actuals_file", "roi.csv", Path("/srv/client")), absolute("month", "2025-12")
    ('/srv/client/roi.csv', '2025-12')
    """
    return str(resolve_path(value, base)) if is_path(name, value) else value
