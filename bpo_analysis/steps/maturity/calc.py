"""Step 8, maturity: how mature a contact centre is, and what it should target next.

The answers to the questionnaire (:mod:`bpo_analysis.data.questionnaire`) scored.

Scoring (a staged model, as CMMI's staged representation): a layer is at the level its
weakest topic has reached -- a centre is not "strategic" with operational scheduling --
and the centre at the level of its weakest layer. The mean answer is shown beside it as
a finer score. The gaps are the topics holding a layer at its level, with what the next
level looks like; the KPIs to adopt next are the targets of the subject's level.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bpo_analysis.data.kpis import KPIS
from bpo_analysis.data.models import MaturityAnswers
from bpo_analysis.data.questionnaire import (
    DIMENSIONS,
    LEVEL_KPIS,
    LEVELS,
    QUESTIONNAIRE,
)
from bpo_analysis.errors import InputError

__all__ = ["Maturity", "assess", "compare", "gaps", "kpis_to_adopt"]


@dataclass(frozen=True)
class Maturity:
    """The assessed subjects.

    ``answers``: one row per subject and question (``subject``, ``dimension``,
    ``question``, ``topic``, ``answer``). ``dimensions``: per subject and layer, ``level``
    (its weakest topic), ``level_name`` and ``score`` (the mean answer). ``overall``: per
    subject (index), ``level`` (its weakest layer), ``level_name`` and ``score`` (the mean
    of every answer).
    """

    answers: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame

    @property
    def subjects(self) -> list[str]:
        """The subjects in the file's order (the first is usually the client's centre)."""
        return list(self.overall.index)

    def subject(self, name: str) -> str:
        """Return ``name`` if assessed ("" means the first subject), else one InputError."""
        if name == "":
            return self.subjects[0]
        if name not in self.subjects:
            raise InputError("subject", name, f"one of {self.subjects}")
        return name


def assess(answers: MaturityAnswers) -> Maturity:
    """Assess every subject: its level per layer and overall, and the mean scores.

    Parameters
    ----------
    answers : MaturityAnswers
        ``maturity.yaml``: each subject's answer (level 1-4) to every question.

    Returns
    -------
    Maturity

    Examples
    --------
    >>> ans = MaturityAnswers.model_validate({"assessments": [{"subject": "us", "answers": {
    ...     d: {q.id: 3 for q in qs} for d, qs in QUESTIONNAIRE.items()}}]})
    >>> assess(ans).overall.loc["us", "level_name"]
    'strategic'
    """
    rows = [(a.subject, dim, q.id, q.topic, a.answers[dim][q.id])
            for a in answers.assessments for dim, qs in QUESTIONNAIRE.items() for q in qs]
    long = pd.DataFrame(rows, columns=["subject", "dimension", "question", "topic", "answer"])
    order = pd.unique(long["subject"])
    dims = (long.groupby(["subject", "dimension"], sort=False)["answer"]
            .agg(level="min", score="mean").reset_index())
    dims["level_name"] = [LEVELS[v - 1] for v in dims["level"]]
    overall = long.groupby("subject", sort=False)["answer"].agg(score="mean")
    overall["level"] = dims.groupby("subject", sort=False)["level"].min()
    overall["level_name"] = [LEVELS[v - 1] for v in overall["level"]]
    return Maturity(long, dims, overall.loc[order, ["level", "level_name", "score"]])


def gaps(m: Maturity, subject: str = "") -> pd.DataFrame:
    """List the topics holding each layer of ``subject`` at its level.

    With what the next level looks like on that topic (none for a topic already
    visionary).

    Parameters
    ----------
    m : Maturity
        :func:`assess`.
    subject : str
        An assessed subject ("" means the first).

    Returns
    -------
    DataFrame
        ``dimension``, ``topic``, ``now``, ``next`` and what the next level looks like.
    """
    s = m.subject(subject)
    a = m.answers[m.answers["subject"] == s]
    level = m.dimensions[m.dimensions["subject"] == s].set_index("dimension")["level"]
    held = a[(a["answer"] == a["dimension"].map(level)) & (a["answer"] < 4)]
    by_id = {q.id: q for qs in QUESTIONNAIRE.values() for q in qs}
    return pd.DataFrame({
        "dimension": held["dimension"], "topic": held["topic"],
        "now": [LEVELS[v - 1] for v in held["answer"]],
        "next": [LEVELS[v] for v in held["answer"]],
        "what the next level looks like": [by_id[q].levels[v] for q, v in
                                           zip(held["question"], held["answer"], strict=True)],
    }).reset_index(drop=True)


def kpis_to_adopt(m: Maturity, subject: str = "") -> pd.DataFrame:
    """List the KPIs seed 001 sets as targets for ``subject``'s level.

    What it should pursue to reach the next, with the KPI dictionary's canonical
    definition where it has one.

    Parameters
    ----------
    m : Maturity
        :func:`assess`.
    subject : str
        An assessed subject ("" means the first).

    Returns
    -------
    DataFrame
        ``kpi``, ``name`` and ``definition``.
    """
    s = m.subject(subject)
    level = int(m.overall.loc[s, "level"])
    rows = [(kid, name, KPIS[kid].variants[KPIS[kid].canonical].formula if kid in KPIS
             else "not in the KPI dictionary yet: agree a definition with the vendor")
            for kid, name in LEVEL_KPIS[level]]
    return pd.DataFrame(rows, columns=["kpi", "name", "definition"])


def compare(m: Maturity) -> pd.DataFrame:
    """Set every subject's level and score per layer and overall side by side.

    One row per subject, with each score's difference from the first subject (the
    client's own centre).

    Parameters
    ----------
    m : Maturity
        :func:`assess`.

    Returns
    -------
    DataFrame
        Indexed by ``subject``: level and score (mean answer, 1-4) per layer and overall,
        and the differences.
    """
    wide = m.dimensions.pivot(index="subject", columns="dimension", values="score")
    wide = wide.loc[m.subjects, list(DIMENSIONS)]
    out = pd.DataFrame(index=pd.Index(m.subjects, name="subject"))
    for dim in DIMENSIONS:
        lv = m.dimensions[m.dimensions["dimension"] == dim].set_index("subject")["level_name"]
        out[f"{dim} level"] = lv.loc[m.subjects]
        out[f"{dim} score"] = wide[dim]
    out["overall level"] = m.overall["level_name"]
    out["overall score"] = m.overall["score"]
    out["vs first subject"] = m.overall["score"] - m.overall["score"].iloc[0]
    return out
