"""Step 6: was the move worth it, and will it be? ROI, payback, NPV and IRR of outsourcing.

Seed 004's input-output evaluation, before signing (the business case) and every six
months after (actuals against the plan). Inputs are the outsourcing's costs -- the
signed quote's fees and management fee (step 3's pricing on the client's demand), the
one-off transition, severance and set-up, the retained (hidden) costs of managing the
vendor and the exit -- against the in-house costs that really go away (per cost group,
after its notice, lease or licence run-off; fixed overhead stays) and the benefits of
better service: churn avoided x customer value, fewer repeat contacts from a higher
first-contact resolution, CSAT and up-sell revenue.

The case is built once from the package's exact models (:func:`business_case`): the
staffing engine, :func:`bpo_analysis.core.quotes.term_costs` and
:func:`bpo_analysis.core.inhouse.centre_over_horizon`. Each cash-flow line is then a
closed form of the uncertain drivers (volume, AHT, wage inflation, price escalation, churn effect,
transition overrun, customer value, FCR), so that a slider, a tornado or 100,000 Monte
Carlo draws are array operations instead of 100,000 runs of the staffing engine.
Workload-driven lines follow a power law in volume (x AHT) whose exponents are fitted
to the exact model at the driver's low and high values, so the closed form equals the
exact model at low, base and high volume (Erlang pooling makes costs grow slower than
volume; a straight line would overstate both sides).

Months: ``t = 0`` is the month before go-live (one-offs), ``t = 1 .. H`` the horizon;
an amount in month t is discounted by (1 + r) ** (t / 12) at the annual rate r.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy_financial as npf
import pandas as pd
from scipy import special

from bpo_analysis.data.models import ROI_DRIVERS, Benefits
from bpo_analysis.errors import InputError

__all__ = ["COSTS", "GAINS", "BusinessCase", "Measures", "Simulation", "cash_flows",
           "check_rate", "draw_drivers", "irr", "line_flows", "measures", "net_flows",
           "npv", "payback", "simulate", "tornado", "triangular_ppf"]

#: Cash-flow lines, costs first (paid), then gains (saved or earned).
COSTS = ("Service fees", "Management fee", "Retained (hidden) costs", "Vendor set-up fee",
         "Transition (client)", "Severance", "Exit / transition back")
GAINS = ("In-house cost avoided", "Churn avoided", "Fewer repeat contacts", "Up-sell",
         "CSAT")
GROUPS = ("people", "facilities", "technology")


@dataclass(frozen=True)
class BusinessCase:
    """The business case: every cash-flow line at the base drivers, and how it moves.

    How each line moves with the drivers. Arrays have one value per month t = 0 .. H (nominal,
    currency); build it with :func:`business_case` or, for a hand-made case, directly.

    ``fee_driver`` says what the vendor's service fees follow: ``"contacts"`` (per
    call) or ``"workload"`` (contacts x AHT: per minute, per productive hour, per seat,
    hybrid); ``*_elasticity`` are the (below base, above base) exponents of the power
    law (``transition_elasticity``: of the client's transition in v a, whose CTI set-up
    and training follow the seats); ``escalation_power`` and ``wage_power`` the whole
    years of price escalation and wage rises in month t; ``avoid`` the share of each
    in-house group avoided in month t (0 during its run-off); ``ramp`` the share of the
    full benefits reached.
    """

    months: pd.PeriodIndex
    currency: str
    discount_rate: float
    contract_term: int
    base: dict[str, float]
    fees: np.ndarray
    management: np.ndarray
    inhouse: dict[str, np.ndarray]
    avoid: dict[str, np.ndarray]
    contacts: np.ndarray
    benefits: Benefits = field(default_factory=Benefits)
    fee_driver: Literal["contacts", "workload"] = "contacts"
    fee_elasticity: tuple[float, float] = (1.0, 1.0)
    transition_elasticity: tuple[float, float] = (0.0, 0.0)
    inhouse_elasticity: dict[str, tuple[float, float]] = field(default_factory=dict)
    escalation_power: np.ndarray | None = None
    wage_power: np.ndarray | None = None
    retained_share: float = 0.0
    setup_fee: float = 0.0
    transition: float = 0.0
    severance: float = 0.0
    exit_months: float = 0.0
    ramp: np.ndarray | None = None
    unit_cost: float = 0.0
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    correlations: np.ndarray | None = None
    label: str = ""
    baseline: str = "as_is"  # the in-house cost compared: as_is or same_service

    def __post_init__(self) -> None:
        """Refuse a bad rate, horizon or line with an InputError naming it."""
        check_rate(self.discount_rate)
        h = len(self.months) - 1
        if h < 1:
            raise InputError("horizon_months", h, "whole months >= 1 (t = 1 .. H)")
        zeros = np.zeros(h + 1)
        for name in ("escalation_power", "wage_power"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, zeros.astype(int))
        if self.ramp is None:
            object.__setattr__(self, "ramp", np.r_[0.0, np.ones(h)])
        missing = [d for d in ROI_DRIVERS if d not in self.base]
        if missing:
            raise InputError("base", sorted(self.base), f"a value for every driver {missing}")
        for d, (low, high) in self.ranges.items():
            if d not in ROI_DRIVERS:
                raise InputError("ranges", d, f"one of the drivers {list(ROI_DRIVERS)}")
            if not low <= high:
                raise InputError(f"ranges[{d!r}]", (low, high),
                                 "low <= high (a draw needs min <= max)")
            if not low <= self.base[d] <= high:
                raise InputError(f"ranges[{d!r}]", (low, high),
                                 f"a range around the base value {self.base[d]:g}")

    @property
    def horizon(self) -> int:
        """Months after go-live (H)."""
        return len(self.months) - 1

    @property
    def uncertain(self) -> tuple[str, ...]:
        """The drivers with a range, in :data:`ROI_DRIVERS` order."""
        return tuple(d for d in ROI_DRIVERS if d in self.ranges)

    def with_rate(self, discount_rate: float) -> BusinessCase:
        """Return the same case at another annual discount rate."""
        return replace(self, discount_rate=check_rate(discount_rate))


def check_rate(rate: float, name: str = "discount_rate") -> float:
    """Check an annual discount rate: refused at or below -100 % (no discount factor exists).

    >>> check_rate(0.08)
    0.08
    """
    if not (np.isfinite(rate) and rate > -1):
        raise InputError(name, rate, "an annual rate above -1 (-100 %), e.g. 0.08")
    return float(rate)


# ---------------------------------------------------------------- the closed form
def _drivers(case: BusinessCase, values: dict[str, float | np.ndarray] | None
             ) -> dict[str, np.ndarray]:
    """Return every driver as a column (n, 1): the base, overridden by ``values``."""
    values = values or {}
    unknown = set(values) - set(ROI_DRIVERS)
    if unknown:
        raise InputError("drivers", sorted(unknown), f"drivers among {list(ROI_DRIVERS)}")
    d = {k: np.asarray(values.get(k, case.base[k]), float).reshape(-1, 1)
         for k in ROI_DRIVERS}
    for k, v in d.items():
        if not np.isfinite(v).all():
            raise InputError(k, float(v[~np.isfinite(v)][0]), "a finite number")
    for k in ("volume", "aht"):
        if not (d[k] > 0).all():
            raise InputError(k, float(d[k].min()), "a multiple of the forecast > 0")
    for k in ("wage_inflation", "price_escalation"):
        if not (d[k] > -1).all():
            raise InputError(k, float(d[k].min()), "an annual rate above -1")
    return d


def _by_power(base: np.ndarray, powers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raise ``base`` (n, 1) to each distinct integer power (n, p).

    Also return the (p, H + 1) 0/1 rows that spread them over the months with that
    power.
    """
    distinct, at = np.unique(powers, return_inverse=True)
    return base ** distinct, (at == np.arange(len(distinct))[:, None]).astype(float)


def _power(x: np.ndarray, elasticity: tuple[float, float]) -> np.ndarray:
    """Return x ** e, with e the below-base exponent for x < 1 and the above-base one else."""
    return np.where(x < 1, x ** elasticity[0], x ** elasticity[1])


Term = list[tuple[np.ndarray, np.ndarray]]  # sum of coefficients (n, m) @ rows (m, H + 1)


def _inhouse(case: BusinessCase, d: dict[str, np.ndarray], avoided_only: bool) -> Term:
    """Return the in-house cost at drivers ``d``.

    What goes away (``avoided_only``) or the whole baseline the client would otherwise
    pay.
    """
    work = d["volume"] * d["aht"]
    wage, spread = _by_power((1 + d["wage_inflation"]) / (1 + case.base["wage_inflation"]),
                             case.wage_power)
    out = []
    for g, cost in case.inhouse.items():
        row = cost * (case.avoid[g] if avoided_only else 1.0)
        scale = _power(work, case.inhouse_elasticity.get(g, (1.0, 1.0)))
        out.append((scale * wage, spread * row) if g == "people" else (scale, row[None, :]))
    return out


def _terms(case: BusinessCase, d: dict[str, np.ndarray]) -> dict[str, Term]:
    """Return every cash-flow line as a sum of coefficients @ rows.

    The coefficients are the drivers' part, one row per draw, the rows the months': one
    matrix product gives every draw's flows.
    """
    b, h = case.benefits, case.horizon
    x = d["volume"] * (d["aht"] if case.fee_driver == "workload" else 1.0)
    esc, spread = _by_power((1 + d["price_escalation"]) / (1 + case.base["price_escalation"]),
                            case.escalation_power)
    fee_c, fee_r = _power(x, case.fee_elasticity) * esc, spread * case.fees
    mgmt_r = spread * case.management
    bill = (fee_c @ fee_r[:, 1:].sum(axis=1) + esc @ mgmt_r[:, 1:].sum(axis=1)) / h
    first, last = np.eye(1, h + 1, 0), np.eye(1, h + 1, h)
    served = (case.ramp * case.contacts)[None, :]
    upsell = (b.upsell.offer_share * b.upsell.conversion * b.upsell.margin_per_sale
              if b.upsell else 0.0)
    one = np.ones((1, 1))
    return {
        "Service fees": [(fee_c, fee_r)], "Management fee": [(esc, mgmt_r)],
        "Retained (hidden) costs": [(case.retained_share * fee_c, fee_r),
                                    (case.retained_share * esc, mgmt_r)],
        "Vendor set-up fee": [(case.setup_fee * one, first)],
        "Transition (client)": [(case.transition * (1 + d["transition_overrun"])
                                 * _power(d["volume"] * d["aht"], case.transition_elasticity),
                                 first)],
        "Severance": [(case.severance * one, first)],
        "Exit / transition back": [(case.exit_months * bill[:, None], last)],
        "In-house cost avoided": _inhouse(case, d, avoided_only=True),
        "Churn avoided": [(b.customers * b.churn_rate_annual / 12 * d["churn_reduction"]
                           * d["customer_value"], case.ramp[None, :])],
        "Fewer repeat contacts": [(d["volume"] * (d["fcr_after"] - b.fcr_before)
                                   * case.unit_cost, served)],
        "Up-sell": [(d["volume"] * upsell, served)],
        "CSAT": [((b.csat_after - b.csat_before) * 100 * b.value_per_csat_point_monthly
                  * one, case.ramp[None, :])],
    }


def _size(d: dict[str, np.ndarray]) -> int:
    return max(len(v) for v in d.values())


def _system(case: BusinessCase, d: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return the signed coefficients (n, m) and rows (m, H + 1) of every line: net = C @ R."""
    pairs = [(-c if k in COSTS else c, r)
             for k, term in _terms(case, d).items() for c, r in term]
    rows = np.vstack([r for _, r in pairs])
    coefs = np.empty((_size(d), len(rows)), order="F")
    j = 0
    for c, r in pairs:  # column blocks: contiguous in Fortran order
        coefs[:, j:j + len(r)] = c
        j += len(r)
    return coefs, rows


def line_flows(case: BusinessCase, drivers: dict[str, float | np.ndarray] | None = None
               ) -> dict[str, np.ndarray]:
    """Compute every cash-flow line at ``drivers`` (the base for those not given).

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    drivers : dict of str to float or array, optional
        Driver -> value(s) (volume and AHT as multipliers, rates and shares 0-1,
        customer value in currency); the base for those not given.

    Returns
    -------
    dict of str to ndarray
        Line -> positive amounts, currency per month; shape (n, H + 1), n the number of
        driver values.

    Notes
    -----
    With v volume, a AHT, e price escalation, w wage inflation (base values e0, w0),
    c churn reduction, o transition overrun, V customer value, f FCR after:

    * service fees  = F_t x x^eps x ((1 + e) / (1 + e0)) ** n_t, x = v (per call) or v a;
    * management    = M_t x ((1 + e) / (1 + e0)) ** n_t; retained = share x (fees + mgmt);
    * one-offs at t = 0: set-up fee, transition x (1 + o) x (v a) ** eps_T (CTI set-up
      and training scale with the seats), severance; exit at t = H:
      months x the average monthly bill;
    * avoided       = sum over groups of avoid_g,t x I_g,t x (v a) ** eps_g, people
      also x ((1 + w) / (1 + w0)) ** k_t;
    * churn avoided = ramp_t x customers x churn rate / 12 x c x V;
    * fewer repeats = ramp_t x contacts_t x v x (f - FCR before) x cost per contact;
    * up-sell       = ramp_t x contacts_t x v x offer share x conversion x margin;
    * CSAT          = ramp_t x (CSAT after - before) x 100 x value per point.
    """
    d = _drivers(case, drivers)
    shape = (_size(d), case.horizon + 1)
    return {k: np.broadcast_to(sum(c @ r for c, r in term), shape)
            for k, term in _terms(case, d).items()}


def net_flows(case: BusinessCase, drivers: dict[str, float | np.ndarray] | None = None
              ) -> np.ndarray:
    """Compute the net cash flow per month (gains - costs).

    One matrix product of every line's signed coefficients with their rows.

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    drivers : dict of str to float or array, optional
        Driver -> value(s) (volume and AHT as multipliers, rates and shares 0-1,
        customer value in currency); the base for those not given.

    Returns
    -------
    ndarray
        Currency per month, shape (n, H + 1).
    """
    coefs, rows = _system(case, _drivers(case, drivers))
    return coefs @ rows


def cash_flows(case: BusinessCase, drivers: dict[str, float] | None = None) -> pd.DataFrame:
    """Tabulate one scenario's cash flows.

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    drivers : dict of str to float, optional
        Driver -> value; the base for those not given.

    Returns
    -------
    DataFrame
        ``t``, ``month``, ``line``, ``kind`` (``cost`` or ``gain``), ``amount`` (signed:
        costs negative, currency), ``pv`` (discounted to go-live) and ``currency``.
    """
    lines = line_flows(case, drivers)
    if len(next(iter(lines.values()))) != 1:
        raise InputError("drivers", "arrays", "one value per driver (one scenario)")
    disc = (1 + case.discount_rate) ** (-np.arange(case.horizon + 1) / 12)
    frames = [pd.DataFrame({"t": np.arange(case.horizon + 1), "month": case.months,
                            "line": k, "kind": "cost" if k in COSTS else "gain",
                            "amount": (-1 if k in COSTS else 1) * v[0]})
              for k, v in lines.items()]
    out = pd.concat(frames, ignore_index=True)
    out["pv"] = out["amount"] * disc[out["t"]]
    return out.assign(currency=case.currency)


# ---------------------------------------------------------------- measures
def npv(net: np.ndarray, rate: float) -> np.ndarray:
    """Compute the net present value at go-live of monthly net flows (t = 0 first).

    At the annual ``rate``: sum of N_t / (1 + r) ** (t / 12); one value per row. The
    same as ``numpy_financial.npv`` at the monthly rate (1 + r) ** (1/12) - 1, for many
    rows at once.

    Parameters
    ----------
    net : ndarray
        Net flows, currency per month, one row per scenario (or one 1-D series).
    rate : float
        Annual discount rate, share.

    Returns
    -------
    ndarray
        Currency, one value per row.

    Examples
    --------
    >>> round(float(npv(np.array([-40_000, 5_000, 8_000, 12_000, 30_000]), 1.08 ** 12 - 1)[0]), 2)
    3065.22
    """
    net = np.atleast_2d(net)
    return net @ (1 + check_rate(rate)) ** (-np.arange(net.shape[1]) / 12)


def payback(net: np.ndarray, rate: float | None = None) -> np.ndarray:
    """Compute the months until the cumulative net flow is back at zero for good.

    Discounted at the annual ``rate`` if given; after its last month below zero,
    interpolated within the month; 0 if it is never below zero and NaN if it is still
    below zero at the horizon's end. One value per row.

    Parameters
    ----------
    net : ndarray
        Net flows, currency per month, one row per scenario (or one 1-D series).
    rate : float, optional
        Annual discount rate, share; undiscounted when None.

    Returns
    -------
    ndarray
        Months, one value per row.

    Examples
    --------
    >>> payback(np.array([-100.0, 30, 40, 50]))    # 2 + 30 / 50
    array([2.6])
    """
    net = np.atleast_2d(np.asarray(net, float))
    if rate is not None:
        net = net * (1 + check_rate(rate)) ** (-np.arange(net.shape[1]) / 12)
    return _payback(np.cumsum(net, axis=1))


def _payback(cum: np.ndarray) -> np.ndarray:
    """Compute :func:`payback` from the cumulative flows (n, H + 1)."""
    below = cum < 0
    last = cum.shape[1] - 1 - np.argmax(below[:, ::-1], axis=1)
    out = np.where(below.any(axis=1), np.nan, 0.0)
    rows = np.flatnonzero(below.any(axis=1) & (last < cum.shape[1] - 1))
    k = last[rows]
    out[rows] = k - cum[rows, k] / (cum[rows, k + 1] - cum[rows, k])
    return out


def irr(net: np.ndarray) -> tuple[float | None, str]:
    """Compute the annual internal rate of return of monthly net flows, with a note.

    ``numpy_financial.irr`` of the monthly flows, annualised as (1 + m) ** 12 - 1.
    Undefined (None) when the flows never change sign -- there is no rate at which
    they break even -- or when no root is found; the note says which, in words.
    Several sign changes may give several rates: the note says so.

    Parameters
    ----------
    net : ndarray
        One series of net flows, currency per month (t = 0 first).

    Returns
    -------
    rate : float or None
        Annual rate, share.
    note : str
        Why it is undefined, or that several rates exist ("" otherwise).

    Examples
    --------
    >>> round(irr(np.array([-100.0, 39, 59, 55, 20]))[0], 4)   # 28.09 % a month
    18.5155
    >>> irr(np.array([0.0, 10, 10]))
    (None, 'undefined: the net cash flows are never negative (nothing to pay back)')
    """
    net = np.asarray(net, float).ravel()
    signs = np.sign(net[net != 0])
    if not (signs < 0).any():
        return None, "undefined: the net cash flows are never negative (nothing to pay back)"
    if not (signs > 0).any():
        return None, "undefined: the net cash flows are never positive (no return)"
    monthly = npf.irr(net)
    if not np.isfinite(monthly):
        return None, "undefined: no rate makes the net present value zero"
    changes = int((np.diff(signs) != 0).sum())
    note = (f"{changes} sign changes: more than one rate may solve it" if changes > 1
            else "monthly IRR annualised")
    return float((1 + monthly) ** 12 - 1), note


@dataclass(frozen=True)
class Measures:
    """The business case's figures for one scenario (amounts in the case's currency)."""

    npv: float                  # at go-live
    irr: float | None           # annual; None when undefined (see irr_note)
    irr_note: str
    mirr: float | None          # annual, financing and reinvesting at the discount rate
    roi: float | None           # (gains - costs) / costs, nominal; None without costs
    saving_rate: float | None   # cost saving / in-house baseline, nominal
    payback: float | None       # months; None: not within the horizon
    discounted_payback: float | None
    costs: float                # nominal, everything paid for the outsourcing
    gains: float                # nominal, in-house cost avoided + benefits
    avoided: float              # nominal, in-house cost avoided
    baseline: float             # nominal, the whole in-house cost over the horizon
    horizon: int                # months
    discount_rate: float

    def as_series(self) -> pd.Series:
        """Return the figures as a Series (the report's JSON)."""
        return pd.Series(self.__dict__)


def _none(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def measures(case: BusinessCase, drivers: dict[str, float] | None = None,
             lines: dict[str, np.ndarray] | None = None) -> Measures:
    """Compute the business case's measures for one scenario.

    NPV, IRR, MIRR, ROI, cost-saving rate, simple and discounted payback of one
    scenario (``drivers``), or of given cash-flow ``lines`` (the names of
    :data:`COSTS` and :data:`GAINS`, one array of H + 1 months each: actuals + plan).

    ROI = (gains - costs) / costs and the cost-saving rate = (in-house cost avoided -
    costs) / the whole in-house cost, both nominal over the horizon (seed 004: pay
    100k a month to avoid 200k -> ROI 100 %, saving rate 50 %).

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    drivers : dict of str to float, optional
        Driver -> value; the base for those not given.
    lines : dict of str to ndarray, optional
        Line -> currency per month, instead of the case's lines at ``drivers``.

    Returns
    -------
    Measures
    """
    d = _drivers(case, drivers)
    if lines is None:
        lines = {k: v[0] for k, v in line_flows(case, drivers).items()}
    cost = float(sum(lines[k].sum() for k in COSTS))
    gain = float(sum(lines[k].sum() for k in GAINS))
    net = sum(lines[k] for k in GAINS) - sum(lines[k] for k in COSTS)
    rate = case.discount_rate
    monthly = (1 + rate) ** (1 / 12) - 1
    value, note = irr(net)
    m = npf.mirr(net, monthly, monthly)
    avoided = float(lines["In-house cost avoided"].sum())
    baseline = float(sum((c @ r).sum() for c, r in _inhouse(case, d, avoided_only=False)))
    return Measures(
        npv=float(npv(net, rate)[0]), irr=value, irr_note=note,
        mirr=float((1 + m) ** 12 - 1) if np.isfinite(m) else None,
        roi=(gain - cost) / cost if cost else None,
        saving_rate=(avoided - cost) / baseline if baseline else None,
        payback=_none(payback(net)[0]), discounted_payback=_none(payback(net, rate)[0]),
        costs=cost, gains=gain, avoided=avoided, baseline=baseline, horizon=case.horizon,
        discount_rate=rate)


# ---------------------------------------------------------------- sensitivity
def tornado(case: BusinessCase, at: dict[str, float] | None = None) -> pd.DataFrame:
    """Compute the NPV with each uncertain driver at its low and at its high value.

    The others at the base (or at ``at``, the dashboard's values); largest swing first.

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    at : dict of str to float, optional
        Driver -> value where the others sit.

    Returns
    -------
    DataFrame
        Columns ``driver``, ``low``, ``high``, ``value`` (where the others sit),
    ``npv_low``, ``npv_high`` and ``swing`` (|npv_high - npv_low|, currency); the
    NPV at ``at`` is in ``.attrs["npv"]``.
    """
    at = dict(at or {})
    names = case.uncertain
    point = {k: at.get(k, case.base[k]) for k in ROI_DRIVERS}
    if not names:
        out = pd.DataFrame(columns=["driver", "low", "high", "value", "npv_low",
                                    "npv_high", "swing"])
        out.attrs["npv"] = float(npv(net_flows(case, point), case.discount_rate)[0])
        return out
    batch = {k: np.full(2 * len(names) + 1, float(v)) for k, v in point.items()}
    for i, name in enumerate(names):
        batch[name][2 * i], batch[name][2 * i + 1] = case.ranges[name]
    values = npv(net_flows(case, batch), case.discount_rate)
    out = pd.DataFrame({"driver": names,
                        "low": [case.ranges[n][0] for n in names],
                        "high": [case.ranges[n][1] for n in names],
                        "value": [point[n] for n in names],
                        "npv_low": values[0:-1:2], "npv_high": values[1:-1:2]})
    out["swing"] = (out["npv_high"] - out["npv_low"]).abs()
    out = out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["npv"] = float(values[-1])
    return out


def draw_drivers(case: BusinessCase, draws: int = 100_000, seed: int = 0,
                 at: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """Draw random values of the uncertain drivers.

    Each triangular(low, mode, high) with the base (or ``at``'s value) as its mode, tied
    together by the case's correlations through a Gaussian copula (correlated standard
    normals -> uniforms -> each driver's inverse CDF, :func:`triangular_ppf`).

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    draws : int
        How many values of each driver.
    seed : int
        Seed of the random draws.
    at : dict of str to float, optional
        Driver -> the mode instead of the base.

    Returns
    -------
    dict of str to ndarray
        Uncertain driver -> ``draws`` values.

    Raises
    ------
    InputError
        ``draws`` not a whole number >= 1; a mode outside its driver's low..high.
    """
    if not (isinstance(draws, int | np.integer) and draws >= 1):
        raise InputError("draws", draws, "a whole number of draws >= 1")
    names, at = case.uncertain, at or {}
    z = np.random.default_rng(seed).standard_normal((len(names), draws))
    if case.correlations is not None and len(names) > 1:
        z = np.linalg.cholesky(case.correlations) @ z
    u = special.ndtr(z)  # one contiguous row per driver
    out = {}
    for i, name in enumerate(names):
        low, high = case.ranges[name]
        mode = float(at.get(name, case.base[name]))
        if not low <= mode <= high:
            raise InputError(name, mode, f"a value within its range {low:g} .. {high:g}")
        out[name] = (np.full(draws, low) if high == low else
                     triangular_ppf(u[i], low, mode, high))
    return out


def triangular_ppf(q: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Compute the inverse CDF of the triangular distribution on ``low`` .. ``high``.

    Peaking at ``mode`` (``low < high``), at probabilities ``q`` in [0, 1].

    Parameters
    ----------
    q : ndarray
        Probabilities in [0, 1].
    low, mode, high : float
        The distribution's bounds and peak.

    Returns
    -------
    ndarray
        Values in ``low`` .. ``high``, the shape of ``q``.

    Notes
    -----
    With c = (mode - low) / (high - low) and s = high - low:
    x = low + s * sqrt(c q) for q < c, else low + s * (1 - sqrt((1 - c)(1 - q))).
    The same operations, in the same order, as ``scipy.stats.triang.ppf(q, c, loc=low,
    scale=s)`` (its ``_ppf`` times the scale plus the location), so the draws are equal
    to the last bit; written out because importing ``scipy.stats`` costs a report
    kernel about 0.7 s of CPU (1.7 s without compiled bytecode), for this one formula.

    References
    ----------
    .. [1] Kotz, S. & van Dorp, J. R. (2004). *Beyond Beta*, ch. 1. World Scientific.

    Examples
    --------
    A driver between 2 % and 8 % churn reduction, most likely 4 %: its median draw.

    >>> round(float(triangular_ppf(np.array([0.5]), 0.02, 0.04, 0.08)[0]), 4)
    0.0454
    """
    c, scale = (mode - low) / (high - low), high - low
    return np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q))) * scale + low


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo outcomes: NPV and payback per draw, and the drivers drawn.

    NPV (currency, at go-live) and payback (months, NaN when not within the horizon)
    per draw, and the drivers drawn; ``term`` is the contract
    term, or the horizon when that is shorter (a later payback cannot be seen).
    """

    npv: np.ndarray
    payback: np.ndarray
    drivers: dict[str, np.ndarray]
    term: int
    horizon: int

    @property
    def p_positive(self) -> float:
        """P(NPV > 0)."""
        return float((self.npv > 0).mean())

    @property
    def p_payback_within_term(self) -> float:
        """P(payback <= the contract term); a draw that never pays back counts as no."""
        return float((np.nan_to_num(self.payback, nan=np.inf) <= self.term).mean())

    def quantiles(self, q: tuple[float, ...] = (0.05, 0.5, 0.95)) -> pd.Series:
        """Return the NPV quantiles (currency), indexed by q."""
        return pd.Series(np.quantile(self.npv, q), index=q, name="npv")


def simulate(case: BusinessCase, draws: int = 100_000, seed: int = 0,
             at: dict[str, float] | None = None) -> Simulation:
    """Simulate the business case by Monte Carlo.

    :func:`draw_drivers`, then every draw's net flows, NPV and payback at once (arrays
    of draws x months).

    Parameters
    ----------
    case : BusinessCase
        :func:`~bpo_analysis.steps.roi.case.business_case`.
    draws : int
        Simulated scenarios.
    seed : int
        Seed of the random draws.
    at : dict of str to float, optional
        Driver -> value: the mode of an uncertain driver, the value of the others.

    Returns
    -------
    Simulation
    """
    drawn = draw_drivers(case, draws, seed, at)
    point = {k: v for k, v in (at or {}).items() if k not in drawn}
    coefs, rows = _system(case, _drivers(case, {**point, **drawn}))
    disc = (1 + case.discount_rate) ** (-np.arange(case.horizon + 1) / 12)
    return Simulation(coefs @ (rows @ disc), _payback(coefs @ np.cumsum(rows, axis=1)),
                      drawn, min(case.contract_term, case.horizon), case.horizon)
