"""Step 2's part of the decision: the shortlist and the selected vendor.

What ``decision.yaml`` states is kept, flagged when step 2 knocks it out and noted when
step 2 ranks another vendor first; what it leaves out is derived here: the shortlist is
the vendors past the knock-outs, the selected vendor the best ranked on the shortlist.
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core.decision import Choice, Decision, vendor_label
from bpo_analysis.core.eligibility import knock_out_flag
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _

__all__ = ["decide"]


def decide(client: Client, knock_outs: pd.DataFrame, survivors: list[str],
           order: list[str]) -> Decision:
    """Return the decision after step 2.

    Parameters
    ----------
    client : Client
        The client (its ``decision.yaml``, if any).
    knock_outs : DataFrame
        Step 2's knock-out table (:func:`bpo_analysis.core.eligibility.knock_out`).
    survivors : list of str
        The vendors past the knock-outs.
    order : list of str
        The survivors, best ranked first.

    Returns
    -------
    Decision
        ``shortlist`` and ``vendor`` set (stated or derived from step 2), flags on
        knocked-out choices and a note when the stated vendor is not step 2's first.
    """
    d = _incumbent(Decision.stated(client), client, knock_outs, order)
    if d.vendor is None and d.quote is not None:  # a quote alone names its vendor
        vendor_of = client.quotes.set_index("quote_id")["vendor_id"]
        d = d.but(vendor=Choice(str(vendor_of[d.quote.value]), 0))
    if d.shortlist is None:
        shortlist = Choice(tuple(survivors), 2)
    else:
        out = [v for v in d.shortlist.value if v not in survivors]
        shortlist = Choice(d.shortlist.value, 0, "; ".join(
            f"{vendor_label(client, v)} {knock_out_flag(knock_outs, v)}" for v in out))
    if d.vendor is None:
        pool = [v for v in order if v in shortlist.value] or order
        return d.but(shortlist=shortlist, vendor=Choice(pool[0], 2))
    v = d.vendor.value
    vendor = Choice(v, 0, knock_out_flag(knock_outs, v))
    note = ""
    if v in order and order.index(v) > 0:
        note = _("{vendor} is selected in the decision file; step 2 ranks it {rank} of {n}, "
                 "after {first}.").format(vendor=d.names.get(v, v), rank=order.index(v) + 1,
                                          n=len(order), first=d.names.get(order[0], order[0]))
    return d.but(shortlist=shortlist, vendor=vendor, note=note, about="vendor")


def _incumbent(d: Decision, client: Client, knock_outs: pd.DataFrame,
               order: list[str]) -> Decision:
    """Set the incumbent (stated, else the vendors with monthly reports) and say its rank."""
    if d.incumbent is None:
        reporting = tuple(dict.fromkeys(client.vendor_reports["vendor_id"].astype(str)))
        if not reporting:
            return d
        d = d.but(incumbent=Choice(reporting, -1))
    notes = []
    for v in d.incumbent.value:
        name = d.names.get(v, v)
        if v in order:
            notes.append(_("{vendor} is reviewed as the incumbent; step 2 ranks it {rank} of "
                           "{n}.").format(vendor=name, rank=order.index(v) + 1, n=len(order)))
        else:
            notes.append(_("{vendor} is reviewed as the incumbent; it {flag}.").format(
                vendor=name, flag=knock_out_flag(knock_outs, v)))
    return d.but(note=" ".join(notes), about="incumbent")
