"""The KPI dictionary (data.kpis): every KPI and variant by hand, lookups, directions,
units and their ranges, the translations of every name a reader sees, the annex, and the
errors that name what exists."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.data import kpis
from bpo_analysis.errors import InputError
from bpo_analysis.i18n import catalog, use_language

AGG = pd.DataFrame({
    "offered": [1000, 0], "answered": [900, 0], "answered_within_t": [760, 0],
    "abandoned": [100, 0], "abandoned_short": [40, 0], "abandoned_within_t": [30, 0],
    "wait_s": [9000.0, 0], "ring_s": [2700.0, 0], "talk_s": [216_000.0, 0],
    "hold_s": [18_000.0, 0], "acw_s": [36_000.0, 0], "handled": [900, 0],
    "repeat_7d": [180, 0], "repeat_1d": [45, 0], "surveyed": [200, 0], "csat_top2": [170, 0],
    "csat_sum": [860, 0], "nps_responses": [150, 0], "promoters": [75, 0],
    "detractors": [30, 0], "complaints": [9, 0], "qa_sum": [4400.0, 0], "qa_n": [50, 0],
    "handle_s": [270_000.0, 0], "available_s": [90_000.0, 0], "paid_s": [450_000.0, 0],
    "scheduled_s": [315_000.0, 0], "adherent_s": [283_500.0, 0], "leavers": [3, 0],
    "headcount": [60, 0]})


@pytest.mark.parametrize("kpi_id, variant, expected", [
    ("service_level", "offered", 760 / 1000), ("service_level", "answered", 760 / 900),
    ("service_level", "excl_short_abandons", 760 / 960),
    ("service_level", "abandons_within_t_met", 790 / 1000),
    ("asa", "queue", 10.0), ("asa", "incl_ring", 13.0),
    ("aht", "full", 300.0), ("aht", "talk_hold", 260.0),
    ("abandon_rate", "excl_short", 60 / 960), ("abandon_rate", "all", 0.1),
    ("occupancy", None, 0.75), ("utilisation", None, 0.6), ("shrinkage", None, 0.3),
    ("adherence", None, 0.9), ("fcr", "repeat_7d", 0.8), ("fcr", "repeat_same_day", 0.95),
    ("csat", "top2", 0.85), ("csat", "mean_of_5", 0.86), ("nps", None, 30.0),
    ("complaint_rate", None, 10.0), ("qa_score", None, 88.0),
    ("attrition", "monthly", 0.05), ("attrition", "annualised", 1 - 0.95**12),
])
def test_every_kpi_and_variant_by_hand(kpi_id, variant, expected):
    got = kpis.compute(AGG, kpi_id, variant)
    assert got.iloc[0] == pytest.approx(expected)
    assert np.isnan(got.iloc[1])  # nothing to measure: NaN, not 0 or an error


def test_variants_side_by_side_and_the_annex():
    side = kpis.side_by_side(AGG, "service_level")
    assert side.columns[0] == "offered" and side.shape == (2, 4)
    annex = kpis.annex()
    assert set(annex["id"]) == set(kpis.KPIS)
    first = annex.groupby("id", sort=False).head(1)
    assert first["canonical"].all()  # the canonical variant first for each KPI
    assert {"KPI", "formula", "unit", "variant", "data source"} <= set(annex.columns)
    assert annex["formula"].str.len().min() > 10


@pytest.mark.parametrize("args, argument", [
    (("speed_of_light",), "kpi"), (("service_level", "flattering"), "variant of service_level")])
def test_unknown_kpi_or_variant(args, argument):
    with pytest.raises(InputError) as err:
        kpis.compute(AGG, *args)
    assert err.value.argument == argument


def test_missing_aggregate_column_is_named():
    with pytest.raises(InputError, match="abandoned_short"):
        kpis.compute(AGG.drop(columns="abandoned_short"), "abandon_rate")


# ---------------------------------------------------------------- the dictionary itself
def _documented_columns() -> set[str]:
    """The aggregate columns the module's docstring documents (its table's first column)."""
    lines = kpis.__doc__.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("=====")]
    rows = lines[rules[1] + 1:rules[2]]  # between the header's rule and the closing one
    return {word for line in rows for word in re.findall(r"[a-z][a-z0-9_]*", line[:28])}


def test_every_variant_reads_only_documented_aggregate_columns():
    documented = _documented_columns()
    assert {"offered", "answered_within_t", "nps_responses", "adherent_s"} <= documented
    for k in kpis.KPIS.values():
        for name, v in k.variants.items():
            assert set(v.needs) <= documented, (k.id, name, set(v.needs) - documented)


def test_each_kpi_has_a_direction_a_known_unit_and_its_canonical_variant():
    units = {"share", "s", "share per month", "points (0-100)", "points (-100 to 100)",
             "per 1,000 handled"}
    for kid, k in kpis.KPIS.items():
        assert k.id == kid
        assert k.direction in ("higher", "lower"), kid
        assert k.unit in units, kid
        assert k.canonical in k.variants, kid
        assert k.source and all(v.formula for v in k.variants.values()), kid


@pytest.mark.parametrize("kpi_id, direction", [
    ("service_level", "higher"), ("asa", "lower"), ("aht", "lower"),
    ("abandon_rate", "lower"), ("fcr", "higher"), ("csat", "higher"),
    ("complaint_rate", "lower"), ("attrition", "lower"), ("shrinkage", "lower")])
def test_directions_a_contract_relies_on(kpi_id, direction):
    assert kpis.KPIS[kpi_id].direction == direction


@pytest.mark.parametrize("kpi_id, bounds", [
    ("service_level", (0.0, 1.0)), ("attrition", (0.0, 1.0)), ("qa_score", (0.0, 100.0)),
    ("nps", (-100.0, 100.0)), ("aht", (0.0, np.inf)), ("complaint_rate", (0.0, np.inf))])
def test_bounds_follow_the_unit(kpi_id, bounds):
    assert kpis.KPIS[kpi_id].bounds == bounds


def test_every_name_a_reader_sees_has_a_traditional_chinese_translation():
    translated = catalog("zh-Hant")
    texts = {t for k in kpis.KPIS.values()
             for t in (k.name, k.unit, k.source, *(v.formula for v in k.variants.values()))}
    missing = sorted(t for t in texts if (None, t) not in translated)
    assert not missing, missing
    with use_language("zh-Hant"):
        assert kpis.fmt_value(300.0, "s") == f"300.0 {translated[(None, 's')]}"
        assert kpis.fmt_value(0.05, "share", signed=True).startswith("+5.0 ")
        assert "points" not in kpis.fmt_value(0.05, "share", signed=True)


# ---------------------------------------------------------------- lookups
def test_lookup_gives_the_canonical_variant_unless_one_is_named():
    k, name = kpis.kpi("abandon_rate")
    assert (k is kpis.KPIS["abandon_rate"], name) == (True, "excl_short")
    assert kpis.kpi("abandon_rate", "all")[1] == "all"


def test_a_bad_key_names_the_kpis_and_variants_there_are():
    with pytest.raises(InputError) as err:
        kpis.kpi("first_call_magic")
    assert err.value.argument == "kpi" and err.value.value == "first_call_magic"
    assert all(kid in str(err.value) for kid in kpis.KPIS)
    with pytest.raises(InputError) as err:
        kpis.kpi("fcr", "repeat_30d")
    assert err.value.argument == "variant of fcr"
    assert "'repeat_7d', 'repeat_same_day'" in str(err.value)


def test_compute_names_its_series_and_keeps_the_index():
    a = AGG.set_axis(["2025-01", "2025-02"])
    got = kpis.compute(a, "aht", "talk_hold")
    assert got.name == "aht:talk_hold" and list(got.index) == ["2025-01", "2025-02"]


def test_side_by_side_leaves_out_a_variant_whose_columns_are_missing():
    side = kpis.side_by_side(AGG.drop(columns="ring_s"), "asa")
    assert list(side.columns) == ["queue"]
    assert side["queue"].iloc[0] == pytest.approx(10.0)


def test_the_annex_of_some_kpis_keeps_their_order_canonical_first():
    annex = kpis.annex(["fcr", "aht"])
    assert annex[["id", "variant", "canonical"]].to_numpy().tolist() == [
        ["fcr", "repeat_7d", True], ["fcr", "repeat_same_day", False],
        ["aht", "full", True], ["aht", "talk_hold", False]]
    assert (annex["better"] == ["higher", "higher", "lower", "lower"]).all()
    with pytest.raises(InputError):
        kpis.annex(["aht", "speed_of_light"])


# ---------------------------------------------------------------- values as read
@pytest.mark.parametrize("value, unit, kwargs, text", [
    (0.7912, "share", {}, "79.1%"),
    (-0.066, "share", {"signed": True}, "-6.6 points"),
    (-0.0004, "share", {"signed": True}, "+0.0 points"),  # never "-0.0"
    (1234.5, "s", {}, "1,234.5 s"),
    (86.06, "points (0-100)", {}, "86.1 points"),
    (1.8167, "per 1,000 handled", {}, "1.82 per 1,000 handled"),
    (0.04, "share per month", {"decimals": 2}, "0.04 share per month"),
    (None, "s", {}, "-"), (float("nan"), "share", {}, "-"), (float("inf"), "s", {}, "-"),
])
def test_values_are_shown_with_their_unit(value, unit, kwargs, text):
    assert kpis.fmt_value(value, unit, **kwargs) == text


def test_nothing_to_measure_is_nan_not_zero():
    empty = pd.DataFrame({"offered": [0], "answered_within_t": [0]})
    assert np.isnan(kpis.compute(empty, "service_level").iloc[0])
