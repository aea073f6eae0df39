"""Step 0 as one call: ``run(client, ...)`` profiles the client's demand and cost.

It profiles the demand and today's in-house cost, and returns a :class:`ProfileResult`.

A retailer opens the engagement on its own numbers:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"))
>>> list(result.figures)
['heatmap', 'monthly', 'channel_mix', 'daily', 'baseline_cost', 'cost_per_contact']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from bpo_analysis.core import costs, demand
from bpo_analysis.core.heatmaps import demand_heatmap
from bpo_analysis.core.present import Headlines, Paragraph
from bpo_analysis.core.result import StepResult, currency_used, left_open
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _
from bpo_analysis.steps import sourcing
from bpo_analysis.steps.profile import calc, charts, views

__all__ = ["ProfileResult", "run"]


@dataclass(frozen=True, eq=False)
class ProfileResult(StepResult):
    """The client's demand profile and cost baseline.

    ``peak_threshold`` (in ``inputs``) is the ratio to the usual day of its weekday at which
    a day counts as unusual; ``from_files`` the notebook parameters the run left to the
    client's files (:meth:`_used` says what it took for them).
    """

    step = "00 profile"

    client: Client
    currency: str
    inputs: dict[str, Any] = field(default_factory=dict)
    from_files: frozenset[str] = frozenset()

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Return the contacts per day (:func:`bpo_analysis.core.demand.daily_volume`)."""
        return demand.daily_volume(self.client.demand)

    @cached_property
    def episodes(self) -> pd.DataFrame:
        """Return the unusual days (:func:`bpo_analysis.core.demand.find_peaks`)."""
        return demand.find_peaks(self.daily["total"], threshold=self.inputs["peak_threshold"])

    @property
    def peaks_text(self) -> Paragraph:
        """Return the client's peaks and troughs in words, the largest with their dates."""
        return views.peaks_paragraph(self.episodes, self.inputs["peak_threshold"])

    def _headline(self) -> Headlines:
        return views.profile_headlines(self.client, self.currency)

    def _used(self) -> Mapping[str, str]:
        return currency_used(self.client, self.from_files)

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        c, cur = self.client, self.currency
        return {"channels": lambda: views.channel_table(c),
                "episodes": lambda: views.episodes_table(self.episodes),
                "baseline": lambda: views.baseline_table(c, cur),
                "bridge": lambda: sourcing.upstream(c).tables["bridge"],
                "quality": lambda: views.quality_table(c)}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        c, cur = self.client, self.currency
        cube = lambda: demand.heatmap_cube(c.demand, c.scenario.interval_minutes)  # noqa: E731
        return {
            "heatmap": lambda: demand_heatmap(demand.heatmap(cube()), title=_(
                "When contacts arrive: average contacts per interval, all channels")),
            "monthly": lambda: charts.monthly_volume_chart(demand.monthly_volume(c.demand)),
            "channel_mix": lambda: charts.channel_mix_chart(demand.channel_mix(c.demand)),
            "daily": lambda: charts.daily_volume_chart(self.daily, self.episodes),
            "baseline_cost": lambda: charts.baseline_cost_chart(
                costs.inhouse_baseline(c.inhouse), cur),
            "cost_per_contact": lambda: charts.cost_per_contact_chart(
                calc.baseline_by_month(c), cur)}


def run(client: Client, *, currency: str = "", peak_threshold: float = 1.4) -> ProfileResult:
    """Run step 0 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its demand, in-house costs and scenario).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    peak_threshold : float
        A day is unusual at this ratio (> 1) to the usual day of its weekday.

    Returns
    -------
    ProfileResult
    """
    result = ProfileResult(client, currency or client.currency,
                           {"peak_threshold": peak_threshold},
                           left_open(currency_label=(currency, "")))
    result.episodes  # noqa: B018 -- a bad threshold is refused here, before any output
    return result
