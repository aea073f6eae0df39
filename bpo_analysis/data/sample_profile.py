"""What a bundled example client's generated data is made of: a frozen client profile.

A :class:`ClientProfile` holds every number behind a bundled client's generated files --
the demand year (:mod:`bpo_analysis.data.sample_demand`) and the incumbent vendor's raw
records and monthly reports (:mod:`bpo_analysis.data.sample_incumbent`). The profiles
themselves are in :mod:`bpo_analysis.data.sample_clients`. The client's hand-written
files (opening hours, service targets, growth) stay in its folder: the generator reads
them from ``scenario.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["ClientProfile", "Episode", "Hump", "Incumbent"]


@dataclass(frozen=True)
class Hump:
    """One hump of a channel's intraday arrival shape (a Gaussian bell).

    Attributes
    ----------
    hour : float
        Its centre, hours after midnight (local time).
    width : float
        Its standard deviation, hours.
    weight : float
        Its height relative to the others.
    """

    hour: float
    width: float
    weight: float = 1.0


@dataclass(frozen=True)
class Episode:
    """A run of unusual days in the demand year: a holiday lull, a sales peak, a storm.

    On day d of the episode (0 on its first day) the day's volume is multiplied by
    ``factor x (1 + surge x exp(-d / decay_days))`` and, on the channels ``aht`` names,
    the handle time by ``aht[channel]``.

    Attributes
    ----------
    name : str
        What happened, e.g. ``"typhoon"``.
    start : str
        The first day, ``YYYY-MM-DD``.
    days : int
        Its length, days.
    factor : float
        A flat multiplier of every day's volume (0.55: a holiday lull).
    surge : float or mapping
        The extra share of volume on the first day, one for every channel or one per
        channel (1.6: 2.6 times the usual day), decaying over ``decay_days``.
    decay_days : float
        The surge's e-folding time, days.
    aht : mapping
        Handle-time multiplier per channel during the episode (1.2: calls 20 % longer).
    """

    name: str
    start: str
    days: int
    factor: float = 1.0
    surge: float | Mapping[str, float] = 0.0
    decay_days: float = 1.0
    aht: Mapping[str, float] = field(default_factory=dict)

    def surge_of(self, channel: str) -> float:
        """Return the first day's extra share of volume on ``channel``."""
        s = self.surge
        return float(s.get(channel, 0.0)) if isinstance(s, Mapping) else float(s)


@dataclass(frozen=True)
class Incumbent:
    """The vendor under contract today, whose raw records and monthly reports are generated.

    Attributes
    ----------
    vendor_id : str
        Its id in ``vendors.csv``.
    share : mapping
        Its share of each channel's contacts it answers (channels left out: none).
    hours : mapping
        Per channel, the minutes of the day ``(from, to)`` it takes its share in (``to``
        below ``from`` wraps past midnight: ``(1320, 480)`` is 22:00-08:00); a channel
        left out: all day.
    billing : {'per_call', 'per_minute'}
        Its invoice: handled contacts, or handle minutes, at ``price``.
    price : mapping
        Price per handled contact or per handle minute, per channel (currency).
    monthly_fee : float
        Management fee, spread evenly over its channels' rows (currency a month).
    wait_s : mapping
        Mean queue wait at a usual day's load, per channel, s (email: the working time
        before the first reply, counted from when the channel opens).
    patience_s : mapping
        Mean patience before a caller gives up, per channel, s; a channel left out
        (email) is never abandoned.
    ramp_start : str
        ``YYYY-MM-DD`` from which its new hires handle longer, repeat more, satisfy
        fewer customers and score lower in QA.
    ramp_aht : float
        Handle-time multiplier after ``ramp_start``.
    repeat : tuple of float
        Share of contacts repeated by the same customer within days, before and after
        ``ramp_start``.
    csat_p : tuple of tuple
        Probabilities of the CSAT answers 1-5, before and after ``ramp_start``.
    qa_mean : tuple of float
        Mean QA score, before and after ``ramp_start``, points.
    complaint_rate : tuple of float
        Share of contacts with a formal complaint, usually and during the episode named
        ``complaint_episode``.
    complaint_episode : str
        The :class:`Episode` whose days raise complaints.
    queues : tuple of str
        Two queues: the first takes 70 % of the contacts.
    agents : tuple of str and int and int
        The agents' id prefix and the range of their numbers.
    service_level_variant : str
        How it reports its service level (a variant of the KPI dictionary's
        ``service_level``; the flattering one the review must expose).
    occupancy : float
        Mean occupancy it reports, share.
    agent_attrition_monthly : float
        Mean agent attrition it reports, share a month.
    """

    vendor_id: str
    share: Mapping[str, float]
    price: Mapping[str, float]
    monthly_fee: float
    wait_s: Mapping[str, float]
    patience_s: Mapping[str, float]
    ramp_start: str
    complaint_episode: str
    hours: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    billing: str = "per_call"
    ramp_aht: float = 1.08
    repeat: tuple[float, float] = (0.22, 0.29)
    csat_p: tuple[tuple[float, ...], tuple[float, ...]] = (
        (.03, .04, .07, .34, .52), (.05, .06, .10, .36, .43))
    qa_mean: tuple[float, float] = (88.6, 86.0)
    complaint_rate: tuple[float, float] = (0.0012, 0.006)
    queues: tuple[str, str] = ("orders", "returns")
    agents: tuple[str, int, int] = ("B", 200, 290)
    service_level_variant: str = "answered"
    occupancy: float = 0.80
    agent_attrition_monthly: float = 0.032


@dataclass(frozen=True)
class ClientProfile:
    """Every number behind a bundled client's generated demand and incumbent.

    Attributes
    ----------
    name : str
        The folder it generates, e.g. ``"sample"`` for ``data/sample``.
    company : str
        ``scenario.yaml``'s company (how a folder finds its profile).
    seed : int
        Seed of the random draws.
    year : int
        The demand year; the incumbent's records cover it and the year before.
    interval_minutes : int
        Length of one demand interval, minutes.
    base_daily : mapping
        Contacts on a usual day (before the weekday, month and episode factors), per
        channel, in the order the channels are drawn.
    base_aht_s : mapping
        Average handle time per channel, s.
    weekday_factor : tuple of float
        Volume multiplier Monday ... Sunday.
    month_factor : tuple of float
        Volume multiplier January ... December.
    intraday : mapping
        Per channel, the humps of its arrival shape (:class:`Hump`) and the floor added
        to it (arrivals at every hour it is open).
    anytime : tuple of str
        Channels whose contacts arrive around the clock (email); the others arrive only
        inside their opening hours.
    aht_window : tuple of int
        Minutes of the day ``(from, to)`` whose contacts take longer ...
    aht_window_extra : float
        ... by this share (evening calls, night claims).
    episodes : tuple of Episode
        The year's unusual days, applied in this order.
    incumbent : Incumbent
        The vendor whose records and reports are generated.
    """

    name: str
    company: str
    seed: int
    year: int
    interval_minutes: int
    base_daily: Mapping[str, float]
    base_aht_s: Mapping[str, float]
    weekday_factor: tuple[float, ...]
    month_factor: tuple[float, ...]
    intraday: Mapping[str, tuple[tuple[Hump, ...], float]]
    episodes: tuple[Episode, ...]
    incumbent: Incumbent
    anytime: tuple[str, ...] = ("email",)
    aht_window: tuple[int, int] = (19 * 60, 24 * 60)
    aht_window_extra: float = 0.05

    def episode(self, name: str) -> Episode:
        """Return the episode called ``name``."""
        return next(e for e in self.episodes if e.name == name)
