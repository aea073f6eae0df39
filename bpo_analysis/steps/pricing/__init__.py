"""Step 3, pricing and TCO: each quote billed on the client's demand under its pricing
model, its total cost of ownership and the bids to question (``calc``; ``views``:
``price_all``, headline and tables)."""
