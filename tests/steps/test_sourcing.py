"""Sourcing options on the sample client, checked against hand computations."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import costs
from bpo_analysis.core.horizon import horizon_months
from bpo_analysis.core.workforce import fte_by_month, staffing_plan
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.steps.sourcing import calc
from bpo_analysis.steps.sourcing.breakeven import break_even
from bpo_analysis.steps.sourcing.horizon import horizon_costs, horizon_summary
from bpo_analysis.steps.sourcing.options import (
    OPTIONS,
    indicative_inputs,
    option_costs,
    option_summary,
    option_tables,
)

SHARED, DEDICATED, HYBRID, PARTIAL = OPTIONS[1], OPTIONS[2], OPTIONS[3], OPTIONS[4]


@pytest.fixture(scope="module")
def inputs(sample_client):
    return indicative_inputs(sample_client)


@pytest.fixture(scope="module")
def long(sample_client, inputs):
    return option_costs(sample_client, inputs)


@pytest.fixture(scope="module")
def fte(sample_client):
    return fte_by_month(staffing_plan(sample_client), sample_client.scenario)


def _total(long, option, component=None):
    rows = long[long["option"] == option]
    if component is not None:
        rows = rows[rows["component"] == component]
    return rows.groupby("month")["amount"].sum()


def test_indicative_prices_are_the_quote_medians(inputs):
    # per_call quotes: 92 (Q02) and 58 (Q05); per_seat: 62,000 (Q01) and 58,000 (Q07)
    assert inputs.price_per_contact == 75.0 and inputs.price_per_seat == 60_000.0
    assert inputs.monthly_minimum == 225_000.0  # (300,000 + 150,000) / 2


def test_tidy_table_with_currency(long):
    assert list(long.columns) == ["option", "month", "component", "amount", "currency"]
    assert set(long["option"]) == set(OPTIONS) and (long["currency"] == "TWD").all()
    assert long["amount"].notna().all() and (long["amount"] >= 0).all()


def test_shared_is_contacts_times_price(long, sample_client):
    monthly = sample_client.demand.groupby(
        sample_client.demand["interval_start"].dt.to_period("M"))["contacts"].sum()
    np.testing.assert_allclose(_total(long, SHARED, "Per-contact charges"), monthly * 75)
    # Q02's band: 60,000 committed, +-10 % free, 10 % surcharge above 66,000 contacts
    np.testing.assert_allclose(_total(long, SHARED, "Volume-band adjustment"),
                               (monthly - 66_000).clip(lower=0) * 75 * 0.1)
    assert (_total(long, SHARED, "Minimum top-up") == 0).all()  # far above 225,000 TWD
    assert (_total(long, SHARED, "Management fee") == 60_000).all()


def test_dedicated_seats_cover_the_busiest_month(long, fte):
    # the vendor changes shifts without gaps: seats for the hours needed, not shift hours
    seats = math.ceil(fte["fte_needed"].max())
    assert seats < fte["fte"].max()
    assert (_total(long, DEDICATED, "Dedicated seats") == seats * 60_000).all()
    idle = costs.idle_share(fte["agent_hours"] * 0, seats, 100)
    assert (idle == 1).all()  # no work at all: all idle


def test_inhouse_month_by_hand(long, fte, sample_client):
    jan = fte.iloc[0]
    c = sample_client.inhouse
    pay = jan["fte"] * 37_000 * (13.5 / 12 + 0.21)
    sups = math.ceil(jan["fte"] / 12) * 52_000 * (13.5 / 12 + 0.21)
    night = jan["fte"] * 37_000 * 0.33 * jan["night_share"]
    row = long[(long["option"] == OPTIONS[0]) & (long["month"] == fte.index[0])]
    got = row.set_index("component")["amount"]
    assert got["Agent pay"] + got["Agent insurance and benefits"] == pytest.approx(pay)
    assert got["Supervisors"] == pytest.approx(sups)
    assert got["Night-shift premium"] == pytest.approx(night)
    assert got["Platform (ACD/IVR/WFM)"] == c.facilities.platform_monthly


@pytest.mark.parametrize("percentile", [0.0, 1.0])
def test_hybrid_base_extremes(sample_client, inputs, percentile):
    long = option_costs(sample_client, dataclasses.replace(
        inputs, hybrid_base_percentile=percentile))
    overflow = _total(long, HYBRID, "Overflow per contact").sum()
    shared = _total(long, SHARED, "Per-contact charges").sum()
    if percentile == 1.0:
        assert overflow == 0  # the base covers the busiest interval
    else:
        assert 0.5 * shared < overflow < shared  # a minimal base leaves most as overflow


def test_partial_keeps_the_fixed_costs_in_house(sample_client, inputs, long):
    none_in = option_costs(sample_client, dataclasses.replace(inputs, inhouse_channels=()))
    part = none_in[none_in["option"] == PARTIAL].set_index(["month", "component"])["amount"]
    jan = part.xs(part.index[0][0])
    assert jan["In-house: Agent pay"] == 0
    assert jan["In-house: Platform (ACD/IVR/WFM)"] == 165_000  # does not go away
    np.testing.assert_allclose(_total(none_in, PARTIAL, None) - _total(none_in, SHARED),
                               165_000 + 85_000 + 2 * 88_000 * (13.5 / 12 + 0.21))
    all_in = option_costs(sample_client, dataclasses.replace(
        inputs, inhouse_channels=("voice", "chat", "email")))
    # nothing goes out: no shared contract, so no minimum and no fee either
    np.testing.assert_allclose(_total(all_in, PARTIAL), _total(all_in, OPTIONS[0]))


def test_summary_ranks_and_compares(long, sample_client):
    s = option_summary(long, sample_client.demand["contacts"].sum())
    assert s["total"].is_monotonic_increasing and s["vs_cheapest"].iloc[0] == 0
    assert s.loc[SHARED, "per_contact"] == pytest.approx(
        _total(long, SHARED).sum() / sample_client.demand["contacts"].sum())


@pytest.mark.slow
def test_break_even_volume_is_where_the_costs_meet(sample_client, inputs):
    volumes, curve = break_even(sample_client, inputs, SHARED, DEDICATED)
    today = sample_client.demand["contacts"].sum() / 12
    assert len(volumes) == 1  # the default curve, 0.2x to 3x today, crosses once
    volume = volumes[0]
    assert 0.3 * today < volume < today  # dedicated pays today
    scale = volume * 12 / sample_client.demand["contacts"].sum()
    long = option_costs(sample_client, dataclasses.replace(inputs, volume_scale=scale))
    a, b = _total(long, SHARED).mean(), _total(long, DEDICATED).mean()
    assert a == pytest.approx(b, rel=0.02)
    assert (np.diff(curve[SHARED]) > 0).all()


def test_break_even_never_crossing_returns_no_volume(sample_client, inputs):
    cheap = dataclasses.replace(inputs, price_per_contact=1.0)
    volumes, _ = break_even(sample_client, cheap, SHARED, DEDICATED, scales=[0.5, 1.0, 1.5])
    assert volumes == []


def test_bad_inputs(sample_client, inputs):
    with pytest.raises(InputError, match="price_per_seat"):
        dataclasses.replace(inputs, price_per_seat=-1)
    with pytest.raises(InputError, match="hybrid_base_percentile"):
        dataclasses.replace(inputs, hybrid_base_percentile=1.5)
    with pytest.raises(InputError, match="option"):
        break_even(sample_client, inputs, "Outsource everything", SHARED)
    no_seats = dataclasses.replace(sample_client, quotes=sample_client.quotes[
        ~sample_client.quotes["pricing_model"].isin(["per_seat", "per_productive_hour"])])
    with pytest.raises(DataError, match="no per_seat quote"):
        indicative_inputs(no_seats)
    assert indicative_inputs(no_seats, price_per_seat=50_000).price_per_seat == 50_000


def test_break_even_table_and_peak_effect(sample_client, inputs):
    from bpo_analysis.steps.sourcing.breakeven import (
        BREAK_EVEN_PAIRS,
        break_even_table,
        cost_curve,
        crossings,
    )
    from bpo_analysis.steps.sourcing.calc import peak_effect

    curve = cost_curve(sample_client, inputs, scales=[0.3, 0.8, 1.2, 2.0])
    table = break_even_table(curve)
    for a, b in BREAK_EVEN_PAIRS:  # a pair's ranges end at its break-evens
        rows = table[table["options"] == f"{a} vs {b}"]
        assert list(rows["to (contacts per month)"].iloc[:-1]) == pytest.approx(
            crossings(curve, a, b))
    effect = peak_effect(option_tables(sample_client, inputs), sample_client)
    assert effect.loc[DEDICATED, "busiest vs average"] == 0  # the same bill every month
    assert effect.loc[SHARED, "busiest vs average"] > 0.2  # follows November
    assert "largest spike (Aug 2025)" in effect.columns  # the recall week


def test_partial_email_keeps_agents_and_contacts_in_the_same_share(sample_client, inputs):
    from bpo_analysis.core.workforce import Calendar, staffing_plan
    from bpo_analysis.steps.sourcing.options import _kept_in_house

    plan = staffing_plan(sample_client)
    cal = Calendar.of(plan["interval_start"])
    eight = dataclasses.replace(inputs, inhouse_channels=("email",), inhouse_coverage_hours=8)
    contacts, agents = _kept_in_house(plan, cal, sample_client, eight)
    email = (plan["channel"] == "email").to_numpy()
    tuesday = email & (cal.weekday == 1)  # open 08:00-24:00: 8 of 16 hours in-house
    assert set(np.unique(contacts[tuesday])) == {0.5}
    assert agents[tuesday & (cal.hour >= 8) & (cal.hour < 16)].min() == 1
    assert agents[tuesday & ((cal.hour < 8) | (cal.hour >= 16))].max() == 0
    work = plan["scheduled"].to_numpy() * email
    kept_work = (work * agents).sum() / work.sum()
    kept_contacts = (plan["contacts"].to_numpy() * contacts * email).sum() / (
        plan["contacts"].to_numpy() * email).sum()
    assert kept_work == pytest.approx(kept_contacts, abs=0.03)  # the same share, both ways
    assert (contacts[~email] == 0).all()  # voice and chat go out


@pytest.mark.parametrize("change, argument", [
    ({"dedicated_cover": 0.0}, "dedicated_cover"),
    ({"volume_scale": 0.0}, "volume_scale/aht_scale"),
    ({"band_share": -0.5}, "band_share"),
    ({"above_band_price_factor": -2.0}, "above_band_price_factor"),
    ({"inhouse_channels": ("emial",)}, "inhouse_channels"),
    ({"inhouse_coverage_hours": 0.0}, "inhouse_coverage_hours"),
])
def test_sourcing_inputs_refuse_bad_values(inputs, change, argument):
    with pytest.raises(InputError) as err:
        dataclasses.replace(inputs, **change)
    assert err.value.argument == argument


def test_notebook_channels_absent_from_the_client_warn(sample_client):
    from bpo_analysis.steps.sourcing.options import inputs_from_parameters

    no_email = dict(sample_client.scenario.service_targets)
    no_email.pop("email")
    client = dataclasses.replace(sample_client, scenario=sample_client.scenario.model_copy(
        update={"service_targets": no_email}))
    with pytest.warns(UserWarning, match=r"\['email'\] not served"):
        inputs_from_parameters(client, inhouse_channels="email")
    with pytest.raises(InputError, match="inhouse_channels"):
        inputs_from_parameters(client, inhouse_channels="fax")


# ---------------------------------------------------------------- planning horizon
@pytest.fixture(scope="module")
def horizon(sample_client, inputs):
    return horizon_costs(sample_client, inputs)


def _with_scenario(client, **update):
    return dataclasses.replace(client, scenario=client.scenario.model_copy(update=update))


def test_horizon_months_take_the_same_calendar_month(sample_client):
    months, taken, years = horizon_months(sample_client)
    assert len(months) == 36 and str(months[0]) == "2026-01" and str(months[-1]) == "2028-12"
    assert (months.month == taken.month).all() and (taken.year == 2025).all()
    assert years.tolist() == [1] * 12 + [2] * 12 + [3] * 12
    # no horizon_start: the month after the demand ends; a start inside the demand year
    assert horizon_months(_with_scenario(sample_client, horizon_start=None))[0][0] == months[0]
    mid = horizon_months(_with_scenario(sample_client, horizon_start="2025-07"))
    assert mid[2][:6].tolist() == [0] * 6 and mid[2][6:18].tolist() == [1] * 12
    with pytest.raises(InputError, match="horizon_start"):
        horizon_months(_with_scenario(sample_client, horizon_start="2024-03"))


def test_horizon_grows_volume_and_escalates_prices(sample_client, inputs, horizon):
    sc = sample_client.scenario
    assert (sc.volume_growth_annual, sc.price_escalation_annual) == (0.06, 0.025)
    march = sample_client.demand[sample_client.demand["interval_start"].dt.month == 3]
    row = horizon[(horizon["option"] == SHARED) & (horizon["month"] == pd.Period("2027-03"))]
    charges = row.set_index("component").loc["Per-contact charges", "amount"]
    # second contract year: volume grown twice since 2025, the price escalated once
    assert charges == pytest.approx(march["contacts"].sum() * 1.06**2 * 75 * 1.025)
    first = horizon[(horizon["option"] == SHARED) & (horizon["month"] == pd.Period("2026-12"))]
    dec = sample_client.demand[sample_client.demand["interval_start"].dt.month == 12]
    assert first.set_index("component").loc["Per-contact charges", "amount"] == pytest.approx(
        dec["contacts"].sum() * 1.06 * 75)  # the quoted price all the first year
    assert set(horizon["year"]) == {1, 2, 3}


def test_horizon_inflates_inhouse_costs_by_group(sample_client, inputs, horizon):
    # year 3 against the demand year recomputed at year 3's volume
    grown = option_tables(sample_client, dataclasses.replace(inputs, volume_scale=1.06**3))
    year3 = horizon[(horizon["option"] == OPTIONS[0]) & (horizon["month"] == pd.Period(
        "2028-11"))].set_index("component")["amount"]
    nov = grown[OPTIONS[0]].loc[pd.Period("2025-11")]
    assert year3["Agent pay"] == pytest.approx(nov["Agent pay"] * 1.03**3)
    assert year3["Seats: rent"] == pytest.approx(nov["Seats: rent"] * 1.02**3)
    assert year3["Platform (ACD/IVR/WFM)"] == pytest.approx(
        sample_client.inhouse.facilities.platform_monthly * 1.02**3)
    part = horizon[(horizon["option"] == PARTIAL) & (horizon["month"] == pd.Period(
        "2028-11"))].set_index("component")["amount"]
    assert part["In-house: Platform (ACD/IVR/WFM)"] == pytest.approx(
        year3["Platform (ACD/IVR/WFM)"])
    assert part["Shared: Management fee"] == pytest.approx(60_000 * 1.025**2)  # year 3


def test_horizon_present_value(sample_client, horizon):
    first = horizon[horizon["month"] == pd.Period("2026-01")]
    np.testing.assert_allclose(first["pv"], first["amount"] / 1.08 ** (1 / 12))
    summary = horizon_summary(horizon, 0.08)
    by_option = horizon.groupby("option")[["amount", "pv"]].sum()
    # numpy-financial's npv of the monthly totals equals the sum of the discounted rows
    np.testing.assert_allclose(summary["pv"], by_option.loc[summary.index, "pv"])
    np.testing.assert_allclose(summary["nominal"], by_option.loc[summary.index, "amount"])
    assert summary["pv"].is_monotonic_increasing and summary["vs_cheapest_pv"].iloc[0] == 0
    assert (summary["pv"] < summary["nominal"]).all()


def test_horizon_needs_a_full_year_of_demand(sample_client, inputs):
    d = sample_client.demand
    short = dataclasses.replace(sample_client, demand=d[d["interval_start"].dt.month <= 9])
    with pytest.raises(DataError) as err:
        horizon_months(short)
    msg = str(err.value)
    assert "demand_intervals" in msg and "Oct, Nov, Dec" in msg and "twelve" in msg


def test_the_old_calc_module_still_gives_every_name():
    """Widgets, notebooks and benchmarks import step 1's calculation from ``calc``."""
    from bpo_analysis.steps.sourcing import breakeven, horizon, options

    moved = [(m, n) for m in (options, breakeven, horizon) for n in m.__all__
             if n in calc.__all__]
    assert len(moved) == 17  # all but calc's own two and the two from core
    assert all(getattr(calc, n) is getattr(m, n) for m, n in moved)


def test_paid_hours_per_agent_come_from_the_client_folder(tmp_path, sample_client):
    """A Hong Kong week (about 190 paid hours a month) needs fewer heads than Taiwan's 174."""
    from bpo_analysis import load_client
    from tests.conftest import copy_sample

    folder = copy_sample(tmp_path / "client")
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("paid_hours_per_fte_month: 174", "paid_hours_per_fte_month: 190"),
                    encoding="utf-8")
    hk = load_client(folder)
    base = indicative_inputs(sample_client)
    longer = indicative_inputs(hk)
    assert (base.workforce.paid_hours_per_fte_month,
            longer.workforce.paid_hours_per_fte_month) == (174, 190)
    plan = staffing_plan(sample_client)
    tw = fte_by_month(plan, sample_client.scenario)
    week = fte_by_month(plan, hk.scenario)
    np.testing.assert_allclose(week["fte"] * 190, tw["fte"] * 174)
    # without the line the folder is refused, naming the key: no country's week is assumed
    path.write_text(text.replace("paid_hours_per_fte_month: 174", "# removed"),
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert "paid_hours_per_fte_month" in str(err.value)


def test_a_market_quoting_per_minute_and_per_hour_still_gets_indicative_prices(tmp_path):
    """No per-call and no per-seat quote: the prices come from the per-minute and
    per-productive-hour quotes, each said in a note; with neither, one clear error."""
    from bpo_analysis import load_client
    from bpo_analysis.errors import DataWarning
    from tests.conftest import copy_sample

    folder = copy_sample(tmp_path / "client")
    path = folder / "quotes.csv"
    quotes = pd.read_csv(path)
    quotes = quotes[~quotes["pricing_model"].isin(["per_call", "per_seat", "hybrid"])]
    assert set(quotes["pricing_model"]) == {"per_minute", "per_productive_hour"}
    quotes.to_csv(path, index=False)
    client = load_client(folder)
    with pytest.warns(DataWarning) as caught:
        got = indicative_inputs(client)
    d = client.demand
    aht_min = (d["contacts"] * d["aht_s"].fillna(0)).sum() / d["contacts"].sum() / 60
    per_min = quotes.loc[quotes["pricing_model"] == "per_minute", "unit_price"].median()
    per_hour = quotes.loc[quotes["pricing_model"] == "per_productive_hour",
                          "unit_price"].median()
    assert got.price_per_contact == pytest.approx(per_min * aht_min)
    assert got.price_per_seat == pytest.approx(per_hour * 174 * (1 - 0.30))
    said = " ".join(str(w.message) for w in caught)
    assert "per-minute quotes' median" in said and "per-productive-hour" in said
    quotes[quotes["pricing_model"] == "per_productive_hour"].to_csv(path, index=False)
    with pytest.warns(DataWarning, match="per-seat"), pytest.raises(
            DataError, match="no per_call quote"):
        indicative_inputs(load_client(folder))
