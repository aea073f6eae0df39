"""Full-scope offers: the channels a quote covers, and one vendor's quotes priced together.

A quote covers every channel the client serves (``channel`` ``all`` in ``quotes.csv``) or
one of them. A cost per contact compares only offers that cover the same channels: an
email-only quote looks cheap per contact beside one that also answers the phone. So
step 3 ranks the offers that cover every channel -- a quote for all channels alone, or
one vendor's quotes, one per channel, that together cover them all -- and compares a
quote for one channel only with the quotes for that channel.

Quotes of different vendors are not combined: the decision picks one vendor, and each
vendor would bring its own transition work and vendor management to the client. A
combination's cash flows are its quotes' summed, with the client's one-off work that does
not grow with seats (knowledge base, IVR flows, requirement interviews, CRM integration,
the channels beyond the first) counted once, as for a vendor quoting every channel at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from bpo_analysis.data.client import Client
from bpo_analysis.data.models import TcoAssumptions, Transition

__all__ = ["FULL_SCOPE", "client_channels", "full_scope_offers", "offer_term_costs",
           "scope_transition", "seat_transition"]

#: The ``channel`` of a quote that covers every channel the client serves.
FULL_SCOPE = "all"


def client_channels(client: Client) -> tuple[str, ...]:
    """Return the channels the client serves: those of its demand, in ``scenario.yaml``'s order.

    >>> from bpo_analysis.data.client import load_client
    >>> client_channels(load_client("data/sample"))
    ('voice', 'chat', 'email')
    """
    have = set(client.demand["channel"].astype(str).unique())
    return tuple(c for c in client.scenario.service_targets if c in have)


def seat_transition(transition: Transition, seats: float) -> list[tuple[str, float]]:
    """Return the client's one-off work that grows with the vendor's seats (currency).

    CTI and seat set-up, and the initial training of the first wave, for ``seats`` seats.
    """
    return [("Transition: CTI and seat set-up", seats * transition.cti_seat_setup_per_seat),
            ("Transition: initial training", seats * transition.initial_training_per_agent)]


def scope_transition(tco: TcoAssumptions, channels: int) -> list[tuple[str, float]]:
    """Return the client's one-off work for a vendor taking over ``channels`` channels.

    Paid once per vendor, whatever its seats: the knowledge base, the IVR flow design,
    the requirement interviews, each channel beyond the first and, when the vendor works
    in the client's CRM, the CRM integration (currency, ``tco.yaml``'s ``transition``).
    """
    tr = tco.transition
    return [("Transition: knowledge base", tr.knowledge_base),
            ("Transition: IVR flow design", tr.ivr_flow_design),
            ("Transition: requirement interviews", tr.requirement_interviews),
            ("Transition: extra channels", (channels - 1) * tr.per_extra_channel),
            ("Transition: CRM integration", tr.crm_integration if tco.crm_integration else 0.0)]


def full_scope_offers(quotes: pd.DataFrame, channels: Sequence[str]) -> pd.DataFrame:
    """Return every offer that covers all of ``channels``: a quote alone, or a combination.

    Parameters
    ----------
    quotes : DataFrame
        ``quotes.csv``: ``quote_id``, ``vendor_id``, ``channel`` (``all`` or one channel).
    channels : sequence of str
        The channels the client serves (:func:`client_channels`).

    Returns
    -------
    DataFrame
        Indexed by ``offer_id`` (the quote id, or the quote ids joined by "+", in the
        order of ``channels``): ``vendor_id``, ``quotes`` (tuple of quote ids) and
        ``combined`` (True for several quotes). Every quote for all channels is an offer
        alone; every choice of one quote per channel among a vendor's quotes for one
        channel is a combination. A quote for one channel is an offer alone when the
        client serves that channel only.

    Examples
    --------
    A retailer answering voice, chat and email tenders its centre: vendor A quotes all
    channels at once, vendor B each channel apart (one full-scope offer of the three),
    vendor C voice only (part of the scope: no offer):

    >>> q = pd.DataFrame({"quote_id": ["Q1", "Q2", "Q3", "Q4", "Q5"],
    ...                   "vendor_id": ["A", "B", "B", "B", "C"],
    ...                   "channel": ["all", "voice", "chat", "email", "voice"]})
    >>> full_scope_offers(q, ["voice", "chat", "email"])["quotes"].to_dict()
    {'Q1': ('Q1',), 'Q2+Q3+Q4': ('Q2', 'Q3', 'Q4')}
    """
    rows = [(qid, vid, (qid,)) for qid, vid, ch in
            zip(quotes["quote_id"], quotes["vendor_id"], quotes["channel"], strict=True)
            if ch == FULL_SCOPE]
    partial = quotes[quotes["channel"] != FULL_SCOPE]
    for vid, g in partial.groupby("vendor_id", sort=False):
        per_channel = [list(g.loc[g["channel"] == c, "quote_id"]) for c in channels]
        if channels and all(per_channel):
            rows += [("+".join(combo), vid, combo) for combo in itertools.product(*per_channel)]
    out = pd.DataFrame(rows, columns=["offer_id", "vendor_id", "quotes"])
    out["combined"] = out["quotes"].map(len) > 1
    return out.set_index("offer_id")


def offer_term_costs(term: pd.DataFrame, offers: pd.DataFrame, tco: TcoAssumptions
                     ) -> pd.DataFrame:
    """Return the cash flows of each combined offer, shaped as ``term``.

    Parameters
    ----------
    term : DataFrame
        :func:`bpo_analysis.core.quotes.term_costs` of the quotes.
    offers : DataFrame
        :func:`full_scope_offers` (only its combinations are priced).
    tco : TcoAssumptions
        ``tco.yaml``: the client's one-off work.

    Returns
    -------
    DataFrame
        The rows of ``term`` for each combination, ``quote_id`` its offer id and
        ``pricing_model`` its quotes' joined by " + ": every component summed month by
        month over its quotes, except the one-off work paid once per vendor
        (:func:`scope_transition` for all the combination's channels, at t = 0).

    Notes
    -----
    Service and management fees, set-up fees, the seat-bound transition, the retained
    costs (shares of each bill) and the exit (months of the average bill) add up; the
    knowledge base, IVR flows, interviews and CRM integration are one piece of work.
    """
    once = [name for name, _ in scope_transition(tco, 1)]
    columns = list(term.columns)
    models = term.groupby("quote_id", sort=False)["pricing_model"].first()
    frames = []
    for oid, o in offers[offers["combined"]].iterrows():
        rows = term[term["quote_id"].isin(o["quotes"])]
        start = rows.loc[rows["t"] == 0, "month"].iloc[0]
        summed = (rows[~rows["component"].isin(once)]
                  .groupby(["t", "month", "component"], sort=False)[["amount", "pv", "contacts"]]
                  .sum().reset_index())
        work = pd.DataFrame(scope_transition(tco, len(o["quotes"])),
                            columns=["component", "amount"])
        work = work.assign(t=0, month=start, pv=work["amount"], contacts=0.0)
        out = pd.concat([summed[summed["t"] == 0], work, summed[summed["t"] > 0]],
                        ignore_index=True)
        frames.append(out.assign(quote_id=oid, vendor_id=o["vendor_id"],
                                 pricing_model=" + ".join(models[q] for q in o["quotes"]),
                                 currency=rows["currency"].iloc[0])[columns])
    if not frames:
        return term.iloc[:0].copy()
    return pd.concat(frames, ignore_index=True).astype(term.dtypes.to_dict())
