"""Staffing engine: published reference values, a textbook oracle, extreme loads, bad
input, properties (hypothesis) and a discrete-event simulation cross-check."""

from __future__ import annotations

import heapq
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_analysis.core import staffing as sf
from bpo_analysis.errors import InfeasibleError, InputError


# ---------------------------------------------------------------- reference values
def test_the_issue_reference_case():
    a = sf.traffic_erlangs(100, 180, 1800)
    assert a == 10.0
    n = sf.required_agents(100, 180, interval_s=1800, target_sl=0.8, target_t_s=20)
    assert n == 14 and isinstance(n, int)
    assert sf.service_level(a, n, 180, 20) == pytest.approx(0.8884, abs=5e-5)
    assert sf.erlang_c(a, n) == pytest.approx(0.1741, abs=5e-5)
    assert sf.asa_s(a, n, 180) == pytest.approx(7.84, abs=5e-3)
    assert sf.occupancy(a, n) == pytest.approx(0.714, abs=5e-4)
    assert sf.scheduled_agents(n, 0.30) == 20


def test_the_occupancy_cap_case():
    args = {"interval_s": 1800, "target_sl": 0.8, "target_t_s": 20}
    assert sf.required_agents(240, 240, max_occupancy=0.85, **args) == 38
    assert sf.required_agents(240, 240, **args) < 38  # the cap, not the SL, binds


@pytest.mark.parametrize("traffic, agents, expected", [
    (1, 2, 1 / 3),  # C(2, 1) = 1/3 exactly
    (2, 3, 4 / 9),  # C(3, 2) = 4/9 exactly
    (0, 1, 0.0),
    (5, 5, 1.0),  # agents == traffic: every call waits
    (5, 4, 1.0),
])
def test_erlang_c_exact_values(traffic, agents, expected):
    assert sf.erlang_c(traffic, agents) == pytest.approx(expected, rel=1e-12)


def test_scheduled_agents_ceiling_is_float_safe():
    assert sf.scheduled_agents(21, 0.3) == 30  # 21 / 0.7 = 30.000000000000004
    np.testing.assert_array_equal(sf.scheduled_agents(np.array([0, 7, 10]), 0.3), [0, 10, 15])


# ---------------------------------------------------------------- a textbook oracle
def _textbook_required(calls: float, aht: float, target: float, t: float) -> int:
    """What the common packages do: one interval at a time, Erlang C from factorials."""
    if calls == 0:
        return 0
    a = calls * aht / 1800
    n = math.floor(a) + 1
    while True:
        top = a**n / math.factorial(n) * n / (n - a)
        c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
        if 1 - c * math.exp(-(n - a) * t / aht) >= target - 1e-12:
            return n
        n += 1


def test_required_agents_equals_the_textbook_on_a_realistic_day():
    slots = np.arange(48)
    calls = np.round(120 * np.exp(-0.5 * ((slots - 22) / 6) ** 2) + 3 * (slots % 5))
    aht = 200 + 40 * np.sin(slots / 7)
    got = sf.required_agents(calls, aht, interval_s=1800, target_sl=0.8, target_t_s=20)
    expected = [_textbook_required(c, h, 0.8, 20) for c, h in zip(calls, aht, strict=True)]
    np.testing.assert_array_equal(got, expected)


def test_shapes_follow_the_inputs():
    s = pd.Series([0, 100, 50], index=pd.date_range("2025-01-06 08:00", periods=3,
                                                    freq="30min"))
    got = sf.required_agents(s, 180, interval_s=1800, target_sl=0.8, target_t_s=20)
    assert isinstance(got, pd.Series) and got.index.equals(s.index)
    assert got.tolist() == [_textbook_required(c, 180, 0.8, 20) for c in s]
    arr = sf.service_level(np.array([10.0, 10.0]), np.array([14, 15]), 180, 20)
    assert isinstance(arr, np.ndarray) and arr.shape == (2,)
    assert isinstance(sf.occupancy(10, 14), float)


# ---------------------------------------------------------------- numerical range
@pytest.mark.parametrize("traffic", [0.01, 0.5, 10, 250, 3_000, 10_000, 40_000])
def test_stable_from_tiny_to_huge_loads(traffic):
    calls = traffic * 1800 / 180
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow, underflow or invalid-value warnings
        n = sf.required_agents(calls, 180, interval_s=1800, target_sl=0.8, target_t_s=20)
        sl = sf.service_level(traffic, n, 180, 20)
        below = sf.service_level(traffic, n - 1, 180, 20)
        sl_a = sf.service_level(traffic, n, 180, 20, patience_s=90)
        ab = sf.abandonment_rate(traffic, [max(n - 5, 1), n, 2 * n], 180, 90)
    assert n > traffic and sl >= 0.8 - 1e-12 > below
    assert n <= traffic + 3 * math.sqrt(traffic) + 3  # square-root staffing bound
    assert 0.8 <= sl_a <= 1 and np.all(np.diff(ab) <= 0) and np.all((ab >= 0) & (ab <= 1))


def test_zero_volume_needs_no_agents_and_has_no_nan():
    calls = np.array([0, 0, 5])
    aht = np.array([np.nan, 0.0, 300.0])  # AHT is not used where there are no calls
    n = sf.required_agents(calls, aht, interval_s=1800, target_sl=0.9, target_t_s=10)
    assert n.tolist()[:2] == [0, 0] and n[2] >= 1
    assert sf.service_level(0, 0, 180, 20) == 1.0 and sf.asa_s(0, 0, 180) == 0.0
    assert sf.occupancy(0, 0) == 0.0 and sf.abandonment_rate(0, 0, 180, 60) == 0.0


# ---------------------------------------------------------------- Erlang A
def test_erlang_a_may_staff_below_the_traffic():
    args = {"interval_s": 1800, "target_sl": 0.5, "target_t_s": 20}
    c = sf.required_agents(300, 180, **args)  # 30 Erlangs
    a = sf.required_agents(300, 180, patience_s=30, **args)
    assert c > 30 and a < 30
    assert sf.service_level(30, a, 180, 20, patience_s=30) >= 0.5
    assert sf.service_level(30, a - 1, 180, 20, patience_s=30) < 0.5


def test_erlang_a_tends_to_erlang_c_with_endless_patience():
    for n in (11, 14, 20):
        assert sf.service_level(10, n, 180, 20, patience_s=1e9) == pytest.approx(
            sf.service_level(10, n, 180, 20), abs=1e-6)
    assert sf.abandonment_rate(10, 14, 180, 1e9) == pytest.approx(0.0, abs=1e-6)


# ---------------------------------------------------------------- bad input
BASE = {"calls": [10.0, 20.0], "aht_s": 180.0, "interval_s": 1800, "target_sl": 0.8,
        "target_t_s": 20}


@pytest.mark.parametrize("change, argument", [
    ({"calls": [10.0, -1.0]}, "calls[1]"),
    ({"calls": [np.nan, 1.0]}, "calls[0]"),
    ({"aht_s": [180.0, np.nan]}, "aht_s[1]"),
    ({"aht_s": -5.0}, "aht_s"),
    ({"aht_s": 0.0}, "aht_s"),
    ({"target_sl": 0.0}, "target_sl"),
    ({"target_sl": 1.0}, "target_sl"),
    ({"target_sl": 80}, "target_sl"),
    ({"target_t_s": 0}, "target_t_s"),
    ({"max_occupancy": 0.0}, "max_occupancy"),
    ({"max_occupancy": 1.2}, "max_occupancy"),
    ({"interval_s": 0}, "interval_s"),
    ({"patience_s": 0}, "patience_s"),
    ({"target_t_s": [20, 30, 40]}, "arrays"),
])
def test_required_agents_refuses_bad_input(change, argument):
    kwargs = {**BASE, **change}
    calls, aht = kwargs.pop("calls"), kwargs.pop("aht_s")
    with pytest.raises(InputError) as err:
        sf.required_agents(calls, aht, **kwargs)
    assert err.value.argument == argument
    assert "must be" in str(err.value)


@pytest.mark.parametrize("call, argument", [
    (lambda: sf.scheduled_agents(10, 1.0), "shrinkage"),
    (lambda: sf.scheduled_agents(10, -0.1), "shrinkage"),
    (lambda: sf.erlang_c([1, 2], [1, 2, 3]), "arrays"),
    (lambda: sf.service_level(10, 12, 180, -1), "target_t_s"),
    (lambda: sf.traffic_erlangs("many", 180, 1800), "calls"),
    (lambda: sf.abandonment_rate(10, 10, 180, -60), "patience_s"),
])
def test_other_functions_refuse_bad_input(call, argument):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.argument == argument


def test_an_unreachable_target_names_the_interval():
    with pytest.raises(InfeasibleError, match=r"interval 2: no staffing up to 12 agents"):
        sf.required_agents([10, 50, 100], 180, interval_s=1800, target_sl=0.99,
                           target_t_s=5, max_agents=12)
    with pytest.raises(InfeasibleError, match="interval 0"):
        sf.required_agents(100, 180, interval_s=1800, target_sl=0.99, target_t_s=5,
                           patience_s=60, max_agents=10)


# ---------------------------------------------------------------- properties
loads = st.floats(0.0, 500.0)


@settings(max_examples=150, deadline=None)
@given(traffic=loads, agents=st.integers(0, 600), aht=st.floats(10, 1200),
       t=st.floats(0, 300), patience=st.one_of(st.none(), st.floats(5, 3600)))
def test_more_agents_never_lower_the_service_level(traffic, agents, aht, t, patience):
    sl = sf.service_level(traffic, [agents, agents + 1, agents + 7], aht, t,
                          patience_s=patience)
    assert np.all((sl >= 0) & (sl <= 1))
    assert sl[0] <= sl[1] + 1e-9 and sl[1] <= sl[2] + 1e-9


@settings(max_examples=100, deadline=None)
@given(calls=st.floats(0, 3000), extra=st.floats(0, 500), aht=st.floats(20, 900),
       target=st.floats(0.5, 0.95), t=st.floats(5, 120),
       patience=st.one_of(st.none(), st.floats(10, 600)))
def test_more_volume_never_lowers_the_required_agents(calls, extra, aht, target, t, patience):
    n = sf.required_agents([calls, calls + extra], aht, interval_s=1800, target_sl=target,
                           target_t_s=t, patience_s=patience)
    assert n[0] >= 0 and n[0] <= n[1]


# ---------------------------------------------------------------- simulation
def _simulate(traffic, agents, aht, t, patience, calls, seed):
    """FCFS M/M/N(+M): a caller waits for the earliest free agent unless patience runs out."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(aht / traffic, calls))
    service = rng.exponential(aht, calls)
    give_up = rng.exponential(patience, calls) if patience else np.full(calls, np.inf)
    free = [0.0] * agents
    waited = within = abandoned = 0
    for arrive, serve, limit in zip(arrivals, service, give_up, strict=True):
        wait = max(free[0] - arrive, 0.0)
        waited += wait > 0
        if wait > limit:
            abandoned += 1
            continue
        heapq.heapreplace(free, arrive + wait + serve)
        within += wait <= t
    return np.array([waited, within, abandoned]) / calls  # shares of offered calls


@pytest.mark.slow
@pytest.mark.parametrize("agents, patience", [(14, None), (11, None), (10, 120.0),
                                              (9, 60.0), (12, 90.0)])
def test_formulas_agree_with_a_discrete_event_simulation(agents, patience):
    """Four independent runs of 150,000 calls each; the formulas must fall within four
    standard errors of the mean (at least 0.004)."""
    runs = np.array([_simulate(10.0, agents, 180.0, 20.0, patience, 150_000, seed)
                     for seed in range(4)])
    mean, se = runs.mean(axis=0), runs.std(axis=0, ddof=1) / 2
    if patience is None:
        expected = [sf.erlang_c(10, agents), sf.service_level(10, agents, 180, 20), 0.0]
        checked = [0, 1, 2]
    else:  # no public P(wait) for Erlang A: its service level and abandonment are checked
        expected = [np.nan, sf.service_level(10, agents, 180, 20, patience_s=patience),
                    sf.abandonment_rate(10, agents, 180, patience)]
        checked = [1, 2]
    gap = np.abs(mean - expected)[checked]
    assert np.all(gap <= np.maximum(4 * se, 0.004)[checked]), (mean, expected)


# ---------------------------------------------------------------- found in review
def test_erlang_a_at_large_loads_is_minimal_and_monotone():
    calls = np.linspace(20_000, 120_000, 25)  # about 2,000 to 12,000 Erlangs
    n = sf.required_agents(calls, 180, interval_s=1800, target_sl=0.8, target_t_s=20,
                           patience_s=120)
    assert (np.diff(n) >= 0).all()  # more volume never needs fewer agents
    load = calls * 180 / 1800
    sl = sf.service_level(load, n, 180, 20, patience_s=120)
    below = sf.service_level(load, n - 1, 180, 20, patience_s=120)
    assert (sl >= 0.8 - 1e-12).all() and (below < 0.8).all()  # the smallest that meets it


def test_erlang_a_far_below_the_traffic_raises_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sl = sf.service_level(10_000, 5_000, 180, 20, patience_s=60)
        ab = sf.abandonment_rate(10_000, 5_000, 180, 60)
    assert 0 <= sl < 0.01 and ab > 0.4


@pytest.mark.parametrize("call, argument, named", [
    (lambda: sf.required_agents([10, 20], [180, 200, 220], **ARGS), "arrays", "aht_s (3,)"),
    (lambda: sf.required_agents([10, 20], 180, patience_s=[60, 70, 80], **ARGS), "arrays",
     "patience_s (3,)"),
    (lambda: sf.traffic_erlangs([1, 2], [180, 190, 200], 1800), "arrays", "aht_s (3,)"),
    (lambda: sf.required_agents([10, 20], "slow", **ARGS), "aht_s", "slow"),
    (lambda: sf.required_agents([[10, 20]], 180, **ARGS), "calls", "shape (1, 2)"),
    (lambda: sf.required_agents([0, 20], [-5, 180], **ARGS), "aht_s[0]", "-5"),
    (lambda: sf.required_agents([10], 180, max_agents=0, **ARGS), "max_agents", "0"),
])
def test_more_bad_input_gets_an_input_error(call, argument, named):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.argument == argument and named in str(err.value)


def test_an_occupancy_floor_above_max_agents_is_infeasible():
    with pytest.raises(InfeasibleError, match="the occupancy cap alone needs"):
        sf.required_agents(2_000, 180, max_occupancy=0.85, max_agents=12, **ARGS)


ARGS = {"interval_s": 1800, "target_sl": 0.8, "target_t_s": 20}
