"""The decision summary: the recommendation on one page, every number its step's.

``run(client, ...)`` is its one entry point (:mod:`.step`): it runs every step with its
defaults through their ``run`` and reads their results; ``views`` holds the paragraph,
the cards and the tables.
"""

from bpo_analysis.steps.summary.step import SummaryResult, run

__all__ = ["SummaryResult", "run"]
