"""The maturity assessment in the report (notebook 08): levels, gaps and KPIs to adopt.

For the client's own centre and the vendors, with the questionnaire as an annex.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, styled
from bpo_analysis.data import questionnaire
from bpo_analysis.i18n import N_, _, plural, term
from bpo_analysis.steps.maturity import calc as mt

if TYPE_CHECKING:
    from bpo_analysis.steps.maturity.step import MaturityResult

__all__ = ["compare_view", "gaps_view", "headlines", "kpis_view",
           "questionnaire_view"]


def headlines(res: MaturityResult) -> Headlines:
    """Return the subject's level overall and per layer (1 operational .. 4 visionary)."""
    m, s = res.maturity, res.subject
    o = m.overall.loc[s]
    dims = m.dimensions[m.dimensions["subject"] == s].set_index("dimension")
    unit = _("level (1-4)")
    cards = [Headline("overall", _("Overall level"), float(o["level"]), unit,
                      display=_level(o), note=_mean(o))]
    for d in questionnaire.DIMENSIONS:
        r = dims.loc[d]
        cards.append(Headline(d, term(d).title(), float(r["level"]), unit,
                              display=_level(r), note=_mean(r)))
    gaps = mt.gaps(m, s)
    nxt = (plural(len(gaps), N_("; {n} topic holds it there"), N_("; {n} topics hold it there"))
           if o["level"] < 4 else "")
    return Headlines(cards, title=_("{subject}: {level} centre{next}.").format(
        subject=res.label(s), level=term(o["level_name"]), next=nxt))


def _level(row: pd.Series) -> str:
    """Return 'refined (2 of 4)', in the report language."""
    return _("{name} ({level} of 4)").format(name=term(row["level_name"]),
                                             level=int(row["level"]))


def _mean(row: pd.Series) -> str:
    return _("mean answer {score:.2f} of 4").format(score=row["score"])


#: The levels, layers and words of :mod:`maturity` the views show (with ``term``).
_NAMES = (N_("operational"), N_("refined"), N_("strategic"), N_("visionary"),
          N_("technology"), N_("people"), N_("process"), N_("overall"),
          N_("not in the KPI dictionary yet: agree a definition with the vendor"))


def _maturity_header(column: str) -> str:
    """Return 'technology level' / 'people score (1-4)' in the report language."""
    layer, _sep, what = column.partition(" ")
    if what == "level":
        return _("{layer} level").format(layer=term(layer))
    if what == "score (1-4)":
        return _("{layer} score (1-4)").format(layer=term(layer))
    return term(column)


def compare_view(res: MaturityResult) -> Styler:
    """Style every subject side by side.

    The last column is the mean answer's difference from the first subject.
    """
    c = mt.compare(res.maturity).reset_index()
    c["subject"] = c["subject"].map(res.label)
    c.columns = [col.replace(" score", " score (1-4)") if col.endswith("score") else col
                 for col in c.columns]
    against = _("difference from {subject} (points of 1-4)").format(
        subject=res.label(res.maturity.subjects[0]))
    c = c.rename(columns={"vs first subject": against, "subject": N_("subject")})
    fmts = {col: "{:.2f}" for col in c.columns if "(1-4)" in col and col != against}
    levels = [col for col in c.columns if col.endswith(" level")]
    c[levels] = c[levels].apply(lambda col: col.map(term))
    c = c.rename(columns=_maturity_header)
    fmts = {_maturity_header(k): v for k, v in fmts.items()}
    return styled(c, {**fmts, against: "{:+.2f}"},
                  _("Subjects compared (level: the weakest topic; score: the mean answer)"))


def gaps_view(res: MaturityResult) -> Styler:
    """Style the topics holding each layer at its level, with the next level's description."""
    g = mt.gaps(res.maturity, res.subject)
    for col in ("dimension", "topic", "now", "next", "what the next level looks like"):
        g[col] = g[col].map(term)  # the questionnaire's words, where the catalog has them
    g = g.rename(columns={"dimension": N_("layer"), "topic": N_("topic"), "now": N_("now"),
                          "next": N_("next"),
                          "what the next level looks like": N_("what the next level looks like")})
    return styled(g, {}, _("{subject}: the topics to lift to reach the next level").format(
        subject=res.label(res.subject)))


def kpis_view(res: MaturityResult) -> Styler:
    """Style the KPIs the maturity model names for the subject's level, with definitions.

    The blueprint names the KPIs a centre at each level pursues, without target values
    (those are the contract's, step 4): the table says so rather than show a target column.
    """
    name = questionnaire.level_name(int(res.maturity.overall.loc[res.subject, "level"]))
    title = (_("The KPIs an {level} centre adopts next, as the maturity model names them "
               "(the contract, not the model, sets their target values)")
             if name[0] in "aeiou" else
             _("The KPIs a {level} centre adopts next, as the maturity model names them "
               "(the contract, not the model, sets their target values)"))
    k = mt.kpis_to_adopt(res.maturity, res.subject)
    k = pd.DataFrame({N_("KPI"): k["name"].map(term),
                      N_("definition"): k["definition"].map(term)})
    return styled(k, {}, title.format(level=term(name)))


def questionnaire_view() -> Styler:
    """Style the questionnaire: every topic and what each level looks like on it."""
    rows = [{N_("layer"): term(d), N_("topic"): term(q.topic),
             **{f"{i + 1} {term(questionnaire.LEVELS[i])}": term(text)
                for i, text in enumerate(q.levels)}}
            for d, qs in questionnaire.QUESTIONNAIRE.items() for q in qs]
    return styled(pd.DataFrame(rows), {}, _("The questionnaire (answer: the level whose "
                                            "description fits best)"))
