"""The maturity assessment in the report (notebook 08): levels, gaps and KPIs to adopt,
for the client's own centre and the vendors, with the questionnaire as an annex."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from . import maturity as mt
from .io import Client
from .present import Headline, Headlines, styled

__all__ = ["MaturityReview", "compare_view", "gaps_view", "headlines", "kpis_view",
           "questionnaire_view", "review_maturity"]


@dataclass(frozen=True)
class MaturityReview:
    """The assessed subjects and the one the report is about."""

    maturity: mt.Maturity
    subject: str


def review_maturity(client: Client, *, answers_file: str | Path = "",
                    subject: str = "") -> MaturityReview:
    """The client's ``maturity_answers.yaml`` (or ``answers_file``) assessed; ``subject``
    is the one the headlines, gaps and KPIs are about ("" = the first in the file)."""
    answers = mt.read_maturity_answers(answers_file) if answers_file else client.maturity
    m = mt.assess(answers)
    return MaturityReview(m, m.subject(subject))


def headlines(res: MaturityReview) -> Headlines:
    """The subject's level overall and per layer (1 operational .. 4 visionary)."""
    m, s = res.maturity, res.subject
    o = m.overall.loc[s]
    dims = m.dimensions[m.dimensions["subject"] == s].set_index("dimension")
    cards = [Headline("overall", "Overall level", float(o["level"]), "level (1-4)",
                      display=f"{o['level_name']} ({int(o['level'])} of 4)",
                      note=f"mean answer {o['score']:.2f} of 4")]
    for d in mt.DIMENSIONS:
        r = dims.loc[d]
        cards.append(Headline(d, d.title(), float(r["level"]), "level (1-4)",
                              display=f"{r['level_name']} ({int(r['level'])} of 4)",
                              note=f"mean answer {r['score']:.2f} of 4"))
    gaps = mt.gaps(m, s)
    nxt = (f"; {len(gaps)} topic(s) hold it there" if o["level"] < 4 else "")
    return Headlines(cards, title=f"{s}: {o['level_name']} centre{nxt}.")


def compare_view(res: MaturityReview) -> Styler:
    """Every subject side by side; the last column is the mean answer's difference
    from the first subject."""
    c = mt.compare(res.maturity).reset_index()
    c.columns = [col.replace(" score", " score (1-4)") if col.endswith("score") else col
                 for col in c.columns]
    c = c.rename(columns={"vs first subject": "vs first subject (points of 1-4)"})
    fmts = {col: "{:.2f}" for col in c.columns if "(1-4)" in col}
    fmts["vs first subject (points of 1-4)"] = "{:+.2f}"
    return styled(c, fmts, "Subjects compared (level = the weakest topic; score = mean "
                           "answer)")


def gaps_view(res: MaturityReview) -> Styler:
    """The topics holding each layer at its level, with the next level's description."""
    return styled(mt.gaps(res.maturity, res.subject), {},
                  f"{res.subject}: the topics to lift to reach the next level")


def kpis_view(res: MaturityReview) -> Styler:
    """The KPIs seed 001 sets for the subject's level."""
    name = mt.level_name(int(res.maturity.overall.loc[res.subject, "level"]))
    article = "an" if name[0] in "aeiou" else "a"
    return styled(mt.kpis_to_adopt(res.maturity, res.subject), {},
                  f"KPIs to adopt next: the targets of {article} {name} centre (seed 001)")


def questionnaire_view() -> Styler:
    """The questionnaire: every topic and what each level looks like on it."""
    rows = [{"layer": d, "question": q.id, "topic": q.topic,
             **{f"{i + 1} {mt.LEVELS[i]}": text for i, text in enumerate(q.levels)}}
            for d, qs in mt.QUESTIONNAIRE.items() for q in qs]
    return styled(pd.DataFrame(rows), {}, "The questionnaire (answer: the level whose "
                                          "description fits best)")
