"""Tests of bpo_analysis.widgets: the dashboards, headless and in JupyterLab."""
