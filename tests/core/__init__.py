"""Tests of bpo_analysis.core: staffing, workforce, demand, costs, headline cards."""
