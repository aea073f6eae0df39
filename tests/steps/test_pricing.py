"""Step 3 (steps.pricing): TCO per contact, unit costs and who carries the forecast risk,
suspicious bids, cost curves and break-evens, the step run with its sliders, bad quotes at
load. The quotes billed on the demand (core.quotes) are tested in tests/core/test_quotes.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from bpo_analysis import load_client
from bpo_analysis.errors import DataError, DataWarning
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.pricing import step as pricing_step
from tests.conftest import copy_sample
from tests.core.test_quotes import _quotes_with


@pytest.fixture(scope="module")
def plans(sample_client):
    return pricing.Plans(sample_client)


@pytest.fixture(scope="module")
def term(sample_client, plans):
    return pricing.term_costs(sample_client, plans=plans)


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


def test_an_empty_price_is_refused_at_load(tmp_path):
    folder = copy_sample(tmp_path / "client")
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


@pytest.mark.parametrize("column, value, phrase", [
    ("management_fee_monthly", "-5000", "greater than or equal to 0"),
    ("annual_escalation", "0.45", "less than or equal to 0.3"),
    ("annual_escalation", "-0.2", "greater than or equal to -0.1"),
    ("pricing_model", "per_smile", "per_call"),
])
def test_bad_quote_fields_name_the_row_and_column(tmp_path, column, value, phrase):
    folder = copy_sample(tmp_path / "client")
    path = folder / "quotes.csv"
    q = pd.read_csv(path, dtype=str, keep_default_na=False)
    q.loc[q["quote_id"] == "Q03", column] = value
    q.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.row == 4 and err.value.column == column
    assert phrase in str(err.value)
    assert "quote_id Q03, vendor_id V03" in str(err.value)  # names the quote and vendor


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
