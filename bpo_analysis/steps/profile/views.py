"""The client profile in the report (notebook 00).

Demand and in-house cost baseline in a few numbers, and the tables beside the charts.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core import costs, demand
from bpo_analysis.core.inhouse import AS_IS, INCUMBENT, incumbent_fees
from bpo_analysis.core.present import Headline, Headlines, Paragraph, styled
from bpo_analysis.data.client import Client
from bpo_analysis.data.quality import quality_summary
from bpo_analysis.i18n import N_, _, day, day_time, month_long, plural, term
from bpo_analysis.steps.profile.calc import baseline_by_month

__all__ = ["baseline_table", "channel_table", "episodes_table", "peaks_paragraph",
           "profile_headlines", "quality_table"]


def profile_headlines(client: Client, currency: str | None = None) -> Headlines:
    """Return the consultant's first slide, in numbers: volume, peaks and today's cost.

    Totals are over the period the demand covers (its first to last day); the cost per
    contact divides the in-house cost of those days by their contacts. ``currency`` is
    the label shown (default: the scenario's ISO code).
    """
    cur = currency or client.currency
    d = client.demand
    first, last, days = demand.period(d)
    span = _("{first:%Y-%m-%d} to {last:%Y-%m-%d} ({days} days)").format(first=first, last=last,
                                                                        days=days)
    mix = demand.channel_mix(d)
    by_interval = d.groupby("interval_start")["contacts"].sum()
    months = demand.monthly_volume(d)
    by_month = baseline_by_month(client)
    total = int(mix["contacts"].sum())
    minutes = client.scenario.interval_minutes
    contacts = _("contacts")
    return Headlines([
        Headline("contacts", _("Contacts in the period"), total, contacts, note=span),
        *(Headline(f"{ch}_contacts", _("{channel} contacts").format(
                       channel=term(ch).capitalize()), int(mix.loc[ch, "contacts"]),
                   contacts, note=_("{share:.0%} of contacts").format(
                       share=mix.loc[ch, "contact_share"]))
          for ch in mix.index),
        Headline("workload_hours", _("Workload (contacts x AHT)"),
                 float(mix["workload_h"].sum()), _("hours"), note=_("in the period")),
        Headline("busiest_interval_contacts", _("Busiest {minutes}-minute interval").format(
                     minutes=minutes), int(by_interval.max()), contacts,
                 note=day_time(by_interval.idxmax())),
        Headline("peak_month_index", _("Busiest month vs average (per day)"),
                 float(months["seasonality_index"].max()), "x", 2,
                 note=month_long(months["seasonality_index"].idxmax())),
        Headline("baseline_monthly_cost", term(AS_IS),
                 float(costs.inhouse_baseline(client.inhouse)["monthly"].sum()),
                 _("{currency} per month").format(currency=cur)),
        *([Headline("incumbent_fees_monthly", term(INCUMBENT),  # the money bridge's number
                    float(incumbent_fees(client).mean()),
                    _("{currency} per month").format(currency=cur),
                    note=_("the invoices of the vendor answering part of the contacts"))]
          if by_month["incumbent"].sum() > 0 else []),
        Headline("baseline_cost_per_contact", _("Cost per contact today"),
                 float(by_month["cost"].sum()) / total,
                 _("{currency} per contact").format(currency=cur), 1,
                 note=_("cost of the {days} days over their contacts").format(days=days)
                 if by_month["incumbent"].sum() == 0 else _(
                     "in-house centre and incumbent vendor, {days} days, over all "
                     "contacts").format(days=days)),
    ], title=_("{company}: demand and cost today").format(company=client.scenario.company))


def channel_table(client: Client) -> Styler:
    """Style the channel mix with units in the headers: contacts, shares, AHT and workload."""
    mix = demand.channel_mix(client.demand).rename_axis("channel").reset_index()
    mix.columns = [N_("channel"), N_("contacts in the period"), N_("share of contacts"),
                   N_("AHT (s)"), N_("workload (hours in the period)"),
                   N_("share of workload")]
    mix["channel"] = mix["channel"].map(term)
    first, last, _days = demand.period(client.demand)
    return styled(mix, {"contacts in the period": "{:,.0f}", "share of contacts": "{:.1%}",
                        "AHT (s)": "{:,.0f}", "workload (hours in the period)": "{:,.0f}",
                        "share of workload": "{:.1%}"},
                  _("Channel mix, {first:%Y-%m-%d} to {last:%Y-%m-%d}").format(first=first,
                                                                              last=last))


def episodes_table(episodes: pd.DataFrame) -> Styler:
    """Style the unusual episodes (peaks and troughs) with units in the headers."""
    t = episodes.assign(start=episodes["start"].dt.date, end=episodes["end"].dt.date,
                        peak_date=episodes["peak_date"].dt.date)
    t.columns = [N_("kind"), N_("first day"), N_("last day"), N_("days"),
                 N_("most unusual day"), N_("ratio to usual (x)"), N_("contacts"),
                 N_("contacts above usual")]
    t["kind"] = t["kind"].map(term)
    return styled(t, {"ratio to usual (x)": "{:.2f}", "contacts": "{:,.0f}",
                      "contacts above usual": "{:+,.0f}"},
                  _("Unusual days: same-weekday median of the surrounding weeks as the usual"))


def _episode(e) -> str:
    """Say one peak or trough: its days, its most unusual ratio, the contacts off usual."""
    one_day = e.start == e.end
    if e.kind == "peak":
        text = (_("a peak on {first} (×{ratio:.2f} the usual, {excess:,.0f} contacts above it)")
                if one_day else
                _("a peak from {first} to {last} ({days} days, up to ×{ratio:.2f} the usual, "
                  "{excess:,.0f} contacts above it)"))
    else:
        text = (_("a trough on {first} (×{ratio:.2f} the usual, {excess:,.0f} contacts below "
                  "it)") if one_day else
                _("a trough from {first} to {last} ({days} days, down to ×{ratio:.2f} the "
                  "usual, {excess:,.0f} contacts below it)"))
    return text.format(first=day(e.start), last=day(e.end), days=e.days, ratio=e.peak_ratio,
                       excess=abs(e.excess_contacts))


def peaks_paragraph(episodes: pd.DataFrame, threshold: float, top: int = 3) -> Paragraph:
    """Say which days of the client's demand are far from the usual, the largest first.

    Parameters
    ----------
    episodes : DataFrame
        :func:`bpo_analysis.core.demand.find_peaks` of the client's daily contacts.
    threshold : float
        The ratio to the usual day of its weekday the episodes were found at.
    top : int
        Episodes named, the most contacts above (or below) the usual first.

    Returns
    -------
    Paragraph
        The number of episodes and the ``top`` largest with their dates; a demand without
        any says so.

    Examples
    --------
    >>> e = pd.DataFrame({"kind": ["peak"], "start": [pd.Timestamp("2025-03-10")],
    ...                   "end": [pd.Timestamp("2025-03-12")], "days": [3],
    ...                   "peak_ratio": [2.5], "excess_contacts": [4200.0]})
    >>> peaks_paragraph(e, 1.4)  # doctest: +NORMALIZE_WHITESPACE
    Days at ×1.4 or more the usual volume of their weekday (peaks) or at ×0.71 or less
    (troughs): 1 episode, a peak from 10 March 2025 to 12 March 2025 (3 days, up to
    ×2.50 the usual, 4,200 contacts above it).
    """
    if episodes.empty:
        return Paragraph(_("No day of the demand is at ×{high:g} or more the usual volume of "
                           "its weekday, or at ×{low:.2f} or less: no peak or trough stands "
                           "out.").format(high=threshold, low=1 / threshold))
    largest = episodes.loc[episodes["excess_contacts"].abs()
                           .sort_values(ascending=False, kind="stable").index[:top]]
    return Paragraph(plural(
        len(episodes),
        N_("Days at ×{high:g} or more the usual volume of their weekday (peaks) or at "
           "×{low:.2f} or less (troughs): {n} episode, {episodes}."),
        N_("Days at ×{high:g} or more the usual volume of their weekday (peaks) or at "
           "×{low:.2f} or less (troughs): {n} episodes; the largest: {episodes}."),
        high=threshold, low=1 / threshold,
        episodes=_("; ").join(_episode(e) for e in largest.itertuples())))


#: The in-house cost items and groups (:func:`bpo_analysis.core.costs.inhouse_baseline`),
#: translated on display.
_GROUPS = (N_("people"), N_("facilities"), N_("technology"))
_ITEMS = (N_("Agent pay"), N_("Agent insurance and benefits"), N_("Night-shift premium"),
          N_("Supervisors"), N_("Managers"), N_("Recruiting and training"), N_("Seats: rent"),
          N_("Seats: equipment"), N_("Seats: IT licences"), N_("Platform (ACD/IVR/WFM)"),
          N_("Other overhead"))
#: How each item is worked out, in words (the cost model's formula, in its Notes).
_BASIS = {
    "Agent pay": N_("agents × monthly pay × (12 + bonus months) / 12"),
    "Agent insurance and benefits": N_("agents × monthly pay × employer insurance and "
                                       "benefits"),
    "Night-shift premium": N_("agents × monthly pay × night premium × share of night hours"),
    "Supervisors": N_("one team lead per {span:g} agents (rounded up) × their pay, bonuses "
                      "and insurance"),
    "Managers": N_("managers ({managers:g}) × their pay, bonuses and insurance"),
    "Recruiting and training": N_("agents leaving a month (yearly attrition / 12) × cost "
                                  "of a hire"),
    "Seats: rent": N_("seats × rent per seat"),
    "Seats: equipment": N_("seats × equipment per seat"),
    "Seats: IT licences": N_("seats × IT licences per seat"),
    "Platform (ACD/IVR/WFM)": N_("fixed per month"),
    "Other overhead": N_("fixed per month"),
}


def baseline_table(client: Client, currency: str | None = None) -> Styler:
    """Style the in-house cost items, monthly and yearly, with the currency in the headers.

    Each item with its group and how it is worked out in words, in the report language.
    """
    cur = currency or client.currency
    b = costs.inhouse_baseline(client.inhouse)
    month = _("{currency} per month").format(currency=cur)
    year = _("{currency} per year").format(currency=cur)
    h = client.inhouse.headcount
    basis = [term(_BASIS[i]).format(span=h.agents_per_supervisor, managers=h.managers)
             if i in _BASIS else str(raw) for i, raw in zip(b["item"], b["basis"], strict=True)]
    t = pd.DataFrame({N_("group"): b["group"].map(term), N_("item"): b["item"].map(term),
                      N_("basis"): basis, month: b["monthly"], year: b["monthly"] * 12,
                      N_("share"): b["monthly"] / b["monthly"].sum()})
    total = pd.DataFrame([{"group": "", "item": _("Total"), "basis": "",
                           month: t[month].sum(), year: t[year].sum(), "share": 1.0}])
    return styled(pd.concat([t, total], ignore_index=True),
                  {month: "{:,.0f}", year: "{:,.0f}", "share": "{:.1%}"},
                  _("In-house cost baseline (as-is)"))


#: The client's files by name (without extension), as the data-quality table names them.
_FILES = {
    "scenario": N_("Scenario: company, opening hours, service targets"),
    "inhouse_costs": N_("In-house costs today"),
    "criteria": N_("Vendor evaluation criteria"),
    "sla": N_("Service-level agreement terms"),
    "maturity_answers": N_("Maturity questionnaire answers"),
    "tco": N_("Total-cost-of-ownership assumptions"),
    "roi": N_("Business-case assumptions"),
    "continuity": N_("Business-continuity assumptions"),
    "decision": N_("Decisions already taken"),
    "demand_intervals": N_("Contacts per interval (the demand)"),
    "vendors": N_("Vendors on the long list"),
    "quotes": N_("Vendors' quotes"),
    "vendor_monthly_reports": N_("Incumbent vendor's monthly reports"),
    "risks": N_("Risk register"),
    "roi_actuals": N_("Results since the start"),
}
#: The columns of the data-quality table (translated on display by ``styled``).
_QUALITY = (N_("data"), N_("rows"), N_("notes"))


def quality_table(client: Client) -> Styler:
    """Style what the report rests on: every input by what it holds, its rows and notes.

    The files' names, formats and fingerprints are the report's appendix; here each input
    reads as what it holds ("In-house costs today"), with the rows of a table and anything
    noticed while loading it.
    """
    q = quality_summary(client)
    stems = q["file"].str.rsplit(".", n=1).str[0]
    tables = q["format"].isin(["csv", "xlsx"])
    t = pd.DataFrame({"data": [term(_FILES[f]) if f in _FILES else name
                               for f, name in zip(stems, q["file"], strict=True)],
                      "rows": q["rows"].where(tables),
                      "notes": q["notes"].replace({"ok": _("no issue found")})})
    return styled(t, {"rows": "{:,.0f}"}, plural(
        len(t), N_("Data quality: {n} input of {company}"),
        N_("Data quality: {n} inputs of {company}"), company=client.scenario.company))
