"""Staffing plan for the client's demand: per channel, against hand computations."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core import staffing
from bpo_analysis.core.workforce import Workforce, fte_by_month, shift_schedule, staffing_plan
from bpo_analysis.errors import InputError
from tests.core.test_staffing import _textbook_required


@pytest.fixture(scope="module")
def plan(sample_client):
    return staffing_plan(sample_client)


def test_voice_follows_erlang_c_on_each_interval(plan):
    voice = plan[(plan["channel"] == "voice") & (plan["contacts"] > 0)]
    sample = voice.iloc[::997]  # a spread of intervals through the year
    expected = [_textbook_required(c, h, 0.80, 20) for c, h in
                zip(sample["contacts"], sample["aht_s"], strict=True)]
    # the voice target also caps occupancy at 85 %
    capped = [max(n, math.ceil(c * h / 1800 / 0.85 - 1e-9)) for n, c, h in
              zip(expected, sample["contacts"], sample["aht_s"], strict=True)]
    assert sample["required"].tolist() == capped


def test_chat_agents_hold_two_chats(plan, sample_client):
    chat = plan[plan["channel"] == "chat"]
    direct = staffing.required_agents(chat["contacts"].to_numpy(float),
                                      chat["aht_s"].to_numpy(float) / 2, interval_s=1800,
                                      target_sl=0.80, target_t_s=60, max_occupancy=0.85)
    np.testing.assert_array_equal(chat["required"], direct)
    assert sample_client.scenario.service_targets["chat"].concurrency == 2


def test_email_is_spread_over_the_open_hours_of_its_day(plan):
    email = plan[plan["channel"] == "email"]
    day = email[email["interval_start"].dt.date.astype(str) == "2025-03-04"]  # a Tuesday
    work_h = (day["contacts"] * day["aht_s"].fillna(0)).sum() / 3600
    per_interval = math.ceil(work_h / 16 / 1.0)  # 08:00-24:00; no email occupancy cap
    is_open = day["interval_start"].dt.hour >= 8
    assert (day.loc[is_open, "required"] == per_interval).all()
    assert (day.loc[~is_open, "required"] == 0).all()


def test_scheduled_adds_shrinkage_and_closed_intervals_need_nobody(plan):
    np.testing.assert_array_equal(plan["scheduled"],
                                  staffing.scheduled_agents(plan["required"], 0.30))
    night = plan[(plan["interval_start"].dt.hour < 8) & (plan["channel"] != "email")]
    assert (night["required"] == 0).all()


def test_volume_scale(sample_client, plan):
    none = staffing_plan(sample_client, volume_scale=0.0)
    assert none["required"].sum() == 0
    double = staffing_plan(sample_client, volume_scale=2.0)
    assert (double["required"] >= plan["required"]).all()
    assert double["required"].sum() > 1.5 * plan["required"].sum()


def test_fte_by_month(plan, sample_client):
    f = fte_by_month(plan, sample_client.scenario, Workforce())
    shifts = shift_schedule(plan, sample_client.scenario, Workforce())
    assert len(f) == 12
    assert f["needed_hours"].sum() == pytest.approx(plan["scheduled"].sum() / 2)
    assert f["agent_hours"].sum() == pytest.approx(shifts.starts.sum() * 8)
    jan = shifts.days.to_period("M") == pd.Period("2025-01", "M")
    assert f["agent_hours"].iloc[0] == pytest.approx(shifts.starts[jan].sum() * 8)
    assert f["fte"].iloc[0] == pytest.approx(f["agent_hours"].iloc[0] / 174)
    assert f["fte_needed"].iloc[0] == pytest.approx(f["needed_hours"].iloc[0] / 174)
    assert ((f["schedule_efficiency"] > 0.5) & (f["schedule_efficiency"] < 1)).all()
    assert f["peak_seats"].iloc[0] == shifts.cover[jan].max()
    by_slot = plan[plan["interval_start"].dt.month == 1].groupby("interval_start")["scheduled"]
    assert f["peak_seats"].iloc[0] >= by_slot.sum().max()
    aug, nov = f.loc[f.index.astype(str) == "2025-08"], f.loc[f.index.astype(str) == "2025-11"]
    assert aug["peak_seats"].iloc[0] > 2 * f["peak_seats"].iloc[0]  # the recall week
    assert nov["fte_needed"].iloc[0] == f["fte_needed"].max()


def test_email_target_below_a_day_is_refused(sample_client):
    targets = dict(sample_client.scenario.service_targets)
    targets["email"] = targets["email"].model_copy(update={"answer_within_s": 3600})
    client = dataclasses.replace(sample_client, scenario=sample_client.scenario.model_copy(
        update={"service_targets": targets}))
    with pytest.raises(InputError, match=r"service_targets\.email\.answer_within_s"):
        staffing_plan(client)


def _closed_on(sample_client, weekday):
    hours = dict(sample_client.scenario.opening_hours, **{weekday: None})
    return dataclasses.replace(sample_client, scenario=sample_client.scenario.model_copy(
        update={"opening_hours": hours}))


def test_email_of_a_closed_day_is_done_the_next_open_day(sample_client, plan):
    closed = staffing_plan(_closed_on(sample_client, "sunday"))
    email = closed[closed["channel"] == "email"]
    day = email["interval_start"].dt.date.astype(str)
    sunday, monday = email[day == "2025-03-09"], email[day == "2025-03-10"]
    assert (sunday["required"] == 0).all()
    work_h = (pd.concat([sunday, monday]).pipe(lambda x: x["contacts"] * x["aht_s"].fillna(0))
              .sum() / 3600)
    open_monday = monday["interval_start"].dt.hour >= 8
    assert (monday.loc[open_monday, "required"] == math.ceil(work_h / 16)).all()


def test_email_of_the_last_closed_day_is_planned_not_refused(sample_client):
    # the demand ends on Wednesday 31 December 2025: with Wednesdays closed its email
    # waits for the first open day of the data (as the next week's Thursday would)
    plan = staffing_plan(_closed_on(sample_client, "wednesday"))
    email = plan[plan["channel"] == "email"]
    wednesday = email["interval_start"].dt.day_of_week == 2
    assert email.loc[wednesday, "required"].sum() == 0
    assert email.loc[~wednesday, "required"].sum() > 0


def test_chat_load_is_agent_load(plan):
    chat = plan[plan["channel"] == "chat"]
    np.testing.assert_allclose(chat["load_erlangs"],
                               chat["contacts"] * chat["aht_s"].fillna(0) / 2 / 1800)



def test_each_channel_is_staffed_within_its_own_hours(tmp_path, sample_client):
    """Voice 24/7 opens the centre all night; chat and email keep their own hours, and the
    email work is not staffed through the night because voice is."""
    from bpo_analysis import load_client
    from bpo_analysis.core.workforce import staffing_plan
    from tests.conftest import copy_sample

    folder = copy_sample(tmp_path / "client")
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    day = "{open: \"00:00\", close: \"24:00\"}"
    centre = "".join(f"  {d}: {day}\n" for d in ("monday", "tuesday", "wednesday", "thursday",
                                                  "friday", "saturday", "sunday"))
    own = ", opening_hours: {" + ", ".join(
        f"{d}: {{open: \"09:00\", close: \"21:00\"}}" for d in (
            "monday", "tuesday", "wednesday", "thursday", "friday")) + \
        ", saturday: null, sunday: null}"
    start = text.index("opening_hours:")
    end = text.index("service_targets:")
    text = text[:start] + "opening_hours:\n" + centre + text[end:]
    text = text.replace("email: {service_level: 0.90, answer_within_s: 86400}",
                        "email: {service_level: 0.90, answer_within_s: 86400" + own + "}")
    path.write_text(text, encoding="utf-8")
    client = load_client(folder)
    assert client.scenario.opening_minutes("voice")[1].tolist() == [1440] * 7
    assert client.scenario.opening_minutes("email")[0].tolist() == [540] * 5 + [0, 0]
    plan = staffing_plan(client)
    email = plan[plan["channel"] == "email"]
    hour = email["interval_start"].dt.hour
    weekday = email["interval_start"].dt.day_of_week
    assert email.loc[(hour < 9) | (hour >= 21) | (weekday >= 5), "required"].sum() == 0
    assert email.loc[(hour >= 9) & (hour < 21) & (weekday < 5), "required"].sum() > 0
    # the week's email work is the same, done within email's own hours
    base = staffing_plan(sample_client)
    assert email["contacts"].sum() == base.loc[base["channel"] == "email", "contacts"].sum()


def test_a_channel_open_outside_the_centre_is_refused(tmp_path):
    from bpo_analysis import load_client
    from bpo_analysis.errors import DataError
    from tests.conftest import copy_sample

    folder = copy_sample(tmp_path / "client")
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    week = ", ".join(f"{d}: {{open: \"07:00\", close: \"21:00\"}}" for d in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    path.write_text(text.replace(
        "concurrency: 2}", "concurrency: 2, opening_hours: {" + week + "}}"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.column == "service_targets.chat.opening_hours.monday"
    assert "08:00-24:00" in str(err.value) and err.value.row is not None


def test_email_of_a_closed_weekend_at_the_end_of_the_data_waits_for_the_first_open_day():
    """A demand extract ending on a Saturday, email closed at weekends: its email is done
    on the first open day (the same week a week later), not refused."""
    from bpo_analysis.core.workforce import email_agents

    days = pd.DatetimeIndex(["2025-03-08", "2025-03-09", "2025-03-10", "2025-03-15"])
    day = np.repeat([0, 1, 2, 3], 48)
    hour = np.tile(np.arange(48) // 2, 4)
    is_open = (day == 2) & (hour >= 8)  # Monday 08:00-24:00 only
    agents = email_agents(np.ones(192), np.full(192, 600.0), day, is_open, days, 0.5, 0.8)
    # 4 days x 8 hours of email over Monday's 16 open hours at 80 %: 2.5, so 3 agents
    assert agents[is_open].min() == 3.0 and agents[~is_open].max() == 0.0
    with pytest.raises(InputError, match="an open day for the email channel"):
        email_agents(np.ones(192), np.full(192, 600.0), day, np.zeros(192, bool), days,
                     0.5, 0.8)
