"""Step 8, the maturity assessment: the questionnaire, the levels per dimension, the gaps
and the KPIs to adopt next (``calc``; ``views``: headline and tables; ``charts``: the radar)."""
