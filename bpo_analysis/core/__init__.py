"""What several steps share: staffing (Erlang C and A), workforce and shifts, the demand
calendar, cost models and the headline cards every step shows.

Built on :mod:`bpo_analysis.data`; imports no step.
"""
