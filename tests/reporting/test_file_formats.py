"""The deliverables' building blocks, without a notebook or a browser: which charts map to
native PowerPoint charts (with the same numbers), how a table's numbers get their Excel
formats, and the refusals of a bad --format, --paper or --template."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from bpo_analysis import cli
from bpo_analysis.core.present import styled
from bpo_analysis.core.tables import TABLE_MIME, excel_format
from bpo_analysis.errors import InputError
from bpo_analysis.reporting.deck import check_template
from bpo_analysis.reporting.deck_charts import native_chart, trace_values
from bpo_analysis.reporting.deliverables import Options, parse_formats
from bpo_analysis.reporting.workbook import number_in_text, sheet_names


def _json(fig: go.Figure) -> dict:
    return fig.to_plotly_json()


# ----------------------------------------------------------------- native charts
def test_grouped_and_stacked_bars_keep_their_series_and_numbers():
    months = ["Jan", "Feb", "Mar"]
    fig = go.Figure([go.Bar(x=months, y=np.array([1.5, 2.0, 2.5]), name="voice"),
                     go.Bar(x=months, y=[3, 4, 5], name="chat")])
    grouped = native_chart(_json(fig))
    assert grouped.kind == XL_CHART_TYPE.COLUMN_CLUSTERED and grouped.legend
    fig.update_layout(barmode="stack", title="Contacts per month")
    stacked = native_chart(_json(fig))
    assert stacked.kind == XL_CHART_TYPE.COLUMN_STACKED and stacked.title == "Contacts per month"
    # the same categories and values as the figure (numpy arrays included)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    chart = slide.shapes.add_chart(stacked.kind, 0, 0, 100, 100, stacked.data).chart
    assert list(chart.plots[0].categories) == months
    assert [list(s.values) for s in chart.series] == [[1.5, 2.0, 2.5], [3, 4, 5]]
    assert [s.name for s in chart.series] == ["voice", "chat"]


def test_horizontal_bars_take_their_categories_from_y():
    fig = go.Figure(go.Bar(y=["V01", "V02"], x=[0.8, 0.5], orientation="h"))
    made = native_chart(_json(fig))
    assert made.kind == XL_CHART_TYPE.BAR_CLUSTERED and not made.legend
    assert list(made.data.categories[i].label for i in range(2)) == ["V01", "V02"]


def test_lines_over_dates_are_line_charts_and_over_numbers_xy_scatter():
    dates = go.Figure(go.Scatter(x=["2026-01-01", "2026-02-01"], y=[1, 2], mode="lines"))
    assert native_chart(_json(dates)).kind == XL_CHART_TYPE.LINE
    xy = go.Figure([go.Scatter(x=[0, 10_000, 20_000], y=[5, 4, 6], mode="lines", name="a"),
                    go.Scatter(x=[0, 20_000], y=[1, 9], mode="lines", name="b")])
    made = native_chart(_json(xy))
    assert made.kind == XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    assert [len(s) for s in made.data] == [3, 2]


def test_radar_and_pie_map():
    radar = go.Figure(go.Scatterpolar(theta=["people", "process", "technology"], r=[1, 2, 3]))
    assert native_chart(_json(radar)).kind == XL_CHART_TYPE.RADAR_MARKERS
    pie = go.Figure(go.Pie(labels=["voice", "chat"], values=[70, 30]))
    assert native_chart(_json(pie)).kind == XL_CHART_TYPE.PIE


@pytest.mark.parametrize("fig", [
    go.Figure([go.Bar(x=["a", "b"], y=[1, 2]), go.Scatter(x=["a", "b"], y=[1, 2])]),  # mixed
    go.Figure([go.Bar(x=["a"], y=[1]), go.Bar(x=["a"], y=[2], yaxis="y2")]).update_layout(
        yaxis2={"overlaying": "y", "side": "right"}),  # a second axis
    go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])),
    go.Figure(go.Waterfall(x=["a", "b"], y=[1, -1])),
    go.Figure(go.Histogram(x=[1, 2, 2, 3])),
    go.Figure(go.Bar(y=["cost"], x=[5], base=[2], orientation="h")),  # floating bars
    go.Figure(go.Scatter(x=[str(i) for i in range(1000)], y=list(range(1000)))),  # too long
], ids=["bars-and-line", "second-axis", "heatmap", "waterfall", "histogram", "floating-bars",
        "too-many-points"])
def test_charts_without_a_faithful_native_equivalent_go_as_images(fig):
    assert native_chart(_json(fig)) is None


def test_typed_arrays_from_plotly_json_are_decoded():
    bdata = base64.b64encode(np.array([1.5, -2.0]).tobytes()).decode()
    assert trace_values({"dtype": "f8", "bdata": bdata}) == [1.5, -2.0]
    assert trace_values([1, 2]) == [1, 2] and trace_values(None) == []


# ----------------------------------------------------------------- tables and formats
@pytest.mark.parametrize(("spec", "excel"), [
    ("{:,.0f}", "#,##0"), ("{:,.1f}", "#,##0.0"), ("{:.1%}", "0.0%"), ("{:.0%}", "0%"),
    ("{:,.2f} TWD", '#,##0.00" TWD"'), ("x{:.2f}", '"x"0.00'), ("{:+,.0f}", "+#,##0;-#,##0;0"),
    ("{:g}", None), ("{:.3e}", None), (None, None)])
def test_python_number_formats_become_excel_formats(spec, excel):
    assert excel_format(spec) == excel


@pytest.mark.parametrize(("text", "found"), [
    ("15,727,131 TWD", (15727131.0, '#,##0" TWD"')), ("58.1 %", (0.581, "0.0%")),
    ("-46.4 TWD M", (-46.4, '0.0" TWD M"')), ("20.2 months", (20.2, '0.0" months"')),
    ("×1.40", (1.4, '"×"0.00')), ("1,200", (1200.0, "#,##0")),
    ("Q01", None), ("2026-01", None), ("V01 and V02", None), ("", None)])
def test_numbers_shown_as_text_are_found_with_their_unit(text, found):
    assert number_in_text(text) == found


def test_a_styled_table_carries_its_values_texts_and_formats():
    df = pd.DataFrame({"vendor": ["Jade Mountain (V01)", "Harbor (V02)"],
                       "monthly (TWD)": [1_234_567.8, np.nan], "share": [0.25, 0.5]})
    t = styled(df, {"monthly (TWD)": "{:,.0f}", "share": "{:.0%}"}, "Bills")
    data = t._repr_mimebundle_()[TABLE_MIME]
    assert data["caption"] == "Bills"
    assert data["columns"] == ["vendor", "monthly (TWD)", "share"]
    assert data["values"] == [["Jade Mountain (V01)", 1234567.8, 0.25],
                              ["Harbor (V02)", None, 0.5]]
    assert data["texts"] == [["Jade Mountain (V01)", "1,234,568", "25%"],
                             ["Harbor (V02)", "-", "50%"]]
    assert data["formats"] == [None, "#,##0", "0%"]
    assert "<table" in t._repr_html_()  # still the report's HTML table


def test_sheet_names_are_valid_unique_and_cut_at_a_word():
    names = sheet_names(["Cash flows: month/by month [TWD]", "Cash flows: month/by month [TWD]",
                         "What the finalists really cost over the whole contract term"])
    assert names[0] == "Cash flows month by month TWD"
    assert names[1].endswith("(2)") and len(set(n.lower() for n in names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[2] == "What the finalists really cost"


# ----------------------------------------------------------------- refusals
def test_formats_papers_and_templates_are_checked(tmp_path):
    assert parse_formats("pptx,HTML, .xlsx") == ("html", "pptx", "xlsx")
    with pytest.raises(InputError, match=r"--format.*'docx'.*html, pdf, pptx, xlsx"):
        parse_formats("html,docx")
    with pytest.raises(InputError, match=r"--paper.*'a3'.*a4, letter"):
        Options("pdf", paper="a3")
    not_a_deck = tmp_path / "firm.pptx"
    not_a_deck.write_text("not a deck")
    with pytest.raises(InputError, match=r"--template.*firm.pptx.*PowerPoint file"):
        check_template(not_a_deck)
    with pytest.raises(InputError, match=r"--template.*missing.pptx"):
        check_template(tmp_path / "missing.pptx")
    assert check_template("") is None


@pytest.mark.parametrize(("argv", "said"), [
    (["report", "08", "--format", "html,docx"], "--format"),
    (["report", "08", "--format", "pptx", "--template", "nowhere.pptx"], "--template"),
    (["batch", "params/sample_client.yaml", "--format", "odt"], "--format")])
def test_the_cli_refuses_bad_file_options_before_anything_runs(capsys, tmp_path, argv, said):
    assert cli.main([*argv, "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.*"))
