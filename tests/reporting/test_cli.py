"""The command line: exit codes, messages, failed runs (the report runner itself:
tests/reporting/test_reports.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bpo_analysis import cli
from bpo_analysis.core.present import HEADLINES_MIME
from bpo_analysis.reporting import reports
from tests.conftest import REPORTS, SAMPLE, copy_sample


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


def test_validate_reports_the_first_problem_with_exit_1(capsys, tmp_path):
    bad = copy_sample(tmp_path / "client")
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
    bad = copy_sample(tmp_path / "client")
    (bad / "risks.csv").write_text("")
    code, stdout, err = run(capsys, "report", "00", "-p", "client_dir", str(bad), "-o", str(out))
    assert code == 1 and stdout == ""
    assert "FAILED 00" in err and "cell 3 ('client = bpo.load_client(client_dir)')" in err
    assert "DataError" in err and "risks.csv: the file is empty" in err
    assert good.read_text() == "the last good report"
    assert (out / "00_client_profile.FAILED.ipynb").exists()
    assert sorted(p.name for p in out.iterdir()) == ["00_client_profile.FAILED.ipynb",
                                                     "00_client_profile.html"]


def _from_the_session(report_runs, monkeypatch) -> list[str]:
    """``reports.execute_notebook`` copies the session's run of each notebook (run once per
    session, :data:`tests.conftest.REPORTS`) instead of running it again; returns the
    notebooks it was asked for, in order."""
    key_of = {nb: key for key, (nb, _) in REPORTS.items()}
    for key in key_of.values():  # all of them start now (if not yet), both cores busy
        report_runs.submit(key)
    asked = []

    def executed(src, params, tmp_nb, failed, timeout):
        asked.append(src.stem)
        shutil.copy(report_runs.get(key_of[src.stem])[0].notebook, tmp_nb)

    monkeypatch.setattr(reports, "execute_notebook", executed)
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
