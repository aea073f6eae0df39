"""Tests of bpo_analysis.steps, one file per step module."""
