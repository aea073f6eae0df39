"""Quotes billed on the demand (core.quotes): every pricing model by hand on the sample, the
contract term month by month (fees growing with volume and escalating, what is not on the
quote, present values, the exit), the quotes' own checks and the pricing inputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import costs, offers, quotes
from bpo_analysis.errors import DataError, InputError


@pytest.fixture(scope="module")
def plans(sample_client):
    return quotes.Plans(sample_client)


@pytest.fixture(scope="module")
def term(sample_client, plans):
    return quotes.term_costs(sample_client, plans=plans)


def _month(term, qid, component, t):
    rows = term[(term["quote_id"] == qid) & (term["component"] == component) & (term["t"] == t)]
    assert len(rows) == 1
    return rows.iloc[0]


def _quotes_with(sample_client, quote_id, **changes):
    q = sample_client.quotes.copy()
    for k, v in changes.items():
        q.loc[q["quote_id"] == quote_id, k] = v
    return dataclasses.replace(sample_client, quotes=q)


def _with_quotes(client, *new):
    """The client with quotes added: (quote id, vendor, channel, price per call), priced as
    Q05 (per call, fee 30,000 a month, set-up 300,000) without its monthly minimum."""
    template = client.quotes.set_index("quote_id").loc["Q05"]
    rows = [template.to_dict() | {"quote_id": qid, "vendor_id": vid, "channel": channel,
                                  "unit_price": price, "monthly_minimum": 0.0}
            for qid, vid, channel, price in new]
    quotes = pd.concat([client.quotes, pd.DataFrame(rows)], ignore_index=True)
    return dataclasses.replace(client, quotes=quotes.astype(client.quotes.dtypes.to_dict()))


# ---------------------------------------------------------------- one year of bills
def test_quotes_priced_on_the_sample_demand(sample_client):
    from bpo_analysis.core import costs
    from bpo_analysis.core.workforce import Calendar, staffing_plan

    d = sample_client.demand
    cal = Calendar.of(d["interval_start"])
    plan = staffing_plan(sample_client, calendar=cal)
    qc = quotes.quote_costs(sample_client, plan=plan, calendar=cal)
    by = {q: g.set_index("month") for q, g in qc.groupby("quote_id")}
    monthly = d.groupby(d["interval_start"].dt.to_period("M"))["contacts"].sum()
    # Q02 per call, band 60,000 +-10 %, 10 % above; fee 60,000
    expected = costs.shared_by_month(monthly, 92, monthly_minimum=300_000, committed=60_000,
                                     band_share=0.1, above_factor=1.1).sum(axis=1) + 60_000
    np.testing.assert_allclose(by["Q02"]["amount"], expected)
    # Q03 per handle minute, fee 45,000
    minutes = (d["contacts"] * d["aht_s"].fillna(0) / 60).groupby(
        d["interval_start"].dt.to_period("M")).sum()
    np.testing.assert_allclose(by["Q03"]["amount"],
                               np.maximum(minutes * 15.5, 200_000) + 45_000)
    # Q04 per productive hour: the agents on contacts the targets need
    hours = (plan["required"] * 0.5).groupby(plan["interval_start"].dt.to_period("M")).sum()
    np.testing.assert_allclose(by["Q04"]["amount"], hours * 520 + 70_000)
    # Q05 covers voice only
    voice = d[d["channel"] == "voice"].groupby(d["interval_start"].dt.to_period("M"))
    np.testing.assert_allclose(by["Q05"]["contacts"], voice["contacts"].sum())
    # per seat: the seats the busiest month needs, or those quoted
    need = (plan["scheduled"] * 0.5).groupby(plan["interval_start"].dt.to_period("M")).sum()
    seats = int(np.ceil(need.max() / 174))
    np.testing.assert_allclose(by["Q01"]["amount"], seats * 62_000 + 80_000)
    quoted = quotes.quote_costs(sample_client, seats="quoted", plan=plan, calendar=cal)
    assert (quoted.loc[quoted["quote_id"] == "Q01", "amount"] == 60 * 62_000 + 80_000).all()
    # hybrid: 40 seat-months at 64,000, i.e. 40 x 174 h over the busiest month's staffed
    # hours as agents at once, and the contacts above them at 88
    from bpo_analysis.core.billing import overflow_by_month

    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    staffed = np.bincount(cal.slot_month, (need > 0) * 0.5, len(cal.months))
    overflow, _ = overflow_by_month(plan, cal, 40 * 174 / staffed.max(), 30)
    np.testing.assert_allclose(by["Q06"]["amount"], 40 * 64_000 + overflow * 88 + 90_000)
    assert 0 < overflow.sum() < monthly.sum()
    summary = quotes.quote_summary(qc)
    assert summary["per_contact"].is_monotonic_increasing
    best = quotes.vendor_prices(sample_client, summary)
    assert best["V02"] == min(summary.loc["Q02", "per_contact"], summary.loc["Q07", "per_contact"])
    with pytest.raises(InputError, match="seats"):
        quotes.quote_costs(sample_client, seats="some")


# ---------------------------------------------------------------- over the contract term
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


def test_step_3_needs_tco_yaml(sample_client):
    with pytest.raises(DataError, match=r"tco\.yaml"):
        quotes.term_costs(dataclasses.replace(sample_client, tco=None))


# ---------------------------------------------------------------- the quotes' checks
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
        quotes.check_quotes(client)
    vendor = sample_client.quotes.set_index("quote_id").loc[quote, "vendor_id"]
    assert f"quote {quote} of vendor {vendor} {phrase}" in str(err.value)
    assert err.value.column == column and err.value.row == row


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
        quotes.check_quotes(client)
    apart = extra.assign(committed_contacts_monthly=90_000)  # 81-99k: clear of the other
    quotes.check_quotes(dataclasses.replace(
        sample_client, quotes=pd.concat([sample_client.quotes, apart])))


# ---------------------------------------------------------------- inputs
@pytest.mark.parametrize("kwargs, argument", [
    ({"volume_scale": 0}, "volume_scale"), ({"forecast_error": 1.0}, "forecast_error"),
    ({"term_months": 0}, "term_months"), ({"discount_rate": -1.5}, "discount_rate"),
    ({"escalation": 0.4}, "escalation"), ({"hidden_share": 0.8}, "hidden_share"),
    ({"seats": "some"}, "seats")])
def test_bad_pricing_inputs(kwargs, argument):
    with pytest.raises(InputError) as err:
        quotes.PricingInputs(**kwargs)
    assert err.value.argument == argument


def test_parameters_minus_one_mean_the_data():
    i = quotes.PricingInputs.from_parameters(term_months=0, discount_rate=-1.0,
                                              escalation=0.05, hidden_share=-1.0)
    assert (i.term_months, i.discount_rate, i.escalation, i.hidden_share) == (
        None, None, 0.05, None)


# ---------------------------------------------------------------- full-scope offers
def test_full_scope_offers_combine_one_vendors_quotes_only():
    q = pd.DataFrame({"quote_id": ["A1", "B1", "B2", "B3", "B4", "C1", "D1"],
                      "vendor_id": ["A", "B", "B", "B", "B", "C", "D"],
                      "channel": ["all", "voice", "chat", "email", "email", "voice", "email"]})
    o = offers.full_scope_offers(q, ["voice", "chat", "email"])
    # B's two email quotes make two combinations; C's voice and D's email complete no one's
    assert list(o.index) == ["A1", "B1+B2+B3", "B1+B2+B4"]
    assert o.loc["B1+B2+B4", "quotes"] == ("B1", "B2", "B4")
    assert o["combined"].tolist() == [False, True, True]
    assert o["vendor_id"].tolist() == ["A", "B", "B"]
    # a client serving voice only: a voice quote covers it all, alone
    one = offers.full_scope_offers(q, ["voice"])
    assert list(one.index) == ["A1", "B1", "C1"] and not one["combined"].any()


def test_a_combination_is_its_quotes_summed_with_the_one_off_work_once(sample_client, plans):
    client = _with_quotes(sample_client, ("Q09", "V06", "voice", 45.0),
                          ("Q10", "V06", "chat", 40.0), ("Q11", "V06", "email", 75.0))
    term = quotes.term_costs(client, plans=plans)
    o = offers.full_scope_offers(client.quotes, offers.client_channels(client))
    combo, parts = "Q09+Q10+Q11", ("Q09", "Q10", "Q11")
    assert list(o.index[o["combined"]]) == [combo]
    c = offers.offer_term_costs(term, o, client.tco)
    assert set(c["quote_id"]) == {combo} and (c["vendor_id"] == "V06").all()
    assert (c["pricing_model"] == "per_call + per_call + per_call").all()
    assert list(c.columns) == list(term.columns) and (c.dtypes == term.dtypes).all()
    # the client's one-off work that does not grow with seats is paid once, and the two
    # channels beyond the first are set up (each quote alone carries none)
    for component, amount in (("Transition: knowledge base", 320_000),
                              ("Transition: IVR flow design", 180_000),
                              ("Transition: requirement interviews", 150_000),
                              ("Transition: CRM integration", 450_000),
                              ("Transition: extra channels", 2 * 120_000)):
        assert _month(c, combo, component, 0)["amount"] == amount
        assert _month(term, "Q10", component, 0)["amount"] == (amount if "extra" not in
                                                                component else 0)
    # the rest adds up: set-up fees, seat-bound work, fees, retained costs, the exit
    assert _month(c, combo, "Vendor set-up fee", 0)["amount"] == 3 * 300_000
    for component, t in (("Transition: CTI and seat set-up", 0),
                         ("Transition: initial training", 0), ("Service fees", 13),
                         ("Management fee", 13), ("Retained: travel", 25),
                         ("Exit / transition back", 36)):
        row = _month(c, combo, component, t)
        assert row["amount"] == pytest.approx(
            sum(_month(term, q, component, t)["amount"] for q in parts))
        assert row["contacts"] == pytest.approx(
            sum(_month(term, q, component, t)["contacts"] for q in parts))
    assert c["pv"].sum() == pytest.approx(
        term.loc[term["quote_id"].isin(parts), "pv"].sum() - 2 * 1_100_000 + 240_000)
    assert offers.offer_term_costs(term, o[~o["combined"]], client.tco).empty
