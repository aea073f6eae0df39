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


# ---------------------------------------------------------------- what the report says
def test_the_headline_counts_the_topics_holding_the_centre_in_words():
    from bpo_analysis.steps.maturity import MaturityResult

    top = {d: {q.id: 4 for q in qs} for d, qs in questionnaire.QUESTIONNAIRE.items()}
    top["process"]["kpi_framework"] = 3  # the one topic below visionary
    one = mt.assess(_answers(**top))
    assert MaturityResult(one, "us").headline.title == \
        "us: strategic centre; 1 topic holds it there."
    eight = MaturityResult(mt.assess(_answers()), "us").headline.title
    assert eight == "us: refined centre; 15 topics hold it there."


def test_vendors_are_named_by_their_names_with_the_id_after(sample_client):
    from bpo_analysis.steps import maturity

    res = maturity.run(sample_client)
    assert res.label("V02 Harbor Contact Services") == "Harbor Contact Services (V02)"
    assert res.label("Harbor Contact Services") == "Harbor Contact Services (V02)"
    assert res.label("V02") == "Harbor Contact Services (V02)"
    assert res.label("Formosa Click in-house centre") == "Formosa Click in-house centre"
    assert res.label("V02 another name") == "V02 another name"  # not the vendor's name
    shown = list(res.tables["compare"].data["subject"])
    assert shown == ["Formosa Click in-house centre", "Harbor Contact Services (V02)"]
    assert [t.name for t in res.figures["radar"].data] == shown
    assert "difference from Formosa Click in-house centre (points of 1-4)" in \
        res.tables["compare"].data.columns


def test_the_kpis_to_adopt_are_named_and_defined_without_ids(sample_client):
    from bpo_analysis.steps import maturity

    res = maturity.run(sample_client)
    kpis = res.tables["kpis"]
    assert list(kpis.data.columns) == ["KPI", "definition"]
    assert list(kpis.data["KPI"]) == [name for _id, name in questionnaire.LEVEL_KPIS[1]]
    # the blueprint names the KPIs, not their targets: the caption says where those are
    assert kpis.caption == ("The KPIs an operational centre adopts next, as the maturity "
                            "model names them (the contract, not the model, sets their "
                            "target values)")
    annex = res.tables["questionnaire"].data
    assert "question" not in annex.columns and "topic" in annex.columns
    assert list(res.tables["gaps"].data.columns)[:2] == ["layer", "topic"]
