"""The narrative a client reads comes from its own data, not from the sample's (issue 22).

The notebooks' markdown says only what is true of every client; what is the client's own
(its peaks with their dates, its criteria groups, the surge played and the length of its
intervals) the package writes from the client's files. Checked on a client unlike the
sample: 15-minute intervals, its largest peak in March and none in August, criteria groups
of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from bpo_analysis import i18n, load_client
from bpo_analysis.steps import profile, risk, vendors
from bpo_analysis.steps.risk.surge import SurgeInputs
from tests.conftest import ROOT, copy_sample, edit_text

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
#: Facts of the bundled sample that a notebook's text must not state as every client's.
SAMPLE_ONLY = re.compile(
    r"recall|half[ -]?hours?|sales peak|double[- ]?11|typhoon|taiwan|\bTWD\b|\bV0\d\b|harbor"
    r"|formosa|twelve months|16 ?h\b|30[- ]minute", re.I)
SAMPLE_ONLY_ZH = re.compile(r"召回|半小時|颱風|促銷尖峰|雙11|雙十一|台灣|臺灣|新台幣")
#: Generic phrases that name such a thing as one example among others.
GENERIC = ("a product recall, a campaign or an incident", "產品召回、行銷活動或突發事件")


def _markdown() -> list[tuple[str, int, str]]:
    return [(p.stem, i, c.source) for p in NOTEBOOKS
            for i, c in enumerate(nbformat.read(p, as_version=4).cells)
            if c.cell_type == "markdown"]


def _without_generic(text: str) -> str:
    for phrase in GENERIC:
        text = text.replace(phrase, "")
    return text


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_no_notebook_text_states_a_fact_of_the_sample(lang):
    pattern = SAMPLE_ONLY if lang == "en" else SAMPLE_ONLY_ZH
    found = [(stem, i, m.group(0)) for stem, i, source in _markdown()
             for m in pattern.finditer(_without_generic(i18n.translate_markdown(source, lang)))]
    assert not found, f"sample-only facts in the notebooks' text: {found}"


# ------------------------------------------------------------- a client unlike the sample
def _quarter_hours(path: Path) -> None:
    """Rewrite a 30-minute demand file as 15-minute rows (each half hour's contacts split
    over its two quarters, the odd one in the first)."""
    d = pd.read_csv(path, dtype={"aht_s": "Float64"})
    start = pd.to_datetime(d["interval_start"])
    first = d.assign(contacts=d["contacts"] - d["contacts"] // 2)
    second = d.assign(contacts=d["contacts"] // 2,
                      interval_start=(start + pd.Timedelta(minutes=15)).dt.strftime(
                          "%Y-%m-%d %H:%M"))
    second.loc[second["contacts"] == 0, "aht_s"] = pd.NA
    out = pd.concat([first, second]).assign(_t=lambda x: pd.to_datetime(x["interval_start"]))
    out.sort_values(["_t", "channel"], kind="stable").drop(columns="_t").to_csv(
        path, index=False)


def _move_the_peak(path: Path) -> None:
    """Flatten the sample's August peak to the week before it, and triple 10-12 March."""
    d = pd.read_csv(path, dtype={"aht_s": "Float64"})
    t = pd.to_datetime(d["interval_start"])
    august = (t >= "2025-08-18") & (t < "2025-08-25")
    week_before = (t >= "2025-08-11") & (t < "2025-08-18")
    for column in ("contacts", "aht_s"):
        d.loc[august, column] = d.loc[week_before, column].to_numpy()
    march = (t >= "2025-03-10") & (t < "2025-03-13")
    d.loc[march, "contacts"] *= 3
    d.to_csv(path, index=False)


@pytest.fixture(scope="module")
def unlike(tmp_path_factory):
    """A client unlike the sample: 15-minute intervals, a March peak, its own groups."""
    folder = copy_sample(tmp_path_factory.mktemp("unlike") / "client")
    demand = folder / "demand_intervals.csv"
    _move_the_peak(demand)
    _quarter_hours(demand)
    edit_text(folder / "scenario.yaml", "interval_minutes: 30", "interval_minutes: 15")
    edit_text(folder / "criteria.yaml", "service quality", "claims handling")
    return load_client(folder)


def test_the_peaks_are_the_clients_own_with_their_dates(unlike):
    assert unlike.scenario.interval_minutes == 15
    result = profile.run(unlike)
    text = str(result.peaks_text)
    largest = result.episodes.loc[result.episodes["excess_contacts"].abs().idxmax()]
    assert largest["start"] == pd.Timestamp("2025-03-10")
    assert "a peak from 10 March 2025 to 12 March 2025 (3 days" in text
    assert "August" not in text  # the sample's peak week is not this client's
    n = len(result.episodes)
    assert (f"{n} episodes; the largest:" if n > 1 else "1 episode, a peak") in text
    assert "Busiest 15-minute interval" in [h.label for h in result.headline.items]
    with i18n.use_language("zh-Hant"):
        assert "2025年3月10日 至 2025年3月12日 的尖峰（3 天" in str(result.peaks_text)


def test_a_demand_without_unusual_days_says_so():
    days = pd.Series(100.0, index=pd.date_range("2025-03-03", periods=70))
    episodes = profile.calc.demand.find_peaks(days)
    text = str(profile.views.peaks_paragraph(episodes, 1.4))
    assert text.startswith("No day of the demand is at ×1.4 or more the usual volume")


def test_the_criteria_are_the_clients_own_groups(unlike):
    text = str(vendors.run(unlike, draws=200).criteria_text)
    assert "claims handling 20 %" in text and "service quality" not in text
    groups = {c.group for c in unlike.criteria.criteria}
    assert f"{len(unlike.criteria.criteria)} criteria in {len(groups)} groups" in text
    assert "Cost per contact: each vendor's cheapest quote" in text


def test_the_surge_is_said_from_its_parameters_and_the_clients_interval(unlike):
    surge = SurgeInputs("2025-03-17", multiplier=3.0, days=5, channels=("chat",))
    result = risk.step.review(unlike, surge)
    assert result.interval_minutes == 15
    text = str(result.surge_text)
    assert text.startswith("A surge of ×3 the forecast on chat for 5 days, from 17 March 2025 "
                           "to 21 March 2025, played out interval by interval (15 minutes)")
    assert f"adds {result.surge.seats_per_day:g} surge seats a day" in text
    with i18n.use_language("zh-Hant"):
        assert "逐時段（每段 15 分鐘）" in str(result.surge_text)
