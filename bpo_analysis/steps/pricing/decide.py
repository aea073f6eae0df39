"""Step 3's part of the decision: the selected vendor's quote, and which bids are eligible.

A bid is eligible when its vendor passes step 2's knock-outs and step 3 does not flag it
as below cost. The selected quote is ``decision.yaml``'s, else the selected vendor's
lowest TCO per contact among its unflagged quotes.
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core.decision import Choice, Decision
from bpo_analysis.core.eligibility import knock_out, knock_out_flag
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _

__all__ = ["decide", "status"]


def status(client: Client, tco: pd.DataFrame, flags: pd.DataFrame,
           prices: pd.Series) -> pd.Series:
    """Return each quote's standing: "" when eligible, else why it is not the answer.

    Parameters
    ----------
    client : Client
        Its vendors and knock-out rules.
    tco : DataFrame
        Quotes (index ``quote_id``) with ``vendor_id``.
    flags : DataFrame
        Step 3's suspicious-bid table (``flagged``), by quote.
    prices : Series
        Currency per contact by vendor, for a pricing knock-out rule.

    Returns
    -------
    Series
        By quote: "" (eligible), or the knock-out or below-cost flag.
    """
    ko = knock_out(client, prices)
    out = {v: knock_out_flag(ko, v) for v in tco["vendor_id"].unique()}
    below = flags["flagged"].reindex(tco.index, fill_value=False)
    return pd.Series([out[v] or (_("flagged as below cost by step 3") if b else "")
                      for v, b in zip(tco["vendor_id"], below, strict=True)], index=tco.index)


def decide(upstream: Decision, tco: pd.DataFrame, below: pd.Series) -> Decision:
    """Return the decision after step 3: the quote of the selected vendor.

    Parameters
    ----------
    upstream : Decision
        The decision after step 2 (its ``vendor``; flagged there when step 2 knocks it
        out).
    tco : DataFrame
        Quotes lowest TCO per contact first, with ``vendor_id``.
    below : Series
        By quote: flagged as below cost by step 3 (bool).

    Returns
    -------
    Decision
        ``quote`` set: stated or derived from step 3 (the selected vendor's lowest TCO per
        contact among its unflagged quotes), flagged when below cost.
    """
    flag = _("flagged as below cost by step 3")
    below = below.reindex(tco.index, fill_value=False).astype(bool)
    if upstream.quote is not None:
        q = upstream.quote.value
        return upstream.but(quote=Choice(q, 0, flag if below[q] else ""))
    if upstream.vendor is None:
        return upstream
    own = tco.index[tco["vendor_id"] == upstream.vendor.value]
    if not len(own):
        return upstream.but(about="quote", note=_("{vendor} has no quote in quotes.csv.").format(
            vendor=upstream.names.get(upstream.vendor.value, upstream.vendor.value)))
    clean = [q for q in own if not below[q]]
    q = clean[0] if clean else own[0]
    return upstream.but(quote=Choice(q, 3, "" if clean else flag))
