"""The maturity questionnaire (data.questionnaire): four levels, five topics per layer,
the targets of each level, and every bad answers file refused by line and key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from bpo_analysis import load_client
from bpo_analysis.data import questionnaire
from bpo_analysis.data.kpis import KPIS
from bpo_analysis.data.models import MaturityAnswers
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.i18n import term, use_language
from tests.conftest import SAMPLE, edit_text

ANSWERS = SAMPLE / "maturity_answers.yaml"


def test_the_questionnaire_has_five_topics_per_layer_and_four_levels():
    assert tuple(questionnaire.QUESTIONNAIRE) == questionnaire.DIMENSIONS == (
        "technology", "people", "process")
    assert [len(qs) for qs in questionnaire.QUESTIONNAIRE.values()] == [5, 5, 5]
    ids = [q.id for qs in questionnaire.QUESTIONNAIRE.values() for q in qs]
    assert len(set(ids)) == 15
    assert all(len(q.levels) == 4 and all(q.levels) for qs in questionnaire.QUESTIONNAIRE.values()
               for q in qs)
    assert questionnaire.LEVELS == ("operational", "refined", "strategic", "visionary")


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


# ---------------------------------------------------------------- levels and targets
@pytest.mark.parametrize("level, name", [(1, "operational"), (2, "refined"),
                                         (3, "strategic"), (np.int64(4), "visionary")])
def test_level_names(level, name):
    assert questionnaire.level_name(level) == name


@pytest.mark.parametrize("level", [0, 5, -1, 2.0, "2", None])
def test_a_level_off_the_scale_is_named(level):
    with pytest.raises(InputError) as err:
        questionnaire.level_name(level)
    assert err.value.argument == "level" and "1 (operational) to 4 (visionary)" in str(err.value)


def test_every_level_has_a_description_and_targets():
    assert sorted(questionnaire.LEVEL_DESCRIPTIONS) == sorted(questionnaire.LEVEL_KPIS) == [
        1, 2, 3, 4]
    assert all(len(text) > 40 for text in questionnaire.LEVEL_DESCRIPTIONS.values())
    for level, targets in questionnaire.LEVEL_KPIS.items():
        ids = [kid for kid, _ in targets]
        assert len(targets) >= 3 and len(set(ids)) == len(ids), level
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", kid) for kid in ids), level


def test_targets_the_kpi_dictionary_defines_reuse_its_ids():
    first = dict(questionnaire.LEVEL_KPIS[1])
    # the operational level's targets are the dictionary's productivity KPIs
    assert set(first) <= set(KPIS)
    assert {kid for targets in questionnaire.LEVEL_KPIS.values() for kid, _ in targets
            if kid in KPIS} == {"service_level", "aht", "asa", "qa_score", "occupancy",
                                "adherence", "fcr", "csat"}


def test_the_sample_answers_read_and_check():
    answers = questionnaire.read_maturity_answers(ANSWERS)
    assert [a.subject for a in answers.assessments] == [
        "Formosa Click in-house centre", "V02 Harbor Contact Services"]
    questionnaire.check_answers(answers, ANSWERS)  # the sample is clean: no error
    ids = {d: {q.id for q in qs} for d, qs in questionnaire.QUESTIONNAIRE.items()}
    for a in answers.assessments:
        assert {d: set(given) for d, given in a.answers.items()} == ids


def test_answers_built_in_code_are_checked_against_the_questionnaire():
    given = {d: {q.id: 3 for q in qs} for d, qs in questionnaire.QUESTIONNAIRE.items()}
    del given["process"]["knowledge_base"]
    answers = MaturityAnswers.model_validate(
        {"assessments": [{"subject": "us", "answers": given}]})
    missing = r"question process\.knowledge_base is not answered"
    with pytest.raises(DataError, match=missing) as err:
        questionnaire.check_answers(answers, ANSWERS)
    assert err.value.column == "assessments.0.answers.process.knowledge_base"


# ---------------------------------------------------------------- in the report language
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Latin words a Taiwanese contact-centre reader reads as they are.
ACRONYMS = {"KPI", "PBX", "ACD", "IVR", "CTI", "WFM", "Erlang", "QA", "AHT", "ASA", "FCR",
            "CSAT"}


def _questionnaire_texts() -> list[str]:
    texts = [*questionnaire.LEVEL_DESCRIPTIONS.values(),
             *(name for targets in questionnaire.LEVEL_KPIS.values() for _, name in targets)]
    texts += [text for qs in questionnaire.QUESTIONNAIRE.values() for q in qs
              for text in (q.topic, *q.levels)]
    return list(dict.fromkeys(texts))


def test_every_topic_level_description_and_kpi_reads_in_chinese():
    texts = _questionnaire_texts()
    assert len(texts) == 95  # 15 topics x 4 levels, 15 topics, 4 levels, 16 KPIs
    with use_language("zh-Hant"):
        shown = {text: term(text) for text in texts}
    english = [t for t, s in shown.items()
               if not CJK.search(s) or set(re.findall(r"[A-Za-z]+", s)) - ACRONYMS]
    assert not english, f"{len(english)} shown in English in zh-Hant, e.g. {english[:3]}"
    assert shown["Real-time schedule adherence"] == "即時班表遵循率"
    assert shown[questionnaire.LEVEL_DESCRIPTIONS[1]].startswith("僅具基本設施")
    with use_language("en"):
        assert term(questionnaire.QUESTIONNAIRE["technology"][0].topic) == (
            "Routing and self-service (PBX/ACD, IVR)")
