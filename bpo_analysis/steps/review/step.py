"""Step 5 as one call: ``run(client, ...)`` reviews a vendor's month from its raw records.

It returns a :class:`ReviewResult`.

It reads the vendor's raw records once per question (DuckDB), and combines them with the
contract terms, the vendor's own report and the client's demand forecast: the scorecard
against the contract, the reconciliation of what the vendor reported, the credits owed,
control charts and their alerts, volume against forecast, and the QA audit list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from bpo_analysis.core import sla, sla_lines
from bpo_analysis.core.decision import Decision
from bpo_analysis.core.present import Headlines, fmt
from bpo_analysis.core.result import (
    StepResult,
    currency_used,
    file_name,
    in_folder,
    left_open,
    vendor_used,
)
from bpo_analysis.core.sla_charts import credits_chart
from bpo_analysis.data import kpis, records
from bpo_analysis.data.client import Client, read_sla
from bpo_analysis.data.io import read_vendor_reports
from bpo_analysis.data.models import CHANNELS, SlaTerms
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.i18n import _, term
from bpo_analysis.steps import vendors
from bpo_analysis.steps.review import calc as review
from bpo_analysis.steps.review import charts, control, views

__all__ = ["ReviewResult", "review_month", "run"]

#: Vendor-report columns the review needs besides :data:`review.REPORTED_COLUMNS`.
REPORT_COLUMNS = ("channel", "contacts_offered", "contacts_handled", "occupancy",
                  "agent_attrition_monthly", "invoice_amount")


@dataclass(frozen=True, eq=False)
class ReviewResult(StepResult):
    """Everything the monthly review shows, for one vendor and month.

    ``from_files`` names the notebook parameters the run left to the client's files
    (:meth:`_used` says what it took for them).
    """

    step = "05 review"

    month: pd.Period
    vendor_id: str
    terms: SlaTerms
    quality: pd.DataFrame
    by_channel: pd.DataFrame
    monthly: pd.DataFrame
    kpis: pd.DataFrame
    scorecard: pd.DataFrame
    reconciliation: pd.DataFrame
    credit_detail: pd.DataFrame
    credit_months: pd.DataFrame
    charts: dict[str, pd.DataFrame]
    alerts: pd.DataFrame
    volume: pd.DataFrame
    qa_plan: pd.DataFrame
    qa_list: pd.DataFrame
    baseline: int
    inputs: dict[str, Any] = field(default_factory=dict)
    currency: str = ""
    decision: Decision = field(default_factory=Decision)
    #: SLA lines the records cannot give (occupancy, attrition), taken from the report.
    from_report: tuple[str, ...] = ()
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    decision_roles = ("incumbent",)

    @property
    def vendor(self) -> str:
        """Return the vendor reviewed as a reader reads it: its name, then its id."""
        name = self.decision.names.get(self.vendor_id)
        return f"{name} ({self.vendor_id})" if name and name != self.vendor_id else \
            self.vendor_id

    @property
    def month_alerts(self) -> pd.DataFrame:
        """The alerts of the reviewed month."""
        return self.alerts[self.alerts["month"] == self.month]

    @property
    def credits(self) -> pd.Series:
        """The reviewed month's row of :func:`sla.monthly_credits`' months."""
        return self.credit_months.loc[self.month]

    def _headline(self) -> Headlines:
        return views.headlines(self, self.currency)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        if c is None:
            return {}
        used = currency_used(c, left)
        files = {"records_path": "records/", "sla_file": file_name(c, "sla"),
                 "reports_file": file_name(c, "vendor_monthly_reports", ".csv")}
        used |= {name: in_folder(file) for name, file in files.items() if name in left}
        if "vendor_id" in left:
            used["vendor_id"] = vendor_used(c, self.decision, self.vendor_id)
        if "forecast_shares" in left:
            shares = self.inputs["shares"]
            used["forecast_shares"] = _("{shares}, from the vendor's monthly reports").format(
                shares=_(", ").join(_("{channel} {share}").format(
                    channel=term(ch), share=fmt(shares[ch], "%", 0))
                    for ch in CHANNELS if ch in shares))
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"quality": lambda: views.quality_view(self),
                "scorecard": lambda: views.scorecard_view(self),
                "reconciliation": lambda: views.reconciliation_view(self),
                "credits": lambda: views.credits_view(self, self.currency),
                "alerts": lambda: views.alerts_view(self),
                "volume": lambda: views.volume_view(self),
                "qa_plan": lambda: views.qa_view(self)[0],
                "qa_list": lambda: views.qa_view(self)[1]}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        return {"reconciliation": lambda: charts.reported_vs_recomputed_chart(
                    self.reconciliation, "service_level"),
                "credits": lambda: credits_chart(
                    self.credit_months, self.currency,
                    _("Credits month by month under the contract (from the records)")),
                "control_charts": lambda: charts.control_charts(self.charts, self.alerts,
                                                                self.month),
                "volume": lambda: charts.volume_forecast_chart(self.volume)}


def review_month(client: Client, source: records.Source, month: str, vendor_id: str, *,
                 terms: SlaTerms | None = None, reports: pd.DataFrame | None = None,
                 shares: dict[str, float] | None = None, trend_months: int = 24,
                 baseline_months: int = 12, qa_by: Sequence[str] = ("queue",),
                 qa_margin: float = 0.05, qa_confidence: float = 0.95,
                 qa_seed: int = 0, currency: str = "",
                 decision: Decision | None = None) -> ReviewResult:
    """Review ``vendor_id``'s ``month`` (YYYY-MM) from its raw records in ``source``.

    Parameters
    ----------
    client :
        The client folder: its service targets (the T of the service level), demand
        (the forecast), SLA terms and vendor reports unless given, and its time zone
        (times the records write with a UTC offset are converted to it).
    source :
        The raw records: a Parquet/CSV file, a folder of them, a DuckDB file or a
        DataFrame.
    terms, reports :
        The contract terms and the vendor's monthly reports (default the client's).
    shares :
        The vendor's share of each channel's forecast demand (volume vs forecast).
    trend_months, baseline_months :
        Months shown on the control charts (ending with ``month``), and how many of
        the first of them set the control limits.
    qa_by, qa_margin, qa_confidence, qa_seed :
        The QA sampling plan: groups, margin of error, confidence and random seed.
    currency :
        Shown on amounts; "" means the client's ISO code.
    decision :
        The decision the review is part of (the incumbent, step 2's view of it).
    """
    inputs = {"source": str(records.source_path(source) or "records given as a table"),
              "month": month, "vendor_id": vendor_id, "shares": dict(shares or {}),
              "trend_months": trend_months, "baseline_months": baseline_months,
              "qa_by": list(qa_by), "qa_margin": qa_margin, "qa_confidence": qa_confidence,
              "qa_seed": qa_seed}
    terms = terms or client.sla
    reports = client.vendor_reports if reports is None else reports
    if trend_months < 2:
        raise InputError("trend_months", trend_months, "at least 2 months")
    if not 2 <= baseline_months < trend_months:
        raise InputError("baseline_months", baseline_months,
                         f"between 2 and trend_months - 1 ({trend_months - 1}): the "
                         "months after the baseline are the ones watched")
    period = records.month_period(month)
    review.check_report(reports, [*review.REPORTED_COLUMNS, *REPORT_COLUMNS],
                        required=("invoice_amount", "contacts_offered", "contacts_handled"))
    t = {ch: x.answer_within_s for ch, x in client.scenario.service_targets.items()}
    tz = client.scenario.timezone  # times written in another zone are converted to it
    quality = records.quality_counts(source, month, vendor_id, timezone=tz)
    by_channel = records.aggregates(source, answer_within_s=t, vendor=vendor_id, timezone=tz)
    months = pd.PeriodIndex(by_channel["period"], freq="M")
    by_channel = by_channel[months <= period]
    if not (months == period).any():
        raise InputError("month", month, f"a month with {vendor_id}'s records "
                         f"({months.min()} to {months.max()})")
    monthly = review.monthly(by_channel)
    full = pd.period_range(monthly.index.min(), period, freq="M")
    gaps = full.difference(monthly.index)
    if len(gaps):
        raise DataError(f"no records of {vendor_id} in {', '.join(map(str, gaps[:6]))}",
                        file=records.source_path(source), value=str(gaps[0]),
                        allowed="records for every month up to the reviewed one")
    variants = {k: x.variant for k, x in terms.kpis.items() if x.variant}
    channels = [c for c in CHANNELS if c in set(by_channel["channel"])]
    lines = sla_lines.lines(terms, channels)
    watched = [sla_lines.line_id(k, c) for k in views.WATCHED for c in channels
               if kpis.applies(k, c)]

    shares = dict(shares or {})
    absent = sorted(set(by_channel["channel"]) - set(shares))
    if absent:
        raise InputError("shares", f"no share for channel {absent[0]!r}",
                         f"the vendor's share of the forecast demand of every channel it "
                         f"handles: {sorted(set(by_channel['channel']))}")
    vendor_reports = reports[reports["vendor_id"] == vendor_id]
    have = set(zip(vendor_reports["month"].astype(str), vendor_reports["channel"],
                   strict=True))
    need = zip(pd.PeriodIndex(by_channel["period"], freq="M").astype(str),
               by_channel["channel"], strict=True)
    lacking = sorted(k for k in need if k not in have)
    if lacking:
        raise DataError(f"no report row of {vendor_id} for {lacking[0][1]} in "
                        f"{lacking[0][0]} (the records have contacts there)",
                        column="month,channel", value=" / ".join(lacking[0]),
                        allowed="a report row for every month and channel of the records")
    stated, invoice = sla_lines.report_values(reports, vendor_id)
    values, from_report = review.line_kpis(by_channel, list(dict.fromkeys(
        [*lines, *watched])), variants, stated)
    reported = (stated.loc[period].reindex(values.columns) if period in stated.index
                else None)
    detail, credit_months = sla.monthly_credits(
        values[lines], terms, invoice.reindex(index=monthly.index, columns=channels))
    # the scorecard rates each contract line as the credit judges it (a quarterly KPI on
    # its quarter's mean so far); the other lines are shown, not rated
    shown = values.loc[period].copy()
    judged = detail[detail["month"] == period].set_index("line")["value"]
    shown.loc[judged.index] = judged
    card = review.scorecard(shown, terms, reported, judged=lines)
    rec = review.reconcile(by_channel, vendor_reports[vendor_reports["month"] <= str(period)],
                           variants=variants)

    window = monthly.iloc[-trend_months:]
    baseline = min(baseline_months, len(window) - 1)  # a short history: all but the last
    charts, alerts = {}, control.alerts(window.iloc[:0], [])
    if baseline >= 2:  # each KPI on the channels it applies to, together
        on = {k: by_channel[by_channel["channel"].isin(kpis.KPIS[k].channels)]
              for k in control.CHARTS}
        on = {k: review.monthly(a).reindex(window.index).fillna(0) for k, a in on.items()
              if len(a)}
        charts = {k: control.control_chart(m, k, variants.get(k), baseline)
                  for k, m in on.items()}
        alerts = pd.concat([control.alerts(m, [k], variants, baseline)
                            for k, m in on.items()], ignore_index=True)
    volume = review.volume_vs_forecast(by_channel[pd.PeriodIndex(
        by_channel["period"], freq="M") >= window.index[0]], client.demand, shares or {},
        client.scenario.volume_growth_annual)
    plan, chosen = records.qa_sample(source, month, by=qa_by, margin=qa_margin,
                                    confidence=qa_confidence, seed=qa_seed, vendor=vendor_id,
                                    timezone=tz)
    return ReviewResult(period, vendor_id, terms, quality, by_channel, monthly, values, card,
                        rec, detail, credit_months, charts, alerts, volume, plan, chosen,
                        baseline, inputs, currency or client.currency,
                        decision or Decision.stated(client), tuple(from_report))


def incumbent_decision(client: Client, vendor_id: str) -> tuple[Decision, str]:
    """Return the decision after step 2 and the vendor to review ("" is the incumbent).

    A vendor other than the incumbent is reviewed when asked, and the decision says so.
    """
    d = vendors.upstream(client).decision
    incumbents = d.incumbent.value if d.incumbent else ()
    if not vendor_id:
        if not incumbents:
            raise InputError("vendor_id", "", "a vendor id: the client names no incumbent "
                             "(decision.yaml) and has no vendor monthly reports")
        return d, incumbents[0]
    if vendor_id not in incumbents:
        d = d.but(about="incumbent", note=_(
            "{vendor} is reviewed as asked, though it is not the incumbent.").format(
                vendor=d.names.get(vendor_id, vendor_id)))
    return d, vendor_id


def records_in(client: Client, records_path: str | Path) -> str | Path:
    """Return the records a run reads: the path given, else the client folder's ``records/``.

    Never another client's: without ``records/`` the error names the folder it looked in.
    """
    if records_path:
        return records_path
    own = client.path / "records"
    if not own.exists():
        raise DataError("no raw interaction records in the client folder", file=own,
                        allowed="the vendor's exports (.parquet/.csv, or a .duckdb file) in "
                        "this folder, or records_path naming them")
    return own


def shares_from_reports(client: Client, vendor_id: str,
                        reports: pd.DataFrame | None = None) -> dict[str, float]:
    """Return the vendor's share of each channel's demand, from its monthly reports.

    Its contacts offered over the client's demand, in the months both cover; a channel it
    does not answer is left out.

    >>> from bpo_analysis.data.client import load_client
    >>> shares = shares_from_reports(load_client("data/sample"), "V02")
    >>> {c: round(s, 2) for c, s in shares.items()}   # Harbor answers part of voice and chat
    {'chat': 0.18, 'voice': 0.12}
    """
    r = client.vendor_reports if reports is None else reports
    r = r[r["vendor_id"] == vendor_id]
    d = client.demand
    months = d["interval_start"].dt.to_period("M").astype(str)
    both = sorted(set(r["month"].astype(str)) & set(months))
    if not both:
        raise InputError("forecast_shares", {}, f"the vendor's share of each channel: "
                         f"{vendor_id}'s monthly reports and the demand share no month")
    offered = r[r["month"].astype(str).isin(both)].groupby("channel")["contacts_offered"].sum()
    demand = d[months.isin(both)].groupby("channel", observed=True)["contacts"].sum()
    return {str(c): float(offered[c] / demand[c]) for c in offered.index
            if c in demand.index and demand[c] > 0}


def run(client: Client, *, records_path: str | Path = "", month: str, vendor_id: str = "",
        forecast_shares: dict[str, float] | None = None, currency: str = "",
        sla_file: str = "",
        reports_file: str = "", trend_months: int = 24, baseline_months: int = 12,
        qa_by: str = "queue", qa_margin: float = 0.05, qa_confidence: float = 0.95,
        qa_seed: int = 0) -> ReviewResult:
    """Run step 5 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client folder (scenario targets, demand forecast, SLA, reports).
    records_path : str or Path
        The raw interaction records: a .parquet/.csv file, a folder of them, or a
        .duckdb file; "" means the client folder's ``records/``.
    month : str
        The month reviewed, YYYY-MM.
    vendor_id : str
        The vendor reviewed; "" means the incumbent (``decision.yaml``, else the vendor
        with monthly reports).
    forecast_shares : dict, optional
        The vendor's share (0-1) of each channel's forecast demand; empty or None means
        from its monthly reports (:func:`shares_from_reports`).
    currency : str
        Shown on amounts; "" means the client's ISO code.
    sla_file, reports_file : str
        SLA terms (``sla.yaml`` schema) and the vendor's monthly reports
        (``vendor_monthly_reports.csv`` schema); "" means the client folder's.
    trend_months, baseline_months : int
        Months on the control charts (ending with the reviewed month), and the first of
        them that set the control limits.
    qa_by : str
        QA plan per queue, agent_id or channel (comma-separated for several).
    qa_margin, qa_confidence : float
        QA: margin of error of the audited pass rate, and confidence level (shares).
    qa_seed : int
        QA: the same seed draws the same audit list.

    Returns
    -------
    ReviewResult
    """
    left = left_open(records_path=(str(records_path), ""), vendor_id=(vendor_id, ""),
                     forecast_shares=(forecast_shares, {}), currency_label=(currency, ""),
                     sla_file=(sla_file, ""), reports_file=(reports_file, ""))
    decision, vendor_id = incumbent_decision(client, vendor_id)
    reports = read_vendor_reports(reports_file) if reports_file else None
    result = review_month(
        client, records_in(client, records_path), month, vendor_id, decision=decision,
        terms=read_sla(sla_file, client.scenario.service_targets) if sla_file else None,
        reports=reports,
        shares=forecast_shares or shares_from_reports(client, vendor_id, reports),
        trend_months=trend_months, baseline_months=baseline_months,
        qa_by=[g.strip() for g in qa_by.split(",")], qa_margin=qa_margin,
        qa_confidence=qa_confidence, qa_seed=qa_seed, currency=currency)
    return replace(result, client=client, from_files=left)
