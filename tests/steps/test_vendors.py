"""Step 2 (steps.vendors): published TOPSIS and AHP values, ties, sensitivity, the decision
matrix of the sample, step 2 end to end. The knock-outs (core.eligibility) are tested in
tests/core/test_eligibility.py."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.errors import DataWarning, InputError
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.vendors import ahp, scoring, sensitivity

# The TOPSIS example of the R package MCDA (Bigaret, Meyer et al., function TOPSIS):
# three cars, price (cost), economy, aesthetics, boot capacity; published ideal and
# anti-ideal weighted normalised vectors.
CARS = pd.DataFrame([[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]],
                    index=["Corsa", "Clio", "Fiesta"],
                    columns=["price", "economy", "aesthetics", "boot"], dtype=float)
CAR_W = {"price": 0.35, "economy": 0.25, "aesthetics": 0.25, "boot": 0.15}
CAR_D = {"price": "cost", "economy": "benefit", "aesthetics": "benefit", "boot": "benefit"}

# Saaty (1980), relative wealth of nations: weights .427 .230 .021 .052 .052 .123 .094,
# lambda max 7.61, CI 0.10, CR 0.08.
WEALTH = pd.DataFrame(
    [[1, 4, 9, 6, 6, 5, 5], [1 / 4, 1, 7, 5, 5, 3, 4],
     [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
     [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3], [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
     [1 / 5, 1 / 3, 7, 3, 3, 1, 2], [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1]],
    index=(n := ["US", "USSR", "China", "France", "UK", "Japan", "W. Germany"]), columns=n)


def test_topsis_reproduces_the_published_ideals():
    r = scoring.topsis(CARS, CAR_W, CAR_D)
    np.testing.assert_allclose(r.ideal, [0.179573776, 0.171636015, 0.159499658, 0.087302767],
                               atol=1e-9)
    np.testing.assert_allclose(r.anti_ideal,
                               [0.212610118, 0.124958799, 0.131352659, 0.085797547], atol=1e-9)
    # closeness by hand: D- / (D+ + D-), with the ideals taken from the weighted table
    v = CARS / np.sqrt((CARS**2).sum()) * pd.Series(CAR_W)
    ideal = v.max().where(pd.Series(CAR_D) == "benefit", v.min())
    anti = v.min().where(pd.Series(CAR_D) == "benefit", v.max())
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    np.testing.assert_allclose(r.score, d_minus / (d_plus + d_minus))
    assert r.table().index.tolist() == ["Clio", "Corsa", "Fiesta"]


def test_ahp_reproduces_saatys_wealth_of_nations():
    r = ahp.ahp_weights(WEALTH)
    np.testing.assert_allclose(r.weights, [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094],
                               atol=5e-4)
    assert round(r.lambda_max, 2) == 7.61 and round(r.ci, 2) == 0.10 and round(r.cr, 2) == 0.08
    assert r.consistent
    other = ahp.ahp_weights(WEALTH, random_index="alonso_lamata2006")
    assert other.cr == pytest.approx(r.ci / 1.3417)


def _consistent(weights):
    w = np.asarray(weights, float)
    return w[:, None] / w[None, :]


def test_ahp_flags_inconsistency_and_points_at_the_judgement():
    a = _consistent([0.4, 0.3, 0.2, 0.1])
    r = ahp.ahp_weights(a)
    np.testing.assert_allclose(r.weights, [0.4, 0.3, 0.2, 0.1])
    assert r.cr == pytest.approx(0, abs=1e-9)
    a[0, 3], a[3, 0] = 1 / 4, 4  # item 3 now said to beat item 0 four to one
    bad = ahp.ahp_weights(a)
    assert bad.cr > 0.1 and not bad.consistent
    assert {bad.worst[0], bad.worst[1]} == {"0", "3"}


def test_partial_judgements_by_harkers_method():
    w = [0.5, 0.25, 0.15, 0.1]
    items = ["price", "quality", "security", "scale"]
    a = _consistent(w)
    tree = [("price", "quality", a[0, 1]), ("quality", "security", a[1, 2]),
            ("security", "scale", a[2, 3])]
    r = ahp.ahp_from_judgements(items, tree)
    np.testing.assert_allclose(r.weights, w)  # consistent judgements: the weights exactly
    full = [(items[i], items[j], a[i, j]) for i in range(4) for j in range(i + 1, 4)]
    np.testing.assert_allclose(ahp.ahp_from_judgements(items, full).weights,
                               ahp.ahp_weights(pd.DataFrame(a, items, items)).weights)
    with pytest.raises(InputError, match="never compared"):
        ahp.ahp_from_judgements(items, tree[:2])
    with pytest.raises(InputError, match="one of"):
        ahp.ahp_from_judgements(items, [("price", "speed", 2)])


@pytest.mark.parametrize("second", [("price", "quality", 2.0), ("quality", "price", 0.5),
                                    ("price", "quality", 3.0)],
                         ids=["same pair, same value", "reversed, reciprocal", "another value"])
def test_a_pair_judged_twice_is_refused_naming_the_pair(second):
    """A second judgement of a pair is a slip even when it agrees: refused, naming it."""
    items = ["price", "quality", "security"]
    judgements = [("price", "quality", 2.0), ("quality", "security", 1.5), second]
    with pytest.raises(InputError) as err:
        ahp.ahp_from_judgements(items, judgements)
    assert err.value.argument == "judgement 3" and err.value.value == second
    assert f"{second[0]} vs {second[1]} is judgement 1 already" in str(err.value)


def test_judgements_that_leave_an_item_unconnected_name_both_sides():
    items = ["price", "quality", "security", "scale"]
    with pytest.raises(InputError) as err:
        ahp.ahp_from_judgements(items, [("price", "quality", 2), ("security", "scale", 1)])
    assert err.value.argument == "judgements"
    assert err.value.value == "security, scale never compared with price, quality"
    assert "connecting every item" in str(err.value)


@pytest.mark.parametrize("matrix, argument", [
    ([[1, 2], [0.4, 1]], "pairwise[1, 0]"),   # not reciprocal
    ([[1, -2], [-0.5, 1]], "pairwise[0, 1]"),  # non-positive
])
def test_bad_pairwise_matrices(matrix, argument):
    with pytest.raises(InputError) as err:
        ahp.ahp_weights(np.array(matrix, float))
    assert err.value.argument == argument


M = pd.DataFrame({"price": [60.0, 80.0, 70.0], "qa": [90.0, 80.0, 85.0],
                  "iso": [1.0, 1.0, 1.0]}, index=["A", "B", "C"])
W = {"price": 0.5, "qa": 0.3, "iso": 0.2}
D = {"price": "cost", "qa": "benefit", "iso": "benefit"}


@pytest.mark.parametrize("method", ["topsis", "minmax", "sum"])
def test_a_criterion_all_tie_on_changes_no_ranking(method):
    def rank(matrix, weights):
        if method == "topsis":
            return scoring.topsis(matrix, weights, D).rank
        return scoring.weighted_sum(matrix, weights, D, method).rank

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with_tie = rank(M, W)
    without = rank(M.drop(columns="iso"), {"price": 0.625, "qa": 0.375})
    assert with_tie.tolist() == without.tolist() == [1, 3, 2]


def test_ties_are_reported_as_ties():
    twins = pd.concat([M, M.loc[["A"]].rename(index={"A": "A2"})])
    t = scoring.topsis(twins, W, D).table()
    assert t.loc["A", "rank"] == t.loc["A2", "rank"] == 1 and t.loc["A", "tie"]
    assert t.loc["C", "rank"] == 3 and not t.loc["C", "tie"]


def test_weighted_sum_contributions_add_up_and_weights_are_normalised():
    with pytest.warns(DataWarning, match="weights sum to 10"):
        r = scoring.weighted_sum(M, {"price": 5, "qa": 3, "iso": 2}, D)
    np.testing.assert_allclose(r.contributions.sum(axis=1), r.score)
    # min-max: A is cheapest and best on QA: 0.5 + 0.3 + 0.2 (tie: all at the best)
    assert r.score["A"] == pytest.approx(1.0) and r.score["B"] == pytest.approx(0.2)


@pytest.mark.parametrize("weights, directions, matrix, argument", [
    ({"price": -0.5, "qa": 1.0, "iso": 0.5}, D, M, "weight of price"),
    ({"price": 0, "qa": 0, "iso": 0}, D, M, "weights"),
    ({"price": 0.5, "qa": 0.3, "iso": 0.1, "speed": 0.1}, D, M, "weights"),
    ({"price": 0.5, "qa": 0.5}, D, M, "weights"),
    (W, {**D, "qa": "more"}, M, "direction of qa"),
    (W, D, M.astype(object).assign(qa=[90, "high", 85]), "score of vendor B on qa"),
    (W, D, M.iloc[:1], "matrix"),
])
def test_bad_scoring_inputs(weights, directions, matrix, argument):
    with pytest.raises(InputError) as err:
        scoring.topsis(matrix, weights, directions)
    assert err.value.argument == argument


def test_sum_normalisation_refuses_a_zero_cost():
    with pytest.raises(InputError, match="zero on a cost criterion"):
        scoring.weighted_sum(M.assign(price=[0.0, 80, 70]), W, D, "sum")


def test_rank_stability_distribution():
    r = sensitivity.rank_stability(M, W, D, n=2_000, seed=3)
    probs = r.filter(like="P(rank")
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(probs.sum(axis=0), 1.0)
    # A is cheapest and best on QA: it wins under every weighting
    assert r.loc["A", "P(rank 1)"] == 1.0
    uniform = sensitivity.rank_stability(M, W, D, concentration=None, n=2_000)
    assert uniform.loc["A", "P(rank 1)"] == 1.0
    # a real trade-off: B is best on QA, C on price; the odds follow the weights
    trade = M.assign(qa=[80.0, 95.0, 85.0], price=[80.0, 75.0, 60.0])
    qa_heavy = sensitivity.rank_stability(trade, {"price": 0.1, "qa": 0.8, "iso": 0.1}, D)
    price_heavy = sensitivity.rank_stability(trade, {"price": 0.8, "qa": 0.1, "iso": 0.1}, D)
    assert qa_heavy.loc["B", "P(rank 1)"] > 0.9 > price_heavy.loc["B", "P(rank 1)"]


def test_switch_point_of_a_linear_weighted_sum():
    # two vendors, two criteria: A wins on price, B on QA; min-max scores are 0/1, so
    # A's score is w_price and B's 1 - w_price: the winner changes at w_price = 0.5
    m = pd.DataFrame({"price": [60.0, 80.0], "qa": [80.0, 90.0]}, index=["A", "B"])
    d = {"price": "cost", "qa": "benefit"}
    sw = sensitivity.weight_switch_points(m, {"price": 0.7, "qa": 0.3}, d, "weighted_sum")
    assert sw.loc["price", "winner"] == "A" and sw.loc["price", "winner below"] == "B"
    assert sw.loc["price", "below"] == pytest.approx(0.5, abs=1e-5)
    assert np.isnan(sw.loc["price", "above"]) and sw.loc["qa", "above"] == pytest.approx(
        0.5, abs=1e-5)
    # today's weight just above the switch, between two grid points: still below it
    near = sensitivity.weight_switch_points(m.iloc[::-1], {"price": 0.5004, "qa": 0.4996}, d,
                                        "weighted_sum")
    assert 0.5 - 1e-5 < near.loc["price", "below"] < 0.5004
    assert near.loc["qa", "above"] == pytest.approx(0.5, abs=1e-5)


def test_ranks_treat_scores_within_1e12_as_ties():
    assert scoring.rank_order(np.array([0.6369616873215, 0.6369616873214999, 0.2])).tolist() == [
        1, 1, 3]


# ---------------------------------------------------------------- on the sample client
@pytest.fixture(scope="module")
def prices(sample_client):
    return pricing.vendor_prices(sample_client)


def test_decision_matrix_of_the_sample(sample_client, prices):
    with pytest.warns(DataWarning, match="4 missing"):
        m, assumed = scoring.decision_matrix(sample_client, prices)
    assert m.shape == (6, len(sample_client.criteria.criteria))
    assert m.loc["V05", "iso27001"] == 0.0 and m.loc["V01", "iso27001"] == 1.0
    assert m["price"].to_dict() == prices.to_dict()
    assert set(assumed["vendor_id"]) == {"V03", "V05"}
    assert (assumed.set_index("criterion").loc["pilot_csat", "assumed"] == 0.82).all()
    with pytest.raises(InputError, match="pilot_csat of vendor V03"):
        scoring.decision_matrix(sample_client, prices, missing="error")
    with pytest.raises(InputError, match="source: pricing"):
        scoring.decision_matrix(sample_client)


# ---------------------------------------------------------------- step 2 end to end
def test_ahp_weights_from_the_criteria_file(sample_client):
    from bpo_analysis.steps.vendors import scoring
    from bpo_analysis.steps.vendors import step as vendors_step

    result, weights = ahp.ahp_criterion_weights(sample_client)
    assert result.random_index == "alonso_lamata2006" and len(result.weights) == 12
    assert weights.sum() == pytest.approx(1.0)
    crit = scoring.criteria_table(sample_client)
    # quality's AHP weight shared by its three criteria as 0.08 : 0.08 : 0.04
    q = result.weights["service quality"]
    assert weights["mystery_shopper"] == pytest.approx(q * 0.4)
    assert weights["improvement_plans"] == pytest.approx(q * 0.2)
    assert weights["price"] == pytest.approx(result.weights["price"])
    ev = vendors_step.evaluate(sample_client, weights_from="ahp")
    np.testing.assert_allclose(ev.weights[crit.index], weights[crit.index])
    no_ahp = dataclasses.replace(sample_client, criteria=sample_client.criteria.model_copy(
        update={"ahp": None}))
    with pytest.raises(InputError, match="weights_from"):
        vendors_step.evaluate(no_ahp, weights_from="ahp")


@pytest.mark.parametrize("kwargs, argument", [({"method": "electre"}, "method"),
                                              ({"weights_from": "gut"}, "weights_from"),
                                              ({"missing": "drop"}, "missing")])
def test_bad_evaluation_parameters(sample_client, kwargs, argument):
    from bpo_analysis.steps.vendors import step as vendors_step

    with pytest.raises(InputError) as err:
        vendors_step.evaluate(sample_client, **kwargs)
    assert err.value.argument == argument


def test_unknown_group_in_ahp_judgements_is_refused(sample_client):
    from pydantic import ValidationError

    data = sample_client.criteria.model_dump()
    data["ahp"]["judgements"].append(["service quality", "vibes", 2])
    with pytest.raises(ValidationError, match="'vibes', not one of the groups"):
        type(sample_client.criteria).model_validate(data)


def _with_criteria(client, edit):
    data = client.criteria.model_dump()
    edit(data["criteria"])
    return dataclasses.replace(client, criteria=type(client.criteria).model_validate(data))


def test_a_word_as_a_knock_out_limit_is_an_input_error_not_a_type_error(sample_client,
                                                                         prices):
    """load_client refuses it (tests/data/test_quality.py); a client built in code too."""
    from bpo_analysis.core import eligibility

    def edit(criteria):
        next(c for c in criteria if c["id"] == "attrition")["knock_out"]["value"] = "high"

    with pytest.raises(InputError) as err:
        eligibility.knock_out(_with_criteria(sample_client, edit), prices)
    assert err.value.argument == "criteria.yaml knock_out of criterion 'attrition'"
    assert err.value.value == "high" and "a limit comparable with its values" in str(err.value)


def test_a_text_column_as_a_criterion_is_an_input_error(sample_client, prices):
    def edit(criteria):
        criteria[0]["column"] = "hq_city"

    with pytest.raises(InputError) as err:
        scoring.decision_matrix(_with_criteria(sample_client, edit), prices)
    assert err.value.argument == "criterion 'mystery_shopper' (criteria.yaml column)"
    assert err.value.value == "hq_city" and "numbers or yes/no" in str(err.value)


# ---------------------------------------------------------------- issue 22: any client's columns
def test_an_extra_column_a_criterion_reads_is_scored_by_step_2(folder):
    """A column of the client's own, read by a criterion: loaded without a warning, scored."""
    from bpo_analysis.data.client import load_client
    from bpo_analysis.steps.vendors import step as vendors_step
    from tests.conftest import edit_text

    path = folder / "vendors.csv"
    nps = {"V01": 45, "V02": 62, "V03": 30, "V04": 38, "V05": 51, "V06": 40}
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",nps"] + [f"{ln},{nps[ln[:3]]}" for ln in lines[1:]])
                    + "\n", encoding="utf-8")
    edit_text(folder / "criteria.yaml", "criteria:\n", "criteria:\n  - {id: nps, group: "
              "service quality, name: Net Promoter Score, column: nps, direction: benefit, "
              "unit: points, weight: 3}\n", count=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        client = load_client(folder)
    ev = vendors_step.evaluate(client, draws=200)
    assert ev.matrix["nps"].to_dict() == {"V01": 45.0, "V02": 62.0, "V06": 40.0}
    contributions = ev.rankings["weighted_sum"].contributions["nps"]
    assert contributions.idxmax() == "V02" and contributions["V06"] == 0.0
    assert ev.winner == "V02"  # the client's NPS, weighted heavily, decides


def test_a_vendor_not_serving_the_clients_languages_is_knocked_out(sample_client, prices):
    from bpo_analysis.core import eligibility
    from bpo_analysis.steps.vendors import step as vendors_step
    from bpo_analysis.steps.vendors import views

    served = sample_client.vendors.assign(languages=[
        ["zh-Hant", "en", "ja"], None, *sample_client.vendors["languages"].iloc[2:]])
    client = dataclasses.replace(sample_client, vendors=served,
                                 criteria=sample_client.criteria.model_copy(
                                     update={"languages": ["ZH-hant", "JA"]}))  # case aside
    ko = eligibility.knock_out(client, prices)
    rows = ko[ko["criterion"] == "languages"].set_index("vendor_id")
    assert rows["passed"].to_dict() == {"V01": True, "V02": False, "V03": False, "V04": False,
                                        "V05": False, "V06": True}
    assert rows.loc["V05", "value"] == "zh-Hant; en; nan" and rows.loc["V02", "value"] is None
    assert eligibility.failed_rules(ko, "V05") == ["ISO 27001 certified: required",
                                                   "Serves Chinese (Traditional), Japanese"]
    assert eligibility.survivors(ko, client.vendors["vendor_id"]) == ["V01", "V06"]
    ev = vendors_step.evaluate(client, draws=200)
    shown = views.knock_out_view(ev).data.set_index(["vendor", "criterion"])
    assert shown.loc[("Harbor Contact Services (V02)", "Languages served"), "value"] == "-"
    assert shown.loc[("Evergreen CX (V06)", "Languages served"), "value"] == (
        "Chinese (Traditional), English, Japanese, Korean")
    assert shown.loc[("Lotus Service Partners (V05)", "Languages served"), "value"] == (
        "Chinese (Traditional), English, Min Nan Chinese")  # "nan" is a language


def test_the_sample_serves_its_languages_and_keeps_its_ranking(sample_client, prices):
    from bpo_analysis.core import eligibility
    from bpo_analysis.steps.vendors import step as vendors_step

    assert sample_client.criteria.languages == ["zh-Hant", "en"]
    ko = eligibility.knock_out(sample_client, prices)
    assert ko.loc[ko["criterion"] == "languages", "passed"].all()
    assert eligibility.survivors(ko, sample_client.vendors["vendor_id"]) == ["V01", "V02", "V06"]
    ranking = vendors_step.evaluate(sample_client, draws=200).ranking.table()
    assert ranking.index.tolist() == ["V01", "V06", "V02"]
    assert ranking["score"].iloc[0] == pytest.approx(0.8266720869236751, rel=1e-12)
