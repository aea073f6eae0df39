"""The nine steps of the decision, one folder each, in decision order.

In order: ``profile`` (00), ``sourcing`` (01), ``vendors`` (02), ``pricing`` (03),
``contract`` (04), ``review`` (05), ``roi`` (06), ``risk`` (07), ``maturity`` (08).

A step holds its pure calculations and the views that turn its results into tables and
headline text (and, where it has moved already, its charts). Steps build on
:mod:`bpo_analysis.core` and :mod:`bpo_analysis.data`.
"""
