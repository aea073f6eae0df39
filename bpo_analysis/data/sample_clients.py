"""The bundled example clients' profiles: what their generated data is drawn from.

Two clients, different in country, industry, interval length, channels, hours and the
incumbent they already use (``data/README.md``):

* :data:`FORMOSA_CLICK` -- ``data/sample``, a Taiwanese online retailer (TWD, 30-minute
  intervals, 16-hour weekdays): the Lunar New Year lull, the Double-11 sales peak and a
  product-recall week; incumbent V02 answers 12 % of the calls and 18 % of the chats,
  billed per call, and from November 2025 ramps up with new hires.
* :data:`VICTORIA_PEAK` -- ``data/hk_health``, a Hong Kong health insurer (HKD,
  15-minute intervals, a 24/7 claims hotline, chat 09:00-21:00, email on weekdays): a
  winter flu season from early January, the Lunar New Year holidays, and a typhoon day
  (Signal No. 8 on 24 September 2025) followed by catch-up days; incumbent H03 in
  Shenzhen answers the overnight calls (23:00-07:00) and 35 % of the email, billed per
  handle minute, and from July 2025 moves the work to a new site with new hires.

:func:`profile_for` finds a folder's profile by its ``scenario.yaml`` company.
"""

from __future__ import annotations

from bpo_analysis.data.models import Scenario
from bpo_analysis.data.sample_profile import ClientProfile, Episode, Hump, Incumbent
from bpo_analysis.errors import InputError

__all__ = ["FORMOSA_CLICK", "PROFILES", "VICTORIA_PEAK", "profile_for"]

FORMOSA_CLICK = ClientProfile(
    name="sample", company="Formosa Click Co., Ltd. (fictional)", seed=20250101,
    year=2025, interval_minutes=30,
    base_daily={"voice": 1900.0, "chat": 1150.0, "email": 520.0},
    base_aht_s={"voice": 285.0, "chat": 410.0, "email": 540.0},
    weekday_factor=(1.18, 1.08, 1.02, 1.00, 0.98, 0.82, 0.72),
    month_factor=(1.00, 0.86, 0.95, 0.96, 1.00, 1.10, 1.00, 1.02, 0.98, 1.04, 1.18, 1.12),
    # a double hump (late morning, afternoon) and an evening peak, strongest on chat
    intraday={ch: ((Hump(10.5, 1.4), Hump(14.5, 1.6, 0.9), Hump(20.7, 1.3, evening)), floor)
              for ch, evening, floor in (("voice", 0.7, 0.05), ("chat", 1.0, 0.05),
                                         ("email", 0.7, 0.15))},
    episodes=(
        Episode("lunar_new_year", "2025-01-28", 6, factor=0.55),
        Episode("before_double_11", "2025-11-08", 3, factor=1.15),
        Episode("double_11", "2025-11-11", 51, surge=0.9, decay_days=3.0),
        Episode("recall", "2025-08-18", 7, surge={"voice": 1.6, "chat": 1.0, "email": 0.8},
                decay_days=4.0, aht={"voice": 1.20, "chat": 1.15, "email": 1.05}),
    ),
    incumbent=Incumbent(
        vendor_id="V02", share={"voice": 0.12, "chat": 0.18},
        price={"voice": 58.0, "chat": 46.0}, monthly_fee=60000.0,
        wait_s={"voice": 12.0, "chat": 27.0}, patience_s={"voice": 230.0, "chat": 380.0},
        ramp_start="2025-11-01", complaint_episode="recall"),
)

VICTORIA_PEAK = ClientProfile(
    name="hk_health", company="Victoria Peak Health Insurance Ltd. (fictional)",
    seed=20250315, year=2025, interval_minutes=15,
    base_daily={"voice": 1500.0, "chat": 700.0, "email": 950.0},
    base_aht_s={"voice": 330.0, "chat": 450.0, "email": 540.0},
    weekday_factor=(1.16, 1.07, 1.03, 1.00, 0.97, 0.74, 0.58),
    # flu season in January, the Lunar New Year in February, year-end claims in December
    month_factor=(1.06, 0.95, 1.04, 0.97, 0.96, 0.97, 1.01, 1.03, 0.99, 0.98, 0.99, 1.08),
    intraday={
        # the claims hotline: office hours, and a thin night of hospital admissions
        "voice": ((Hump(10.0, 1.6), Hump(14.5, 1.8, 0.9), Hump(20.0, 1.5, 0.45)), 0.04),
        "chat": ((Hump(11.0, 1.8), Hump(15.0, 2.0, 0.9), Hump(19.5, 1.2, 0.8)), 0.05),
        "email": ((Hump(10.0, 2.0), Hump(15.0, 2.5, 0.8), Hump(21.5, 1.5, 0.5)), 0.12),
    },
    episodes=(
        Episode("flu_season", "2025-01-06", 42, surge={"voice": 0.55, "chat": 0.40,
                                                       "email": 0.30},
                decay_days=14.0, aht={"voice": 1.10, "chat": 1.06}),
        Episode("lunar_new_year", "2025-01-29", 3, factor=0.60),
        Episode("typhoon", "2025-09-24", 1, factor=0.55),  # Signal No. 8: clinics shut
        Episode("after_typhoon", "2025-09-25", 4, surge={"voice": 0.8, "chat": 0.6,
                                                         "email": 0.5},
                decay_days=1.5, aht={"voice": 1.08}),
    ),
    # night claims calls (hospital admissions, pre-approvals) take longer
    aht_window=(23 * 60, 7 * 60), aht_window_extra=0.10,
    incumbent=Incumbent(
        vendor_id="H03", share={"voice": 1.0, "email": 0.35},
        hours={"voice": (23 * 60, 7 * 60)}, billing="per_minute",
        price={"voice": 3.2, "email": 3.0}, monthly_fee=30000.0,
        wait_s={"voice": 16.0, "email": 4 * 3600.0}, patience_s={"voice": 240.0},
        ramp_start="2025-07-01", ramp_aht=1.10, repeat=(0.24, 0.31),
        csat_p=((.04, .05, .09, .37, .45), (.07, .08, .12, .36, .37)),
        qa_mean=(87.5, 84.0), complaint_rate=(0.0010, 0.004),
        complaint_episode="flu_season", queues=("claims", "policy_service"),
        agents=("S", 500, 560), service_level_variant="abandons_within_t_met",
        occupancy=0.74, agent_attrition_monthly=0.028),
)

#: The bundled profiles by the folder they generate (``data/<name>``).
PROFILES = {p.name: p for p in (FORMOSA_CLICK, VICTORIA_PEAK)}


def profile_for(scenario: Scenario) -> ClientProfile:
    """Return the bundled profile that generates the client of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A bundled client's ``scenario.yaml`` (its ``company``).

    Returns
    -------
    ClientProfile
        The profile whose company it is.

    Raises
    ------
    InputError
        A company no bundled profile generates (a client's own data is never generated).

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> profile_for(load_client("data/sample").scenario).name
    'sample'
    """
    for p in PROFILES.values():
        if p.company == scenario.company:
            return p
    raise InputError("scenario.yaml company", scenario.company,
                     "a bundled example client: "
                     + "; ".join(f"{p.company} (data/{p.name})" for p in PROFILES.values()))
