"""Step 3: quotes over the contract, TCO, unit costs, risk, suspicious bids, bad input."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from bpo_analysis import load_client
from bpo_analysis.core import costs
from bpo_analysis.errors import DataError, DataWarning, InputError
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.pricing import step as pricing_step
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def plans(sample_client):
    return pricing.Plans(sample_client)


@pytest.fixture(scope="module")
def term(sample_client, plans):
    return pricing.term_costs(sample_client, plans=plans)


def _month(term, qid, component, t):
    rows = term[(term["quote_id"] == qid) & (term["component"] == component) & (term["t"] == t)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_service_fees_grow_with_volume_and_escalate_from_the_quotes_year(
        sample_client, term):
    d = sample_client.demand
    # t = 15 is March 2027: the demand of March 2025 grown twice by 6 %; Q02 (per call,
    # band 60,000 +-10 %, 10 % above it) escalates 2.5 % from its year 2
    march = float(d.loc[d["interval_start"].dt.month == 3, "contacts"].sum()) * 1.06**2
    bill = costs.shared_by_month(pd.Series([march]), 92, monthly_minimum=300_000,
                                 committed=60_000, band_share=0.1,
                                 above_factor=1.1).to_numpy().sum()
    row = _month(term, "Q02", "Service fees", 15)
    assert str(row["month"]) == "2027-03"
    assert row["amount"] == pytest.approx(bill * 1.025)
    assert row["contacts"] == pytest.approx(march)
    first = _month(term, "Q02", "Management fee", 1)  # year 1: no escalation yet
    assert first["amount"] == 60_000 and str(first["month"]) == "2026-01"
    assert _month(term, "Q02", "Management fee", 36)["amount"] == pytest.approx(
        60_000 * 1.025**2)


def test_what_is_not_on_the_quote(sample_client, term, plans):
    tco = sample_client.tco
    q = "Q01"
    plan = plans.at(1.06)  # the first contract year's volume
    hours = (plan["scheduled"] * 0.5).groupby(plan["interval_start"].dt.to_period("M")).sum()
    seats = int(np.ceil(hours.max() / 174))
    assert _month(term, q, "Transition: CTI and seat set-up", 0)["amount"] == seats * 9_000
    assert _month(term, q, "Transition: initial training", 0)["amount"] == seats * 14_000
    assert _month(term, q, "Transition: extra channels", 0)["amount"] == 2 * 120_000
    assert _month(term, q, "Transition: CRM integration", 0)["amount"] == 450_000
    assert _month(term, q, "Vendor set-up fee", 0)["amount"] == 1_200_000
    t7 = _month(term, q, "Service fees", 7)["amount"] + _month(term, q, "Management fee", 7)[
        "amount"]
    assert _month(term, q, "Retained: vendor management", 7)["amount"] == pytest.approx(
        0.025 * t7)
    bills = term[(term["quote_id"] == q) & term["component"].isin(
        ["Service fees", "Management fee"])].groupby("t")["amount"].sum()
    assert _month(term, q, "Exit / transition back", 36)["amount"] == pytest.approx(
        tco.exit_months_of_fees * bills.mean())
    # Q05 covers voice only: no extra channel to set up
    assert _month(term, "Q05", "Transition: extra channels", 0)["amount"] == 0


def test_present_value_timing(term):
    setup = _month(term, "Q01", "Vendor set-up fee", 0)
    assert setup["pv"] == setup["amount"] == 1_200_000  # paid at the start: not discounted
    first = _month(term, "Q01", "Management fee", 1)
    assert first["pv"] == pytest.approx(80_000 / 1.08 ** (1 / 12))
    last = _month(term, "Q01", "Exit / transition back", 36)
    assert last["pv"] == pytest.approx(last["amount"] / 1.08**3)


def test_exit_and_escalation_of_a_per_call_quote_by_hand(sample_client, term):
    # Q05: voice only, 58 per call, fee 30,000, +2 % a year from contract year 2
    d = sample_client.demand
    voice = d[d["channel"] == "voice"].groupby(d["interval_start"].dt.month)["contacts"].sum()
    bills = []
    for t in range(1, 37):
        month, year = (t - 1) % 12 + 1, (t - 1) // 12 + 1
        grown = voice[month] * 1.06**year  # 2026 is one year after the demand year
        bills.append((grown * 58 + 30_000) * 1.02 ** (year - 1))
    assert _month(term, "Q05", "Exit / transition back", 36)["amount"] == pytest.approx(
        np.mean(bills))


def test_escalation_from_year_one_reaches_the_first_year_figures(sample_client, plans):
    client = _quotes_with(sample_client, "Q05", escalation_from_year=1)
    u = pricing.unit_costs(client, plans=plans)
    t = pricing.term_costs(client, plans=plans)
    year1 = t[(t["quote_id"] == "Q05") & t["component"].isin(["Service fees", "Management fee"])
              & t["t"].between(1, 12)]["amount"].sum()
    assert u.loc["Q05", "year_cost"] == pytest.approx(year1)
    assert year1 == pytest.approx(pricing.unit_costs(sample_client, plans=plans).loc[
        "Q05", "year_cost"] * 1.02)


def test_tco_present_value_and_per_contact(sample_client, term):
    terms = sample_client.quotes.set_index("quote_id")["contract_term_months"]
    s = pricing.tco_summary(term, 0.08, terms)
    g = term[term["quote_id"] == "Q07"]
    flows = g.groupby("t")["amount"].sum()
    assert s.loc["Q07", "pv"] == pytest.approx(npf.npv(1.08 ** (1 / 12) - 1, flows.to_numpy()))
    assert s.loc["Q07", "pv"] == pytest.approx(g["pv"].sum())  # the same, row by row
    assert s.loc["Q07", "per_contact"] == pytest.approx(flows.sum() / g["contacts"].sum())
    assert s["per_contact"].is_monotonic_increasing
    assert s.loc["Q02", "contract_term"] == 24 and s.loc["Q02", "months"] == 36
    assert (s["not_on_quote"] > 0.03).all() and (s["not_on_quote"] < 0.2).all()


def test_unit_costs_and_who_carries_the_forecast_risk(sample_client, plans):
    u = pricing.unit_costs(sample_client, plans=plans)
    # per seat: the contracted seats stay when volume falls short, so the bill does not
    q01 = u.loc["Q01"]
    assert q01["shortfall_risk"] == pytest.approx(0.2 * q01["year_cost"])
    assert q01["unit_swing"] > 0.2
    # per call without a band or a binding minimum: the bill follows volume exactly
    q05 = u.loc["Q05"]
    assert abs(q05["unit_swing"]) < 0.01
    assert q05["shortfall_risk"] == pytest.approx(0.2 * 30_000 * 12)  # only the fee stays
    # per contact and per productive hour at the forecast, by hand for Q04
    plan = plans.at(1.06)
    hours = float((plan["required"] * 0.5).sum())
    assert u.loc["Q04", "per_hour"] == pytest.approx((hours * 520 + 12 * 70_000) / hours)
    assert u.loc["Q04", "per_contact"] == pytest.approx(
        (hours * 520 + 12 * 70_000) / float(plan["contacts"].sum()))


def test_the_bid_below_the_labour_floor_is_flagged_with_its_reason(sample_client, plans):
    u = pricing.unit_costs(sample_client, plans=plans)
    f = pricing.suspicious_bids(sample_client, u)
    floor = 28_590 * 1.30 / (174 * 0.72)
    assert f["labour_floor"].iloc[0] == pytest.approx(floor)
    assert f.index[f["flagged"]].tolist() == ["Q08"]
    q08 = f.loc["Q08"]
    assert q08["driver"] == "labour floor and peer median"
    be = q08["rate"] * 174 * 0.72 / 1.30  # the wage floor at which the bid would be viable
    assert f"wage floor is {be:,.0f} or less" in q08["reason"]
    assert "New Taipei" in q08["reason"]
    # the same bid from a Manila head office clears the (lower) floor there
    vendors = sample_client.vendors.copy()
    vendors.loc[vendors["vendor_id"] == "V03", "hq_city"] = "Manila"
    manila = dataclasses.replace(sample_client, vendors=vendors)
    g = pricing.suspicious_bids(manila, u)
    assert g.loc["Q08", "labour_floor"] == pytest.approx(8_200 * 1.30 / (174 * 0.72))
    assert g.loc["Q08", "driver"] == "peer median"


def test_cost_curves_and_break_evens(sample_client, plans):
    curves = pricing.cost_curves(sample_client, plans=plans, scales=[0.5, 1.0, 1.5])
    assert list(curves.columns[2:]) == list(sample_client.quotes["quote_id"])
    assert (np.diff(curves["Q05"]) > 0).all()  # per call follows volume
    channels = dict(zip(sample_client.quotes["quote_id"], sample_client.quotes["channel"],
                        strict=True))
    fine = pricing.cost_curves(sample_client, plans=plans)
    be = pricing.break_evens(fine, channels)
    assert "Q02 = Q03" in set(be["quotes"])
    assert not be["quotes"].str.contains("Q05").any()  # voice only: no all-channel pair
    x = fine["contacts_per_month"]
    for _, r in be.iterrows():
        a, b = r["quotes"].split(" = ")
        at = r["contacts_per_month"]
        below, above = at * 0.97, at * 1.03
        assert np.interp(below, x, fine[r["cheaper below"]]) < np.interp(
            below, x, fine[b if r["cheaper below"] == a else a])
        assert np.interp(above, x, fine[r["cheaper above"]]) < np.interp(
            above, x, fine[b if r["cheaper above"] == a else a])
    # per seat: the forecast's seats stay below the forecast, so the bill does not fall
    low = curves.loc[curves["scale"] == 0.5, "Q01"].iloc[0]
    mid = curves.loc[curves["scale"] == 1.0, "Q01"].iloc[0]
    assert low == mid
    fc = pricing.forecast_contacts(sample_client)
    assert fc == pytest.approx(sample_client.demand["contacts"].sum() * 1.06 / 12)


def test_a_minimum_no_volume_reaches_warns(sample_client, plans):
    q = sample_client.quotes.copy()
    q.loc[q["quote_id"] == "Q05", "monthly_minimum"] = 50_000_000
    client = dataclasses.replace(sample_client, quotes=q)
    curves = pricing.cost_curves(client, plans=pricing.Plans(client, calendar=plans.calendar,
                                                             _cache=plans._cache),
                                 scales=[0.5, 1.6])
    with pytest.warns(DataWarning, match="quote Q05 of vendor V05: monthly_minimum"):
        notes = pricing.minimum_warnings(client, curves)
    assert len(notes) == 1


def _quotes_with(sample_client, quote_id, **changes):
    q = sample_client.quotes.copy()
    for k, v in changes.items():
        q.loc[q["quote_id"] == quote_id, k] = v
    return dataclasses.replace(sample_client, quotes=q)


@pytest.mark.parametrize("quote, column, value, row, phrase", [
    ("Q05", "unit_price", 0.0, 6, "has no price per call"),
    ("Q03", "unit_price", np.nan, 4, "has no price per handle minute"),
    ("Q04", "unit_price", 0.0, 5, "has no price per productive hour"),
    ("Q01", "unit_price", np.nan, 2, "has no price per seat-month"),
    ("Q06", "unit_price", 0.0, 7, "has no overflow price per call"),
    ("Q06", "seat_price_monthly", np.nan, 7, "(hybrid) has no seat price"),
])
def test_a_quote_without_a_price_for_its_model_is_refused(sample_client, quote, column,
                                                          value, row, phrase):
    client = _quotes_with(sample_client, quote, **{column: value})
    with pytest.raises(DataError) as err:
        pricing.check_quotes(client)
    vendor = sample_client.quotes.set_index("quote_id").loc[quote, "vendor_id"]
    assert f"quote {quote} of vendor {vendor} {phrase}" in str(err.value)
    assert err.value.column == column and err.value.row == row


def test_an_empty_price_is_refused_at_load(tmp_path):
    folder = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    path = folder / "quotes.csv"
    q = pd.read_csv(path, dtype=str, keep_default_na=False)
    q.loc[q["quote_id"] == "Q03", "unit_price"] = ""
    q.to_csv(path, index=False)
    with pytest.raises(DataError, match="quote Q03 of vendor V03 has no price per handle"):
        load_client(folder)


def test_per_seat_quoted_without_seats_is_refused(sample_client, plans):
    client = _quotes_with(sample_client, "Q07", seats_quoted=np.nan)
    with pytest.raises(DataError, match="quote Q07 of vendor V02 names no seats"):
        pricing.unit_costs(client, pricing.PricingInputs(seats="quoted"), plans)


@pytest.mark.parametrize("changes", [
    {"committed_contacts_monthly": 64_000},                     # 57,600-70,400 vs 54-66k
    {"channel": "voice"},                                       # "all" covers voice too
    {"band_share": 0.0, "committed_contacts_monthly": 60_000},  # a point inside the band
])
def test_overlapping_volume_bands_are_refused(sample_client, changes):
    extra = sample_client.quotes[sample_client.quotes["quote_id"] == "Q02"].assign(
        quote_id="Q09", **changes)
    extra.index = [99]
    client = dataclasses.replace(sample_client,
                                 quotes=pd.concat([sample_client.quotes, extra]))
    with pytest.raises(DataError, match="vendor V02's volume bands overlap: quotes Q02 and Q09"):
        pricing.check_quotes(client)
    apart = extra.assign(committed_contacts_monthly=90_000)  # 81-99k: clear of the other
    pricing.check_quotes(dataclasses.replace(
        sample_client, quotes=pd.concat([sample_client.quotes, apart])))


@pytest.mark.parametrize("column, value, phrase", [
    ("management_fee_monthly", "-5000", "greater than or equal to 0"),
    ("annual_escalation", "0.45", "less than or equal to 0.3"),
    ("annual_escalation", "-0.2", "greater than or equal to -0.1"),
    ("pricing_model", "per_smile", "per_call"),
])
def test_bad_quote_fields_name_the_row_and_column(tmp_path, column, value, phrase):
    folder = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    path = folder / "quotes.csv"
    q = pd.read_csv(path, dtype=str, keep_default_na=False)
    q.loc[q["quote_id"] == "Q03", column] = value
    q.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.row == 4 and err.value.column == column
    assert phrase in str(err.value)
    assert "quote_id Q03, vendor_id V03" in str(err.value)  # names the quote and vendor


@pytest.mark.parametrize("kwargs, argument", [
    ({"volume_scale": 0}, "volume_scale"), ({"forecast_error": 1.0}, "forecast_error"),
    ({"term_months": 0}, "term_months"), ({"discount_rate": -1.5}, "discount_rate"),
    ({"escalation": 0.4}, "escalation"), ({"hidden_share": 0.8}, "hidden_share"),
    ({"seats": "some"}, "seats")])
def test_bad_pricing_inputs(kwargs, argument):
    with pytest.raises(InputError) as err:
        pricing.PricingInputs(**kwargs)
    assert err.value.argument == argument


def test_parameters_minus_one_mean_the_data():
    i = pricing.PricingInputs.from_parameters(term_months=0, discount_rate=-1.0,
                                              escalation=0.05, hidden_share=-1.0)
    assert (i.term_months, i.discount_rate, i.escalation, i.hidden_share) == (
        None, None, 0.05, None)


def test_step_3_needs_tco_yaml(sample_client):
    with pytest.raises(DataError, match=r"tco\.yaml"):
        pricing.term_costs(dataclasses.replace(sample_client, tco=None))


def test_sliders_of_step_3_move_the_numbers(sample_client, plans):
    base = pricing_step.price(sample_client, plans=plans)
    longer = pricing_step.price(sample_client, pricing.PricingInputs(term_months=48),
                                    plans=plans, curves=base.curves)
    assert (longer.tco["months"] == 48).all()
    hidden = pricing_step.price(sample_client, pricing.PricingInputs(hidden_share=0.09),
                                    plans=plans, curves=base.curves)
    g = hidden.term[hidden.term["component"].str.startswith("Retained")]
    bills = hidden.term[hidden.term["component"].isin(["Service fees", "Management fee"])]
    assert g["amount"].sum() == pytest.approx(0.09 * bills["amount"].sum())
