"""Suspicious bids: a rate too low to pay the agents, or far below its labour market's.

Two tests on each quote's effective rate per productive hour (forecast, first year):

* the labour floor -- what an agent costs a vendor at the least in its head-office city:
  wage floor x loading / (paid hours x productive share), from ``tco.yaml``'s
  ``labour_floor`` (the loading one number, or one per city);
* the peer median -- under ``peer_median_share`` of the median of the other bids from
  the same labour market. Wages differ several-fold between Manila, Taipei and Hong
  Kong, so an honest Manila bid is compared with the bids that pay Manila wages, not
  pooled with dearer markets: a city with its own wage floor in ``tco.yaml`` is a labour
  market of its own, the cities on the default wage floor share one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bpo_analysis.core.quotes import tco_assumptions
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.data.io import yaml_line
from bpo_analysis.data.models import LabourFloor
from bpo_analysis.errors import DataError
from bpo_analysis.i18n import N_, _, plural

__all__ = ["bid_loadings", "suspicious_bids"]

#: The labour market of the cities without a wage floor of their own.
DEFAULT_MARKET = "default"


def bid_loadings(client: Client, lf: LabourFloor, cities: pd.Series) -> pd.Series:
    """Return the loading of each bid's head-office city (``cities``: city by quote id).

    Raises
    ------
    DataError
        ``labour_floor.loading`` is a per-city mapping that lists neither a bid's city
        nor ``default`` (naming ``tco.yaml``, the key, the city and the cities listed).
    """
    loading = cities.map(lf.loading_at)
    if loading.notna().all():
        return loading.astype(float)
    qid = loading.index[loading.isna()][0]
    path = source_file(client, "tco")
    where = path if isinstance(path, Path) else "tco.yaml"
    listed = ", ".join(lf.loading) if isinstance(lf.loading, dict) else ""
    raise DataError(f"no loading for {cities[qid]}, the head-office city of the vendor of "
                    f"quote {qid}", file=where,
                    row=yaml_line(path, ("labour_floor", "loading")) if isinstance(
                        path, Path) else None,
                    column="labour_floor.loading", value=cities[qid],
                    allowed=f"one of the cities listed ({listed}), or a 'default' entry "
                            "for the cities not listed")


def suspicious_bids(client: Client, units: pd.DataFrame) -> pd.DataFrame:
    """Flag a quote whose rate per productive hour is too low to pay its agents.

    The effective rate per productive hour (forecast, first year) is below what an agent
    costs a vendor at its head-office city, or far below the other bids of the same
    labour market.

    The labour floor per productive hour is wage floor x loading / (paid hours x
    productive share), both at the vendor's head-office city (``tco.yaml``). ``driver``
    says which test flagged the bid (labour floor, peer median or both) and ``reason``
    gives, for the labour floor, the value each assumption would need for the bid to
    cover it, so the reader knows what to verify before discarding the bid.

    Parameters
    ----------
    client : Client
        The client (vendors' ``hq_city``, ``tco.yaml``'s labour floor).
    units : DataFrame
        :func:`~bpo_analysis.steps.pricing.calc.unit_costs` (``per_hour``: currency
        per productive hour).

    Returns
    -------
    DataFrame
        One row per quote, indexed by ``quote_id``: ``vendor_id``, ``city``, ``market``
        (the city, or "default" for the cities on the default wage floor), ``rate`` and
        ``labour_floor`` (currency per productive hour), ``loading``, ``peer_median``
        (the other bids of its market; NaN without one), ``peers`` (how many),
        ``flagged``, ``driver`` and ``reason``.

    Raises
    ------
    DataError
        A per-city loading misses a bid's city (:func:`bid_loadings`).
    """
    lf = tco_assumptions(client).labour_floor
    if lf.paid_hours_per_month is None:  # the vendors' agents work the client's week
        lf = lf.model_copy(update={
            "paid_hours_per_month": client.scenario.paid_hours_per_fte_month})
    vendors = client.vendors.set_index("vendor_id")["hq_city"]
    city = units["vendor_id"].map(vendors).fillna(DEFAULT_MARKET).astype(str)
    loading = bid_loadings(client, lf, city)
    market = city.map(lf.market)
    rate = units["per_hour"].astype(float)
    rows = []
    for qid, r in rate.items():
        # peers: other vendors' bids (a vendor's own bids cannot vouch for one another)
        peers = rate[(market == market[qid])
                     & (units["vendor_id"] != units.loc[qid, "vendor_id"])].dropna()
        rows.append({"quote_id": qid, "vendor_id": units.loc[qid, "vendor_id"],
                     "city": city[qid], "market": market[qid], "rate": r,
                     **_tests(lf, r, city[qid], float(loading[qid]), peers,
                              client.currency)})
    return pd.DataFrame(rows).set_index("quote_id")


def _tests(lf: LabourFloor, r: float, city: str, loading: float, peers: pd.Series,
           currency: str) -> dict:
    """Return one bid's labour floor and peer-median tests, with the reasons in words.

    The reasons are sentences in the report language, amounts in ``currency``.
    """
    wage = lf.wage_floor(city)
    floor = wage * loading / (lf.paid_hours_per_month * lf.productive_share)
    median = float(peers.median()) if len(peers) else np.nan
    below_floor = bool(r < floor)
    below_peers = bool(len(peers) and r < lf.peer_median_share * median)
    reasons = []
    if below_floor:  # the value each assumption would need for the bid to cover the floor
        reasons.append(_(
            "{rate:,.0f} {currency} per productive hour is below the labour floor of "
            "{floor:,.0f} {currency} in {city}; it holds unless the wage floor is "
            "{wage_be:,.0f} {currency} a month or less (now {wage:,.0f}), the employer "
            "loading {loading_be:.2f} or less (now {loading:.2f}) or the productive share "
            "{share_be:.0%} or more (now {share:.0%})").format(
            rate=r, currency=currency, floor=floor, city=city,
            wage_be=r * lf.paid_hours_per_month * lf.productive_share / loading, wage=wage,
            loading_be=r * lf.paid_hours_per_month * lf.productive_share / wage,
            loading=loading, share_be=wage * loading / (r * lf.paid_hours_per_month),
            share=lf.productive_share))
    if below_peers:
        market = (city if lf.market(city) == city else
                  _("the cities on the default wage floor"))
        reasons.append(plural(
            len(peers), N_("under {share:.0%} of the median {median:,.0f} {currency} per "
                           "productive hour of the {n} other bid from the same labour market "
                           "({market})"),
            N_("under {share:.0%} of the median {median:,.0f} {currency} per productive hour "
               "of the {n} other bids from the same labour market ({market})"),
            share=lf.peer_median_share, median=median, currency=currency, market=market))
    driver = ("labour floor and peer median" if below_floor and below_peers else
              "labour floor" if below_floor else "peer median" if below_peers else "-")
    return {"labour_floor": floor, "loading": loading, "peer_median": median,
            "peers": len(peers), "flagged": below_floor or below_peers, "driver": driver,
            "reason": _("; ").join(reasons) or "-"}
