"""Validated input models: one pydantic model per YAML document and per table row.

The models *are* the data schema: :mod:`bpo_analysis.io` validates every file against
them, and ``data/README.md`` describes the same fields. Shares and rates are decimals
(0.35 means 35 %), durations are seconds unless the name says otherwise, money is in
the scenario's currency.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

CHANNELS = ("voice", "chat", "email")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PRICING_MODELS = ("per_call", "per_minute", "per_productive_hour", "per_seat", "hybrid")
RISK_CATEGORIES = (
    "data_protection",
    "service_interruption",
    "surge",
    "attrition_knowledge",
    "brand_culture",
    "lock_in_exit",
    "financial",
    "compliance",
)

Channel = Literal["voice", "chat", "email"]


def _share(v: float) -> float:
    if not 0.0 <= v <= 1.0:
        hint = f" (write {v:g} % as {v / 100:g})" if 1.0 < v <= 100.0 else ""
        raise ValueError(f"must be a share between 0 and 1{hint}")
    return v


def _split_list(v: object) -> object:
    """Semicolon-separated cell ('Taipei; Kaohsiung') -> list of stripped strings."""
    if isinstance(v, str):
        return [s.strip() for s in v.split(";") if s.strip()]
    return v


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _yes_no(v: object) -> object:
    if isinstance(v, str):
        low = v.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError("must be yes/no (true/false)")
    return v


Share = Annotated[float, AfterValidator(_share)]
Money = Annotated[float, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=0)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class _Strict(BaseModel):
    """Refuses unknown keys in YAML documents (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Row(BaseModel):
    """Table rows: unknown columns are reported by the loader as a warning, then ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ---------------------------------------------------------------- scenario.yaml
def _hhmm(v: object) -> object:
    if isinstance(v, int):  # YAML 1.1 reads 08:00 unquoted as sexagesimal minutes (480)
        return dt.time(v // 60 % 24, v % 60) if v < 24 * 60 else v
    if isinstance(v, str) and v.strip() in {"24:00", "24:00:00"}:
        return dt.time.max
    return v


Clock = Annotated[dt.time, BeforeValidator(_hhmm)]


class OpeningHours(_Strict):
    """Opening hours of one weekday, local time; ``close`` may be 24:00 (midnight)."""

    open: Clock
    close: Clock

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.close <= self.open:
            raise ValueError(f"close {self.close} must be after open {self.open}")
        return self

    @property
    def hours(self) -> float:
        """Length of the opening in hours."""
        end = 24 * 60 if self.close == dt.time.max else self.close.hour * 60 + self.close.minute
        return (end - (self.open.hour * 60 + self.open.minute)) / 60


class ServiceTarget(_Strict):
    """Service target of one channel: ``service_level`` of contacts answered within
    ``answer_within_s`` seconds (email: responded within, e.g. 86 400 s = 24 h)."""

    service_level: Share
    answer_within_s: PositiveFloat
    max_abandon_rate: Share | None = None
    max_occupancy: Share | None = None
    concurrency: Annotated[int, Field(ge=1, le=10)] = 1


class Scenario(_Strict):
    """The client and the decision frame (``scenario.yaml``)."""

    company: str
    industry: str
    country: str = "TW"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    timezone: str = "Asia/Taipei"
    interval_minutes: Literal[15, 30, 60] = 30
    planning_horizon_months: Annotated[int, Field(ge=1, le=240)]
    discount_rate: Annotated[float, Field(gt=-1, le=1)]
    opening_hours: dict[Literal[WEEKDAYS], OpeningHours | None]  # type: ignore[valid-type]
    service_targets: dict[Channel, ServiceTarget]

    @model_validator(mode="after")
    def _all_days(self) -> Scenario:
        missing = [d for d in WEEKDAYS if d not in self.opening_hours]
        if missing:
            raise ValueError(f"opening_hours lacks {missing} (write 'null' for a closed day)")
        return self


# ---------------------------------------------------------------- inhouse_costs.yaml
class Headcount(_Strict):
    """The in-house centre as it is today (full-time equivalents)."""

    agents_fte: dict[Channel, Annotated[float, Field(ge=0)]]
    agents_per_supervisor: PositiveFloat
    managers: Count
    seats: Count


class Wages(_Strict):
    """Monthly base pay per head, before employer loading."""

    agent_monthly: Money
    supervisor_monthly: Money
    manager_monthly: Money


class Loading(_Strict):
    """Employer costs on top of base pay."""

    insurance_and_benefits: Share  # labour/health insurance, pension, as a share of base pay
    bonus_months_per_year: Annotated[float, Field(ge=0, le=12)]
    night_shift_premium: Share  # extra pay on night hours, share of the hourly rate
    night_share_of_hours: Share  # share of agent hours that are night hours


class Attrition(_Strict):
    """People turnover and what each replacement costs."""

    annual_rate: Share
    recruiting_per_hire: Money
    training_per_hire: Money


class Facilities(_Strict):
    """Seats, rent, equipment and IT, per month."""

    rent_per_seat_monthly: Money
    equipment_per_seat_monthly: Money
    it_per_seat_monthly: Money
    platform_monthly: Money  # ACD/IVR/CTI/CRM platform, independent of seats
    other_monthly: Money = 0.0  # QA tools, HR, utilities not per seat


class InhouseCosts(_Strict):
    """The client's own contact-centre costs (``inhouse_costs.yaml``)."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    headcount: Headcount
    wages: Wages
    loading: Loading
    attrition: Attrition
    facilities: Facilities


# ---------------------------------------------------------------- criteria.yaml
class KnockOut(_Strict):
    """A pass/fail rule: the vendor's value ``op`` ``value`` must hold."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    value: bool | float | str


class Criterion(_Strict):
    """One evaluation criterion, read from a vendors.csv column or computed (price)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    group: str
    source: Literal["vendors", "pricing"] = "vendors"
    column: str | None = None
    direction: Literal["benefit", "cost"]
    unit: str
    weight: Annotated[float, Field(ge=0)]
    knock_out: KnockOut | None = None

    @model_validator(mode="after")
    def _column(self) -> Criterion:
        if self.source == "vendors" and not self.column:
            raise ValueError(f"criterion {self.id!r} reads vendors.csv: give its 'column'")
        return self


class Criteria(_Strict):
    """The criteria catalogue (``criteria.yaml``)."""

    criteria: list[Criterion]

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        ids = [c.id for c in self.criteria]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate criterion id(s) {dup}")
        if not any(c.weight > 0 for c in self.criteria):
            raise ValueError("all weights are 0: at least one criterion must weigh > 0")
        return self


# ---------------------------------------------------------------- sla.yaml
class KpiTerm(_Strict):
    """Contract term of one KPI: the vendor owes a credit when it misses."""

    name: str
    unit: str
    definition: str
    direction: Literal["higher", "lower"]  # is a higher value better?
    target: float
    minimum: float  # the floor (or ceiling, for 'lower') that triggers a credit at once
    allocation: Annotated[float, Field(ge=0)]  # share of the at-risk pool
    period: Literal["month", "quarter"] = "month"

    @model_validator(mode="after")
    def _order(self) -> KpiTerm:
        worse = self.minimum > self.target if self.direction == "higher" else (
            self.minimum < self.target)
        if worse:
            raise ValueError(
                f"minimum {self.minimum} is better than target {self.target} for a "
                f"'{self.direction}-is-better' KPI; the minimum is the worse threshold")
        return self


class TargetMissRule(_Strict):
    """Credit when the target is missed in ``misses`` of the last ``months`` months."""

    misses: Annotated[int, Field(ge=1)]
    months: Annotated[int, Field(ge=1)]


class SlaTerms(_Strict):
    """Service-level agreement terms (``sla.yaml``)."""

    at_risk_share: Share  # of the monthly invoice
    cap_share: Share  # total credits per month are capped at this share of the invoice
    kpis: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], KpiTerm]
    target_miss_rule: TargetMissRule
    earn_back_months: Count
    bonus_after_months: Annotated[int, Field(ge=1)]
    bonus_share: Share
    bonus_cap_share: Share


# ---------------------------------------------------------------- maturity_answers.yaml
class Assessment(_Strict):
    """Answers of one subject (the client's own centre, or a vendor)."""

    subject: str
    answers: dict[Literal["technology", "people", "process"], dict[str, int]]


class MaturityAnswers(_Strict):
    """Maturity self-assessment answers (``maturity_answers.yaml``)."""

    scale_min: int = 1
    scale_max: int = 4
    assessments: list[Assessment]

    @model_validator(mode="after")
    def _in_scale(self) -> MaturityAnswers:
        for a in self.assessments:
            for dim, qs in a.answers.items():
                for q, v in qs.items():
                    if not self.scale_min <= v <= self.scale_max:
                        raise ValueError(
                            f"{a.subject}: answer {dim}.{q} = {v} is outside the scale "
                            f"{self.scale_min}..{self.scale_max}")
        return self


# ---------------------------------------------------------------- table rows
class DemandRow(_Row):
    """One interval of ``demand_intervals.csv``; ``aht_s`` is empty when no contacts."""

    interval_start: dt.datetime
    channel: Channel
    contacts: Count
    aht_s: PositiveFloat | None

    @field_validator("aht_s")
    @classmethod
    def _aht(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None and info.data.get("contacts", 0) > 0:
            raise ValueError("empty while contacts > 0: give the average handle time in s")
        return v


class VendorRow(_Row):
    """One vendor of ``vendors.csv``."""

    vendor_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    name: str
    hq_city: str
    sites: TextList
    backup_site: YesNo
    seats: Count
    iso27001: YesNo
    copc: YesNo
    six_sigma: YesNo
    pdpa_audit: YesNo
    industries: TextList
    retail_references: Count
    years_in_business: Count
    attrition_rate: Share
    surge_seats_per_week: Count
    omnichannel: YesNo
    crm_integration: YesNo
    ai_bots: YesNo
    mystery_shopper_score: Annotated[float, Field(ge=0, le=100)]
    qa_score: Annotated[float, Field(ge=0, le=100)]
    pilot_csat: Share | None = None
    pilot_fcr: Share | None = None


class QuoteRow(_Row):
    """One offer of ``quotes.csv``; prices in the scenario currency."""

    quote_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    vendor_id: str
    channel: Literal["all", "voice", "chat", "email"]
    pricing_model: Literal[PRICING_MODELS]  # type: ignore[valid-type]
    unit_price: Money  # per call / per handle minute / per productive hour / per seat-month
    seat_price_monthly: Annotated[Money | None, Field(validate_default=True)] = None
    seats_quoted: Annotated[Count | None, Field(validate_default=True)] = None
    monthly_minimum: Money = 0.0
    committed_contacts_monthly: Count | None = None
    band_share: Share = 0.0  # no-charge band around the commitment, e.g. 0.10 for ±10 %
    above_band_price_factor: PositiveFloat = 1.0
    below_band_price_factor: PositiveFloat = 1.0
    setup_fee: Money = 0.0
    management_fee_monthly: Money = 0.0
    annual_escalation: Annotated[float, Field(ge=-0.5, le=1)] = 0.0
    escalation_from_year: Annotated[int, Field(ge=1)] = 2
    contract_term_months: Annotated[int, Field(ge=1, le=120)]

    @field_validator("seat_price_monthly", "seats_quoted")
    @classmethod
    def _hybrid(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None and info.data.get("pricing_model") == "hybrid":
            raise ValueError("a hybrid quote (dedicated base + overflow) needs it")
        return v


class VendorReportRow(_Row):
    """One month of ``vendor_monthly_reports.csv``, as the vendor reports it."""

    month: Month
    vendor_id: str
    channel: Channel
    contacts_offered: Count
    contacts_handled: Count
    service_level: Share
    asa_s: Annotated[float, Field(ge=0)]
    aht_s: PositiveFloat
    abandon_rate: Share
    fcr: Share
    csat: Share
    nps: Annotated[float, Field(ge=-100, le=100)]
    complaints: Count
    qa_score: Annotated[float, Field(ge=0, le=100)]
    occupancy: Share
    agent_attrition_monthly: Share
    invoice_amount: Money

    @field_validator("contacts_handled")
    @classmethod
    def _handled(cls, v: int, info: ValidationInfo) -> int:
        offered = info.data.get("contacts_offered")
        if offered is not None and v > offered:
            raise ValueError(f"more than contacts_offered ({offered})")
        return v


class RiskRow(_Row):
    """One risk of ``risks.csv``; likelihood and impact on a 1-5 scale."""

    risk_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    category: Literal[RISK_CATEGORIES]  # type: ignore[valid-type]
    title: str
    description: str
    likelihood: Annotated[int, Field(ge=1, le=5)]
    impact: Annotated[int, Field(ge=1, le=5)]
    owner: str
    mitigation: str
    residual_likelihood: Annotated[int, Field(ge=1, le=5)]
    residual_impact: Annotated[int, Field(ge=1, le=5)]
