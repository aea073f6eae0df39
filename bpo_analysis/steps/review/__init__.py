"""Step 5, the monthly performance review: KPIs from the vendor's raw records (DuckDB),
reconciled with its reports, credits owed, control charts and QA samples (``calc``;
``views``: ``review_month``, headline and tables)."""
