"""The KPI dictionary: one documented definition per KPI, and the variants vendors use.

Seed 003: report figures are often misread because different systems give the same
name to different formulas (or different names to the same one), so every reader must
know each metric's definition. Each KPI here has a canonical definition and, where
vendors' systems differ, named variants, all computed from the same aggregates of a
period (one row per month, vendor, channel ...):

==========================  ===============================================================
aggregate column            meaning
==========================  ===============================================================
offered                     contacts that reached the queue
answered                    contacts an agent took
answered_within_t           answered within the service-level threshold T
abandoned                   offered contacts that hung up before an answer
abandoned_short             of those, within the short-abandon window S (e.g. 5 s)
abandoned_within_t          of those, within T
wait_s                      total queue wait of the answered contacts, s
ring_s                      total ring time of the answered contacts, s
talk_s, hold_s, acw_s       total talk, hold and after-call work of the handled ones, s
handled                     contacts handled to the end
repeat_7d, repeat_1d        handled contacts followed by another from the same customer
                            within 7 days / the same day
surveyed, csat_top2         CSAT answers, and those 4 or 5 on the 1-5 scale
csat_sum                    sum of the CSAT answers (1-5)
nps_responses, promoters,   NPS answers, those 9-10 and those 0-6
detractors
complaints                  formal complaints
qa_sum, qa_n                sum and number of QA evaluation scores (0-100)
handle_s, available_s       agents' time on contacts, and logged in waiting for one, s
paid_s, scheduled_s,        paid time, time scheduled on contacts, time in adherence to
adherent_s                  the schedule, s
leavers, headcount          agents who left, and the average headcount
==========================  ===============================================================

Each KPI applies to some channels (:attr:`Kpi.channels`): a written channel has no queue
to abandon and no speed of answer, but a time to first reply.

:func:`compute` evaluates any KPI and variant on such a table; :func:`annex` renders the
dictionary as the contract annex (name, formula, unit, variant, data source).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.data.kpi_dictionary import KPIS, Kpi, Variant
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, term

__all__ = ["KPIS", "REPORT_COLUMNS", "Kpi", "Variant", "annex", "applies",
           "compute", "fmt_value", "kpi", "reported", "side_by_side", "term_problem"]

#: The column of ``vendor_monthly_reports.csv`` that states each KPI, per month and channel
#: (a written channel's ``asa_s`` is its time to first reply; the complaint rate is
#: ``complaints`` per 1,000 ``contacts_handled``). A KPI not here has no reported figure.
REPORT_COLUMNS = {"service_level": "service_level", "abandon_rate": "abandon_rate",
                  "asa": "asa_s", "first_reply": "asa_s", "aht": "aht_s", "fcr": "fcr",
                  "csat": "csat", "nps": "nps", "qa_score": "qa_score",
                  "occupancy": "occupancy", "attrition": "agent_attrition_monthly",
                  "complaint_rate": "complaints"}


def applies(kpi_id: str, channel: str) -> bool:
    """Return whether the KPI means something on the channel (ASA on voice and chat only).

    >>> applies("asa", "email"), applies("first_reply", "email"), applies("fcr", "email")
    (False, True, True)
    """
    return channel in KPIS[kpi_id].channels


def reported(rows: pd.DataFrame, kpi_id: str) -> pd.Series:
    """Return the KPI as ``vendor_monthly_reports.csv`` rows state it, one value per row.

    NaN on a row whose channel the KPI does not apply to, or when the column is absent.

    >>> r = pd.DataFrame({"channel": ["voice", "email"], "asa_s": [12.0, 54_000.0],
    ...                   "complaints": [3, 1], "contacts_handled": [6_000, 500]})
    >>> reported(r, "asa").tolist(), reported(r, "first_reply").tolist()
    ([12.0, nan], [nan, 54000.0])
    >>> reported(r, "complaint_rate").round(2).tolist()
    [0.5, 2.0]
    """
    col = REPORT_COLUMNS.get(kpi_id)
    if col not in rows.columns:
        return pd.Series(np.nan, index=rows.index)
    v = rows[col].astype(float)
    if kpi_id == "complaint_rate":
        v = 1000 * v / rows["contacts_handled"].astype(float).where(
            rows["contacts_handled"] > 0)
    return v.where(rows["channel"].map(lambda c: applies(kpi_id, c)))


def kpi(kpi_id: str, variant: str | None = None) -> tuple[Kpi, str]:
    """Look up the KPI ``kpi_id`` and a variant name (its canonical one by default).

    Parameters
    ----------
    kpi_id : str
        A key of :data:`KPIS` (``service_level``, ``aht`` ...).
    variant : str, optional
        One of the KPI's variants; its canonical one when not given.

    Returns
    -------
    (Kpi, str)
        The dictionary's entry and the variant's name.

    Raises
    ------
    InputError
        An unknown KPI, or a variant the KPI does not have (both name what exists).
    """
    if kpi_id not in KPIS:
        raise InputError("kpi", kpi_id, f"one of the dictionary's KPIs {list(KPIS)}")
    k = KPIS[kpi_id]
    name = variant or k.canonical
    if name not in k.variants:
        raise InputError(f"variant of {kpi_id}", name, f"one of {list(k.variants)}")
    return k, name


def fmt_value(value: float, unit: str, *, signed: bool = False,
              decimals: int | None = None) -> str:
    """Format a KPI value (or, ``signed``, a change) with its unit.

    A share in %, a change of a share in points, seconds in s, rates per 1,000 with two
    decimals; "-" when missing.

    Parameters
    ----------
    value : float
        In the KPI's unit (a share 0-1 for ``share``); None or NaN when missing.
    unit : str
        The KPI's unit (:attr:`Kpi.unit`).
    signed : bool
        A change: always with its sign, a share's change in points.
    decimals : int, optional
        Decimals shown (default: 2 for rates per 1,000, else 1).

    Returns
    -------
    str
        The text a reader sees, unit words in the report language.

    Examples
    --------
    >>> fmt_value(0.7912, "share"), fmt_value(-0.066, "share", signed=True)
    ('79.1%', '-6.6 points')
    >>> fmt_value(86.06, "points (0-100)"), fmt_value(1.8167, "per 1,000 handled")
    ('86.1 points', '1.82 per 1,000 handled')
    >>> fmt_value(-0.00001, "s", signed=True, decimals=2), fmt_value(float("nan"), "s")
    ('+0.00 s', '-')
    """
    if value is None or not np.isfinite(value):
        return "-"
    d = decimals if decimals is not None else (2 if unit.startswith("per ") else 1)
    v = value * 100 if unit == "share" else value
    v = 0.0 if abs(v) < 0.5 * 10.0**-d else v  # never "-0.0"
    sign = "+" if signed else ""
    if unit == "share":
        return (_("{value} points").format(value=f"{v:{sign},.{d}f}") if signed
                else f"{v:,.{d}f}%")
    word = unit if unit.startswith("per ") else unit.split(" (")[0]
    return f"{v:{sign},.{d}f} {term(word)}"


#: Unit words :func:`fmt_value` shows (translated with ``term``).
_UNIT_WORDS = (N_("points"), N_("s"), N_("per 1,000 handled"), N_("share per month"))


def compute(aggregates: pd.DataFrame, kpi_id: str, variant: str | None = None) -> pd.Series:
    """Compute one KPI (canonical or a named variant) per row of ``aggregates``.

    Parameters
    ----------
    aggregates : DataFrame
        Aggregate columns per period and group (:func:`bpo_analysis.data.records.aggregates`).
    kpi_id : str
        A key of :data:`KPIS`.
    variant : str, optional
        One of its variants; the canonical one when not given.

    Returns
    -------
    Series
        The KPI per row, in its unit, named ``<kpi_id>:<variant>``; NaN where its
        denominator is 0.

    Raises
    ------
    InputError
        An unknown KPI or variant, or an aggregate column the variant needs missing
        (naming them).

    Examples
    --------
    A month where 900 of 1,000 offered calls were answered, 760 within 20 s:

    >>> a = pd.DataFrame({"offered": [1000], "answered": [900], "answered_within_t": [760],
    ...                   "abandoned_short": [40], "abandoned_within_t": [30]})
    >>> [round(float(compute(a, "service_level", v).iloc[0]), 3) for v in
    ...  ("offered", "answered", "excl_short_abandons", "abandons_within_t_met")]
    [0.76, 0.844, 0.792, 0.79]
    """
    k, name = kpi(kpi_id, variant)
    v = k.variants[name]
    missing = [c for c in v.needs if c not in aggregates.columns]
    if missing:
        raise InputError(f"aggregates for {kpi_id} ({name})", f"no column(s) {missing}",
                         f"columns {list(v.needs)}")
    return v.fn(aggregates).rename(f"{kpi_id}:{name}")


def side_by_side(aggregates: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    """Compute every variant of one KPI on the same aggregates, canonical first.

    The variants a vendor's report may be using; those lacking a column are left out.

    Parameters
    ----------
    aggregates : DataFrame
        Aggregate columns per period and group.
    kpi_id : str
        A key of :data:`KPIS`.

    Returns
    -------
    DataFrame
        One column per variant (its name), one row per row of ``aggregates``.

    Raises
    ------
    InputError
        An unknown KPI.
    """
    k, _name = kpi(kpi_id)
    names = [k.canonical, *[n for n in k.variants if n != k.canonical]]
    return pd.DataFrame({n: compute(aggregates, kpi_id, n) for n in names
                         if all(c in aggregates.columns for c in k.variants[n].needs)})


def annex(kpi_ids: list[str] | None = None) -> pd.DataFrame:
    """Lay out the dictionary as the contract annex, one row per KPI and variant.

    Parameters
    ----------
    kpi_ids : list of str, optional
        The KPIs, in this order (all of :data:`KPIS` by default).

    Returns
    -------
    DataFrame
        Columns ``KPI``, ``id``, ``variant``, ``canonical`` (the canonical variant
        first and marked), ``formula``, ``unit``, ``better`` and ``data source``.

    Raises
    ------
    InputError
        An unknown KPI.

    Examples
    --------
    The handle-time KPI in the annex: the canonical formula first, then the other.

    >>> annex(["aht"])[["variant", "canonical"]].values.tolist()
    [['full', True], ['talk_hold', False]]
    """
    rows = []
    for kid in kpi_ids or list(KPIS):
        k, _name = kpi(kid)
        for name, v in k.variants.items():
            rows.append({"KPI": k.name, "id": k.id, "variant": name,
                         "canonical": name == k.canonical, "formula": v.formula,
                         "unit": k.unit, "better": k.direction, "data source": k.source})
    out = pd.DataFrame(rows)
    return out.sort_values(["id", "canonical"], ascending=[True, False], kind="stable",
                           key=lambda c: c if c.name != "id" else c.map(
                               {kid: i for i, kid in enumerate(kpi_ids or list(KPIS))})
                           ).reset_index(drop=True)


def term_problem(kpi_id: str, term) -> tuple[tuple, object, str, str] | None:
    """Return what is wrong with an ``sla.yaml`` KPI term against the dictionary, or None.

    An unknown KPI or variant, a direction against the dictionary's, a channel the KPI
    does not apply to, or a target or minimum outside the unit's range (a percentage
    where a share is meant: 80 for 0.80).

    Parameters
    ----------
    kpi_id : str
        The key of the term in ``sla.yaml``'s ``kpis``.
    term : KpiTerm
        The validated term.

    Returns
    -------
    (key path, value, allowed, what) or None
        The key path under ``kpis.<id>`` (for the file's line), the value, what is
        allowed and the sentence; None when the term is one the dictionary can judge.

    Examples
    --------
    >>> from bpo_analysis.data.models import KpiTerm
    >>> t = KpiTerm(name="SL", unit="share", definition="-", direction="higher",
    ...             target=80, minimum=72, allocation=0.35)
    >>> term_problem("service_level", t)[1:3]
    (80.0, 'a share from 0 to 1 (0.8 for 80 %)')
    """
    if kpi_id not in KPIS:
        return (), kpi_id, f"one of {list(KPIS)}", "a KPI the KPI dictionary does not define"
    k = KPIS[kpi_id]
    if term.direction != k.direction:
        return (("direction",), term.direction, k.direction,
                f"KPI {kpi_id} is better {k.direction} in the KPI dictionary")
    if term.variant is not None and term.variant not in k.variants:
        return (("variant",), term.variant, f"one of {list(k.variants)}",
                f"KPI {kpi_id} has no such variant")
    for ch in [*(term.channels or ()), *term.by_channel]:
        if ch not in k.channels:
            other = _COUNTERPART.get(kpi_id)
            hint = f"; on {ch} the contract judges {other}" if other and applies(
                other, ch) else ""
            key = ("channels",) if ch in (term.channels or ()) else ("by_channel", ch)
            return (key, ch, f"channels it applies to: {list(k.channels)}{hint}",
                    f"KPI {kpi_id} does not apply to {ch}")
    for ch in [None, *term.by_channel]:
        for key, value in zip(("target", "minimum"), term.thresholds(ch), strict=True):
            return_ = _out_of_range(k, value)
            if return_:
                path = (key,) if ch is None else ("by_channel", ch, key)
                return path, float(value), return_, f"{key} of {kpi_id} outside its unit"
    return None


#: The KPI that measures the same wait on the other kind of channel.
_COUNTERPART = {"asa": "first_reply", "first_reply": "asa"}


def _out_of_range(k: Kpi, value: float) -> str | None:
    """Return what is allowed when ``value`` is outside the KPI's range, else None."""
    lo, hi = k.bounds
    if lo <= value <= hi:
        return None
    if k.unit.startswith("share") and 1 < value <= 100:
        return f"a share from 0 to 1 ({value / 100:g} for {value:g} %)"
    return f"a value from {lo:g} to {hi:g} ({k.unit})"
