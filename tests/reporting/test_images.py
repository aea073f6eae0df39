"""Static chart images (:mod:`bpo_analysis.reporting.images`) without a browser: formats,
file names, the figures read from a notebook, the font check and the all-or-nothing
chart folder, with kaleido's drawing replaced by a stand-in that writes files.
(Drawing with Chromium: tests/reporting/test_report_quality.py.)"""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import images
from bpo_analysis.reporting.notebook import WIDGET_MIME

PLOTLY = images.PLOTLY_MIME
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _fig(title: str | None = None, height: int | None = None) -> dict:
    layout = {} if title is None else {"title": {"text": title}}
    if height is not None:
        layout["height"] = height
    return {"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}], "layout": layout}


def _output(data: dict) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data)


# ------------------------------------------------------------------------------ names
def test_formats_are_parsed_and_names_come_from_titles():
    assert images.parse_formats("PNG, pdf,png") == ("png", "pdf")
    assert images.parse_formats([".SVG", "png"]) == ("svg", "png")
    assert images.parse_formats(None) == images.parse_formats("") == ()
    figs = [{"layout": {"title": {"text": "Seasonality: contacts per month"}}},
            {"layout": {"title": {"text": "<b>Coût</b> par contact — 2026"}}},
            {"layout": {"title": {"text": "每月聯絡量"}}},
            {"layout": {}},
            {"layout": {"title": {"text": "word " * 30}}}]
    assert images.chart_names(figs) == [
        "01_seasonality-contacts-per-month", "02_cout-par-contact-2026", "03_每月聯絡量",
        "04_chart", "05_" + "-".join(["word"] * 12)]


@pytest.mark.parametrize("given, argument, value", [
    ("png,gif", "images", "png,gif"), (["png", "jpeg"], "--images", "jpeg")])
def test_an_unknown_format_names_the_argument_the_value_and_the_formats(given, argument,
                                                                        value):
    with pytest.raises(InputError) as info:
        images.parse_formats(given, argument)
    assert (info.value.argument, info.value.value) == (argument, value)
    assert "png, pdf, svg" in info.value.allowed


@pytest.mark.parametrize("text, expected", [
    ("In-house cost today: 5,910,413 TWD per month", "in-house-cost-today-5-910-413-twd-per-month"),
    ("Éléments <i>clés</i>_du   coût", "elements-cles-du-cout"),
    ("客服中心 委外報告", "客服中心-委外報告"),
    ("x" * 70, "x" * 60),  # one word longer than the limit is cut
    ("  <b></b> ", "chart"),
])
def test_slugs_keep_words_of_any_script_and_at_most_60_characters(text, expected):
    assert images.slug(text) == expected
    assert len(images.slug(text)) <= 60


def test_chart_names_are_numbered_with_as_many_digits_as_the_count_needs():
    names = images.chart_names([_fig(None)] * 100)
    assert names[0] == "001_chart" and names[-1] == "100_chart"
    assert images.chart_names([]) == []
    assert images.chart_names([{"layout": {"title": "A plain string title"}}]) == [
        "01_a-plain-string-title"]


def test_chart_figures_are_the_plotly_outputs_of_code_cells_in_order():
    first, second = _fig("First"), _fig("Second")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Charts"),
        nbformat.v4.new_code_cell("a", outputs=[_output({PLOTLY: first, "text/html": "<div>"}),
                                                _output({"text/plain": "x"})]),
        nbformat.v4.new_code_cell("b", outputs=[_output({WIDGET_MIME: {"model_id": "m"}}),
                                                _output({PLOTLY: second})]),
        nbformat.v4.new_code_cell("c")])
    assert images.chart_figures(nb) == [first, second]


# ------------------------------------------------------------------------------ fonts
def _fc_list(monkeypatch, stdout: str) -> list:
    """Replace fontconfig's answer; return the list of the questions asked."""
    asked = []

    def fc_list(cmd, **kw):
        asked.append(cmd[1:])
        return subprocess.CompletedProcess(cmd, 0, stdout=stdout, stderr="")

    monkeypatch.setattr(images.subprocess, "run", fc_list)
    monkeypatch.setattr(images.shutil, "which", lambda name: f"/usr/bin/{name}")
    return asked


def test_chinese_text_needs_a_font_with_chinese_glyphs(monkeypatch):
    asked = _fc_list(monkeypatch, stdout="")
    images.check_fonts([_fig("Contacts per month")])  # English: nothing to ask
    assert asked == []
    with pytest.raises(ReportError, match=r"no font .*`apt-get install fonts-noto-cjk`"):
        images.check_fonts([_fig("Contacts"), _fig("每月聯絡量")])
    assert asked == [[":lang=zh-tw", "family"]]
    asked = _fc_list(monkeypatch, stdout="Noto Sans CJK TC\n")
    images.check_fonts([_fig("每月聯絡量")])  # a font found: no error
    assert asked == [[":lang=zh-tw", "family"]]


def test_a_machine_without_fontconfig_is_not_checked(monkeypatch):
    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    monkeypatch.setattr(images.subprocess, "run", lambda *a, **kw: pytest.fail("asked"))
    images.check_fonts([_fig("每月聯絡量")])
    images.check_language_fonts("zh-Hant")


def test_the_language_of_a_run_says_whether_fonts_are_checked(monkeypatch):
    asked = _fc_list(monkeypatch, stdout="")
    images.check_language_fonts("en")
    monkeypatch.setenv("BPO_ANALYSIS_LANGUAGE", "en")
    images.check_language_fonts("")
    assert asked == []
    with pytest.raises(ReportError, match="Chinese glyphs"):
        images.check_language_fonts("zh-Hant")
    monkeypatch.setenv("BPO_ANALYSIS_LANGUAGE", "zh-Hant")  # "" stands for the variable
    with pytest.raises(ReportError, match="Chinese glyphs"):
        images.check_language_fonts("")
    with pytest.raises(InputError):
        images.check_language_fonts("fr")


def test_missing_chromium_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    with pytest.raises(ReportError, match=r"need Chromium .*not found.*BROWSER_PATH=.*"
                                          r"apt-get install chromium"):
        images.find_chromium()


# ------------------------------------------------------------------ the chart folder
@pytest.fixture
def drawn(monkeypatch):
    """kaleido replaced: every spec's file is written (PNG bytes); the specs are kept."""
    specs: list = []

    def render(batch):
        specs.extend(batch)
        for spec in batch:
            spec["path"].write_bytes(PNG_MAGIC + spec["opts"]["format"].encode())

    monkeypatch.setattr(images, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(images, "_render", render)
    return specs


def test_write_charts_names_each_figure_in_every_format_and_sizes_it(tmp_path, drawn):
    folder = tmp_path / "charts"
    written = images.write_charts([_fig("Contacts per month"), _fig("Tall", height=900)],
                                  folder, ["png", "pdf"])
    assert written == [folder / "01_contacts-per-month.png", folder / "01_contacts-per-month.pdf",
                       folder / "02_tall.png", folder / "02_tall.pdf"]
    assert sorted(folder.iterdir()) == sorted(written)
    assert [(s["opts"]["format"], s["opts"]["width"], s["opts"]["height"], s["opts"]["scale"])
            for s in drawn] == [("png", 1200, 700, 2), ("pdf", 1200, 700, 1),
                                ("png", 1200, 900, 2), ("pdf", 1200, 900, 1)]
    assert written[3].read_bytes() == PNG_MAGIC + b"pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["charts"]  # no temporary folder left


def test_a_new_export_replaces_the_whole_folder(tmp_path, drawn):
    folder = tmp_path / "charts"
    folder.mkdir()
    (folder / "07_old-chart.png").write_bytes(PNG_MAGIC)
    written = images.write_charts([_fig("New")], folder, ["svg"], width=800, height=600)
    assert list(folder.iterdir()) == written == [folder / "01_new.svg"]
    assert drawn[0]["opts"] == {"format": "svg", "width": 800, "height": 600, "scale": 1}
    assert images.write_charts([], folder) == [] and list(folder.iterdir()) == []


def test_a_failed_drawing_leaves_the_earlier_folder_as_it_was(tmp_path, monkeypatch):
    def half_then_crash(specs):
        specs[0]["path"].write_bytes(PNG_MAGIC)
        raise RuntimeError("browser closed unexpectedly")

    monkeypatch.setattr(images, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(images, "_render", half_then_crash)
    folder = tmp_path / "charts"
    with pytest.raises(ReportError, match="static charts failed: RuntimeError: browser "
                                          "closed unexpectedly"):
        images.write_charts([_fig("A"), _fig("B")], folder, ["png"])
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one
    folder.mkdir()
    (folder / "01_earlier.png").write_bytes(PNG_MAGIC)
    monkeypatch.setattr(images, "_render", lambda specs: None)  # draws nothing at all
    with pytest.raises(ReportError, match="kaleido wrote no image for"):
        images.write_charts([_fig("A")], folder, ["png"])
    assert list(tmp_path.iterdir()) == [folder]
    assert [p.name for p in folder.iterdir()] == ["01_earlier.png"]


def test_export_charts_reads_the_report_s_figures_from_the_notebook(tmp_path, drawn):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a", outputs=[_output({PLOTLY: _fig("Static one")})]),
        nbformat.v4.new_code_cell("b", metadata={"tags": ["interactive"]},
                                  outputs=[_output({PLOTLY: _fig("Live only")})]),
        nbformat.v4.new_code_cell("c", outputs=[_output({PLOTLY: _fig("Static two")})])])
    path = tmp_path / "05_performance_review.ipynb"
    nbformat.write(nb, path)
    written = images.export_charts(path, tmp_path / "05_charts", ["png"], scale=1)
    assert [p.name for p in written] == ["01_static-one.png", "02_static-two.png"]
    assert [s["opts"]["scale"] for s in drawn] == [1, 1]
