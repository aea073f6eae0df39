"""Step 8, maturity: the client's centre and the vendors assessed on the questionnaire.

Their levels, gaps and the KPIs to adopt next.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the
assessment, ``views`` the headline and tables, ``charts`` the radar.
"""

from bpo_analysis.steps.maturity.step import MaturityResult, run

__all__ = ["MaturityResult", "run"]
