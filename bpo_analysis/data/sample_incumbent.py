"""A bundled client's incumbent vendor: its raw records and its monthly reports.

:func:`vendor_records` draws the incumbent's own raw records for the demand year and
the year before, one row per contact, from the client's demand and its profile
(:class:`~bpo_analysis.data.sample_profile.Incumbent`); :func:`vendor_monthly_reports`
computes the monthly KPI reports from them, the way the vendor reports (one flattering
definition). :mod:`bpo_analysis.data.sample` writes both and exports the names here.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.data.models import Scenario
from bpo_analysis.data.records import aggregates
from bpo_analysis.data.sample_clients import FORMOSA_CLICK
from bpo_analysis.data.sample_profile import ClientProfile, Incumbent
from bpo_analysis.errors import InputError

__all__ = ["vendor_monthly_reports", "vendor_records"]

_WEEK_S = 7 * 86400


def _two_years(demand: pd.DataFrame, growth: float) -> pd.DataFrame:
    """Return the demand year and the year before, scaled back by ``growth``.

    The year before is the demand year on the same calendar days (a leap day repeats
    28 February; a demand year's leap day has no day before it and is left out).
    """
    d1 = demand.assign(interval_start=pd.to_datetime(demand["interval_start"]),
                       channel=demand["channel"].astype(str))
    year = int(d1["interval_start"].dt.year.min())
    d0 = d1[d1["interval_start"].dt.strftime("%m-%d") != "02-29"]
    d0 = d0.assign(interval_start=d0["interval_start"] - pd.DateOffset(years=1))
    frames = [d0]
    if calendar.isleap(year - 1):
        leap = d1[d1["interval_start"].dt.strftime("%m-%d") == "02-28"]
        frames.append(leap.assign(interval_start=leap["interval_start"] - pd.Timedelta(days=365)))
    d0 = pd.concat(frames).assign(contacts=lambda d: d["contacts"] / (1 + growth))
    return pd.concat([d0, d1], ignore_index=True).sort_values(
        ["interval_start", "channel"], kind="stable", ignore_index=True)


def _load_ratio(d: pd.DataFrame) -> np.ndarray:
    """Each row's day volume over its channel's median day: the queue's load."""
    day = d["interval_start"].dt.normalize()
    daily = d.groupby([day, d["channel"]])["contacts"].transform("sum")
    median = daily.groupby(d["channel"]).transform("median")
    return (daily / median).to_numpy(float)


def _share(d: pd.DataFrame, inc: Incumbent) -> np.ndarray:
    """Return the incumbent's share of each interval's contacts (its channels, hours)."""
    share = d["channel"].map(inc.share).to_numpy(float)
    if not inc.hours:
        return share
    minute = (d["interval_start"].dt.hour * 60 + d["interval_start"].dt.minute).to_numpy()
    for ch, (a, b) in inc.hours.items():
        inside = (minute >= a) & (minute < b) if a < b else (minute >= a) | (minute < b)
        share = np.where((d["channel"] == ch).to_numpy() & ~inside, 0.0, share)
    return share


def _open_wait(arrival: np.ndarray, work_s: np.ndarray, scenario: Scenario,
               channel: str) -> np.ndarray:
    """Seconds from each arrival until ``work_s`` seconds of its channel's open time passed.

    Email arriving while its channel is closed waits for the opening; its working wait
    runs only while the channel is open (Friday 17:00 plus 4 h is Monday 12:00 on a
    09:00-18:00 weekday channel).
    """
    opens, closes = scenario.opening_minutes(channel)
    minute = np.arange(7 * 1440)
    day, of_day = minute // 1440, minute % 1440
    is_open = (of_day >= opens[day]) & (of_day < closes[day])
    if not is_open.any():
        raise InputError(f"service_targets.{channel}.opening_hours", "never open",
                         "a channel open at least one minute a week")
    cum = np.concatenate([[0], np.cumsum(is_open)]) * 60.0  # open seconds before a minute
    week = cum[-1]
    t = pd.DatetimeIndex(arrival)
    s = ((t.day_of_week * 1440 + t.hour * 60 + t.minute) * 60 + t.second).to_numpy(float)
    m = (s // 60).astype(int)
    done = cum[m] + is_open[m] * (s - 60.0 * m) + work_s  # open time at the reply
    weeks, rest = np.divmod(done, week)
    at = np.searchsorted(cum[1:], rest, side="right")  # the open minute holding it
    return weeks * _WEEK_S + at * 60.0 + (rest - cum[at]) - s


def vendor_records(demand: pd.DataFrame, *, growth: float = 0.06, interval_minutes: int = 30,
                   seed: int | None = None, profile: ClientProfile = FORMOSA_CLICK,
                   scenario: Scenario | None = None) -> pd.DataFrame:
    """Generate the incumbent's raw records for two years, one row per contact.

    Its share of every interval's contacts on its channels (within its hours), with the
    columns :func:`~bpo_analysis.data.sample.interaction_records` describes. Queue waits
    lengthen with the day's load (the episodes and peak months hurt the service level);
    callers give up after an exponential patience (email never); email waiting while its
    channel is closed is answered after it opens; a share of handled contacts is
    followed by the same customer within days; and from the ramp start newly hired
    agents handle longer, repeat more, satisfy fewer customers and score lower in QA.
    The year before the demand is the demand year scaled back by a year's ``growth``.

    Parameters
    ----------
    demand : DataFrame
        The demand year's intervals (:func:`~bpo_analysis.data.sample.demand_intervals`).
    growth : float
        Yearly volume growth, share (the year before = the demand / (1 + growth)).
    interval_minutes : int
        Length of one demand interval, minutes.
    seed : int, optional
        Seed of the random draws; default the profile's.
    profile : ClientProfile
        The client and its incumbent; default the sample's (Formosa Click, vendor V02).
    scenario : Scenario, optional
        The client's opening hours; required when the incumbent answers a channel that
        waits for its opening (email).

    Returns
    -------
    DataFrame
        The records, in arrival order, ``contact_id`` from 1.

    Raises
    ------
    InputError
        No ``scenario`` for an incumbent that answers email.
    """
    inc = profile.incumbent
    rng = np.random.default_rng((profile.seed if seed is None else seed) + 11)
    deferred = [ch for ch in inc.share if ch not in inc.patience_s]
    if deferred and scenario is None:
        raise InputError("scenario", None, f"the client's scenario: {inc.vendor_id} answers "
                         f"{', '.join(deferred)}, which waits for the channel's opening hours")
    d = _two_years(demand[demand["channel"].isin(list(inc.share))], growth)
    load = _load_ratio(d)
    lam = d["contacts"].to_numpy(float) * _share(d, inc)
    count = rng.poisson(lam)
    pick = np.repeat(np.arange(len(d)), count)
    n = len(pick)
    step = interval_minutes * 60e9  # ns
    arrival = (d["interval_start"].to_numpy()[pick]
               + (rng.random(n) * step).astype("timedelta64[ns]"))
    channel = d["channel"].to_numpy()[pick].astype(str)
    ramp = arrival >= pd.Timestamp(inc.ramp_start).to_datetime64()
    wait = rng.exponential(pd.Series(channel).map(inc.wait_s).to_numpy()
                           * np.clip(load[pick], 0.5, 3.0) ** 2)
    for ch in deferred:  # email: its working wait runs while the channel is open
        at = channel == ch
        wait[at] = _open_wait(arrival[at], wait[at], scenario, ch)
    patience = rng.exponential(pd.Series(channel).map(inc.patience_s).fillna(np.inf)
                               .to_numpy(float))
    abandoned = wait > patience
    aht = d["aht_s"].to_numpy(float)[pick] * np.where(ramp, inc.ramp_aht, 1.0)
    handle = aht * rng.lognormal(-0.18, 0.6, n)
    hold = np.where(channel == "voice", handle * rng.uniform(0, 0.15, n), 0.0)
    acw = handle * rng.uniform(0.10, 0.25, n)
    end = arrival + (np.where(abandoned, patience, wait) * 1e9).astype("timedelta64[ns]")
    order = np.argsort(arrival, kind="stable")
    # repeat contacts: a handled contact's customer comes back within days
    customer = rng.integers(1, 2**40, n)[order]
    repeat = rng.random(n) < np.where(ramp[order], inc.repeat[1], inc.repeat[0])
    src = np.arange(n) - rng.integers(1, 2000, n)
    repeat &= src >= 0
    for _ in range(6):  # follow chains of repeats back to the first contact
        customer[repeat] = customer[src[repeat]]
    surveyed = ~abandoned & (rng.random(n) < 0.12)
    csat = np.where(ramp, rng.choice(5, n, p=inc.csat_p[1]),
                    rng.choice(5, n, p=inc.csat_p[0])) + 1
    nps = np.clip(np.round(2 * csat - 0.5 + rng.normal(0, 1.2, n)), 0, 10)
    qa = np.round(np.clip(rng.normal(np.where(ramp, inc.qa_mean[1], inc.qa_mean[0]), 6, n),
                          40, 100), 1)
    e = profile.episode(inc.complaint_episode)
    first = pd.Timestamp(e.start)
    hot = (arrival >= first.to_datetime64()) & (
        arrival < (first + pd.Timedelta(days=e.days)).to_datetime64())
    prefix, lo, hi = inc.agents
    out = pd.DataFrame({
        "contact_id": np.zeros(n, np.int64), "channel": channel, "vendor_id": inc.vendor_id,
        "queue": np.where(rng.random(n) < 0.7, *inc.queues),
        "arrival_time": arrival,
        "answer_time": pd.Series(end).where(~abandoned),
        "abandon_time": pd.Series(end).where(abandoned),
        "talk_s": np.where(abandoned, 0.0, np.round(handle - hold - acw, 1)),
        "hold_s": np.where(abandoned, 0.0, np.round(hold, 1)),
        "acw_s": np.where(abandoned, 0.0, np.round(acw, 1)),
        "disposition": np.where(abandoned, "abandoned", rng.choice(
            ["resolved", "resolved", "resolved", "follow_up", "transferred"], n)),
        "csat": pd.Series(csat, dtype="Int8").where(surveyed),
        "nps": pd.Series(nps.astype(int), dtype="Int8").where(surveyed),
        "complaint": rng.random(n) < np.where(hot, inc.complaint_rate[1],
                                              inc.complaint_rate[0]),
        "qa_score": np.where(~abandoned & (rng.random(n) < 0.02), qa, np.nan),
        "agent_id": pd.Series(np.char.add(prefix, rng.integers(lo, hi, n).astype(str)),
                              dtype=object).where(~abandoned, None)})
    out = out.iloc[order].reset_index(drop=True)
    out["customer_id"] = customer
    out["contact_id"] = np.arange(1, n + 1, dtype=np.int64)
    return out


def vendor_monthly_reports(records: pd.DataFrame, targets: dict[str, float],
                           seed: int | None = None, *,
                           profile: ClientProfile = FORMOSA_CLICK) -> pd.DataFrame:
    """Compute the incumbent's monthly reports from its own records, as it reports them.

    Every KPI follows the KPI dictionary's canonical definition except the service
    level, reported by the incumbent's flattering variant (V02 leaves abandoned
    contacts out of the denominator; H03 counts calls abandoned within the threshold as
    met) -- which the monthly reconciliation must find. On an email row ``asa_s`` is the
    time to first reply. Occupancy and agent attrition (not in the records) are drawn;
    the invoice is the handled contacts (or handle minutes) at the channel's price plus
    the monthly management fee, spread evenly over the channels' rows.

    Parameters
    ----------
    records : DataFrame
        The incumbent's records (:func:`vendor_records`).
    targets : dict
        Service-level threshold per channel, seconds.
    seed : int, optional
        Seed of the drawn occupancy and attrition; default the profile's.
    profile : ClientProfile
        The client and its incumbent; default the sample's.

    Returns
    -------
    DataFrame
        One row per month and channel, the columns of ``vendor_monthly_reports.csv``.
    """
    inc = profile.incumbent
    rng = np.random.default_rng((profile.seed if seed is None else seed) + 2)
    a = aggregates(records, answer_within_s=targets)

    def k(kpi_id: str, variant: str | None = None) -> np.ndarray:
        return kpis.compute(a, kpi_id, variant).to_numpy(float)

    n = len(a)
    units = a["handled"] if inc.billing == "per_call" else (
        a["talk_s"] + a["hold_s"] + a["acw_s"]) / 60
    return pd.DataFrame({
        "month": pd.PeriodIndex(a["period"], freq="M").astype(str),
        "vendor_id": a["vendor_id"], "channel": a["channel"],
        "contacts_offered": a["offered"], "contacts_handled": a["handled"],
        "service_level": np.round(k("service_level", inc.service_level_variant), 4),
        "asa_s": np.round(k("asa"), 1), "aht_s": np.round(k("aht"), 1),
        "abandon_rate": np.round(k("abandon_rate"), 4), "fcr": np.round(k("fcr"), 4),
        "csat": np.round(k("csat"), 4), "nps": np.round(k("nps"), 1),
        "complaints": a["complaints"], "qa_score": np.round(k("qa_score"), 1),
        "occupancy": np.round(np.clip(rng.normal(inc.occupancy, 0.02, n), 0, 1), 4),
        "agent_attrition_monthly": np.round(np.clip(
            rng.normal(inc.agent_attrition_monthly, 0.008, n), 0, 1), 4),
        "invoice_amount": np.round(units * a["channel"].map(inc.price)
                                   + inc.monthly_fee / len(inc.share), 0),
    }).sort_values(["month", "channel"], ascending=[True, False], ignore_index=True)
