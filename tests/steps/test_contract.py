"""Step 4: the KPI dictionary, the SLA rules on actual months, the payout simulation."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bpo_analysis import load_client
from bpo_analysis.core import sla
from bpo_analysis.data import kpis
from bpo_analysis.data.models import SlaTerms
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.contract import calc as contracts
from tests.conftest import SAMPLE

AGG = pd.DataFrame({
    "offered": [1000, 0], "answered": [900, 0], "answered_within_t": [760, 0],
    "abandoned": [100, 0], "abandoned_short": [40, 0], "abandoned_within_t": [30, 0],
    "wait_s": [9000.0, 0], "ring_s": [2700.0, 0], "talk_s": [216_000.0, 0],
    "hold_s": [18_000.0, 0], "acw_s": [36_000.0, 0], "handled": [900, 0],
    "repeat_7d": [180, 0], "repeat_1d": [45, 0], "surveyed": [200, 0], "csat_top2": [170, 0],
    "csat_sum": [860, 0], "nps_responses": [150, 0], "promoters": [75, 0],
    "detractors": [30, 0], "complaints": [9, 0], "qa_sum": [4400.0, 0], "qa_n": [50, 0],
    "handle_s": [270_000.0, 0], "available_s": [90_000.0, 0], "paid_s": [450_000.0, 0],
    "scheduled_s": [315_000.0, 0], "adherent_s": [283_500.0, 0], "leavers": [3, 0],
    "headcount": [60, 0]})


@pytest.mark.parametrize("kpi_id, variant, expected", [
    ("service_level", "offered", 760 / 1000), ("service_level", "answered", 760 / 900),
    ("service_level", "excl_short_abandons", 760 / 960),
    ("service_level", "abandons_within_t_met", 790 / 1000),
    ("asa", "queue", 10.0), ("asa", "incl_ring", 13.0),
    ("aht", "full", 300.0), ("aht", "talk_hold", 260.0),
    ("abandon_rate", "excl_short", 60 / 960), ("abandon_rate", "all", 0.1),
    ("occupancy", None, 0.75), ("utilisation", None, 0.6), ("shrinkage", None, 0.3),
    ("adherence", None, 0.9), ("fcr", "repeat_7d", 0.8), ("fcr", "repeat_same_day", 0.95),
    ("csat", "top2", 0.85), ("csat", "mean_of_5", 0.86), ("nps", None, 30.0),
    ("complaint_rate", None, 10.0), ("qa_score", None, 88.0),
    ("attrition", "monthly", 0.05), ("attrition", "annualised", 1 - 0.95**12),
])
def test_every_kpi_and_variant_by_hand(kpi_id, variant, expected):
    got = kpis.compute(AGG, kpi_id, variant)
    assert got.iloc[0] == pytest.approx(expected)
    assert np.isnan(got.iloc[1])  # nothing to measure: NaN, not 0 or an error


def test_variants_side_by_side_and_the_annex():
    side = kpis.side_by_side(AGG, "service_level")
    assert side.columns[0] == "offered" and side.shape == (2, 4)
    annex = kpis.annex()
    assert set(annex["id"]) == set(kpis.KPIS)
    first = annex.groupby("id", sort=False).head(1)
    assert first["canonical"].all()  # the canonical variant first for each KPI
    assert {"KPI", "formula", "unit", "variant", "data source"} <= set(annex.columns)
    assert annex["formula"].str.len().min() > 10


@pytest.mark.parametrize("args, argument", [
    (("speed_of_light",), "kpi"), (("service_level", "flattering"), "variant of service_level")])
def test_unknown_kpi_or_variant(args, argument):
    with pytest.raises(InputError) as err:
        kpis.compute(AGG, *args)
    assert err.value.argument == argument


def test_missing_aggregate_column_is_named():
    with pytest.raises(InputError, match="abandoned_short"):
        kpis.compute(AGG.drop(columns="abandoned_short"), "abandon_rate")


# ---------------------------------------------------------------- the SLA rules
def _terms(**over) -> SlaTerms:
    base = {"at_risk_share": 0.10, "cap_share": 0.10,
            "kpis": {"service_level": {"name": "SL", "unit": "share", "definition": "-",
                                       "direction": "higher", "target": 0.80,
                                       "minimum": 0.70, "allocation": 0.6},
                     "abandon_rate": {"name": "Ab", "unit": "share", "definition": "-",
                                      "direction": "lower", "target": 0.05,
                                      "minimum": 0.08, "allocation": 0.6}},
            "target_miss_rule": {"misses": 2, "months": 3}, "earn_back_months": 2,
            "bonus_after_months": 3, "bonus_share": 0.02, "bonus_cap_share": 0.03}
    return SlaTerms.model_validate({**base, **over})


def test_minimum_target_rule_cap_and_earn_back_by_hand():
    months = pd.period_range("2025-01", periods=6, freq="M")
    results = pd.DataFrame({"service_level": [0.78, 0.79, 0.65, 0.85, 0.86, 0.81],
                            "abandon_rate": [0.04, 0.04, 0.09, 0.04, 0.04, np.nan]},
                           index=months)
    invoice = pd.Series(100_000.0, index=months)
    d, m = sla.monthly_credits(results, _terms(), invoice)
    sl = d[d["kpi"] == "service_level"].set_index("month")
    assert sl["rule"].tolist() == ["-", "target 2 of 3", "minimum", "-", "-", "-"]
    # Feb: SL alone fires 0.1 x 0.6 = 6,000; Mar: both fire 12,000 -> capped at 10,000
    assert m["credits"].tolist()[:3] == [0.0, 6_000.0, 10_000.0]
    assert m["cap_applied"].tolist()[:3] == [False, False, True]
    # Mar's SL credit (5,000 after the cap) comes back in May: Apr and May on target
    assert sl.loc[pd.Period("2025-05"), "earned_back"] == 5_000.0
    # Feb's comes back in Apr? Mar missed: no
    assert sl.loc[pd.Period("2025-04"), "earned_back"] == 0.0
    # Jun: abandonment not reported -> missed, and a miss of the minimum at once
    ab = d[d["kpi"] == "abandon_rate"].set_index("month")
    assert ab.loc[pd.Period("2025-06"), "rule"] == "minimum"
    assert m["net"].sum() == pytest.approx(m["credits"].sum() - m["earned_back"].sum()
                                           - m["bonus"].sum())


def test_bonus_after_consecutive_months_and_its_yearly_cap():
    months = pd.period_range("2025-01", periods=12, freq="M")
    good = pd.DataFrame({"service_level": 0.9, "abandon_rate": 0.02}, index=months)
    invoice = pd.Series(100_000.0, index=months)
    _, m = sla.monthly_credits(good, _terms(), invoice)
    # every 3 months 2 % = 2,000, four times = 8,000, but capped at 3 % of 1.2 M = 36,000
    assert m["bonus"].sum() == pytest.approx(8_000.0)
    _, tight = sla.monthly_credits(good, _terms(bonus_cap_share=0.005), invoice)
    assert tight["bonus"].sum() == pytest.approx(6_000.0)  # 0.5 % of 1.2 M


def test_back_test_on_the_vendors_reports(sample_client):
    results, invoice = sla.report_kpis(sample_client.vendor_reports, "V02")
    assert len(results) == 24 and invoice.iloc[0] == pytest.approx(367_328 + 266_072)
    jan = sample_client.vendor_reports[sample_client.vendor_reports["month"] == "2024-01"]
    assert results["service_level"].iloc[0] == pytest.approx(
        np.average(jan["service_level"], weights=jan["contacts_offered"]))
    d, m = sla.monthly_credits(results, sample_client.sla, invoice)
    assert (m["credits"] <= 0.12 * m["invoice"] + 1e-6).all()
    fcr = d[d["kpi"] == "fcr"]
    assert (fcr["credit"] > 0).sum() >= 12  # the 0.80 FCR target is above what V02 does


# ---------------------------------------------------------------- simulation
def _model(ids, mean, sd, corr=None):
    corr = np.eye(len(ids)) if corr is None else corr
    return contracts.PerformanceModel(pd.Series(mean, index=ids), pd.Series(sd, index=ids),
                                      pd.DataFrame(corr, index=ids, columns=ids))


def test_simulated_breach_probability_matches_the_normal_model():
    one = _terms(kpis={"service_level": {"name": "SL", "unit": "share", "definition": "-",
                                         "direction": "higher", "target": 0.75,
                                         "minimum": 0.75, "allocation": 1.0}},
                 earn_back_months=0)
    model = _model(["service_level"], [0.82], [0.05])
    r = contracts.simulate_payout(one, model, 100_000.0, n=200_000, seed=1)
    p_month = stats.norm.cdf((0.75 - 0.82) / 0.05)
    assert r["p_breach"] == pytest.approx(1 - (1 - p_month) ** 12, abs=0.005)
    assert r["months_missed"]["service_level"] == pytest.approx(12 * p_month, abs=0.01)
    # each firing month costs 10 % of the invoice (allocation 1, no cap binding)
    assert r["credits"].mean() == pytest.approx(12 * p_month * 10_000.0, rel=0.01)


def test_correlated_kpis_breach_together():
    ids = ["service_level", "abandon_rate"]
    t = _terms(earn_back_months=0)
    together = contracts.simulate_payout(t, _model(ids, [0.80, 0.05], [0.05, 0.01],
                                                   [[1, -1.0], [-1.0, 1]]), 1e5, n=50_000)
    apart = contracts.simulate_payout(t, _model(ids, [0.80, 0.05], [0.05, 0.01]), 1e5,
                                      n=50_000)
    # SL up, abandonment down: with full correlation both miss in the same months, where
    # the two credits (0.6 + 0.6 of the pool) hit the 10 % cap; apart they rarely do
    assert together["p_kpi"].to_numpy() == pytest.approx(apart["p_kpi"].to_numpy(), abs=0.02)
    assert together["credits"].mean() < apart["credits"].mean()


def test_a_certain_year_gives_the_back_test_of_its_mean(sample_client):
    ids = list(sample_client.sla.kpis)
    mean = [0.83, 0.045, 0.78, 0.87, 88.0]
    r = contracts.simulate_payout(sample_client.sla, _model(ids, mean, [0.0] * 5), 700_000.0,
                                  n=10)
    # FCR 0.78 < 0.80 and QA 88 < 90 every month: after the warm-up both fire all year,
    # 12 x 700,000 x 12 % x (20 % + 20 % of the pool); nothing is earned back, no bonus
    assert r["net"] == pytest.approx(np.full(10, 12 * 700_000 * 0.12 * 0.40), rel=1e-6)
    assert r["earned_back"].max() == 0 and r["bonus"].max() == 0
    # a cold start (the first month's window empty) would miss January's credits
    months = pd.period_range("2026-01", periods=12, freq="M")
    flat = pd.DataFrame([mean] * 12, index=months, columns=ids)
    _, m = sla.monthly_credits(flat, sample_client.sla, pd.Series(700_000.0, months))
    assert m["net"].sum() == pytest.approx(11 * 700_000 * 0.12 * 0.40)


def test_target_for_a_chosen_miss_probability(sample_client):
    results, _ = sla.report_kpis(sample_client.vendor_reports, "V02")
    model = contracts.fit_performance(results[list(sample_client.sla.kpis)])
    fcr = contracts.target_for_miss_probability(model, "fcr", 2 / 12)
    assert stats.norm.cdf((fcr - model.mean["fcr"]) / model.sd["fcr"]) == pytest.approx(2 / 12)
    ab = contracts.target_for_miss_probability(model, "abandon_rate", 2 / 12)
    assert ab > model.mean["abandon_rate"]  # lower is better: the target sits above


@pytest.mark.parametrize("call, argument", [
    (lambda m: contracts.target_for_miss_probability(m, "fcr", 1.5), "probability"),
    (lambda m: contracts.fit_performance(pd.DataFrame({"fcr": [0.8, 0.7]})), "history"),
    (lambda m: contracts.PerformanceModel(m.mean, m.sd, m.corr * 2), "corr"),
    (lambda m: contracts.simulate_payout(_terms(), m, 1e5, n=0), "n"),
])
def test_bad_simulation_inputs(call, argument):
    m = _model(["service_level", "abandon_rate", "fcr"], [0.8, 0.05, 0.8], [0.05, 0.01, 0.05])
    with pytest.raises(InputError) as err:
        call(m)
    assert err.value.argument == argument


@pytest.mark.parametrize("old, new, column, phrase", [
    ("allocation: 0.35}", "allocation: -0.35}", "kpis.service_level.allocation",
     "greater than or equal to 0"),
    ("target: 0.80, minimum: 0.72, allocation: 0.35", "target: 0.70, minimum: 0.72, "
     "allocation: 0.35", "kpis.service_level", "the minimum is the worse threshold"),
    ("at_risk_share: 0.12", "at_risk_share: 1.2", "at_risk_share", "a share between 0 and 1"),
    ("  fcr:   ", "  first_call_magic:   ", "kpis.first_call_magic",
     "KPI dictionary does not define"),
    ("variant: excl_short", "variant: flattering", "kpis.abandon_rate.variant",
     "one of ['excl_short', 'all']"),
])
def test_bad_sla_terms_name_the_kpi_and_field(tmp_path, old, new, column, phrase):
    folder = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    path = folder / "sla.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.column == column and phrase in str(err.value)
    assert err.value.row is not None


def test_changed_terms_are_validated_and_named(sample_client):
    from bpo_analysis.steps.contract import views as contract_views

    t = contract_views.with_changes(sample_client.sla, "fcr", target=0.76)
    assert t.kpis["fcr"].target == 0.76 and sample_client.sla.kpis["fcr"].target == 0.80
    with pytest.raises(InputError) as err:
        contract_views.with_changes(sample_client.sla, "fcr", target=0.70)
    assert err.value.argument == "kpis.fcr" and "worse threshold" in str(err.value)
    with pytest.raises(InputError, match="one of"):
        contract_views.with_changes(sample_client.sla, "nps", target=40)


def test_calibration_months_missed_follow_the_normal_model(sample_client):
    from bpo_analysis.steps import contract
    from bpo_analysis.steps.contract import views as contract_views

    res = contract.run(sample_client, simulated_years=1_000)
    cal = contract_views.calibration(res, 2.0).set_index("KPI")
    fcr = cal.loc["fcr"]
    z = (0.80 - fcr["vendor mean"]) / fcr["vendor sd"]
    assert fcr["months missed a year"] == pytest.approx(12 * stats.norm.cdf(z))
    curves = contract_views.miss_curves(res)
    assert (np.diff(curves["fcr"]["months"]) > 0).all()  # higher target, more misses
    assert (np.diff(curves["abandon_rate"]["months"]) < 0).all()  # lower is better


def test_a_quarterly_kpi_is_judged_on_its_quarter():
    terms = _terms(kpis={"csat": {"name": "CSAT", "unit": "share", "definition": "-",
                                  "direction": "higher", "target": 0.85, "minimum": 0.80,
                                  "allocation": 0.5, "period": "quarter"}},
                   earn_back_months=0)
    months = pd.period_range("2025-01", periods=9, freq="M")
    csat = [0.86, 0.79, 0.84,   # Q1 mean 0.83: below target; Feb's 0.79 alone fires nothing
            0.84, 0.83, 0.85,   # Q2 mean 0.84: the second quarter below target of 3
            0.78, 0.80, 0.79]   # Q3 mean 0.79: below the minimum
    d, m = sla.monthly_credits(pd.DataFrame({"csat": csat}, index=months), terms,
                                     pd.Series(100_000.0, index=months))
    assert d["rule"].tolist() == ["-", "-", "-", "-", "-", "target 2 of 3", "-", "-",
                                  "minimum"]
    assert d["value"].iloc[2] == pytest.approx(0.83) and not d["missed_target"].iloc[1]
    assert m["credits"].tolist() == [0, 0, 0, 0, 0, 5_000, 0, 0, 5_000]


def test_a_quarterly_credit_is_earned_back_by_quarters():
    terms = _terms(kpis={"csat": {"name": "CSAT", "unit": "share", "definition": "-",
                                  "direction": "higher", "target": 0.85, "minimum": 0.80,
                                  "allocation": 0.5, "period": "quarter"}},
                   earn_back_months=2)
    months = pd.period_range("2025-01", periods=12, freq="M")
    csat = [0.70] * 3 + [0.90] * 9  # Q1 below the minimum, then on target
    _, m = sla.monthly_credits(pd.DataFrame({"csat": csat}, index=months), terms,
                                     pd.Series(100_000.0, index=months))
    assert m["credits"].tolist()[2] == 5_000 and m["credits"].sum() == 5_000
    # back after two quarters on target (Q2 and Q3): in September, not in May
    assert m["earned_back"].tolist() == [0] * 8 + [5_000] + [0] * 3


def test_the_bonus_cap_is_per_calendar_year():
    months = pd.period_range("2024-01", periods=24, freq="M")
    good = pd.DataFrame({"service_level": [0.9] * 12 + [0.5] * 12,
                         "abandon_rate": [0.02] * 24}, index=months)
    _, m = sla.monthly_credits(good, _terms(bonus_cap_share=0.005),
                                     pd.Series(100_000.0, months))
    # 2024: four bonuses of 2,000 capped at 0.5 % of 1.2 M; 2025: none
    assert m.loc["2024", "bonus"].sum() == pytest.approx(6_000.0)
    assert m.loc["2025", "bonus"].sum() == 0


def test_month_index_and_invoice_are_checked():
    t = _terms()
    months = pd.period_range("2025-01", periods=3, freq="M")
    res = pd.DataFrame({"service_level": [0.9] * 3, "abandon_rate": [0.02] * 3}, months)
    inv = pd.Series(100_000.0, months)
    dates = res.set_axis(months.to_timestamp())  # month-start dates are months too
    assert sla.monthly_credits(dates, t, inv.set_axis(months.to_timestamp()))[1][
        "credits"].sum() == 0
    with pytest.raises(InputError, match="2025-01 then 2025-03"):
        sla.monthly_credits(res.iloc[[0, 2]], t, inv.iloc[[0, 2]])
    with pytest.raises(InputError, match="calendar months"):
        sla.monthly_credits(res.reset_index(drop=True), t, inv.reset_index(drop=True))
    with pytest.raises(InputError) as err:
        sla.monthly_credits(res, t, inv.set_axis(months + 1))
    assert err.value.argument == "invoice"
    with pytest.raises(InputError, match="invoice of 2025-02"):
        sla.monthly_credits(res, t, pd.Series([1e5, -1.0, 1e5], months))
    m = _model(["service_level", "abandon_rate"], [0.8, 0.05], [0.05, 0.01])
    with pytest.raises(InputError) as err:
        contracts.simulate_payout(t, m, np.full(24, 1e5))
    assert err.value.argument == "invoice"


def test_kpi_ranges_and_report_columns(sample_client):
    assert kpis.KPIS["aht"].bounds == (0.0, np.inf)
    assert kpis.KPIS["nps"].bounds == (-100.0, 100.0)
    assert kpis.KPIS["attrition"].bounds == (0.0, 1.0)
    results, _ = sla.report_kpis(sample_client.vendor_reports, "V02")
    assert {"asa", "aht", "attrition", "fcr", "nps"} <= set(results.columns)


def test_a_direction_against_the_dictionary_is_refused(tmp_path):
    folder = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    path = folder / "sla.yaml"
    text = path.read_text(encoding="utf-8")
    old = "variant: excl_short, direction: lower, target: 0.05, minimum: 0.08"
    assert old in text
    path.write_text(text.replace(old, "variant: excl_short, direction: higher, target: 0.05, "
                                      "minimum: 0.02"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.column == "kpis.abandon_rate.direction" and err.value.row == 6
