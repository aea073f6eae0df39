"""Step 6: NPV, IRR, payback and ROI against published and hand-computed values; the
closed form against the exact models it stands in for; tornado and Monte Carlo; bad input;
the business case's files (roi.yaml, roi_actuals.csv), each kind of bad input refused by
name, and the actuals against the plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from scipy import special, stats

from bpo_analysis import load_client
from bpo_analysis.core import costs
from bpo_analysis.core.inhouse import incumbent_fees
from bpo_analysis.data.io import read_roi_actuals
from bpo_analysis.data.models import Benefits
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps import pricing as pricing_step
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import model as roi
from bpo_analysis.steps.sourcing.horizon import horizon_costs
from bpo_analysis.steps.sourcing.options import SourcingInputs
from tests.conftest import SAMPLE, edit_text

MONTHLY_8 = 1.08 ** 12 - 1  # an annual rate whose monthly equivalent is 8 %
ACTUALS = SAMPLE / "roi_actuals.csv"


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
    signed = pricing_step.selected_quote(sample_client)  # noqa: F841 -- read by the query
    low, high = case.ranges["volume"]
    plans = pricing.Plans(sample_client)
    for v in (low, 1.0, high):
        term = pricing.term_costs(sample_client, pricing.PricingInputs(
            volume_scale=v, term_months=case.horizon), plans)
        exact = term.query("quote_id == @signed and component == 'Service fees'")["amount"].sum()
        closed = roi.line_flows(case, {"volume": v})["Service fees"][0].sum()
        assert closed == pytest.approx(exact, rel=1e-9), v


def test_transition_follows_the_seats_at_low_and_high_volume(sample_client):
    case = roi_case.business_case(sample_client)
    plans = pricing.Plans(sample_client)
    for v in case.ranges["volume"]:
        term = pricing.term_costs(sample_client, pricing.PricingInputs(
            volume_scale=v, term_months=case.horizon), plans)
        q = term[(term["quote_id"] == pricing_step.selected_quote(sample_client))
                 & term["component"].str.startswith("Transition")]
        closed = roi.line_flows(case, {"volume": v})["Transition (client)"][0][0]
        assert closed == pytest.approx(q["amount"].sum(), rel=1e-9), v


def test_the_case_is_the_package_models(sample_client):
    case = roi_case.business_case(sample_client)
    term = pricing.term_costs(sample_client, pricing.PricingInputs(term_months=36))
    q = term[term["quote_id"] == pricing_step.selected_quote(sample_client)].groupby(
        "component")["amount"].sum()
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
    # the incumbent's invoices (a month of 2025 on average) stop at go-live, grown with
    # volume and the vendors' yearly price escalation
    fees = incumbent_fees(sample_client).mean() * 1.06 * 1.025
    assert avoided[1] == pytest.approx(fees)  # the people still work their notice month
    assert avoided[2] == pytest.approx(people * 1.06 * 1.03 + fees)  # facilities on lease


def test_same_service_baseline_is_notebook_01s_in_house_centre(sample_client):
    case = roi_case.business_case(sample_client, baseline="same_service")
    inputs = SourcingInputs(price_per_contact=0.0, price_per_seat=0.0)
    h = horizon_costs(sample_client, inputs)
    inhouse = h.loc[h["option"] == "In-house", "amount"].sum()
    assert roi.measures(case).baseline == pytest.approx(inhouse, rel=1e-9)
    assert case.label.endswith("against the baseline “In-house centre staffed for the service "
                               "targets (same service)”")  # the money bridge's words


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


# ---------------------------------------------------------------- the business case's files
@pytest.mark.parametrize("old, new, where", [
    ("volume:             {low: 0.90, high: 1.15}", "volume:             {low: 1.15, high: 0.90}",
     r"roi.yaml, row \d+, column 'uncertainty.volume'.*low \(1.15\) is above high"),
    ("aht:                {low: 0.93", "speed:              {low: 0.93",
     r"roi.yaml, row \d+, column 'uncertainty.speed.*value 'speed'; allowed: .*'volume'"),
    ("- [churn_reduction, fcr_after, 0.5]", "- [churn_reduction, fcr_after, 1.5]",
     r"column 'correlations.1.2'"),
    ("currency: TWD\n", "currency: TWD\nquote_id: Q07\n",
     r"roi.yaml, row 4, column 'quote_id'.*'Q07'.*selected_quote: Q07 in decision.yaml"),
    ("  people:     {share: 1.0", "  people:     {share: 1.4",
     r"column 'avoidable.people.share'.*between 0 and 1"),
    ("- [churn_reduction, fcr_after, 0.5]", "- [churn_reduction, customer_value, 0.5]\n"
     "  - [customer_value, fcr_after, 0.5]",  # three in one set is fine ...
     None),
])
def test_bad_roi_yaml_is_refused_by_file_row_and_key(folder, old, new, where):
    edit_text(folder / "roi.yaml", old, new)
    if where is None:
        assert load_client(folder).roi.correlations[-1] == ("customer_value", "fcr_after", 0.5)
        return
    with pytest.raises(DataError, match=where):
        load_client(folder)


def test_correlations_no_joint_distribution_can_have_are_refused(folder):
    """Refused when the folder is loaded (issue 22), not first by step 6."""
    edit_text(folder / "roi.yaml", "- [churn_reduction, fcr_after, 0.5]",
          "- [churn_reduction, fcr_after, 0.9]\n  - [churn_reduction, customer_value, 0.9]\n"
          "  - [customer_value, fcr_after, -0.9]")
    with pytest.raises(DataError, match=r"roi.yaml, row \d+, column 'correlations': the "
                                        r"correlations contradict each other"):
        load_client(folder)


def test_a_base_outside_its_range_is_refused(folder):
    edit_text(folder / "roi.yaml", "churn_reduction:    {low: 0.0, high: 0.08}",
          "churn_reduction:    {low: 0.06, high: 0.08}")
    with pytest.raises(DataError, match=r"row 28, column 'uncertainty.churn_reduction': the "
                                        r"range of churn_reduction leaves out its base value "
                                        r"0.05 \(benefits.churn_reduction\)"):
        load_client(folder)


def test_the_signed_quotes_escalation_outside_its_range_is_refused_by_the_step(folder):
    """No quote is selected at load: step 6 checks the one it signs."""
    edit_text(folder / "roi.yaml", "price_escalation:   {low: 0.0, high: 0.045}",
              "price_escalation:   {low: 0.0, high: 0.035}")
    client = load_client(folder)  # Q04 is not chosen yet: its 4 % is not known to be wrong
    with pytest.raises(DataError, match=r"column 'uncertainty.price_escalation': the range of "
                                        r"price_escalation leaves out its base value 0.04 "
                                        r"\(the signed quote's annual_escalation\)"):
        roi_case.business_case(client, quote_id="Q04")


def test_a_driver_range_outside_what_it_can_be_is_refused(folder):
    edit_text(folder / "roi.yaml", "volume:             {low: 0.90",
              "volume:             {low: 0.0")
    with pytest.raises(DataError, match=r"roi.yaml, row \d+, column 'uncertainty.volume.low': "
                                        r".*allowed: a multiple of the forecast > 0"):
        roi_case.business_case(load_client(folder))


def test_a_case_without_uncertain_drivers_still_reports(folder, sample_client):
    from bpo_analysis.steps import roi as roi_step
    from bpo_analysis.widgets import roi_dashboard

    text = (folder / "roi.yaml").read_text(encoding="utf-8")
    (folder / "roi.yaml").write_text(text[:text.index("uncertainty:")], encoding="utf-8")
    res = roi_step.run(load_client(folder), draws=1_000)
    assert res.tornado.empty and res.tornado.attrs["npv"] == pytest.approx(res.measures.npv)
    assert res.measures.npv == pytest.approx(
        roi_step.run(sample_client, draws=1_000).measures.npv)
    assert np.ptp(res.simulation.npv) == 0  # nothing uncertain: every draw the same
    dash = roi_dashboard(res)
    dash.controls["churn_reduction"].value = 0.02
    assert dash.state["result"].measures.npv < res.measures.npv


def test_a_folder_without_roi_yaml_says_what_step_6_needs(folder):
    (folder / "roi.yaml").unlink()
    client = load_client(folder)  # the other steps do not need it
    with pytest.raises(DataError, match=r"roi.yaml: step 6 needs the business case"):
        roi_case.business_case(client)


@pytest.mark.parametrize("old, new, where", [
    ("2026-03,7938138,110765", "2026-03,-7938138,110765",
     r"row 5, column 'vendor_fees'.*-7938138"),
    ("0.75,0.84", "75,0.84", r"row 5, column 'fcr'.*write 75 % as 0.75"),
    ("2026-06,", "2026-13,", r"row 8, column 'month'"),
    ("2026-02,", "2026-01,", r"rows? .*month.*2026-01"),
])
def test_bad_actuals_are_refused_by_row_and_column(tmp_path, old, new, where):
    path = Path(shutil.copy(ACTUALS, tmp_path / "roi_actuals.csv"))
    edit_text(path, old, new)
    with pytest.raises(DataError, match=where):
        read_roi_actuals(path)


def test_actuals_without_a_cost_column_are_refused(tmp_path):
    path = tmp_path / "roi_actuals.csv"
    text = ACTUALS.read_text(encoding="utf-8").splitlines()
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != 4) for line in text]
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")  # no 'retained'
    with pytest.raises(DataError, match="retained"):
        read_roi_actuals(path)


@pytest.fixture(scope="module")
def case(sample_client):
    return roi_case.business_case(sample_client)


def test_actuals_outside_the_plan_or_with_gaps_are_refused(case):
    actuals = read_roi_actuals(ACTUALS)
    late = actuals.assign(month=actuals["month"].replace({"2026-06": "2029-06"}))
    with pytest.raises(DataError, match="row 8, column 'month': month outside the business "
                                        "case; value '2029-06'; allowed: 2025-12"):
        roi_case.plan_vs_actual(case, late, "roi_actuals.csv")
    with pytest.raises(DataError, match=r"month by month from go-live.*without gaps"):
        roi_case.plan_vs_actual(case, actuals.drop(index=3), "roi_actuals.csv")
    with pytest.raises(DataError, match="month by month from go-live"):
        roi_case.plan_vs_actual(case, actuals.iloc[3:], "roi_actuals.csv")


def test_a_month_without_contacts_is_refused_by_row(case):
    actuals = read_roi_actuals(ACTUALS)
    actuals.loc[5, "contacts"] = 0
    with pytest.raises(DataError, match=r"roi_actuals.csv, row 5, column 'contacts': no "
                                        r"contacts in a month"):
        roi_case.plan_vs_actual(case, actuals, "roi_actuals.csv")


def test_actuals_replace_the_plan_for_the_months_run(case):
    actuals = read_roi_actuals(ACTUALS)
    res = roi_case.plan_vs_actual(case, actuals)
    run = res.monthly
    fees = run.loc[run["group"] == "Vendor fees", "actual"].sum()
    assert fees == pytest.approx(-actuals["vendor_fees"].sum())
    one_off = run.loc[run["group"] == "One-off", "actual"].sum()
    assert one_off == pytest.approx(-actuals["one_off"].sum())
    assert str(res.last_month) == "2026-06"
    # after June the re-forecast is the plan, line by line
    plan = roi.line_flows(case)
    for k, v in res.lines.items():
        np.testing.assert_allclose(v[7:], plan[k][0][7:], err_msg=k)
    # avoided in-house cost at the actual volume: June ran 8 % above the plan
    june = roi.line_flows(case, {"volume": 130_409 / case.contacts[6]})
    assert res.lines["In-house cost avoided"][6] == pytest.approx(
        june["In-house cost avoided"][0][6])
    # FCR 0.77 in June, not the plan's 0.78; churn 28.9 % against 30 % before
    assert res.lines["Churn avoided"][6] == pytest.approx(
        600_000 * 0.30 / 12 * (1 - 0.289 / 0.30) * 2800)
    # an observed FCR has ramped up already: January's 0.73 counts in full
    jan = res.lines["Fewer repeat contacts"][1]
    assert jan == pytest.approx(108_505 * (0.73 - 0.72) * case.unit_cost)
    # the re-forecast NPV is the plan's plus the discounted differences of the months run
    net = run.groupby("t")[["plan", "actual"]].sum()
    disc = 1.08 ** (-net.index.to_numpy() / 12)
    assert res.reforecast.npv == pytest.approx(
        res.plan.npv + ((net["actual"] - net["plan"]) * disc).sum())
    assert res.reforecast.npv < res.plan.npv  # overrun, more vendor management, lower FCR
    # January to March report no churn rate: the plan's value stands in, and is said
    assert res.missing == (("churn_rate_annual",
                            tuple(pd.period_range("2026-01", "2026-03", freq="M"))),)


def test_actuals_default_to_the_client_folders_never_anothers(sample_client, folder):
    from bpo_analysis.steps import roi as roi_step

    own = roi_step.run(sample_client, draws=1_000)  # data/sample has roi_actuals.csv
    assert own.actual is not None and str(own.actual.last_month) == "2026-06"
    assert roi_step.run(sample_client, draws=1_000, actuals_file="none").actual is None
    (folder / "roi_actuals.csv").unlink()
    other = roi_step.run(load_client(folder), draws=1_000)
    assert other.actual is None
    assert other.headline.title.endswith("No monthly actuals in the client's files yet: this "
                                         "is the business case before signing.")
