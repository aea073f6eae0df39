"""Step 6, the ROI review: the business case's cash flows, NPV, IRR and payback, its
sensitivity and Monte Carlo odds, re-forecast on the actuals (``model``: the cash-flow
model; ``case``: the business case from a client folder; ``views``: ``review_roi``)."""
