"""Maturity assessment (seed 001): levels, gaps and KPIs by hand, and every bad answers
file refused by line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bpo_analysis import load_client
from bpo_analysis.data import questionnaire
from bpo_analysis.data.kpis import KPIS
from bpo_analysis.data.models import MaturityAnswers
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.maturity import calc as mt
from tests.conftest import SAMPLE, edit_text

ANSWERS = SAMPLE / "maturity_answers.yaml"


def _answers(**levels: dict[str, int]) -> MaturityAnswers:
    """One subject "us": every question at 2 unless ``levels`` says otherwise."""
    ans = {d: {q.id: 2 for q in qs} for d, qs in questionnaire.QUESTIONNAIRE.items()}
    for d, qs in levels.items():
        ans[d].update(qs)
    return MaturityAnswers.model_validate({"assessments": [{"subject": "us", "answers": ans}]})


def test_the_questionnaire_has_five_topics_per_layer_and_four_levels():
    assert tuple(questionnaire.QUESTIONNAIRE) == questionnaire.DIMENSIONS == (
        "technology", "people", "process")
    assert [len(qs) for qs in questionnaire.QUESTIONNAIRE.values()] == [5, 5, 5]
    ids = [q.id for qs in questionnaire.QUESTIONNAIRE.values() for q in qs]
    assert len(set(ids)) == 15
    assert all(len(q.levels) == 4 and all(q.levels) for qs in questionnaire.QUESTIONNAIRE.values()
               for q in qs)
    assert questionnaire.LEVELS == ("operational", "refined", "strategic", "visionary")


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
    with pytest.raises(InputError, match="level"):
        questionnaire.level_name(5)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return Path(shutil.copy(ANSWERS, tmp_path / "maturity_answers.yaml"))


@pytest.mark.parametrize("old, new, line, column, phrase", [
    ("acd_ivr: 2,", "acd_ivr: 5,", 8, "assessments.0.answers.technology.acd_ivr",
     "a level 1 (operational) to 4 (visionary)"),
    ("coaching: 1,", "coaching: 0,", 9, "assessments.0.answers.people.coaching",
     "outside the questionnaire's scale"),
    ("acd_ivr: 2, ", "", 8, "assessments.0.answers.technology.acd_ivr",
     "question technology.acd_ivr is not answered"),
    ("knowledge_base: 2,", "knowledge_bas: 2,", 10,
     "assessments.0.answers.process.knowledge_bas", "a question the questionnaire does not ask"),
    ("      people: {recruiting: 2, training: 2, coaching: 1, incentives: 1, "
     "career_paths: 1}\n", "", 8, "assessments.0.answers.people",
     "the people questions are not answered"),
])
def test_bad_answers_are_refused_by_line_and_key(answers, old, new, line, column, phrase):
    edit_text(answers, old, new, count=1)
    with pytest.raises(DataError) as err:
        questionnaire.read_maturity_answers(answers)
    e = err.value
    assert (Path(e.file), e.row, e.column) == (answers, line, column), str(e)
    assert phrase in str(e)


def test_a_subject_twice_is_refused(answers):
    edit_text(answers, "subject: V02 Harbor Contact Services",
              "subject: Formosa Click in-house centre", count=1)
    with pytest.raises(DataError, match="assessed twice"):
        questionnaire.read_maturity_answers(answers)


def test_the_client_folder_checks_its_answers_too(folder):
    edit_text(folder / "maturity_answers.yaml", "analytics: 1}", "analytics: 7}", count=1)
    with pytest.raises(DataError, match=r"maturity_answers.yaml, row 8, column "
                                        r"'assessments.0.answers.technology.analytics'"):
        load_client(folder)
