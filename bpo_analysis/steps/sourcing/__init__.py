"""Step 1, the sourcing model: in-house, shared, dedicated, hybrid or partial.

Each option is priced on the client's demand and compared over the horizon.

``run(client, ...)`` is the step's one entry point (:mod:`.step`), ``upstream(client)``
the same run with its defaults, kept once per client for the steps after it; ``options``
holds the options and their monthly costs, ``breakeven`` every break-even and the
cheaper option in each range of volume, ``bridge`` the money bridge from today's centre,
``horizon`` the planning horizon, ``calc`` the seasons and idle time (and re-exports the
rest), ``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.sourcing.step import SourcingResult, run, upstream

__all__ = ["SourcingResult", "run", "upstream"]
