"""Functions the tests run in worker processes: a module that imports nothing heavy, so a
spawned worker starts in a fraction of a second (unpickling a function imports its module)."""

from __future__ import annotations

import os


def double_or_fail(x):
    """``2 * x``; ``"boom"`` raises, ``"die"`` ends the worker process."""
    if x == "boom":
        raise ValueError("boom")
    if x == "die":
        os._exit(3)  # the worker process dies
    return 2 * x
