"""Step 4 in the report: the contract annex, the pool, the back-test and the payout.

Presents a :class:`~bpo_analysis.steps.contract.step.ContractResult` (the SLA of
``sla.yaml``, or changed terms, run on the vendor's reports and on simulated years), with
units and currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from pydantic import ValidationError

from bpo_analysis.core.present import Headline, Headlines, styled
from bpo_analysis.core.sla_lines import line_name, split, term_channels
from bpo_analysis.data import kpis
from bpo_analysis.data.models import CHANNELS, SlaTerms
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import N_, _, plural, term
from bpo_analysis.steps.contract import calc as contracts

if TYPE_CHECKING:
    from bpo_analysis.steps.contract.step import ContractResult

__all__ = ["allocation_view", "annex_view", "backtest_view", "calibration",
           "calibration_view", "headlines", "kpi_text", "miss_curves", "with_changes"]

#: Shares of an invoice or of contacts: shown in %.
_SHARES = ("share", "share per month")
#: Words of the KPI values shown (translated with ``term``): hours, for a time to first
#: reply counted in seconds but agreed in hours.
_WORDS = (N_("h"), N_("points"), N_("s"))


def _number(v: float, decimals: int | None) -> str:
    """Return ``v`` with ``decimals`` decimals, or (None) with no more than it needs (<= 2)."""
    if decimals is not None:
        v = 0.0 if abs(v) < 0.5 * 10.0**-decimals else v  # never "-0.0"
        return f"{v:,.{decimals}f}"
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def kpi_text(value: float, unit: str, *, hours: bool = False, decimals: int | None = None,
             spread: bool = False) -> str:
    """Return a KPI value as a contract writes it: "80%", "24 h", "90 points".

    Parameters
    ----------
    value : float
        In the KPI's unit (:attr:`~bpo_analysis.data.kpis.Kpi.unit`: a share 0-1,
        seconds, points...); NaN when missing.
    unit : str
        The KPI's unit.
    hours : bool
        Seconds shown in hours (a time to first reply agreed in hours).
    decimals : int, optional
        Decimals shown; None shows a threshold with no more than it needs (0.8 -> "80%",
        0.055 -> "5.5%").
    spread : bool
        A standard deviation: "±", and a share's in percentage points.

    Returns
    -------
    str
        The value with its unit, in the report language; "-" when missing.

    Examples
    --------
    >>> kpi_text(0.8, "share"), kpi_text(86_400, "s", hours=True), kpi_text(90, "points (0-100)")
    ('80%', '24 h', '90 points')
    >>> kpi_text(0.0683, "share", decimals=1, spread=True), kpi_text(1.5, "per 1,000 handled")
    ('±6.8 points', '1.5 per 1,000 handled')
    """
    if value is None or not np.isfinite(value):
        return "-"
    sign = "±" if spread else ""
    if unit in _SHARES:
        v = _number(value * 100, decimals)
        return sign + (_("{value} points").format(value=v) if spread else f"{v}%")
    if unit == "s" and hours:
        return f"{sign}{_number(value / 3600, decimals)} {term('h')}"
    if unit == "per 1,000 handled":
        return sign + _("{value} per 1,000 handled").format(value=_number(value, decimals))
    word = unit if unit.startswith("per ") else unit.split(" (")[0]
    return f"{sign}{_number(value, decimals)} {term(word)}"


def _in_hours(unit: str, target: float) -> bool:
    """Return whether a KPI in seconds reads in hours: its target is an hour or more."""
    return unit == "s" and target >= 3600


def with_changes(terms: SlaTerms, line: str, **changes: float) -> SlaTerms:
    """Return ``terms`` with a line's ``target``, ``minimum`` or KPI's ``allocation`` changed.

    A line on a channel (``service_level@voice``) changes that channel's thresholds only
    (``by_channel``); a KPI id changes the KPI's own. The result is validated: a target
    looser than the minimum is refused.
    """
    kid, ch = split(line)
    if kid not in terms.kpis:
        raise InputError("kpi", kid, f"one of {list(terms.kpis)}")
    data = terms.model_dump()
    k = data["kpis"][kid]
    if "allocation" in changes:
        k["allocation"] = changes.pop("allocation")
    if ch is None:
        k.update(changes)
    elif changes:
        k["by_channel"][ch] = {**(k["by_channel"].get(ch) or {}), **changes}
    try:
        return SlaTerms.model_validate(data)
    except ValidationError as err:
        raise InputError(f"kpis.{kid}", changes,
                         err.errors()[0]["msg"].removeprefix("Value error, ")) from None


def headlines(res: ContractResult, currency: str) -> Headlines:
    """Return step 4 in numbers: the expected yearly credits and the breach risk.

    Expected yearly credits, their 95th percentile, the chance of a breach, and what the
    back-test would have credited.
    """
    net = res.payout["net"]
    per_year = res.months["net"].sum() / len(res.months) * 12
    items = [
        Headline("expected_net_credits", _("Expected net credits a year"), float(net.mean()),
                 _("{currency} a year (simulated)").format(currency=currency)),
        Headline("p95_net_credits", _("In a bad year (95th percentile)"),
                 float(np.percentile(net, 95)), _("{currency} a year").format(currency=currency)),
        Headline("p_breach", _("Years with a credit"), res.payout["p_breach"] * 100,
                 _("% of simulated years"), 1),
        Headline("backtest_net_per_year", _("Back-test on the reports of {vendor}").format(
                     vendor=res.decision.names.get(res.vendor_id, res.vendor_id)),
                 float(per_year), _("{currency} a year (net credits)").format(currency=currency)),
    ]
    most = line_name(res.payout["months_missed"].idxmax())
    names, quote = res.decision.names, res.decision.quote
    history = names.get(res.vendor_id, res.vendor_id)
    if quote is not None and res.selected_invoice is not None:
        vendor = res.decision.vendor.value if res.decision.vendor else ""
        title = _("Under these terms the selected quote {quote} of {vendor} (about {invoice:,.0f} "
                  "{currency} a month) would owe {mean:,.0f} {currency} a year on average "
                  "({low:,.0f} to {high:,.0f} {currency} in 9 years of 10), if it performs as "
                  "{history} has; {kpi} misses its target {months:.1f} months a year.").format(
            quote=quote.value, vendor=names.get(vendor, vendor), invoice=res.selected_invoice,
            mean=net.mean(), currency=currency, low=np.percentile(net, 5),
            high=np.percentile(net, 95), history=history, kpi=most,
            months=res.payout["months_missed"].max())
    else:
        title = _("Under these terms {vendor} would owe {mean:,.0f} {currency} a year on "
                  "average ({low:,.0f} to {high:,.0f} {currency} in 9 years of 10); {kpi} "
                  "misses its target {months:.1f} months a year.").format(
            vendor=history, mean=net.mean(), currency=currency, low=np.percentile(net, 5),
            high=np.percentile(net, 95), kpi=most, months=res.payout["months_missed"].max())
    return Headlines(items, title=title + _channels_said(res))


def _channels_said(res: ContractResult) -> str:
    """Return the sentence on the channels judged, and those the vendor's reports lack."""
    parts = _(", ").join(_("{channel} {share:.0%}").format(channel=term(c), share=v)
                         for c, v in res.shares.items())
    if res.selected_invoice is not None:
        said = _(" Each KPI is judged on each channel on its own, its credit on that "
                 "channel's part of the invoice (split by the work each channel brings: "
                 "{parts}).").format(parts=parts)
    else:
        said = _(" Each KPI is judged on each channel on its own, its credit on that "
                 "channel's part of the invoice ({parts}).").format(parts=parts)
    judged = {split(line)[1] for line in res.lines}
    lacking = [term(c) for c in res.channels if c not in judged]
    if lacking:
        said += _(" {vendor} reports no {channels}: the terms there are neither back-tested "
                  "nor simulated.").format(
            vendor=res.decision.names.get(res.vendor_id, res.vendor_id),
            channels=_(" or ").join(lacking))
    return said


def annex_view(terms: SlaTerms, channels=CHANNELS) -> Styler:
    """Style the contract annex: each KPI of the terms on each channel, with its formula.

    The formula is the variant the contract means (the dictionary's standard one, or a
    variant vendors use), with which way is better, target and minimum in the KPI's
    unit ("80%", "24 h"), pool share and data source, one row per channel the KPI is
    judged on (of ``channels``).
    """
    rows = []
    for kid, t in terms.kpis.items():
        k, variant = kpis.kpi(kid, t.variant)
        for ch in term_channels(kid, t, channels) or [None]:
            target, minimum = t.thresholds(ch)
            hours = _in_hours(k.unit, target)
            rows.append({N_("KPI"): term(k.name), N_("channel"): term(ch) if ch else "-",
                         N_("formula"): term(k.variants[variant].formula),
                         N_("definition"): term(_DEFINITIONS[variant == k.canonical]),
                         N_("better"): term(k.direction),
                         N_("target"): kpi_text(target, k.unit, hours=hours),
                         N_("minimum"): kpi_text(minimum, k.unit, hours=hours),
                         N_("pool share"): t.allocation,
                         N_("data source"): term(k.source)})
    return styled(pd.DataFrame(rows), {"pool share": "{:.0%}"},
                  _("KPI annex: one definition per KPI, judged on each channel on its own "
                    "(other variants in the KPI dictionary)"))


#: Whether the annex's formula is the dictionary's standard one (translated with ``term``).
_DEFINITIONS = {True: N_("standard"), False: N_("a vendor variant")}


#: Which way a KPI is better, as the annex shows it (translated with ``term``).
_DIRECTIONS = (N_("higher"), N_("lower"))


def allocation_view(res: ContractResult, currency: str) -> Styler:
    """Style each line's share of the at-risk pool, and what it puts at risk a month.

    On its channel's part of the selected quote's monthly invoice (the one the payout is
    simulated on; else the back-tested vendor's average invoice), split across channels
    as the vendor's invoices are; the monthly cap applies to the total.
    """
    t = res.terms
    inv = res.selected_invoice if res.selected_invoice is not None else float(
        res.invoice.mean())
    at_risk = _("at risk a month ({currency})").format(currency=currency)
    rows = []
    for line in res.lines:
        kid, ch = split(line)
        share = res.shares.get(ch, 1.0) if ch else 1.0
        rows.append({N_("KPI"): line_name(line), N_("share of the invoice"): share,
                     N_("pool share"): t.kpis[kid].allocation,
                     at_risk: inv * share * t.at_risk_share * t.kpis[kid].allocation})
    df = pd.DataFrame(rows)
    return styled(df, {"share of the invoice": "{:.0%}", "pool share": "{:.0%}",
                       at_risk: "{:,.0f}"},
                  _("At-risk pool: {at_risk:.0%} of an invoice of {invoice:,.0f} {currency}, "
                    "each channel's part of it; pool shares sum to {total:.0%}, and a month's "
                    "credits are capped at {cap:.0%} of the invoice").format(
                      at_risk=t.at_risk_share, invoice=inv, currency=currency,
                      total=sum(k.allocation for k in t.kpis.values()), cap=t.cap_share))


def backtest_view(res: ContractResult, currency: str) -> Styler:
    """Style the back-test per KPI over the reports.

    Months missing the target, months a credit fired, the credits, and the credits earned
    back.
    """
    d = res.detail
    g = d.groupby("line", sort=False)
    credits = _("credits ({currency})").format(currency=currency)
    earned = _("earned back ({currency})").format(currency=currency)
    t = pd.DataFrame({N_("months below target"): g["missed_target"].sum(),
                      N_("credits fired"): g["credit"].apply(lambda c: int((c > 0).sum())),
                      credits: g["credit"].sum(), earned: g["earned_back"].sum()})
    t = t.rename(index=line_name).rename_axis(N_("KPI")).reset_index()
    money = "{:,.0f}"
    return styled(t, {credits: money, earned: money},
                  plural(len(res.months),
                         N_("Back-test: the terms on the {n} monthly report of {vendor}"),
                         N_("Back-test: the terms on the {n} monthly reports of {vendor}"),
                         vendor=res.decision.names.get(res.vendor_id, res.vendor_id)))


def calibration(res: ContractResult, months_missed: float = 1.0) -> pd.DataFrame:
    """Calibrate each KPI's target on the vendor's fitted history.

    Per KPI: today's target, the months a year it is expected to miss it, the share of
    simulated years in which it triggers a credit, and the target it would miss
    ``months_missed`` months a year (the fitted normal model).

    Parameters
    ----------
    res : ContractResult
        The step's result (terms, fitted model, simulated payout).
    months_missed : float
        Months a year the calibrated target is missed.

    Returns
    -------
    DataFrame
        One row per KPI (targets in the KPI's unit, months a year, shares 0-1).
    """
    from scipy import special  # not scipy.stats: see the import in contracts.py

    rows = []
    for line in res.lines:
        kid, ch = split(line)
        t = res.terms.kpis[kid]
        target = t.thresholds(ch)[0]
        mu, sd = float(res.model.mean[line]), float(res.model.sd[line])
        z = (target - mu) / sd if sd > 0 else np.inf * np.sign(target - mu)
        p = special.ndtr(z if t.direction == "higher" else -z)  # normal cdf / sf
        rows.append({"KPI": line, "vendor mean": mu, "vendor sd": sd, "target": target,
                     "months missed a year": 12 * float(p),
                     "years with a credit": float(res.payout["p_kpi"][line]),
                     f"target missed {months_missed:g} months a year":
                         contracts.target_for_miss_probability(res.model, line,
                                                               months_missed / 12,
                                                               t.direction)})
    return pd.DataFrame(rows)


def calibration_view(calib: pd.DataFrame) -> Styler:
    """Style :func:`calibration` for the report, each KPI's values in its unit ("80.6%")."""
    col = next(c for c in calib.columns if c.startswith("target missed"))
    n = float(col.removeprefix("target missed ").removesuffix(" months a year"))
    rows = []
    for r in calib.to_dict("records"):
        unit = kpis.KPIS[split(r["KPI"])[0]].unit
        hours = _in_hours(unit, r["target"])
        d = 2 if unit.startswith("per ") else 1  # rates per 1,000: "1.19"
        rows.append({N_("KPI"): line_name(r["KPI"]),
                     N_("vendor mean"): kpi_text(r["vendor mean"], unit, hours=hours,
                                                 decimals=d),
                     N_("vendor's spread (1 standard deviation)"): kpi_text(
                         r["vendor sd"], unit, hours=hours, decimals=d, spread=True),
                     N_("target"): kpi_text(r["target"], unit, hours=hours),
                     N_("months missed a year"): r["months missed a year"],
                     N_("years with a credit"): r["years with a credit"],
                     plural(n, N_("target missed {n:g} month a year"),
                            N_("target missed {n:g} months a year")):
                         kpi_text(r[col], unit, hours=hours, decimals=d)})
    return styled(pd.DataFrame(rows), {"months missed a year": "{:.1f}",
                                       "years with a credit": "{:.0%}"},
                  _("Calibration: how often each target would be missed, from the vendor's "
                    "history (each KPI in its own unit)"))


def miss_curves(res: ContractResult, points: int = 61) -> dict[str, pd.DataFrame]:
    """Compute each KPI's months a year below target as the target moves.

    Over the vendor's mean +- 3 standard deviations (the fitted normal model).

    Parameters
    ----------
    res : ContractResult
        The step's result (terms, fitted model).
    points : int
        Targets per curve.

    Returns
    -------
    dict of str to DataFrame
        SLA line (``<kpi>@<channel>``) -> the curve.
    """
    from scipy import special  # not scipy.stats: see the import in contracts.py

    out = {}
    for line in res.lines:
        t = res.terms.kpis[split(line)[0]]
        mu, sd = float(res.model.mean[line]), max(float(res.model.sd[line]), 1e-9)
        x = np.linspace(mu - 3 * sd, mu + 3 * sd, points)
        p = special.ndtr((x - mu) / sd)  # the normal cdf
        out[line] = pd.DataFrame({"target": x,
                                  "months": 12 * (p if t.direction == "higher" else 1 - p)})
    return out
