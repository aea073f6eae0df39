"""Step 3, pricing and TCO: each quote billed on the client's demand.

Each quote is billed under its pricing model, with its total cost of ownership and the
bids to question.

``run(client, ...)`` is the step's one entry point (:mod:`.step`), ``upstream(client)``
the same run with its defaults, kept once per client for the steps after it; ``calc`` holds the
calculations, ``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.pricing.step import PricingResult, run, selected_quote, upstream

__all__ = ["PricingResult", "run", "selected_quote", "upstream"]
