"""The client's decisions so far (``decision.yaml``, optional).

One decision runs through the steps: the sourcing form (step 1), the vendor shortlist
and the selected vendor (step 2), its quote (step 3), the incumbent vendor(s) under
review (steps 4 and 5) and the backup arrangement (step 7). A key left out is derived
by the step that decides it; ``data/README.md`` documents every key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from bpo_analysis.data.models.types import SnakeId, Strict

__all__ = ["SOURCING_FORMS", "DecisionFile"]

#: decision.yaml's ``sourcing_form`` -> the option of step 1 it names.
SOURCING_FORMS: dict[str, str] = {
    "inhouse": "In-house",
    "shared": "Shared (per contact)",
    "dedicated": "Dedicated (per seat)",
    "hybrid": "Hybrid (base + overflow)",
    "partial": "Partial (some channels in-house)",
}

Id = Annotated[str, Field(min_length=1, max_length=40)]


class DecisionFile(Strict):
    """What the client has decided (``decision.yaml``); every key is optional.

    The vendor and quote ids are checked against ``vendors.csv`` and ``quotes.csv`` when
    the folder is loaded (:func:`bpo_analysis.data.decision.check_decision`).
    """

    sourcing_form: Literal["inhouse", "shared", "dedicated", "hybrid", "partial"] | None = None
    shortlist: list[Id] | None = None  # vendors still in the race
    selected_vendor: Id | None = None
    selected_quote: Id | None = None  # one of the selected vendor's quotes
    incumbent: list[Id] | None = None  # vendor(s) under contract today, reviewed in 04/05
    backup: SnakeId | None = None  # an outage option id of continuity.yaml
    reason: str = ""  # why, in a sentence the reports quote

    @field_validator("shortlist", "incumbent", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("shortlist", "incumbent")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and (not value or len(set(value)) != len(value)):
            raise ValueError(f"a non-empty list of distinct vendor ids, not {value}")
        return value
