"""The verdict words follow the numbers, by the rules of one dataclass, at their edges."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import pytest

from bpo_analysis.core.verdicts import (
    DEFAULT_RULES,
    VerdictRules,
    carrying_driver,
    roi_verdict,
    sourcing_verdict,
)
from bpo_analysis.errors import InputError

RULES = VerdictRules()


def test_the_defaults_are_the_documented_thresholds():
    assert (RULES.pays_at, RULES.fails_below, RULES.tie_within) == (0.80, 0.20, 0.10)
    assert DEFAULT_RULES == RULES
    with pytest.raises(FrozenInstanceError):
        RULES.pays_at = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(("p", "verdict"), [
    (1.0, "pays"),
    (0.80, "pays"),  # exactly at the high threshold
    (math.nextafter(0.80, 0.0), "coin_flip"),  # just below it
    (0.79, "coin_flip"),
    (0.48, "coin_flip"),  # the sample's case: a positive NPV at the base is not enough
    (0.20, "coin_flip"),  # exactly at the low threshold
    (math.nextafter(0.20, 0.0), "does_not_pay"),  # just below it
    (0.19, "does_not_pay"),
    (0.0, "does_not_pay"),
])
def test_roi_verdict_at_its_edges(p, verdict):
    assert roi_verdict(p, RULES) == verdict


def test_roi_verdict_follows_other_thresholds():
    rules = VerdictRules(pays_at=0.95, fails_below=0.5)
    assert [roi_verdict(p, rules) for p in (0.95, 0.94, 0.5, 0.49)] == [
        "pays", "coin_flip", "coin_flip", "does_not_pay"]
    # a rule with no coin flip: pays from 0.5, does not pay below
    assert roi_verdict(0.5, VerdictRules(pays_at=0.5, fails_below=0.49)) == "pays"


@pytest.mark.parametrize("p", [-0.01, 1.01, math.nan, math.inf, "0.5x", True])
def test_roi_verdict_refuses_a_probability_out_of_range(p):
    with pytest.raises(InputError) as e:
        roi_verdict(p, RULES)
    assert e.value.argument == "p_positive"


@pytest.mark.parametrize(("winner", "runner_up", "verdict"), [
    (100.0, 100.0, "tie"),  # the same cost
    (100.0, 110.0, "tie"),  # margin exactly the forecast error (10 % of the winner's cost)
    (87_840_000.0, 87_840_000.0 * 1.1, "tie"),  # exactly at it, in floating point
    (100.0, 110.000001, "wins"),  # just beyond it
    (100.0, 110.01, "wins"),
    (87_840_000.0, 90_890_067.2, "tie"),  # the sample: 3,050,067 TWD is 3.5 %
])
def test_sourcing_verdict_at_its_edges(winner, runner_up, verdict):
    assert sourcing_verdict(winner, runner_up, RULES) == verdict


def test_sourcing_verdict_follows_the_forecast_error():
    assert sourcing_verdict(100.0, 103.0, VerdictRules(tie_within=0.02)) == "wins"
    assert sourcing_verdict(100.0, 100.0, VerdictRules(tie_within=0.0)) == "tie"
    assert sourcing_verdict(100.0, 100.01, VerdictRules(tie_within=0.0)) == "wins"


@pytest.mark.parametrize(("winner", "runner_up", "argument"), [
    (0.0, 10.0, "cost_winner"),
    (-5.0, 10.0, "cost_winner"),
    (math.nan, 10.0, "cost_winner"),
    (100.0, 99.0, "cost_runner_up"),  # the runner-up is not cheaper than the winner
    (100.0, math.inf, "cost_runner_up"),
])
def test_sourcing_verdict_refuses_bad_costs(winner, runner_up, argument):
    with pytest.raises(InputError) as e:
        sourcing_verdict(winner, runner_up, RULES)
    assert e.value.argument == argument


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"pays_at": 1.01}, "pays_at"),
    ({"pays_at": -0.1}, "pays_at"),
    ({"pays_at": math.nan}, "pays_at"),
    ({"fails_below": -0.01}, "fails_below"),
    ({"fails_below": 0.80}, "fails_below"),  # equal to pays_at: no coin flip left
    ({"pays_at": 0.3, "fails_below": 0.5}, "fails_below"),
    ({"tie_within": 1.0}, "tie_within"),
    ({"tie_within": -0.1}, "tie_within"),
    ({"tie_within": "ten"}, "tie_within"),
])
def test_bad_rules_are_refused_naming_the_argument(kwargs, argument):
    with pytest.raises(InputError) as e:
        VerdictRules(**kwargs)
    assert e.value.argument == argument
    assert argument in str(e.value)


def test_the_edges_of_the_ranges_are_allowed():
    VerdictRules(pays_at=1.0, fails_below=0.0, tie_within=0.0)
    VerdictRules(pays_at=0.5, fails_below=0.49, tie_within=0.99)


def test_the_carrying_driver_is_the_largest_sign_change():
    npv = 8_739_935.0
    lows = {"churn_reduction": -53_378_880.0, "customer_value": -9_008_296.0,
            "fcr_after": -803_997.0, "volume": 10_149_240.0}
    assert carrying_driver(npv, lows) == "churn_reduction"
    assert carrying_driver(npv, {"customer_value": -9e6, "churn_reduction": -5e7}) == (
        "churn_reduction")  # not the first, the largest


def test_no_carrying_driver_when_no_sign_changes():
    assert carrying_driver(8.7e6, {"volume": 4.3e6, "aht": 3.8e6}) is None
    assert carrying_driver(8.7e6, {}) is None
    assert carrying_driver(8.7e6, {"volume": 0.0}) is None  # zero is no sign
    assert carrying_driver(0.0, {"volume": -1e6}) is None
    assert carrying_driver(math.nan, {"volume": -1e6}) is None
    assert carrying_driver(8.7e6, {"volume": math.nan}) is None


def test_a_negative_npv_is_carried_by_the_driver_that_would_turn_it_positive():
    assert carrying_driver(-2e6, {"price_escalation": 3e6, "volume": -1e6}) == (
        "price_escalation")


# ---------------------------------------------------------------- the client's thresholds
def test_the_clients_thresholds_set_every_reports_words(folder):
    from bpo_analysis.data.client import load_client
    from bpo_analysis.steps import roi, sourcing
    from tests.conftest import edit_text

    sample = load_client(folder)
    r = roi.run(sample, draws=20_000)
    assert 0.5 < r.simulation.p_positive < 0.7  # the sample's case against today: 60 %
    assert "the move is a coin flip" in r.headline.title
    edit_text(folder / "scenario.yaml", "pays_at: 0.80", "pays_at: 0.55")
    edit_text(folder / "scenario.yaml", "tie_within: 0.10", "tie_within: 0.02")
    client = load_client(folder)
    assert VerdictRules.of(client) == VerdictRules(0.55, 0.2, 0.02)
    assert "the move pays" in roi.run(client, draws=20_000).headline.title
    s = sourcing.run(client).headline  # a 3.5 % margin: a tie at 10 %, a win at 2 %
    assert "tie" not in s.title and not s["margin_over_next"].note


def test_thresholds_out_of_order_are_refused_by_line(folder):
    from bpo_analysis.data.client import load_client
    from bpo_analysis.errors import DataError
    from tests.conftest import edit_text

    edit_text(folder / "scenario.yaml", "fails_below: 0.20", "fails_below: 0.90")
    with pytest.raises(DataError, match=r"scenario\.yaml, row \d+, column 'verdicts'.*"
                                        r"fails_below \(0\.9\) must be below pays_at"):
        load_client(folder)
