"""Step 2, vendor evaluation: knock-outs, weighted scoring and the ranking's stability.

Weighted scoring by weighted sum, TOPSIS and AHP.

``run(client, ...)`` is the step's one entry point (:mod:`.step`), ``upstream(client)``
the same run with its defaults, kept once per client for the steps after it; ``scoring``,
``ahp`` and ``sensitivity`` hold the methods, ``views`` the headline and tables, ``charts`` the
figures.
"""

from bpo_analysis.steps.vendors.step import VendorsResult, run, upstream

__all__ = ["VendorsResult", "run", "upstream"]
