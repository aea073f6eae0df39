"""The monthly performance review in the report.

Headline and tables of a :class:`~bpo_analysis.steps.review.step.ReviewResult`, with
units and currency.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, Paragraph, fmt, styled
from bpo_analysis.core.sla_lines import line_name, split
from bpo_analysis.data import kpis
from bpo_analysis.i18n import N_, _, day_time, month_long, plural, term
from bpo_analysis.i18n import month as month_label
from bpo_analysis.steps.review.display import (
    GROUP_NAMES,
    fmt_kpi,
    group_name,
    in_hours,
    quality_status,
    rule_fired,
)

if TYPE_CHECKING:
    from bpo_analysis.steps.review.step import ReviewResult

__all__ = ["alerts_view", "credits_view", "headlines", "qa_view", "quality_view",
           "reconciliation_view", "save_qa_list", "scorecard_view", "title", "volume_view",
           "write_qa_list"]

#: KPIs on the scorecard besides the contract's (shown without a RAG status).
WATCHED = ("asa", "aht", "nps", "complaint_rate")
RAG_COLOURS = {N_("green"): "#dafbe1", N_("amber"): "#fff8c5", N_("red"): "#ffebe9",
               N_("no term"): "", N_("no data"): "#eaeef2"}


def headlines(res: ReviewResult, currency: str) -> Headlines:
    """Return the month in numbers: contacts, the service level, credits and alerts.

    Contacts, the service level recomputed and as reported, the credits owed, the KPIs in
    red, and the alerts on the bad side.
    """
    m = res.monthly.loc[res.month]
    card = res.scorecard.set_index("kpi")
    sl_lines = [k for k in card.index if split(k)[0] == "service_level"]
    sl = card.loc[sl_lines[0]] if sl_lines else None  # the first channel's (voice)
    c = res.credits
    red = card[card["status"] == "red"]
    worse = res.month_alerts[res.month_alerts["worse"]]
    excluded = int(res.quality.loc[res.quality["kind"] == "left out", "records"].sum())
    items = [
        Headline("offered", _("Contacts offered"), float(m["offered"]), _("contacts")),
        Headline("net_credits", _("Credits owed this month"), float(c["net"]),
                 _("{currency} (net of earn-back and bonus)").format(currency=currency),
                 note=_("{credits:,.0f} {currency} credits on a {invoice:,.0f} {currency} "
                        "invoice").format(credits=c["credits"], currency=currency,
                                          invoice=c["invoice"])),
        Headline("kpis_red", _("KPIs below the contract minimum"), float(len(red)),
                 _("KPIs (per channel)"), note=", ".join(red["name"]) or _("none")),
        Headline("alerts_worse", _("Control-chart alerts (worse)"), float(len(worse)),
                 _("alerts"),
                 note=(_("limits from {n} months").format(n=res.baseline) if res.charts else
                       _("too few months for control limits"))),
        Headline("records_excluded", _("Records left out"), float(excluded), _("records"),
                 note=_("see data quality")),
    ]
    if sl is not None:
        items.insert(1, Headline("service_level", _("{kpi}, recomputed").format(
                                     kpi=sl["name"]), float(sl["value"]), "%", 1,
                                 note=_("the vendor reported {value:.1%}").format(
                                     value=sl["reported"])
                                 if np.isfinite(sl["reported"]) else _("not reported")))
    return Headlines(items, title=title(res, len(red), float(c["net"]), currency))


def title(res: ReviewResult, red: int, net: float, currency: str) -> str:
    """Say the month in one sentence: the vendor, the KPIs in red, the credits owed.

    And what the reconciliation found in its report: figures the vendor computes with
    another definition than the contract's, and figures the records do not support.
    """
    now = res.reconciliation[(res.reconciliation["month"] == str(res.month))
                             & res.reconciliation["flagged"]]
    other, unsupported = int(now["explained"].sum()), int((~now["explained"]).sum())
    below = (plural(red, N_("{n} KPI below the contract minimum"),
                    N_("{n} KPIs below the contract minimum")) if red else
             _("no KPI below the contract minimum"))
    found = [plural(other, N_("{n} reported figure follows another definition than the "
                              "contract's"),
                    N_("{n} reported figures follow another definition than the "
                       "contract's"))] if other else []
    if unsupported:
        found.append(plural(unsupported, N_("{n} reported figure is not supported by the "
                                            "records"),
                            N_("{n} reported figures are not supported by the records")))
    elif other:
        found.append(_("the records support the others"))
    return _("{vendor} in {month}: {below}, {net} owed in credits. {found}.").format(
        vendor=res.vendor, month=month_long(res.month), below=below,
        net=fmt(net, currency),
        found=(_("{first}; {second}").format(first=found[0], second=found[1])
               if len(found) == 2 else found[0] if found else
               _("Every reported figure matches the records")))


def quality_view(res: ReviewResult) -> Styler:
    """Style the month's records: kept, left out by reason, and times converted (by zone)."""
    read = res.quality["records"].where(res.quality["kind"] != "converted").sum()
    q = res.quality.drop(columns="kind").assign(share=lambda d: d["records"] / read,
                                                status=lambda d: d["status"].map(
                                                    quality_status))
    q = q.rename(columns={"status": N_("records"), "records": N_("count (records)"),
                          "share": N_("share (%)")})
    return styled(q, {"count (records)": "{:,.0f}", "share (%)": "{:.2%}"},
                  _("Data quality: the records of {vendor}, {month}").format(
                      vendor=res.vendor, month=month_long(res.month)))


def _shown(values: pd.Series, units: pd.Series, hours: np.ndarray, **kw) -> list[str]:
    """Show each value with its KPI's unit (:func:`.display.fmt_kpi`), hours where marked."""
    return [fmt_kpi(v, u, hours=h, **kw)
            for v, u, h in zip(values, units, hours, strict=True)]


def _hours(frame: pd.DataFrame, units: pd.Series, columns: list[str]) -> np.ndarray:
    """Mark the rows whose times read in hours (any of ``columns`` an hour or more)."""
    return np.array([in_hours(u, row) for u, row in
                     zip(units, frame[columns].to_numpy(float), strict=True)], bool)


def scorecard_view(res: ReviewResult) -> Styler:
    """Style the month's KPIs against target and minimum, in red / amber / green.

    The KPIs follow the contract definitions, from the records, with the vendor's own figure
    beside them.
    """
    c = res.scorecard
    h = _hours(c, c["unit"], ["value", "reported", "target", "minimum"])
    t = pd.DataFrame({
        N_("KPI"): c["name"],
        N_("definition"): [_formula(k, res.terms.kpis[k].variant if k in res.terms.kpis
                                    else None) for k, _c in map(split, c["kpi"])],
        N_("recomputed"): _shown(c["value"], c["unit"], h),
        N_("reported by vendor"): _shown(c["reported"], c["unit"], h),
        N_("target"): _shown(c["target"], c["unit"], h),
        N_("minimum"): _shown(c["minimum"], c["unit"], h),
        N_("status"): c["status"].map(term)})
    caption = _("Scorecard of {month}: the records against the contract, each channel on "
                "its own (green: target met; amber: below target, above minimum; red: below "
                "minimum)").format(month=month_long(res.month))
    if res.from_report:
        caption += _("; {kpis}: as the vendor reports them (the interaction records do not "
                     "give them)").format(kpis=", ".join(map(line_name, res.from_report)))
    sty = styled(t, {}, caption)
    colours = [f"background-color: {RAG_COLOURS.get(s, '')}" for s in c["status"]]
    return sty.apply(lambda _col: colours, subset=[term("status")])


def reconciliation_view(res: ReviewResult) -> Styler:
    """Style the month's reported figures against the records, per channel and KPI."""
    r = res.reconciliation[res.reconciliation["month"] == str(res.month)]
    unit = r["kpi"].map(lambda k: kpis.KPIS[k].unit)
    h = _hours(r, unit, ["reported", "recomputed"])
    ok = _("ok")
    t = pd.DataFrame({
        N_("channel"): r["channel"].map(term),
        N_("KPI"): r["kpi"].map(lambda k: term(kpis.KPIS[k].name)),
        N_("reported"): _shown(r["reported"], unit, h),
        N_("recomputed"): _shown(r["recomputed"], unit, h),
        N_("difference"): _shown(r["difference"], unit, h, signed=True, decimals=2),
        N_("reported figure matches best"): [_formula(k, v) for k, v in
                                             zip(r["kpi"], r["best_variant"], strict=True)],
        N_("flag"): np.where(r["explained"], _("another definition"),
                             np.where(~np.isfinite(r["reported"]), _("not reported"),
                                      np.where(r["flagged"],
                                               _("not supported by the records"), ok)))})
    sty = styled(t, {}, _("Reconciliation of {month}: the vendor's report against the records "
                          "(recomputed with the contract's definitions)").format(
                              month=month_long(res.month)))
    return sty.map(lambda s: "background-color: #ffebe9" if s != ok else "",
                   subset=[term("flag")])


def _formula(kpi_id: str, variant: str | None) -> str:
    """Return the KPI dictionary's formula of a variant (the canonical one by default)."""
    k, name = kpis.kpi(kpi_id, variant)
    return term(k.variants[name].formula)


def credits_view(res: ReviewResult, currency: str) -> Styler:
    """Style the month's credit per KPI.

    Value as judged, target, minimum, rule, credit, and what was earned back.
    """
    d = res.credit_detail[res.credit_detail["month"] == res.month]
    unit = d["kpi"].map(lambda k: kpis.KPIS[k].unit)
    h = _hours(d, unit, ["value", "target", "minimum"])
    credit = _("credit ({currency})").format(currency=currency)
    earned = _("earned back ({currency})").format(currency=currency)
    t = pd.DataFrame({
        N_("KPI"): d["line"].map(line_name),
        N_("value"): _shown(d["value"], unit, h),
        N_("target"): _shown(d["target"], unit, h),
        N_("minimum"): _shown(d["minimum"], unit, h),
        _("misses in the last {n} months").format(n=res.terms.target_miss_rule.months):
            d["misses_in_window"].to_numpy(),
        N_("rule that fired"): d["rule"].map(rule_fired).to_numpy(),
        credit: d["credit"].to_numpy(), earned: d["earned_back"].to_numpy()})
    money = "{:,.0f}"
    c = res.credits
    return styled(t, {credit: money, earned: money},
                  _("Credits of {month}: {credits:,.0f} {currency} on a {invoice:,.0f} "
                    "{currency} invoice{capped}, {earned:,.0f} {currency} earned back, "
                    "{bonus:,.0f} {currency} bonus: {net:,.0f} {currency} owed").format(
                      month=month_long(res.month), credits=c["credits"], currency=currency,
                      invoice=c["invoice"], capped=_(" (capped)") if c["cap_applied"] else "",
                      earned=c["earned_back"], bonus=c["bonus"], net=c["net"]))


def alerts_view(res: ReviewResult, month_only: bool = True) -> Styler:
    """Style the control-chart alerts (of the month, or of the whole window), worse first."""
    a = res.month_alerts if month_only else res.alerts
    a = a.sort_values(["worse", "month"], ascending=[False, False])
    t = pd.DataFrame({N_("month"): a["month"].map(month_label),
                      N_("KPI"): a["kpi"].map(lambda k: term(kpis.KPIS[k].name)),
                      N_("signal"): a["signal"], N_("since"): a["since"].map(month_label),
                      N_("direction"): np.where(a["worse"], _("worse"), _("better")),
                      N_("what moved"): a["text"]})
    scope = month_long(res.month) if month_only else _("the charted months")
    return styled(t, {}, _("Alerts of {scope} ({n}; limits from the first {baseline} months)"
                           ).format(scope=scope, n=len(t), baseline=res.baseline))


def volume_view(res: ReviewResult, months: int = 6) -> Styler:
    """Style the contacts offered against the forecast, per channel.

    For the last ``months`` months up to the reviewed one (the chart shows them all).
    """
    shown = sorted(res.volume["month"].unique())[-months:]
    v = res.volume[res.volume["month"].isin(shown)]
    # a difference that rounds to nothing reads "+0", never "-0"
    v = v.assign(difference=v["difference"].where(v["difference"].abs() >= 0.5, 0.0),
                 ratio=v["ratio"].where(v["ratio"].abs() >= 0.0005, 0.0))
    v = v.rename(columns={
        "actual": N_("offered (contacts)"), "forecast": N_("forecast (contacts)"),
        "difference": N_("difference (contacts)"), "ratio": N_("difference (%)")})
    v = v.assign(month=pd.PeriodIndex(v["month"], freq="M").map(month_label))
    v = v.assign(channel=v["channel"].map(term)) if "channel" in v else v
    n = "{:,.0f}"
    return styled(v, {"offered (contacts)": n, "forecast (contacts)": n,
                      "difference (contacts)": "{:+,.0f}", "difference (%)": "{:+.1%}"},
                  _("Volume against forecast, the last {n} months").format(n=len(shown)))


def qa_view(res: ReviewResult, rows: int = 20) -> tuple[Styler, Styler]:
    """Style the QA plan and the first ``rows`` of the audit list.

    The plan gives the handled contacts and audits per group.
    """
    plan = _groups(res.qa_plan).rename(columns={"handled": N_("handled (contacts)"),
                                                "audit": N_("to audit (contacts)")})
    n = "{:,.0f}"
    listed = _groups(res.qa_list.head(rows)).assign(
        arrival_time=lambda d: d["arrival_time"].map(day_time)).rename(
        columns={"contact_id": N_("contact ID"), "arrival_time": N_("arrival time")})
    return (styled(plan, {"handled (contacts)": n, "to audit (contacts)": n},
                   _("QA plan of {month}: {n:,} contacts to audit").format(
                       month=month_long(res.month), n=int(plan["to audit (contacts)"].sum()))),
            styled(listed, {"contact ID": "{}"},  # a number or text, as exported
                   _("Audit list (first {n} of {total:,} contacts)").format(
                       n=min(rows, len(res.qa_list)), total=len(res.qa_list))))


def _groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Name a QA table's group columns (queue, agent, channel) and values for a reader."""
    groups = [c for c in frame.columns if c in GROUP_NAMES]
    out = frame.assign(**{c: [group_name(c, v) for v in frame[c]] for c in groups})
    return out.rename(columns={c: GROUP_NAMES[c] for c in groups})


def write_qa_list(res: ReviewResult, path: str | Path) -> Path:
    """Write the whole audit list as CSV (for the QA team)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    res.qa_list.to_csv(path, index=False, lineterminator="\n")
    return path


def save_qa_list(res: ReviewResult, path: str | Path) -> Paragraph:
    """Write the whole audit list as CSV (:func:`write_qa_list`) and say where, in a sentence."""
    written = write_qa_list(res, path)
    return Paragraph(_("The whole audit list ({n:,} contacts) is in {file}, for the QA "
                       "team.").format(n=len(res.qa_list), file=written.name))
