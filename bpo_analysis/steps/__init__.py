"""The nine steps of the decision, one folder each, in decision order.

In order: ``profile`` (00), ``sourcing`` (01), ``vendors`` (02), ``pricing`` (03),
``contract`` (04), ``review`` (05), ``roi`` (06), ``risk`` (07), ``maturity`` (08).

A step holds ``step.py`` (its one entry point ``run(client, ...)`` and its result type,
of the one shape :class:`bpo_analysis.core.result.StepResult`), its pure calculations,
the views that turn its result into tables and headline text, and its charts. Steps
build on :mod:`bpo_analysis.core` and :mod:`bpo_analysis.data`; none imports another.
"""
