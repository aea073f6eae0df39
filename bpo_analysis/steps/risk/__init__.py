"""Step 7, risk and continuity: the risk register, a volume surge and a site outage.

The surge and the outage come with their backup options, staffed with Erlang A.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the
register and the outage, ``surge`` the surge, ``views`` the headline and tables,
``charts`` the figures.
"""

from bpo_analysis.steps.risk.step import RiskResult, run, upstream

__all__ = ["RiskResult", "run", "upstream"]
