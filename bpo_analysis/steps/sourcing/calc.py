"""Step 1: compare the sourcing options on the client's own demand, month by month.

Options (seed 000 step 1, seed 003 sections 4-5):

* **In-house** -- the staffing plan on whole shifts (:func:`~bpo_analysis.core.workforce.
  shift_schedule`), at the client's own cost per FTE, night premium included;
* **Shared** -- shared agents billed per contact handled, with volume bands and a
  monthly minimum;
* **Dedicated** -- dedicated agents billed per seat-month, seats sized to the month the
  client chooses to cover (idle off-peak: the seed's point);
* **Hybrid** -- a dedicated base sized to a percentile of the interval need, with the
  overflow above it billed per contact;
* **Partial** -- some channels kept in-house (for the first hours after opening, if
  coverage is limited), the rest on shared agents.

Costs are in the scenario currency, per calendar month of the demand
(:func:`option_tables`), and projected over the planning horizon with volume growth,
wage and cost inflation and price escalation, nominal and in present value
(:func:`horizon_costs`, :func:`horizon_summary`).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field

import numpy as np
import numpy_financial as npf
import pandas as pd

from bpo_analysis.core import costs
from bpo_analysis.core.billing import overflow_by_month
from bpo_analysis.core.demand import daily_volume, find_peaks, monthly_volume
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.inhouse import centre_by_month
from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.core.workforce import Calendar, Workforce, fte_by_month, staffing_plan
from bpo_analysis.data.client import Client
from bpo_analysis.errors import DataError, InputError

__all__ = [
    "OPTIONS",
    "SourcingInputs",
    "break_even",
    "break_even_table",
    "contacts_per_month",
    "cost_curve",
    "crossing",
    "horizon_costs",
    "horizon_months",
    "horizon_summary",
    "idle_by_month",
    "indicative_inputs",
    "inputs_from_parameters",
    "option_costs",
    "option_costs_from",
    "option_summary",
    "option_tables",
    "overflow_by_month",
    "peak_effect",
]

OPTIONS = ("In-house", "Shared (per contact)", "Dedicated (per seat)",
           "Hybrid (base + overflow)", "Partial (some channels in-house)")


@dataclass(frozen=True)
class SourcingInputs:
    """The assumptions of the comparison (every dashboard slider is one of them).

    Prices are indicative market prices in the scenario currency; step 3 prices each real
    quote. The shared price may carry volume bands around a monthly commitment (see
    :func:`bpo_analysis.core.costs.shared_by_month`). ``dedicated_cover`` is the quantile of the
    monthly FTE need the dedicated seats cover (1.0: the busiest month; the need is the
    agent-hours over the paid hours of one FTE, since a vendor changes shifts without
    gaps, seed 003);
    ``hybrid_base_percentile`` the quantile of the interval need the hybrid base covers;
    ``inhouse_seat_cover`` the quantile of the interval need the in-house seats cover (peaks
    above it run on overtime and over-occupancy); ``inhouse_channels`` the channels the
    partial option keeps in-house, for the first ``inhouse_coverage_hours`` after opening
    each day (8: one in-house day shift, shared agents take the evening; seed 003).
    """

    price_per_contact: float
    price_per_seat: float
    monthly_minimum: float = 0.0
    management_fee: float = 0.0
    committed_contacts_monthly: float | None = None
    band_share: float = 0.0
    above_band_price_factor: float = 1.0
    below_band_price_factor: float = 1.0
    dedicated_cover: float = 1.0
    hybrid_base_percentile: float = 0.5
    inhouse_seat_cover: float = 0.95
    inhouse_channels: tuple[str, ...] = ("email",)
    inhouse_coverage_hours: float = 24.0
    volume_scale: float = 1.0
    aht_scale: float = 1.0
    workforce: Workforce = field(default_factory=Workforce)

    def __post_init__(self) -> None:
        for name in ("price_per_contact", "price_per_seat", "monthly_minimum",
                     "management_fee"):
            if not getattr(self, name) >= 0:
                raise InputError(name, getattr(self, name), "an amount >= 0")
        for name in ("hybrid_base_percentile", "inhouse_seat_cover"):
            if not 0 <= getattr(self, name) <= 1:
                raise InputError(name, getattr(self, name), "a quantile in [0, 1]")
        if not 0 < self.dedicated_cover <= 1:
            raise InputError("dedicated_cover", self.dedicated_cover, "a quantile in (0, 1]")
        if not (self.volume_scale > 0 and self.aht_scale > 0):
            raise InputError("volume_scale/aht_scale", (self.volume_scale, self.aht_scale),
                             "> 0 (with no contacts there is nothing to compare)")
        if not 0 <= self.band_share < 1:
            raise InputError("band_share", self.band_share, "a share in [0, 1)")
        for name in ("above_band_price_factor", "below_band_price_factor"):
            if not getattr(self, name) > 0:
                raise InputError(name, getattr(self, name), "a price multiplier > 0")
        unknown = set(self.inhouse_channels) - {"voice", "chat", "email"}
        if unknown:
            raise InputError("inhouse_channels", self.inhouse_channels,
                             "channels among voice, chat, email")
        if not 0 < self.inhouse_coverage_hours <= 24:
            raise InputError("inhouse_coverage_hours", self.inhouse_coverage_hours,
                             "hours in (0, 24]")


def indicative_inputs(client: Client, **overrides: object) -> SourcingInputs:
    """Inputs with indicative prices: the medians of the quotes per pricing model.

    Per contact: the ``per_call`` quotes (with their monthly minimum, management fee
    and, where quotes give one, the volume band); per seat: the ``per_seat`` quotes.
    ``overrides`` replace any field.
    """
    q = client.quotes
    per_call, per_seat = q[q["pricing_model"] == "per_call"], q[q["pricing_model"] == "per_seat"]
    for name, part in (("per_call", per_call), ("per_seat", per_seat)):
        if part.empty and f"price_per_{'contact' if name == 'per_call' else 'seat'}" not in (
                overrides):
            raise DataError(f"no {name} quote to take an indicative price from",
                            file=client.path / "quotes.csv", column="pricing_model",
                            allowed=f"a {name} quote, or give the price explicitly")
    banded = per_call[per_call["committed_contacts_monthly"].notna()]
    bands = {} if banded.empty else {
        "committed_contacts_monthly": float(banded["committed_contacts_monthly"].median()),
        "band_share": float(banded["band_share"].median()),
        "above_band_price_factor": float(banded["above_band_price_factor"].median()),
        "below_band_price_factor": float(banded["below_band_price_factor"].median())}
    base = {**bands,
            "price_per_contact": float(per_call["unit_price"].median()) if len(per_call) else 0,
            "price_per_seat": float(per_seat["unit_price"].median()) if len(per_seat) else 0,
            "monthly_minimum": float(per_call["monthly_minimum"].median())
            if len(per_call) else 0.0,
            "management_fee": float(q["management_fee_monthly"].median())}
    return SourcingInputs(**{**base, **overrides})


def _hybrid(plan: pd.DataFrame, cal: Calendar, inputs: SourcingInputs,
            interval_minutes: int) -> pd.DataFrame:
    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    busy = need[need > 0]
    base = ceil_whole(np.quantile(busy, inputs.hybrid_base_percentile)) if busy.size else 0
    overflow, base_hours = overflow_by_month(plan, cal, base, interval_minutes)
    base_seats = ceil_whole(base_hours.max(initial=0.0)
                            / inputs.workforce.paid_hours_per_fte_month)
    return pd.DataFrame({"Dedicated base seats": float(base_seats * inputs.price_per_seat),
                         "Overflow per contact": overflow * inputs.price_per_contact,
                         "Management fee": float(inputs.management_fee)}, index=cal.months)


def _kept_in_house(plan: pd.DataFrame, cal: Calendar, client: Client,
                   inputs: SourcingInputs) -> tuple[np.ndarray, np.ndarray]:
    """(contact share, agent share) of each row the partial option keeps in-house.

    Voice and chat: the rows of its channels that arrive inside the coverage window (the
    first ``inhouse_coverage_hours`` after opening) are kept, contacts and agents. Email
    is a backlog worked through the open hours: its agents inside the window are kept,
    and the same share of the day's email contacts (the covered share of the open day).
    """
    opens, closes = client.scenario.opening_minutes()
    start, cover = opens[cal.weekday], inputs.inhouse_coverage_hours * 60
    window = ((cal.minute_of_day >= start) & (cal.minute_of_day < start + cover)).astype(float)
    open_min = closes - opens
    covered = np.divide(np.minimum(cover, open_min), open_min, out=np.zeros(7),
                        where=open_min > 0)[cal.weekday]
    codes, names = pd.factorize(plan["channel"])
    ours = np.isin(codes, [i for i, n in enumerate(names) if n in inputs.inhouse_channels])
    email = codes == (names.get_loc("email") if "email" in names else -2)
    contacts = np.where(ours, np.where(email, covered, window), 0.0)
    return contacts, np.where(ours, window, 0.0)


def option_tables(client: Client, inputs: SourcingInputs, calendar: Calendar | None = None,
                  plan: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every option's cost per month (rows) and component (columns), by option name.

    :func:`option_costs` is the same as one tidy table; this wide form is what a
    dashboard needs on every slider move. Pass the demand's :class:`Calendar`, and the
    staffing ``plan`` when only prices or wages changed, to save recomputing them.
    """
    cal = calendar or Calendar.of(client.demand["interval_start"])
    if plan is None:
        plan = staffing_plan(client, inputs.workforce, volume_scale=inputs.volume_scale,
                             aht_scale=inputs.aht_scale, calendar=cal)
    minutes = client.scenario.interval_minutes
    fte = fte_by_month(plan, client.scenario, inputs.workforce, cal)
    seats = costs.dedicated_seats(fte["fte_needed"], inputs.dedicated_cover)
    kept = _kept_in_house(plan, cal, client, inputs)
    out_contacts = pd.Series(cal.per_month(plan["contacts"].to_numpy(float) * (1 - kept[0])),
                             index=fte.index)
    shared_kw = {"monthly_minimum": inputs.monthly_minimum,
                 "management_fee": inputs.management_fee,
                 "committed": inputs.committed_contacts_monthly,
                 "band_share": inputs.band_share,
                 "above_factor": inputs.above_band_price_factor,
                 "below_factor": inputs.below_band_price_factor}
    shared_part = costs.shared_by_month(out_contacts, inputs.price_per_contact, **shared_kw)
    if out_contacts.sum() == 0:  # nothing goes out: no shared contract, no minimum, no fee
        shared_part = shared_part * 0.0
    kept_part = centre_by_month(client, plan, cal, inputs.workforce,
                                inputs.inhouse_seat_cover, kept)
    partial = pd.concat([kept_part.add_prefix("In-house: "),
                         shared_part.add_prefix("Shared: ")], axis=1)
    return dict(zip(OPTIONS, [
        centre_by_month(client, plan, cal, inputs.workforce, inputs.inhouse_seat_cover,
                        fte=fte),
        costs.shared_by_month(fte["contacts"], inputs.price_per_contact, **shared_kw),
        costs.dedicated_by_month(fte["fte_needed"], seats, inputs.price_per_seat,
                                 management_fee=inputs.management_fee),
        _hybrid(plan, cal, inputs, minutes),
        partial.fillna(0.0)], strict=True))


def option_costs(client: Client, inputs: SourcingInputs) -> pd.DataFrame:
    """Every option's cost per month and component, as a tidy table.

    Columns ``option``, ``month``, ``component``, ``amount`` (scenario currency per
    month) and ``currency``.
    """
    return option_costs_from(option_tables(client, inputs), client.currency)


def option_summary(long: pd.DataFrame | dict[str, pd.DataFrame], contacts: float
                   ) -> pd.DataFrame:
    """Per option: total over the period, average month, cost per contact, and the
    difference to the cheapest option (absolute and share), cheapest first.

    ``long`` is :func:`option_costs` or the wide :func:`option_tables`.
    """
    if isinstance(long, dict):
        total = pd.Series({k: float(v.to_numpy().sum()) for k, v in long.items()})
        months = len(next(iter(long.values())))
    else:
        total = long.groupby("option", sort=False)["amount"].sum()
        months = long["month"].nunique()
    out = pd.DataFrame({"total": total, "per_month": total / months,
                        "per_contact": total / contacts if contacts > 0 else np.nan})
    out["vs_cheapest"] = out["total"] - out["total"].min()
    out["vs_cheapest_share"] = out["vs_cheapest"] / out["total"].min()
    return out.sort_values("total")


def cost_curve(client: Client, inputs: SourcingInputs,
               scales: np.ndarray | None = None) -> pd.DataFrame:
    """Average monthly cost of every option as the whole demand is scaled.

    Columns ``scale``, ``contacts_per_month`` and one per option (currency per month);
    default scales 0.2x to 3x in 15 steps.
    """
    scales = np.linspace(0.2, 3.0, 15) if scales is None else np.asarray(scales, float)
    cal = Calendar.of(client.demand["interval_start"])
    months = len(cal.months)
    rows = []
    for s in scales:
        tables = option_tables(client, dataclasses.replace(inputs, volume_scale=float(s)), cal)
        rows.append({"scale": float(s),
                     "contacts_per_month": client.demand["contacts"].sum() * s / months,
                     **{k: float(v.to_numpy().sum()) / months for k, v in tables.items()}})
    return pd.DataFrame(rows)


def crossing(curve: pd.DataFrame, a: str, b: str) -> float | None:
    """Monthly volume where options ``a`` and ``b`` of a :func:`cost_curve` cost the same
    (linear interpolation at the first change of sign); None if they never cross."""
    for name in (a, b):
        if name not in OPTIONS:
            raise InputError("option", name, f"one of {list(OPTIONS)}")
    diff = (curve[a] - curve[b]).to_numpy()
    cross = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) < 0)
    if not cross.size:
        return None
    i = cross[0]
    x0, x1 = curve["contacts_per_month"].iloc[i], curve["contacts_per_month"].iloc[i + 1]
    return float(x0 + (x1 - x0) * diff[i] / (diff[i] - diff[i + 1]))


def break_even(client: Client, inputs: SourcingInputs, a: str, b: str,
               scales: np.ndarray | None = None) -> tuple[float | None, pd.DataFrame]:
    """Monthly volume at which options ``a`` and ``b`` cost the same, and the curve.

    Scales the whole demand over ``scales`` (default 0.2x to 3x) and interpolates where
    the two options' costs cross; None when they never do in the range.
    """
    for name in (a, b):
        if name not in OPTIONS:
            raise InputError("option", name, f"one of {list(OPTIONS)}")
    curve = cost_curve(client, inputs, scales)
    return crossing(curve, a, b), curve


BREAK_EVEN_PAIRS = ((OPTIONS[0], OPTIONS[1]), (OPTIONS[0], OPTIONS[2]),
                    (OPTIONS[0], OPTIONS[3]), (OPTIONS[1], OPTIONS[2]))


def break_even_table(curve: pd.DataFrame, currency: str) -> pd.DataFrame:
    """In-house against each outsourced form, and shared against dedicated: where they
    break even, and which is cheaper below and above that volume."""
    rows = []
    low, high = curve.iloc[0], curve.iloc[-1]
    for a, b in BREAK_EVEN_PAIRS:
        at = crossing(curve, a, b)
        rows.append({"options": f"{a} vs {b}",
                     "break-even (contacts per month)": at,
                     f"cheaper at {low['contacts_per_month']:,.0f} contacts/month":
                         a if low[a] < low[b] else b,
                     f"cheaper at {high['contacts_per_month']:,.0f} contacts/month":
                         a if high[a] < high[b] else b,
                     "currency": currency})
    return pd.DataFrame(rows)


def peak_effect(tables: dict[str, pd.DataFrame], client: Client) -> pd.DataFrame:
    """How each option's monthly cost follows the seasons and the largest spike.

    Per option: the average month, the busiest and quietest months by contacts, and the
    month of the largest peak episode the demand shows (e.g. a product recall), each as
    currency per month, with the busiest month's premium over the average.
    """
    volume = monthly_volume(client.demand)["total"]
    episodes = find_peaks(daily_volume(client.demand)["total"])
    peaks = episodes[episodes["kind"] == "peak"]
    spike = (peaks.loc[peaks["excess_contacts"].idxmax(), "peak_date"].to_period("M")
             if len(peaks) else None)
    busy, quiet = volume.idxmax(), volume.idxmin()
    rows = {}
    for option, t in tables.items():
        monthly = t.sum(axis=1)
        rows[option] = {"average month": monthly.mean(), f"busiest ({busy:%b %Y})": monthly[busy],
                        f"quietest ({quiet:%b %Y})": monthly[quiet],
                        **({f"largest spike ({spike:%b %Y})": monthly[spike]} if spike else {}),
                        "busiest vs average": monthly[busy] / monthly.mean() - 1}
    return pd.DataFrame(rows).T


def idle_by_month(client: Client, inputs: SourcingInputs) -> pd.DataFrame:
    """Share of the agents' productive time left idle each month, in-house vs dedicated.

    Productive time per FTE is paid hours x (1 - shrinkage); the work is contacts x
    AHT. In-house FTE are whole shifts (idle where a shift outlasts the need); dedicated
    seats sized to the busiest month sit idle in the quiet ones (seed 000's reason to
    buy shared agents for peaky demand).
    """
    w = inputs.workforce
    plan = staffing_plan(client, w, volume_scale=inputs.volume_scale,
                         aht_scale=inputs.aht_scale)
    fte = fte_by_month(plan, client.scenario, w)
    hours = plan["load_erlangs"] * client.scenario.interval_minutes / 60.0
    work = hours.groupby(plan["interval_start"].dt.to_period("M")).sum()
    productive = w.paid_hours_per_fte_month * (1 - w.shrinkage)
    seats = costs.dedicated_seats(fte["fte_needed"], inputs.dedicated_cover)
    return pd.DataFrame({"In-house": costs.idle_share(work, fte["fte"], productive),
                         "Dedicated (per seat)": costs.idle_share(work, seats, productive)})


def inputs_from_parameters(client: Client, *, price_per_contact: float = 0.0,
                           price_per_seat: float = 0.0, shrinkage: float = 0.30,
                           shift_hours: float = 8.0, shift_starts: str = "",
                           inhouse_channels: str = "email", **fields: object
                           ) -> SourcingInputs:
    """Inputs from notebook parameters: a price of 0 means "the median of the quotes";
    ``inhouse_channels`` is a comma-separated list ("email", "voice,chat", or ""), and
    so is ``shift_starts`` ("08:00,16:00"; "" lets a shift start at any interval)."""
    prices = {k: v for k, v in (("price_per_contact", price_per_contact),
                                ("price_per_seat", price_per_seat)) if v > 0}
    channels = tuple(c.strip() for c in inhouse_channels.split(",") if c.strip())
    unknown = [c for c in channels if c not in ("voice", "chat", "email")]
    if unknown:
        raise InputError("inhouse_channels", inhouse_channels,
                         "a comma-separated subset of voice, chat, email")
    absent = [c for c in channels if c not in client.scenario.service_targets]
    if absent:
        warnings.warn(f"inhouse_channels: {absent} not served by {client.scenario.company}; "
                      "the partial option keeps the others in-house", stacklevel=2)
    starts = tuple(t.strip() for t in shift_starts.split(",") if t.strip())
    workforce = Workforce(shrinkage=shrinkage, shift_hours=shift_hours, shift_starts=starts)
    return indicative_inputs(client, workforce=workforce, **prices,
                             inhouse_channels=channels, **fields)


def option_costs_from(tables: dict[str, pd.DataFrame], currency: str) -> pd.DataFrame:
    """The tidy table of :func:`option_costs` from the wide :func:`option_tables`."""
    long = pd.concat({k: v.rename_axis("month").rename_axis(columns="component").stack()
                      for k, v in tables.items()}, names=["option"])
    return long.rename("amount").reset_index().assign(currency=currency)


def contacts_per_month(client: Client, inputs: SourcingInputs) -> float:
    """Average contacts per month of the (scaled) demand: "today" on a break-even chart."""
    months = client.demand["interval_start"].dt.to_period("M").nunique()
    return float(client.demand["contacts"].sum()) * inputs.volume_scale / months


# ---------------------------------------------------------------- planning horizon
def horizon_costs(client: Client, inputs: SourcingInputs,
                  calendar: Calendar | None = None) -> pd.DataFrame:
    """Every option's cost per month over the planning horizon, nominal and discounted.

    Each horizon month takes the demand of the same calendar month grown by the
    scenario's ``volume_growth_annual`` for each whole year in between, and the staffing
    plan is recomputed at each year's volume (so larger pools gain, and volume bands and
    minimums bite where they do). In-house people costs rise with
    ``wage_inflation_annual`` and seats and technology with ``cost_inflation_annual``
    once per whole year since the demand (the in-house costs are the demand year's);
    every vendor bill rises with ``price_escalation_annual`` from the second contract
    year (the prices are the first year's).

    Returns
    -------
    DataFrame
        Columns ``option``, ``month``, ``year`` (1 = the first twelve months),
        ``component``, ``amount`` (currency per month, nominal), ``pv`` (the amount
        discounted to the start of the horizon at the scenario's annual
        ``discount_rate``, paid at the end of its month: amount / (1 + r) ** (t / 12),
        t = 1 for the first month) and ``currency``.
    """
    sc = client.scenario
    cal = calendar or Calendar.of(client.demand["interval_start"])
    horizon, taken, years = horizon_months(client, cal)
    groups = costs.inhouse_groups(client.inhouse)
    rate = {"people": sc.wage_inflation_annual, "facilities": sc.cost_inflation_annual,
            "technology": sc.cost_inflation_annual}

    t = np.arange(1, len(horizon) + 1)
    contract_year = (t - 1) // 12  # 0 in the first twelve months

    def factors(option: str, component: str, k: int, at: np.ndarray) -> np.ndarray:
        """In-house items rise per year since the demand; vendor prices from the second
        contract year (the quotes are the first year's prices)."""
        item = component.removeprefix("In-house: ")
        if option == OPTIONS[0] or (option == OPTIONS[4] and item != component):
            return np.full(at.sum(), (1 + rate[groups[item]]) ** k)
        return (1 + sc.price_escalation_annual) ** contract_year[at]

    parts: dict[str, list[pd.DataFrame]] = {o: [] for o in OPTIONS}
    for k in np.unique(years):
        scaled = dataclasses.replace(
            inputs, volume_scale=inputs.volume_scale * (1 + sc.volume_growth_annual) ** k)
        at = years == k
        for option, table in option_tables(client, scaled, cal).items():
            rows = table.loc[taken[at]]
            rows.index = horizon[at]
            grown = np.column_stack([factors(option, c, int(k), at) for c in rows.columns])
            parts[option].append(rows * grown)
    discount = pd.Series((1 + sc.discount_rate) ** (-t / 12), index=horizon)
    year = pd.Series((t - 1) // 12 + 1, index=horizon)
    long = option_costs_from({o: pd.concat(p).sort_index() for o, p in parts.items()},
                             client.currency)
    month = pd.PeriodIndex(long["month"])
    return long.assign(year=year.loc[month].to_numpy(),
                       pv=long["amount"] * discount.loc[month].to_numpy())[
        ["option", "month", "year", "component", "amount", "pv", "currency"]]


def horizon_summary(horizon: pd.DataFrame, discount_rate: float) -> pd.DataFrame:
    """Per option over the horizon: nominal total, net present value of the costs
    (``numpy_financial.npv`` of the monthly totals at the monthly equivalent of the
    annual ``discount_rate``), average month, and the PV above the cheapest (absolute and
    share), cheapest in present value first."""
    monthly = horizon.groupby(["option", "month"], sort=False)["amount"].sum().unstack(0)
    monthly_rate = (1 + discount_rate) ** (1 / 12) - 1
    out = pd.DataFrame({
        "nominal": monthly.sum(),
        "pv": [float(npf.npv(monthly_rate, np.r_[0.0, monthly[o].to_numpy()]))
               for o in monthly.columns],
        "per_month": monthly.mean()})
    out["vs_cheapest_pv"] = out["pv"] - out["pv"].min()
    out["vs_cheapest_share"] = out["vs_cheapest_pv"] / out["pv"].min()
    return out.sort_values("pv").rename_axis("option")
