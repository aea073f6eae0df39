"""Validated input models: one pydantic model per YAML document and per table row.

The models *are* the data schema: :mod:`bpo_analysis.io` validates every file against
them, and ``data/README.md`` describes the same fields. Shares and rates are decimals
(0.35 means 35 %), durations are seconds unless the name says otherwise, money is in
the scenario's currency.
"""

from .documents import *  # noqa: F403
from .documents import __all__ as _documents
from .tables import *  # noqa: F403
from .tables import __all__ as _tables
from .types import CHANNELS, WEEKDAYS, Channel, minutes

__all__ = ["CHANNELS", "WEEKDAYS", "Channel", "minutes", *_documents, *_tables]
