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
    """Per month: contacts, the in-house cost (flat) and the cost per contact.

    Columns ``contacts``, ``cost`` (currency per month) and ``cost_per_contact``.
    """
    monthly = demand.monthly_volume(client.demand)["total"]
    cost = float(costs.inhouse_baseline(client.inhouse)["monthly"].sum())
    return pd.DataFrame({"contacts": monthly, "cost": cost,
                         "cost_per_contact": costs.cost_per_contact(cost, monthly)})


def profile_headlines(client: Client, currency: str | None = None) -> Headlines:
    """The consultant's first slide, in numbers: volume, peaks and what it costs today.

    ``currency`` is the label shown (default: the scenario's ISO code).
    """
    cur = currency or client.currency
    d = client.demand
    mix = demand.channel_mix(d)
    by_interval = d.groupby("interval_start")["contacts"].sum()
    busiest = by_interval.idxmax()
    months = demand.monthly_volume(d)
    base = costs.inhouse_baseline(client.inhouse)
    monthly_cost = float(base["monthly"].sum())
    total = int(mix["contacts"].sum())
    n_months = len(months)
    minutes = client.scenario.interval_minutes
    return Headlines([
        Headline("contacts_per_year", "Contacts in the year", total, "contacts"),
        *(Headline(f"{ch}_contacts", f"{ch.capitalize()} contacts", int(mix.loc[ch, "contacts"]),
                   "contacts", note=f"{mix.loc[ch, 'contact_share']:.0%} of contacts")
          for ch in mix.index),
        Headline("workload_hours", "Workload (contacts x AHT)", float(mix["workload_h"].sum()),
                 "hours"),
        Headline("busiest_interval_contacts", f"Busiest {minutes}-minute interval",
                 int(by_interval.max()), "contacts", note=f"{busiest:%a %d %b %Y %H:%M}"),
        Headline("peak_month_index", "Busiest month vs average month",
                 float(months["seasonality_index"].max()), "x", 2,
                 note=f"{months['seasonality_index'].idxmax():%B}"),
        Headline("baseline_monthly_cost", "In-house cost today", monthly_cost,
                 f"{cur} per month"),
        Headline("baseline_cost_per_contact", "In-house cost per contact",
                 monthly_cost * n_months / total, f"{cur} per contact",
                 1, note=f"over {n_months} months of demand"),
    ], title=f"{client.scenario.company}: demand and cost today")


def channel_table(client: Client) -> Styler:
    """Channel mix with units in the headers: contacts, shares, AHT and workload."""
    mix = demand.channel_mix(client.demand).rename_axis("channel").reset_index()
    mix.columns = ["channel", "contacts per year", "share of contacts", "AHT (s)",
                   "workload (hours per year)", "share of workload"]
    return styled(mix, {"contacts per year": "{:,.0f}", "share of contacts": "{:.1%}",
                        "AHT (s)": "{:,.0f}", "workload (hours per year)": "{:,.0f}",
                        "share of workload": "{:.1%}"}, "Channel mix")


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
