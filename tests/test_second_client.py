"""The second bundled client, data/hk_health (a Hong Kong health insurer: HKD, 15-minute
intervals, voice 24/7, chat 09:00-21:00, email on weekdays, per-channel SLA terms): every
notebook runs on it (once per session, tests/conftest.py), its headline numbers equal the
package's, and the ones that can be are recomputed here by hand. ``validate`` and
``batch`` run on it too."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.core.present import HEADLINES_MIME
from tests.conftest import HK, HK_REPORTS, PLOTLY, outputs_with
from tests.test_notebooks import _assert_headlines

pytestmark = pytest.mark.slow


def test_the_second_client_is_unlike_the_sample(hk_client, sample_client):
    sc = hk_client.scenario
    assert (sc.country, sc.currency, sc.interval_minutes) == ("HK", "HKD", 15)
    assert sc.paid_hours_per_fte_month != sample_client.scenario.paid_hours_per_fte_month
    assert sc.opening_minutes("voice")[1].tolist() == [1440] * 7  # voice around the clock
    assert sc.opening_minutes("chat")[0].tolist() == [540] * 7  # chat from 09:00
    assert sc.opening_minutes("email")[1].tolist()[5:] == [0, 0]  # no email at weekends
    steps = pd.to_datetime(hk_client.demand["interval_start"]).drop_duplicates().diff()
    assert steps.dropna().eq(pd.Timedelta("15min")).all()
    mix = hk_client.quotes["pricing_model"].value_counts().to_dict()
    assert mix != sample_client.quotes["pricing_model"].value_counts().to_dict()
    assert mix.get("per_minute", 0) + mix.get("per_productive_hour", 0) >= 2


@pytest.mark.parametrize("key", list(HK_REPORTS))
def test_every_notebook_runs_on_the_second_client_in_its_currency(key, request):
    report, _ = request.getfixturevalue(key)
    html = report.html.read_text(encoding="utf-8")
    html = re.sub(r'"bdata":\s*"[^"]*"', "", html)  # the charts' base64 numbers
    assert "TWD" not in html and "Formosa" not in html
    assert "HKD" in html or key == "maturity_report_hk"  # the maturity scores carry no money
    assert "Victoria Peak" in html or key.startswith(("vendor", "pricing", "contract",
                                                      "review", "risk", "maturity"))


def test_profile_on_the_second_client(profile_report_hk, hk_client):
    from bpo_analysis.steps import profile

    _, nb = profile_report_hk
    res = profile.run(hk_client)
    _assert_headlines(nb, res.headline)
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    assert shown["contacts"]["value"] == int(hk_client.demand["contacts"].sum())
    html = "\n".join(outputs_with(nb, "text/html"))
    assert "15-minute" in html and "30-minute" not in html


def test_sourcing_on_the_second_client(sourcing_report_hk, hk_client):
    from bpo_analysis.steps import sourcing

    _, nb = sourcing_report_hk
    res = sourcing.run(hk_client)
    _assert_headlines(nb, res.headline)
    # the people cost uses the client's week: FTE = paid shift hours / 190
    fte = res.fte
    np.testing.assert_allclose(fte["fte"], fte["agent_hours"] / 190.0)


def test_vendors_and_pricing_on_the_second_client(vendor_report_hk, pricing_report_hk,
                                                  hk_client):
    from bpo_analysis.steps import pricing, vendors

    _assert_headlines(vendor_report_hk[1], vendors.run(hk_client).headline)
    res = pricing.run(hk_client)
    _assert_headlines(pricing_report_hk[1], res.headline)
    # like with like: no quote for one channel is the answer
    q = res.decision.quote.value
    assert hk_client.quotes.set_index("quote_id").loc[q, "channel"] == "all"


def test_contract_on_the_second_client_judges_each_channel(contract_report_hk, hk_client):
    from bpo_analysis.steps import contract

    _, nb = contract_report_hk
    res = contract.run(hk_client)
    _assert_headlines(nb, res.headline)
    assert "first_reply@email" in res.lines and "asa@email" not in res.lines
    # each line's credits by hand: the channel's invoice x at-risk share x allocation,
    # in the months the cap does not bind
    t, d, months = res.terms, res.detail, res.months
    reports = hk_client.vendor_reports
    inv = reports[reports["vendor_id"] == res.vendor_id].pivot_table(
        index="month", columns="channel", values="invoice_amount")
    inv.index = pd.PeriodIndex(inv.index, freq="M")
    free = months.index[~months["cap_applied"]]
    fired = d[d["month"].isin(free) & (d["rule"] != "-")]
    by_hand = sum(inv.loc[r.month, r.channel] * t.at_risk_share * t.kpis[r.kpi].allocation
                  for r in fired.itertuples())
    assert months.loc[free, "credits"].sum() == pytest.approx(by_hand)


def test_review_on_the_second_client(review_report_hk, hk_client, h03_parquet):
    from bpo_analysis.steps.review import step as review_step

    _, nb = review_report_hk
    res = review_step.run(hk_client, records_path=h03_parquet, month="2025-12")
    _assert_headlines(nb, res.headline)
    assert res.vendor_id == "H03"
    card = res.scorecard.set_index("kpi")
    assert "first_reply@email" in card.index and "asa@email" not in card.index
    figs = outputs_with(nb, PLOTLY)
    assert figs  # the charts are drawn on a 15-minute client too


def test_roi_risk_maturity_and_summary_on_the_second_client(
        roi_report_hk, risk_report_hk, maturity_report_hk, summary_report_hk, hk_client):
    from bpo_analysis.steps import maturity, risk, roi, summary

    _assert_headlines(roi_report_hk[1], roi.run(hk_client).headline)
    r = risk.run(hk_client)
    _assert_headlines(risk_report_hk[1], r.headline)
    assert "15 minutes" in r.surge_text._repr_html_()
    _assert_headlines(maturity_report_hk[1], maturity.run(hk_client).headline)
    s = summary.run(hk_client)
    _assert_headlines(summary_report_hk[1], s.headline)
    html = "\n".join(outputs_with(summary_report_hk[1], "text/html"))
    assert hk_client.vendors.set_index("vendor_id").loc[
        s.decision.vendor.value, "name"] in html


def test_validate_passes_on_the_second_client():
    out = subprocess.run([sys.executable, "-m", "bpo_analysis.cli", "validate", str(HK)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "HKD" in out.stdout or "hk_health" in out.stdout


def test_batch_runs_the_second_clients_example_set(capsys, tmp_path):
    import json

    from bpo_analysis import cli
    from tests.conftest import ROOT

    code = cli.main(["batch", str(ROOT / "params" / "hk_health_client.yaml"), "-o",
                     str(tmp_path), "--date", "2026-01-02"])
    _, err = capsys.readouterr()
    day = tmp_path / "2026-01-02"
    assert code == 0, err
    doc = json.loads((day / "index.json").read_text())
    assert [(r["set"], r["status"]) for r in doc["runs"]] == [("hk_health_client", "ok")] * 2
    for html in (day / "hk_health_client").glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "HKD" in text and "TWD" not in text
