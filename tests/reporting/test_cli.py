"""The command line and the report runner: exit codes, messages, failed runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bpo_analysis import cli
from bpo_analysis.core.present import HEADLINES_MIME
from bpo_analysis.errors import InputError, ReportError
from bpo_analysis.reporting import reports
from tests.conftest import REPORTS, SAMPLE


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "bpo-analysis"
    assert exe.is_file()
    done = subprocess.run([exe, "list"], capture_output=True, text=True, check=True)
    assert "00_client_profile" in done.stdout.split()


def test_params_lists_types_defaults_and_help(capsys):
    code, out, _ = run(capsys, "params", "00")
    assert code == 0
    assert "peak_threshold: float = 1.4  # a day is unusual" in out
    assert "show_widgets: bool = True" in out


@pytest.mark.parametrize("argv, phrase", [
    (["report", "00", "-p", "peak_treshold", "2"], "['client_dir', 'currency_label', "
                                                  "'language', 'peak_threshold', "
                                                  "'show_widgets']"),
    (["report", "00", "-p", "peak_threshold", "high"], "must be a float (default 1.4"),
    (["report", "00", "-p", "show_widgets", "7"], "must be a bool"),
    (["report", "99"], "one of ['00_client_profile', '01_sourcing_model', '02_vendor_eval"),
    (["report"], "a notebook name, or --all"),
    (["report", "00", "--all"], "a notebook name, or --all"),
    (["report", "--all", "-p", "nonsense", "1"], "one of ['actuals_file', 'aht_scale'"),
    (["report", "00", "-f", "missing.yaml"], "a readable YAML mapping"),
])
def test_usage_errors_exit_2_and_say_what_is_allowed(capsys, tmp_path, argv, phrase):
    code, out, err = run(capsys, *argv, "-o", str(tmp_path))
    assert code == 2 and out == ""
    assert phrase in err
    assert list(tmp_path.iterdir()) == []  # nothing ran, nothing written


def test_params_file_with_an_unknown_key_is_refused(capsys, tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("client_dir: data/sample\ndiscount: 0.1\n")
    code, _, err = run(capsys, "report", "00", "-f", str(f), "-o", str(tmp_path / "out"))
    assert code == 2 and "'discount'" in err


def test_resolve_parameters_types_and_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = reports.resolve_parameters("00", {"peak_threshold": "2", "client_dir": "mine"})
    assert got == {"peak_threshold": 2.0, "client_dir": str(tmp_path / "mine"),
                   "show_widgets": False}
    with pytest.raises(InputError, match="parameter peak_threshold"):
        reports.resolve_parameters("00", {"peak_threshold": True})


def test_validate_reports_the_first_problem_with_exit_1(capsys, tmp_path):
    bad = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    text = (bad / "quotes.csv").read_text().replace("Q03,V03,", "Q03,V09,")
    (bad / "quotes.csv").write_text(text)
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert "quotes.csv, row 4, column 'vendor_id': unknown vendor; value 'V09'" in err
    code, out, _ = run(capsys, "validate", str(SAMPLE))
    assert code == 0 and "all files valid" in out and "demand_intervals.csv" in out


@pytest.mark.slow
def test_a_failed_run_keeps_the_notebook_and_the_good_report(capsys, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    good = out / "00_client_profile.html"
    good.write_text("the last good report")
    bad = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    (bad / "risks.csv").write_text("")
    code, stdout, err = run(capsys, "report", "00", "-p", "client_dir", str(bad), "-o", str(out))
    assert code == 1 and stdout == ""
    assert "FAILED 00" in err and "cell 3 ('client = bpo.load_client(client_dir)')" in err
    assert "DataError" in err and "risks.csv: the file is empty" in err
    assert good.read_text() == "the last good report"
    assert (out / "00_client_profile.FAILED.ipynb").exists()
    assert sorted(p.name for p in out.iterdir()) == ["00_client_profile.FAILED.ipynb",
                                                     "00_client_profile.html"]


@pytest.mark.slow
def test_report_error_carries_the_cell(tmp_path):
    bad = Path(shutil.copytree(SAMPLE, tmp_path / "client"))
    (bad / "scenario.yaml").write_text("company: [unclosed\n")
    with pytest.raises(ReportError) as info:
        reports.run_report("00", {"client_dir": str(bad)}, tmp_path / "out")
    assert info.value.ename == "DataError" and info.value.cell_index == 3
    assert "scenario.yaml, row 2: not valid YAML" in info.value.evalue
    assert info.value.failed_notebook.name == "00_client_profile.FAILED.ipynb"


def _from_the_session(report_runs, monkeypatch) -> list[str]:
    """``reports._execute`` copies the session's run of each notebook (run once per
    session, :data:`tests.conftest.REPORTS`) instead of running it again; returns the
    notebooks it was asked for, in order."""
    key_of = {nb: key for key, (nb, _) in REPORTS.items()}
    for key in key_of.values():  # all of them start now (if not yet), both cores busy
        report_runs.submit(key)
    asked = []

    def executed(src, params, tmp_nb, failed, timeout):
        asked.append(src.stem)
        shutil.copy(report_runs.get(key_of[src.stem])[0].notebook, tmp_nb)

    monkeypatch.setattr(reports, "_execute", executed)
    return asked


@pytest.mark.slow
def test_report_all_writes_every_notebook_and_prints_paths(capsys, tmp_path, report_runs,
                                                           monkeypatch):
    asked = _from_the_session(report_runs, monkeypatch)
    code, out, _ = run(capsys, "report", "--all", "-o", str(tmp_path))
    assert code == 0
    assert asked == reports.list_notebooks()
    names = [Path(line).name for line in out.split()]
    assert names == [f"{reports.output_stem(n)}.html" for n in reports.list_notebooks()]
    assert all((tmp_path / n).stat().st_size > 100_000 for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        names + [n.replace(".html", ".ipynb") for n in names])


@pytest.mark.slow
def test_a_failed_export_keeps_the_run_and_the_good_report(tmp_path, monkeypatch,
                                                           profile_report, report_runs):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "00_client_profile.html").write_text("the last good report")
    _from_the_session(report_runs, monkeypatch)

    def broken(_path):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(reports, "export_html", broken)
    with pytest.raises(ReportError, match="the HTML export failed with RuntimeError"):
        reports.run_report("00", {}, out)
    assert (out / "00_client_profile.html").read_text() == "the last good report"
    assert sorted(p.name for p in out.iterdir()) == ["00_client_profile.FAILED.ipynb",
                                                     "00_client_profile.html"]


@pytest.mark.slow
def test_params_file_runs_and_p_overrides_it_with_nothing_on_stderr(tmp_path, sample_client):
    """A good run through the console script (a process of its own, as cron starts it):
    the report is written, stderr carries no error line -- the kernel's included -- and
    the report follows the parameters it was given."""
    import nbformat

    from bpo_analysis.core import demand
    from tests.conftest import PLOTLY, outputs_with

    f = tmp_path / "p.yaml"
    f.write_text(f"client_dir: {SAMPLE}\ncurrency_label: USD\npeak_threshold: 2.0\n")
    exe = Path(sys.executable).parent / "bpo-analysis"
    done = subprocess.run([exe, "report", "00", "-f", str(f), "-p", "currency_label", "NT$",
                           "-o", str(tmp_path / "out")], capture_output=True, text=True)
    errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
    assert done.returncode == 0 and not errors, f"stderr of a good run:\n{done.stderr}"
    assert done.stdout.strip().endswith("00_client_profile.html")
    nb = nbformat.read(tmp_path / "out" / "00_client_profile.ipynb", as_version=4)
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    assert shown["baseline_monthly_cost"]["unit"] == "NT$ per month"  # -p won over -f
    assert "peak_threshold = 2.0" in nb.cells[2].source  # -f value injected
    daily = demand.daily_volume(sample_client.demand)["total"]
    n = len(demand.find_peaks(daily, threshold=2.0))
    figs = outputs_with(nb, PLOTLY)
    assert len(figs[3]["layout"].get("shapes", [])) == n == 1  # the peaks above 2.0
    assert "NT$ per month" in json.dumps(figs[4]["layout"])


@pytest.mark.slow
def test_the_monthly_review_runs_by_name_and_writes_a_dated_report(capsys, tmp_path,
                                                                   v02_parquet):
    assert reports.output_stem("performance_review", {"month": "2026-10"}) == \
        "05_performance_review_2026-10"
    assert reports.output_stem("05") == "05_performance_review_2025-12"  # the default month
    assert reports.output_stem("00") == "00_client_profile"
    # cron's run for a month the records do not cover: exit 1, the month named, no report
    code, out, err = run(capsys, "report", "performance_review", "-p", "month", "2026-10",
                         "-p", "records_path", str(v02_parquet), "-o", str(tmp_path))
    assert code == 1 and out == ""
    assert "argument 'month'" in err and "2026-10" in err and "2024-01 to 2025-12" in err
    assert not list(tmp_path.glob("*.html"))
    assert (tmp_path / "05_performance_review_2026-10.FAILED.ipynb").is_file()


def test_sigterm_stops_present_and_batch_as_ctrl_c_and_only_while_they_run():
    import os
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with cli._sigterm_as_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # the handler runs between bytecodes
                pass
            pytest.fail("SIGTERM did not interrupt")
    assert signal.getsignal(signal.SIGTERM) is before


async def _kernel_shutdown(busy: bool) -> tuple[list[int], int | None]:
    """Start a report kernel, make it busy (a cell sleeping) or leave it idle, shut it
    down gracefully; return the signals the manager sent it and its exit status."""
    km = reports.LocalKernelManager(kernel_name="python3")
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


def test_report_kernels_show_figures_as_plotlys_renderers_do(monkeypatch):
    """The report kernels show a go.Figure through bpo_analysis.reporting.renderer (registered at
    kernel start), which gives the outputs plotly's plotly_mimetype+notebook renderers
    give -- without importing plotly's renderer registry (nbformat, jsonschema)."""
    import re

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
        assert shell.run_cell(reports.KERNEL_SETUP, store_history=False).success
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


@pytest.mark.parametrize("arrow, expected", [
    ("----> 9 client = bpo.load_client(client_dir)", "client = bpo.load_client(client_dir)"),
    ("---> 10 client = bpo.load_client(client_dir)", "client = bpo.load_client(client_dir)"),
    ("--> 100 x = 1 / 0", "x = 1 / 0"),
    ("\x1b[0;31m---> 12\x1b[0m review = rv.review_month(client)",
     "review = rv.review_month(client)"),
    ("      9 no arrow on this frame", "from IPython.display import display"),
])
def test_a_failed_cell_is_named_by_the_line_that_raised(arrow, expected):
    from papermill.exceptions import PapermillExecutionError

    source = "from IPython.display import display\n\nclient = bpo.load_client(client_dir)\n"
    err = PapermillExecutionError(3, 3, source, "DataError", "the file is empty",
                                  ["DataError  Traceback", f"Cell In[3], line 10\n{arrow}"])
    assert reports._failing_line(err) == expected
