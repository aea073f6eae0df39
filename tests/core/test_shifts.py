"""In-house shifts: the fewest shifts covering a plan (against an integer program), night
hours, shifts past midnight, and the workforce assumptions refused when out of range."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core.shifts import Workforce, shift_schedule
from bpo_analysis.core.workforce import fte_by_month, staffing_plan
from bpo_analysis.errors import InfeasibleError, InputError


@pytest.fixture(scope="module")
def plan(sample_client):
    return staffing_plan(sample_client)


def _flat_plan(day: str, need: int, start: str, end: str) -> pd.DataFrame:
    """One day of half-hours with ``need`` agents scheduled from ``start`` to ``end``."""
    starts = pd.date_range(day, periods=48, freq="30min")
    on = (starts >= pd.Timestamp(f"{day} {start}")) & (starts < pd.Timestamp(f"{day} {end}"))
    return pd.DataFrame({"interval_start": starts, "channel": "voice",
                         "contacts": np.where(on, 50.0, 0.0),
                         "scheduled": np.where(on, need, 0)})


@pytest.mark.parametrize("end, shifts_per_day, efficiency", [
    ("24:00", 20, 1.0),    # 16 h open: two 8-hour shifts each, no loss (seed 003)
    ("20:00", 20, 0.75),   # 12 h: still two shifts each, a quarter of the pay idle
    ("16:00", 10, 1.0)])   # 8 h: one shift
def test_eight_hour_shifts_against_the_length_of_the_day(sample_client, end, shifts_per_day,
                                                         efficiency):
    p = _flat_plan("2025-03-04", 10, "08:00", end.replace("24:00", "23:59"))
    s = shift_schedule(p, sample_client.scenario)  # a Tuesday: open 08:00-24:00
    assert s.starts.sum() == shifts_per_day
    assert (s.cover >= s.need).all()
    f = fte_by_month(p, sample_client.scenario)
    assert f["schedule_efficiency"].iloc[0] == pytest.approx(efficiency)


def test_night_hours_of_each_shift(sample_client, plan):
    s = shift_schedule(plan, sample_client.scenario, Workforce(shift_starts=("08:00", "16:00")))
    assert s.night_hours[16] == 0 and s.night_hours[32] == 2.0  # 08-16 none; 16-24: 22-24
    assert s.night_hours[44] == 8.0  # a 22:00 start works 22:00-06:00, all night
    used = np.flatnonzero(s.starts.sum(axis=0))
    assert used.tolist() == [16, 32]
    # fixed shifts: as many as the busiest interval of each shift needs
    tue = 62  # 2025-03-04
    assert s.starts[tue, 16] == s.need[tue, 16:32].max()
    assert s.starts[tue, 32] == s.need[tue, 32:48].max()


def _fewest_shifts(need: np.ndarray, allowed: list[int], span: int) -> float:
    """The minimum number of shifts covering ``need``: an integer program (HiGHS)."""
    from scipy.optimize import LinearConstraint, milp

    cover = np.zeros((len(need), len(allowed)))
    for j, s in enumerate(allowed):
        cover[s:s + span, j] = 1
    res = milp(np.ones(len(allowed)), integrality=np.ones(len(allowed)),
               constraints=LinearConstraint(cover, lb=need))
    assert res.success
    return res.fun


@pytest.mark.parametrize("day", [6, 62, 95, 228, 319])  # weekdays and weekends, the recall
def test_the_greedy_schedule_is_the_fewest_shifts(sample_client, plan, day):
    s = shift_schedule(plan, sample_client.scenario)
    opens, closes = sample_client.scenario.opening_minutes()
    wd = s.days[day].day_of_week
    first, end = opens[wd] // 30, closes[wd] // 30
    allowed = [c for c in range(48) if first <= c and c + 16 <= end] or [first]
    assert s.need[day].sum() > 0
    assert s.starts[day].sum() == pytest.approx(_fewest_shifts(s.need[day], allowed, 16))


def test_shift_settings_are_checked(sample_client, plan):
    sc = sample_client.scenario
    with pytest.raises(InputError, match="shift_hours") as err:
        shift_schedule(plan, sc, Workforce(shift_hours=7.75))
    assert "30-minute" in str(err.value)
    with pytest.raises(InputError, match="shift_starts") as err:
        shift_schedule(plan, sc, Workforce(shift_starts=("08:15",)))
    assert "08:15" in str(err.value)
    with pytest.raises(InfeasibleError, match=r"Wednesday 2025-01-01 08:00"):
        shift_schedule(plan, sc, Workforce(shift_starts=("12:00",)))


@pytest.mark.parametrize("kwargs, argument", [({"shrinkage": 1.0}, "shrinkage"),
                                              ({"shift_hours": 0}, "shift_hours"),
                                              ({"shift_hours": 25}, "shift_hours"),
                                              ({"shift_starts": ("25:00",)}, "shift_starts"),
                                              ({"shift_starts": ("8",)}, "shift_starts"),
                                              ({"shift_starts": "08:00"}, "shift_starts"),
                                              ({"night_from_hour": 30}, "night_from_hour"),
                                              ({"night_to_hour": -5}, "night_to_hour"),
                                              ({"paid_hours_per_fte_month": 0},
                                               "paid_hours_per_fte_month")])
def test_workforce_refuses_bad_assumptions(kwargs, argument):
    with pytest.raises(InputError) as err:
        Workforce(**kwargs)
    assert err.value.argument == argument


def test_night_hours_include_the_small_hours():
    w = Workforce()
    assert w.is_night(np.array([0, 5, 6, 21, 22, 23])).tolist() == [True, True, False, False,
                                                                   True, True]


def _round_the_clock(sample_client, agents=5):
    """The sample's scenario open 24 h every day, with ``agents`` needed all day, 3 days."""
    hours = {d: {"open": "00:00", "close": "24:00"} for d in sample_client.scenario.opening_hours}
    sc = sample_client.scenario.model_copy(update={"opening_hours": {
        d: type(sample_client.scenario.opening_hours["monday"]).model_validate(h)
        for d, h in hours.items()}})
    starts = pd.date_range("2025-03-04", periods=3 * 48, freq="30min")
    plan = pd.DataFrame({"interval_start": starts, "channel": "voice", "contacts": 50.0,
                         "scheduled": agents})
    return sc, plan


def test_night_shifts_cover_the_small_hours_of_the_next_day(sample_client):
    sc, plan = _round_the_clock(sample_client)
    s = shift_schedule(plan, sc, Workforce(shift_starts=("06:00", "14:00", "22:00")))
    assert (s.cover >= s.need).all()
    # days 2 and 3: 5 agents on each of the three shifts; the 22:00 one is all night
    assert s.starts[1].tolist().count(5.0) == 3 and s.starts[1, 44] == 5
    assert s.night_hours[44] == 8.0 and s.paid_hours().tolist() == [160.0, 120.0, 120.0]
    # the first day's small hours: the shift of the evening before, paid on the first day
    assert s.starts[0, 44] == 10  # its own 22:00 shift and the one carried in


def test_a_need_before_the_first_allowed_start_is_named(sample_client, plan):
    early = plan.assign(scheduled=np.where(plan["interval_start"].dt.hour == 6, 3,
                                           plan["scheduled"]))
    with pytest.raises(InfeasibleError, match=r"Wednesday 2025-01-01 06:00"):
        shift_schedule(early, sample_client.scenario, Workforce(shift_starts=("10:00",)))
