"""SLA credits: the rules of ``sla.yaml`` applied to a vendor's monthly KPIs.

``sla.yaml`` sets, per KPI of the dictionary (:mod:`bpo_analysis.data.kpis`), a target and a
minimum, and a share of the at-risk pool. The rules (seed 000 step 4, seed 003, seed 004):

* a month worse than the **minimum** triggers the KPI's credit at once (a KPI measured
  per quarter is judged in the quarter's last month, on the quarter's mean);
* a month worse than the **target** triggers it when the target was missed in
  ``misses`` of the last ``months`` months (this one included);
* a KPI's credit is invoice x ``at_risk_share`` x its allocation (allocations may sum
  above 1); a month's credits never exceed ``cap_share`` x invoice (scaled down);
* **earn-back**: a credit comes back if the vendor meets that KPI's target in each of
  the next ``earn_back_months`` months;
* **bonus**: ``bonus_share`` x invoice after every ``bonus_after_months`` consecutive
  months on target on every KPI, at most ``bonus_cap_share`` of the year's invoices.

Each KPI is judged per channel (:mod:`~bpo_analysis.core.sla_lines`), its credit taken on
that channel's invoice. Step 4 back-tests the terms on a vendor's reports and simulates
them; step 5 applies them to the month recomputed from the raw records -- both with
:func:`monthly_credits`, here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core.sla_lines import invoice_shares, split
from bpo_analysis.data import kpis
from bpo_analysis.data.models import SlaTerms
from bpo_analysis.errors import InputError

__all__ = ["apply_rules", "cap_bonus", "check_terms", "monthly_credits", "sla_arrays"]


def check_terms(terms: SlaTerms) -> None:
    """Check every KPI term against the KPI dictionary (``kpis.term_problem``).

    Parameters
    ----------
    terms : SlaTerms
        The validated ``sla.yaml`` (or terms a dashboard changed).

    Raises
    ------
    InputError
        Naming the KPI and the field (``kpis.<id>`` or ``kpis.<id>.variant`` ...), the
        value and what is allowed.
    """
    for kid, term in terms.kpis.items():
        problem = kpis.term_problem(kid, term)
        if problem:
            path, value, allowed, _what = problem
            raise InputError(".".join(("sla.yaml kpis", kid, *path)), value, allowed)


def sla_arrays(terms: SlaTerms, ids: list[str]) -> dict[str, np.ndarray]:
    """Return the terms of the lines ``ids`` as arrays, one entry per line.

    Parameters
    ----------
    terms : SlaTerms
        The validated ``sla.yaml``.
    ids : list of str
        Lines (:mod:`~bpo_analysis.core.sla_lines`: ``<kpi>@<channel>``, or a KPI id),
        in the order of the values' last axis.

    Returns
    -------
    dict of str to ndarray
        ``target`` and ``minimum`` (in each KPI's unit, the channel's own where the
        terms give one), ``allocation`` (share 0-1 of the at-risk pool), ``higher``
        (higher is better) and ``quarterly`` (bools).
    """
    parts = [split(i) for i in ids]
    t = [terms.kpis[k] for k, _ch in parts]
    bounds = [x.thresholds(ch) for x, (_k, ch) in zip(t, parts, strict=True)]
    higher = np.array([x.direction == "higher" for x in t])
    return {"target": np.array([b[0] for b in bounds], float),
            "minimum": np.array([b[1] for b in bounds], float),
            "allocation": np.array([x.allocation for x in t], float), "higher": higher,
            "quarterly": np.array([x.period == "quarter" for x in t])}


def _misses(values: np.ndarray, a: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return (worse than the target, worse than the minimum), KPIs on the last axis.

    A missing value (NaN) misses both: no report, no proof.
    """
    sign = np.where(a["higher"], 1.0, -1.0)
    signed = values * sign.astype(values.dtype)  # higher is better for every column now
    # a value equal to its threshold meets it (to rounding: 0.7, 0.8, 0.9 average 0.8)
    tol = 1e-9 if values.dtype == np.float64 else 1e-6
    target = a["target"] * sign
    minimum = a["minimum"] * sign
    below_target = ~(signed >= (target - tol * np.maximum(1, abs(target))).astype(
        values.dtype))  # NaN: True
    below_minimum = ~(signed >= (minimum - tol * np.maximum(1, abs(minimum))).astype(
        values.dtype))
    return below_target, below_minimum


def _window_sum(flags: np.ndarray, width: int) -> np.ndarray:
    """Count the flagged of the last ``width`` months (this one included); months lead."""
    out = np.empty(flags.shape, dtype=np.int16)
    run = np.zeros(flags.shape[1:], dtype=np.int16)
    for m in range(flags.shape[0]):
        run += flags[m]
        if m >= width:
            run -= flags[m - width]
        out[m] = run
    return out


def _quarterly(values: np.ndarray, quarter: np.ndarray, cols: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Return ``values``, ``cols`` KPIs as their quarter's mean so far, and its month count."""
    out = values.copy()
    total = np.zeros((*values.shape[1:-1], int(cols.sum())), dtype=values.dtype)
    count = 0
    seen = np.zeros(values.shape[0], dtype=int)
    for m in range(values.shape[0]):
        if m == 0 or quarter[m] != quarter[m - 1]:
            total[...] = 0
            count = 0
        total += values[m][..., cols]
        count += 1
        seen[m] = count
        out[m][..., cols] = total / count
    return out, seen


def _on_judged(flags: np.ndarray, rows: np.ndarray, cols: np.ndarray, fn) -> np.ndarray:
    """Apply ``fn`` to the judged months (``rows``) of the ``cols`` KPIs only, 0 elsewhere."""
    out = np.zeros(flags.shape, dtype=flags.dtype) if flags.dtype != bool else np.zeros(
        flags.shape, dtype=np.int16)
    sub = out[rows]
    sub[..., cols] = fn(flags[rows][..., cols])
    out[rows] = sub
    return out


def apply_rules(values: np.ndarray, invoice: np.ndarray, terms: SlaTerms,
           a: dict[str, np.ndarray], month_of_year: np.ndarray,
           year: np.ndarray, share: np.ndarray | float = 1.0) -> dict[str, np.ndarray]:
    """Apply the SLA to a run of months: every array the tables and the simulation need.

    A KPI measured per quarter (``period: quarter``) is judged in its calendar quarter's
    last month on the mean of the quarter's three months (a quarter the data does not
    cover whole is not judged); its N-of-M target rule and its earn-back count quarters.

    Parameters
    ----------
    values : ndarray
        KPI values (months, ..., kpis) in their units, NaN: not reported; middle: draws.
    invoice : ndarray
        The invoice of each month, currency, (months,).
    terms : SlaTerms
        The validated ``sla.yaml``.
    a : dict of str to ndarray
        :func:`sla_arrays` of ``terms`` for the KPIs of ``values``.
    month_of_year, year : ndarray of int
        Calendar month (1-12) and year of each month, (months,).
    share : ndarray or float
        Each line's share of the invoice (its channel's invoice over the month's),
        broadcastable to ``values``; 1 for lines on the whole invoice.

    Returns
    -------
    dict of str to ndarray
        Months leading: ``value`` (as judged), the bools ``miss_target``,
        ``miss_minimum``, ``by_target``, ``fired``, ``capped``, ``earned``; ``window``
        (misses in the rule's window); ``credit``, ``earned_back`` and ``bonus`` (before
        the yearly cap), in currency per month.

    Notes
    -----
    A fired line's credit = invoice x its share x at_risk_share x allocation; a month's
    credits are capped at cap_share x invoice (each scaled down by the same factor).
    """
    n_months = values.shape[0]
    inv = invoice.reshape((n_months,) + (1,) * (values.ndim - 2)).astype(values.dtype)
    q = a["quarterly"]
    quarter = year * 4 + (month_of_year - 1) // 3
    if q.any():
        values, seen = _quarterly(values, quarter, q)
        ends = np.flatnonzero((month_of_year % 3 == 0) & (seen == 3))
        judged = np.zeros(n_months, bool)
        judged[ends] = True
        measured = np.where(q, judged[:, None], True).reshape(
            (n_months,) + (1,) * (values.ndim - 2) + (len(q),))
    else:
        measured = np.True_
    miss_t, miss_m = _misses(values, a)
    miss_t, miss_m = miss_t & measured, miss_m & measured
    r = terms.target_miss_rule
    window = _window_sum(miss_t, r.months)  # misses in the last r.months months
    if q.any():  # quarterly KPIs: the last r.months quarters
        per_q = _on_judged(miss_t, ends, q, lambda f: _window_sum(f, r.months))
        window[..., q] = per_q[..., q]
    by_target = miss_t & (window >= r.misses)
    fired = miss_m | by_target
    pool = (terms.at_risk_share * a["allocation"]).astype(values.dtype)
    raw = fired * (inv[..., None] * pool * np.asarray(share, values.dtype))
    total = raw.sum(axis=-1)
    cap = np.broadcast_to(inv * terms.cap_share, total.shape)
    capped = total > cap
    scale = np.divide(cap, total, out=np.ones_like(total), where=capped)
    credit = raw * scale[..., None]
    # earn-back: the next K judged periods all on target for that KPI; the credit comes
    # back in the K-th of them. ``earned`` marks the credit's own month.
    k = terms.earn_back_months
    earned = np.zeros(credit.shape, bool)
    back = np.zeros_like(credit)
    if 0 < k < n_months:
        ok = _window_sum(~miss_t, k)[k:] == k  # months m+1..m+K all on target, m < n - K
        earned[:n_months - k] = ok & (credit[:n_months - k] > 0)
        earned[..., q] = False
        back[k:] = np.where(earned[:n_months - k], credit[:n_months - k], 0)
        if q.any() and len(ends) > k:
            met_q = ~miss_t[ends][..., q]
            ok_q = _window_sum(met_q, k)[k:] == k  # the next K quarters on target
            cred_q = credit[ends][..., q]
            earned_q = ok_q & (cred_q[:len(ends) - k] > 0)
            e_sub, b_sub = earned[ends], back[ends]
            e_sub[:len(ends) - k][..., q] = earned_q
            b_sub[k:][..., q] = np.where(earned_q, cred_q[:len(ends) - k], 0)
            earned[ends], back[ends] = e_sub, b_sub
    # bonus after every B consecutive months on target on every KPI
    all_met = ~miss_t.any(axis=-1)
    bonus = np.zeros(all_met.shape, dtype=values.dtype)
    run = np.zeros(all_met.shape[1:], dtype=np.int16)
    b = terms.bonus_after_months
    for m in range(n_months):
        run = np.where(all_met[m], run + 1, 0).astype(np.int16)
        bonus[m] = ((run > 0) & (run % b == 0)) * (inv[m] * terms.bonus_share)
    return {"value": values, "miss_target": miss_t, "miss_minimum": miss_m,
            "by_target": by_target, "fired": fired, "window": window, "credit": credit,
            "capped": capped, "earned": earned, "earned_back": back, "bonus": bonus}


def cap_bonus(bonus: np.ndarray, invoice: np.ndarray, years: np.ndarray,
               share: float) -> np.ndarray:
    """Scale each year's bonuses (months leading) down to ``share`` of that year's invoices.

    Parameters
    ----------
    bonus : ndarray
        Bonuses, currency per month, (months, ...).
    invoice, years : ndarray
        Each month's invoice (currency) and calendar year, (months,).
    share : float
        The cap, a share 0-1 of the year's invoices (``bonus_cap_share``).

    Returns
    -------
    ndarray
        The bonuses, times min(1, share x the year's invoices / the year's bonuses).
    """
    out = bonus.astype(float).copy()
    for y in np.unique(years):
        at = years == y
        cap = invoice[at].sum() * share
        got = out[at].sum(axis=0)
        scale = np.divide(cap, got, out=np.ones_like(got), where=got > cap)
        out[at] *= scale
    return out


def monthly_credits(kpi_results: pd.DataFrame, terms: SlaTerms,
                    invoice: pd.Series | pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the SLA to actual months.

    Parameters
    ----------
    kpi_results : DataFrame
        One row per calendar month (a monthly PeriodIndex or month-start dates,
        consecutive, in order), one column per line judged: ``<kpi>@<channel>``
        (:func:`~bpo_analysis.core.sla_lines.lines`) or a KPI id (judged on the whole
        invoice); a KPI of the terms without one is not judged (on no channel the data
        covers: the caller says so). Values in the KPI's unit; NaN: not reported, counts
        as missed.
    terms : SlaTerms
        The validated ``sla.yaml`` (KPI targets, minimums, at-risk pool, cap, bonus).
    invoice : Series or DataFrame
        The month's invoice (currency, >= 0), for the same months: one amount, or one
        column per channel (a line's credit is taken on its channel's).

    Returns
    -------
    (detail, months)
        ``detail``: per month and line: ``line``, ``kpi``, ``channel`` ("" on the whole
        invoice), ``value`` (as judged: a quarterly KPI's quarter mean so far),
        ``target``, ``minimum``, ``missed_target``, ``missed_minimum``,
        ``misses_in_window``, ``rule`` (what fired: "minimum", "target N of M", or
        "-"), ``credit`` (after the monthly cap) and ``earned_back`` (returned in this
        month for a credit K months before).
        ``months``: per month: ``invoice``, ``credits``, ``cap_applied``,
        ``earned_back``, ``bonus`` (after the yearly cap) and ``net`` (credits - earned
        back - bonus: what the vendor owes the client; negative when it earns).

    Notes
    -----
    A credit = invoice x the line's share of it x at_risk_share x allocation, a month's
    credits capped at cap_share x invoice (:func:`apply_rules`); bonuses capped per
    year (:func:`cap_bonus`).

    Examples
    --------
    >>> from bpo_analysis.data.models import SlaTerms
    >>> t = SlaTerms.model_validate({"at_risk_share": 0.1, "cap_share": 0.1,
    ...   "kpis": {"service_level": {"name": "SL", "unit": "share", "definition": "-",
    ...            "direction": "higher", "target": 0.8, "minimum": 0.7, "allocation": 1}},
    ...   "target_miss_rule": {"misses": 2, "months": 3}, "earn_back_months": 0,
    ...   "bonus_after_months": 12, "bonus_share": 0, "bonus_cap_share": 0})
    >>> months = pd.period_range("2025-01", periods=3, freq="M")
    >>> d, m = monthly_credits(pd.DataFrame({"service_level": [0.75, 0.78, 0.65]}, months),
    ...                        t, pd.Series(100_000.0, months))
    >>> d["rule"].tolist(), m["credits"].tolist()
    (['-', 'target 2 of 3', 'minimum'], [0.0, 10000.0, 10000.0])

    Judged per channel, voice's miss is credited on voice's invoice only:

    >>> sl = pd.DataFrame({"service_level@voice": [0.65] * 3,
    ...                    "service_level@chat": [0.85] * 3}, months)
    >>> inv = pd.DataFrame({"voice": 60_000.0, "chat": 40_000.0}, months)
    >>> monthly_credits(sl, t, inv)[1]["credits"].tolist()
    [6000.0, 6000.0, 6000.0]
    """
    check_terms(terms)
    ids = [str(c) for c in kpi_results.columns]
    stray = [i for i in ids if split(i)[0] not in terms.kpis]
    if stray or not ids:
        raise InputError("kpi_results", f"columns {ids}",
                         f"columns of the terms' KPIs {list(terms.kpis)} (or per KPI and "
                         "channel, kpi@channel)")
    idx = _monthly_index(kpi_results.index, "kpi_results")
    inv_idx = _monthly_index(invoice.index, "invoice")
    if not inv_idx.equals(idx):
        raise InputError("invoice", f"months {inv_idx[0]}..{inv_idx[-1]} ({len(inv_idx)})",
                         f"one invoice for each month of kpi_results, {idx[0]}..{idx[-1]}")
    share = invoice_shares(invoice, ids)
    inv = (invoice.sum(axis=1, min_count=1) if isinstance(invoice, pd.DataFrame)
           else invoice).to_numpy(float)
    bad = ~np.isfinite(inv) | (inv < 0)
    if bad.any():
        raise InputError(f"invoice of {idx[int(np.flatnonzero(bad)[0])]}",
                         inv[bad][0], "an amount >= 0")
    a = sla_arrays(terms, ids)
    values = kpi_results[ids].to_numpy(float)
    year, month = idx.year.to_numpy(), idx.month.to_numpy()
    r = apply_rules(values, inv, terms, a, month, year, share)
    bonus = cap_bonus(r["bonus"], inv, year, terms.bonus_cap_share)
    rule = np.where(r["miss_minimum"], "minimum",
                    np.where(r["by_target"], f"target {terms.target_miss_rule.misses} of "
                             f"{terms.target_miss_rule.months}", "-"))
    parts = [split(i) for i in ids]
    detail = pd.DataFrame({
        "month": np.repeat(idx.to_numpy(), len(ids)), "line": np.tile(ids, len(idx)),
        "kpi": np.tile([k for k, _c in parts], len(idx)),
        "channel": np.tile([c or "" for _k, c in parts], len(idx)),
        "value": r["value"].ravel(), "target": np.tile(a["target"], len(idx)),
        "minimum": np.tile(a["minimum"], len(idx)),
        "missed_target": r["miss_target"].ravel(), "missed_minimum": r["miss_minimum"].ravel(),
        "misses_in_window": r["window"].ravel(), "rule": rule.ravel(),
        "credit": r["credit"].ravel(), "earned_back": r["earned_back"].ravel()})
    credits = r["credit"].sum(axis=1)
    back = r["earned_back"].sum(axis=1)
    months = pd.DataFrame({"invoice": inv, "credits": credits, "cap_applied": r["capped"],
                           "earned_back": back, "bonus": bonus,
                           "net": credits - back - bonus}, index=idx)
    return detail, months


def _monthly_index(index: pd.Index, name: str) -> pd.PeriodIndex:
    """``index`` as consecutive calendar months (periods or dates), in order."""
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period("M")
    if not isinstance(index, pd.PeriodIndex) or index.freqstr not in ("M", "ME"):
        raise InputError(f"{name} index", type(index).__name__,
                         "calendar months (a monthly PeriodIndex or month-start dates)")
    if len(index) > 1 and not (np.diff(index.asi8) == 1).all():
        gap = int(np.flatnonzero(np.diff(index.asi8) != 1)[0])
        raise InputError(f"{name} index", f"{index[gap]} then {index[gap + 1]}",
                         "consecutive months in order")
    return index
