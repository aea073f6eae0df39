"""How the monthly review shows its words and numbers to a reader.

A KPI's value in the unit a reader expects (an email's first reply of 81,446 s reads
22.6 h), the reasons records are left out, the credit rule that fired and the queues
and groups of the QA plan -- in the report language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from bpo_analysis.data import kpis
from bpo_analysis.i18n import N_, _, term

__all__ = ["GROUP_NAMES", "HOUR_S", "fmt_kpi", "group_name", "in_hours", "quality_status",
           "rule_fired"]

#: A time in seconds this long or longer reads in hours.
HOUR_S = 3600.0
#: The unit of a long time (translated with ``term``).
HOURS = N_("h")
#: Why records are left out (``data.record_source.RULES``' reasons), as a reader reads it.
REASONS = {"kept": N_("kept"), "no arrival time": N_("no arrival time"),
           "duplicate contact_id": N_("contact ID given twice"),
           "both answered and abandoned": N_("both answered and abandoned"),
           "answer time before arrival": N_("answer time before arrival"),
           "abandon time before arrival": N_("abandon time before arrival"),
           "negative talk, hold or after-call time": N_("negative talk, hold or after-call time"),
           "CSAT outside 1-5": N_("satisfaction answer outside the 1-5 scale"),
           "NPS outside 0-10": N_("recommendation answer outside the 0-10 scale"),
           "QA score outside 0-100": N_("QA score outside 0-100")}
_CONVERTED = re.compile(r"times converted from (.+) to (.+)")
#: The groups a QA plan is drawn by (``qa_by``), as a reader reads them.
GROUP_NAMES = {"queue": N_("queue"), "agent_id": N_("agent"), "channel": N_("channel"),
               "vendor_id": N_("vendor")}
#: The queues of the bundled clients' records (a client's own queue reads as it is named,
#: underscores as spaces).
_QUEUES = (N_("orders"), N_("returns"), N_("claims"), N_("policy service"))


def in_hours(unit: str, values: Iterable[float]) -> bool:
    """Return whether a KPI's values read in hours: times of an hour or more.

    >>> in_hours("s", [81_445.7, 86_400.0]), in_hours("s", [14.9, 20.0])
    (True, False)
    """
    if unit != "s":
        return False
    v = np.abs(np.asarray(list(values), float))
    v = v[np.isfinite(v)]
    return bool(v.size) and float(v.max()) >= HOUR_S


def fmt_kpi(value: float | None, unit: str, *, hours: bool = False, signed: bool = False,
            decimals: int | None = None) -> str:
    """Format a KPI value with its unit (:func:`~bpo_analysis.data.kpis.fmt_value`).

    ``hours``: a time in seconds shown in hours.

    >>> fmt_kpi(81_445.7, "s", hours=True), fmt_kpi(14.9, "s")
    ('22.6 h', '14.9 s')
    """
    if hours and unit == "s" and value is not None:
        return kpis.fmt_value(value / HOUR_S, HOURS, signed=signed, decimals=decimals)
    return kpis.fmt_value(value, unit, signed=signed, decimals=decimals)


def quality_status(status: str) -> str:
    """Return a row of the data-quality table (kept, a reason, a conversion) as a reader reads it.

    >>> quality_status("duplicate contact_id")
    'contact ID given twice'
    >>> quality_status("times converted from UTC to Asia/Taipei")
    'times converted from UTC to Asia/Taipei'
    """
    converted = _CONVERTED.fullmatch(status)
    if converted:
        return _("times converted from {zone} to {timezone}").format(
            zone=converted.group(1), timezone=converted.group(2))
    return term(REASONS.get(status, status))


def rule_fired(rule: str) -> str:
    """Return the credit rule that fired (``core.sla``'s "minimum", "target N of M", "-").

    >>> rule_fired("target 2 of 3"), rule_fired("minimum"), rule_fired("-")
    ('target missed in 2 of the last 3 months', 'below the minimum', '-')
    """
    if rule == "minimum":
        return _("below the minimum")
    target = re.fullmatch(r"target (\d+) of (\d+)", rule)
    if target:
        return _("target missed in {misses} of the last {months} months").format(
            misses=target.group(1), months=target.group(2))
    return rule


def group_name(column: str, value: object) -> str:
    """Return a QA group's value as a reader reads it (a queue's or channel's name).

    >>> group_name("queue", "policy_service"), group_name("agent_id", "A017")
    ('policy service', 'A017')
    """
    text = str(value)
    if column in ("queue", "channel"):
        return term(text.replace("_", " "))
    return text
