"""Step 3: every vendor's quote priced on the client's own demand, over the contract.

Answers "is this price reasonable?" (seed 000 step 3). Each quote is billed on the same
demand -- the contacts of the channels it covers, with their handle times and the
staffing the service targets need -- under its own pricing model:

* ``per_call`` -- contacts x price, with the quote's volume band and monthly minimum
  (:func:`bpo_analysis.core.costs.shared_by_month`);
* ``per_minute`` -- handle minutes (contacts x AHT) x price, at least the minimum;
* ``per_productive_hour`` -- the agent-hours on contacts the vendor needs for the
  service targets (the staffing engine's required agents x interval length) x price,
  at least the minimum;
* ``per_seat`` -- seats x price: the seats the busiest month needs for the targets
  (``seats="needed"``) or the seats quoted (``seats="quoted"``);
* ``hybrid`` -- the quoted dedicated seats x seat price, and the contacts above what
  they carry x the overflow price (:func:`bpo_analysis.core.billing.overflow_by_month`).

The management fee is added every month. Over a contract term (:func:`term_costs`) the
demand grows by the scenario's yearly growth, prices escalate by the quote's own
``annual_escalation`` from its ``escalation_from_year``, and the total cost of
ownership adds what is not on the quote (``tco.yaml``): the client's transition work,
its retained costs (vendor management, QA sampling, travel) and the exit. The billing
engine is shared with steps 2 and 6 (:mod:`bpo_analysis.core.quotes`, its names are
re-exported here); this module adds what only step 3 asks: TCO per contact, unit costs
at the forecast error, cost curves and break-evens. The suspicious bids
(:mod:`.bids`) and the like-for-like comparison of offers covering the same channels
(:mod:`.scope`) have modules of their own.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import numpy_financial as npf
import pandas as pd

from bpo_analysis.core import billing
from bpo_analysis.core.decision import vendor_names
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.quotes import (
    Plans,
    PricingInputs,
    check_quotes,
    escalation_factor,
    first_year_scale,
    quote_costs,
    quote_summary,
    term_costs,
    vendor_prices,
)
from bpo_analysis.core.workforce import Calendar
from bpo_analysis.data.client import Client
from bpo_analysis.errors import DataWarning
from bpo_analysis.i18n import _
from bpo_analysis.steps.pricing.bids import suspicious_bids

__all__ = ["COMPONENT_GROUPS", "Plans", "PricingInputs", "break_evens", "check_quotes",
           "cost_curves", "quote_costs", "quote_summary", "suspicious_bids", "tco_summary",
           "term_costs", "unit_costs", "vendor_prices"]


#: A TCO line's group, from the start of its name, in the order charts stack them.
COMPONENT_GROUPS = (("Vendor set-up fee", "Vendor set-up fee"),
                    ("Transition: ", "Transition (client)"),
                    ("Service fees", "Service fees"), ("Management fee", "Management fee"),
                    ("Retained: ", "Retained (hidden) costs"),
                    ("Exit", "Exit / transition back"))


def component_group(component: str) -> str:
    """Return the waterfall group of a :func:`term_costs` component.

    >>> component_group("Transition: IVR flow design"), component_group("Retained: travel")
    ('Transition (client)', 'Retained (hidden) costs')
    """
    return next(g for prefix, g in COMPONENT_GROUPS if component.startswith(prefix))


def tco_summary(term: pd.DataFrame, discount_rate: float, contract_terms: pd.Series
                ) -> pd.DataFrame:
    """Summarise each quote's total cost of ownership, lowest TCO per contact first.

    Per quote: the months compared, the quote's own contract term (``contract_terms``:
    months by quote id), nominal TCO, present value (``numpy_financial.npv`` of the
    monthly cash flows at the monthly equivalent of ``discount_rate``, t = 0 first),
    contacts handled, nominal TCO per contact (the figure that compares offers covering
    the same channels, :mod:`.scope`) and the share of TCO not on the quote (transition,
    retained, exit); lowest TCO per contact first.

    Parameters
    ----------
    term : DataFrame
        :func:`term_costs` (currency per month ``t``).
    discount_rate : float
        Annual discount rate, share (0.08 for 8 %).
    contract_terms : Series
        Quote id -> contract term, months.

    Returns
    -------
    DataFrame
        Indexed by ``quote_id``: ``vendor_id``, ``pricing_model``, ``months``,
        ``contract_term``, ``nominal`` and ``pv`` (currency), ``contacts``,
        ``per_contact`` (currency) and ``not_on_quote`` (share 0-1).
    """
    monthly_rate = (1 + discount_rate) ** (1 / 12) - 1
    terms = contract_terms
    rows = {}
    for qid, g in term.groupby("quote_id", sort=False):
        flows = g.groupby("t")["amount"].sum().reindex(range(int(g["t"].max()) + 1),
                                                       fill_value=0.0)
        on_quote = g["component"].isin(["Vendor set-up fee", "Service fees",
                                        "Management fee"])
        contacts = float(g["contacts"].sum())
        rows[qid] = {"vendor_id": g["vendor_id"].iloc[0],
                     "pricing_model": g["pricing_model"].iloc[0],
                     "months": int(g["t"].max()), "contract_term": int(terms[qid]),
                     "nominal": float(flows.sum()),
                     "pv": float(npf.npv(monthly_rate, flows.to_numpy())),
                     "contacts": contacts,
                     "per_contact": float(flows.sum()) / contacts if contacts else np.nan,
                     "not_on_quote": float(g.loc[~on_quote, "amount"].sum() / flows.sum())}
    out = pd.DataFrame(rows).T.infer_objects()
    return out.sort_values("per_contact").rename_axis("quote_id")


# ---------------------------------------------------------------- unit costs and risk
def unit_costs(client: Client, inputs: PricingInputs = PricingInputs(),
               plans: Plans | None = None) -> pd.DataFrame:
    """Compute every quote's first-year unit costs and the forecast risk it leaves.

    Cost per contact handled and per productive hour of every quote in its first
    contract year, at the forecast and at -/+ ``forecast_error``, and the forecast risk
    each pricing model leaves with the client.

    Parameters
    ----------
    client : Client
        The client (demand, quotes, scenario).
    inputs : PricingInputs
        Volume scale, forecast error (share), seats rule.
    plans : Plans, optional
        The staffing plans it keeps (a dashboard passes them).

    Returns
    -------
    DataFrame
        Columns per quote: ``vendor_id``, ``pricing_model``, ``year_cost`` (at the
        forecast), ``per_contact`` and ``per_hour`` (per productive hour) at the forecast
        and with ``_low`` / ``_high`` at -/+ the error; ``unit_swing`` ((per contact at
        low - at high) / at forecast: 0 when the bill follows volume, large when it is
        fixed; per-seat bills keep the forecast's seats when volume falls short and add
        seats when it overshoots); ``shortfall_risk`` (what the client pays at low volume
        above a bill that fell with volume: cost(low) - (1 - e) cost(forecast)) and
        ``overshoot_cost`` (cost(high) - (1 + e) cost(forecast)).
    """
    plans = plans or Plans(client)
    check_quotes(client)
    e = inputs.forecast_error
    base = first_year_scale(client, plans, inputs)
    cal, sc = plans.calendar, client.scenario
    year: dict[str, dict[str, tuple[float, float, float]]] = {}
    contracted: dict[str, float] = {}
    for level, s in (("forecast", 1.0), ("low", 1 - e), ("high", 1 + e)):
        plan = plans.at(base * s)
        for _i, q in client.quotes.iterrows():
            b = billing.bill(q, plan, cal, sc.interval_minutes, plans.workforce, inputs.seats,
                      contracted.get(q["quote_id"], 0.0))
            if level == "forecast" and q["pricing_model"] == "per_seat":
                contracted[q["quote_id"]] = float(b["seats"])
            first = float(escalation_factor(q, 1, inputs.escalation))
            year.setdefault(q["quote_id"], {})[level] = (
                float((b["service"] + b["management"]).sum()) * first,
                float(b["contacts"].sum()), float(b["productive_hours"].sum()))
    meta = client.quotes.set_index("quote_id")
    rows = {}
    for qid, by in year.items():
        r = {"vendor_id": meta.loc[qid, "vendor_id"],
             "pricing_model": meta.loc[qid, "pricing_model"], "year_cost": by["forecast"][0]}
        for level, (total, contacts, hours) in by.items():
            suffix = "" if level == "forecast" else f"_{level}"
            r[f"per_contact{suffix}"] = total / contacts if contacts else np.nan
            r[f"per_hour{suffix}"] = total / hours if hours else np.nan
        r["unit_swing"] = (r["per_contact_low"] - r["per_contact_high"]) / r["per_contact"]
        r["shortfall_risk"] = by["low"][0] - (1 - e) * by["forecast"][0]
        r["overshoot_cost"] = by["high"][0] - (1 + e) * by["forecast"][0]
        rows[qid] = r
    return pd.DataFrame(rows).T.rename_axis("quote_id").infer_objects()


def forecast_contacts(client: Client, inputs: PricingInputs = PricingInputs(),
                      calendar: Calendar | None = None) -> float:
    """Return the contacts per month of the first contract year at the forecast.

    All channels: where the forecast sits on :func:`cost_curves`.

    Parameters
    ----------
    client : Client
        The client (demand, scenario's growth).
    inputs : PricingInputs
        Its ``volume_scale`` multiplies the contacts.
    calendar : Calendar, optional
        The calendar of the demand's intervals.

    Returns
    -------
    float
        Contacts per month.
    """
    cal = calendar or Calendar.of(client.demand["interval_start"])
    _, _, years = horizon_months(client, cal, periods=1)
    scale = inputs.volume_scale * (1 + client.scenario.volume_growth_annual) ** int(years[0])
    return float(client.demand["contacts"].sum()) * scale / len(cal.months)


def cost_curves(client: Client, inputs: PricingInputs = PricingInputs(),
                plans: Plans | None = None, scales: np.ndarray | None = None
                ) -> pd.DataFrame:
    """Compute every quote's average monthly bill in its first year as the volume is scaled.

    Default 0.4x to 1.6x the first year's forecast before the volume slider, so the
    curves stay put while the forecast moves along them; per-seat quotes keep the
    forecast's seats below it and add seats above it.

    Parameters
    ----------
    client : Client
        The client (demand, quotes, scenario).
    inputs : PricingInputs
        Its seats rule applies.
    plans : Plans, optional
        The staffing plans it keeps.
    scales : array, optional
        Multipliers of the first year's forecast.

    Returns
    -------
    DataFrame
        Columns ``scale``, ``contacts_per_month`` (all channels) and one per quote
        (currency per month).
    """
    plans = plans or Plans(client)
    base = first_year_scale(client, plans, PricingInputs(seats=inputs.seats))
    scales = np.linspace(0.4, 1.6, 13) if scales is None else np.asarray(scales, float)
    cal, sc = plans.calendar, client.scenario
    forecast = plans.at(base)
    contracted = {q["quote_id"]: float(billing.bill(q, forecast, cal, sc.interval_minutes,
                                             plans.workforce, inputs.seats)["seats"])
                  for _, q in client.quotes.iterrows() if q["pricing_model"] == "per_seat"}
    rows = []
    for s in scales:
        plan = plans.at(base * s)
        row = {"scale": float(s),
               "contacts_per_month": float(plan["contacts"].sum()) / len(cal.months)}
        for _i, q in client.quotes.iterrows():
            b = billing.bill(q, plan, cal, sc.interval_minutes, plans.workforce, inputs.seats,
                      contracted.get(q["quote_id"], 0.0))
            row[q["quote_id"]] = float((b["service"] + b["management"]).mean()
                                       * escalation_factor(q, 1, inputs.escalation))
        rows.append(row)
    return pd.DataFrame(rows)


def break_evens(curves: pd.DataFrame, channels: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """Find where two quotes' monthly bills cross, for every pair that crosses.

    On :func:`cost_curves` (linear interpolation at the first change of sign); with
    ``channels`` (quote id -> channel covered) only quotes covering the same channels are
    compared (a voice-only bill against an all-channel one is not a break-even).

    Parameters
    ----------
    curves : DataFrame
        :func:`cost_curves`.
    channels : dict of str to str, optional
        Quote id -> the channel it covers.

    Returns
    -------
    DataFrame
        ``quotes``, ``contacts_per_month`` (the crossing), ``cheaper below`` and
        ``cheaper above``.
    """
    quotes = [c for c in curves.columns if c not in ("scale", "contacts_per_month")]
    x = curves["contacts_per_month"].to_numpy()
    rows = []
    for a, b in itertools.combinations(quotes, 2):
        if channels is not None and channels[a] != channels[b]:
            continue
        diff = (curves[a] - curves[b]).to_numpy()
        cross = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) < 0)
        if not cross.size:
            continue
        i = cross[0]
        at = x[i] + (x[i + 1] - x[i]) * diff[i] / (diff[i] - diff[i + 1])
        rows.append({"quotes": f"{a} = {b}", "contacts_per_month": float(at),
                     "cheaper below": a if diff[i] < 0 else b,
                     "cheaper above": b if diff[i] < 0 else a})
    return pd.DataFrame(rows, columns=["quotes", "contacts_per_month", "cheaper below",
                                       "cheaper above"])


def minimum_warnings(client: Client, curves: pd.DataFrame) -> list[str]:
    """Warn of each quote whose monthly minimum no plausible volume reaches.

    Quotes whose monthly minimum is above their bill at the largest volume of the curves
    (1.6x the forecast by default): a commitment no plausible volume reaches (warned,
    not refused).

    Parameters
    ----------
    client : Client
        The client whose quotes are checked.
    curves : DataFrame
        :func:`cost_curves`.

    Returns
    -------
    list of str
        The warnings given, sentences in the report language naming the vendor (each
        also a :class:`~bpo_analysis.errors.DataWarning`).
    """
    q = client.quotes.set_index("quote_id")
    names = vendor_names(client)
    top = curves.iloc[-1]
    out = []
    for qid in q.index:
        fee = float(q.loc[qid, "management_fee_monthly"])
        if q.loc[qid, "monthly_minimum"] > 0 and top[qid] - fee <= q.loc[qid,
                                                                           "monthly_minimum"]:
            vid = q.loc[qid, "vendor_id"]
            msg = _("the monthly minimum of quote {quote} of {vendor}, {minimum:,.0f} "
                    "{currency}, is above its bill even at {scale:.1f} times the "
                    "forecast").format(quote=qid, vendor=names.get(vid, vid),
                                       minimum=q.loc[qid, "monthly_minimum"],
                                       currency=client.currency, scale=top["scale"])
            warnings.warn(msg, DataWarning, stacklevel=2)
            out.append(msg)
    return out
