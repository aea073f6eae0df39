"""Step 1, the sourcing model: in-house, shared, dedicated, hybrid or partial, priced on the
client's demand and compared over the horizon (``calc``: costs, break-even, horizon;
``views``: headline and tables)."""
