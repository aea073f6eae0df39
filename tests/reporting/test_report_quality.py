"""What a reader of a report relies on: the page opens on the finding (title, client,
date, headline, contents) and its appendix says exactly what ran (client, time, version,
every parameter with the value used, the data files with sizes and hashes that match the
disk, the command that makes it again), the contents list the headings in order, the page
holds no code, widget, warning or CDN leftovers and no developer text in its body, and the
static chart export (PNG/PDF) writes one file per figure, named by its title, or nothing
at all."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shlex
import shutil
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

import bpo_analysis
from bpo_analysis import cli
from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import images, reports
from bpo_analysis.reporting.notebook import prepare_notebook
from tests.conftest import SAMPLE
from tests.reporting import client_text

REPORTS = ["profile_report", "sourcing_report", "vendor_report", "pricing_report",
           "contract_report", "review_report", "roi_report", "risk_report", "maturity_report"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.slow


@functools.lru_cache(maxsize=4)
def _soup(html: Path) -> BeautifulSoup:
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def _cover(soup: BeautifulSoup) -> dict:
    """The cover and the appendix as data, read back from the page."""
    front = soup.select_one("main > header#report-cover")
    cover = soup.select_one("main > section#report-appendix")
    assert front is not None and cover is not None, "no cover or no appendix"
    params = {tr["data-param"]: {"value": json.loads(tr["data-value"]),
                                 "given": tr["data-given"] == "true",
                                 "shown": tr.select("td")[0].select("code")[-1].get_text(
                                     strip=True).strip("()"),
                                 "used": (tr.select_one("[data-used]").get_text(strip=True)
                                          if tr.select_one("[data-used]") else None),
                                 "mark": tr.select("td")[1].get_text(strip=True)}
              for tr in cover.select("table.bpo-parameters tbody tr")}
    sources = [{"path": Path(tr["data-path"]), "bytes": int(tr["data-bytes"]),
                "sha256": tr["data-sha256"], "via": tr.select("td")[1].get_text(strip=True),
                "short": tr.select("td")[4].get_text(strip=True)}
               for tr in cover.select("table.bpo-sources tbody tr")]
    return {"title": front.select_one("h1").get_text(strip=True),
            "client": front.select_one('[data-key="client"]').get_text(strip=True),
            "date": front.select_one('[data-key="date"] time')["datetime"],
            "command": cover.select_one('[data-key="command"] code').get_text(),
            "client_dir": cover.select_one('[data-key="client_dir"]').get_text(strip=True),
            "run": cover.select_one('[data-key="run"] time')["datetime"],
            "version": cover.select_one('[data-key="version"]').get_text(strip=True),
            "params": params, "sources": sources}


def _source_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.read(nb.metadata.papermill.input_path, as_version=4)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------ cover
@pytest.mark.parametrize("fixture", REPORTS)
def test_the_cover_is_the_run(request, fixture, sample_client):
    report, nb = request.getfixturevalue(fixture)
    soup = _soup(report.html)
    cover = _cover(soup)
    source = _source_notebook(nb)
    title = next(line[2:].strip() for c in source.cells if c.cell_type == "markdown"
                 for line in c.source.splitlines() if line.startswith("# "))
    assert cover["title"] == title and soup.title.get_text() == title
    assert len(soup.find_all("h1")) == 1  # the cover's: the title is not repeated below it
    assert cover["client"] == sample_client.scenario.company
    assert cover["date"] == cover["run"]
    assert Path(cover["client_dir"]) == SAMPLE
    # the command that makes this report again: the notebook and the parameters given
    argv = shlex.split(cover["command"])
    assert argv[:3] == ["bpo-analysis", "report", Path(nb.metadata.papermill.input_path).stem]
    assert dict(zip(argv[4::3], argv[5::3], strict=True)) == {
        k: v if isinstance(v, str) else json.dumps(v)
        for k, v in nb.metadata.papermill.parameters.items() if k != "show_widgets"}
    assert cover["version"] == f"version {bpo_analysis.__version__}"

    run = datetime.fromisoformat(cover["run"])
    assert run.tzinfo is not None  # a time zone, not a bare local time
    started = datetime.fromisoformat(nb.metadata.papermill.start_time)
    assert abs(run - started) < timedelta(seconds=1)
    assert datetime.now(UTC) - timedelta(hours=6) < run <= datetime.now(UTC)

    # every parameter in declaration order; the given ones marked, the rest at their defaults
    given = dict(nb.metadata.papermill.parameters)
    declared = [p for p in reports.notebook_parameters(Path(nb.metadata.papermill.input_path)
                                                       .stem) if p.name != "show_widgets"]
    assert list(cover["params"]) == [p.name for p in declared]
    for p in declared:
        shown = cover["params"][p.name]
        if p.name in given:
            assert shown == {**shown, "value": given[p.name], "given": True, "mark": "given"}
        else:
            assert shown == {**shown, "value": p.default, "given": False, "mark": "default"}
        text = shown["value"] if isinstance(shown["value"], str) else json.dumps(shown["value"])
        assert shown["shown"] == (text or '""')
    assert "show_widgets" not in cover["params"]

    # the data: the client folder's files as the loader read them, then parameter files
    from_folder = [s for s in cover["sources"] if s["via"] == "client folder"]
    assert {s["path"]: s["sha256"] for s in from_folder} == {
        f.path.resolve(): f.sha256 for f in sample_client.sources}
    for s in cover["sources"]:
        assert s["bytes"] == s["path"].stat().st_size
        assert s["sha256"] == _sha256(s["path"]) and s["short"] == s["sha256"][:12]
    via = {s["path"]: s["via"] for s in cover["sources"]}
    assert len(via) == len(cover["sources"])  # each file once
    for name, value in given.items():  # a file a parameter names is a source too
        if name.endswith(("_file", "_path")) and value:
            assert via[Path(value)] in ("client folder", f"parameter {name}")


def test_the_appendix_says_the_value_used_for_every_parameter_left_to_the_files(
        roi_report, sample_client):
    """A parameter whose default means "from the client's files" shows what the step took,
    with its source, beside the sentinel ("8.0 % a year, from scenario.yaml" (-1.0))."""
    from bpo_analysis.steps import roi

    params = _cover(_soup(roi_report[0].html))["params"]
    used = roi.run(sample_client, actuals_file=SAMPLE / "roi_actuals.csv", draws=1_000
                   ).headline.used
    assert params["discount_rate"]["used"] == used["discount_rate"] == (
        f"{sample_client.scenario.discount_rate:.1%}".replace("%", " %")
        + " a year, from scenario.yaml")
    assert params["discount_rate"]["shown"] == "-1.0"
    for name in ("quote_id", "baseline", "horizon_months", "currency_label"):
        assert params[name]["used"] == used[name], name
    assert params["language"]["used"] == "English"
    assert params["actuals_file"]["used"] is None  # given: the value is what was used
    assert params["draws"]["used"] is None  # not a "from the files" parameter


def test_parameter_files_are_sources(review_report, roi_report, v02_parquet):
    review = _cover(_soup(review_report[0].html))
    row = next(s for s in review["sources"] if s["via"] == "parameter records_path")
    assert row["path"] == Path(v02_parquet) and row["bytes"] == Path(v02_parquet).stat().st_size
    roi = _cover(_soup(roi_report[0].html))
    assert (SAMPLE / "roi_actuals.csv") in {s["path"] for s in roi["sources"]}


# ------------------------------------------------------------------------------ contents
@pytest.mark.parametrize("fixture", REPORTS)
def test_the_contents_are_the_headings_in_order(request, fixture):
    report, nb = request.getfixturevalue(fixture)
    soup = _soup(report.html)
    nav = soup.select_one("main > nav#report-contents")
    # after the headline, before the first section
    assert nav is not None and nav.find_previous_sibling().select(".bpo-cards")
    assert nav.find_next("h2") == soup.select_one(".jp-MarkdownCell h2[id]")
    links = [(a["href"], a.get_text(strip=True)) for a in nav.select("a")]
    headings = [(f"#{h['id']}", h.get_text(strip=True).removesuffix("¶"))
                for h in soup.select(".jp-MarkdownCell h2[id], .jp-MarkdownCell h3[id]")]
    appendix = soup.select_one("#report-appendix h2")
    assert links == [*headings, (f"#{appendix['id']}", appendix.get_text(strip=True))]
    links = links[:-1]
    # ... which are the notebook's own level-2 and -3 headings, live-only sections left out
    source = _source_notebook(nb)
    expected = [line.lstrip("#").strip() for c in source.cells if c.cell_type == "markdown"
                and "interactive" not in c.metadata.get("tags", [])
                for line in c.source.splitlines() if re.match(r"#{2,3} ", line)]
    assert [text for _, text in links] == expected
    # level-3 entries are nested under the level-2 entry before them
    for a in nav.select("ol ol a"):
        assert soup.find(id=a["href"][1:]).name == "h3"
    for a in nav.select(":scope > ol > li > a"):
        assert soup.find(id=a["href"][1:]).name == "h2"


# ------------------------------------------------------------------------------ leftovers
@pytest.mark.parametrize("fixture", REPORTS)
def test_no_code_widgets_warnings_or_cdn(request, fixture):
    report, nb = request.getfixturevalue(fixture)
    html = report.html.read_text(encoding="utf-8")
    soup = _soup(report.html)
    assert soup.html["lang"] == "en"  # the reports' default language, said to the browser
    body = soup.select_one("main")
    # no code: no input areas, editors, prompts or highlighted code cells
    assert body.select(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, "
                       ".jp-InputArea-editor, .cm-editor, .jp-CodeCell .highlight") == []
    for src in ("import bpo_analysis", "load_client(", "show_widgets"):
        assert src not in body.get_text()
    # no widgets: no widget views, no widget state, no widget manager
    for leftover in ("application/vnd.jupyter.widget-view+json",
                     "application/vnd.jupyter.widget-state+json", "Loading widget",
                     "@jupyter-widgets/html-manager"):
        assert leftover not in html, leftover
    assert soup.select('[data-mime-type*="widget"], .jupyter-widgets') == []
    # nothing fetched: no script or stylesheet from the network
    remote = [t for t in soup.find_all(["script", "link"])
              if re.match(r"(https?:)?//", t.get("src") or t.get("href") or "")]
    assert remote == []
    # no warnings or errors printed into the report
    assert soup.select('[data-mime-type="application/vnd.jupyter.stderr"]') == []
    stderr = [o.text[:200] for c in prepare_notebook(nb).cells
              for o in c.get("outputs", []) if o.get("name") == "stderr"
              or o.get("output_type") == "error"]
    assert stderr == []


# ------------------------------------------------------------------------------ client text
@pytest.mark.parametrize("fixture", [*REPORTS, "summary_report", *(f"{r}_hk" for r in REPORTS),
                                     *(f"{r}_zh" for r in REPORTS)])
def test_the_body_carries_no_developer_text(request, fixture, sample_client, hk_client):
    """No field names, code operators, command lines, source documents, vendor ids
    without their names, "-0", "1 KPIs" or "KPI(s)", missing numbers or printed lines
    between the cover and the appendix (tests/reporting/client_text.py says each rule)."""
    report, _nb = request.getfixturevalue(fixture)
    client = hk_client if fixture.endswith("_hk") else sample_client
    assert client_text.problems(report.html, client.vendors["vendor_id"]) == []


# ------------------------------------------------------------------------------ images
def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _plain_slug(title: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", re.sub(r"<[^>]+>", " ", title.lower())).split())


def test_cli_report_with_images_shows_the_given_values_and_writes_every_chart(
        capsys, tmp_path, sample_client):
    """One real run (notebook 08) from the command line with two given parameters (one a
    file outside the client folder) and --images png,pdf."""
    answers = tmp_path / "answers.yaml"
    shutil.copy(SAMPLE / "maturity_answers.yaml", answers)
    subject = sample_client.maturity.assessments[1].subject
    out = tmp_path / "out"
    code = cli.main(["report", "08", "-p", "client_dir", str(SAMPLE), "-p", "answers_file",
                     str(answers), "-p", "subject", subject, "--images", "png,pdf",
                     "-o", str(out)])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    html, charts = (Path(line) for line in stdout.split("\n") if line)
    assert html == out / "08_maturity.html" and charts == out / "08_maturity_charts"

    cover = _cover(_soup(html))
    assert cover["params"]["subject"] == {"value": subject, "given": True, "shown": subject,
                                          "used": None, "mark": "given"}
    assert cover["params"]["answers_file"]["value"] == str(answers)
    row = next(s for s in cover["sources"] if s["via"] == "parameter answers_file")
    assert row["path"] == answers and row["sha256"] == _sha256(answers)

    nb = nbformat.read(out / "08_maturity.ipynb", as_version=4)
    figures = images.chart_figures(prepare_notebook(nb))
    assert figures
    written = sorted(p.name for p in charts.iterdir())
    assert len(written) == 2 * len(figures)  # one file per figure and format, nothing else
    for i, fig in enumerate(figures, 1):
        title = fig["layout"]["title"]["text"]
        (png,) = charts.glob(f"{i:02d}_*.png")
        stem = png.stem
        assert _plain_slug(title).startswith(stem[3:]) and len(stem) > 5, (stem, title)
        assert _png_size(png) == (2 * 1200, 2 * max(700, fig["layout"].get("height", 0)))
        assert (charts / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in out.iterdir()) == ["08_maturity.html", "08_maturity.ipynb",
                                                     "08_maturity_charts"]


@pytest.mark.parametrize("argv, value", [(["--images", "gif"], "'gif'"),
                                         (["--images", "png,tiff"], "'png,tiff'")])
def test_an_unknown_image_format_is_refused_before_anything_runs(capsys, tmp_path, argv,
                                                                  value):
    code = cli.main(["report", "00", *argv, "-o", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 2
    assert f"argument '--images' = {value} is not allowed" in err
    assert "png, pdf, svg" in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match=r"argument 'images' = 'jpeg'.*png, pdf, svg"):
        reports.run_report("00", {}, tmp_path / "out", images=("png", "jpeg"))


def _break_kaleido(monkeypatch):
    """kaleido writes the first image, then fails (a browser crash half-way)."""
    def half_then_crash(specs):
        specs[0]["path"].write_bytes(PNG_MAGIC)
        raise RuntimeError("browser closed unexpectedly")

    monkeypatch.setattr(images, "_render", half_then_crash)


def test_a_failed_export_leaves_no_half_written_chart_folder(profile_report, tmp_path,
                                                             monkeypatch):
    _break_kaleido(monkeypatch)
    folder = tmp_path / "00_client_profile_charts"
    with pytest.raises(ReportError, match="static charts failed: RuntimeError: browser "
                                          "closed unexpectedly"):
        images.export_charts(profile_report[0].notebook, folder, ["png"])
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one
    folder.mkdir()
    (folder / "01_earlier.png").write_bytes(PNG_MAGIC)
    with pytest.raises(ReportError):
        images.export_charts(profile_report[0].notebook, folder, ["png"])
    assert list(tmp_path.iterdir()) == [folder]  # the earlier complete export as it was
    assert [p.name for p in folder.iterdir()] == ["01_earlier.png"]


# ------------------------------------------------------------------ Chinese in the images
def _titled(text: str) -> dict:
    return {"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}],
            "layout": {"title": {"text": text}, "font": {"size": 40}}}


def test_chinese_charts_are_drawn_with_chinese_glyphs(tmp_path):
    """A zh-Hant title is drawn with a font that has its glyphs: the image differs from
    the same title in characters no font has (drawn as empty boxes either way)."""
    written = images.write_charts([_titled("客服中心委外報告"), _titled("\ue000" * 8)],
                                  tmp_path / "charts", ["png"], scale=1)
    chinese, boxes = (p.read_bytes() for p in written)
    assert chinese.startswith(PNG_MAGIC) and boxes.startswith(PNG_MAGIC)
    assert chinese != boxes


def test_chinese_charts_without_a_chinese_font_are_refused(tmp_path, monkeypatch):
    import subprocess

    asked = []

    def fc_list(cmd, **kw):
        asked.append(cmd[1:])
        return subprocess.CompletedProcess(cmd, 0, stdout="", stderr="")

    monkeypatch.setattr(images.subprocess, "run", fc_list)
    monkeypatch.setattr(images, "_render", lambda specs: pytest.fail("drew anyway"))
    with pytest.raises(ReportError, match=r"Chinese text, and no font .*`apt-get install "
                                          r"fonts-noto-cjk`"):
        images.write_charts([_titled("每月聯絡量")], tmp_path / "charts", ["png"])
    assert asked == [[":lang=zh-tw", "family"]]
    assert list(tmp_path.iterdir()) == []
    images.check_fonts([_titled("Contacts per month")])  # English: nothing to ask
    assert len(asked) == 1
