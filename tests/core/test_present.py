"""Headlines, tables and figures always carry their units."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from bpo_analysis.core import costs, demand
from bpo_analysis.core.heatmaps import demand_heatmap
from bpo_analysis.core.present import (
    HEADLINE_TEXT_MIME,
    HEADLINES_MIME,
    Headline,
    Headlines,
    amount_scale,
    fmt,
    styled,
)
from bpo_analysis.steps.profile import calc as profile_calc
from bpo_analysis.steps.profile import charts as profile_charts
from bpo_analysis.steps.profile import views as profile
from bpo_analysis.steps.sourcing import charts as sourcing_charts


def test_headlines_render_the_same_numbers_as_html_and_json():
    h = Headlines([Headline("cost", "Cost <today>", 1234567.8, "TWD per month"),
                   Headline("sl", "Service level", 0.8884, "%", 1)])
    bundle = h._repr_mimebundle_()
    # no application/json: JupyterLab and Voila would show it as a tree instead of the cards
    assert set(bundle) == {"text/html", HEADLINES_MIME, HEADLINE_TEXT_MIME, "text/plain"}
    html, data = bundle["text/html"], bundle[HEADLINES_MIME]
    assert "1,234,568 TWD per month" in html and "88.8 %" in html
    assert "Cost &lt;today&gt;" in html  # escaped
    assert data["cost"]["value"] == 1234567.8 and data["sl"]["text"] == "88.8 %"
    assert h["sl"].value == 0.8884
    with pytest.raises(KeyError, match="have"):
        h["nope"]
    # the words the deck and the workbook take, and the parameters a step took from files
    words = h.with_used({"discount_rate": "8.0 % from scenario.yaml"}).with_context(
        "Works on V01.")._repr_mimebundle_()[HEADLINE_TEXT_MIME]
    assert words["cards"][0] == {"key": "cost", "label": "Cost <today>",
                                 "text": "1,234,568 TWD per month", "note": ""}
    assert words["used"] == {"discount_rate": "8.0 % from scenario.yaml"}
    assert words["context"] == "Works on V01."


@pytest.mark.parametrize(("values", "scaled"), [
    ([264_813_442.0, -3_998_769.0], (1e6, "TWD M")), ([9_250.0, 480.0], (1.0, "TWD")),
    ([-52_000.0], (1e3, "TWD k")), ([2.5e9], (1e9, "TWD bn")), ([float("nan")], (1.0, "TWD"))])
def test_amounts_are_scaled_so_the_largest_reads_in_few_digits(values, scaled):
    assert amount_scale(values, "TWD") == scaled


@pytest.mark.parametrize("value, unit, decimals, text", [
    (0, "contacts", 0, "0 contacts"), (-1500.5, "TWD", 1, "-1,500.5 TWD"),
    (1, "%", 0, "100 %")])
def test_fmt(value, unit, decimals, text):
    assert fmt(value, unit, decimals) == text


def test_every_profile_figure_names_its_unit(sample_client):
    d = sample_client.demand
    daily = demand.daily_volume(d)
    figs = {
        "contacts per interval": demand_heatmap(
            demand.heatmap(demand.heatmap_cube(d, 30))),
        "contacts per month": profile_charts.monthly_volume_chart(demand.monthly_volume(d)),
        "share of the period (%)": profile_charts.channel_mix_chart(demand.channel_mix(d)),
        "contacts per day": profile_charts.daily_volume_chart(
            daily, demand.find_peaks(daily["total"])),
        "NT$ per month": profile_charts.baseline_cost_chart(
            costs.inhouse_baseline(sample_client.inhouse), "NT$"),
        "NT$ per contact": profile_charts.cost_per_contact_chart(
            profile_calc.baseline_by_month(sample_client), "NT$"),
    }
    for unit, fig in figs.items():
        layout = fig.to_plotly_json()
        text = str(layout["layout"]) + str([t.get("colorbar") for t in layout["data"]])
        assert unit in text, unit
        for trace in layout["data"]:
            assert trace.get("hovertemplate"), (unit, trace.get("name"))


def test_tables_name_units_in_headers(sample_client):
    html = profile.baseline_table(sample_client, "NT$").to_html()
    assert "NT$ per month" in html and "NT$ per year" in html and "5,910,413" in html
    assert "contacts in the period" in profile.channel_table(sample_client).to_html()


def test_every_sourcing_figure_names_its_unit(sample_client):
    from bpo_analysis.core import workforce
    from bpo_analysis.steps.sourcing import calc as sourcing
    from bpo_analysis.steps.sourcing import views as sourcing_views

    inputs = sourcing.indicative_inputs(sample_client)
    long = sourcing.option_costs(sample_client, inputs)
    summary = sourcing.option_summary(long, sample_client.demand["contacts"].sum())
    _, curve = sourcing.break_even(sample_client, inputs, sourcing.OPTIONS[1],
                                   sourcing.OPTIONS[2], scales=[0.5, 1.0, 2.0])
    plan = workforce.staffing_plan(sample_client)
    figs = {
        "NT$ per month": sourcing_charts.option_monthly_chart(long, "NT$"),
        "NT$ over the period": sourcing_charts.option_components_chart(long, "NT$"),
        "NT$ per contact": sourcing_charts.cost_per_contact_by_option(summary, "NT$"),
        "contacts per month": sourcing_charts.break_even_chart(curve, sourcing.OPTIONS[1],
                                                     sourcing.OPTIONS[2], [], 1e5, "NT$"),
        "idle share of productive time (%)": sourcing_charts.idle_chart(
            sourcing.idle_by_month(sample_client, inputs)),
        "agents per interval": demand_heatmap(
            workforce.agent_heatmap(plan, 30), unit="agents per interval"),
    }
    for unit, fig in figs.items():
        layout = fig.to_plotly_json()
        assert unit in str(layout["layout"]) + str([t.get("colorbar") for t in
                                                    layout["data"]]), unit
        assert all(t.get("hovertemplate") for t in layout["data"]), unit
    assert "NT$ per contact" in sourcing_views.summary_table(summary, "NT$").to_html()


def test_text_columns_and_their_headers_read_from_the_left():
    t = styled(pd.DataFrame({"vendor": ["Jade Mountain (V01)"], "TWD M": [87.84]}),
               {"TWD M": "{:,.1f}"}, "Options").to_html()
    assert re.search(r"th\.col0 \{\s*text-align: left;", t)  # the text column's header
    assert "th.col1" not in t  # a number's header stays on the right, over its numbers
