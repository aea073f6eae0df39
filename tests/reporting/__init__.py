"""Tests of bpo_analysis.reporting and the CLI: reports, cover, images, batch, the app."""
