"""Step 8 as one call: ``run(client, ...)`` assesses the maturity answers.

It returns a :class:`MaturityResult`.

A retailer reads where its own centre stands before it outsources:

>>> from bpo_analysis.data.client import load_client
>>> result = run(load_client("data/sample"))
>>> result.subject, result.headline["overall"].text
('Formosa Click in-house centre', 'operational (1 of 4)')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult
from bpo_analysis.data import questionnaire
from bpo_analysis.data.client import Client
from bpo_analysis.steps.maturity import calc, charts, views

__all__ = ["MaturityResult", "run"]


@dataclass(frozen=True, eq=False)
class MaturityResult(StepResult):
    """The assessed subjects and the one the report is about."""

    step = "08 maturity"

    maturity: calc.Maturity
    subject: str
    inputs: dict[str, Any] = field(default_factory=dict)

    def _headline(self) -> Headlines:
        return views.headlines(self)

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"compare": lambda: views.compare_view(self),
                "gaps": lambda: views.gaps_view(self),
                "kpis": lambda: views.kpis_view(self),
                "questionnaire": views.questionnaire_view}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        m = self.maturity
        return {"radar": lambda: charts.maturity_radar(m.answers, m.subjects)}


def run(client: Client, *, answers_file: str | Path = "", subject: str = "") -> MaturityResult:
    """Run step 8 with the notebook's parameters.

    Parameters
    ----------
    client : Client
        The client (its ``maturity_answers.yaml``).
    answers_file : str or Path
        Another answers file with the same schema; "" means the client folder's.
    subject : str
        The subject the headlines, gaps and KPIs are about; "" means the first in the file.

    Returns
    -------
    MaturityResult
    """
    answers = (questionnaire.read_maturity_answers(answers_file) if answers_file
               else client.maturity)
    m = calc.assess(answers)
    return MaturityResult(m, m.subject(subject),
                          {"answers_file": str(answers_file), "subject": subject})
