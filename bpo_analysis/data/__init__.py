"""The client's data: file models, readers, checks, KPI dictionary and sample generator.

The models of every file, the readers and :func:`load_client`, the cross-file checks,
the KPI dictionary and the sample generator.

The bottom layer: it imports nothing from :mod:`bpo_analysis.core`, the steps or
:mod:`bpo_analysis.reporting`.
"""
