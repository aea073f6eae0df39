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

from bpo_analysis.core.decision import vendor_label, vendor_names
from bpo_analysis.core.present import Headlines
from bpo_analysis.core.result import StepResult, file_name, in_folder, left_open
from bpo_analysis.data import questionnaire
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _
from bpo_analysis.steps.maturity import calc, charts, views

__all__ = ["MaturityResult", "run"]


@dataclass(frozen=True, eq=False)
class MaturityResult(StepResult):
    """The assessed subjects and the one the report is about.

    ``from_files`` names the notebook parameters the run left to the client's files
    (:meth:`_used` says what it took for them).
    """

    step = "08 maturity"

    maturity: calc.Maturity
    subject: str
    inputs: dict[str, Any] = field(default_factory=dict)
    client: Client | None = field(default=None, repr=False)
    from_files: frozenset[str] = frozenset()

    def label(self, subject: str) -> str:
        """Return a subject as the report names it: a vendor by its name, its id small after.

        "V02 Harbor Contact Services" (a vendor's id first, as answers files often name
        vendors) reads "Harbor Contact Services (V02)"; a vendor's name or id alone gets
        the other; any other subject as it is.
        """
        names = vendor_names(self.client) if self.client is not None else {}
        first, _sep, rest = subject.partition(" ")
        if subject in names or (first in names and rest in ("", names[first])):
            return vendor_label(self.client, subject if subject in names else first)
        ids = {name: vid for vid, name in names.items()}
        return f"{subject} ({ids[subject]})" if subject in ids else subject

    def _headline(self) -> Headlines:
        return views.headlines(self)

    def _used(self) -> Mapping[str, str]:
        c, left = self.client, self.from_files
        if c is None:
            return {}
        given = self.inputs.get("answers_file", "")
        file = Path(given).name if given else file_name(c, "maturity_answers")
        used = {"answers_file": in_folder(file)} if "answers_file" in left else {}
        if "subject" in left:
            used["subject"] = _("{subject}, the first in {source}").format(
                subject=self.label(self.subject), source=file)
        return used

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        return {"compare": lambda: views.compare_view(self),
                "gaps": lambda: views.gaps_view(self),
                "kpis": lambda: views.kpis_view(self),
                "questionnaire": views.questionnaire_view}

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        m = self.maturity  # the radar's traces name each subject as the tables do
        answers = m.answers.assign(subject=m.answers["subject"].map(self.label))
        return {"radar": lambda: charts.maturity_radar(answers, list(map(self.label,
                                                                         m.subjects)))}


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
                          {"answers_file": str(answers_file), "subject": subject}, client,
                          left_open(answers_file=(str(answers_file), ""), subject=(subject, "")))
