"""The checks of ``decision.yaml`` against the rest of the client folder.

Every vendor, quote and backup option it names must exist; a selected quote must be the
selected vendor's (or, alone, a shortlisted vendor's); an incumbent must have monthly
reports. Each refusal names the file, line, key, value and the allowed values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bpo_analysis.data import models as m
from bpo_analysis.data.io import yaml_line
from bpo_analysis.errors import DataError

__all__ = ["check_decision"]


def check_decision(decision: m.DecisionFile, tables: dict[str, pd.DataFrame],
                   continuity: m.ContinuityAssumptions | None, path: Path) -> None:
    """Check that ``decision.yaml`` names vendors, quotes and options the folder has.

    Parameters
    ----------
    decision : DecisionFile
        The validated ``decision.yaml``.
    tables : dict
        Table name -> validated DataFrame (``vendors``, ``quotes``).
    continuity : ContinuityAssumptions or None
        ``continuity.yaml``, whose outage options the ``backup`` names.
    path : Path
        ``decision.yaml``, for the errors.

    Raises
    ------
    DataError
        An unknown vendor, quote or backup option; a selected quote of another vendor than
        the selected one; a selected vendor off the shortlist (each naming the file, line,
        key, value and the allowed values).
    """
    vendors = sorted(tables["vendors"]["vendor_id"])
    quotes = tables["quotes"].set_index("quote_id")["vendor_id"]

    def refuse(problem: str, key: tuple, value: object, allowed: str) -> DataError:
        column = ".".join(str(k) for k in key)
        return DataError(problem, file=path, row=yaml_line(path, key), column=column,
                         value=value, allowed=allowed)

    for key in ("shortlist", "incumbent"):
        for i, v in enumerate(getattr(decision, key) or []):
            if v not in vendors:
                raise refuse("names a vendor vendors.csv does not have", (key, i), v,
                             f"one of {vendors}")
    reporting = sorted(set(tables["vendor_monthly_reports"]["vendor_id"]))
    for i, v in enumerate(decision.incumbent or []):
        if v not in reporting:
            raise refuse("an incumbent is reviewed on its monthly reports, and "
                         "vendor_monthly_reports has none of this vendor", ("incumbent", i), v,
                         f"one of {reporting}" if reporting else
                         "none until vendor_monthly_reports has rows")
    chosen = decision.selected_vendor
    if chosen is not None and chosen not in vendors:
        raise refuse("names a vendor vendors.csv does not have", ("selected_vendor",),
                     chosen, f"one of {vendors}")
    if chosen is not None and decision.shortlist and chosen not in decision.shortlist:
        raise refuse("the selected vendor is not on the shortlist", ("selected_vendor",),
                     chosen, f"one of the shortlist {decision.shortlist}")
    quote = decision.selected_quote
    if quote is not None:
        own = sorted(quotes[quotes == chosen].index) if chosen else sorted(quotes.index)
        if quote not in quotes.index:
            raise refuse("names a quote quotes.csv does not have", ("selected_quote",),
                         quote, f"one of {own}")
        if chosen is None and decision.shortlist and quotes[quote] not in decision.shortlist:
            raise refuse(f"the quote is {quotes[quote]}'s, a vendor off the shortlist",
                         ("selected_quote",), quote,
                         f"a quote of the shortlist {decision.shortlist}")
        if chosen is not None and quotes[quote] != chosen:
            raise refuse(f"the quote is {quotes[quote]}'s, not the selected vendor {chosen}'s",
                         ("selected_quote",), quote, f"one of {chosen}'s quotes {own}")
    if decision.backup is not None:
        options = sorted(o.id for o in continuity.outage.options) if continuity else []
        if decision.backup not in options:
            raise refuse("names a backup option continuity.yaml does not have",
                         ("backup",), decision.backup,
                         f"one of {options}" if options else
                         "none until continuity.yaml lists outage options")
