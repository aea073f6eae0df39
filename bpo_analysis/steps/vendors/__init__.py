"""Step 2, vendor evaluation: knock-outs, weighted scoring (weighted sum, TOPSIS, AHP) and
the stability of the ranking.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``scoring``, ``ahp`` and
``sensitivity`` hold the methods, ``views`` the headline and tables, ``charts`` the
figures.
"""

from bpo_analysis.steps.vendors.step import VendorsResult, run

__all__ = ["VendorsResult", "run"]
