"""Knock-out rules: which vendors may be chosen at all, every exclusion with its reason.

Step 2 applies the rules of ``criteria.yaml`` before ranking; step 3 names the finalists
among the vendors that pass them (and, with the decision thread, every step checks a
chosen vendor against them), so the rules are evaluated here, once.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import pandas as pd

from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError

__all__ = ["knock_out", "survivors"]

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


def knock_out(client: Client, prices: pd.Series | None = None) -> pd.DataFrame:
    """Every knock-out rule against every vendor: a table, not a silent drop.

    Columns ``vendor_id``, ``criterion``, ``value``, ``rule``, ``passed``; a vendor
    with no value for a rule's criterion fails it (``value`` empty). The vendors left
    are those with every row passed.
    """
    v = client.vendors.set_index("vendor_id")
    rows = []
    for c in client.criteria.criteria:
        if c.knock_out is None:
            continue
        if c.source == "pricing" and prices is None:
            raise InputError("prices", None, f"the values of criterion {c.id!r} "
                             "(source: pricing, it has a knock-out rule), one per vendor id")
        values = prices.reindex(v.index) if c.source == "pricing" else v[c.column]
        op, limit = _OPS[c.knock_out.op], c.knock_out.value
        for vid, x in values.items():
            ok = bool(pd.notna(x) and op(x, limit))
            rows.append({"vendor_id": vid, "criterion": c.id, "value": x,
                         "rule": f"{c.name} {c.knock_out.op} {show_value(limit)}", "passed": ok})
    return pd.DataFrame(rows, columns=["vendor_id", "criterion", "value", "rule", "passed"])


def survivors(knock_outs: pd.DataFrame, vendor_ids: Sequence[str]) -> list[str]:
    """The vendors passing every rule of a :func:`knock_out` table, in ``vendor_ids``
    order; fewer than two left is an error (nothing to compare)."""
    failed = set(knock_outs.loc[~knock_outs["passed"], "vendor_id"])
    left = [v for v in vendor_ids if v not in failed]
    if len(left) < 2:
        raise InputError("knock-out rules", f"{len(left)} vendor(s) left: {left}",
                         "at least 2 vendors passing every rule (relax a rule in "
                         "criteria.yaml)")
    return left


def show_value(x: Any) -> str:
    """Return a rule's limit as written: yes/no for a flag, else the value."""
    return ("yes" if x else "no") if isinstance(x, bool) else str(x)
