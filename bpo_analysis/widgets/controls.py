"""What the dashboards share: updating a live figure in place.

A dashboard's controls call the step's calculation and update its ``go.FigureWidget``
through :func:`changed`, so that a slider move sends only what moved to the browser.
"""

from __future__ import annotations

import numpy as np

__all__ = ["changed"]


def changed(obj, **props) -> None:
    """Set only the properties whose value changed (each plotly assignment validates
    and sends a message: skipping the unchanged ones keeps a slider move fast)."""
    new = {}
    for k, v in props.items():
        old = obj[k]
        same = (np.array_equal(np.asarray(old, dtype=object), np.asarray(v, dtype=object))
                if old is not None and np.ndim(v) else old == v)
        if not same:
            new[k] = v
    if new:
        obj.update(new)
