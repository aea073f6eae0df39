"""Step 4, contract and SLA: the terms back-tested on the vendor's reports.

Their payout is simulated too.

``run(client, ...)`` is the step's one entry point (:mod:`.step`); ``calc`` holds the
simulation and calibration (the credit rules are :mod:`bpo_analysis.core.sla`),
``views`` the headline and tables, ``charts`` the figures.
"""

from bpo_analysis.steps.contract.step import ContractResult, run

__all__ = ["ContractResult", "run"]
