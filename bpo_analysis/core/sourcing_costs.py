"""Cost models of the outsourcing forms: shared agents per contact, dedicated seats.

Seed 000 names the two forms: shared agents billed per call with a monthly minimum
(fast to launch, suited to low or peaky volume) and dedicated agents billed per seat
(suited to high, flat volume; the seats sit idle off-peak). Amounts are per month in
the client's currency. The in-house baseline they are compared with is in
:mod:`bpo_analysis.core.costs`, which also exports every function here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpo_analysis.core.staffing import ceil_whole
from bpo_analysis.errors import InputError

__all__ = ["dedicated_by_month", "dedicated_seats", "idle_share", "shared_by_month"]


def shared_by_month(contacts: pd.Series, price_per_contact: float, *,
                    monthly_minimum: float = 0.0, management_fee: float = 0.0,
                    committed: float | None = None, band_share: float = 0.0,
                    above_factor: float = 1.0, below_factor: float = 1.0) -> pd.DataFrame:
    """Bill shared agents per contact, with volume bands and a monthly minimum.

    With a monthly commitment C and a band b: contacts above (1 + b) C are charged at
    the price x ``above_factor`` (the surcharge is the "Volume-band adjustment"); when
    the month falls below (1 - b) C every contact is charged at the price x
    ``below_factor``. The bill is never below ``monthly_minimum``.

    Parameters
    ----------
    contacts : Series
        Contacts handled per month.
    price_per_contact : float
        Currency per contact.
    monthly_minimum : float
        The least billed per month, currency per month.
    management_fee : float
        Fixed fee, currency per month.
    committed : float, optional
        Committed contacts per month, C (none: no bands).
    band_share : float
        Half-width b of the no-charge band around C, share 0-1.
    above_factor, below_factor : float
        Price multipliers above (1 + b) C and below (1 - b) C.

    Returns
    -------
    DataFrame
        Currency per month, rows as ``contacts``: ``Per-contact charges``,
        ``Volume-band adjustment``, ``Minimum top-up`` and ``Management fee``.

    Notes
    -----
    With n contacts and price p: charges = n p; adjustment = max(n - (1 + b) C, 0) p
    (above_factor - 1) + [n < (1 - b) C] n p (below_factor - 1); top-up =
    max(minimum - charges - adjustment, 0).

    References
    ----------
    Seed 000, steps 1 and 3: shared agents billed per call with a monthly minimum
    volume; the operating-risk premium of forecast errors (here the volume bands).

    Examples
    --------
    Committed 10,000 contacts a month, +-10 % free, 10 % more above the band:

    >>> shared_by_month(pd.Series([10_500, 12_000, 2_000]), 50, monthly_minimum=200_000,
    ...                 committed=10_000, band_share=0.1, above_factor=1.1)
       Per-contact charges  Volume-band adjustment  Minimum top-up  Management fee
    0             525000.0                     0.0             0.0             0.0
    1             600000.0                  5000.0             0.0             0.0
    2             100000.0                     0.0        100000.0             0.0
    """
    n = contacts.to_numpy(float)
    charges = n * price_per_contact
    adjust = np.zeros_like(n)
    if committed:
        above = np.maximum(n - (1 + band_share) * committed, 0.0)
        below = n < (1 - band_share) * committed
        adjust = above * price_per_contact * (above_factor - 1) + np.where(
            below, charges, 0.0) * (below_factor - 1)
    top_up = np.maximum(monthly_minimum - (charges + adjust), 0.0)
    return pd.DataFrame({"Per-contact charges": charges, "Volume-band adjustment": adjust,
                         "Minimum top-up": top_up,
                         "Management fee": np.full_like(n, float(management_fee))},
                        index=contacts.index)


def dedicated_seats(need_fte: pd.Series, cover: float) -> int:
    """Size the dedicated seats to the ``cover`` quantile of the monthly need.

    One seat is one agent's full month: 1.0 covers the busiest month, 0.5 the median
    month.

    Parameters
    ----------
    need_fte : Series
        FTE needed per month (e.g. ``fte_needed`` of
        :func:`bpo_analysis.core.workforce.fte_by_month`).
    cover : float
        Quantile of the monthly need to cover, in (0, 1].

    Returns
    -------
    int
        Seats (whole agents).

    Raises
    ------
    InputError
        ``cover`` outside (0, 1].

    Notes
    -----
    seats = ceil(quantile_cover(need_fte)), with linear interpolation between months.

    References
    ----------
    Seed 000, step 1: dedicated agents billed per seat suit high, flat volume; the
    months below the seats sized here leave seats idle.

    Examples
    --------
    Monthly needs of 80.2, 95.0 and 120.4 FTE: 121 seats cover the busiest month.

    >>> dedicated_seats(pd.Series([80.2, 95.0, 120.4]), 1.0)
    121
    """
    if not 0 < cover <= 1:
        raise InputError("cover", cover, "a quantile in (0, 1]")
    return ceil_whole(float(np.quantile(need_fte.to_numpy(float), cover)))


def dedicated_by_month(need_fte: pd.Series, seats: int, price_per_seat: float, *,
                       management_fee: float = 0.0) -> pd.DataFrame:
    """Bill dedicated agents per seat-month: the same bill every month.

    Parameters
    ----------
    need_fte : Series
        FTE needed per month (only its index is used: the months to bill).
    seats : int
        Seats billed every month.
    price_per_seat : float
        Currency per seat-month.
    management_fee : float
        Fixed fee, currency per month.

    Returns
    -------
    DataFrame
        Currency per month: ``Dedicated seats`` and ``Management fee``.

    Notes
    -----
    bill_m = seats x price per seat-month + management fee, whatever the month's need.

    References
    ----------
    Seed 000, step 1: dedicated agents billed per seat/agent.

    Examples
    --------
    121 seats at 62,000 TWD and an 80,000 TWD management fee: 7,502,000 TWD of seats
    every month, quiet or busy.

    >>> bill = dedicated_by_month(pd.Series([80.2, 95.0, 120.4]), 121, 62_000,
    ...                           management_fee=80_000)
    >>> bill["Dedicated seats"].tolist()
    [7502000.0, 7502000.0, 7502000.0]
    """
    return pd.DataFrame({"Dedicated seats": float(seats * price_per_seat),
                         "Management fee": float(management_fee)}, index=need_fte.index)


def idle_share(workload_hours: pd.Series, fte: float | pd.Series,
               productive_hours_per_fte: float) -> pd.Series:
    """Compute the share of the agents' productive time not spent handling contacts.

    Parameters
    ----------
    workload_hours : Series
        Hours of contact handling per month (contacts x AHT).
    fte : float or Series
        Agents (FTE) per month.
    productive_hours_per_fte : float
        Hours per FTE and month available for contacts (after shrinkage).

    Returns
    -------
    Series
        Idle share per month, share 0-1.

    Notes
    -----
    idle = 1 - workload / (FTE x productive hours per FTE), clipped to [0, 1]: one
    minus the agents' utilisation.

    References
    ----------
    N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial, review, and
    research prospects", MSOM 5(2), 2003 (agent utilisation); seed 000, step 1 (seats
    idle off-peak).

    Examples
    --------
    100 agents with 120 productive hours each: 6,000 hours of calls leave half their
    time idle, 9,000 a quarter.

    >>> idle_share(pd.Series([6_000.0, 9_000.0]), 100, 120).round(2).tolist()
    [0.5, 0.25]
    """
    capacity = fte * productive_hours_per_fte
    return (1.0 - workload_hours / capacity).clip(lower=0.0, upper=1.0)
