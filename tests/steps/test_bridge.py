"""The money bridge: today's in-house cost -> the same service -> each outsourced option,
every level equal to the number its step shows and every step summing to its difference."""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import pytest
from pandas.io.formats.style import Styler

from bpo_analysis.core.inhouse import INCUMBENT, TODAY_TOTAL, incumbent_fees
from bpo_analysis.steps import profile, sourcing
from bpo_analysis.steps.sourcing.bridge import (
    KINDS,
    OTHER,
    TAKEN_BACK,
    bridge_chart,
    bridge_table,
    money_bridge,
)
from bpo_analysis.steps.sourcing.options import OPTIONS

RTOL = 1e-9


@pytest.fixture(scope="module")
def sample_result(sample_client):
    return sourcing.run(sample_client)


@pytest.fixture(scope="module")
def modified():
    """Another client and another step 1: a bigger payroll working more nights, fewer
    seats, faster attrition, a dearer team lead, 30 % more contacts and 6-hour shifts."""
    from bpo_analysis.data.client import load_client

    client = load_client("data/sample")
    ih = client.inhouse
    inhouse = ih.model_copy(update={
        "headcount": ih.headcount.model_copy(update={
            "agents_fte": {"voice": 90, "chat": 25, "email": 12}, "seats": 48,
            "agents_per_supervisor": 10}),
        "loading": ih.loading.model_copy(update={"night_share_of_hours": 0.2}),
        "attrition": ih.attrition.model_copy(update={"annual_rate": 0.55}),
        "wages": ih.wages.model_copy(update={"supervisor_monthly": 61000})})
    client = dataclasses.replace(client, inhouse=inhouse)
    return client, sourcing.run(client, volume_scale=1.3, shift_hours=6.0, shrinkage=0.25)


def check_bridge(client, result):
    """Every invariant of the bridge, on one client and its step 1."""
    b = money_bridge(result)
    assert list(b.columns)[:5] == ["row", "kind", "amount", "total", "cause"]
    assert set(b["kind"]) <= set(KINDS)
    fees = incumbent_fees(client).mean()
    subtotals = b[b["kind"] == "subtotal"]
    assert list(b["kind"].iloc[:1]) == ["start"] and len(subtotals) == 1 + (fees > 0)
    assert b["cause"].str.len().gt(20).all()
    assert not b["cause"].str.contains(r"_[a-z]|\bfte\b|\bnan\b").any()  # no field names
    start = b.iloc[0]
    sub_at = int(np.flatnonzero(b["kind"] == "subtotal")[-1])
    sub = b.iloc[sub_at]
    steps = b.iloc[1:sub_at][lambda x: x["kind"] == "step"]
    if fees > 0:  # today's whole cost: the in-house centre and the incumbent's invoices
        rows = b.set_index("row")
        np.testing.assert_allclose(rows.loc[INCUMBENT, "amount"], fees, rtol=RTOL)
        np.testing.assert_allclose(rows.loc[TODAY_TOTAL, "total"], start["total"] + fees,
                                   rtol=RTOL)
        np.testing.assert_allclose(rows.loc[TAKEN_BACK, "amount"], -fees, rtol=RTOL)
    else:
        assert TODAY_TOTAL not in set(b["row"])
    assert (b.iloc[sub_at + 1:]["kind"] == "option").all()

    # the start is step 0's "In-house cost today" card
    card = profile.run(client).headline["baseline_monthly_cost"].value
    np.testing.assert_allclose([start["amount"], start["total"]], [card, card], rtol=RTOL)
    # the subtotal is step 1's In-house option, each option row its cost in step 1
    per_month = result.summary["per_month"]
    np.testing.assert_allclose(sub["total"], per_month[OPTIONS[0]], rtol=RTOL)
    options = b.iloc[sub_at + 1:].set_index("row")
    assert sorted(options.index) == sorted(set(OPTIONS[1:]))
    np.testing.assert_allclose(options["total"], per_month[options.index], rtol=RTOL)
    # ... and a month of step 1's long table agrees (the average month)
    long = result.long.groupby(["option", "month"])["amount"].sum().groupby("option").mean()
    np.testing.assert_allclose(options["total"], long[options.index], rtol=RTOL)

    # the steps sum exactly to the difference between the levels they join
    np.testing.assert_allclose(steps["amount"].sum(), sub["total"] - start["total"],
                               rtol=RTOL)
    np.testing.assert_allclose(sub["amount"], sub["total"] - start["total"], rtol=RTOL)
    np.testing.assert_allclose(start["total"] + steps["amount"].cumsum(), steps["total"],
                               rtol=RTOL)
    np.testing.assert_allclose(options["amount"], options["total"] - sub["total"],
                               rtol=RTOL, atol=1e-6)
    # everything is attributed: the remainder row is there, and is rounding only
    other = b.set_index("row").loc[OTHER]
    assert other["kind"] == "step"
    assert abs(other["amount"]) < 1e-3
    return b


def test_bridge_on_the_sample(sample_client, sample_result):
    b = check_bridge(sample_client, sample_result)
    amounts = b.set_index("row")["amount"]
    # today's 82 agents cover the hours on contacts; shrinkage and whole shifts add the rest
    assert amounts["Agents on contacts for the service targets"] < 0
    assert amounts["Shrinkage: breaks, training, absence"] > 0
    assert amounts["Shift loss: whole shifts"] > 0
    # 59 seats for the plan against 70 today: 11 seats at 5,200 + 900 + 2,400
    np.testing.assert_allclose(amounts["Seats: rent, equipment, IT"], -11 * 8500.0)
    assert round(b.iloc[0]["total"]) == 5_910_413
    # Harbor answers 12-18 % of the contacts today: its 2025 invoices, 709,223 a month
    assert round(b.set_index("row").loc[TODAY_TOTAL, "total"]) == 5_910_413 + 709_223


def test_bridge_without_an_incumbent_starts_and_ends_today_in_house(sample_client):
    client = dataclasses.replace(sample_client,
                                 vendor_reports=sample_client.vendor_reports.iloc[:0])
    check_bridge(client, sourcing.run(client))


def test_bridge_on_another_client(modified):
    client, result = modified
    b = check_bridge(client, result)
    # 127 agents on the payroll now (90 + 25 + 12), and 48 seats: the seats step moves
    assert "127 agents" in b.iloc[0]["cause"]
    assert b.set_index("row").loc["Seats: rent, equipment, IT", "amount"] != 0


def test_bridge_table_and_chart(sample_result):
    b = money_bridge(sample_result)
    table = bridge_table(b, "TWD")
    assert isinstance(table, Styler)
    html = table.to_html()
    assert "5,910,413" in html and "change, TWD per month" in html
    fig = bridge_chart(b, "TWD")
    assert isinstance(fig, go.Figure)
    waterfall, options = fig.data
    # the zero remainder is not drawn; every other step is, and the options as bars
    assert len(waterfall.x) == (b["kind"] != "option").sum() - 1
    np.testing.assert_allclose(options.y, b.loc[b["kind"] == "option", "total"], rtol=RTOL)
    # the dotted line the option bars stand against is the same-service level, not today's
    same = b.set_index("row").loc["In-house centre staffed for the service targets "
                                  "(same service)", "total"]
    assert [s.y0 for s in fig.layout.shapes] == [pytest.approx(same)]


def test_a_remainder_under_half_a_unit_reads_zero_never_minus_zero(sample_result):
    """Issue 23: "Other differences" of -0.3 a month is shown "+0", not "-0"."""
    from tests.reporting.client_text import RULES

    b = money_bridge(sample_result)
    b.loc[b["row"] == OTHER, "amount"] = -0.3
    table = bridge_table(b, "TWD")
    change = table.data.columns[1]
    assert table.data.loc[(b["row"] == OTHER).to_numpy(), change].tolist() == [0.0]
    assert not RULES["negative zero"].search(table.to_html())
