"""Tests of bpo_analysis.data: reading and checking a client folder, the sample."""
