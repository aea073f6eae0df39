"""Step 3 compares like with like: offers that cover the same channels.

A TCO per contact compares only offers covering the same channels: a quote for email
alone is cheap per contact beside quotes that also answer the phone and the chat. The
offers covering every channel the client serves -- a quote for all channels, or one
vendor's quotes for single channels that together cover them all
(:mod:`bpo_analysis.core.offers`) -- are ranked together; that ranking gives the lowest
eligible bid and the selected quote. A quote for one channel only is ranked with the
quotes for that channel.
"""

from __future__ import annotations

import pandas as pd

from bpo_analysis.core.offers import (
    FULL_SCOPE,
    client_channels,
    full_scope_offers,
    offer_term_costs,
)
from bpo_analysis.core.quotes import tco_assumptions
from bpo_analysis.data.client import Client

__all__ = ["below_cost", "compare", "contract_terms", "with_combinations"]


def with_combinations(client: Client, term: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the client's full-scope offers, and ``term`` with the combinations' rows.

    Parameters
    ----------
    client : Client
        Its demand (the channels served), ``quotes.csv`` and ``tco.yaml``.
    term : DataFrame
        :func:`~bpo_analysis.core.quotes.term_costs` of its quotes.

    Returns
    -------
    offers : DataFrame
        :func:`~bpo_analysis.core.offers.full_scope_offers`.
    term : DataFrame
        ``term`` followed by the cash flows of each combination of one vendor's quotes
        (:func:`~bpo_analysis.core.offers.offer_term_costs`, ``quote_id`` the offer id).
    """
    offers = full_scope_offers(client.quotes, client_channels(client))
    combined = offer_term_costs(term, offers, tco_assumptions(client))
    return offers, (pd.concat([term, combined], ignore_index=True) if len(combined)
                    else term)


def contract_terms(quotes: pd.DataFrame, offers: pd.DataFrame) -> pd.Series:
    """Return each quote's and combination's contract term, months.

    A combination's is the shortest of its quotes' (then renewed on its terms).
    """
    terms = quotes.set_index("quote_id")["contract_term_months"]
    combined = offers[offers["combined"]]
    if not len(combined):
        return terms
    return pd.concat([terms, pd.Series([int(terms[list(q)].min()) for q in combined["quotes"]],
                                       index=combined.index, dtype=terms.dtype)])


def compare(tco: pd.DataFrame, offers: pd.DataFrame, quotes: pd.DataFrame,
            units: pd.DataFrame, channels: tuple[str, ...]) -> pd.DataFrame:
    """Order the TCO table like with like, and add what each offer covers and its rank.

    Parameters
    ----------
    tco : DataFrame
        :func:`~bpo_analysis.steps.pricing.calc.tco_summary` of the quotes and the
        combinations.
    offers : DataFrame
        :func:`~bpo_analysis.core.offers.full_scope_offers`.
    quotes : DataFrame
        ``quotes.csv`` (``quote_id``, ``channel``).
    units : DataFrame
        :func:`~bpo_analysis.steps.pricing.calc.unit_costs` (first-year figures by quote).
    channels : tuple of str
        The channels the client serves, in the order the comparisons are listed.

    Returns
    -------
    DataFrame
        ``tco`` with ``covers`` ("all" for an offer covering every channel, else the
        channel), ``quotes`` (tuple of quote ids), ``combined``, ``rank`` (1 = the
        lowest TCO per contact among the offers covering the same channels) and
        ``rivals`` (how many offers that comparison has), and the first year's
        ``year_cost_year1`` (currency), ``per_contact_year1`` and ``per_hour_year1``
        (currency per contact handled, per productive hour; a combination's over its
        quotes' contacts and hours): the offers covering every channel first, then the
        quotes of each channel, lowest TCO per contact first in each.
    """
    channel = quotes.set_index("quote_id")["channel"]
    out = tco.copy()
    full = out.index.isin(offers.index)
    out["covers"] = [FULL_SCOPE if f else channel[q] for q, f in zip(out.index, full,
                                                                      strict=True)]
    out["quotes"] = [offers.loc[q, "quotes"] if f else (q,) for q, f in zip(out.index, full,
                                                                             strict=True)]
    out["combined"] = out["quotes"].map(len) > 1
    group = {FULL_SCOPE: 0} | {c: i + 1 for i, c in enumerate(channels)}
    out["group"] = out["covers"].map(group).fillna(len(group))
    out = out.sort_values(["group", "per_contact"], kind="stable").drop(columns="group")
    out["rank"] = out.groupby("covers", sort=False).cumcount() + 1
    out["rivals"] = out.groupby("covers", sort=False)["covers"].transform("size")
    return out.join(_first_year(units, out["quotes"]))


def _first_year(units: pd.DataFrame, parts: pd.Series) -> pd.DataFrame:
    """Return the first year's bill and unit costs of each offer (its quotes' summed)."""
    u = units[["year_cost", "per_contact", "per_hour"]].astype(float)
    contacts, hours = u["year_cost"] / u["per_contact"], u["year_cost"] / u["per_hour"]
    rows = {}
    for oid, qs in parts.items():
        if len(qs) == 1:
            rows[oid] = u.loc[qs[0]].to_numpy()
            continue
        cost = float(u.loc[list(qs), "year_cost"].sum())
        rows[oid] = [cost, cost / float(contacts[list(qs)].sum()),
                     cost / float(hours[list(qs)].sum())]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[
        "year_cost_year1", "per_contact_year1", "per_hour_year1"])


def below_cost(tco: pd.DataFrame, flags: pd.DataFrame) -> pd.Series:
    """Return, by offer of :func:`compare`, whether step 3 flags one of its quotes below cost.

    >>> tco = pd.DataFrame({"quotes": [("Q1",), ("Q2", "Q3")]}, index=["Q1", "Q2+Q3"])
    >>> below_cost(tco, pd.DataFrame({"flagged": [False, False, True]},
    ...                              index=["Q1", "Q2", "Q3"])).tolist()
    [False, True]
    """
    flagged = flags["flagged"].astype(bool)
    return pd.Series([any(bool(flagged.get(q, False)) for q in qs) for qs in tco["quotes"]],
                     index=tco.index, dtype=bool)
