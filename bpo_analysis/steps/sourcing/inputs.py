"""The assumptions of step 1's comparison: prices, cover, scales and the workforce.

:class:`SourcingInputs`, the indicative prices from the client's quotes
(:func:`indicative_inputs`) and the notebook's parameters read into them
(:func:`inputs_from_parameters`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from bpo_analysis.core.workforce import Workforce, client_workforce
from bpo_analysis.data.client import Client
from bpo_analysis.errors import DataError, DataWarning, InputError

__all__ = ["SourcingInputs", "indicative_inputs", "inputs_from_parameters"]


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
        """Refuse a bad value with an InputError naming the field."""
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
    """Build inputs with indicative prices: the medians of the quotes per pricing model.

    Per contact: the ``per_call`` quotes (with their monthly minimum, management fee
    and, where quotes give one, the volume band); per seat: the ``per_seat`` quotes.
    A market that quotes neither (per minute, per productive hour) gives its price in
    those terms instead, said in a note: per contact, the ``per_minute`` median times
    the demand's average handle time; per seat, the ``per_productive_hour`` median times
    the productive hours of a seat-month (paid hours less shrinkage). ``overrides``
    replace any field.

    Parameters
    ----------
    client : Client
        The client; its ``quotes.csv`` gives the prices (currency per contact, per
        seat-month; minimum and management fee per month).
    **overrides
        Fields of :class:`SourcingInputs` to set instead.

    Returns
    -------
    SourcingInputs

    Raises
    ------
    DataError
        No quote of a pricing model whose price is not given in ``overrides``.
    """
    q = client.quotes
    per_call, per_seat = q[q["pricing_model"] == "per_call"], q[q["pricing_model"] == "per_seat"]
    derived = _derived_prices(client, q, overrides)
    for name, part in (("per_call", per_call), ("per_seat", per_seat)):
        key = f"price_per_{'contact' if name == 'per_call' else 'seat'}"
        if part.empty and key not in overrides and key not in derived:
            raise DataError(f"no {name} quote to take an indicative price from",
                            file=client.path / "quotes.csv", column="pricing_model",
                            allowed=f"a {name} quote (or per_minute for a price per contact, "
                                    "per_productive_hour for one per seat), or give the price "
                                    "explicitly")
    banded = per_call[per_call["committed_contacts_monthly"].notna()]
    bands = {} if banded.empty else {
        "committed_contacts_monthly": float(banded["committed_contacts_monthly"].median()),
        "band_share": float(banded["band_share"].median()),
        "above_band_price_factor": float(banded["above_band_price_factor"].median()),
        "below_band_price_factor": float(banded["below_band_price_factor"].median())}
    base = {**bands, **derived,
            **({"price_per_contact": float(per_call["unit_price"].median())}
               if len(per_call) else {}),
            **({"price_per_seat": float(per_seat["unit_price"].median())}
               if len(per_seat) else {}),
            "monthly_minimum": float(per_call["monthly_minimum"].median())
            if len(per_call) else 0.0,
            "management_fee": float(q["management_fee_monthly"].median()),
            "workforce": client_workforce(client)}  # the client's paid hours per agent
    return SourcingInputs(**{**base, **overrides})


def _derived_prices(client: Client, q, overrides: dict) -> dict[str, float]:
    """Return indicative prices from per-minute and per-hour quotes, each said in a note.

    Only where no per-call (per-seat) quote gives the price and none is given.
    """
    out: dict[str, float] = {}
    cur = client.currency
    per_minute = q[q["pricing_model"] == "per_minute"]
    if "price_per_contact" not in overrides and not (q["pricing_model"] == "per_call").any() \
            and len(per_minute):
        d = client.demand
        aht_min = float((d["contacts"] * d["aht_s"].fillna(0)).sum() / d["contacts"].sum() / 60)
        rate = float(per_minute["unit_price"].median())
        out["price_per_contact"] = rate * aht_min
        warnings.warn(DataWarning(
            f"No per-call quote: the price per contact is the per-minute quotes' median, "
            f"{rate:,.2f} {cur} a minute, times the average handle time of {aht_min:.1f} "
            f"minutes: {out['price_per_contact']:,.1f} {cur}"), stacklevel=3)
    per_hour = q[q["pricing_model"] == "per_productive_hour"]
    if "price_per_seat" not in overrides and not (q["pricing_model"] == "per_seat").any() \
            and len(per_hour):
        w = overrides.get("workforce") or client_workforce(client)
        hours = w.paid_hours_per_fte_month * (1 - w.shrinkage)
        rate = float(per_hour["unit_price"].median())
        out["price_per_seat"] = rate * hours
        warnings.warn(DataWarning(
            f"No per-seat quote: the price per seat-month is the per-productive-hour quotes' "
            f"median, {rate:,.2f} {cur} an hour, times the {hours:.0f} productive hours of a "
            f"seat-month: {out['price_per_seat']:,.0f} {cur}"), stacklevel=3)
    return out


def inputs_from_parameters(client: Client, *, price_per_contact: float = 0.0,
                           price_per_seat: float = 0.0, shrinkage: float = 0.30,
                           shift_hours: float = 8.0, shift_starts: str = "",
                           inhouse_channels: str = "email", **fields: object
                           ) -> SourcingInputs:
    """Build the inputs from notebook parameters.

    A price of 0 means "the median of the quotes"; ``inhouse_channels`` is a
    comma-separated list ("email", "voice,chat", or ""), and so is ``shift_starts``
    ("08:00,16:00"; "" lets a shift start at any interval).

    Parameters
    ----------
    client : Client
        The client whose quotes give the indicative prices.
    price_per_contact, price_per_seat : float
        Currency per contact handled and per seat-month; 0 takes the median quote.
    shrinkage : float
        Share (0-1) of paid agent time not available for contacts.
    shift_hours : float
        Paid length of one in-house shift, hours.
    shift_starts, inhouse_channels : str
        Comma-separated lists, as above.
    **fields
        Other fields of :class:`SourcingInputs`.

    Returns
    -------
    SourcingInputs

    Warns
    -----
    DataWarning
        A channel kept in-house that the client does not serve.
    """
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
                      "the partial option keeps the others in-house", DataWarning, stacklevel=2)
    starts = tuple(t.strip() for t in shift_starts.split(",") if t.strip())
    workforce = client_workforce(client, shrinkage=shrinkage, shift_hours=shift_hours,
                                 shift_starts=starts)
    return indicative_inputs(client, workforce=workforce, **prices,
                             inhouse_channels=channels, **fields)
