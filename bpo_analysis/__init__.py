"""bpo-analysis: decide, price, contract and supervise contact-centre outsourcing.

The package holds every calculation; the notebooks in ``notebooks/`` only set
parameters, call it and show the results. Importing it loads neither ipywidgets nor
papermill (those live in :mod:`bpo_analysis.widgets` and :mod:`bpo_analysis.reporting.reports`).
"""

from bpo_analysis.core import notes as _notes
from bpo_analysis.data.client import Client, load_client
from bpo_analysis.errors import (
    BpoAnalysisError,
    DataError,
    DataWarning,
    InfeasibleError,
    InputError,
)

__version__ = "0.1.0"

_notes.install()  # in a notebook, the package's warnings read as notes, not Python output

__all__ = ["BpoAnalysisError", "Client", "DataError", "DataWarning", "InfeasibleError",
           "InputError", "__version__", "load_client"]
