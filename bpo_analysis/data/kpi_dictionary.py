"""The KPI dictionary's entries: each KPI's name, unit, direction, channels and formulas.

:mod:`bpo_analysis.data.kpis` documents the aggregates the formulas read and evaluates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bpo_analysis.data.models.types import CHANNELS
from bpo_analysis.i18n import N_

__all__ = ["KPIS", "Kpi", "Variant"]

#: The real-time channels: a customer waits in a queue (speed of answer, abandonment).
_LIVE = ("voice", "chat")

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
    the ``canonical`` variant and the others vendors use (``variants``), and the
    ``channels`` it applies to.
    """

    id: str
    name: str
    unit: str
    direction: str  # "higher" or "lower" is better
    source: str
    canonical: str
    variants: dict[str, Variant] = field(default_factory=dict)
    #: The channels the KPI means something on (ASA on voice and chat, the time to first
    #: reply on email); every channel by default.
    channels: tuple[str, ...] = CHANNELS

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
    }, _LIVE),
    Kpi("first_reply", N_("Time to first reply"), N_("s"), "lower",
        N_("interaction records (email system)"), "queue", {
        "queue": _v(N_("time from arrival to the first reply / replied"), ("wait_s", "answered"),
                    lambda a: _ratio(a["wait_s"], a["answered"])),
    }, ("email",)),
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
        }, _LIVE),
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
