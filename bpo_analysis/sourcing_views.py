"""Step 1 in the report: the recommendation, headline figures and tables, with units.

Pure presentation of :mod:`bpo_analysis.sourcing` results; no calculation of its own.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from .io import Client
from .present import Headline, Headlines, styled
from .sourcing import break_even_table, peak_effect

__all__ = ["break_even_view", "headlines", "horizon_view", "peak_view", "recommendation",
           "schedule_view", "summary_table"]


def recommendation(summary: pd.DataFrame, currency: str) -> str:
    """One sentence: the cheapest option, its cost, and its margin over the next one.

    >>> s = pd.DataFrame({"total": [90.0e6, 99.0e6], "per_contact": [68.4, 75.2]},
    ...                  index=["In-house", "Shared (per contact)"])
    >>> recommendation(s, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'Cheapest under these assumptions: In-house, 90,000,000 TWD over the period (68.4 TWD
    per contact), 9,000,000 TWD (9.1 %) less than Shared (per contact).'
    """
    s = summary.sort_values("total")
    best, nxt = s.index[0], s.index[1]
    gap = s["total"].iloc[1] - s["total"].iloc[0]
    return (f"Cheapest under these assumptions: {best}, {s['total'].iloc[0]:,.0f} {currency} "
            f"over the period ({s['per_contact'].iloc[0]:,.1f} {currency} per contact), "
            f"{gap:,.0f} {currency} ({gap / s['total'].iloc[1] * 100:.1f} %) less than {nxt}.")


def horizon_sentence(horizon: pd.DataFrame, months: int, currency: str) -> str:
    """The cheapest option over the planning horizon in present value, and its margin.

    >>> h = pd.DataFrame({"pv": [250.0e6, 270.0e6]}, index=["Dedicated (per seat)",
    ...                                                      "In-house"])
    >>> horizon_sentence(h, 36, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'Over the 36-month horizon: Dedicated (per seat), 250,000,000 TWD in present value,
    20,000,000 TWD (7.4 %) less than In-house.'
    """
    s = horizon.sort_values("pv")
    gap = s["pv"].iloc[1] - s["pv"].iloc[0]
    return (f"Over the {months}-month horizon: {s.index[0]}, {s['pv'].iloc[0]:,.0f} "
            f"{currency} in present value, {gap:,.0f} {currency} "
            f"({gap / s['pv'].iloc[1] * 100:.1f} %) less than {s.index[1]}.")


def headlines(summary: pd.DataFrame, volume: float | None, currency: str,
              horizon: pd.DataFrame | None = None, months: int = 0) -> Headlines:
    """Step 1 in numbers: the cheapest option, its margin, the shared/dedicated
    break-even volume and, given the :func:`~bpo_analysis.sourcing.horizon_summary`,
    the cheapest option's present value over the ``months`` of the horizon."""
    s = summary.sort_values("total")
    items = [
        Headline("cheapest_option_per_month", f"Cheapest: {s.index[0]}",
                 float(s["per_month"].iloc[0]), f"{currency} per month"),
        Headline("cheapest_per_contact", "Its cost per contact",
                 float(s["per_contact"].iloc[0]), f"{currency} per contact", 1),
        Headline("margin_over_next", f"Saving vs {s.index[1]}",
                 float(s["total"].iloc[1] - s["total"].iloc[0]), f"{currency} over the period"),
    ]
    if volume is not None:
        items.append(Headline("break_even_contacts", "Shared = dedicated at", volume,
                              "contacts per month"))
    title = recommendation(summary, currency)
    if horizon is not None:
        h = horizon.sort_values("pv")
        items.append(Headline("horizon_cheapest_pv", f"{months} months: {h.index[0]}",
                              float(h["pv"].iloc[0]), f"{currency} present value"))
        title += " " + horizon_sentence(horizon, months, currency)
    return Headlines(items, title=title)


def summary_table(summary: pd.DataFrame, currency: str) -> Styler:
    """The options side by side, cheapest first, with the currency in the headers."""
    t = summary.rename(columns={
        "total": f"{currency} over the period", "per_month": f"{currency} per month",
        "per_contact": f"{currency} per contact", "vs_cheapest": f"{currency} above cheapest",
        "vs_cheapest_share": "above cheapest"}).rename_axis("option").reset_index()
    money = "{:,.0f}"
    return styled(t, {f"{currency} over the period": money, f"{currency} per month": money,
                      f"{currency} per contact": "{:,.1f}",
                      f"{currency} above cheapest": money, "above cheapest": "{:.1%}"},
                  "Sourcing options, cheapest first")


def break_even_view(curve: pd.DataFrame, currency: str) -> Styler:
    """:func:`break_even_table` for the report ("-" where two options never cross)."""
    t = break_even_table(curve, currency).drop(columns="currency")
    return styled(t, {"break-even (contacts per month)": "{:,.0f}"},
                  f"Break-even volumes (costs in {currency}; '-': no crossing in the range)")


def peak_view(tables: dict[str, pd.DataFrame], client: Client, currency: str) -> Styler:
    """:func:`peak_effect` for the report, money in the currency, premium in %."""
    t = peak_effect(tables, client).rename_axis("option").reset_index()
    money = {c: "{:,.0f}" for c in t.columns if c not in ("option", "busiest vs average")}
    return styled(t, {**money, "busiest vs average": "{:+.1%}"},
                  f"Seasons and spikes: cost per month ({currency}) of each option")


def horizon_view(horizon: pd.DataFrame, currency: str) -> Styler:
    """:func:`~bpo_analysis.sourcing.horizon_summary` for the report, cheapest first."""
    t = horizon.rename(columns={
        "nominal": f"{currency} nominal", "pv": f"{currency} present value",
        "per_month": f"{currency} per month", "vs_cheapest_pv": f"{currency} PV above cheapest",
        "vs_cheapest_share": "above cheapest"}).reset_index()
    money = "{:,.0f}"
    return styled(t, {f"{currency} nominal": money, f"{currency} present value": money,
                      f"{currency} per month": money, f"{currency} PV above cheapest": money,
                      "above cheapest": "{:.1%}"},
                  "The options over the planning horizon, cheapest in present value first")


def schedule_view(fte: pd.DataFrame) -> Styler:
    """In-house FTE per month on whole shifts against the hours the demand needs."""
    t = fte[["needed_hours", "agent_hours", "fte_needed", "fte", "schedule_efficiency",
             "night_share", "peak_seats"]].rename(columns={
                 "needed_hours": "agent-hours needed (h)", "agent_hours": "paid shift hours (h)",
                 "fte_needed": "FTE without shift loss", "fte": "FTE on shifts",
                 "schedule_efficiency": "needed / paid hours", "night_share": "night hours",
                 "peak_seats": "peak agents on shift (seats)"})
    t.index = t.index.strftime("%b %Y")
    t = t.rename_axis("month").reset_index()
    return styled(t, {"agent-hours needed (h)": "{:,.0f}", "paid shift hours (h)": "{:,.0f}",
                      "FTE without shift loss": "{:,.1f}", "FTE on shifts": "{:,.1f}",
                      "needed / paid hours": "{:.1%}", "night hours": "{:.1%}",
                      "peak agents on shift (seats)": "{:,.0f}"},
                  "In-house staffing on whole shifts, per month")
