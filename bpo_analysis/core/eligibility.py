"""Knock-out rules: which vendors may be chosen at all, every exclusion with its reason.

Step 2 applies the rules of ``criteria.yaml`` before ranking; step 3 names the finalists
among the vendors that pass them (and, with the decision thread, every step checks a
chosen vendor against them), so the rules are evaluated here, once.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale, UnknownLocaleError

from bpo_analysis.data.client import Client
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, language, term

__all__ = ["failed_rules", "knock_out", "knock_out_flag", "language_name", "languages_text",
           "rule_text", "show_value", "survivors"]

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
        ">": operator.gt, ">=": operator.ge}
#: How a rule reads, by operator: the criterion's name, then the limit in its unit.
_RULES = {"==": N_("{criterion}: {limit}"), "!=": N_("{criterion}: anything but {limit}"),
          "<": N_("{criterion}: below {limit}"), "<=": N_("{criterion}: at most {limit}"),
          ">": N_("{criterion}: above {limit}"), ">=": N_("{criterion}: at least {limit}")}
#: A yes/no rule: required (must be yes) or excluded (must be no).
_REQUIRED, _EXCLUDED = N_("{criterion}: required"), N_("{criterion}: not allowed")
#: The languages CLDR has no name of its own for.
_LANGUAGES = {"cmn": N_("Mandarin Chinese")}


def knock_out(client: Client, prices: pd.Series | None = None) -> pd.DataFrame:
    """Check every knock-out rule against every vendor: a table, not a silent drop.

    Parameters
    ----------
    client : Client
        Its vendors (``vendors.csv``) and the criteria of ``criteria.yaml``, those with
        a ``knock_out`` rule (e.g. attrition at most 45 % a year, ISO 27001 required), and its
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
        (in the criterion's unit), ``rule`` (in words, :func:`rule_text`: "Agent
        attrition: at most 45 %"), ``passed``; a vendor with no value for a rule's
        criterion fails it (``value`` empty). The vendors left are those with every row
        passed.

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
                         "rule": rule_text(c.name, c.knock_out.op, limit, c.unit),
                         "passed": ok})
    if client.criteria.languages:
        rows += _languages(v, client.criteria.languages)
    return pd.DataFrame(rows, columns=["vendor_id", "criterion", "value", "rule", "passed"])


def _languages(vendors: pd.DataFrame, wanted: Sequence[str]) -> list[dict[str, Any]]:
    """Check that each vendor serves every language asked (case aside); unknown fails."""
    need = {x.casefold() for x in wanted}
    rule = _("Serves {languages}").format(languages=languages_text(wanted))
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
    Formosa Click's six vendors against its four knock-out rules: V04 (attrition 48 %
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
        raise InputError("knock-out rules", f"vendors left: {left}",
                         "at least 2 vendors passing every rule (relax a rule in "
                         "criteria.yaml)")
    return left


def rule_text(criterion: str, op: str, limit: Any, unit: str = "") -> str:
    """Say a knock-out rule in words: the criterion's name, then what it must be.

    A yes/no criterion is "required" (or "not allowed"); a number is "at most", "at
    least", ... its limit in the criterion's unit (:func:`show_value`: a share as %).

    Parameters
    ----------
    criterion : str
        The criterion's name (``criteria.yaml``'s ``name``).
    op : str
        The rule's operator, one of ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``.
    limit : bool, float or str
        The rule's value.
    unit : str
        The criterion's unit.

    Returns
    -------
    str
        The rule in the report language.

    Examples
    --------
    >>> rule_text("ISO 27001 certified", "==", True, "yes/no")
    'ISO 27001 certified: required'
    >>> rule_text("Agent attrition", "<=", 0.45, "share per year")
    'Agent attrition: at most 45 %'
    >>> rule_text("Seats available", ">=", 150, "seats")
    'Seats available: at least 150 seats'
    """
    name = term(criterion)
    if isinstance(limit, bool | np.bool_) and op in ("==", "!="):
        required = bool(limit) == (op == "==")
        return term(_REQUIRED if required else _EXCLUDED).format(criterion=name)
    return term(_RULES[op]).format(criterion=name, limit=show_value(limit, unit))


def show_value(x: Any, unit: str = "") -> str:
    """Return a criterion's value as a reader expects it, in the criterion's unit.

    yes/no for a flag; a share (a unit that starts with "share") as %; any other number
    with thousands separators and its unit; "-" when missing; text as it is.

    Examples
    --------
    >>> show_value(True), show_value(0.41, "share per year"), show_value(12000, "seats")
    ('yes', '41 %', '12,000 seats')
    >>> show_value(float("nan"), "share"), show_value(0.125, "share"), show_value(3.5)
    ('-', '12.5 %', '3.5')
    """
    if isinstance(x, bool | np.bool_):
        return _("yes") if x else _("no")
    if x is None or (isinstance(x, float | np.floating) and math.isnan(x)):
        return "-"
    if not isinstance(x, int | float | np.number):
        return str(x)
    if unit.startswith("share"):
        return f"{_number(float(x) * 100)} %"
    shown = _number(float(x))
    return f"{shown} {term(unit)}" if unit and unit != "yes/no" else shown


def _number(x: float) -> str:
    """Return a number with thousands separators and no trailing zeros (2 decimals at most)."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def language_name(code: str) -> str:
    """Return a language's name in the report language, from its code (CLDR, via Babel).

    Codes as ``vendors.csv`` and ``criteria.yaml`` write them (``zh-Hant``, ``en``,
    ``nan``), case aside; a code CLDR does not know is shown as it is.

    Examples
    --------
    >>> language_name("zh-Hant"), language_name("EN"), language_name("nan")
    ('Chinese (Traditional)', 'English', 'Min Nan Chinese')
    >>> language_name("xx-unknown")
    'xx-unknown'
    """
    parts = code.strip().replace("-", "_").split("_")
    lang = parts[0].lower()
    if lang in _LANGUAGES:
        return term(_LANGUAGES[lang])
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    shown_in = Locale.parse(language().replace("-", "_"))
    name = None
    if script:  # "Chinese (Traditional)" in English; "繁體中文" as Taiwan writes it
        name = shown_in.languages.get(f"{lang}_{script}") if language() != "en" else None
        try:
            name = name or Locale(lang, script=script).get_display_name(shown_in)
        except (UnknownLocaleError, ValueError):
            name = None
    return name or shown_in.languages.get(lang) or code


def languages_text(codes: Sequence[str] | str | None) -> str:
    """Return languages by name, comma-separated: a list of codes or ``vendors.csv``'s text.

    Examples
    --------
    >>> languages_text("zh-Hant; en; nan")
    'Chinese (Traditional), English, Min Nan Chinese'
    >>> languages_text(None)
    '-'
    """
    if codes is None or (isinstance(codes, float) and math.isnan(codes)):
        return "-"
    if isinstance(codes, str):
        codes = [c for c in codes.split(";") if c.strip()]
    return _(", ").join(language_name(c) for c in codes) or "-"


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
        The ``rule`` of every failed row, in the criteria's order, in words.

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> failed_rules(knock_out(load_client("data/sample")), "V05")
    ['ISO 27001 certified: required']
    """
    rows = knock_outs[(knock_outs["vendor_id"] == vendor_id) & ~knock_outs["passed"]]
    return list(rows["rule"])


def knock_out_flag(knock_outs: pd.DataFrame, vendor_id: str) -> str:
    """Return the flag a report shows on a knocked-out choice, or "" when it passes.

    >>> from bpo_analysis.data.client import load_client
    >>> knock_out_flag(knock_out(load_client("data/sample")), "V05")
    "does not pass step 2's knock-outs (ISO 27001 certified: required)"
    """
    rules = failed_rules(knock_outs, vendor_id)
    return _("does not pass step 2's knock-outs ({rules})").format(
        rules="; ".join(rules)) if rules else ""
