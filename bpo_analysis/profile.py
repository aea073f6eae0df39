"""The client profile (notebook 00): demand and in-house cost baseline in a few numbers."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from . import costs, demand
from .io import Client
from .present import Headline, Headlines, styled
from .quality import quality_summary

__all__ = ["baseline_by_month", "baseline_table", "channel_table", "episodes_table",
           "profile_headlines", "quality_table"]


def baseline_by_month(client: Client) -> pd.DataFrame:
    """Per calendar month: contacts, the in-house cost and the cost per contact.

    The in-house cost is flat per month; a month the demand covers only partly gets the
    share of it for the days covered, so its cost per contact is not inflated.
    Columns ``contacts``, ``days_covered``, ``cost`` (currency) and ``cost_per_contact``.
    """
    months = demand.monthly_volume(client.demand)
    monthly_cost = float(costs.inhouse_baseline(client.inhouse)["monthly"].sum())
    cost = monthly_cost * months["days_covered"] / months["days_in_month"]
    return pd.DataFrame({"contacts": months["total"], "days_covered": months["days_covered"],
                         "cost": cost,
                         "cost_per_contact": costs.cost_per_contact(cost, months["total"])})


def profile_headlines(client: Client, currency: str | None = None) -> Headlines:
    """The consultant's first slide, in numbers: volume, peaks and what it costs today.

    Totals are over the period the demand covers (its first to last day); the cost per
    contact divides the in-house cost of those days by their contacts. ``currency`` is
    the label shown (default: the scenario's ISO code).
    """
    cur = currency or client.currency
    d = client.demand
    first, last, days = demand.period(d)
    span = f"{first:%Y-%m-%d} to {last:%Y-%m-%d} ({days} days)"
    mix = demand.channel_mix(d)
    by_interval = d.groupby("interval_start")["contacts"].sum()
    months = demand.monthly_volume(d)
    by_month = baseline_by_month(client)
    total = int(mix["contacts"].sum())
    minutes = client.scenario.interval_minutes
    return Headlines([
        Headline("contacts", "Contacts in the period", total, "contacts", note=span),
        *(Headline(f"{ch}_contacts", f"{ch.capitalize()} contacts", int(mix.loc[ch, "contacts"]),
                   "contacts", note=f"{mix.loc[ch, 'contact_share']:.0%} of contacts")
          for ch in mix.index),
        Headline("workload_hours", "Workload (contacts x AHT)", float(mix["workload_h"].sum()),
                 "hours", note="in the period"),
        Headline("busiest_interval_contacts", f"Busiest {minutes}-minute interval",
                 int(by_interval.max()), "contacts",
                 note=f"{by_interval.idxmax():%a %d %b %Y %H:%M}"),
        Headline("peak_month_index", "Busiest month vs average (per day)",
                 float(months["seasonality_index"].max()), "x", 2,
                 note=f"{months['seasonality_index'].idxmax():%B %Y}"),
        Headline("baseline_monthly_cost", "In-house cost today",
                 float(costs.inhouse_baseline(client.inhouse)["monthly"].sum()),
                 f"{cur} per month"),
        Headline("baseline_cost_per_contact", "In-house cost per contact",
                 float(by_month["cost"].sum()) / total, f"{cur} per contact", 1,
                 note=f"cost of the {days} days over their contacts"),
    ], title=f"{client.scenario.company}: demand and cost today")


def channel_table(client: Client) -> Styler:
    """Channel mix with units in the headers: contacts, shares, AHT and workload."""
    mix = demand.channel_mix(client.demand).rename_axis("channel").reset_index()
    mix.columns = ["channel", "contacts in the period", "share of contacts", "AHT (s)",
                   "workload (hours in the period)", "share of workload"]
    first, last, _ = demand.period(client.demand)
    return styled(mix, {"contacts in the period": "{:,.0f}", "share of contacts": "{:.1%}",
                        "AHT (s)": "{:,.0f}", "workload (hours in the period)": "{:,.0f}",
                        "share of workload": "{:.1%}"},
                  f"Channel mix, {first:%Y-%m-%d} to {last:%Y-%m-%d}")


def episodes_table(episodes: pd.DataFrame) -> Styler:
    """Unusual episodes (peaks and troughs) with units in the headers."""
    t = episodes.assign(start=episodes["start"].dt.date, end=episodes["end"].dt.date,
                        peak_date=episodes["peak_date"].dt.date)
    t.columns = ["kind", "first day", "last day", "days", "most unusual day",
                 "ratio to usual (x)", "contacts", "contacts above usual"]
    return styled(t, {"ratio to usual (x)": "{:.2f}", "contacts": "{:,.0f}",
                      "contacts above usual": "{:+,.0f}"},
                  "Unusual days: same-weekday median of the surrounding weeks as the usual")


def baseline_table(client: Client, currency: str | None = None) -> Styler:
    """The in-house cost items, monthly and yearly, with the currency in the headers."""
    cur = currency or client.currency
    b = costs.inhouse_baseline(client.inhouse)
    t = pd.DataFrame({"group": b["group"], "item": b["item"], "basis": b["basis"],
                      f"{cur} per month": b["monthly"], f"{cur} per year": b["monthly"] * 12,
                      "share": b["monthly"] / b["monthly"].sum()})
    total = pd.DataFrame([{"group": "", "item": "Total", "basis": "",
                           f"{cur} per month": t[f"{cur} per month"].sum(),
                           f"{cur} per year": t[f"{cur} per year"].sum(), "share": 1.0}])
    return styled(pd.concat([t, total], ignore_index=True),
                  {f"{cur} per month": "{:,.0f}", f"{cur} per year": "{:,.0f}",
                   "share": "{:.1%}"}, "In-house cost baseline (as-is)")


def quality_table(client: Client) -> Styler:
    """What the report rests on: every file, its format, encoding, rows and notes."""
    return styled(quality_summary(client), {"rows": "{:,.0f}"},
                  f"Data quality: {client.path}")
