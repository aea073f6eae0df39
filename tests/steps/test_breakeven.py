"""Break-evens of step 1: every crossing of two cost curves, and the cheaper option in each
range of volume, on curves computed by hand and on the sample client."""

from __future__ import annotations

import dataclasses
import itertools
import re

import numpy as np
import pandas as pd
import pytest

from bpo_analysis import i18n
from bpo_analysis.errors import InputError
from bpo_analysis.steps.sourcing import charts, views
from bpo_analysis.steps.sourcing.breakeven import (
    BREAK_EVEN_PAIRS,
    break_even_table,
    cheaper_ranges,
    cost_curve,
    crossings,
)
from bpo_analysis.steps.sourcing.options import (
    OPTIONS,
    contacts_per_month,
    indicative_inputs,
    option_tables,
)

INHOUSE, SHARED, DEDICATED = OPTIONS[0], OPTIONS[1], OPTIONS[2]
FROM, TO = "from (contacts per month)", "to (contacts per month)"
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _curve(x, shared, dedicated):
    return pd.DataFrame({"contacts_per_month": x, SHARED: shared, DEDICATED: dedicated})


#: Shared minus dedicated, by hand: 0, 1 and 2 changes of sign.
NEVER = _curve([10_000, 20_000, 30_000], [300, 500, 700], [400, 600, 800])  # -100 all along
ONCE = _curve([10_000, 20_000, 30_000], [300, 500, 700], [200, 550, 800])  # +100, -50, -100
TWICE = _curve([10_000, 20_000, 30_000, 40_000],  # +100, -20, +20, +40
               [300, 500, 700, 900], [200, 520, 680, 860])


@pytest.mark.parametrize("curve, expected", [
    (NEVER, []),
    (ONCE, [10_000 + 10_000 * 100 / 150]),  # 16,666.7: 100 of the 150 the gap closes
    (TWICE, [10_000 + 10_000 * 100 / 120, 20_000 + 10_000 * 20 / 40]),  # 18,333.3; 25,000
])
def test_every_crossing_is_interpolated(curve, expected):
    assert crossings(curve, SHARED, DEDICATED) == pytest.approx(expected)
    assert crossings(curve, DEDICATED, SHARED) == pytest.approx(expected)  # either order


@pytest.mark.parametrize("curve, edges, cheaper", [
    (NEVER, [10_000, 30_000], [SHARED]),
    (ONCE, [10_000, 16_666.67, 30_000], [DEDICATED, SHARED]),
    (TWICE, [10_000, 18_333.33, 25_000, 40_000], [DEDICATED, SHARED, DEDICATED]),
])
def test_each_range_names_its_cheaper_option(curve, edges, cheaper):
    r = cheaper_ranges(curve, SHARED, DEDICATED)
    assert list(r[FROM]) == pytest.approx(edges[:-1], abs=0.01)
    assert list(r[TO]) == pytest.approx(edges[1:], abs=0.01)
    assert list(r["cheaper"]) == cheaper
    assert (r["options"] == f"{SHARED} vs {DEDICATED}").all() and not r["today"].any()


@pytest.mark.parametrize("diff, expected", [
    ([10, 0, 10], []),  # touches and turns back: the cheaper option never changes
    ([10, 0, -10], [2_000]),  # equal exactly at a volume of the curve
    ([10, 0, 0, -10], [2_000]),  # equal over a stretch: where they first cost the same
    ([0, 10, -10, 0], [2_500]),  # equal at the edges: not a change of the cheaper
])
def test_ties_at_a_volume_of_the_curve(diff, expected):
    x = 1_000.0 * np.arange(1, len(diff) + 1)
    curve = _curve(x, 500 + np.array(diff, float), [500] * len(diff))
    assert crossings(curve, SHARED, DEDICATED) == pytest.approx(expected)
    assert len(cheaper_ranges(curve, SHARED, DEDICATED)) == len(expected) + 1


def test_the_same_cost_everywhere_is_one_range_with_no_cheaper_option():
    r = cheaper_ranges(_curve([1_000, 2_000], [5, 6], [5, 6]), SHARED, DEDICATED, 1_500)
    assert len(r) == 1 and r["cheaper"].iloc[0] is None and r["today"].iloc[0]
    assert "the two cost the same at every volume" in views.break_even_sentence(r, 1_500)


@pytest.mark.parametrize("today, held", [
    (12_000, 0), (18_333.34, 1), (25_000, 2),  # a break-even opens the range above it
    (40_000, 2), (5_000, None), (41_000, None),  # the top edge; outside the curve
])
def test_today_falls_in_one_range(today, held):
    r = cheaper_ranges(TWICE, SHARED, DEDICATED, today)
    assert list(np.flatnonzero(r["today"])) == ([] if held is None else [held])


def test_unknown_options_are_refused():
    with pytest.raises(InputError, match="option"):
        crossings(TWICE, SHARED, "Outsource everything")
    with pytest.raises(InputError, match="option"):
        cheaper_ranges(TWICE, "Offshore", DEDICATED)


# ---------------------------------------------------------------- the report
def test_the_sentence_says_every_range_and_today_s():
    twice = views.break_even_sentence(cheaper_ranges(TWICE, SHARED, DEDICATED, 20_000), 20_000)
    assert twice == (
        "Shared (per contact) against Dedicated (per seat), between 10,000 and 40,000 "
        "contacts per month: Dedicated (per seat) is cheaper below 18,333 contacts per month, "
        "Shared (per contact) from 18,333 to 25,000 and Dedicated (per seat) above 25,000. "
        "At today's 20,000 contacts per month, Shared (per contact) is cheaper.")
    assert views.break_even_sentence(cheaper_ranges(TWICE, SHARED, DEDICATED), 20_000) == twice
    once = views.break_even_sentence(cheaper_ranges(ONCE, SHARED, DEDICATED, 29_000), 29_000)
    assert ("Dedicated (per seat) is cheaper below 16,667 contacts per month and Shared (per "
            "contact) above 16,667. At today's 29,000 contacts per month, Shared (per "
            "contact) is cheaper.") in once
    never = views.break_even_sentence(cheaper_ranges(NEVER, SHARED, DEDICATED, 50_000), 50_000)
    assert never.endswith(
        "between 10,000 and 30,000 contacts per month: Shared (per contact) is cheaper at every "
        "volume. Today's 50,000 contacts per month lie outside that range.")


def test_the_sentence_in_chinese_carries_the_same_numbers():
    r = cheaper_ranges(TWICE, SHARED, DEDICATED, 20_000)
    en = views.break_even_sentence(r, 20_000)
    with i18n.use_language("zh-Hant"):
        zh = views.break_even_sentence(r, 20_000)
    assert re.search(r"[\u3400-\u9fff]", zh) and "per month" not in zh
    assert NUMBER.findall(zh) == NUMBER.findall(en)


def _summary():
    return pd.DataFrame({"total": [80.0e6, 95.0e6], "per_month": [6.7e6, 7.9e6],
                         "per_contact": [60.0, 71.0]}, index=[DEDICATED, SHARED])


@pytest.mark.parametrize("curve, keys", [
    (NEVER, []),
    (ONCE, ["break_even_contacts"]),
    (TWICE, ["break_even_contacts", "break_even_contacts_2"]),
])
def test_one_card_per_break_even_and_the_sentence_in_the_title(curve, keys):
    r = cheaper_ranges(curve, SHARED, DEDICATED, 20_000)
    h = views.headlines(_summary(), r, "TWD", contacts=20_000)
    cards = [c for c in h.items if c.key.startswith("break_even")]
    assert [c.key for c in cards] == keys
    assert [c.value for c in cards] == pytest.approx(crossings(curve, SHARED, DEDICATED))
    assert all(c.unit == "contacts per month" for c in cards)
    assert h.title.endswith(views.break_even_sentence(r, 20_000))
    if len(cards) == 2:
        assert cards[0].label == ("Shared (per contact) = Dedicated (per seat) at "
                                  "(break-even 1 of 2)")
        assert cards[0].note == ("Dedicated (per seat) is cheaper below, Shared (per "
                                 "contact) above")
        assert cards[1].note == ("Shared (per contact) is cheaper below, Dedicated (per "
                                 "seat) above")
    assert "break_even" not in str(views.headlines(_summary(), None, "TWD").items)


def test_the_chart_marks_every_break_even_with_labels_apart():
    at = crossings(TWICE, SHARED, DEDICATED)
    fig = charts.break_even_chart(TWICE, SHARED, DEDICATED, at, 24_000, "TWD")
    marks = [t for t in fig.data if t.mode == "markers"]
    assert len(marks) == 1 and list(marks[0].x) == pytest.approx(at)
    np.testing.assert_allclose(marks[0].y, [300 + 200 * 100 / 120, 500 + 200 * 0.5])
    assert sorted(s.x0 for s in fig.layout.shapes) == pytest.approx(sorted([*at, 24_000]))
    notes = sorted(fig.layout.annotations, key=lambda a: a.x)
    assert [a.text for a in notes] == ["break-even: 18,333 contacts per month",
                                       "today: 24,000 contacts per month",
                                       "break-even: 25,000 contacts per month"]
    ys = [a.y for a in notes]  # one row each, top down by volume: none covers another
    assert all(a.yref == "paper" and a.yanchor == "top" for a in notes)
    assert all(high - low >= 0.08 - 1e-9 for high, low in itertools.pairwise(ys))
    none = charts.break_even_chart(NEVER, SHARED, DEDICATED, [], 24_000, "TWD")
    assert len(none.layout.annotations) == 1 and len(none.data) == 2


def test_the_table_gives_every_pair_its_ranges():
    curve = pd.DataFrame({"contacts_per_month": [10_000, 20_000, 30_000, 40_000],
                          **{o: [300, 500, 700, 900] for o in OPTIONS}})
    curve[DEDICATED] = TWICE[DEDICATED]
    t = break_even_table(curve, 20_000)
    assert list(t["options"].drop_duplicates()) == [f"{a} vs {b}" for a, b in BREAK_EVEN_PAIRS]
    assert list(t.groupby("options", sort=False).size()) == [1, 3, 1, 3]
    assert t.loc[t["options"] == f"{INHOUSE} vs {OPTIONS[3]}", "cheaper"].item() is None
    shown = views.break_even_view(curve, 20_000).data
    assert list(shown.columns) == ["options", "from (contacts per month)",
                                   "to (contacts per month)", "cheaper",
                                   "today (contacts per month)"]
    assert list(shown["today (contacts per month)"]) == ["20,000", "", "20,000", "",
                                                         "20,000", "", "20,000", ""]
    assert "the same cost" in list(shown["cheaper"])


# ---------------------------------------------------------------- the sample client
@pytest.fixture(scope="module")
def inputs(sample_client):
    return indicative_inputs(sample_client)


def test_sample_shared_against_dedicated_in_the_report(sample_client):
    from bpo_analysis.steps.sourcing import run

    res = run(sample_client)
    assert res.break_even == pytest.approx(tuple(crossings(res.curve, SHARED, DEDICATED)))
    assert len(res.break_even) == 1 and 61_000 < res.break_even[0] < 62_000
    r = res.break_even_ranges
    assert list(r["cheaper"]) == [SHARED, DEDICATED] and list(r["today"]) == [False, True]
    assert res.contacts == pytest.approx(sample_client.demand["contacts"].sum() / 12)
    assert res.headline.title.endswith(
        "Shared (per contact) against Dedicated (per seat), between 21,911 and 328,660 "
        "contacts per month: Shared (per contact) is cheaper below 61,375 contacts per month "
        "and Dedicated (per seat) above 61,375. At today's 109,553 contacts per month, "
        "Dedicated (per seat) is cheaper.")
    card = res.headline["break_even_contacts"]
    assert card.value == res.break_even[0] and card.unit == "contacts per month"
    assert "109,553" in res.tables["break_even"].to_html()


@pytest.fixture(scope="module")
def minimum_curve(sample_client, inputs):
    """Shared at 58 a contact (quote Q05's price) with a 3,000,000 monthly minimum."""
    steep = dataclasses.replace(inputs, price_per_contact=58.0, monthly_minimum=3.0e6)
    return steep, cost_curve(sample_client, steep)


def test_sample_with_a_minimum_crosses_twice(sample_client, minimum_curve):
    steep, curve = minimum_curve
    at = crossings(curve, SHARED, DEDICATED)
    assert len(at) == 2 and 30_000 < at[0] < 35_000 and 190_000 < at[1] < 200_000
    r = cheaper_ranges(curve, SHARED, DEDICATED, contacts_per_month(sample_client, steep))
    assert list(r["cheaper"]) == [DEDICATED, SHARED, DEDICATED]
    assert list(r["today"]) == [False, True, False]  # shared wins at today's volume
    for _, row in r.iterrows():  # every volume of the curve inside a range agrees
        x = curve["contacts_per_month"]
        inside = curve[(x > row[FROM]) & (x < row[TO])]
        other = SHARED if row["cheaper"] == DEDICATED else DEDICATED
        assert (inside[row["cheaper"]] < inside[other]).all()


@pytest.mark.slow
def test_sample_costs_meet_at_both_break_evens(sample_client, minimum_curve):
    steep, curve = minimum_curve
    months = 12
    for volume in crossings(curve, SHARED, DEDICATED):
        scale = volume * months / sample_client.demand["contacts"].sum()
        tables = option_tables(sample_client, dataclasses.replace(steep, volume_scale=scale))
        shared, dedicated = (float(tables[o].to_numpy().sum()) / months
                             for o in (SHARED, DEDICATED))
        assert shared == pytest.approx(dedicated, rel=0.02), volume
