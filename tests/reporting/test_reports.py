"""The report runner (:mod:`bpo_analysis.reporting.reports`), the notebooks and their
parameters (:mod:`~bpo_analysis.reporting.catalog`) and the report kernels
(:mod:`~bpo_analysis.reporting.execution`): names, checks, the HTML export and the
publishing of a run, most with the notebook run replaced by a stand-in that writes a
small executed notebook (no kernel); the real runs are marked slow."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import catalog, execution, images, reports
from bpo_analysis.reporting.notebook import WIDGET_MIME
from tests.conftest import SAMPLE, copy_sample

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def _output(data: dict) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data)


def _small_notebook(language: str = "") -> nbformat.NotebookNode:
    """An executed notebook as a report kernel leaves it: a title, a parameters cell, a
    section with an HTML output that loads a script from a CDN, a live-only section with
    a widget view, and a level-3 heading."""
    nb = nbformat.v4.new_notebook(cells=[
        md("# 09 — A small report\n\nWhat it says."),
        code('language: str = ""  # report language\nshow_widgets: bool = True  # live',
             metadata={"tags": ["parameters"]}),
        md("## First section"),
        code("secret_code = 1", outputs=[_output({
            "text/html": '<p>shown</p><script src="https://cdn.example/x.js"></script>',
            "text/plain": "x"})]),
        md("## Live dashboard", metadata={"tags": ["interactive"]}),
        code("dashboard", metadata={"tags": ["interactive"]}, outputs=[_output({
            WIDGET_MIME: {"model_id": "m", "version_major": 2, "version_minor": 0},
            "text/plain": "widget"})]),
        md("### Sub part")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["papermill"] = {"parameters": {"language": language, "show_widgets": False},
                                "start_time": "2026-01-02T03:04:05+00:00", "duration": 2.0}
    return nb


@pytest.fixture
def stand_in_run(monkeypatch):
    """The notebook run replaced: :func:`reports.execute_notebook` writes the small
    executed notebook; returns the runs asked for (source, parameters)."""
    asked = []

    def executed(src, params, tmp_nb, failed, timeout):
        asked.append((src.name, dict(params)))
        nbformat.write(_small_notebook(params.get("language", "")), tmp_nb)

    monkeypatch.setattr(reports, "execute_notebook", executed)
    return asked


# ------------------------------------------------------------------ notebooks, parameters
def test_notebooks_are_named_by_full_name_prefix_or_name_without_number(tmp_path):
    for name in ("00_client_profile", "05_performance_review", "05b_extra", "README"):
        (tmp_path / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert catalog.list_notebooks(tmp_path) == ["00_client_profile", "05_performance_review",
                                                "05b_extra"]
    for given in ("00", "client_profile", "00_client_profile.ipynb", "00_client"):
        assert catalog.notebook_path(given, tmp_path) == tmp_path / "00_client_profile.ipynb"
    assert catalog.notebook_path("05_performance_review", tmp_path).stem == \
        "05_performance_review"  # the full name wins over the prefix it also is
    for ambiguous_or_unknown in ("05", "99", "review"):
        with pytest.raises(InputError, match=r"one of \['00_client_profile'"):
            catalog.notebook_path(ambiguous_or_unknown, tmp_path)
    with pytest.raises(InputError, match="BPO_ANALYSIS_NOTEBOOKS"):
        catalog.notebook_path("00", tmp_path / "empty")


def test_the_notebooks_and_their_declared_parameters():
    names = reports.list_notebooks()
    assert names[0] == "00_client_profile" and names == sorted(names) and len(names) == 10
    assert names[-1] == "09_decision_summary"  # last in --all: it links to the others
    assert reports.notebook_path("performance_review").name == "05_performance_review.ipynb"
    declared = {p.name: p for p in reports.notebook_parameters("00")}
    assert declared["peak_threshold"].type == "float"
    assert declared["peak_threshold"].default == 1.4
    assert declared["peak_threshold"].help.startswith("a day is unusual")
    assert declared["show_widgets"] == catalog.Parameter(
        "show_widgets", "bool", True, declared["show_widgets"].help)


def test_resolve_parameters_types_and_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = reports.resolve_parameters("00", {"peak_threshold": "2", "client_dir": "mine"})
    assert got == {"peak_threshold": 2.0, "client_dir": str(tmp_path / "mine"),
                   "show_widgets": False}
    assert reports.resolve_parameters("00", {"show_widgets": "true"})["show_widgets"] is True
    with pytest.raises(InputError, match="parameter peak_threshold"):
        reports.resolve_parameters("00", {"peak_threshold": True})
    with pytest.raises(InputError, match=r"parameter show_widgets.*a bool"):
        reports.resolve_parameters("00", {"show_widgets": "7"})
    with pytest.raises(InputError, match=r"one of the parameters of 00_client_profile"):
        reports.resolve_parameters("00", {"peak_treshold": 2})


def test_the_language_is_checked_before_a_run_the_variable_too(monkeypatch):
    assert reports.resolve_parameters("00", {"language": "zh-Hant"})["language"] == "zh-Hant"
    with pytest.raises(InputError) as info:
        reports.resolve_parameters("00", {"language": "fr"})
    assert info.value.argument == "parameter language"
    monkeypatch.setenv("BPO_ANALYSIS_LANGUAGE", "klingon")  # what "" (the default) means
    with pytest.raises(InputError, match="BPO_ANALYSIS_LANGUAGE"):
        reports.resolve_parameters("00", {})


def test_output_stems_are_the_name_or_its_dated_template():
    assert reports.output_stem("00") == "00_client_profile"
    assert reports.output_stem("05") == "05_performance_review_2025-12"  # the default month
    assert reports.output_stem("performance_review", {"month": "2026-10"}) == \
        "05_performance_review_2026-10"
    assert reports.output_stem("05", {"month": "2026/10 (draft)"}) == \
        "05_performance_review_2026-10-draft-"  # nothing a file name cannot hold


# ------------------------------------------------------------------------ the HTML export
def _exported(tmp_path: Path, language: str = "") -> BeautifulSoup:
    path = tmp_path / "09_small.ipynb"
    nbformat.write(_small_notebook(language), path)
    return BeautifulSoup(reports.export_html(path), "html.parser")


def test_export_html_opens_on_the_finding_and_ends_on_the_appendix(tmp_path):
    soup = _exported(tmp_path)
    html = str(soup)
    assert soup.html["lang"] == "en" and soup.title.get_text() == "09 — A small report"
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == ["09 — A small report"]
    cover = soup.select_one("main > header#report-cover")
    assert cover.select("table") == []  # the cover: title, client and date; no provenance
    appendix = soup.select_one("main > section#report-appendix")
    assert appendix.find_previous_sibling() is not None  # after the report's body
    rows = {tr["data-param"]: (json.loads(tr["data-value"]), tr["data-given"])
            for tr in appendix.select("table.bpo-parameters tbody tr")}
    assert rows == {"language": ("", "true")}  # show_widgets is not in the appendix
    contents = [(a["href"], a.get_text(strip=True))
                for a in soup.select("nav#report-contents a")]
    assert contents == [("#First-section", "First section"), ("#Sub-part", "Sub part"),
                        ("#report-appendix-heading", "Appendix: how this report was made")]
    assert soup.find(id="First-section") is not None and "shown" in soup.get_text()
    for gone in ("secret_code", "cdn.example", "Live dashboard", WIDGET_MIME):
        assert gone not in html, gone


def test_export_html_is_in_the_run_s_language(tmp_path):
    with pytest.warns(UserWarning) as said:  # text the catalogue does not know stays English
        soup = _exported(tmp_path, "zh-Hant")
    assert "'## First section'; it is shown in English" in " ".join(str(w.message)
                                                                   for w in said)
    assert soup.html["lang"] == "zh-Hant"
    label = soup.select_one("nav#report-contents").get_text()
    assert re.search(r"[\u3400-\u9fff]", label)


# ------------------------------------------------------------------ publishing a run
def test_a_run_is_published_as_html_and_notebook_and_an_old_failure_removed(
        tmp_path, stand_in_run):
    (tmp_path / "00_client_profile.FAILED.ipynb").write_text("{}", encoding="utf-8")
    report = reports.run_report("client_profile", {"peak_threshold": "2"}, tmp_path)
    assert stand_in_run == [("00_client_profile.ipynb",
                             {"peak_threshold": 2.0, "show_widgets": False})]
    assert report == reports.Report("00_client_profile", tmp_path / "00_client_profile.html",
                                    tmp_path / "00_client_profile.ipynb")
    assert report.paths == [report.html] and report.files == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00_client_profile.html",
                                                          "00_client_profile.ipynb"]
    assert "09 — A small report" in report.html.read_text(encoding="utf-8")
    assert nbformat.read(report.notebook, as_version=4).cells[0].source.startswith("# 09")


def test_a_failed_export_keeps_the_run_and_the_good_report(tmp_path, monkeypatch,
                                                           stand_in_run):
    (tmp_path / "00_client_profile.html").write_text("the last good report")

    def broken(_path, _read=None):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(reports, "export_html", broken)
    with pytest.raises(ReportError, match="the HTML export failed with RuntimeError") as info:
        reports.run_report("00", {}, tmp_path)
    assert info.value.failed_notebook == tmp_path / "00_client_profile.FAILED.ipynb"
    assert (tmp_path / "00_client_profile.html").read_text() == "the last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00_client_profile.FAILED.ipynb",
                                                          "00_client_profile.html"]


def test_a_run_failure_keeps_the_executed_notebook_and_names_the_cell(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    tmp_nb, failed = tmp_path / ".00.123.ipynb", tmp_path / "00.FAILED.ipynb"
    tmp_nb.write_text("{}", encoding="utf-8")
    err = PapermillExecutionError(3, 3, "x = 1 / 0", "ZeroDivisionError", "division by zero",
                                  [])
    got = execution.run_failure("00", "cell 3, line 1 ('x = 1 / 0')", err, tmp_nb, failed)
    assert str(got) == ("00: cell 3, line 1 ('x = 1 / 0') failed with ZeroDivisionError: "
                        f"division by zero\n  executed notebook kept for diagnosis: {failed}")
    assert (got.cell_index, got.ename, got.evalue, got.failed_notebook) == \
        (3, "ZeroDivisionError", "division by zero", failed)
    assert failed.is_file() and not tmp_nb.exists()
    got = execution.run_failure("00", "the run", TimeoutError("no reply"), tmp_nb, failed)
    assert str(got) == "00: the run failed with TimeoutError: no reply"
    assert got.failed_notebook is None and got.cell_index is None


#: The source of notebook 00's first cell after the parameters, and IPython 9's traceback
#: frames of a cell error in it (as papermill passes them on: coloured, one per frame).
LOAD_CELL = ("from IPython.display import display\n\nimport bpo_analysis as bpo\n"
             "from bpo_analysis import i18n\nfrom bpo_analysis.steps import profile\n\n"
             "i18n.set_language(language)\n\nclient = bpo.load_client(client_dir)\n"
             "result = profile.run(client, currency=currency_label)\nresult.headline")
CELL_FRAME = ("\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[2]\x1b[39m\x1b[32m, line 9"
              "\x1b[39m\n\x1b[32m      7\x1b[39m i18n.set_language(language)\n\x1b[32m      "
              "8\x1b[39m \n\x1b[32m----> \x1b[39m\x1b[32m9\x1b[39m client = bpo.load_client("
              "client_dir)\n\x1b[32m     10\x1b[39m result = profile.run(client)\n")
PACKAGE_FRAME = ("File /work/main/bpo_analysis/data/io.py:88, in read_table(path)\n     87 try:"
                 "\n---> 88     frame = pd.read_csv(path)\n     89 except ValueError:\n")
CHAINED = "\nDuring handling of the above exception, another exception occurred:\n"


@pytest.mark.parametrize("frames, source, expected", [
    # the cell's line 9, not its first line, nor a line in the package it called
    (["DataError  Traceback", CELL_FRAME, PACKAGE_FRAME, "DataError: empty"], LOAD_CELL,
     (9, "client = bpo.load_client(client_dir)")),
    # an error raised while handling another: the package's frames come first
    (["EmptyDataError  Traceback", PACKAGE_FRAME, "EmptyDataError: No columns", CHAINED,
      "DataError  Traceback", CELL_FRAME, PACKAGE_FRAME, "DataError: empty"], LOAD_CELL,
     (9, "client = bpo.load_client(client_dir)")),
    # a SyntaxError: a heading, no arrow
    (["  Cell In[4], line 3\n    x = (1,\n         ^\nSyntaxError: '(' was never closed\n"],
     "# totals\ny = 2\nx = (1,\n", (3, "x = (1,")),
    # a magic: the line as written, not IPython's rewrite of it
    (["ZeroDivisionError  Traceback", "Cell In[2], line 2\n      1 x = 1\n----> 2 get_ipython()"
      ".run_line_magic('time', 'y = 1/0')\n"], "x = 1\n%time y = 1/0\n",
     (2, "%time y = 1/0")),
    # no cell heading (an older IPython): the arrow; none at all: the cell's first line
    (["<ipython-input-3-0a1b>\n---> 10 review = rv.review_month(client)"], "x = 1",
     (10, "review = rv.review_month(client)")),
    (["\x1b[0;31m---> 12\x1b[0m review = rv.review_month(client)"], "x = 1",
     (12, "review = rv.review_month(client)")),
    (["KeyboardInterrupt: "], "\n\nimport time\ntime.sleep(60)", (None, "import time")),
])
def test_a_failed_cell_is_named_by_the_line_that_failed(frames, source, expected):
    from papermill.exceptions import PapermillExecutionError

    err = PapermillExecutionError(3, 3, source, "DataError", "empty", frames)
    assert execution.failing_line(err) == expected
    n, text = expected
    assert execution.failed_at(err) == f"cell 3{f', line {n}' if n else ''} ({text!r})"


# ------------------------------------------------------------ refused before anything runs
def test_run_all_refuses_a_parameter_no_notebook_declares(tmp_path, stand_in_run):
    with pytest.raises(InputError, match=r"one of \['actuals_file'"):
        reports.run_all({"nonsense": 1}, tmp_path / "out")
    with pytest.raises(InputError, match="argument 'images' = 'gif'"):
        reports.run_all({}, tmp_path / "out", images="gif")
    assert stand_in_run == [] and not (tmp_path / "out").exists()


def test_missing_chromium_is_said_before_the_run(tmp_path, monkeypatch, stand_in_run):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    with pytest.raises(ReportError, match=r"need Chromium .*not found.*BROWSER_PATH=.*"
                                          r"apt-get install chromium"):
        reports.run_report("00", {}, tmp_path / "out", images="png")
    assert stand_in_run == [] and not (tmp_path / "out").exists()


def test_a_chinese_report_without_a_chinese_font_is_refused_before_the_run(tmp_path,
                                                                          monkeypatch,
                                                                          stand_in_run):
    import subprocess

    monkeypatch.setattr(images, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(images.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(images.subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(
        cmd, 0, stdout="", stderr=""))
    with pytest.raises(ReportError, match="no font on this machine has Chinese glyphs"):
        reports.run_report("00", {"language": "zh-Hant"}, tmp_path / "out", images="png")
    with pytest.raises(ReportError, match="Chinese glyphs"):
        reports.run_all({"language": "zh-Hant"}, tmp_path / "out", images="png")
    monkeypatch.setenv("BPO_ANALYSIS_LANGUAGE", "zh-Hant")  # "" stands for the variable
    with pytest.raises(ReportError, match="Chinese glyphs"):
        reports.run_report("00", {}, tmp_path / "out", images="png")
    assert stand_in_run == [] and not (tmp_path / "out").exists()


# ------------------------------------------------------------------------ the kernels
def test_report_kernels_show_figures_as_plotlys_renderers_do(monkeypatch):
    """The report kernels show a go.Figure through bpo_analysis.reporting.renderer
    (registered at kernel start), which gives the outputs plotly's plotly_mimetype+notebook
    renderers give -- without importing plotly's renderer registry (nbformat, jsonschema)."""
    import IPython.display
    import plotly.graph_objects as go
    import plotly.io as pio
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from bpo_analysis.reporting import renderer

    fig = go.Figure(go.Bar(x=["voice", "chat"], y=[120, 80])).update_layout(title="Contacts")
    shown: list = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False: shown.append(obj))
    monkeypatch.setattr(IPython.display, "display_html",
                        lambda obj, raw=False: shown.append({"text/html": obj}))
    renderer._report_renderers.cache_clear()
    shell = InteractiveShell(config=Config({"HistoryManager": {"enabled": False}}))
    try:
        assert shell.run_cell(execution.KERNEL_SETUP, store_history=False).success
        shell.display_formatter.format(fig)  # what the kernel does with a cell's figure
        shell.display_formatter.format(fig)  # plotly.js is shown before the first only
    finally:
        renderer._report_renderers.cache_clear()
    ours, shown[:] = list(shown), []
    for _ in range(2):
        pio.show(fig, renderer="plotly_mimetype+notebook")  # activates on every call
    theirs = shown[:2] + shown[3:]
    assert len(ours) == 3 and len(theirs) == 3  # plotly.js, then the two figures
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert [uuid.sub("ID", json.dumps(b, sort_keys=True)) for b in ours] == \
        [uuid.sub("ID", json.dumps(b, sort_keys=True)) for b in theirs]


def test_report_kernels_use_their_own_local_sockets():
    a, b = execution.LocalKernelManager(), execution.LocalKernelManager()
    assert a.transport == "ipc" and a.shutdown_wait_time == 2.0
    assert a.ip != b.ip and "bpo-kernel-" in a.ip and not Path(a.ip).exists()


async def _kernel_shutdown(busy: bool) -> tuple[list[int], int | None]:
    """Start a report kernel, make it busy (a cell sleeping) or leave it idle, shut it
    down gracefully; return the signals the manager sent it and its exit status."""
    km = execution.LocalKernelManager(kernel_name="python3")
    sent: list[int] = []
    signal_kernel = km._async_signal_kernel

    async def spy(signum):
        sent.append(signum)
        await signal_kernel(signum)

    km._async_signal_kernel = spy
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)
        if busy:
            msg_id = kc.execute("import time; time.sleep(60)")
            msg: dict = {}
            while msg.get("msg_type") != "execute_input":  # the cell has started
                msg = await kc.get_iopub_msg(timeout=10)
                msg = msg if msg["parent_header"].get("msg_id") == msg_id else {}
        process = km.provisioner.process
        await km.shutdown_kernel()
    finally:
        kc.stop_channels()
    return sent, process.poll()


@pytest.mark.slow
def test_a_kernel_shuts_down_without_an_interrupt_and_a_busy_one_is_still_stopped():
    """jupyter_client interrupts (SIGINT) before every shutdown, which made ipykernel log
    "ERROR | KeyboardInterrupt caught in kernel." after good runs; a report kernel is
    asked to shut down without it, and one still running a cell is stopped all the same
    (SIGTERM)."""
    import asyncio
    import signal

    sent, status = asyncio.run(_kernel_shutdown(busy=False))
    assert signal.SIGINT not in sent and status is not None
    sent, status = asyncio.run(_kernel_shutdown(busy=True))
    assert signal.SIGINT not in sent and status is not None  # the process has ended


# ------------------------------------------------------------------------ real runs
@pytest.mark.slow
def test_report_error_carries_the_cell(tmp_path):
    bad = copy_sample(tmp_path / "client")
    (bad / "scenario.yaml").write_text("company: [unclosed\n")
    with pytest.raises(ReportError) as info:
        reports.run_report("00", {"client_dir": str(bad)}, tmp_path / "out")
    assert info.value.ename == "DataError" and info.value.cell_index == 4
    assert "scenario.yaml, row 2: not valid YAML" in info.value.evalue
    assert info.value.failed_notebook.name == "00_client_profile.FAILED.ipynb"


def test_run_report_keeps_the_report_when_only_the_charts_fail(profile_report, tmp_path,
                                                                monkeypatch):
    def executed(src, params, tmp_nb, failed, timeout):  # the fixture's run, not a new one
        shutil.copy(profile_report[0].notebook, tmp_nb)

    def half_then_crash(specs):  # kaleido writes the first image, then the browser dies
        specs[0]["path"].write_bytes(b"\x89PNG\r\n\x1a\n")
        raise RuntimeError("browser closed unexpectedly")

    monkeypatch.setattr(reports, "execute_notebook", executed)
    monkeypatch.setattr(images, "_render", half_then_crash)
    with pytest.raises(ReportError) as info:
        reports.run_report("00", {"client_dir": str(SAMPLE)}, tmp_path, images=["png"])
    html = tmp_path / "00_client_profile.html"
    assert f"the report was written ({html}) but its static charts were not" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00_client_profile.html",
                                                          "00_client_profile.ipynb"]
