"""What several steps share: staffing, shifts, calendars, costs and the headline cards.

Staffing (Erlang C and A), workforce and shifts, the demand calendar and its seasons,
cost models and billing, quotes billed on the demand (``quotes``), the in-house centre
over the horizon (``inhouse``), knock-out rules (``eligibility``), SLA credit rules
(``sla``), the chart house style, the headline cards, and the one shape of every step's
result (``result``).

Built on :mod:`bpo_analysis.data`; imports no step.
"""
