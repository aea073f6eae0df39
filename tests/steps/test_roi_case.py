"""The business case's files (roi.yaml, roi_actuals.csv): each kind of bad input refused by
name; the actuals against the plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bpo_analysis import load_client
from bpo_analysis.data.io import read_roi_actuals
from bpo_analysis.errors import DataError
from bpo_analysis.steps.roi import case as roi_case
from bpo_analysis.steps.roi import model as roi
from tests.conftest import SAMPLE, edit_text

ACTUALS = SAMPLE / "roi_actuals.csv"


@pytest.mark.parametrize("old, new, where", [
    ("volume:             {low: 0.90, high: 1.15}", "volume:             {low: 1.15, high: 0.90}",
     r"roi.yaml, row \d+, column 'uncertainty.volume'.*low \(1.15\) is above high"),
    ("aht:                {low: 0.93", "speed:              {low: 0.93",
     r"roi.yaml, row \d+, column 'uncertainty.speed.*value 'speed'; allowed: .*'volume'"),
    ("- [churn_reduction, fcr_after, 0.5]", "- [churn_reduction, fcr_after, 1.5]",
     r"column 'correlations.1.2'"),
    ("quote_id: Q07", "quote_id: Q99",
     r"roi.yaml, row 4, column 'quote_id'.*'Q99'.*one of \['Q01'"),
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
    edit_text(folder / "roi.yaml", "- [churn_reduction, fcr_after, 0.5]",
          "- [churn_reduction, fcr_after, 0.9]\n  - [churn_reduction, customer_value, 0.9]\n"
          "  - [customer_value, fcr_after, -0.9]")
    with pytest.raises(DataError, match=r"roi.yaml, column 'correlations': the correlations "
                                        r"contradict each other"):
        roi_case.business_case(load_client(folder))


def test_a_base_outside_its_range_is_refused(folder):
    edit_text(folder / "roi.yaml", "churn_reduction:    {low: 0.0, high: 0.08}",
          "churn_reduction:    {low: 0.06, high: 0.08}")
    with pytest.raises(DataError, match=r"row \d+, column 'uncertainty.churn_reduction': the "
                                        r"driver's base value is outside its range.*0.05"):
        roi_case.business_case(load_client(folder))


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
    ("2026-03,7426000,110765", "2026-03,-7426000,110765",
     r"row 5, column 'vendor_fees'.*-7426000"),
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
    assert res.notes[0] == "2026-01: no churn rate annual; the plan's value is used"
