"""In-house baseline: the sample's cost items worked out by hand from inhouse_costs.yaml."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bpo_analysis.core import costs
from bpo_analysis.core.inhouse import incumbent_fees
from bpo_analysis.steps.profile import calc as profile_calc
from bpo_analysis.steps.profile import views as profile


def test_sample_baseline_item_by_item(sample_client):
    b = costs.inhouse_baseline(sample_client.inhouse).set_index("item")["monthly"]
    # 82 agents at 37,000 TWD, 1.5 bonus months, 21 % loading; 7 supervisors (82/12 -> 7)
    expected = {
        "Agent pay": 82 * 37_000 * 13.5 / 12,                       # 3,413,250
        "Agent insurance and benefits": 82 * 37_000 * 0.21,          # 637,140
        "Night-shift premium": 82 * 37_000 * 0.33 * 0.12,            # 120,146.4
        "Supervisors": 7 * 52_000 * (13.5 / 12 + 0.21),              # 485,940
        "Managers": 2 * 88_000 * (13.5 / 12 + 0.21),                 # 234,960
        "Recruiting and training": 82 * 0.38 / 12 * (15_000 + 52_000),
        "Seats: rent": 70 * 5_200,
        "Seats: equipment": 70 * 900,
        "Seats: IT licences": 70 * 2_400,
        "Platform (ACD/IVR/WFM)": 165_000,
        "Other overhead": 85_000,
    }
    assert b.to_dict() == pytest.approx(expected)
    assert b.sum() == pytest.approx(5_910_413.07, abs=0.01)


@pytest.mark.parametrize("agents, span, expected", [(82, 12, 7), (36, 12, 3), (0, 12, 0),
                                                     (21, 0.7, 30), (12.000000001, 12, 1)])
def test_supervisors_ceiling_is_float_safe(agents, span, expected):
    assert costs.supervisors_needed(agents, span) == expected


def test_cost_per_contact_by_month(sample_client):
    by_month = profile_calc.baseline_by_month(sample_client)
    assert (by_month["inhouse"] == by_month["inhouse"].iloc[0]).all()  # flat in-house
    fees = incumbent_fees(sample_client)  # + the incumbent's invoices of each month
    np.testing.assert_allclose(by_month["incumbent"], fees.to_numpy())
    np.testing.assert_allclose(by_month["cost"], by_month["inhouse"] + fees.to_numpy())
    nov = by_month.loc[by_month.index.astype(str) == "2025-11"].iloc[0]
    assert nov["cost_per_contact"] == pytest.approx(nov["cost"] / nov["contacts"])
    assert by_month["cost_per_contact"].idxmax().strftime("%m") == "02"  # fewest contacts


def test_a_partial_period_prorates_the_cost(sample_client):
    d = sample_client.demand
    part = dataclasses.replace(sample_client,
                               demand=d[d["interval_start"].between("2025-03-15",
                                                                    "2025-06-14 23:59")])
    monthly = 5_910_413.07  # the sample's monthly baseline (see above)
    share = np.array([17 / 31, 30 / 30, 31 / 31, 14 / 30])  # 15 Mar .. 14 Jun
    fees = incumbent_fees(part).to_numpy()  # the incumbent's invoices of those months
    cost = monthly * share.sum() + (fees * share).sum()
    contacts = part.demand["contacts"].sum()
    shown = profile.profile_headlines(part)
    assert shown["baseline_cost_per_contact"].value == pytest.approx(cost / contacts, rel=1e-9)
    assert shown["contacts"].note == "2025-03-15 to 2025-06-14 (92 days)"
    by_month = profile_calc.baseline_by_month(part)
    assert by_month["inhouse"].iloc[0] == pytest.approx(monthly * 17 / 31)
    assert by_month["cost"].iloc[0] == pytest.approx((monthly + fees[0]) * 17 / 31)
