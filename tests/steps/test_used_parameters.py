"""Every step says what it took for a parameter left "from the client's files".

A report's appendix lists each notebook parameter; where the value is a sentinel
(``discount_rate -1``, ``term_months 0``, ``vendor_id ""``) it shows what the step used and
where it came from, from ``result.headline.used`` ("8.0 % a year, from scenario.yaml").
Each test runs a step with its defaults on both bundled clients and computes the expected
texts from the client's own files; a parameter given explicitly is never said to come
from the files.
"""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from bpo_analysis import i18n
from bpo_analysis.core.decision import vendor_label
from bpo_analysis.core.result import left_open
from bpo_analysis.steps import (
    contract,
    maturity,
    pricing,
    profile,
    review,
    risk,
    roi,
    sourcing,
    summary,
    vendors,
)
from bpo_analysis.steps.review import step as review_step
from bpo_analysis.steps.risk import step as risk_step


@pytest.fixture(scope="module", params=["sample", "hk_health"])
def client(request):
    """Each bundled client (Taiwan, TWD; Hong Kong, HKD)."""
    return request.getfixturevalue("sample_client" if request.param == "sample"
                                   else "hk_client")


@pytest.fixture(autouse=True)
def english():
    """The texts below are the English ones."""
    with i18n.use_language("en"):
        yield


def pct(share: float, decimals: int = 1) -> str:
    return f"{share * 100:,.{decimals}f} %"


def currency_text(client) -> str:
    return f"{client.currency}, from scenario.yaml"


def incumbent_text(client, step_decision) -> str:
    inc = client.decision.incumbent[0]  # both clients state it in decision.yaml
    assert step_decision.incumbent.value[0] == inc
    return (f"{vendor_label(client, inc)}, the incumbent under review, stated in the "
            "client's decision file")


def test_only_the_sentinel_of_each_parameter_is_left_to_the_files():
    left = left_open(currency_label=("", ""), escalation=(0.0, -1), lead_days=(-1, -1),
                     term_months=(24, 0), forecast_shares=({}, {}), records_path=("r", ""),
                     flag=(False, 0))
    assert left == {"currency_label", "lead_days", "forecast_shares"}


@pytest.mark.parametrize("step", ["profile", "vendors", "summary"])
def test_a_currency_left_open_is_the_iso_code_of_scenario_yaml(client, step):
    runs = {"profile": lambda **kw: profile.run(client, **kw),
            "vendors": lambda **kw: vendors.run(client, draws=200, **kw),
            "summary": lambda **kw: summary.run(client, **kw)}
    assert runs[step]().headline.used == {"currency_label": currency_text(client)}
    assert runs[step](currency="NT$").headline.used == {}


def test_sourcing_says_which_quotes_its_indicative_prices_come_from(client):
    res = sourcing.run(client)
    used, cur, q = res.headline.used, client.currency, client.quotes
    per_call = q.loc[q["pricing_model"] == "per_call", "unit_price"]
    per_seat = q.loc[q["pricing_model"] == "per_seat", "unit_price"]
    assert res.inputs.price_per_contact == per_call.median()
    assert res.inputs.price_per_seat == per_seat.median()

    def said(price, unit, quotes, model):
        where = (f"the median of the {len(quotes)} {model} quotes" if len(quotes) > 1
                 else f"the one {model} quote")
        return f"{price:,.0f} {cur} {unit}, {where} in quotes.csv"

    assert used == {
        "currency_label": currency_text(client),
        "price_per_contact": said(per_call.median(), "per contact", per_call, "per-call"),
        "price_per_seat": said(per_seat.median(), "per seat-month", per_seat, "per-seat"),
        "shift_starts": "any interval of the opening hours, from scenario.yaml"}
    # the sample's two per-call quotes, the Hong Kong client's single one
    assert used["price_per_contact"] in ("75 TWD per contact, the median of the 2 per-call "
                                         "quotes in quotes.csv",
                                         "34 HKD per contact, the one per-call quote in "
                                         "quotes.csv")
    given = sourcing.run(client, price_per_contact=50.0, currency="NT$").headline.used
    assert set(given) == {"price_per_seat", "shift_starts"}


def test_a_price_from_per_minute_and_per_hour_quotes_says_how_it_was_derived(hk_client):
    q = hk_client.quotes
    market = dataclasses.replace(hk_client, quotes=q[q["pricing_model"].isin(
        ["per_minute", "per_productive_hour", "hybrid"])].reset_index(drop=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sourcing.run(market)
    used, inputs = res.headline.used, res.inputs
    minute = q.loc[q["pricing_model"] == "per_minute", "unit_price"].median()
    hour = q.loc[q["pricing_model"] == "per_productive_hour", "unit_price"].median()
    assert used["price_per_contact"] == (
        f"{inputs.price_per_contact:,.1f} HKD per contact: the median per-minute price, "
        f"{minute:,.2f} HKD a minute, times the average handle time of "
        f"{inputs.price_per_contact / minute:.1f} minutes, from quotes.csv")
    assert used["price_per_seat"] == (
        f"{inputs.price_per_seat:,.0f} HKD per seat-month: the median per-productive-hour "
        f"price, {hour:,.0f} HKD an hour, times the {inputs.price_per_seat / hour:,.0f} "
        "productive hours of a seat-month, from quotes.csv")


def test_pricing_says_the_horizon_rate_escalations_and_retained_share_it_took(client):
    used = pricing.run(client).headline.used
    sc, rates = client.scenario, client.quotes["annual_escalation"]
    assert used == {
        "currency_label": currency_text(client),
        "term_months": f"{sc.planning_horizon_months} months, the planning horizon in "
                       "scenario.yaml",
        "discount_rate": f"{pct(sc.discount_rate)} a year, from scenario.yaml",
        "escalation": f"each quote's own yearly escalation ({pct(rates.min())} to "
                      f"{pct(rates.max())}), from quotes.csv",
        "hidden_share": f"{pct(sum(client.tco.retained.values()))} of the contract value, "
                        "the total of the retained costs in tco.yaml"}
    if client.currency == "TWD":
        assert used["discount_rate"] == "8.0 % a year, from scenario.yaml"
        assert used["hidden_share"].startswith("4.5 % ")  # 2.5 + 1.2 + 0.8 %
    # given, even as 0 (no escalation, no hidden costs): the reader's own values
    given = pricing.run(client, term_months=24, discount_rate=0.05, escalation=0.0,
                        hidden_share=0.0).headline.used
    assert given == {"currency_label": currency_text(client)}


def test_contract_says_the_incumbent_and_the_sla_file_it_back_tested(client):
    res = contract.run(client, simulated_years=500)
    assert res.headline.used == {
        "currency_label": currency_text(client),
        "vendor_id": incumbent_text(client, res.decision),
        "sla_file": "sla.yaml of the client folder"}
    sla = client.path / "sla.yaml"
    given = contract.run(client, simulated_years=500, vendor_id=res.vendor_id,
                         sla_file=str(sla), currency="X").headline.used
    assert given == {}


def test_review_says_the_records_reports_and_shares_it_read(client):
    res = review.run(client, month="2025-12")
    shares = review_step.shares_from_reports(client, res.vendor_id)
    channels = [c for c in ("voice", "chat", "email") if c in shares]
    assert res.headline.used == {
        "currency_label": currency_text(client),
        "records_path": "records/ of the client folder",
        "vendor_id": incumbent_text(client, res.decision),
        "sla_file": "sla.yaml of the client folder",
        "reports_file": "vendor_monthly_reports.csv of the client folder",
        "forecast_shares": ", ".join(f"{c} {pct(shares[c], 0)}" for c in channels)
                           + ", from the vendor's monthly reports"}
    given = review.run(client, month="2025-12", records_path=client.path / "records",
                       vendor_id=res.vendor_id, forecast_shares=shares).headline.used
    assert set(given) == {"currency_label", "sla_file", "reports_file"}


def test_roi_says_the_quote_baseline_horizon_rate_and_actuals_it_took(client):
    res = roi.run(client, draws=500)
    sc, quote = client.scenario, pricing.upstream(client).decision.quote
    vendor = client.quotes.set_index("quote_id").loc[quote.value, "vendor_id"]
    actuals = (client.path / "roi_actuals.csv").is_file()  # the sample's; none in Hong Kong
    assert res.headline.used == {
        "currency_label": currency_text(client),
        "quote_id": f"{quote.value} of {vendor_label(client, vendor)}, the selected quote, "
                    "derived from step 3",
        "baseline": f"{res.baseline[0]}, from roi.yaml",
        "horizon_months": f"{sc.planning_horizon_months} months, the planning horizon in "
                          "scenario.yaml",
        "discount_rate": f"{pct(sc.discount_rate)} a year, from scenario.yaml",
        "actuals_file": "roi_actuals.csv of the client folder" if actuals else
                        "none in the client folder: the business case before signing"}
    assert res.case.baseline == client.roi.baseline
    given = roi.run(client, draws=500, quote_id=quote.value, baseline="same_service",
                    horizon_months=24, discount_rate=0.0, actuals_file="none",
                    currency="X").headline.used
    assert given == {}


def test_risk_says_the_surge_start_and_continuity_terms_it_took(client):
    res = risk.run(client)
    cont = client.continuity
    start = risk_step.busiest_week(client)
    year, month, day = map(int, start.split("-"))
    month_name = ("January February March April May June July August September October "
                  "November December").split()[month - 1]
    o, s = cont.outage, cont.surge
    options = ", ".join(f"{x.name} {pct(x.share, 0)}" for x in o.options)
    assert res.headline.used == {
        "currency_label": currency_text(client),
        "surge_start": f"{day} {month_name} {year}, the start of the busiest week in "
                       "demand_intervals.csv",
        "seats_per_day": f"{s.seats_per_day:g} seats a day, from continuity.yaml",
        "lead_days": f"{s.lead_days} day{'s' if s.lead_days != 1 else ''}, from "
                     "continuity.yaml",
        "outage_hours": f"{o.hours:g} hours, from continuity.yaml",
        "site_share": f"{pct(o.site_share, 0)} of the vendor's agents, from continuity.yaml",
        "outages_per_year": f"{o.outages_per_year:g} outages a year, from continuity.yaml",
        "backup_share": f"each option's own ({options}), from continuity.yaml"}
    if client.currency == "TWD":
        assert res.headline.used["surge_start"].startswith("18 August 2025, ")
    # 0 seats, no lead time, no outage, no backup: given, so not "from the files"
    given = risk.run(client, surge_start=start, seats_per_day=0, lead_days=0,
                     outage_hours=4, site_share=0.5, outages_per_year=0,
                     backup_share=0).headline.used
    assert given == {"currency_label": currency_text(client)}


def test_risk_seats_without_a_ramp_in_continuity_come_from_the_vendor(hk_client):
    cont = hk_client.continuity
    bare = dataclasses.replace(hk_client, continuity=cont.model_copy(update={
        "surge": cont.surge.model_copy(update={"seats_per_day": None})}))
    res = risk.run(bare, surge_days=3)
    vendor = res.surge.vendor_id
    week = float(hk_client.vendors.set_index("vendor_id").loc[vendor, "surge_seats_per_week"])
    assert res.headline.used["seats_per_day"] == (
        f"{week / 7:,.1f} seats a day: the {week:,.0f} surge seats a week of "
        f"{vendor_label(hk_client, vendor)} in vendors.csv, over 7 days")
    assert res.headline.used["surge_start"].endswith(
        ", the start of the busiest 3 days in demand_intervals.csv")


def test_risk_lead_days_left_out_of_continuity_is_said_to_be_the_default(sample_client):
    cont = sample_client.continuity
    terms = cont.surge.model_dump(exclude={"lead_days"})
    bare = dataclasses.replace(sample_client, continuity=cont.model_copy(update={
        "surge": type(cont.surge)(**terms)}))
    res = risk.run(bare)
    assert res.surge.lead_days == 1  # continuity.yaml's schema default
    assert res.headline.used["lead_days"] == \
        "1 day, the default when continuity.yaml gives none"


def test_maturity_says_the_answers_file_and_its_first_subject(client):
    res = maturity.run(client)
    first = res.label(res.maturity.subjects[0])
    assert res.headline.used == {
        "answers_file": "maturity_answers.yaml of the client folder",
        "subject": f"{first}, the first in maturity_answers.yaml"}
    answers = client.path / "maturity_answers.yaml"
    assert maturity.run(client, answers_file=answers,
                        subject=res.maturity.subjects[-1]).headline.used == {}


def test_the_texts_are_translated(sample_client):
    with i18n.use_language("zh-Hant"):
        used = pricing.run(sample_client).headline.used
    if i18n.catalog("zh-Hant").get((None, "{value}, from {source}")) is None:
        pytest.skip("the translations of this change are not merged into the .po file yet")
    assert used["discount_rate"] == "每年 8.0 %，取自 scenario.yaml"
