"""Step 1, the sourcing model: in-house, shared, dedicated, hybrid or partial, priced on the
client's demand and compared over the horizon.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the costs,
break-even and horizon, ``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.sourcing.step import SourcingResult, run

__all__ = ["SourcingResult", "run"]
