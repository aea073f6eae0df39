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
    # issue 22: ranges are checked with the types, before anything runs
    (["report", "06", "-p", "discount_rate", "8"], "argument 'parameter discount_rate' = 8.0 "
     "is not allowed: must be a decimal annual rate > -1 and <= 1, or -1 (the rate in "
     "scenario.yaml) (write 8 % as 0.08) (default -1.0)"),
    (["report", "01", "-p", "price_per_seat", "-5"], "argument 'parameter price_per_seat' = "
     "-5.0 is not allowed: must be an amount >= 0 (0 means the median of the per-seat "
     "quotes) (default 0.0)"),
    (["report", "07", "-p", "lead_days", "40"], "must be whole days from 0 to 30, or -1 "
     "(continuity.yaml)"),
    (["report", "05", "-p", "qa_margin", "5"], "must be a share > 0 and < 1 (write 5 % as "
     "0.05)"),
    (["report", "02", "-p", "draws", "0"], "must be a whole number >= 1 (default 10000)"),
])
def test_usage_errors_exit_2_and_say_what_is_allowed(capsys, tmp_path, argv, phrase):
    code, out, err = run(capsys, *argv, "-o", str(tmp_path))
    assert code == 2 and out == ""
    assert phrase in err
    assert list(tmp_path.iterdir()) == []  # nothing ran, nothing written


def test_every_numeric_parameter_has_a_range_its_default_and_documented_unset_within():
    """A new numeric parameter gets a range; a value meaning "from the files" (-1, 0) is
    allowed only where the notebook's help says what it means."""
    from bpo_analysis.reporting import catalog
    from bpo_analysis.reporting.parameters import RANGES

    for name in catalog.list_notebooks():
        for p in catalog.notebook_parameters(name):
            if p.type not in ("int", "float"):
                continue
            r = RANGES.get(p.name)
            assert r is not None, f"{name}: {p.name} has no range in reporting/parameters.py"
            assert r.holds(p.default), (name, p.name, p.default)
            if r.unset is not None:
                assert f"{r.unset:g} means" in p.help, (name, p.name, p.help)


@pytest.mark.parametrize("name, key, given, typed", [
    ("03", "discount_rate", "-1", -1.0), ("06", "discount_rate", "0.08", 0.08),
    ("01", "price_per_seat", "0", 0.0), ("07", "lead_days", "-1", -1),
    ("06", "horizon_months", "0", 0), ("03", "escalation", "-0.1", -0.1),
])
def test_values_in_range_and_documented_unset_values_pass(name, key, given, typed):
    from bpo_analysis.reporting import catalog

    assert catalog.resolve_parameters(name, {key: given})[key] == typed


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
    assert "FAILED 00" in err
    assert "cell 4, line 9 ('client = bpo.load_client(client_dir)')" in err
    assert "DataError" in err and "risks.csv: the file is empty" in err
    assert good.read_text() == "the last good report"
    assert (out / "00_client_profile.FAILED.ipynb").exists()
    assert sorted(p.name for p in out.iterdir()) == ["00_client_profile.FAILED.ipynb",
                                                     "00_client_profile.html"]


def test_a_failed_cell_is_named_by_its_failing_line_not_its_first(capsys, tmp_path,
                                                                  monkeypatch):
    """What the CLI prints of a cell error: the cell, the line that failed (its number and
    text, from IPython's traceback), the error; papermill's run stood in for."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from bpo_analysis.reporting import execution
    from tests.reporting.test_reports import CELL_FRAME, PACKAGE_FRAME

    def failing(src, out, **_kw):
        nb = nbformat.read(src, as_version=4)
        nbformat.write(nb, out)
        load = next(i for i, c in enumerate(nb.cells) if "load_client" in c.source)
        raise PapermillExecutionError(load + 1, 3, nb.cells[load].source, "DataError",
                                      "risks.csv: the file is empty",
                                      ["DataError  Traceback", CELL_FRAME, PACKAGE_FRAME])

    monkeypatch.setattr(execution.pm, "execute_notebook", failing)
    code, out, err = run(capsys, "report", "00", "-o", str(tmp_path))
    assert code == 1 and out == ""
    assert ("FAILED 00: 00_client_profile: cell 4, line 9 ('client = bpo.load_client("
            "client_dir)') failed with DataError: risks.csv: the file is empty") in err
    assert (tmp_path / "00_client_profile.FAILED.ipynb").is_file()


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
    assert "peak_threshold = 2.0" in nb.cells[3].source  # -f value injected
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


# ---------------------------------------------------------------- no traceback (issue 22)
@pytest.mark.parametrize("argv, where", [
    (["report", "00", "-o", "{file}"], "it is a file"),
    (["report", "--all", "-o", "{file}/sub"], "it lies under {file}, a file"),
    (["batch", "{file}", "-o", "{file}"], "it is a file"),
], ids=["report", "report under a file", "batch"])
def test_an_output_folder_that_is_a_file_is_a_usage_error(capsys, tmp_path, argv, where):
    file = tmp_path / "reports.html"
    file.write_text("a report kept")
    argv = [a.format(file=file) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.strip() == (f"bpo-analysis: error: argument '-o/--output' = {argv[-1]!r} is not "
                           f"allowed: must be a folder (created if missing); "
                           f"{where.format(file=file)}: give a folder's path")
    assert file.read_text() == "a report kept"


def test_a_file_the_system_refuses_is_one_line_not_a_traceback(capsys, tmp_path, monkeypatch):
    client = copy_sample(tmp_path / "client")
    (client / "sla.yaml").unlink()
    (client / "sla.yaml").mkdir()  # a folder where the file should be
    code, out, err = run(capsys, "validate", str(client))
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.strip() == (f"bpo-analysis: error: {client / 'sla.yaml'}: a folder where a "
                           "file is expected; allowed: the file sla.yaml itself (move the "
                           "folder away)")

    def refused(*args, **kwargs):  # e.g. an output folder the account may not write to
        raise PermissionError(13, "Permission denied", "/srv/reports/00_client_profile.html")

    monkeypatch.setattr(reports, "run_report", refused)
    code, out, err = run(capsys, "report", "00", "-o", str(tmp_path / "out"))
    assert code == 2 and out == "" and err.strip() == (
        "bpo-analysis: error: /srv/reports/00_client_profile.html: permission denied (check "
        "who may read or write it)")
