"""The YAML documents of a client folder: one pydantic model per document.

Scenario, in-house costs, criteria, SLA terms, maturity answers, and the optional TCO,
ROI and continuity assumptions. ``data/README.md`` documents every key.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pydantic import Field, field_validator, model_validator

from bpo_analysis.data.models.types import (
    WEEKDAYS,
    Channel,
    Clock,
    Count,
    Country,
    Currency,
    Integer,
    Money,
    Number,
    PositiveFloat,
    Share,
    SnakeId,
    Strict,
    YesNo,
    minutes,
)
from bpo_analysis.errors import ItemError

__all__ = [
    "ROI_DRIVERS",
    "AhpSection",
    "Assessment",
    "Attrition",
    "Avoidable",
    "Benefits",
    "ChannelThresholds",
    "ContinuityAssumptions",
    "Criteria",
    "Criterion",
    "DriverRange",
    "Facilities",
    "Headcount",
    "InhouseCosts",
    "KnockOut",
    "KpiTerm",
    "LabourFloor",
    "Loading",
    "MaturityAnswers",
    "OpeningHours",
    "OutageOption",
    "OutageTerms",
    "RoiAssumptions",
    "Scenario",
    "ServiceTarget",
    "SlaTerms",
    "SurgeTerms",
    "TargetMissRule",
    "TcoAssumptions",
    "Transition",
    "Upsell",
    "VerdictThresholds",
    "Wages",
]


# ---------------------------------------------------------------- scenario.yaml
class OpeningHours(Strict):
    """Opening hours of one weekday, local time; ``close`` may be 24:00 (midnight)."""

    open: Clock
    close: Clock

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.close <= self.open:
            raise ValueError(f"close {self.close} must be after open {self.open}")
        return self

    @property
    def minutes(self) -> tuple[int, int]:
        """(open, close) in minutes after midnight; close may be 1440 (24:00)."""
        return minutes(self.open), minutes(self.close)

    @property
    def hours(self) -> float:
        """Length of the opening in hours."""
        start, end = self.minutes
        return (end - start) / 60


class ServiceTarget(Strict):
    """Service target of one channel.

    ``service_level`` of contacts answered within ``answer_within_s`` seconds (email:
    responded within, e.g. 86 400 s = 24 h).
    """

    service_level: Share
    answer_within_s: PositiveFloat
    max_abandon_rate: Share | None = None
    max_occupancy: Share | None = None
    concurrency: Annotated[Integer, Field(ge=1, le=10)] = 1
    #: The channel's own hours (voice 24/7, chat 09:00-21:00 ...), within the centre's;
    #: default the scenario's ``opening_hours``.
    opening_hours: dict[Literal[WEEKDAYS], OpeningHours | None] | None = None  # type: ignore[valid-type]


class VerdictThresholds(Strict):
    """When a verdict word may be said (``scenario.yaml``'s ``verdicts``; every report).

    The odds at which a business case *pays* or *does not pay* (a *coin flip* between),
    and the forecast error within which two sourcing options *tie*.
    """

    pays_at: Annotated[Number, Field(gt=0, le=1)] = 0.80
    fails_below: Annotated[Number, Field(ge=0, lt=1)] = 0.20
    tie_within: Annotated[Number, Field(ge=0, lt=1)] = 0.10

    @model_validator(mode="after")
    def _ordered(self) -> VerdictThresholds:
        if self.fails_below >= self.pays_at:
            raise ValueError(f"fails_below ({self.fails_below}) must be below pays_at "
                             f"({self.pays_at}): between them a case is a coin flip")
        return self


class Scenario(Strict):
    """The client and the decision frame (``scenario.yaml``)."""

    company: str
    industry: str
    country: Country  # required: no country is assumed
    currency: Currency
    timezone: str  # required: record times are converted to it
    interval_minutes: Literal[15, 30, 60] = 30
    planning_horizon_months: Annotated[Integer, Field(ge=1, le=240)]
    discount_rate: Annotated[Number, Field(gt=-1, le=1)]
    horizon_start: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    volume_growth_annual: Annotated[Number, Field(gt=-1, le=1)] = 0.0
    wage_inflation_annual: Annotated[Number, Field(gt=-1, le=1)] = 0.0
    cost_inflation_annual: Annotated[Number, Field(gt=-1, le=1)] = 0.0
    price_escalation_annual: Annotated[Number, Field(gt=-1, le=1)] = 0.0
    opening_hours: dict[Literal[WEEKDAYS], OpeningHours | None]  # type: ignore[valid-type]
    service_targets: dict[Channel, ServiceTarget]
    verdicts: VerdictThresholds = VerdictThresholds()
    #: Paid hours of one full-time agent a month, by the country's working week (Taiwan
    #: 40 h: about 174; Hong Kong about 190); required: no country's figure is assumed.
    paid_hours_per_fte_month: Annotated[Number, Field(ge=100, le=260)]

    def hours(self, channel: str | None = None) -> dict:
        """Return the opening hours per weekday of ``channel`` (None: the centre's).

        A channel without hours of its own keeps the centre's.
        """
        own = self.service_targets[channel].opening_hours if (
            channel in self.service_targets) else None
        return own if own is not None else self.opening_hours

    def opening_minutes(self, channel: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (open, close) minutes after midnight for Monday..Sunday.

        Of ``channel`` (its own hours, else the centre's), or of the centre (None). A
        closed day is an empty window (0, 0).

        Returns
        -------
        opens, closes : ndarray of int
            Seven values each, Monday first; a close of 1440 is midnight (24:00).
        """
        hours = self.hours(channel)
        days = [hours.get(d) for d in WEEKDAYS]
        return (np.array([h.minutes[0] if h else 0 for h in days]),
                np.array([h.minutes[1] if h else 0 for h in days]))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as 'Asia/Taipei'") from None
        return v

    @model_validator(mode="after")
    def _all_days(self) -> Scenario:
        missing = [d for d in WEEKDAYS if d not in self.opening_hours]
        if missing:
            raise ItemError(f"opening_hours lacks {', '.join(missing)}", ("opening_hours",),
                            "every weekday, monday to sunday; write null for a closed day "
                            f"({missing[0]}: null)")
        for ch, target in self.service_targets.items():
            own = target.opening_hours
            if own is None:
                continue
            loc = ("service_targets", ch, "opening_hours")
            missing = [d for d in WEEKDAYS if d not in own]
            if missing:
                raise ItemError(f"{ch}'s opening_hours lacks {', '.join(missing)}", loc,
                                "every weekday, monday to sunday; write null for a day "
                                f"the channel is closed ({missing[0]}: null)")
            for d in WEEKDAYS:
                centre, h = self.opening_hours.get(d), own.get(d)
                if h is not None and (centre is None or h.minutes[0] < centre.minutes[0]
                                      or h.minutes[1] > centre.minutes[1]):
                    raise ItemError(
                        f"{ch} opens on {d} outside the centre's opening_hours", (*loc, d),
                        "hours within the centre's "
                        + ("{:02d}:{:02d}-{:02d}:{:02d}".format(
                            *divmod(centre.minutes[0], 60), *divmod(centre.minutes[1], 60))
                           if centre else "(closed)")
                        + "; widen the centre's opening_hours to the longest channel's")
        return self


# ---------------------------------------------------------------- inhouse_costs.yaml
class Headcount(Strict):
    """The in-house centre as it is today (full-time equivalents)."""

    agents_fte: dict[Channel, Annotated[Number, Field(ge=0)]]
    agents_per_supervisor: PositiveFloat
    managers: Count
    seats: Count


class Wages(Strict):
    """Monthly base pay per head, before employer loading."""

    agent_monthly: Money
    supervisor_monthly: Money
    manager_monthly: Money


class Loading(Strict):
    """Employer costs on top of base pay."""

    insurance_and_benefits: Share  # labour/health insurance, pension, as a share of base pay
    bonus_months_per_year: Annotated[Number, Field(ge=0, le=12)]
    night_shift_premium: Share  # extra pay on night hours, share of the hourly rate
    night_share_of_hours: Share  # share of agent hours that are night hours


class Attrition(Strict):
    """People turnover and what each replacement costs."""

    annual_rate: Share
    recruiting_per_hire: Money
    training_per_hire: Money


class Facilities(Strict):
    """Seats, rent, equipment and IT, per month."""

    rent_per_seat_monthly: Money
    equipment_per_seat_monthly: Money
    it_per_seat_monthly: Money
    platform_monthly: Money  # ACD/IVR/CTI/CRM platform, independent of seats
    other_monthly: Money = 0.0  # QA tools, HR, utilities not per seat


class InhouseCosts(Strict):
    """The client's own contact-centre costs (``inhouse_costs.yaml``)."""

    currency: Currency
    headcount: Headcount
    wages: Wages
    loading: Loading
    attrition: Attrition
    facilities: Facilities


# ---------------------------------------------------------------- criteria.yaml
class KnockOut(Strict):
    """A pass/fail rule: the vendor's value ``op`` ``value`` must hold."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    value: bool | float | str


class Criterion(Strict):
    """One evaluation criterion, read from a vendors.csv column or computed (price)."""

    id: SnakeId
    name: str
    group: str
    source: Literal["vendors", "pricing"] = "vendors"
    column: str | None = None
    direction: Literal["benefit", "cost"]
    unit: str
    weight: Annotated[Number, Field(ge=0)]
    knock_out: KnockOut | None = None

    @model_validator(mode="after")
    def _column(self) -> Criterion:
        if self.source == "vendors" and not self.column:
            raise ValueError(f"criterion {self.id!r} reads vendors.csv: give its 'column'")
        return self


class AhpSection(Strict):
    """Pairwise judgements for AHP weights.

    ``[a, b, value]``: a is ``value`` times as important as b; ``over`` the criteria
    groups or the criteria ids.
    """

    over: Literal["groups", "criteria"] = "groups"
    random_index: Literal["saaty1980", "alonso_lamata2006"] = "saaty1980"
    judgements: Annotated[list[tuple[str, str, PositiveFloat]], Field(min_length=1)]


class Criteria(Strict):
    """The criteria catalogue (``criteria.yaml``).

    ``languages``: those the client's customers are served in; a vendor whose
    ``languages`` (``vendors.csv``) lack one is knocked out.
    """

    criteria: list[Criterion]
    ahp: AhpSection | None = None
    languages: Annotated[list[str], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        ids = [c.id for c in self.criteria]
        for i, cid in enumerate(ids):
            if cid in ids[:i]:
                raise ItemError(f"criterion id {cid!r} given twice", ("criteria", i, "id"),
                                "each id once", first=("criteria", ids.index(cid), "id"))
        if not any(c.weight > 0 for c in self.criteria):
            raise ItemError("every criterion's weight is 0", ("criteria",),
                            "at least one criterion with a weight > 0")
        if self.ahp is not None:
            items = self.ahp_items()
            for j, judgement in enumerate(self.ahp.judgements):
                for k, name in enumerate(judgement[:2]):
                    if name not in items:
                        near = difflib.get_close_matches(name, items, n=1)
                        raise ItemError(f"an ahp judgement names {name!r}, not one of the "
                                        f"{self.ahp.over}" + (f" (did you mean {near[0]!r}?)"
                                                              if near else ""),
                                        ("ahp", "judgements", j, k),
                                        f"one of the {self.ahp.over}: {', '.join(items)}")
        return self

    def ahp_items(self) -> list[str]:
        """Return what the AHP judgements compare: the groups (in order of first use) or ids."""
        if self.ahp is not None and self.ahp.over == "criteria":
            return [c.id for c in self.criteria]
        return list(dict.fromkeys(c.group for c in self.criteria))


# ---------------------------------------------------------------- sla.yaml
class ChannelThresholds(Strict):
    """A KPI's target and minimum on one channel, where they differ from the KPI's own."""

    target: Number | None = None
    minimum: Number | None = None


class KpiTerm(Strict):
    """Contract term of one KPI: the vendor owes a credit when it misses.

    The KPI is judged on each of its ``channels`` on its own (default: every channel the
    KPI dictionary applies it to), against ``target`` and ``minimum`` unless
    ``by_channel`` gives that channel others.
    """

    name: str
    unit: str
    definition: str
    variant: str | None = None  # the KPI dictionary's formula the contract means
    direction: Literal["higher", "lower"]  # is a higher value better?
    target: Number
    minimum: Number  # the floor (or ceiling, for 'lower') that triggers a credit at once
    allocation: Annotated[Number, Field(ge=0)]  # share of each channel's at-risk pool
    period: Literal["month", "quarter"] = "month"
    channels: Annotated[list[Channel], Field(min_length=1)] | None = None
    by_channel: dict[Channel, ChannelThresholds] = Field(default_factory=dict)

    def thresholds(self, channel: str | None) -> tuple[float, float]:
        """Return (target, minimum) on ``channel`` (None: the KPI's own)."""
        own = self.by_channel.get(channel) if channel else None
        if own is None:
            return self.target, self.minimum
        return (self.target if own.target is None else own.target,
                self.minimum if own.minimum is None else own.minimum)

    @model_validator(mode="after")
    def _order(self) -> KpiTerm:
        if self.channels is not None and len(set(self.channels)) < len(self.channels):
            raise ValueError(f"channels {self.channels} names a channel twice")
        stray = [c for c in self.by_channel if self.channels and c not in self.channels]
        if stray:
            raise ValueError(f"by_channel names {stray[0]!r}, not one of the KPI's channels "
                             f"{self.channels}")
        for ch in [None, *self.by_channel]:
            target, minimum = self.thresholds(ch)
            worse = minimum > target if self.direction == "higher" else minimum < target
            if worse:
                where = f" on {ch}" if ch else ""
                raise ValueError(
                    f"minimum {minimum} is better than target {target}{where} for a "
                    f"'{self.direction}-is-better' KPI; the minimum is the worse threshold")
        return self


class TargetMissRule(Strict):
    """Credit when the target is missed in ``misses`` of the last ``months`` months."""

    misses: Annotated[Integer, Field(ge=1)]
    months: Annotated[Integer, Field(ge=1)]

    @model_validator(mode="after")
    def _possible(self) -> TargetMissRule:
        if self.misses > self.months:
            raise ValueError(f"misses {self.misses} of the last {self.months} months can "
                             f"never happen, so the rule would never fire; misses must be "
                             f"at most months ({self.months})")
        return self


class SlaTerms(Strict):
    """Service-level agreement terms (``sla.yaml``)."""

    at_risk_share: Share  # of the monthly invoice
    cap_share: Share  # total credits per month are capped at this share of the invoice
    kpis: dict[SnakeId, KpiTerm]
    target_miss_rule: TargetMissRule
    earn_back_months: Count
    bonus_after_months: Annotated[Integer, Field(ge=1)]
    bonus_share: Share
    bonus_cap_share: Share


# ---------------------------------------------------------------- maturity_answers.yaml
class Assessment(Strict):
    """Answers of one subject (the client's own centre, or a vendor)."""

    subject: str
    answers: dict[Literal["technology", "people", "process"], dict[str, Integer]]


class MaturityAnswers(Strict):
    """Maturity self-assessment answers (``maturity_answers.yaml``).

    The scale is the questionnaire's four levels (1 operational .. 4 visionary); which
    questions must be answered, and that every answer is on the scale, is checked against
    the questionnaire (:func:`bpo_analysis.data.questionnaire.check_answers`) when the
    file is read.
    """

    scale_min: Literal[1] = 1
    scale_max: Literal[4] = 4
    assessments: Annotated[list[Assessment], Field(min_length=1)]

    @model_validator(mode="after")
    def _subjects(self) -> MaturityAnswers:
        subjects = [a.subject for a in self.assessments]
        for i, s in enumerate(subjects):
            if s in subjects[:i]:
                raise ItemError(f"subject {s!r} is assessed twice", ("assessments", i, "subject"),
                                "one entry per subject",
                                first=("assessments", subjects.index(s), "subject"))
        return self


# ---------------------------------------------------------------- tco.yaml
class Transition(Strict):
    """One-off costs on the client's side when a vendor takes over (seed 000 step 3)."""

    cti_seat_setup_per_seat: Money
    knowledge_base: Money
    ivr_flow_design: Money
    requirement_interviews: Money
    initial_training_per_agent: Money
    per_extra_channel: Money = 0.0
    crm_integration: Money = 0.0


class LabourFloor(Strict):
    """What an agent costs a vendor at the least, to check bids against.

    ``loading`` is one number for every city, or one per head-office city (``default``
    for the cities not listed; without it, every bid's city must be listed). A city with
    its own wage floor is its own labour market; the others share the default's.
    """

    wage_floor_monthly: dict[str, Money]
    loading: Number | dict[str, Number]  # 1-3, checked below (one error names the city)
    productive_share: Annotated[Number, Field(gt=0, le=1)]
    #: Paid hours of a vendor's agent a month; None: the client's (scenario.yaml's
    #: ``paid_hours_per_fte_month``).
    paid_hours_per_month: PositiveFloat | None = None
    peer_median_share: Annotated[Number, Field(gt=0, le=1)] = 0.7

    @field_validator("loading", mode="before")
    @classmethod
    def _loading(cls, value: object) -> object:
        per_city = value if isinstance(value, dict) else {"": value}
        if not per_city:
            raise ItemError("loading lists no city", (), "one number from 1 to 3, or one per city")
        for city, x in per_city.items():
            if isinstance(x, bool) or not isinstance(x, int | float) or not 1 <= x <= 3:
                raise ItemError(f"loading {x!r} is not a number from 1 to 3",
                                (city,) if city else (), "a number from 1 to 3 (x the pay): "
                                "one for every city, or one per city")
        return value

    @model_validator(mode="after")
    def _default(self) -> LabourFloor:
        if "default" not in self.wage_floor_monthly:
            raise ValueError("wage_floor_monthly needs a 'default' entry (other keys: cities)")
        return self

    def wage_floor(self, city: str) -> float:
        """Return the monthly wage floor at ``city`` (the default when it is not listed)."""
        return self.wage_floor_monthly.get(city, self.wage_floor_monthly["default"])

    def loading_at(self, city: str) -> float | None:
        """Return the loading at ``city``: the one number, the city's, else the default's.

        None when a per-city mapping lists neither ``city`` nor ``default``.
        """
        if not isinstance(self.loading, dict):
            return float(self.loading)
        return self.loading.get(city, self.loading.get("default"))

    def market(self, city: str) -> str:
        """Return the labour market of ``city``: itself with its own wage floor, else default."""
        return city if city in self.wage_floor_monthly else "default"


class TcoAssumptions(Strict):
    """The client's side of a contract (``tco.yaml``, optional).

    Transition, retained and exit costs, and the labour-cost floor bids are checked
    against.
    """

    currency: Currency
    transition: Transition
    crm_integration: YesNo
    retained: dict[SnakeId, Annotated[Number, Field(ge=0, le=0.2)]]
    exit_months_of_fees: Annotated[Number, Field(ge=0, le=24)] = 1.0
    labour_floor: LabourFloor


# ---------------------------------------------------------------- roi.yaml
#: The uncertain drivers of the business case, in the order the tornado lists them.
ROI_DRIVERS = ("volume", "aht", "wage_inflation", "price_escalation", "churn_reduction",
               "transition_overrun", "customer_value", "fcr_after")


class Avoidable(Strict):
    """The share of one in-house cost group that goes away, and from when."""

    share: Share
    after_months: Annotated[Integer, Field(ge=0, le=60)] = 0  # notice, lease or licence run-off


class Upsell(Strict):
    """Revenue from offers made on service contacts (optional)."""

    offer_share: Share        # share of handled contacts that get an offer
    conversion: Share         # share of offers that sell
    margin_per_sale: Money    # currency per sale


class Benefits(Strict):
    """What the better service is worth beyond cost (seed 004's outputs)."""

    ramp_months: Annotated[Integer, Field(ge=0, le=36)] = 0
    customers: Annotated[Number, Field(ge=0)] = 0.0
    churn_rate_annual: Share = 0.0
    churn_reduction: Annotated[Number, Field(ge=-1, le=1)] = 0.0   # relative change of churn
    customer_value: Money = 0.0
    fcr_before: Share = 0.0
    fcr_after: Share = 0.0
    csat_before: Share = 0.0
    csat_after: Share = 0.0
    value_per_csat_point_monthly: Money = 0.0
    upsell: Upsell | None = None


class DriverRange(Strict):
    """Low and high of one uncertain driver (the base is the data's value)."""

    low: Number
    high: Number

    @model_validator(mode="after")
    def _order(self) -> DriverRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g}): "
                             "low must be <= high")
        return self


class RoiAssumptions(Strict):
    """The business case of the move (``roi.yaml``, optional).

    The quote signed, the in-house costs that go away, the benefits and the uncertain
    drivers.
    """

    currency: Currency
    quote_id: str | None = None  # moved to decision.yaml's selected_quote: refused when set
    baseline: Literal["as_is", "same_service"] = "as_is"
    avoidable: dict[Literal["people", "facilities", "technology"], Avoidable]
    severance_months_of_pay: Annotated[Number, Field(ge=0, le=24)] = 0.0
    exit_at_end: YesNo = False
    benefits: Benefits = Benefits()
    uncertainty: dict[Literal[ROI_DRIVERS], DriverRange] = Field(  # type: ignore[valid-type]
        default_factory=dict)
    correlations: list[tuple[Literal[ROI_DRIVERS], Literal[ROI_DRIVERS],  # type: ignore[valid-type]
                             Annotated[Number, Field(ge=-1, le=1)]]] = Field(
        default_factory=list)

    @model_validator(mode="after")
    def _pairs(self) -> RoiAssumptions:
        seen = set()
        for a, b, _ in self.correlations:
            if a == b:
                raise ValueError(f"correlation of {a} with itself: name two drivers")
            for d in (a, b):
                if d not in self.uncertainty:
                    raise ValueError(f"correlation names {d}, which has no range under "
                                     "uncertainty: give it low and high first")
            if frozenset((a, b)) in seen:
                raise ValueError(f"correlation of {a} and {b} given twice")
            seen.add(frozenset((a, b)))
        return self


# ---------------------------------------------------------------- continuity.yaml
class SurgeTerms(Strict):
    """How the contracted vendor answers a surge (seed 002: a recall multiplies volume)."""

    seats_per_day: Annotated[Number, Field(ge=0)] | None = None  # None: vendors.csv / 7
    lead_days: Annotated[Integer, Field(ge=0, le=30)] = 1
    max_seats: Annotated[Integer, Field(ge=0)] | None = None  # vendor's surge pool; None: no cap
    seat_premium: Annotated[Number, Field(ge=0, le=2)] = 0.0  # over the contract seat price


class OutageOption(Strict):
    """One way to carry a site's contacts while it is down.

    Seed 004: a small in-house team or a backup vendor; seed 000: an off-site backup
    during typhoons.
    """

    id: SnakeId
    name: str
    kind: Literal["backup_site", "second_vendor", "inhouse_team"]
    share: Share  # of the lost site's agents it carries
    activation_hours: Annotated[Number, Field(ge=0, le=72)] = 0.0
    annual_fixed: Money = 0.0  # retainer, licences, drills
    annual_per_agent: Money | None = None  # per agent held ready; None: in-house cost model
    per_contact: Money = 0.0  # paid per contact it answers during an outage
    vendor_id: str | None = None  # a second_vendor's vendor (checked against step 2's knock-outs)

    @model_validator(mode="after")
    def _priced(self) -> OutageOption:
        if self.kind == "second_vendor" and not self.vendor_id:
            raise ValueError(f"option {self.id}: a second_vendor names its vendor_id "
                             "(vendors.csv), so step 7 can check it passes the knock-outs")
        if self.annual_per_agent is None and self.kind != "inhouse_team":
            raise ValueError(f"option {self.id}: annual_per_agent is required for a "
                             f"{self.kind} (only an inhouse_team is priced from "
                             "inhouse_costs.yaml when it is left out)")
        return self


class OutageTerms(Strict):
    """One site of the vendor down for some hours, how often, and what it costs."""

    site_share: Annotated[Number, Field(gt=0, le=1)]  # of the vendor's agents at that site
    hours: Annotated[Number, Field(gt=0, le=240)]
    outages_per_year: Annotated[Number, Field(ge=0, le=365)]
    value_per_lost_contact: Money  # margin and churn lost when a contact goes unanswered
    options: list[OutageOption] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> OutageTerms:
        ids = [o.id for o in self.options]
        for i, oid in enumerate(ids):
            if oid in ids[:i]:
                raise ItemError(f"option id {oid!r} given twice", ("options", i, "id"),
                                "each option id once", first=("options", ids.index(oid), "id"))
        return self


class ContinuityAssumptions(Strict):
    """Surge and outage assumptions (``continuity.yaml``, optional; notebook 07)."""

    currency: Currency
    quote_id: str | None = None  # moved to decision.yaml's selected_quote: refused when set
    patience_s: dict[Literal["voice", "chat"], PositiveFloat]
    # of callers who give up, those who call again at the next open interval (< 1: some
    # give up for good)
    redial_share: Annotated[Number, Field(ge=0, lt=1)] = 0.0
    surge: SurgeTerms = SurgeTerms()
    outage: OutageTerms
