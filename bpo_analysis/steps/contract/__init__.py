"""Step 4, the contract and its SLA: the KPI annex, service credits back-tested on the
vendor's reports and their payout simulated (``calc``; ``views``: ``evaluate_terms``,
headline and tables)."""
