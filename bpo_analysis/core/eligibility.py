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
from bpo_analysis.i18n import _

__all__ = ["failed_rules", "knock_out", "knock_out_flag", "survivors"]

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}


def knock_out(client: Client, prices: pd.Series | None = None) -> pd.DataFrame:
    """Check every knock-out rule against every vendor: a table, not a silent drop.

    Parameters
    ----------
    client : Client
        Its vendors (``vendors.csv``) and the criteria of ``criteria.yaml``, those with
        a ``knock_out`` rule (e.g. attrition <= 0.45 a year, ISO 27001 == yes), and its
        ``languages``: a vendor must serve each (criterion ``languages``, value the
        languages it serves).
    prices : Series, optional
        Currency per contact by ``vendor_id``
        (:func:`bpo_analysis.core.quotes.vendor_prices`); needed when a criterion with a
        rule has ``source: pricing``.

    Returns
    -------
    DataFrame
        One row per rule and vendor. Columns ``vendor_id``, ``criterion``, ``value``
        (in the criterion's unit), ``rule`` (as written, e.g. "Agent attrition <=
        0.45"), ``passed``; a vendor with no value for a rule's criterion fails it
        (``value`` empty). The vendors left are those with every row passed.

    Raises
    ------
    InputError
        A pricing criterion has a knock-out rule and ``prices`` is None; a limit that
        cannot be compared with the column's values (a word on a numeric column: the
        loaded criteria are checked by :func:`bpo_analysis.data.criteria.check_criteria`).
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
            try:
                ok = bool(pd.notna(x) and op(x, limit))
            except TypeError:  # a client built in code: load_client refuses it first
                raise InputError(f"criteria.yaml knock_out of criterion {c.id!r}", limit,
                                 f"a limit comparable with its values (vendor {vid}: "
                                 f"{x!r})") from None
            rows.append({"vendor_id": vid, "criterion": c.id, "value": x,
                         "rule": f"{c.name} {c.knock_out.op} {show_value(limit)}", "passed": ok})
    if client.criteria.languages:
        rows += _languages(v, client.criteria.languages)
    return pd.DataFrame(rows, columns=["vendor_id", "criterion", "value", "rule", "passed"])


def _languages(vendors: pd.DataFrame, wanted: Sequence[str]) -> list[dict[str, Any]]:
    """Check that each vendor serves every language asked (case aside); unknown fails."""
    need = {x.casefold() for x in wanted}
    rule = _("Serves {languages}").format(languages=", ".join(wanted))
    served = vendors["languages"] if "languages" in vendors else pd.Series(None, vendors.index)
    rows = []
    for vid, have in served.items():
        have = list(have) if isinstance(have, list | tuple) else []
        rows.append({"vendor_id": vid, "criterion": "languages",
                     "value": "; ".join(have) or None, "rule": rule,
                     "passed": need <= {x.casefold() for x in have}})
    return rows


def survivors(knock_outs: pd.DataFrame, vendor_ids: Sequence[str]) -> list[str]:
    """Return the vendors passing every rule of a :func:`knock_out` table.

    In ``vendor_ids`` order; fewer than two left is an error (nothing to compare).

    Parameters
    ----------
    knock_outs : DataFrame
        The table of :func:`knock_out` (``vendor_id``, ``passed``).
    vendor_ids : sequence of str
        The vendors to keep or drop, in the order to return them.

    Returns
    -------
    list of str
        The ids of the vendors with no failed rule.

    Raises
    ------
    InputError
        Fewer than 2 vendors left, naming them (relax a rule in ``criteria.yaml``).

    Examples
    --------
    Formosa Click's six vendors against its three knock-out rules: V04 (attrition 48 %
    a year, above the 45 % ceiling), V05 (no ISO 27001) and V03 (no backup site) are
    out, so three vendors go on to be scored and priced:

    >>> from bpo_analysis.data.client import load_client
    >>> client = load_client("data/sample")
    >>> rules = knock_out(client)
    >>> rules.loc[~rules["passed"], ["vendor_id", "criterion"]].to_numpy().tolist()
    [['V04', 'attrition'], ['V05', 'iso27001'], ['V03', 'backup_site']]
    >>> survivors(rules, client.vendors["vendor_id"])
    ['V01', 'V02', 'V06']
    """
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


def failed_rules(knock_outs: pd.DataFrame, vendor_id: str) -> list[str]:
    """Return the knock-out rules ``vendor_id`` fails, as written (empty when it passes).

    Parameters
    ----------
    knock_outs : DataFrame
        The table of :func:`knock_out`.
    vendor_id : str
        The vendor.

    Returns
    -------
    list of str
        The ``rule`` of every failed row, in the criteria's order.

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> failed_rules(knock_out(load_client("data/sample")), "V05")
    ['ISO 27001 certified == yes']
    """
    rows = knock_outs[(knock_outs["vendor_id"] == vendor_id) & ~knock_outs["passed"]]
    return list(rows["rule"])


def knock_out_flag(knock_outs: pd.DataFrame, vendor_id: str) -> str:
    """Return the flag a report shows on a knocked-out choice, or "" when it passes.

    >>> from bpo_analysis.data.client import load_client
    >>> knock_out_flag(knock_out(load_client("data/sample")), "V05")
    "does not pass step 2's knock-outs (ISO 27001 certified == yes)"
    """
    rules = failed_rules(knock_outs, vendor_id)
    return _("does not pass step 2's knock-outs ({rules})").format(
        rules="; ".join(rules)) if rules else ""
