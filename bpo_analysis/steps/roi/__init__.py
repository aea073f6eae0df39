"""Step 6, ROI: the business case of the signed quote against the in-house baseline.

Its measures, sensitivity and Monte Carlo, and the months run so far against the plan.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``model`` holds the
cash-flow model, ``case`` builds it from the client's data, ``views`` the headline and
tables (in the names and units of ``words``), ``charts`` the figures.
"""

from bpo_analysis.steps.roi.step import RoiResult, run

__all__ = ["RoiResult", "run"]
