"""The consultant's files, opened as a client would open them: every report of the session
(both bundled clients, and one in Traditional Chinese) is also a PDF (pypdf: pages,
paper, running header and page numbers, the finding on page 1, the appendix last), a
PowerPoint deck (python-pptx: the title, the headline, every chart native or as an image,
the assumptions) and an Excel workbook (openpyxl: a sheet per table with numbers as
numbers, frozen headers, the assumptions), each with the report's own headline numbers.
Then the options: Letter paper and a firm's template from the command line, the batch
index linking every file, and a failed run leaving nothing half-written. LibreOffice
draws two slides and a sheet, pdfium two PDF pages, into reports/screenshots/."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from bpo_analysis import cli, i18n
from bpo_analysis.core.present import HEADLINE_TEXT_MIME
from bpo_analysis.core.tables import TABLE_MIME
from bpo_analysis.errors import ReportError
from bpo_analysis.i18n import term
from bpo_analysis.reporting import deck as deck_module
from bpo_analysis.reporting import deliverables, printer, reports
from bpo_analysis.reporting.content import report_content
from bpo_analysis.reporting.deck_charts import native_chart, trace_values
from bpo_analysis.reporting.workbook import number_in_text
from tests.conftest import HK_REPORTS, REPORTS, SAMPLE, SHOTS, in_chromium

pytestmark = [pytest.mark.slow, in_chromium]

EVERY = [*REPORTS, *HK_REPORTS, "roi_report_zh"]
A4, LETTER = (595, 845), (610, 790)  # points, to the nearest 5
SOFFICE = shutil.which("soffice")


def _paper(page) -> tuple[int, int]:
    """A page's size in points, to the nearest 5 (Chromium's A4 is 595.92 x 842.88)."""
    return tuple(5 * round(float(x) / 5) for x in (page.mediabox.width, page.mediabox.height))


def _flat(text: str) -> str:
    """Text without whitespace (a PDF's text breaks lines where the page did), ligatures
    and CJK radicals unfolded (NFKC: "ﬁ" is "fi", "⼼" is "心")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _outputs(nb, mime: str) -> list:
    from bpo_analysis.reporting.notebook import prepare_notebook
    from tests.conftest import outputs_with

    return outputs_with(prepare_notebook(nb), mime)


@pytest.mark.parametrize("fixture", EVERY)
def test_the_pdf_opens_on_the_finding_and_ends_on_the_appendix(request, fixture):
    report, nb = request.getfixturevalue(fixture)
    content = report_content(report.notebook)
    pdf = PdfReader(report.files["pdf"])
    pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) >= 2
    assert all(_paper(p) == A4 for p in pdf.pages)
    head = _outputs(nb, HEADLINE_TEXT_MIME)[0]
    first = _flat(pages[0])
    assert _flat(content.cover.client) in first
    for card in head["cards"]:  # the headline's numbers, as the report shows them
        assert _flat(card["text"]) in _flat(" ".join(pages[:2])), card
    # the running header names the client on every page; every page is numbered
    n = len(pages)
    with i18n.use_language(content.language):
        numbers = [term(printer._PAGE).format(page=i, pages=n) for i in range(1, n + 1)]
    for text, number in zip(pages, numbers, strict=True):
        assert _flat(content.cover.client) in _flat(text)
        assert _flat(number) in _flat(text), (number, text[-80:])
    appendix = content.cover.parameters[0].name
    assert appendix in pages[-1] or appendix in pages[-2]  # the provenance comes last
    assert appendix not in pages[0]


@pytest.mark.parametrize("fixture", EVERY)
def test_the_deck_tells_the_report_in_slides(request, fixture):
    report, nb = request.getfixturevalue(fixture)
    content = report_content(report.notebook)
    deck = Presentation(report.files["pptx"])
    slides = list(deck.slides)
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert slides[0].shapes.title.text == content.title
    head = _outputs(nb, HEADLINE_TEXT_MIME)[0]
    assert slides[1].shapes.title.text == head["title"]
    table = next(s.table for s in slides[1].shapes if s.has_table)
    shown = {(table.cell(r, 0).text, table.cell(r, 1).text) for r in range(1, len(table.rows))}
    assert shown == {(c["label"], c["text"]) for c in head["cards"]}
    # every chart of the report is on a slide: native where it maps, else an image
    figures = content.items("figure")
    charts = [sh for s in slides for sh in s.shapes if sh.has_chart]
    pictures = [sh for s in slides for sh in s.shapes if sh.shape_type == 13]
    assert len(charts) == sum(native_chart(f.data) is not None for f in figures)
    assert len(charts) + len(pictures) == len(figures)
    with i18n.use_language(content.language):
        assert slides[-1].shapes.title.text == term(deck_module._WORDS["assumptions"])
    for s in slides:  # nothing drawn off the slide
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0, (s.shapes.title.text, sh.name)
            assert sh.left + sh.width <= deck.slide_width + 1
            assert sh.top + sh.height <= deck.slide_height + 1, (s.shapes.title.text, sh.name)


def test_native_charts_carry_the_report_s_numbers(profile_report):
    report, _nb = profile_report
    content = report_content(report.notebook)
    deck = Presentation(report.files["pptx"])
    charts = [sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart]
    natives = [f.data for f in content.items("figure") if native_chart(f.data) is not None]
    assert charts and len(charts) == len(natives)
    for chart, fig in zip(charts, natives, strict=True):
        traces = [t for t in fig["data"] if t.get("visible", True) is True]
        assert [s.name for s in chart.series] == [t.get("name") or str(i + 1)
                                                  for i, t in enumerate(traces)]
        horizontal = traces[0].get("orientation") == "h"
        for series, t in zip(chart.series, traces, strict=True):
            values = [v for v in trace_values(t["x" if horizontal else "y"])]
            assert [round(v, 6) for v in series.values if v is not None] == pytest.approx(
                [round(float(v), 6) for v in values if v is not None])


@pytest.mark.parametrize("fixture", EVERY)
def test_the_workbook_has_every_table_with_numbers_as_numbers(request, fixture):
    report, nb = request.getfixturevalue(fixture)
    book = openpyxl.load_workbook(report.files["xlsx"])
    tables = _outputs(nb, TABLE_MIME)
    assert len(book.sheetnames) == len(tables) + 2
    summary, assumptions = book.worksheets[0], book.worksheets[-1]
    head = _outputs(nb, HEADLINE_TEXT_MIME)[0]
    rows = {r[0]: r[1] for r in summary.iter_rows(min_row=3, values_only=True) if r[0]}
    for card in head["cards"]:
        found = number_in_text(card["text"])
        assert rows[card["label"]] == pytest.approx(found[0]) if found else \
            rows[card["label"]] == card["text"]
    for sheet, table in zip(book.worksheets[1:-1], tables, strict=True):
        assert sheet.freeze_panes == "A5"
        assert [c.value for c in sheet[4]][:len(table["columns"])] == table["columns"]
        for r, values in enumerate(table["values"], start=5):
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(r, c)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    assert cell.value == pytest.approx(value) and cell.data_type == "n"
                    fmt = table["formats"][c - 1]
                    if fmt:
                        assert cell.number_format == fmt
    params = [r[0] for r in assumptions.iter_rows(min_row=4, values_only=True)]
    for p in content_parameters(report):
        assert p in params


def content_parameters(report) -> list[str]:
    return [p.name for p in report_content(report.notebook).cover.parameters]


def test_chinese_files_are_in_chinese(roi_report_zh):
    report, _nb = roi_report_zh
    cjk = re.compile(r"[\u3400-\u9fff]")
    assert cjk.search(PdfReader(report.files["pdf"]).pages[0].extract_text())
    deck = Presentation(report.files["pptx"])
    assert cjk.search(list(deck.slides)[-1].shapes.title.text)  # 假設 (the assumptions)
    assert cjk.search(openpyxl.load_workbook(report.files["xlsx"]).sheetnames[0])


# ------------------------------------------------------------------ options and failures
def _template(path: Path) -> Path:
    """A firm's deck: 4:3 (python-pptx's own), with one example slide of its own."""
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Firm example slide"
    prs.save(path)
    return path


def test_cli_writes_every_format_on_letter_paper_with_the_firm_s_template(capsys, tmp_path):
    template = _template(tmp_path / "firm.pptx")
    out = tmp_path / "out"
    code = cli.main(["report", "08", "-p", "client_dir", str(SAMPLE), "-o", str(out),
                     "--format", "html,pdf,pptx,xlsx", "--paper", "letter",
                     "--template", str(template)])
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out.split()
    assert [Path(p).suffix for p in printed] == [".html", ".pdf", ".pptx", ".xlsx"]
    pdf = PdfReader(out / "08_maturity.pdf")
    assert _paper(pdf.pages[0]) == LETTER
    deck = Presentation(out / "08_maturity.pptx")
    firm = Presentation(template)
    assert (deck.slide_width, deck.slide_height) == (firm.slide_width, firm.slide_height)
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Firm example slide" not in titles and titles[0].startswith("08")
    layouts = {la.name for la in firm.slide_layouts}
    assert {s.slide_layout.name for s in deck.slides} <= layouts
    assert not list(out.glob(".*"))  # no temporary file left


def test_a_failed_file_leaves_the_earlier_report_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "out"
    params = {"client_dir": str(SAMPLE)}
    with deliverables.Options("html,pdf,pptx,xlsx") as files:
        good = reports.run_report("08", params, out, files=files)
        before = {p.name: p.read_bytes() for p in good.paths}

        def broken(*_a, **_k):
            raise OSError("disk full")

        monkeypatch.setattr(deliverables, "write_workbook", broken)
        with pytest.raises(ReportError, match=r"writing the PDF, PPTX, XLSX failed with "
                                              r"OSError: disk full"):
            reports.run_report("08", params, out, files=files)
    assert {p.name: p.read_bytes() for p in good.paths} == before
    assert (out / "08_maturity.FAILED.ipynb").exists()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_the_batch_index_links_every_file(tmp_path, capsys):
    pset = tmp_path / "maturity.yaml"
    pset.write_text(f"notebook: maturity\nparameters:\n  client_dir: {SAMPLE}\n")
    assert cli.main(["batch", str(pset), "-o", str(tmp_path / "b"), "--date", "2026-12-03",
                     "-j", "1", "--format", "html,xlsx,pdf"]) == 0, capsys.readouterr().err
    day = tmp_path / "b" / "2026-12-03"
    run = json.loads((day / "index.json").read_text())["runs"][0]
    assert set(run["files"]) == {"pdf", "xlsx"}
    html = (day / "index.html").read_text()
    for rel in (run["report"], *run["files"].values()):
        assert f'href="{rel}"' in html and (day / rel).is_file()


def test_the_printer_works_where_an_asyncio_loop_runs(profile_report, tmp_path):
    """A Jupyter kernel (or a process that ran notebooks) has an asyncio loop running,
    where Playwright's synchronous API refuses to start: the printer has its own thread."""
    report, nb = profile_report

    figures = len(_outputs(nb, "application/vnd.plotly.v1+json"))

    async def in_a_kernel() -> dict[int, bytes]:
        with printer.Printer() as p:
            return p.render(report.html, pdf={"letter": tmp_path / "x.pdf"}, charts={0, 2})

    shots = asyncio.run(in_a_kernel())
    assert figures > 2 and sorted(shots) == [0, 2]  # the charts asked for, by position
    assert all(s[:8] == b"\x89PNG\r\n\x1a\n" for s in shots.values())
    assert _paper(PdfReader(tmp_path / "x.pdf").pages[0]) == LETTER


# ------------------------------------------------------------------ screenshots
def _pdf_pages(pdf: Path, pages: list[int], name: str, scale: float = 1.2) -> list[Path]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = []
    for i in pages:
        path = SHOTS / f"{name}_{i + 1}.png"
        doc[i].render(scale=scale).to_pil().save(path)
        out.append(path)
    return out


@pytest.mark.skipif(SOFFICE is None and os.environ.get("BPO_REQUIRE_BROWSER") != "1",
                    reason="LibreOffice not installed (make test installs it)")
def test_screenshots_of_two_pdf_pages_two_slides_and_a_sheet(roi_report, tmp_path):
    """What the files look like in a viewer: drawn by pdfium (the PDF) and LibreOffice
    (the deck and the workbook, converted to PDF first), kept in reports/screenshots/."""
    report, nb = roi_report
    npv = _outputs(nb, HEADLINE_TEXT_MIME)[0]["cards"][0]["text"]  # "15,727,131 TWD"
    shots = _pdf_pages(report.files["pdf"], [0, 3], "06_roi_review_pdf_page")
    for kind in ("pptx", "xlsx"):
        folder = tmp_path / kind
        subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                        str(report.files[kind])], check=True, capture_output=True, timeout=180,
                       env={**os.environ, "HOME": str(tmp_path)})
        converted = folder / f"{report.files[kind].stem}.pdf"
        texts = [_flat(p.extract_text()) for p in PdfReader(converted).pages]
        if kind == "pptx":  # the headline slide and the cash-flow chart's
            pages = [1, next(i for i, t in enumerate(texts) if "Cashflowsofthemove" in t)]
        else:  # the sheet of the cash flows by year, printed one page wide
            pages = [next(i for i, t in enumerate(texts) if "Cashflowsbyyear" in t)]
        what = "slide" if kind == "pptx" else "sheet"
        shots += _pdf_pages(converted, pages, f"06_roi_review_{what}")
        # LibreOffice opened the file and drew its content: the headline's first number
        text = _flat(" ".join(p.extract_text() for p in PdfReader(converted).pages))
        number = npv.split()[0]
        assert number in text or number.replace(",", "") in text, kind
    for path in shots:
        assert path.stat().st_size > 10_000  # a page drawn, not a blank
