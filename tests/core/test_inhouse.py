"""The in-house centre staffed for the service targets: one calculation for step 1's
in-house option and step 6's same-service baseline."""

from __future__ import annotations

import numpy as np
import pytest

from bpo_analysis.core import costs
from bpo_analysis.core.calendar import Calendar
from bpo_analysis.core.inhouse import centre_by_month, centre_over_horizon
from bpo_analysis.core.shifts import Workforce
from bpo_analysis.core.workforce import fte_by_month, staffing_plan
from bpo_analysis.steps.sourcing import calc as sourcing


def test_the_centre_over_the_horizon_is_step_1s_in_house_option(sample_client):
    inputs = sourcing.SourcingInputs(price_per_contact=0.0, price_per_seat=0.0)
    h = sourcing.horizon_costs(sample_client, inputs)
    option = h[h["option"] == sourcing.OPTIONS[0]].set_index(["month", "component"])["amount"]
    centre = centre_over_horizon(sample_client).set_index(["month", "component"])["amount"]
    assert len(centre) == len(option)
    np.testing.assert_allclose(centre.reindex(option.index).to_numpy(), option.to_numpy(),
                               rtol=1e-12)


def test_a_month_is_the_fte_at_the_cost_per_fte_and_the_seats_for_the_peaks(sample_client):
    cal = Calendar.of(sample_client.demand["interval_start"])
    plan = staffing_plan(sample_client, Workforce(), calendar=cal)
    month = centre_by_month(sample_client, plan, cal, Workforce(), seat_cover=0.95)
    fte = fte_by_month(plan, sample_client.scenario, Workforce(), cal)
    need = cal.per_slot(plan["scheduled"].to_numpy(float))
    seats = int(np.ceil(np.quantile(need[need > 0], 0.95) - 1e-9))
    expected = costs.inhouse_by_month(sample_client.inhouse, fte, seats)
    np.testing.assert_allclose(month.to_numpy(), expected.to_numpy())
    # more seats for the peaks cost more, never less
    more = centre_by_month(sample_client, plan, cal, Workforce(), seat_cover=1.0)
    assert more.to_numpy().sum() >= month.to_numpy().sum()
    # nothing kept in-house leaves the fixed costs only
    kept = (np.zeros(len(plan)), np.zeros(len(plan)))
    none = centre_by_month(sample_client, plan, cal, Workforce(), kept=kept)
    assert none.to_numpy().sum() < month.to_numpy().sum()
    assert none.to_numpy().sum() == pytest.approx(
        costs.inhouse_by_month(sample_client.inhouse,
                               fte_by_month(plan.assign(contacts=0.0, scheduled=0.0),
                                            sample_client.scenario, Workforce(), cal),
                               0).to_numpy().sum())
