"""Step 4 (steps.contract): the payout simulated against the normal model, targets for a
chosen miss probability, changed terms, calibration, and bad SLA terms refused by name.
The credit rules themselves are tested in tests/core/test_sla.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bpo_analysis import load_client
from bpo_analysis.core import sla
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.contract import calc as contracts
from tests.conftest import copy_sample
from tests.core.test_sla import _model, _terms


# ---------------------------------------------------------------- simulation
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
    folder = copy_sample(tmp_path / "client")
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
