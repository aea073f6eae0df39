"""Maturity assessment (seed 001, steps.maturity): levels, gaps and KPIs by hand, subjects
named. The questionnaire and every bad answers file refused by line and key
(data.questionnaire) are tested in tests/data/test_questionnaire.py."""

from __future__ import annotations

import pytest

from bpo_analysis.data import questionnaire
from bpo_analysis.data.kpis import KPIS
from bpo_analysis.data.models import MaturityAnswers
from bpo_analysis.errors import InputError
from bpo_analysis.steps.maturity import calc as mt


def _answers(**levels: dict[str, int]) -> MaturityAnswers:
    """One subject "us": every question at 2 unless ``levels`` says otherwise."""
    ans = {d: {q.id: 2 for q in qs} for d, qs in questionnaire.QUESTIONNAIRE.items()}
    for d, qs in levels.items():
        ans[d].update(qs)
    return MaturityAnswers.model_validate({"assessments": [{"subject": "us", "answers": ans}]})


def test_levels_are_the_weakest_topic_and_scores_the_mean():
    m = mt.assess(_answers(technology={"acd_ivr": 4, "analytics": 1},
                           people={q.id: 3 for q in questionnaire.QUESTIONNAIRE["people"]}))
    d = m.dimensions.set_index("dimension")
    assert d.loc["technology", "level"] == 1 and d.loc["technology", "score"] == pytest.approx(
        (4 + 1 + 2 + 2 + 2) / 5)
    assert (d.loc["people", "level"], d.loc["people", "level_name"]) == (3, "strategic")
    assert d.loc["process", "level"] == 2
    o = m.overall.loc["us"]
    assert (o["level"], o["level_name"]) == (1, "operational")
    assert o["score"] == pytest.approx((11 + 15 + 10) / 15)


def test_sample_levels(sample_client):
    m = mt.assess(sample_client.maturity)
    assert m.subjects == ["Formosa Click in-house centre", "V02 Harbor Contact Services"]
    assert list(m.overall["level_name"]) == ["operational", "refined"]
    assert m.overall["score"].tolist() == pytest.approx([22 / 15, 39 / 15])
    c = mt.compare(m)
    assert c["vs first subject"].tolist() == pytest.approx([0.0, 17 / 15])
    assert c.loc["V02 Harbor Contact Services", "technology score"] == pytest.approx(2.8)


def test_gaps_are_the_topics_at_the_layers_level_with_the_next_description():
    m = mt.assess(_answers(technology={"acd_ivr": 4, "analytics": 1}))
    g = mt.gaps(m)
    tech = g[g["dimension"] == "technology"]
    assert list(tech["topic"]) == ["Reporting and analytics"]  # the only one at level 1
    analytics = questionnaire.QUESTIONNAIRE["technology"][4]
    assert tech.iloc[0]["what the next level looks like"] == analytics.levels[1]
    assert (tech.iloc[0]["now"], tech.iloc[0]["next"]) == ("operational", "refined")
    assert len(g[g["dimension"] == "people"]) == 5  # all at 2: all hold it
    top = mt.assess(_answers(**{d: {q.id: 4 for q in qs}
                                for d, qs in questionnaire.QUESTIONNAIRE.items()}))
    assert mt.gaps(top).empty  # nothing above visionary


@pytest.mark.parametrize("level, kpis", [
    (1, ["service_level", "aht", "asa", "qa_score", "occupancy", "adherence"]),
    (2, ["fcr", "upsell_rate", "cross_sell_rate", "csat"]),
])
def test_kpis_to_adopt_are_the_seeds_targets_of_the_level(level, kpis):
    m = mt.assess(_answers(**{d: {q.id: level for q in qs}
                              for d, qs in questionnaire.QUESTIONNAIRE.items()}))
    k = mt.kpis_to_adopt(m)
    assert list(k["kpi"]) == kpis
    for row in k.itertuples():
        if row.kpi in KPIS:
            assert row.definition == KPIS[row.kpi].variants[KPIS[row.kpi].canonical].formula
        else:
            assert "not in the KPI dictionary" in row.definition


def test_subject_names_are_checked(sample_client):
    m = mt.assess(sample_client.maturity)
    assert m.subject("") == "Formosa Click in-house centre"
    with pytest.raises(InputError, match=r"'subject'.*'V9'.*one of \['Formosa"):
        m.subject("V9")
