"""Step 6: NPV, IRR, payback and ROI against published and hand-computed values; the
closed form against the exact models it stands in for; tornado and Monte Carlo; bad input."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from scipy import special, stats

from bpo_analysis.core import costs
from bpo_analysis.data.models import Benefits
from bpo_analysis.errors import InputError
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import model as roi
from bpo_analysis.steps.sourcing.horizon import horizon_costs
from bpo_analysis.steps.sourcing.options import SourcingInputs

MONTHLY_8 = 1.08 ** 12 - 1  # an annual rate whose monthly equivalent is 8 %


def _case(h: int = 12, fees: float = 100_000, avoided: float = 200_000, **kw) -> roi.BusinessCase:
    """A hand-made case: the vendor bills ``fees`` a month, the in-house centre (people
    only, all of it avoidable from go-live) costs ``avoided`` a month."""
    t = np.arange(h + 1)
    base = {"volume": 1.0, "aht": 1.0, "wage_inflation": 0.03, "price_escalation": 0.02,
            "churn_reduction": 0.0, "transition_overrun": 0.0, "customer_value": 0.0,
            "fcr_after": 0.0}
    base.update(kw.pop("base", {}))
    return roi.BusinessCase(
        months=pd.period_range("2025-12", periods=h + 1, freq="M"), currency="TWD",
        discount_rate=kw.pop("discount_rate", 0.08), contract_term=kw.pop("contract_term", h),
        base=base, fees=np.where(t > 0, fees, 0.0), management=np.zeros(h + 1),
        inhouse={"people": np.where(t > 0, avoided, 0.0)},
        avoid={"people": (t > 0).astype(float)}, contacts=np.where(t > 0, 10_000.0, 0.0),
        **kw)


# ---------------------------------------------------------------- published values
def test_npv_matches_numpy_financial_documented_example():
    # numpy-financial's npv docstring: npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000])
    # = 3065.22 (t = 0 first); here the same at the annual rate of 8 % a month
    flows = np.array([-40_000.0, 5_000, 8_000, 12_000, 30_000])
    assert roi.npv(flows, MONTHLY_8)[0] == pytest.approx(3065.2226681, rel=1e-9)
    rng = np.random.default_rng(1)
    many = rng.normal(0, 1e6, (50, 37))
    monthly = (1 + 0.08) ** (1 / 12) - 1
    np.testing.assert_allclose(roi.npv(many, 0.08), [npf.npv(monthly, f) for f in many])


def test_irr_matches_numpy_financial_documented_examples():
    # numpy-financial's irr docstring: irr([-100, 39, 59, 55, 20]) = 0.28095 (a period)
    value, note = roi.irr(np.array([-100.0, 39, 59, 55, 20]))
    assert value == pytest.approx(1.28094842 ** 12 - 1, rel=1e-7)
    assert note == "monthly IRR annualised"
    # ... and irr([-5, 10.5, 1, -8, 1]) = 0.0886: three sign changes, said so
    value, note = roi.irr(np.array([-5.0, 10.5, 1, -8, 1]))
    assert value == pytest.approx(1.08860 ** 12 - 1, rel=1e-4)
    assert note.startswith("3 sign changes")


@pytest.mark.parametrize("flows, words", [
    ([0.0, 10, 10], "never negative"),
    ([-10.0, -5, 0], "never positive"),
])
def test_irr_without_a_sign_change_is_undefined_and_says_why(flows, words):
    value, note = roi.irr(np.array(flows))
    assert value is None and note.startswith("undefined") and words in note


def test_payback_simple_and_discounted_by_hand():
    flows = np.array([-100.0, 30, 40, 50, 20])
    assert roi.payback(flows)[0] == pytest.approx(2 + 30 / 50)
    # at 10 % a month: discounted 27.27, 33.06, 37.57, 13.66 -> 3 + 2.1037 / 13.6603
    assert roi.payback(flows, 1.1 ** 12 - 1)[0] == pytest.approx(3.15400, abs=1e-5)
    assert np.isnan(roi.payback(np.array([-100.0, 10, 10]))[0])  # not within the horizon
    assert roi.payback(np.array([5.0, 10, 10]))[0] == 0.0  # never below zero
    # back below zero later: payback is when it is positive for good
    assert roi.payback(np.array([-10.0, 20, -20, 20]))[0] == pytest.approx(2 + 10 / 20)


def test_seed_004_example_pay_100k_avoid_200k():
    # seed 004: pay 100k a month for the vendor, avoid 200k of internal cost -> the move
    # returns its cost again (ROI 100 %) and saves half of the in-house cost
    case = _case()
    m = roi.measures(case)
    assert m.roi == pytest.approx(1.0) and m.saving_rate == pytest.approx(0.5)
    assert m.payback == 0.0 and m.irr is None and "never negative" in m.irr_note
    assert m.npv == pytest.approx(100_000 * sum(1.08 ** (-t / 12) for t in range(1, 13)))
    # ... and churn falls 5 %: 10,000 customers, 24 % a year, 1,000 each
    churn = _case(benefits=Benefits(customers=10_000, churn_rate_annual=0.24),
                  base={"churn_reduction": 0.05, "customer_value": 1_000})
    lines = roi.line_flows(churn)
    np.testing.assert_allclose(lines["Churn avoided"][0][1:], 10_000 * 0.24 / 12 * 0.05 * 1_000)


def test_one_offs_severance_and_hidden_costs_make_the_payback():
    case = _case(setup_fee=50_000, transition=150_000, severance=100_000, retained_share=0.1)
    m = roi.measures(case)
    # 300k up front, then 200k - 110k = 90k a month: 3 + 30 / 90 months
    assert m.payback == pytest.approx(3 + 30 / 90)
    assert m.costs == pytest.approx(300_000 + 12 * 110_000)
    flows = roi.cash_flows(case)
    assert flows.loc[flows["t"] == 0, "amount"].sum() == pytest.approx(-300_000)
    assert flows.groupby("line")["amount"].sum()["Retained (hidden) costs"] == pytest.approx(
        -0.1 * 12 * 100_000)


# ---------------------------------------------------------------- drivers
def test_drivers_move_each_line_by_its_formula():
    t = np.arange(25)
    case = _case(h=24, escalation_power=np.where(t > 12, 1, 0), wage_power=np.where(t > 0, 1, 0),
                 transition=100_000, benefits=Benefits(fcr_before=0.7), unit_cost=50.0,
                 base={"fcr_after": 0.75})
    lines = roi.line_flows(case, {"price_escalation": 0.05, "wage_inflation": 0.06,
                                  "volume": 1.1, "transition_overrun": 0.5, "fcr_after": 0.8})
    fees = lines["Service fees"][0]
    assert fees[5] == pytest.approx(110_000)  # per call: fees follow volume
    assert fees[20] == pytest.approx(110_000 * 1.05 / 1.02)  # escalated from year 2
    assert lines["In-house cost avoided"][0][5] == pytest.approx(200_000 * 1.1 * 1.06 / 1.03)
    assert lines["Transition (client)"][0][0] == pytest.approx(150_000)
    assert lines["Fewer repeat contacts"][0][5] == pytest.approx(11_000 * 0.1 * 50)


def test_power_law_is_exact_at_low_base_and_high_volume(sample_client):
    case = roi_case.business_case(sample_client)
    low, high = case.ranges["volume"]
    plans = pricing.Plans(sample_client)
    for v in (low, 1.0, high):
        term = pricing.term_costs(sample_client, pricing.PricingInputs(
            volume_scale=v, term_months=case.horizon), plans)
        exact = term.query("quote_id == 'Q07' and component == 'Service fees'")["amount"].sum()
        closed = roi.line_flows(case, {"volume": v})["Service fees"][0].sum()
        assert closed == pytest.approx(exact, rel=1e-9), v


def test_transition_follows_the_seats_at_low_and_high_volume(sample_client):
    case = roi_case.business_case(sample_client)
    plans = pricing.Plans(sample_client)
    for v in case.ranges["volume"]:
        term = pricing.term_costs(sample_client, pricing.PricingInputs(
            volume_scale=v, term_months=case.horizon), plans)
        q = term[(term["quote_id"] == "Q07") & term["component"].str.startswith("Transition")]
        closed = roi.line_flows(case, {"volume": v})["Transition (client)"][0][0]
        assert closed == pytest.approx(q["amount"].sum(), rel=1e-9), v


def test_the_case_is_the_package_models(sample_client):
    case = roi_case.business_case(sample_client)
    term = pricing.term_costs(sample_client, pricing.PricingInputs(term_months=36))
    q = term[term["quote_id"] == "Q07"].groupby("component")["amount"].sum()
    flows = roi.cash_flows(case).groupby("line")["amount"].sum()
    assert -flows["Service fees"] == pytest.approx(q["Service fees"])
    assert -flows["Retained (hidden) costs"] == pytest.approx(
        q[q.index.str.startswith("Retained")].sum())
    assert -flows["Transition (client)"] == pytest.approx(
        q[q.index.str.startswith("Transition")].sum())
    assert -flows["Severance"] == pytest.approx(1.5 * 37_000 * 82)  # roi.yaml x the payroll
    # as_is: the people of today's payroll grow with volume and wages; a month's notice
    items = costs.inhouse_baseline(sample_client.inhouse)
    people = items.loc[items["group"] == "people", "monthly"].sum()
    avoided = roi.line_flows(case)["In-house cost avoided"][0]
    assert avoided[1] == 0.0
    assert avoided[2] == pytest.approx(people * 1.06 * 1.03)  # facilities still on lease


def test_same_service_baseline_is_notebook_01s_in_house_centre(sample_client):
    case = roi_case.business_case(sample_client, baseline="same_service")
    inputs = SourcingInputs(price_per_contact=0.0, price_per_seat=0.0)
    h = horizon_costs(sample_client, inputs)
    inhouse = h.loc[h["option"] == "In-house", "amount"].sum()
    assert roi.measures(case).baseline == pytest.approx(inhouse, rel=1e-9)
    assert "at the same targets" in case.label


# ---------------------------------------------------------------- sensitivity
def test_tornado_is_the_npv_at_each_end(sample_client):
    case = roi_case.business_case(sample_client)
    t = roi.tornado(case)
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    for row in t.itertuples():
        for value, npv in ((row.low, row.npv_low), (row.high, row.npv_high)):
            assert roi.measures(case, {row.driver: value}).npv == pytest.approx(npv)
    assert t.attrs["npv"] == pytest.approx(roi.measures(case).npv)


@pytest.mark.parametrize("low, mode, high", [(0.02, 0.04, 0.08), (0.0, 0.0, 1.0),
                                            (-3.0, 5.0, 5.0), (1e6, 1.2e6, 2e6)])
def test_triangular_quantiles_equal_scipys_to_the_last_bit(low, mode, high):
    q = np.concatenate([np.linspace(0, 1, 1001), np.random.default_rng(1).random(10_000)])
    expected = stats.triang.ppf(q, (mode - low) / (high - low), loc=low, scale=high - low)
    np.testing.assert_array_equal(roi.triangular_ppf(q, low, mode, high), expected)


def test_draws_are_triangular_and_correlated(sample_client):
    case = roi_case.business_case(sample_client)
    d = roi.draw_drivers(case, 100_000, seed=3)
    for name, (low, high) in case.ranges.items():
        mode = case.base[name]
        assert low <= d[name].min() and d[name].max() <= high
        assert d[name].mean() == pytest.approx((low + mode + high) / 3, rel=0.01), name
    # the normal scores behind the draws carry roi.yaml's correlations
    def scores(name):
        low, high = case.ranges[name]
        c = (case.base[name] - low) / (high - low)
        return special.ndtri(stats.triang.cdf(d[name], c, loc=low, scale=high - low))
    assert np.corrcoef(scores("wage_inflation"), scores("price_escalation"))[0, 1] == \
        pytest.approx(0.6, abs=0.01)
    assert np.corrcoef(scores("volume"), scores("aht"))[0, 1] == pytest.approx(0, abs=0.01)
    again = roi.draw_drivers(case, 100_000, seed=3)
    assert all(np.array_equal(d[k], again[k]) for k in d)


def test_simulation_is_the_npv_and_payback_of_every_draw(sample_client):
    case = roi_case.business_case(sample_client)
    sim = roi.simulate(case, 5_000, seed=1)
    net = roi.net_flows(case, roi.draw_drivers(case, 5_000, seed=1))
    np.testing.assert_allclose(sim.npv, roi.npv(net, case.discount_rate))
    np.testing.assert_allclose(sim.payback, roi.payback(net), equal_nan=True)
    assert sim.p_positive == pytest.approx((roi.npv(net, 0.08) > 0).mean())
    paid = np.nan_to_num(roi.payback(net), nan=np.inf) <= case.contract_term
    assert sim.p_payback_within_term == pytest.approx(paid.mean())
    # a slider value moves the mode: more churn effect, better odds
    assert roi.simulate(case, 5_000, 1, {"churn_reduction": 0.07}).p_positive > sim.p_positive


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("rate", [-1.0, -1.5, float("nan")])
def test_discount_rate_at_or_below_minus_100_percent_is_refused(sample_client, rate):
    with pytest.raises(InputError, match=r"'discount_rate'.*above -1"):
        roi_case.business_case(sample_client, discount_rate=rate)
    with pytest.raises(InputError, match="'discount_rate'"):
        roi.npv(np.array([-1.0, 2.0]), rate)


@pytest.mark.parametrize("months", [0, -3, 1.5])
def test_a_horizon_of_no_months_is_refused(sample_client, months):
    with pytest.raises(InputError, match=r"'horizon_months'.*whole months"):
        roi_case.business_case(sample_client, horizon_months=months)
    with pytest.raises(InputError, match="'horizon_months'"):
        _case(h=0)


def test_a_draw_with_min_above_max_is_refused():
    with pytest.raises(InputError, match=r"ranges\['volume'\].*min <= max"):
        _case(ranges={"volume": (1.2, 0.8)})
    case = _case(ranges={"volume": (0.8, 1.2)})
    with pytest.raises(InputError, match=r"'volume' = 1.5.*within its range 0.8 .. 1.2"):
        roi.draw_drivers(case, 10, at={"volume": 1.5})
    with pytest.raises(InputError, match="'draws'"):
        roi.draw_drivers(case, 0)


def test_unknown_driver_and_quote_are_refused(sample_client):
    with pytest.raises(InputError, match=r"'drivers'.*'speed'"):
        roi.measures(roi_case.business_case(sample_client), {"speed": 2.0})
    with pytest.raises(InputError, match="'quote_id' = 'Q99'"):
        roi_case.business_case(sample_client, quote_id="Q99")
    with pytest.raises(InputError, match=r"'customer_value' = nan.*a finite number"):
        roi.measures(roi_case.business_case(sample_client), {"customer_value": np.nan})
    with pytest.raises(InputError, match="'baseline' = 'cheapest'"):
        roi_case.business_case(sample_client, baseline="cheapest")
