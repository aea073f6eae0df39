"""The verdict words of the reports, by rules written in one place.

A verdict word follows the numbers. The ROI review (step 6) says the move *pays* only
when the Monte Carlo gives a high probability of a positive NPV, *a coin flip* between a
low and the high threshold, and *does not pay* below the low one; whatever the NPV at the
base values says. The sourcing comparison (step 1) calls the cheapest option a winner
only when its margin over the runner-up is larger than the forecast error (a share of the
winner's cost); a smaller margin is a *tie*. A case that one driver carries (the NPV
changes sign without that driver's benefit) names that driver.

The thresholds are the fields of one frozen :class:`VerdictRules`; the functions return
keys (``"pays"``, ``"coin_flip"`` ...), which the views turn into sentences.

A business case with P(NPV > 0) = 48 %, under the default rules:

>>> roi_verdict(0.48, VerdictRules())
'coin_flip'
>>> sourcing_verdict(87.84e6, 90.89e6, VerdictRules())
'tie'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bpo_analysis.errors import InputError

if TYPE_CHECKING:
    from bpo_analysis.data.client import Client

__all__ = ["DEFAULT_RULES", "ROI_VERDICTS", "SOURCING_VERDICTS", "VerdictRules", "carrying_driver",
           "roi_verdict", "sourcing_verdict"]

#: The keys :func:`roi_verdict` returns, best first.
ROI_VERDICTS = ("pays", "coin_flip", "does_not_pay")
#: The keys :func:`sourcing_verdict` returns.
SOURCING_VERDICTS = ("wins", "tie")

RoiVerdict = Literal["pays", "coin_flip", "does_not_pay"]
SourcingVerdict = Literal["wins", "tie"]


def _share(name: str, value: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(value, bool) or not 0 <= x <= 1:  # NaN fails the comparison
        raise InputError(name, value, "a number from 0 to 1")
    return x


@dataclass(frozen=True)
class VerdictRules:
    """Hold the thresholds of the verdict words.

    Parameters
    ----------
    pays_at : float
        P(NPV > 0) from which the move *pays* (inclusive), 0-1.
    fails_below : float
        P(NPV > 0) below which the move *does not pay*; from it up to ``pays_at`` it is
        *a coin flip*. ``0 <= fails_below < pays_at <= 1``.
    tie_within : float
        The forecast error, as a share of the winner's cost: a margin over the runner-up
        up to it (inclusive) is a *tie*. ``0 <= tie_within < 1``.

    Raises
    ------
    InputError
        A threshold out of its range, naming the argument.

    Examples
    --------
    >>> VerdictRules()
    VerdictRules(pays_at=0.8, fails_below=0.2, tie_within=0.1)
    >>> try:
    ...     VerdictRules(pays_at=0.2, fails_below=0.5)
    ... except InputError as e:
    ...     print(e.argument, "must be", e.allowed)
    fails_below must be below pays_at (0.2)
    """

    pays_at: float = 0.80
    fails_below: float = 0.20
    tie_within: float = 0.10

    def __post_init__(self) -> None:
        """Refuse thresholds out of range, naming the argument."""
        pays_at = _share("pays_at", self.pays_at)
        fails_below = _share("fails_below", self.fails_below)
        if fails_below >= pays_at:
            raise InputError("fails_below", self.fails_below, f"below pays_at ({pays_at:g})")
        tie_within = _share("tie_within", self.tie_within)
        if tie_within >= 1:
            raise InputError("tie_within", self.tie_within, "from 0 to below 1")


    @classmethod
    def of(cls, client: Client | None) -> VerdictRules:
        """Return the client's thresholds (``scenario.yaml``'s ``verdicts``), else defaults.

        >>> from bpo_analysis.data.client import load_client
        >>> VerdictRules.of(load_client("data/sample")) == VerdictRules()
        True
        """
        if client is None:
            return cls()
        v = client.scenario.verdicts
        return cls(v.pays_at, v.fails_below, v.tie_within)


#: The default thresholds.
DEFAULT_RULES = VerdictRules()


def roi_verdict(p_positive: float, rules: VerdictRules = DEFAULT_RULES) -> RoiVerdict:
    """Return the ROI verdict key for the probability that the NPV is positive.

    Parameters
    ----------
    p_positive : float
        P(NPV > 0), 0-1 (the Monte Carlo's share of draws with a positive NPV).
    rules : VerdictRules
        The thresholds.

    Returns
    -------
    str
        ``"pays"`` when ``p_positive >= rules.pays_at``, ``"coin_flip"`` when
        ``rules.fails_below <= p_positive < rules.pays_at``, else ``"does_not_pay"``.

    Raises
    ------
    InputError
        ``p_positive`` not a number from 0 to 1.

    Examples
    --------
    >>> [roi_verdict(p) for p in (0.80, 0.79, 0.20, 0.19)]
    ['pays', 'coin_flip', 'coin_flip', 'does_not_pay']
    """
    p = _share("p_positive", p_positive)
    if p >= rules.pays_at:
        return "pays"
    return "coin_flip" if p >= rules.fails_below else "does_not_pay"


def carrying_driver(npv: float, npv_without: Mapping[str, float]) -> str | None:
    """Return the driver without whose benefit the NPV changes sign, the largest such.

    Parameters
    ----------
    npv : float
        The NPV of the case (currency).
    npv_without : Mapping of str to float
        Per driver, the NPV without its benefit (or at its adverse assumption), in the
        same currency.

    Returns
    -------
    str or None
        Among the drivers whose NPV has the other sign than ``npv`` (a positive NPV
        turning negative, or the reverse), the one farthest from ``npv``; ``None`` when
        none does, or ``npv`` is 0 or not finite.

    Examples
    --------
    >>> carrying_driver(8.7e6, {"churn_reduction": -53.4e6, "customer_value": -9.0e6,
    ...                         "volume": 10.1e6})
    'churn_reduction'
    >>> carrying_driver(8.7e6, {"volume": 4.3e6}) is None
    True
    """
    if not math.isfinite(npv) or npv == 0:
        return None
    flips = {k: abs(v - npv) for k, v in npv_without.items()
             if math.isfinite(v) and v != 0 and (v > 0) != (npv > 0)}
    return max(flips, key=flips.__getitem__) if flips else None


def sourcing_verdict(cost_winner: float, cost_runner_up: float,
                     rules: VerdictRules = DEFAULT_RULES) -> SourcingVerdict:
    """Return whether the cheapest option wins or ties with the runner-up.

    Parameters
    ----------
    cost_winner : float
        The cheapest option's cost (currency, > 0).
    cost_runner_up : float
        The next cheapest option's cost over the same period (>= ``cost_winner``).
    rules : VerdictRules
        ``rules.tie_within`` is the forecast error, a share of the winner's cost.

    Returns
    -------
    str
        ``"tie"`` when the margin ``cost_runner_up - cost_winner`` is at most
        ``rules.tie_within * cost_winner``, else ``"wins"``.

    Raises
    ------
    InputError
        A cost not positive and finite, or the runner-up cheaper than the winner.

    Examples
    --------
    >>> sourcing_verdict(100.0, 110.0), sourcing_verdict(100.0, 110.5)
    ('tie', 'wins')
    """
    cost_winner, cost_runner_up = float(cost_winner), float(cost_runner_up)
    if not math.isfinite(cost_winner) or cost_winner <= 0:
        raise InputError("cost_winner", cost_winner, "a positive finite cost")
    if not math.isfinite(cost_runner_up) or cost_runner_up < cost_winner:
        raise InputError("cost_runner_up", cost_runner_up,
                         f"a finite cost at least cost_winner ({cost_winner:g})")
    margin, error = cost_runner_up - cost_winner, rules.tie_within * cost_winner
    return "tie" if margin <= error or math.isclose(margin, error, rel_tol=1e-12) else "wins"
