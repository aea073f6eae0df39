"""Step 5, the monthly performance review: KPIs from the vendor's raw records (DuckDB).

They are reconciled with its reports, with the credits owed, control charts and QA
samples.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the
calculations, ``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.review.step import ReviewResult, run

__all__ = ["ReviewResult", "run"]
