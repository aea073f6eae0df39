"""The live dashboard, without a browser: move a control, the figure shows what the
package computes for that choice."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import demand


@pytest.fixture(scope="module")
def dash(sample_client):
    from bpo_analysis.widgets import profile_dashboard

    return profile_dashboard(sample_client)


def test_dashboard_starts_on_the_whole_year(dash, sample_client):
    cube = demand.heatmap_cube(sample_client.demand, 30)
    np.testing.assert_allclose(dash.figure.data[0].z, demand.heatmap(cube).to_numpy())


@pytest.mark.parametrize("channel, months, measure", [
    ("voice", (11, 11), "contacts"),
    ("email", (1, 3), "workload_h"),
    ("all", (8, 8), "contacts"),
])
def test_moving_controls_updates_figure_and_summary(dash, sample_client, channel, months,
                                                    measure):
    dash.controls["channel"].value = channel
    dash.controls["measure"].value = measure
    dash.controls["months"].value = months
    cube = demand.heatmap_cube(sample_client.demand, 30)
    heat = demand.heatmap(cube, channels=None if channel == "all" else [channel],
                          months=months, measure=measure)
    np.testing.assert_allclose(dash.figure.data[0].z, heat.to_numpy())
    day, slot, value = demand.peak_slot(heat)
    assert f"{day} {slot}, {value:,.1f} {demand.MEASURES[measure]}" in dash.summary.value
    assert dash.figure.data[0].colorbar.title.text == demand.MEASURES[measure]


def test_importing_the_package_loads_no_widgets_or_papermill():
    """Every module of data, core and the steps imported (as a notebook or a library user
    would): neither ipywidgets nor papermill nor nbconvert comes with them."""
    code = ("import importlib, pkgutil, sys, bpo_analysis\n"
            "names = [m.name for p in ('data', 'core', 'steps') for m in pkgutil.walk_packages("
            "importlib.import_module(f'bpo_analysis.{p}').__path__, f'bpo_analysis.{p}.')]\n"
            "for n in names: importlib.import_module(n)\n"
            "assert len(names) > 30, names\n"
            "bad = {'ipywidgets', 'papermill', 'nbconvert'} & set(sys.modules)\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def _expected(sample_client, inputs, v):
    """What the package computes for the dashboard's slider values, built independently."""
    import dataclasses

    from bpo_analysis.steps.sourcing import calc as sourcing

    targets = dict(sample_client.scenario.service_targets)
    targets["voice"] = targets["voice"].model_copy(update={
        "service_level": v["target_sl"], "answer_within_s": v["answer_within_s"]})
    wages = sample_client.inhouse.wages.model_copy(update={"agent_monthly": v["agent_monthly"]})
    client = dataclasses.replace(
        sample_client,
        scenario=sample_client.scenario.model_copy(update={"service_targets": targets}),
        inhouse=sample_client.inhouse.model_copy(update={"wages": wages}))
    new = dataclasses.replace(
        inputs, workforce=dataclasses.replace(inputs.workforce, shrinkage=v["shrinkage"]),
        **{k: v[k] for k in ("volume_scale", "aht_scale", "price_per_contact",
                             "price_per_seat", "hybrid_base_percentile",
                             "inhouse_coverage_hours")})
    long = sourcing.option_costs(client, new)
    contacts = sample_client.demand["contacts"].sum() * v["volume_scale"]
    return (long.groupby(["option", "month"], sort=False)["amount"].sum(),
            sourcing.option_summary(long, contacts), client)


def _shown(dash):
    return {t.name: np.asarray(t.y) for t in dash.figures["monthly"].data}


@pytest.fixture(scope="module")
def sourcing_inputs(sample_client):
    import dataclasses

    from bpo_analysis.core.workforce import Workforce
    from bpo_analysis.steps.sourcing import calc as sourcing

    # not the defaults: the dashboard must open on exactly these assumptions
    return dataclasses.replace(sourcing.indicative_inputs(sample_client), volume_scale=1.2,
                               price_per_contact=80.0, hybrid_base_percentile=0.6,
                               workforce=Workforce(shrinkage=0.25, shift_starts=("08:00", "16:00")))


@pytest.fixture
def sourcing_dash(sample_client, sourcing_inputs):
    from bpo_analysis.widgets import sourcing_dashboard

    return sourcing_dashboard(sample_client, sourcing_inputs)


def test_sourcing_dashboard_opens_on_the_report_numbers(sourcing_dash, sample_client,
                                                         sourcing_inputs):
    v = {k: c.value for k, c in sourcing_dash.controls.items()}
    assert v["volume_scale"] == 1.2 and v["price_per_contact"] == 80.0
    monthly, _, _ = _expected(sample_client, sourcing_inputs, v)
    for name, y in _shown(sourcing_dash).items():
        np.testing.assert_allclose(y, monthly[name].to_numpy())


@pytest.mark.parametrize("name, value", [
    ("volume_scale", 1.5), ("aht_scale", 1.2), ("target_sl", 0.9),
    ("answer_within_s", 10.0), ("shrinkage", 0.35), ("agent_monthly", 45_000.0),
    ("price_per_contact", 60.0), ("price_per_seat", 50_000.0),
    ("hybrid_base_percentile", 0.9), ("inhouse_coverage_hours", 8.0),
])
def test_each_slider_moves_the_figures_to_the_package_numbers(
        sourcing_dash, sample_client, sourcing_inputs, name, value):
    from bpo_analysis.steps.sourcing import views as sourcing_views

    before = _shown(sourcing_dash)
    sourcing_dash.controls[name].value = value
    after = _shown(sourcing_dash)
    assert any(not np.allclose(before[k], after[k]) for k in before), name  # it moved
    v = {k: c.value for k, c in sourcing_dash.controls.items()}
    monthly, summary, client = _expected(sample_client, sourcing_inputs, v)
    for k, y in after.items():
        np.testing.assert_allclose(y, monthly[k].to_numpy())
    bar = sourcing_dash.figures["per_contact"].data[0]
    assert list(bar.x) == list(summary.index)
    np.testing.assert_allclose(bar.y, summary["per_contact"])
    assert sourcing_views.recommendation(summary, "TWD") in sourcing_dash.summary.value
    assert client.scenario.service_targets["chat"].service_level == 0.80  # chat untouched


@pytest.fixture
def vendor_dash(sample_client):
    from bpo_analysis.steps.vendors import step as vendors_step
    from bpo_analysis.widgets import vendor_dashboard

    return vendor_dashboard(vendors_step.evaluate(sample_client), "TWD")


def test_vendor_weight_slider_rescales_the_others_and_moves_the_figures(vendor_dash,
                                                                        sample_client):
    from bpo_analysis.steps.vendors import scoring, sensitivity
    from bpo_analysis.steps.vendors import views as scoring_views

    before = vendor_dash.state["ev"].weights.copy()
    vendor_dash.controls["price"].value = 0.6
    ev = vendor_dash.state["ev"]
    weights = ev.weights
    assert weights.sum() == pytest.approx(1.0) and weights["price"] == 0.6
    ratio = 0.4 / (1 - before["price"])
    assert weights["qa_score"] == pytest.approx(before["qa_score"] * ratio)
    # the sliders show the exact weights on their 0.005 grid (a browser leaves those alone)
    for k, c in vendor_dash.controls.items():
        if k != "method":
            assert c.value == pytest.approx(weights[k], abs=0.0025)
            assert c.value / 0.005 == pytest.approx(round(c.value / 0.005), abs=1e-9)
    expected = scoring.topsis(ev.matrix, weights, ev.criteria["direction"])
    np.testing.assert_allclose(ev.ranking.score, expected.score)
    stab = sensitivity.rank_stability(ev.matrix, weights, ev.criteria["direction"], n=2_000)
    first = vendor_dash.figures["stability"].data[0]
    np.testing.assert_allclose(first.y, stab.loc[list(first.x), "P(rank 1)"] * 100)
    assert scoring_views.verdict(ev) in vendor_dash.summary.value
    switch = sensitivity.weight_switch_points(ev.matrix, weights, ev.criteria["direction"])
    bars = vendor_dash.figures["switch"].data[0]
    np.testing.assert_allclose(np.asarray(bars.base, float) + np.asarray(bars.x, float),
                               switch["above"].fillna(1.0)[list(bars.y)])
    assert scoring.METHODS["topsis"] in vendor_dash.summary.value


def test_vendor_weight_echo_from_a_browser_is_no_move(vendor_dash):
    """A browser sends back what it was given, rounded by JavaScript: the weights stay."""
    vendor_dash.controls["price"].value = 0.6
    exact = vendor_dash.state["ev"].weights.copy()
    qa = vendor_dash.controls["qa_score"]
    qa.value = qa.value + 1e-12
    pd.testing.assert_series_equal(vendor_dash.state["ev"].weights, exact)
    qa.value = qa.value + 0.005  # a real move still moves
    assert vendor_dash.state["ev"].weights["qa_score"] == pytest.approx(qa.value)
    assert vendor_dash.state["ev"].weights.sum() == pytest.approx(1.0)


def test_vendor_method_selector(vendor_dash):
    from bpo_analysis.steps.vendors import scoring

    vendor_dash.controls["method"].value = "sum"
    ev = vendor_dash.state["ev"]
    expected = scoring.weighted_sum(ev.matrix, ev.weights, ev.criteria["direction"], "sum")
    np.testing.assert_allclose(ev.ranking.score, expected.score)
    assert "weighted sum (sum)" in vendor_dash.summary.value
    assert f"{expected.score.max():.3f}" in vendor_dash.table.value


@pytest.fixture
def pricing_dash(sample_client):
    from bpo_analysis.steps.pricing import step as pricing_step
    from bpo_analysis.widgets import pricing_dashboard

    res = pricing_step.price(sample_client)
    return pricing_dashboard(res)


@pytest.mark.parametrize("name, value", [("volume_scale", 1.2), ("term_months", 48),
                                         ("discount_rate", 0.12), ("hidden_share", 0.08),
                                         ("forecast_error", 0.3), ("escalation", 0.05)])
def test_each_pricing_slider_moves_the_tables_to_the_package_numbers(pricing_dash,
                                                                     sample_client,
                                                                     name, value):
    from bpo_analysis.steps.pricing import calc as pricing
    from bpo_analysis.steps.pricing import step as pricing_step
    from bpo_analysis.steps.pricing import views as pricing_views

    before = pricing_dash.tables["comparison"].value + pricing_dash.tables["risk"].value
    pricing_dash.controls[name].value = value
    v = {k: c.value for k, c in pricing_dash.controls.items()}
    # each quote keeps its own escalation until the escalation slider moves
    assert pricing_dash.controls["one_escalation"].value == (name == "escalation")
    if not v.pop("one_escalation"):
        v["escalation"] = None
    res = pricing_step.price(sample_client, pricing.PricingInputs(**v))
    after = pricing_dash.tables["comparison"].value + pricing_dash.tables["risk"].value
    assert after != before, name
    for qid, row in res.tco.iterrows():  # in TWD M, as the report shows the comparison
        assert f"{row['pv'] / 1e6:,.1f}" in pricing_dash.tables["comparison"].value, qid
    shown = [t.y[-1] for t in pricing_dash.figures["waterfall"].data]
    quotes = [t.name for t in pricing_dash.figures["waterfall"].data]
    np.testing.assert_allclose(shown, res.tco.loc[quotes, "pv"].astype(float))
    assert pricing_views.headlines(res, "TWD").title in pricing_dash.summary.value


@pytest.fixture
def contract_dash(sample_client):
    from bpo_analysis.steps import contract
    from bpo_analysis.widgets import contract_dashboard

    return contract_dashboard(sample_client, contract.run(sample_client, simulated_years=2_000))


def test_contract_sliders_move_the_payout_and_back_test(contract_dash, sample_client):
    from bpo_analysis.steps.contract import views as contract_views
    from bpo_analysis.steps.contract.step import ContractInputs, evaluate_terms

    before = np.asarray(contract_dash.figures["payout"].data[0].x).mean()
    contract_dash.controls["kpi"].value = "fcr@chat"
    assert contract_dash.controls["target"].value == 0.80  # the sliders show fcr's terms
    contract_dash.controls["target"].value = 0.76  # on chat only
    terms = contract_views.with_changes(sample_client.sla, "fcr@chat", target=0.76)
    assert terms.kpis["fcr"].thresholds("voice")[0] == 0.80
    res = evaluate_terms(sample_client, terms, ContractInputs(simulated_years=20_000),
                         model=contract_dash.state["result"].model)
    np.testing.assert_allclose(np.asarray(contract_dash.figures["payout"].data[0].x, float),
                               res.payout["net"])
    assert np.asarray(contract_dash.figures["payout"].data[0].x).mean() < before
    credits = contract_dash.figures["backtest"].data[0]
    np.testing.assert_allclose(np.asarray(credits.y, float), res.months["credits"])
    assert contract_views.headlines(res, "TWD").title in contract_dash.summary.value


def test_contract_slider_refuses_a_target_looser_than_the_minimum(contract_dash):
    shown = contract_dash.summary.value
    contract_dash.controls["minimum"].value = 0.9  # service level: minimum above target
    assert "Service level (voice)" in contract_dash.note.value
    assert "worse threshold" in contract_dash.note.value
    assert contract_dash.summary.value == shown  # nothing recomputed on refused terms


@pytest.fixture(scope="module")
def roi_dash(sample_client):
    from bpo_analysis.steps import roi as roi_step
    from bpo_analysis.widgets import roi_dashboard

    return roi_dashboard(roi_step.run(sample_client, draws=10_000))


@pytest.mark.parametrize("driver, value", [
    ("churn_reduction", 0.07), ("volume", 1.12), ("wage_inflation", 0.02),
    ("price_escalation", 0.04), ("transition_overrun", 0.5), ("customer_value", 2200.0),
    ("fcr_after", 0.8), ("aht", 0.95), ("discount_rate", 0.12)])
def test_each_roi_slider_moves_every_figure_to_the_package_numbers(roi_dash, driver, value):
    from bpo_analysis.steps.roi import charts as roi_charts
    from bpo_analysis.steps.roi import model as roi
    from bpo_analysis.steps.roi import views as roi_views

    before = roi_dash.summary.value
    roi_dash.controls[driver].value = value
    v = {k: c.value for k, c in roi_dash.controls.items()}
    case = roi_dash.state["result"].case.with_rate(v.pop("discount_rate"))
    m = roi.measures(case, v)
    assert f"{m.npv:,.0f} TWD" in roi_dash.summary.value and roi_dash.summary.value != before
    figs = roi_dash.figures
    np.testing.assert_allclose(np.asarray(figs["cash_flows"].data[-1].y, float),
                               np.cumsum(roi.net_flows(case, v)[0]))
    t = roi.tornado(case, v)
    high = next(tr for tr in figs["tornado"].data if tr.name == "driver at high")
    np.testing.assert_allclose(np.asarray(high.customdata, float), t["npv_high"].iloc[::-1])
    assert list(high.y) == roi_charts.tornado_labels(t, "TWD")
    assert high.y[-1].startswith("Churn reduction (relative): ")  # drivers by their names
    sim = roi.simulate(case, 10_000, 0, v)
    assert figs["npv"].layout.title.text.endswith(f"P(NPV > 0) = {sim.p_positive:.0%}")
    assert roi_views.headlines(roi_dash.state["result"])["npv"].value == pytest.approx(m.npv)
    # the decision, the client's verdict rules and its baseline stay with every move
    moved = roi_dash.state["result"]
    assert moved.decision.quote.value == "Q01" and moved.client is not None
    assert "Today's cost: in-house centre and incumbent vendor (as is)" in \
        roi_dash.summary.value.replace("&#x27;", "'")


def test_roi_payback_mark_hides_when_the_move_never_pays_back(roi_dash):
    roi_dash.controls["churn_reduction"].value = 0.0
    mark = roi_dash.figures["cash_flows"].layout.shapes[0]
    assert mark.visible is False and roi_dash.state["result"].measures.payback is None
    assert "not within 36 months" in roi_dash.summary.value
    roi_dash.controls["churn_reduction"].value = 0.08
    assert roi_dash.figures["cash_flows"].layout.shapes[0].visible is True


# ---------------------------------------------------------------- notebook 07
@pytest.fixture
def risk_dash(sample_client):
    from bpo_analysis.steps.risk import step as risk_step
    from bpo_analysis.steps.risk import surge as surge_model
    from bpo_analysis.widgets import risk_dashboard

    return risk_dashboard(risk_step.review(sample_client,
                                                 surge_model.SurgeInputs("2025-10-06")),
                          sample_client)


@pytest.mark.parametrize("control, value", [
    ("multiplier", 3.0), ("days", 10), ("seats_per_day", 12.0)])
def test_each_surge_slider_moves_the_figures_to_the_package_numbers(risk_dash, sample_client,
                                                                    control, value):
    from bpo_analysis.steps.risk import charts as risk_plots
    from bpo_analysis.steps.risk import surge as surge_model

    before = risk_dash.summary.value
    risk_dash.controls[control].value = value
    v = {k: c.value for k, c in risk_dash.controls.items()}
    inputs = surge_model.SurgeInputs("2025-10-06", multiplier=v["multiplier"], days=v["days"],
                              seats_per_day=v["seats_per_day"])
    s = surge_model.surge_scenario(sample_client, inputs)
    tot = s.totals("voice")
    assert f"{tot['lost']:,.0f} callers" in risk_dash.summary.value
    assert risk_dash.summary.value != before
    t = risk_plots.surge_traces(s.intervals, "voice")
    figs = risk_dash.figures
    np.testing.assert_allclose(np.asarray(figs["surge"].data[0].y, float), t["sl"],
                               equal_nan=True)
    np.testing.assert_allclose(np.asarray(figs["surge"].data[4].y, float), t["backlog"])
    c = surge_model.surge_costs(sample_client, s)
    np.testing.assert_allclose(np.asarray(figs["costs"].data[0].x, float), c["as_run"])


def test_backup_share_slider_moves_the_outage_options(risk_dash, sample_client):
    from bpo_analysis.steps.risk import calc as risk

    surge_before = np.asarray(risk_dash.figures["surge"].data[0].y, float)
    risk_dash.controls["backup_share"].value = 0.9
    o = risk.outage_scenario(sample_client, risk.OutageInputs(backup_share=0.9))
    opts = risk.outage_options(sample_client, o)
    np.testing.assert_allclose(np.asarray(risk_dash.figures["outage"].data[0].y, float),
                               opts["loss_avoided"].iloc[1:])
    np.testing.assert_allclose(np.asarray(risk_dash.figures["outage"].data[1].y, float),
                               opts["annual_cost"].iloc[1:])
    best = opts.sort_values("net", ascending=False).iloc[0]
    assert f"{best['net']:,.0f} TWD" in risk_dash.summary.value
    np.testing.assert_allclose(np.asarray(risk_dash.figures["surge"].data[0].y, float),
                               surge_before, equal_nan=True)  # the surge did not move


# ---------------------------------------------------------------- notebook 08
def test_maturity_self_assessment_follows_the_answers(sample_client):
    from bpo_analysis.steps import maturity
    from bpo_analysis.widgets import maturity_dashboard

    dash = maturity_dashboard(maturity.run(sample_client))
    assert "operational (1 of 4)" in dash.summary.value
    radar = dash.figures["radar"]
    own = [a for a in radar.data[0].r]
    assert list(radar.data[-1].r) == own  # the live trace starts at the subject's answers
    for key, s in dash.controls.items():  # lift every topic at level 1 to 2
        if key != "subject" and s.value == 1:
            s.value = 2
    assert "Overall level" in dash.summary.value and "refined (2 of 4)" in dash.summary.value
    assert min(radar.data[-1].r) == 2 and list(radar.data[0].r) == own
    dash.controls["subject"].value = "V02 Harbor Contact Services"
    v02 = dash.state["result"].maturity.overall.loc["live answers"]
    assert v02["score"] == pytest.approx(39 / 15)
    assert list(radar.data[-1].r) == list(radar.data[1].r)


def test_a_surge_past_the_year_is_said_and_the_figures_stay(sample_client):
    from bpo_analysis.steps.risk import step as risk_step
    from bpo_analysis.steps.risk import surge as surge_model
    from bpo_analysis.widgets import risk_dashboard

    late = risk_dashboard(risk_step.review(
        sample_client, surge_model.SurgeInputs("2025-12-15")), sample_client)
    before = late.summary.value
    sl = np.asarray(late.figures["surge"].data[0].y, float)
    late.controls["days"].value = 21  # 2025-12-15 + 22 days runs past the demand year
    assert "start" in late.note.value and "ending by 2026-01-01 00:00" in late.note.value
    assert late.summary.value == before
    np.testing.assert_allclose(np.asarray(late.figures["surge"].data[0].y, float), sl,
                               equal_nan=True)
    late.controls["days"].value = 10  # back inside: the note goes, the figures follow
    assert late.note.value == "" and late.summary.value != before
