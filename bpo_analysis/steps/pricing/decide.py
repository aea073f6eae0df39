"""Step 3's part of the decision: the selected vendor's quote, and which bids are eligible.

A bid is eligible when it covers every channel the client serves (a quote for all
channels, or one vendor's quotes that together do), its vendor passes step 2's
knock-outs and step 3 does not flag it as below cost. The selected quote is
``decision.yaml``'s, else the selected vendor's lowest TCO per contact among its
unflagged offers covering every channel (the later steps work on one quote of
``quotes.csv``: :func:`decide` says what is selected when that offer combines quotes).
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core.decision import Choice, Decision
from bpo_analysis.core.eligibility import knock_out, knock_out_flag
from bpo_analysis.core.offers import FULL_SCOPE
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import _, term

__all__ = ["decide", "partial_scope", "status"]


def partial_scope(covers: str) -> str:
    """Return why a quote for one channel is not an answer alone ("" for every channel)."""
    if covers == FULL_SCOPE:
        return ""
    return _("covers {channel} only, not every channel the client serves: ranked only with "
             "the quotes for {channel}").format(channel=term(covers))


def status(client: Client, tco: pd.DataFrame, below: pd.Series,
           prices: pd.Series) -> pd.Series:
    """Return each offer's standing: "" when eligible, else why it is not the answer.

    Parameters
    ----------
    client : Client
        Its vendors and knock-out rules.
    tco : DataFrame
        Offers (:func:`~bpo_analysis.steps.pricing.scope.compare`) with ``vendor_id``
        and ``covers``.
    below : Series
        By offer: one of its quotes flagged as below cost by step 3 (bool).
    prices : Series
        Currency per contact by vendor, for a pricing knock-out rule.

    Returns
    -------
    Series
        By offer: "" (eligible), or the knock-out flag, the below-cost flag or the
        channel it covers alone, the first that applies.
    """
    ko = knock_out(client, prices)
    out = {v: knock_out_flag(ko, v) for v in tco["vendor_id"].unique()}
    below = below.reindex(tco.index, fill_value=False)
    return pd.Series([out[v] or (_("flagged as below cost by step 3") if b else "")
                      or partial_scope(c)
                      for v, b, c in zip(tco["vendor_id"], below, tco["covers"], strict=True)],
                     index=tco.index)


def decide(upstream: Decision, tco: pd.DataFrame, below: pd.Series) -> Decision:
    """Return the decision after step 3: the quote of the selected vendor.

    Parameters
    ----------
    upstream : Decision
        The decision after step 2 (its ``vendor``; flagged there when step 2 knocks it
        out).
    tco : DataFrame
        Offers in like-for-like order (:func:`~bpo_analysis.steps.pricing.scope.compare`:
        ``vendor_id``, ``covers``, ``combined``, ``contacts``), lowest TCO per contact
        first.
    below : Series
        By offer: flagged as below cost by step 3 (bool).

    Returns
    -------
    Decision
        ``quote`` set: stated, flagged when below cost or covering one channel only; or
        derived from step 3, the selected vendor's lowest TCO per contact among its
        unflagged offers covering every channel. The later steps work on one quote: when
        that offer combines quotes, the vendor's best quote for all channels is selected
        and a note says the combination costs less; a vendor without a quote for all
        channels has its quote for the most contacts selected, flagged, and a note says
        why.
    """
    below = below.reindex(tco.index, fill_value=False).astype(bool)
    if upstream.quote is not None:
        q = upstream.quote.value
        return upstream.but(quote=Choice(q, 0, _flags(q, tco, below)))
    if upstream.vendor is None:
        return upstream
    vendor = upstream.names.get(upstream.vendor.value, upstream.vendor.value)
    own = tco[tco["vendor_id"] == upstream.vendor.value]
    if not len(own):
        return upstream.but(about="quote", note=_("{vendor} has submitted no quote.").format(
            vendor=vendor))
    offers = own[own["covers"] == FULL_SCOPE]
    singles = offers[~offers["combined"].astype(bool)]
    if not len(singles):
        return _part_of_the_scope(upstream, own, tco, below, vendor)
    clean = offers[~below[offers.index]]
    best = (clean if len(clean) else offers).index[0]  # a combination, or the quote below
    q = next((s for s in singles.index if not below[s]), singles.index[0])
    if q == best:
        return upstream.but(quote=Choice(q, 3, _flags(q, tco, below)))
    return upstream.but(quote=Choice(q, 3, _flags(q, tco, below)), note=_(
        "{vendor}'s quotes {combination}, one per channel, together cost less per contact "
        "than its quote {quote} for all channels; the later steps work on one quote, so they "
        "work on {quote}.").format(vendor=vendor, combination=best, quote=q))


def _flags(quote: str, tco: pd.DataFrame, below: pd.Series) -> str:
    """Return the flags of a selected quote: below cost, one channel only ("" for none)."""
    flags = [_("flagged as below cost by step 3") if below[quote] else "",
             partial_scope(tco.loc[quote, "covers"])]
    return _("; ").join(f for f in flags if f)


def _part_of_the_scope(upstream: Decision, own: pd.DataFrame, tco: pd.DataFrame,
                       below: pd.Series, vendor: str) -> Decision:
    """Select, flagged, the quote for the most contacts of a vendor with no all-channel quote.

    The later steps work on one quote of ``quotes.csv``; the note says that the vendor's
    quotes cover one channel each, and whether they together cover every channel.
    """
    parts = own[~own["combined"].astype(bool)]
    q = parts.sort_values("contacts", ascending=False, kind="stable").index[0]
    combined = own.index[own["combined"].astype(bool)]
    if len(combined):
        note = _("{vendor} quotes each channel apart ({combination}): step 3 prices the "
                 "quotes together as one offer, but the later steps work on one quote: its "
                 "quote {quote}, for the most contacts, flagged.").format(
            vendor=vendor, combination=combined[0], quote=q)
    else:
        note = _("{vendor}'s quotes cover only part of the client's channels ({quotes}): "
                 "none compares with the offers covering every channel; the later steps work "
                 "on its quote {quote}, for the most contacts, flagged.").format(
            vendor=vendor, quote=q,
            quotes=", ".join(f"{p} {term(c)}" for p, c in parts["covers"].items()))
    return upstream.but(quote=Choice(q, 3, _flags(q, tco, below)), note=note)
