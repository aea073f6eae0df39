"""What several steps share: staffing, shifts, calendars, costs and the headline cards.

Staffing (Erlang C and A), workforce and shifts, the demand calendar and its seasons,
cost models and billing, and the headline cards every step shows.

Built on :mod:`bpo_analysis.data`; imports no step.
"""
