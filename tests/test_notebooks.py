"""Every notebook executed on the sample data, and the numbers it shows checked against
the package (computed here, in the test process, from the same files)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import papermill as pm
import pytest

from bpo_analysis.core import costs, demand, workforce
from bpo_analysis.core.present import HEADLINES_MIME
from bpo_analysis.core.tables import TABLE_MIME
from bpo_analysis.steps.profile import calc as profile_calc
from bpo_analysis.steps.profile import views as profile
from tests.conftest import (
    HK_REPORTS,
    PLOTLY,
    REPORTS,
    ROOT,
    SAMPLE,
    ZH,
    outputs_with,
    plotly_values,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
#: Every session run of every notebook: English and Traditional Chinese (tests that read a
#: run are marked slow by conftest).
RUNS = [*REPORTS, *(f"{name}{ZH}" for name in REPORTS), *HK_REPORTS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_conventions(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    # how to run it as a report: right after the title for a notebook user, in a cell tagged
    # howto, which a report moves to its appendix
    assert nb.cells[1].cell_type == "markdown" and "howto" in nb.cells[1].metadata.get("tags")
    assert f"bpo-analysis report {path.stem}" in nb.cells[1].source
    assert "bpo-analysis" not in nb.cells[0].source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") for c in code), "commit notebooks without outputs"
    assert not any(re.search(r"^\s*(def|class)\s", c.source, re.M) for c in code)
    assert not any(re.search(r"\.to_(csv|excel|parquet)\(|open\(", c.source) for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_calls_its_steps_run_once_and_only_shows_the_result(path: Path):
    """The second code cell loads the client and calls the step's one entry point; every
    later cell shows a part of the result (a name of ``result``), or displays it."""
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"][1:]
    calls = [m for src in code for m in re.findall(r"\b(\w+)\.run\(", src)]
    assert len(calls) == 1 and "result = " + calls[0] + ".run(" in code[0], calls
    step = calls[0]
    assert f"from bpo_analysis.steps import {step}" in code[0]
    for src in code[1:]:
        used = set(re.findall(r"\bbpo_analysis\.\w+(?:\.\w+)*", src))
        assert used <= {"bpo_analysis.widgets"}, (src, used)  # no calculation in a cell
        assert len([line for line in src.splitlines() if line.strip()]) <= 8, src


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_parameter_line_is_seen_by_papermill(path: Path):
    """papermill silently skips a line it cannot parse (e.g. a second '=' in the help)."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    declared = re.findall(r"^(\w+)\s*:\s*\w+\s*=", cell.source, re.M)
    found = pm.inspect_notebook(str(path))
    assert list(found) == declared
    assert all(p["help"] and p["inferred_type_name"] != "None" for p in found.values())


@pytest.mark.parametrize("fixture", RUNS)
def test_every_cell_ran_in_order_without_error_or_stderr(fixture, request):
    """What nbval's lax mode checked (the notebook runs top to bottom without an error),
    read from the session's one run of the notebook in each language; and more: every
    code cell ran once, in order, and nothing was written to stderr (a warning printed
    into a report is a defect of its own)."""
    report, nb = request.getfixturevalue(fixture)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    outputs = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])]
    assert [(i, o.ename, o.evalue) for i, o in outputs if o.output_type == "error"] == []
    assert [(i, o.text[:300]) for i, o in outputs
            if o.output_type == "stream" and o.name == "stderr"] == []
    assert nb.metadata.papermill.exception is not True and report.html.stat().st_size > 0


def test_profile_headlines_equal_the_package(profile_report, sample_client):
    _, nb = profile_report
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    expected = profile.profile_headlines(sample_client)
    assert set(shown) == {h.key for h in expected.items}
    for h in expected.items:
        assert shown[h.key]["value"] == pytest.approx(h.value, rel=1e-12), h.key
        assert shown[h.key]["unit"] == h.unit
    # the numbers a reader sees, independently: the year's contacts and the baseline
    assert shown["contacts"]["value"] == int(sample_client.demand["contacts"].sum())
    monthly = float(costs.inhouse_baseline(sample_client.inhouse)["monthly"].sum())
    assert shown["baseline_monthly_cost"]["text"] == f"{monthly:,.0f} TWD per month"
    # today's cost per contact: the in-house centre and the incumbent's 2025 invoices, over
    # every contact of the year (the incumbent's included)
    r = sample_client.vendor_reports
    fees = r.loc[r["month"].astype(str).str.startswith("2025"), "invoice_amount"].sum()
    assert shown["incumbent_fees_monthly"]["value"] == pytest.approx(fees / 12)
    per_contact = (monthly * 12 + fees) / sample_client.demand["contacts"].sum()
    assert shown["baseline_cost_per_contact"]["value"] == pytest.approx(per_contact)


def test_profile_figures_show_the_package_results(profile_report, sample_client):
    _, nb = profile_report
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 6
    heat = demand.heatmap(demand.heatmap_cube(sample_client.demand, 30))
    np.testing.assert_allclose(plotly_values(figs[0]["data"][0]["z"]), heat.to_numpy())
    monthly = demand.monthly_volume(sample_client.demand)
    voice = next(t for t in figs[1]["data"] if t["name"] == "voice")
    np.testing.assert_array_equal(plotly_values(voice["y"]), monthly["voice"])
    daily = demand.daily_volume(sample_client.demand)
    peaks = demand.find_peaks(daily["total"], threshold=1.4)
    assert len(figs[3]["layout"]["shapes"]) == len(peaks) == 3
    total = costs.inhouse_baseline(sample_client.inhouse)["monthly"].sum()
    assert f"{total:,.0f} TWD per month" in figs[4]["layout"]["title"]["text"]
    by_month = profile_calc.baseline_by_month(sample_client)
    np.testing.assert_allclose(plotly_values(figs[5]["data"][0]["y"]),
                               by_month["cost_per_contact"])


def test_profile_tables_show_the_episodes_and_every_file(profile_report, sample_client):
    report, nb = profile_report
    html = "\n".join(outputs_with(nb, "text/html"))
    for day in ("2025-08-18", "2025-11-11", "2025-01-28"):
        assert day in html
    from bpo_analysis.steps.profile import step as profile_step

    # the peaks in words, from the client's own demand (the largest with their dates)
    assert profile_step.run(sample_client).peaks_text._repr_html_() in html
    # every input in the data-quality table by its business name; its file in the appendix
    quality = next(t for t in outputs_with(nb, TABLE_MIME)
                   if t["caption"].startswith("Data quality"))
    assert len(quality["values"]) == len(sample_client.sources)
    appendix = report.html.read_text(encoding="utf-8").split('id="report-appendix"')[1]
    for src in sample_client.sources:
        assert src.path.name not in html and src.path.name in appendix


def test_report_html_is_offline_and_has_no_code(profile_report):
    report, _ = profile_report
    html = report.html.read_text(encoding="utf-8")
    remote = re.findall(r"<(?:script|link)[^>]+(?:src|href)=[\"']?(?:https?:)?//[^>]*>", html)
    assert remote == []
    assert html.count("Plotly.newPlot") == 6  # every figure is drawn ...
    assert re.search(r"plotly\.js v\d", html)  # ... by the plotly.js inlined in the page
    assert "import bpo_analysis" not in html and "load_client(" not in html
    assert "widget-view+json" not in html
    assert "<title>00 — Client profile" in html


def test_sourcing_headlines_and_figures_equal_the_package(sourcing_report, sample_client):
    from bpo_analysis.steps.sourcing import calc as sourcing
    from bpo_analysis.steps.sourcing import views as sourcing_views

    _, nb = sourcing_report
    inputs = sourcing.indicative_inputs(sample_client)
    long = sourcing.option_costs(sample_client, inputs)
    summary = sourcing.option_summary(long, sample_client.demand["contacts"].sum())
    volumes, curve = sourcing.break_even(sample_client, inputs, "Shared (per contact)",
                                         "Dedicated (per seat)")
    contacts = sourcing.contacts_per_month(sample_client, inputs)
    ranges = sourcing.cheaper_ranges(curve, "Shared (per contact)", "Dedicated (per seat)",
                                     contacts)
    horizon = sourcing.horizon_costs(sample_client, inputs)
    over = sourcing.horizon_summary(horizon, sample_client.scenario.discount_rate)
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    from bpo_analysis.steps import profile

    cards = profile.run(sample_client).headline  # today: in-house and the incumbent
    today = cards["baseline_monthly_cost"].value + cards["incumbent_fees_monthly"].value
    expected = sourcing_views.headlines(summary, ranges, "TWD", over, 36, today=today,
                                        contacts=contacts)
    assert "horizon_cheapest_pv" in shown and "saving_vs_today" in shown
    for h in expected.items:
        assert shown[h.key]["value"] == pytest.approx(h.value, rel=1e-9), h.key
        assert shown[h.key]["unit"] == h.unit
    html = "\n".join(outputs_with(nb, "text/html"))
    assert sourcing_views.recommendation(summary, "TWD").split(",")[0] in html
    from html import escape  # the headline's title: which option wins at each volume

    assert escape(sourcing_views.break_even_sentence(ranges, contacts)) in html
    # the tables' numbers (in TWD M, as their headers say), as the report holds them
    options = _table(nb, "Sourcing options")
    for option, row in summary.iterrows():  # the summary table shows every total
        assert options[option]["TWD M over the period"] == pytest.approx(row["total"] / 1e6)
    horizon_table = _table(nb, "The options over the planning horizon")
    for option, row in over.iterrows():  # the horizon table: nominal and present value
        shown = horizon_table[option]
        assert shown["TWD M nominal"] == pytest.approx(row["nominal"] / 1e6), option
        assert shown["TWD M present value"] == pytest.approx(row["pv"] / 1e6), option
    bridge, *figs = outputs_with(nb, PLOTLY)  # the money bridge opens the report
    assert bridge["data"][0]["type"] == "waterfall" and len(figs) == 9
    cumulative = figs[4]["data"][0]
    np.testing.assert_allclose(plotly_values(cumulative["y"]), horizon[
        horizon["option"] == cumulative["name"]].groupby("month")["amount"].sum().cumsum())
    plan = workforce.staffing_plan(sample_client, inputs.workforce)
    fte = workforce.fte_by_month(plan, sample_client.scenario, inputs.workforce)
    for value in fte["fte"]:  # the schedule table shows the FTE on shifts, month by month
        assert f"{value:,.1f}" in html
    starts = workforce.shift_schedule(plan, sample_client.scenario).by_start()
    monday = next(t for t in figs[6]["data"] if t["name"] == "Monday")
    np.testing.assert_allclose(plotly_values(monday["y"]), starts["Monday"])
    monthly = long.groupby(["option", "month"], sort=False)["amount"].sum()
    first = figs[0]["data"][0]
    np.testing.assert_allclose(plotly_values(first["y"]), monthly[first["name"]].to_numpy())
    stacked = figs[2]["data"]  # per option and component, month by month
    total = sum(plotly_values(t["y"]) for t in stacked if t["xaxis"] in ("x", "x1"))
    np.testing.assert_allclose(total, monthly[long["option"].iloc[0]].to_numpy())
    marks = sorted(s["x0"] for s in figs[7]["layout"]["shapes"])  # today, every break-even
    assert marks == pytest.approx(sorted([contacts, *volumes]))


def test_vendor_report_shows_the_package_numbers(vendor_report, sample_client):
    from bpo_analysis.steps.vendors import scoring
    from bpo_analysis.steps.vendors import step as vendors_step
    from bpo_analysis.steps.vendors import views as scoring_views

    _, nb = vendor_report
    ev = vendors_step.evaluate(sample_client)
    _assert_headlines(nb, scoring_views.headlines(ev))
    html = "\n".join(outputs_with(nb, "text/html"))
    assert scoring_views.verdict(ev) in html
    assert scoring_views.criteria_paragraph(ev)._repr_html_() in html  # the client's groups
    assert html.count("EXCLUDED") == 3 and "Agent attrition: at most 45 %" in html
    for key in scoring.METHODS:  # every method's scores in the ranking table
        for score in ev.rankings[key].score:
            assert f"{score:.3f}" in html, key
    assert f"consistency ratio {ev.ahp.cr:.3f}" in html
    for price in ev.prices[ev.survivors]:
        assert f"{price:,.1f}" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 5
    ids = {f"{name} ({vid})": vid for vid, name in ev.names.items()}  # vendors by name
    stack = {t["name"]: plotly_values(t["x"]) for t in figs[0]["data"]}
    np.testing.assert_allclose(sum(stack.values()), ev.rankings["weighted_sum"].score[
        [ids[v] for v in figs[0]["data"][0]["y"]]])
    first = next(t for t in figs[3]["data"] if t["name"] == "rank 1")
    np.testing.assert_allclose(plotly_values(first["y"]), ev.stability.loc[
        [ids[v] for v in first["x"]], "P(rank 1)"] * 100)
    bars = figs[4]["data"][0]  # criteria by their names (the axis shows the shares in %)
    criteria = dict(zip(ev.criteria["name"], ev.criteria.index, strict=True))
    above = ev.switch_points["above"].fillna(1.0)[[criteria[c] for c in bars["y"]]]
    np.testing.assert_allclose(plotly_values(bars["base"]) + plotly_values(bars["x"]), above)


def _table(nb, caption: str) -> dict[str, dict]:
    """The report's table whose caption starts with ``caption``: first column -> row."""
    table = next(t for t in outputs_with(nb, TABLE_MIME) if t["caption"].startswith(caption))
    return {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["values"]}


def _assert_headlines(nb, expected) -> None:
    """The report's headline cards carry the package's values and units."""
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    for h in expected.items:
        if h.value is None:  # "not within 36 months": no number, said in words
            assert shown[h.key]["value"] is None and shown[h.key]["text"] == h.text, h.key
        else:
            assert shown[h.key]["value"] == pytest.approx(h.value, rel=1e-9), h.key
        assert shown[h.key]["unit"] == h.unit


def test_pricing_report_shows_the_package_numbers(pricing_report, sample_client):
    from bpo_analysis.steps.pricing import calc as pricing
    from bpo_analysis.steps.pricing import step as pricing_step
    from bpo_analysis.steps.pricing import views as pricing_views

    _, nb = pricing_report
    res = pricing_step.price(sample_client)
    _assert_headlines(nb, pricing_views.headlines(res, "TWD"))
    html = "\n".join(outputs_with(nb, "text/html"))
    for qid, row in res.tco.iterrows():  # the comparison table: TCO nominal and PV (TWD M)
        assert f"{row['nominal'] / 1e6:,.1f}" in html, qid
        assert f"{row['pv'] / 1e6:,.1f}" in html, qid
    assert html.count("FLAGGED") == 1 and "below the labour floor" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 2
    finalists = res.finalists
    totals = [plotly_values(t["y"])[-1] for t in figs[0]["data"]]
    np.testing.assert_allclose(totals, res.tco.loc[finalists, "pv"].astype(float))
    lines = {t["name"].split(" ")[0]: plotly_values(t["y"]) for t in figs[1]["data"]
             if t["name"] != "break-even"}
    for qid, y in lines.items():
        np.testing.assert_allclose(y, res.curves[qid])
    forecast = [s["x0"] for s in figs[1]["layout"]["shapes"]]
    assert forecast == [pytest.approx(pricing.forecast_contacts(sample_client))]


def test_contract_report_shows_the_package_numbers(contract_report, sample_client):
    from bpo_analysis.steps import contract
    from bpo_analysis.steps.contract import views as contract_views

    _, nb = contract_report
    res = contract.run(sample_client)
    _assert_headlines(nb, contract_views.headlines(res, "TWD"))
    html = "\n".join(outputs_with(nb, "text/html"))
    assert "answered within T / offered (abandons count as missed)" in html  # the annex
    for line, total in res.detail.groupby("line")["credit"].sum().items():
        assert f"{total:,.0f}" in html, line  # each KPI on each channel
    assert "Service level (voice)" in html and "Service level (chat)" in html
    calib = contract_views.calibration(res, 1.0)
    for v in calib["months missed a year"]:
        assert f"{v:.1f}" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 3
    credits = next(t for t in figs[0]["data"] if t["name"] == "credits")
    np.testing.assert_allclose(plotly_values(credits["y"]), res.months["credits"])
    assert len(plotly_values(figs[1]["data"][0]["x"])) == 100_000
    np.testing.assert_allclose(np.sort(plotly_values(figs[1]["data"][0]["x"])),
                               np.sort(res.payout["net"]), rtol=1e-6)


def test_review_report_shows_the_package_numbers(review_report, sample_client, v02_records):
    from bpo_analysis.steps.review import step as review_step
    from bpo_analysis.steps.review import views as rv

    report, nb = review_report
    assert report.html.name == "05_performance_review_2025-12.html"  # dated by the month
    res = review_step.review_month(sample_client, v02_records, "2025-12", "V02",
                          shares={"voice": 0.12, "chat": 0.18})
    _assert_headlines(nb, rv.headlines(res, "TWD"))
    html = "\n".join(outputs_with(nb, "text/html"))
    for text in res.month_alerts["text"]:  # every alert of the month, word for word
        assert text in html
    assert html.count("another definition") >= 2  # the flattering service level, per channel
    for credit in res.credit_detail.loc[res.credit_detail["month"] == res.month, "credit"]:
        assert f"{credit:,.0f}" in html
    assert f"{int(res.qa_plan['audit'].sum()):,} contacts to audit" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 4
    sl = next(t for t in figs[0]["data"] if t["name"].startswith("voice: from the records"))
    rec = res.reconciliation.query("kpi == 'service_level' and channel == 'voice'")
    np.testing.assert_allclose(plotly_values(sl["y"]), rec["recomputed"])
    credits = next(t for t in figs[1]["data"] if t["name"] == "credits")
    np.testing.assert_allclose(plotly_values(credits["y"]), res.credit_months["credits"])
    panels = [a["text"] for a in figs[2]["layout"]["annotations"]]  # one panel per KPI
    i = next(k for k, text in enumerate(panels) if text.startswith("Customer satisfaction"))
    csat = next(t for t in figs[2]["data"] if t["name"] == "the month's value"
                and t.get("yaxis", "y") == ("y" if i == 0 else f"y{i + 1}"))
    np.testing.assert_allclose(plotly_values(csat["y"]), res.charts["csat"]["value"])
    offered = next(t for t in figs[3]["data"] if t["name"] == "voice: offered")
    np.testing.assert_allclose(plotly_values(offered["y"]),
                               res.volume.query("channel == 'voice'")["actual"])


def test_roi_report_shows_the_package_numbers(roi_report, sample_client):
    from bpo_analysis.steps import roi as roi_step
    from bpo_analysis.steps.roi import model as roi
    from bpo_analysis.steps.roi import views as rv

    report, nb = roi_report
    assert report.html.name == "06_roi_review.html"
    res = roi_step.run(sample_client, actuals_file=SAMPLE / "roi_actuals.csv")
    _assert_headlines(nb, rv.headlines(res))
    html = "\n".join(outputs_with(nb, "text/html"))
    assert rv.recommendation(res) in html.replace("&gt;", ">").replace("&#x27;", "'")
    m, f = res.actual.reforecast, res.measures
    for value in (f.npv, m.npv, f.costs, m.costs):  # plan and re-forecast, in the table
        assert f"{value:,.0f} TWD" in html
    assert f"{f.payback:.1f} months" in html and f"{m.payback:.1f} months" in html
    for row in res.tornado.itertuples():  # in TWD M, as the table's header says
        assert f"{row.npv_low / 1e6:,.1f}" in html and f"{row.npv_high / 1e6:,.1f}" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 4
    cumulative = next(t for t in figs[0]["data"] if t["name"] == "cumulative net")
    np.testing.assert_allclose(plotly_values(cumulative["y"]),
                               np.cumsum(roi.net_flows(res.case)[0]))
    assert figs[0]["layout"]["annotations"][0]["text"] == f"payback after {f.payback:.1f} months"
    high = next(t for t in figs[1]["data"] if t["name"] == "driver at high")
    np.testing.assert_allclose(plotly_values(high["customdata"]),
                               res.tornado["npv_high"].iloc[::-1])
    bars = figs[2]["data"][0]
    assert plotly_values(bars["y"]).sum() == pytest.approx(100)
    assert f"P(NPV > 0) = {res.simulation.p_positive:.0%}" in figs[2]["layout"]["title"]["text"]
    actual = next(t for t in figs[3]["data"] if t["name"] == "actual + plan")
    np.testing.assert_allclose(plotly_values(actual["y"]),
                               rv.cumulative_plan_actual(res)["actual + plan"])
    printed = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if o.get("name") == "stdout"]
    assert printed == []  # the months the actuals leave open, said in a sentence instead
    assert res.actuals_text._repr_html_() in html


def test_risk_report_shows_the_package_numbers(risk_report, sample_client):
    from bpo_analysis.steps.risk import calc as risk
    from bpo_analysis.steps.risk import charts as risk_plots
    from bpo_analysis.steps.risk import step as risk_step
    from bpo_analysis.steps.risk import surge as surge_model
    from bpo_analysis.steps.risk import views as rv

    report, nb = risk_report
    assert report.html.name == "07_risk_continuity.html"
    # the notebook's default surges the demand's busiest week (no sample date)
    start = risk_step.busiest_week(sample_client, 7)
    res = risk_step.review(sample_client, surge_model.SurgeInputs(start))
    _assert_headlines(nb, rv.headlines(res))
    html = "\n".join(outputs_with(nb, "text/html")).replace("&#39;", "'")
    assert rv.recommendation(res) in html
    assert res.surge_text._repr_html_() in html  # the surge played, at the client's interval
    for row in res.surge.daily.itertuples():  # the day-by-day table
        assert f"{row.offered:,.0f}" in html and f"{row.service_level:.1%}" in html
    for row in res.surge_costs.itertuples():  # extra cost by pricing model, TWD M
        assert f"{row.as_run / 1e6:,.2f}" in html and f"{row.hold_sla / 1e6:,.2f}" in html
    for row in res.options.itertuples():  # outage options, TWD M
        assert f"{row.annual_cost / 1e6:,.2f}" in html and f"{row.net / 1e6:,.2f}" in html
    for row in res.register.itertuples():
        assert f">{row.title}<" in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 4
    heat = [t for t in figs[0]["data"] if t["type"] == "heatmap"]
    before = risk.heat_matrix(res.register)
    assert heat[0]["text"] == [[", ".join(c) for c in row] for row in before.to_numpy()]
    t = risk_plots.surge_traces(res.surge.intervals, "voice")
    sl = next(tr for tr in figs[1]["data"] if tr["name"].startswith("service level"))
    np.testing.assert_allclose(plotly_values(sl["y"]), t["sl"], equal_nan=True)
    backlog = next(tr for tr in figs[1]["data"] if tr["name"].startswith("backlog"))
    np.testing.assert_allclose(plotly_values(backlog["y"]), t["backlog"])
    ran = next(tr for tr in figs[2]["data"] if tr["name"].startswith("as it ran"))
    np.testing.assert_allclose(plotly_values(ran["x"]), res.surge_costs["as_run"])
    avoided = next(tr for tr in figs[3]["data"] if tr["name"] == "expected loss avoided")
    np.testing.assert_allclose(plotly_values(avoided["y"]),
                               res.options["loss_avoided"].iloc[1:])


def test_maturity_report_shows_the_package_numbers(maturity_report, sample_client):
    from bpo_analysis.data import questionnaire
    from bpo_analysis.steps import maturity
    from bpo_analysis.steps.maturity import calc as mt
    from bpo_analysis.steps.maturity import views as mv

    report, nb = maturity_report
    assert report.html.name == "08_maturity.html"
    res = maturity.run(sample_client)
    _assert_headlines(nb, mv.headlines(res))
    html = "\n".join(outputs_with(nb, "text/html")).replace("&#39;", "'")
    assert "Formosa Click in-house centre: operational centre; 8 topics hold it there." in html
    for score in mt.compare(res.maturity)["overall score"]:
        assert f"{score:.2f}" in html
    for row in mt.gaps(res.maturity, res.subject).itertuples():
        assert row.topic in html
    for row in mt.kpis_to_adopt(res.maturity, res.subject).itertuples():
        assert f">{row.name}<" in html and f">{row.kpi}<" not in html  # names, not ids
    for q in (q for qs in questionnaire.QUESTIONNAIRE.values() for q in qs):  # the annex
        assert q.levels[3] in html
    radar = outputs_with(nb, PLOTLY)[0]["data"]
    assert [t["name"] for t in radar] == [res.label(s) for s in res.maturity.subjects]
    for t, s in zip(radar, res.maturity.subjects, strict=True):
        a = res.maturity.answers[res.maturity.answers["subject"] == s]["answer"].tolist()
        assert plotly_values(t["r"]).tolist() == [*a, a[0]]


def test_summary_report_shows_every_steps_numbers(summary_report, sample_client):
    from bpo_analysis.steps import summary
    from bpo_analysis.steps.summary import views as sv

    report, nb = summary_report
    assert report.html.name == "09_decision_summary.html"
    res = summary.run(sample_client)
    _assert_headlines(nb, res.headline)
    html = "\n".join(outputs_with(nb, "text/html")).replace("&#x27;", "'")
    assert sv.recommendation(res).replace("&", "&amp;") in html.replace("&gt;", ">")
    assert res.headline.context in html
    for table in res.tables:  # every row's value, and its link to the step's report
        for value in res.tables[table].data.iloc[:, 1]:
            shown = str(value).replace("&", "&amp;").replace(">", "&gt;")
            assert shown in html, (table, value)
    for n in (1, 2, 3, 4, 6, 7, 8):
        assert f'href="{sv.REPORTS[n]}.html"' in html
    figs = outputs_with(nb, PLOTLY)
    assert len(figs) == 1  # the money bridge, as in step 1
    np.testing.assert_allclose(plotly_values(figs[0]["data"][0]["y"]),
                               plotly_values(res.sourcing.figures["bridge"].to_dict()[
                                   "data"][0]["y"]))


@pytest.mark.parametrize("fixture", ["pricing_report", "contract_report", "roi_report",
                                     "risk_report", "summary_report"])
def test_every_report_works_on_the_same_vendor_and_quote(fixture, request):
    """One thread: each report that uses the vendor and quote names the same ones, and
    where they came from, on its first screen."""
    _, nb = request.getfixturevalue(fixture)
    first = outputs_with(nb, "text/html")[0]
    assert "the selected vendor Jade Mountain Teleservices (V01), derived from step 2" in first
    assert "the selected quote Q01, derived from step 3" in first


@pytest.mark.parametrize("fixture", ["profile_report", "sourcing_report", "roi_report"])
def test_the_money_bridge_is_one_table_in_every_report(fixture, request, sample_client):
    from bpo_analysis.steps import sourcing

    _, nb = request.getfixturevalue(fixture)
    html = "\n".join(outputs_with(nb, "text/html")).replace("&#x27;", "'").replace("&#39;", "'")
    bridge = sourcing.run(sample_client).bridge
    for row in bridge.itertuples():
        assert row.row in html
        if row.kind != "step":
            assert f"{row.total:,.0f}" in html, row.row


def test_the_review_says_it_is_the_incumbent_and_how_step_2_ranks_it(review_report):
    _, nb = review_report
    first = outputs_with(nb, "text/html")[0].replace("&#x27;", "'")
    assert ("Works on the incumbent under review Harbor Contact Services (V02), stated in "
            "the client's decision file. Harbor Contact Services is reviewed as the "
            "incumbent; step 2 ranks it 3 of 3.") in first
    assert "Why: the incumbent's contract ends in 2026; the tender covers the whole centre." \
        in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_default_parameter_reaches_outside_the_client_folder(path: Path):
    """A default never reads another client's data: every path parameter but client_dir is
    empty (the client folder's file, or none)."""
    found = pm.inspect_notebook(str(path))
    for name, p in found.items():
        default = str(p["default"]).strip("\"'")
        if name == "client_dir":
            continue
        assert not re.search(r"[/\\]|\.(csv|parquet|yaml|xlsx|duckdb)$", default), (name, default)
    assert "{}" in str(found.get("forecast_shares", {"default": "{}"})["default"])
