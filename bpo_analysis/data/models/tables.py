"""The tables of a client folder: one pydantic model per table row.

Demand intervals, vendors, quotes, vendor monthly reports, risks and the ROI actuals.
``data/README.md`` documents every column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from bpo_analysis.data.models.types import (
    Channel,
    Count,
    Identifier,
    Integer,
    Money,
    Month,
    Number,
    PositiveFloat,
    Row,
    Share,
    TextList,
    YesNo,
)

__all__ = ["PRICING_MODELS", "RISK_CATEGORIES", "DemandRow", "QuoteRow", "RiskRow", "RoiActualRow",
           "VendorReportRow", "VendorRow"]

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


_NUMBER = re.compile(r"^\s*-?\d+(\.\d*)?\s*$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
_LOCAL_FORMAT = ("the local date-time as YYYY-MM-DD HH:MM without a UTC offset, e.g. "
                 "2025-01-06 08:30 (in Excel: format the column as yyyy-mm-dd hh:mm)")


def _not_a_number(v: object) -> object:
    """Refuse a number where a date-time is expected, saying what kind of number it is.

    Pydantic would read 1736152200 as seconds since 1970 in UTC, and then refuse it as
    having a UTC offset; an Excel serial day number (45663.35) the same way.
    """
    if isinstance(v, bool) or not (isinstance(v, (int, float))
                                   or (isinstance(v, str) and _NUMBER.match(v))):
        return v
    x = float(v)
    if 1 <= x < 1e6:
        when = _EXCEL_EPOCH + dt.timedelta(days=x, seconds=30)  # to the nearest minute
        found = f"an Excel serial day number ({str(v).strip()} is {when:%Y-%m-%d %H:%M})"
    elif 1e8 <= x < 1e14:
        unit, scale = ("seconds", 1) if x < 1e11 else ("milliseconds", 1000)
        utc = dt.datetime.fromtimestamp(x / scale + 30, dt.UTC)
        found = f"epoch {unit} (since 1970; {str(v).strip()} is {utc:%Y-%m-%d %H:%M} UTC)"
    else:
        found = "a number"
    raise ValueError(f"found {found}, not a date-time: write {_LOCAL_FORMAT}")


#: A local date-time cell; a number (Excel serial day, epoch seconds) is refused as such.
LocalDateTime = Annotated[dt.datetime, BeforeValidator(_not_a_number)]


class DemandRow(Row):
    """One interval of ``demand_intervals.csv``; ``aht_s`` is empty when no contacts."""

    interval_start: LocalDateTime
    channel: Channel
    contacts: Count
    aht_s: PositiveFloat | None

    @field_validator("interval_start")
    @classmethod
    def _local(cls, v: dt.datetime) -> dt.datetime:
        if v.tzinfo is not None:
            raise ValueError("must be local time without a UTC offset (the scenario's "
                             "timezone applies), e.g. 2025-01-06 08:30")
        return v

    @field_validator("aht_s")
    @classmethod
    def _aht(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None and info.data.get("contacts", 0) > 0:
            raise ValueError("empty while contacts > 0: give the average handle time in s")
        return v


class VendorRow(Row):
    """One vendor of ``vendors.csv``.

    Any other column of numbers or yes/no may be scored: a criterion of ``criteria.yaml``
    that reads it keeps it (:mod:`bpo_analysis.data.extras`).
    """

    #: Columns an earlier schema named for one country or industry: old -> (new, meaning).
    #: A file that still has one is refused with the new name (``data/README.md``).
    RENAMED: ClassVar[dict[str, tuple[str, str]]] = {
        "retail_references": ("industry_references", "references in the client's industry"),
        "pdpa_audit": ("data_protection_audit",
                       "audited under the client's data-protection law"),
    }

    vendor_id: Identifier
    name: str
    hq_city: str
    sites: TextList
    languages: TextList | None = None  # the languages its agents serve; empty: not known
    backup_site: YesNo
    seats: Count
    iso27001: YesNo
    copc: YesNo
    six_sigma: YesNo
    data_protection_audit: YesNo
    industries: TextList
    industry_references: Count
    years_in_business: Count
    attrition_rate: Share
    surge_seats_per_week: Count
    omnichannel: YesNo
    crm_integration: YesNo
    ai_bots: YesNo
    mystery_shopper_score: Annotated[Number, Field(ge=0, le=100)]
    qa_score: Annotated[Number, Field(ge=0, le=100)]
    pilot_csat: Share | None = None
    pilot_fcr: Share | None = None
    improvement_plans: YesNo
    backoffice_staff: Count
    documented_processes: YesNo
    recruiting_channels: Count
    training_days: Annotated[Number, Field(ge=0)]
    incentive_plan: YesNo
    seasonal_ramp_weeks: Annotated[Number, Field(ge=0)]
    forecasting_wfm: YesNo
    pipl_gdpr: YesNo
    clean_desk: YesNo
    cctv: YesNo
    lockers: YesNo
    disaster_plan: YesNo
    recruiting_pool: Annotated[Integer, Field(ge=1, le=5)]
    live_monitoring: YesNo


class QuoteRow(Row):
    """One offer of ``quotes.csv``; prices in the scenario currency."""

    quote_id: Identifier
    vendor_id: str
    channel: Literal["all", "voice", "chat", "email"]
    pricing_model: Literal[PRICING_MODELS]  # type: ignore[valid-type]
    unit_price: Money | None = None  # per call / handle minute / productive hour / seat-month
    seat_price_monthly: Annotated[Money | None, Field(validate_default=True)] = None
    seats_quoted: Annotated[Count | None, Field(validate_default=True)] = None
    monthly_minimum: Money = 0.0
    committed_contacts_monthly: Count | None = None
    band_share: Share = 0.0  # no-charge band around the commitment, e.g. 0.10 for ±10 %
    above_band_price_factor: PositiveFloat = 1.0
    below_band_price_factor: PositiveFloat = 1.0
    setup_fee: Money = 0.0
    management_fee_monthly: Money = 0.0
    annual_escalation: Annotated[Number, Field(ge=-0.1, le=0.3)] = 0.0
    escalation_from_year: Annotated[Integer, Field(ge=1)] = 2
    contract_term_months: Annotated[Integer, Field(ge=1, le=120)]

    @field_validator("seat_price_monthly", "seats_quoted")
    @classmethod
    def _hybrid(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None and info.data.get("pricing_model") == "hybrid":
            raise ValueError("a hybrid quote (dedicated base + overflow) needs it")
        return v


class VendorReportRow(Row):
    """One month of ``vendor_monthly_reports.csv``, as the vendor reports it."""

    month: Month
    vendor_id: str
    channel: Channel
    contacts_offered: Count
    contacts_handled: Count
    service_level: Share
    asa_s: Annotated[Number, Field(ge=0)]
    aht_s: PositiveFloat
    abandon_rate: Share
    fcr: Share
    csat: Share
    nps: Annotated[Number, Field(ge=-100, le=100)]
    complaints: Count
    qa_score: Annotated[Number, Field(ge=0, le=100)]
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


class RiskRow(Row):
    """One risk of ``risks.csv``; likelihood and impact on a 1-5 scale."""

    risk_id: Identifier
    category: Literal[RISK_CATEGORIES]  # type: ignore[valid-type]
    title: str
    description: str
    likelihood: Annotated[Integer, Field(ge=1, le=5)]
    impact: Annotated[Integer, Field(ge=1, le=5)]
    owner: str
    mitigation: str
    residual_likelihood: Annotated[Integer, Field(ge=1, le=5)]
    residual_impact: Annotated[Integer, Field(ge=1, le=5)]


class RoiActualRow(Row):
    """One month of ``roi_actuals.csv``: what the move actually cost and delivered.

    Vendor fees (after credits), contacts, FCR and CSAT come from the monthly reviews
    (notebook 05); one-off and retained costs from the client's books. FCR, CSAT and
    churn may be left empty (the plan's value is then used, and the report says so);
    the costs may not (a missing cost would flatter the review).
    """

    month: Month
    vendor_fees: Money
    contacts: Count
    one_off: Money      # 0 in a month without one
    retained: Money
    fcr: Share | None = None
    csat: Share | None = None
    churn_rate_annual: Share | None = None
