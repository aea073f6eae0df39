"""bpo-analysis: decide, price, contract and supervise contact-centre outsourcing.

The package holds every calculation; the notebooks in ``notebooks/`` only set
parameters, call it and show the results. Importing it loads neither ipywidgets nor
papermill (those live in :mod:`bpo_analysis.widgets` and :mod:`bpo_analysis.reports`).
"""

from .errors import BpoAnalysisError, DataError, DataWarning, InfeasibleError, InputError
from .io import Client, load_client

__version__ = "0.1.0"

__all__ = ["BpoAnalysisError", "Client", "DataError", "DataWarning", "InfeasibleError",
           "InputError", "__version__", "load_client"]
