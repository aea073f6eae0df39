"""Step 0, the client profile: contact volumes, peaks, channel mix and today's cost.

What the in-house centre costs today.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the cost
baseline by month, ``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.profile.step import ProfileResult, run

__all__ = ["ProfileResult", "run"]
