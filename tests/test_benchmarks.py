"""The benchmark baselines do the same job as the code they are compared with."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import staffing

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
spec = importlib.util.spec_from_file_location("bench_run", RUN)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


@pytest.mark.parametrize("loop", ["_same_formula_loop", "_per_interval_loop",
                                  "_textbook_loop"])
def test_erlang_baselines_give_the_same_agents(loop):
    calls, aht = bench._year_of_quarter_hours(1.0)
    day = slice(4 * 24 * 100, 4 * 24 * 102)  # two days of quarter-hours, zeros included
    expected = staffing.required_agents(calls[day], aht[day], interval_s=900, target_sl=0.8,
                                        target_t_s=20)
    got = getattr(bench, loop)(calls[day], aht[day])
    assert (calls[day] == 0).any() and expected.max() > 5
    np.testing.assert_array_equal(got, expected)


def test_rank_stability_baseline_gives_the_same_probabilities():
    from bpo_analysis.steps.vendors import sensitivity

    m, w, d = bench._vendor_matrix(vendors=5, criteria=4)
    loop = bench._topsis_per_draw(m, w, d, n=300)
    fast = sensitivity.rank_stability(m, w, d, "topsis", n=300).loc[m.index].filter(like="P(rank")
    np.testing.assert_allclose(fast.to_numpy(), loop)
    assert 0 < loop[:, 0].max() < 1  # a real spread, not one sure winner


def test_pandas_monthly_kpis_give_the_same_aggregates(tmp_path):
    from bpo_analysis.data import records

    t = {"voice": 20.0, "chat": 60.0, "email": 86_400.0}
    folder = bench._write_records(tmp_path, 20_000, months=2, part_rows=10_000)
    assert len(list(folder.glob("*.parquet"))) == 2
    got = bench._pandas_monthly_kpis(folder, t)
    want = records.aggregates(folder, answer_within_s=t)
    assert list(got.columns) == list(want.columns) and len(got) == len(want) == 6
    assert records.quality_counts(folder)["status"].tolist() == ["kept"]  # ids unique
    assert (pd.PeriodIndex(got["period"], freq="M") == pd.PeriodIndex(want["period"],
                                                                      freq="M")).all()
    for col in ("vendor_id", "channel"):
        assert got[col].tolist() == want[col].tolist()
    sums = ["wait_s", "talk_s", "hold_s", "acw_s", "csat_sum", "qa_sum"]
    for col in want.columns[3:]:
        if col in sums:
            np.testing.assert_allclose(got[col], want[col], rtol=1e-9, err_msg=col)
        else:
            np.testing.assert_array_equal(got[col], want[col], err_msg=col)
    assert want["repeat_1d"].sum() > 0 and want["abandoned_short"].sum() > 0


def test_per_draw_roi_loop_gives_the_same_npv_and_payback(sample_client):
    from bpo_analysis.steps.roi import case as roi_case
    from bpo_analysis.steps.roi import model as roi

    case = roi_case.business_case(sample_client)
    drawn = roi.draw_drivers(case, 300, seed=2)
    npv, payback = bench._per_draw_loop(case, drawn)
    sim = roi.simulate(case, 300, seed=2)
    np.testing.assert_allclose(npv, sim.npv)
    np.testing.assert_allclose(payback, sim.payback, equal_nan=True)
    assert np.isnan(payback).any() and (npv > 0).any() and (npv < 0).any()


def test_surge_loop_gives_the_same_service_and_abandonment(sample_client):
    from bpo_analysis.steps.risk import surge as surge_model

    s = surge_model.surge_scenario(sample_client, surge_model.SurgeInputs("2025-10-06"))
    v = s.intervals
    is_open = (v["agents_base"] > 0).to_numpy()  # the plan staffs every open interval
    offered, p_ab, sl = bench._surge_loop(v["arrivals"].to_numpy(), v["agents"].to_numpy(),
                                          v["aht_used"].to_numpy(), is_open, 230.0, 0.4)
    np.testing.assert_allclose(offered, v["offered"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(p_ab, v["abandon_rate"], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(sl, v["service_level"], rtol=1e-8, atol=1e-12)
    assert v["redials"].max() > 10 and (v.loc[~is_open, "redials"] == 0).all()
