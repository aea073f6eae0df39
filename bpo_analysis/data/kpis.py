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

:func:`compute` evaluates any KPI and variant on such a table; :func:`annex` renders the
dictionary as the contract annex (name, formula, unit, variant, data source).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, term

__all__ = ["KPIS", "Kpi", "Variant", "annex", "compute", "fmt_value", "kpi", "side_by_side"]


@dataclass(frozen=True)
class Variant:
    """One formula of a KPI: ``formula`` in words, ``fn`` on the aggregates."""

    formula: str
    fn: Callable[[pd.DataFrame], pd.Series]
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Kpi:
    """A KPI: its name, unit, direction, data source and variants.

    Whether higher is better (``direction``), where its data comes from (``source``),
    the ``canonical`` variant and the others vendors use (``variants``).
    """

    id: str
    name: str
    unit: str
    direction: str  # "higher" or "lower" is better
    source: str
    canonical: str
    variants: dict[str, Variant] = field(default_factory=dict)

    @property
    def bounds(self) -> tuple[float, float]:
        """Return the range a value can take, from the unit (times and counts are >= 0)."""
        return {"share": (0.0, 1.0), "share per month": (0.0, 1.0),
                "points (0-100)": (0.0, 100.0),
                "points (-100 to 100)": (-100.0, 100.0)}.get(self.unit, (0.0, np.inf))


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """Return num / den, NaN where the denominator is 0 (a period with nothing to measure)."""
    num, den = num.astype(float), den.astype(float)
    return num / den.where(den > 0)


def _v(formula: str, needs: tuple[str, ...], fn: Callable[[pd.DataFrame], pd.Series]
       ) -> Variant:
    return Variant(formula, fn, needs)


KPIS: dict[str, Kpi] = {k.id: k for k in [
    Kpi("service_level", N_("Service level"), N_("share"), "higher",
        N_("interaction records (ACD)"),
        "offered", {
            "offered": _v(N_("answered within T / offered (abandons count as missed)"),
                          ("answered_within_t", "offered"),
                          lambda a: _ratio(a["answered_within_t"], a["offered"])),
            "answered": _v(N_("answered within T / answered (abandons left out)"),
                           ("answered_within_t", "answered"),
                           lambda a: _ratio(a["answered_within_t"], a["answered"])),
            "excl_short_abandons": _v(
                N_("answered within T / (offered - abandoned within S)"),
                ("answered_within_t", "offered", "abandoned_short"),
                lambda a: _ratio(a["answered_within_t"], a["offered"] - a["abandoned_short"])),
            "abandons_within_t_met": _v(
                N_("(answered within T + abandoned within T) / offered"),
                ("answered_within_t", "abandoned_within_t", "offered"),
                lambda a: _ratio(a["answered_within_t"] + a["abandoned_within_t"],
                                 a["offered"])),
        }),
    Kpi("asa", N_("Average speed of answer"), N_("s"), "lower",
        N_("interaction records (ACD)"), "queue", {
        "queue": _v(N_("queue wait of answered contacts / answered"), ("wait_s", "answered"),
                    lambda a: _ratio(a["wait_s"], a["answered"])),
        "incl_ring": _v(N_("(queue wait + ring time) / answered"), ("wait_s", "ring_s", "answered"),
                        lambda a: _ratio(a["wait_s"] + a["ring_s"], a["answered"])),
    }),
    Kpi("aht", N_("Average handle time"), N_("s"), "lower",
        N_("interaction records (ACD)"), "full", {
        "full": _v(N_("(talk + hold + after-call work) / handled"),
                   ("talk_s", "hold_s", "acw_s", "handled"),
                   lambda a: _ratio(a["talk_s"] + a["hold_s"] + a["acw_s"], a["handled"])),
        "talk_hold": _v(N_("(talk + hold) / handled (after-call work left out)"),
                        ("talk_s", "hold_s", "handled"),
                        lambda a: _ratio(a["talk_s"] + a["hold_s"], a["handled"])),
    }),
    Kpi("abandon_rate", N_("Abandonment rate"), N_("share"), "lower",
        N_("interaction records (ACD)"),
        "excl_short", {
            "excl_short": _v(N_("abandoned after S / (offered - abandoned within S)"),
                             ("abandoned", "abandoned_short", "offered"),
                             lambda a: _ratio(a["abandoned"] - a["abandoned_short"],
                                              a["offered"] - a["abandoned_short"])),
            "all": _v(N_("abandoned / offered"), ("abandoned", "offered"),
                      lambda a: _ratio(a["abandoned"], a["offered"])),
        }),
    Kpi("occupancy", N_("Occupancy"), N_("share"), "higher", N_("workforce management"),
        "occupancy", {
            "occupancy": _v(N_("time on contacts / (time on contacts + logged in waiting)"),
                            ("handle_s", "available_s"),
                            lambda a: _ratio(a["handle_s"], a["handle_s"] + a["available_s"])),
        }),
    Kpi("utilisation", N_("Utilisation"), N_("share"), "higher",
        N_("workforce management and payroll"),
        "paid", {
            "paid": _v(N_("time on contacts / paid time"), ("handle_s", "paid_s"),
                       lambda a: _ratio(a["handle_s"], a["paid_s"])),
        }),
    Kpi("shrinkage", N_("Shrinkage"), N_("share"), "lower", N_("workforce management and payroll"),
        "paid", {
            "paid": _v(N_("(paid time - time scheduled on contacts) / paid time"),
                       ("paid_s", "scheduled_s"),
                       lambda a: _ratio(a["paid_s"] - a["scheduled_s"], a["paid_s"])),
        }),
    Kpi("adherence", N_("Schedule adherence"), N_("share"), "higher", N_("workforce management"),
        "scheduled", {
            "scheduled": _v(N_("time in adherence / time scheduled"), ("adherent_s", "scheduled_s"),
                            lambda a: _ratio(a["adherent_s"], a["scheduled_s"])),
        }),
    Kpi("fcr", N_("First-contact resolution"), N_("share"), "higher",
        N_("interaction records (CRM)"),
        "repeat_7d", {
            "repeat_7d": _v(N_("handled with no repeat from the same customer within 7 days / "
                            "handled"), ("repeat_7d", "handled"),
                            lambda a: 1 - _ratio(a["repeat_7d"], a["handled"])),
            "repeat_same_day": _v(N_("handled with no repeat the same day / handled"),
                                  ("repeat_1d", "handled"),
                                  lambda a: 1 - _ratio(a["repeat_1d"], a["handled"])),
        }),
    Kpi("csat", N_("Customer satisfaction"), N_("share"), "higher",
        N_("post-contact survey"), "top2", {
        "top2": _v(N_("answers of 4 or 5 / answers (1-5 scale)"), ("csat_top2", "surveyed"),
                   lambda a: _ratio(a["csat_top2"], a["surveyed"])),
        "mean_of_5": _v(N_("mean answer / 5"), ("csat_sum", "surveyed"),
                        lambda a: _ratio(a["csat_sum"], 5 * a["surveyed"])),
    }),
    Kpi("nps", N_("Net promoter score"), N_("points (-100 to 100)"), "higher",
        N_("post-contact survey"),
        "standard", {
            "standard": _v(N_("% answers 9-10 - % answers 0-6 (0-10 scale)"),
                           ("promoters", "detractors", "nps_responses"),
                           lambda a: 100 * _ratio(a["promoters"] - a["detractors"],
                                                  a["nps_responses"])),
        }),
    Kpi("complaint_rate", N_("Complaint rate"), N_("per 1,000 handled"), "lower",
        N_("complaint log"),
        "per_1000", {
            "per_1000": _v(N_("formal complaints x 1,000 / handled"), ("complaints", "handled"),
                           lambda a: 1000 * _ratio(a["complaints"], a["handled"])),
        }),
    Kpi("qa_score", N_("Quality score"), N_("points (0-100)"), "higher",
        N_("QA evaluations"), "mean", {
        "mean": _v(N_("mean QA score of the sampled contacts"), ("qa_sum", "qa_n"),
                   lambda a: _ratio(a["qa_sum"], a["qa_n"])),
    }),
    Kpi("attrition", N_("Agent attrition"), N_("share per month"), "lower",
        N_("HR records"), "monthly", {
        "monthly": _v(N_("agents who left / average headcount"), ("leavers", "headcount"),
                      lambda a: _ratio(a["leavers"], a["headcount"])),
        "annualised": _v(N_("1 - (1 - monthly attrition) ** 12 (a share per year)"),
                         ("leavers", "headcount"),
                         lambda a: 1 - (1 - _ratio(a["leavers"], a["headcount"])) ** 12),
    }),
]}


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
