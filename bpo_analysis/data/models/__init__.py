"""Validated input models: one pydantic model per YAML document and per table row.

The models *are* the data schema: :mod:`bpo_analysis.data.io` validates every file against
them, and ``data/README.md`` describes the same fields. Shares and rates are decimals
(0.35 means 35 %), durations are seconds unless the name says otherwise, money is in
the scenario's currency.
"""

from bpo_analysis.data.models.decision import *  # noqa: F403
from bpo_analysis.data.models.decision import __all__ as _decision
from bpo_analysis.data.models.documents import *  # noqa: F403
from bpo_analysis.data.models.documents import __all__ as _documents
from bpo_analysis.data.models.tables import *  # noqa: F403
from bpo_analysis.data.models.tables import __all__ as _tables
from bpo_analysis.data.models.types import CHANNELS, WEEKDAYS, Channel, minutes

__all__ = ["CHANNELS", "WEEKDAYS", "Channel", "minutes", *_decision, *_documents, *_tables]
