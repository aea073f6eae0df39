"""Step 4 as a client reads it: every KPI value in its unit (shares in %, a time to first
reply in hours), no variant codes or field names in the annex, plurals said right and
vendors by name."""

from __future__ import annotations

import pytest

from bpo_analysis.i18n import use_language
from bpo_analysis.steps import contract
from bpo_analysis.steps.contract import views
from tests.reporting.client_text import problems

VENDORS = ["V01", "V02", "V03", "V04", "V05", "V06"]
HK_VENDORS = ["H01", "H02", "H03", "H04", "H05"]


@pytest.fixture(scope="module")
def res(sample_client):
    return contract.run(sample_client, simulated_years=2_000)


@pytest.fixture(scope="module")
def hk(hk_client):
    return contract.run(hk_client, simulated_years=2_000)


def _page(r) -> str:
    """The headline and every table, as the report shows them."""
    return r.headline._repr_html_() + "".join(r.tables[name].to_html() for name in r.tables)


def test_no_developer_text_in_the_headline_and_tables(res, hk):
    assert problems(_page(res), VENDORS) == []
    assert problems(_page(hk), HK_VENDORS) == []


@pytest.mark.parametrize("value, unit, kw, shown", [
    (0.8, "share", {}, "80%"), (0.055, "share", {}, "5.5%"),
    (0.8063, "share", {"decimals": 1}, "80.6%"),
    (0.0683, "share", {"decimals": 1, "spread": True}, "±6.8 points"),
    (86_400, "s", {"hours": True}, "24 h"), (20, "s", {}, "20 s"),
    (90, "points (0-100)", {}, "90 points"),
    (1.5, "per 1,000 handled", {}, "1.5 per 1,000 handled"),
    (float("nan"), "share", {}, "-"), (-0.00001, "share", {"decimals": 1}, "0.0%")])
def test_kpi_values_read_in_their_unit(value, unit, kw, shown):
    assert views.kpi_text(value, unit, **kw) == shown


def test_the_annex_says_each_threshold_in_its_unit(res, hk):
    a = res.tables["annex"].data
    assert list(a.columns) == ["KPI", "channel", "formula", "definition", "better", "target",
                               "minimum", "pool share", "data source"]
    sl = a[(a["KPI"] == "Service level") & (a["channel"] == "voice")].iloc[0]
    assert (sl["target"], sl["minimum"], sl["definition"]) == ("80%", "72%", "standard")
    qa = a[a["KPI"] == "Quality score"].iloc[0]
    assert (qa["target"], qa["minimum"]) == ("90 points", "85 points")
    h = hk.tables["annex"].data.set_index(["KPI", "channel"])
    assert tuple(h.loc[("Time to first reply", "email"), ["target", "minimum"]]) == (
        "24 h", "32 h")
    assert h.loc[("Abandonment rate", "voice"), "definition"] == "a vendor variant"
    assert h.loc[("Complaint rate", "voice"), "target"] == "1.5 per 1,000 handled"


@pytest.mark.parametrize("months, header", [
    (1.0, "target missed 1 month a year"), (2.0, "target missed 2 months a year")])
def test_calibration_in_each_kpis_unit_and_its_plural(res, months, header):
    t = views.calibration_view(views.calibration(res, months)).data.set_index("KPI")
    assert header in t.columns and not any("(s)" in c for c in t.columns)
    calib = views.calibration(res, months).set_index("KPI")
    sl = calib.loc["service_level@voice"]
    row = t.loc["Service level (voice)"]
    assert row["vendor mean"] == f"{sl['vendor mean'] * 100:.1f}%"  # 80.6 %, never 0.806
    assert row["vendor's spread (1 standard deviation)"] == f"±{sl['vendor sd'] * 100:.1f} points"
    assert row["target"] == "80%"
    assert row[header] == f"{sl[f'target missed {months:g} months a year'] * 100:.1f}%"
    assert t.loc["Quality score (voice)", "target"] == "90 points"


def test_a_time_to_first_reply_reads_in_hours(hk):
    t = views.calibration_view(hk.calibration).data.set_index("KPI")
    row = t.loc["Time to first reply (email)"]
    mean = hk.calibration.set_index("KPI").loc["first_reply@email", "vendor mean"]
    assert row["vendor mean"] == f"{mean / 3600:.1f} h" and row["target"] == "24 h"


def test_the_back_test_names_the_vendor_and_the_amounts_have_a_currency(res):
    assert res.tables["backtest"].caption == (
        "Back-test: the terms on the 24 monthly reports of Harbor Contact Services")
    assert "to " in res.headline.title
    low_high = res.headline.title.split("on average (")[1].split(" in 9 years of 10")[0]
    assert low_high.endswith(" TWD")  # "3,760,871 to 6,088,456 TWD"


def test_the_annex_in_chinese(hk_client):
    with use_language("zh-Hant"):
        a = contract.run(hk_client, simulated_years=500).tables["annex"].data
    first_reply = a[a.iloc[:, 0] == "首次回覆時間"].iloc[0]
    assert tuple(first_reply.iloc[5:7]) == ("24 小時", "32 小時")
    assert "標準定義" in set(a.iloc[:, 3])
