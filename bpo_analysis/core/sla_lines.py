"""SLA lines: each KPI of ``sla.yaml`` judged on each channel on its own.

A contract judges a KPI per channel: voice's service level is not rescued by chat's, and
an email's time to first reply (hours) is no speed of answer (seconds). A *line* is one
KPI on one channel, ``"<kpi>@<channel>"``, with the KPI's target and minimum (or the
channel's own, ``by_channel``). Its credit is taken on that channel's invoice:
invoice of the channel x ``at_risk_share`` x the KPI's allocation, so a KPI missed on
every channel credits what it would on the whole invoice. A KPI id without a channel
is a line judged on the whole invoice (the terms of a single-channel contract, or a
table of monthly values already combined).

The KPIs' values per line come from the vendor's monthly reports
(:func:`report_values`, steps 4 and 5) or from its raw records (step 5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.data.models import CHANNELS, KpiTerm, SlaTerms
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import _, term

__all__ = ["SEP", "invoice_shares", "line_id", "line_name", "lines", "report_values",
           "split", "term_channels"]

SEP = "@"


def line_id(kpi_id: str, channel: str | None) -> str:
    """Return the line of ``kpi_id`` on ``channel`` (the KPI itself when None)."""
    return f"{kpi_id}{SEP}{channel}" if channel else kpi_id


def split(line: str) -> tuple[str, str | None]:
    """Return (KPI id, channel or None) of a line.

    >>> split("service_level@voice"), split("csat")
    (('service_level', 'voice'), ('csat', None))
    """
    kid, _sep, ch = line.partition(SEP)
    return kid, ch or None


def term_channels(kpi_id: str, term_: KpiTerm, channels) -> list[str]:
    """Return the channels of ``channels`` a KPI term is judged on, in the contract's order.

    The term's ``channels`` when it names them, else every channel the KPI dictionary
    applies the KPI to.
    """
    wanted = term_.channels if term_.channels is not None else [
        c for c in CHANNELS if kpis.applies(kpi_id, c)]
    return [c for c in wanted if c in set(channels)]


def lines(terms: SlaTerms, channels) -> list[str]:
    """Return the lines of ``terms`` on ``channels`` (the channels the data covers).

    >>> from bpo_analysis.data.client import load_client
    >>> lines(load_client("data/sample").sla, ["voice", "chat"])[:4]
    ['service_level@voice', 'service_level@chat', 'abandon_rate@voice', 'abandon_rate@chat']
    """
    return [line_id(k, c) for k, t in terms.kpis.items()
            for c in term_channels(k, t, channels)]


def line_name(line: str) -> str:
    """Return a line as a reader reads it: "Service level (voice)"."""
    kid, ch = split(line)
    name = term(kpis.KPIS[kid].name) if kid in kpis.KPIS else kid
    return _("{kpi} ({channel})").format(kpi=name, channel=term(ch)) if ch else name


def report_values(reports: pd.DataFrame, vendor_id: str
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a vendor's monthly KPIs per channel as its reports state them, and its invoices.

    Parameters
    ----------
    reports : DataFrame
        ``vendor_monthly_reports.csv``: per month, vendor and channel, the KPIs and
        ``invoice_amount``.
    vendor_id : str
        The vendor (an InputError lists the vendors with reports otherwise).

    Returns
    -------
    (values, invoice)
        ``values``: one row per month (PeriodIndex), one column per line
        ``<kpi>@<channel>`` for every KPI the reports state on every channel the vendor
        reports and the KPI applies to (shares 0-1, points, seconds; NaN in a month
        without that channel's row). ``invoice``: one column per channel, currency.

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> v, inv = report_values(load_client("data/sample").vendor_reports, "V02")
    >>> float(v.loc["2025-12", "service_level@voice"]), list(inv.columns)
    (0.7476, ['voice', 'chat'])
    """
    r = reports[reports["vendor_id"] == vendor_id]
    if r.empty:
        raise InputError("vendor_id", vendor_id,
                         f"a vendor with reports: {sorted(reports['vendor_id'].unique())}")
    month = pd.PeriodIndex(r["month"].astype(str), freq="M")
    months = pd.period_range(month.min(), month.max(), freq="M", name="month")
    channels = [c for c in CHANNELS if c in set(r["channel"])]
    cols = {}
    for kid in kpis.REPORT_COLUMNS:
        v = kpis.reported(r, kid)
        for ch in channels:
            if kpis.applies(kid, ch):
                at = (r["channel"] == ch).to_numpy()
                cols[line_id(kid, ch)] = pd.Series(v.to_numpy()[at], month[at]).reindex(
                    months)
    invoice = r.pivot_table(index=month, columns="channel", values="invoice_amount",
                            aggfunc="sum").reindex(index=months, columns=channels)
    invoice.columns.name = None
    return pd.DataFrame(cols, index=months), invoice


def invoice_shares(invoice: pd.DataFrame | pd.Series, ids: list[str]) -> np.ndarray:
    """Return each line's share of each month's invoice, (months, lines).

    A line on a channel takes that channel's invoice over the month's total; a line
    without a channel (or invoices not split by channel: a Series) the whole of it.
    """
    if isinstance(invoice, pd.Series):
        return np.ones((len(invoice), len(ids)))
    inv = invoice.fillna(0.0).to_numpy(float)
    total = inv.sum(axis=1, keepdims=True)
    share = np.divide(inv, total, out=np.zeros_like(inv), where=total > 0)
    cols = list(invoice.columns)
    out = np.ones((len(invoice), len(ids)))
    for j, line in enumerate(ids):
        ch = split(line)[1]
        if ch is not None:
            if ch not in cols:
                raise InputError("invoice", f"no invoice for channel {ch!r}",
                                 f"an invoice column for every channel of the lines: {cols}")
            out[:, j] = share[:, cols.index(ch)]
    return out
