"""Step 4 (steps.contract): the payout simulated against the normal model, targets for a
chosen miss probability, changed terms, calibration, and bad SLA terms refused by name.
The credit rules themselves are tested in tests/core/test_sla.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bpo_analysis import load_client
from bpo_analysis.core import sla, sla_lines
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
    results, invoice = sla_lines.report_values(sample_client.vendor_reports, "V02")
    model = contracts.fit_performance(results[sla_lines.lines(sample_client.sla,
                                                              invoice.columns)])
    fcr = contracts.target_for_miss_probability(model, "fcr@voice", 2 / 12)
    assert stats.norm.cdf((fcr - model.mean["fcr@voice"]) / model.sd["fcr@voice"]) == \
        pytest.approx(2 / 12)
    ab = contracts.target_for_miss_probability(model, "abandon_rate@chat", 2 / 12)
    assert ab > model.mean["abandon_rate@chat"]  # lower is better: the target sits above


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
    # a percentage where a share is meant: refused with the share's form
    ("target: 0.80, minimum: 0.72, allocation: 0.35", "target: 80, minimum: 72, "
     "allocation: 0.35", "kpis.service_level.target", "0.8 for 80 %"),
    ("target: 90, minimum: 85", "target: 900, minimum: 85", "kpis.qa_score.target",
     "from 0 to 100"),
    ("{misses: 2, months: 3}", "{misses: 4, months: 3}", "target_miss_rule",
     "never fire"),
    # what steps 4 and 5 cannot judge is refused when the folder is read, not by a report
    ("  fcr:   ", "  utilisation:   ", "kpis.utilisation", "state no utilisation"),
    ("variant: excl_short,", "variant: excl_short, channels: [voice, email],",
     "kpis.abandon_rate.channels", "does not apply to email"),
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


def test_a_channel_the_client_does_not_serve_is_refused(tmp_path):
    folder = copy_sample(tmp_path / "client")
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("  email: {service_level: 0.90", "  #", 1),
                        encoding="utf-8")
    path = folder / "sla.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "direction: higher, target: 0.80, minimum: 0.72, allocation: 0.20}",
        "direction: higher, target: 0.80, minimum: 0.72, allocation: 0.20, "
        "channels: [voice, email]}", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.column == "kpis.fcr.channels" and err.value.value == "email"
    assert "['voice', 'chat']" in str(err.value) and err.value.row == 7  # fcr's line


def _with_email_rows(folder, first_reply_s: float) -> None:
    """Give the incumbent an email channel: a first reply of hours, in the asa_s column."""
    path = folder / "vendor_monthly_reports.csv"
    reports = pd.read_csv(path)
    email = reports[reports["channel"] == "chat"].assign(
        channel="email", asa_s=first_reply_s, abandon_rate=0.0, service_level=0.95,
        invoice_amount=lambda d: d["invoice_amount"] / 4)
    pd.concat([reports, email]).sort_values(["month", "channel"]).to_csv(path, index=False)


def test_an_email_first_reply_never_enters_the_speed_of_answer(tmp_path):
    """The issue's case: email's 15-hour first reply blended into ASA fired a credit."""
    folder = copy_sample(tmp_path / "client")
    _with_email_rows(folder, 54_000.0)
    sla_path = folder / "sla.yaml"
    sla_path.write_text(sla_path.read_text(encoding="utf-8").replace(
        "target_miss_rule:",
        "  asa: {name: ASA, unit: s, definition: answered wait, direction: lower, "
        "target: 40, minimum: 60, allocation: 0.1}\n"
        "  first_reply: {name: First reply, unit: s, definition: hours to first reply, "
        "direction: lower, target: 86400, minimum: 172800, allocation: 0.1}\n"
        "target_miss_rule:", 1), encoding="utf-8")
    from bpo_analysis.steps import contract

    res = contract.run(load_client(folder), simulated_years=1_000)
    lines = res.lines
    assert {"asa@voice", "asa@chat", "first_reply@email"} <= set(lines)
    assert "asa@email" not in lines and "first_reply@voice" not in lines
    d = res.detail
    asa = d[d["kpi"] == "asa"]
    assert asa["value"].max() < 60 and (asa["credit"] == 0).all()  # voice and chat answer fast
    reply = d[d["line"] == "first_reply@email"]
    assert (reply["value"] == 54_000).all() and (reply["credit"] == 0).all()  # within a day
    # the email channel's own service level is judged on its own invoice
    assert "service_level@email" in lines and "email" in res.shares
    assert "reports no" not in res.headline.title


def test_changed_terms_are_validated_and_named(sample_client):
    from bpo_analysis.steps.contract import views as contract_views

    t = contract_views.with_changes(sample_client.sla, "fcr", target=0.76)
    assert t.kpis["fcr"].target == 0.76 and sample_client.sla.kpis["fcr"].target == 0.80
    chat = contract_views.with_changes(sample_client.sla, "fcr@chat", target=0.76,
                                       allocation=0.3).kpis["fcr"]
    assert chat.thresholds("chat") == (0.76, 0.72) and chat.thresholds("voice") == (0.80, 0.72)
    assert chat.allocation == 0.3
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
    fcr = cal.loc["fcr@voice"]
    z = (0.80 - fcr["vendor mean"]) / fcr["vendor sd"]
    assert fcr["months missed a year"] == pytest.approx(12 * stats.norm.cdf(z))
    curves = contract_views.miss_curves(res)
    assert (np.diff(curves["fcr@voice"]["months"]) > 0).all()  # higher target, more misses
    assert (np.diff(curves["abandon_rate@chat"]["months"]) < 0).all()  # lower is better
