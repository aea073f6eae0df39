"""``bpo-analysis batch``: parameter sets checked, run in parallel (local processes or a
Dask cluster), dated reports, an index, failures listed and the exit code."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bpo_analysis import cli
from bpo_analysis.errors import DataError, InputError
from bpo_analysis.reporting import batch, reports
from bpo_analysis.reporting.batch import executor
from tests.conftest import ROOT, SAMPLE
from tests.workers import double_or_fail

DATE = "2025-01-02"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, name: str, text: str | bytes) -> Path:
    p = folder / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


# --- the examples and the checks (nothing is run) -----------------------------------------

def test_the_example_parameter_sets_are_valid():
    files = batch.find_parameter_files([ROOT / "params"])
    assert [f.name for f in files] == ["hk_health_client.yaml", "monthly_V02.yaml",
                                       "roi_review_sample.yaml", "sample_client.yaml"]
    sets = {f.stem: batch.load_parameter_set(f) for f in files}
    monthly = sets["monthly_V02"]
    assert monthly.notebooks == ("05_performance_review",)
    assert monthly.parameters["05_performance_review"] == {  # records: the folder's own
        "month": "2025-12", "vendor_id": "V02", "client_dir": str(SAMPLE)}
    assert reports.output_stem("05", monthly.parameters["05_performance_review"]) == \
        "05_performance_review_2025-12"
    client = sets["sample_client"]
    assert client.notebooks == ("00_client_profile", "01_sourcing_model",
                                "02_vendor_evaluation")
    assert client.parameters["00_client_profile"] == {"client_dir": str(SAMPLE),
                                                      "currency_label": "NT$"}
    assert client.parameters["02_vendor_evaluation"]["draws"] == 10000
    roi = sets["roi_review_sample"].parameters["06_roi_review"]
    assert Path(roi["actuals_file"]).is_file() and Path(roi["client_dir"]).is_dir()
    hk = sets["hk_health_client"]
    assert hk.parameters["00_client_profile"] == {"client_dir": str(ROOT / "data" / "hk_health")}


def test_notebook_forms_and_path_parameters(tmp_path):
    sets = tmp_path / "sets"
    sets.mkdir()
    # `05` unquoted is the integer 5 for YAML: the text as written is taken
    f = write(sets, "a.yaml", "notebook: 05\nparameters:\n  client_dir: ../client\n"
                              "  records_path: /abs/V02.parquet\n  sla_file: ''\n")
    got = batch.load_parameter_set(f)
    assert got.notebooks == ("05_performance_review",)
    assert got.parameters["05_performance_review"] == {
        "client_dir": str(tmp_path / "client"), "records_path": "/abs/V02.parquet",
        "sla_file": ""}  # relative to the YAML's folder; absolute and empty kept
    f = write(sets, "b.yaml", "notebook: [maturity, '00']\nparameters:\n"
                              "  peak_threshold: 2\n  subject: V02\n")
    got = batch.load_parameter_set(f)
    assert got.notebooks == ("00_client_profile", "08_maturity")  # decision order
    assert got.parameters == {"00_client_profile": {"peak_threshold": 2},
                              "08_maturity": {"subject": "V02"}}
    for text in ("parameters: {}\n", "notebook: all\n"):
        got = batch.load_parameter_set(write(sets, "c.yaml", text))
        assert got.notebooks == tuple(reports.list_notebooks()) and got.name == "c"


def test_command_line_parameters_win_and_go_where_they_are_declared(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    given = batch.command_line_parameters({"month": "2026-01", "draws": "200",
                                           "client_dir": "mine"})
    assert given["05_performance_review"]["month"] == "2026-01"
    assert given["02_vendor_evaluation"]["draws"] == 200  # typed as the notebook declares
    assert given["08_maturity"]["client_dir"] == str(tmp_path / "mine")  # from the cwd
    f = write(tmp_path, "s.yaml", "notebook: [05, 08]\nparameters:\n  month: '2025-12'\n")
    got = batch.load_parameter_set(f, given)
    assert got.parameters["05_performance_review"]["month"] == "2026-01"
    assert "month" not in got.parameters["08_maturity"]
    assert "draws" not in got.parameters["05_performance_review"]


BAD_SETS = [
    ("notebook: 08\n  x: [\n", "row 2: not valid YAML"),
    ("- 08\n", "the file is empty or not a mapping of keys; value 'list'"),
    ("", "the file is empty or not a mapping of keys; value None"),
    ("notebook: 08\nparams:\n  subject: x\n",
     "row 2, column 'params': unknown key; value 'params'; allowed: one of "
     "['notebook', 'parameters']"),
    ("notebook: 99\n", "row 1, column 'notebook': unknown notebook; value '99'; allowed: a "
                       "notebook of ['00_client_profile'"),
    ("notebook: [maturity, '08']\n", "column 'notebook': notebook given twice; value '08'"),
    ("notebook: 08\nparameters:\n  subjekt: V02\n",
     "row 3, column 'parameters.subjekt': unknown parameter; value 'subjekt'; allowed: one "
     "of the parameters of 08_maturity: ['answers_file', 'client_dir', "),
    ("notebook: [02, 08]\nparameters:\n  draws: many\n",
     "row 3, column 'parameters.draws': wrong type; value 'many'; allowed: a int (default "
     "10000;"),
    ("notebook: 05\nparameters:\n  month: 2025-12-01\n",
     "column 'parameters.month': wrong type; value datetime.date(2025, 12, 1); allowed: a "
     "str (default '2025-12'"),
    ("notebook: 06\nparameters:\n  discount_rate: 8\n",  # issue 22: ranges, as types
     "row 3, column 'parameters.discount_rate': out of range; value 8.0; allowed: a decimal "
     "annual rate > -1 and <= 1, or -1 (the rate in scenario.yaml) (write 8 % as 0.08)"),
    ("notebook: 08\nparameters: [subject]\n",
     "column 'parameters': not a mapping of parameter: value"),
    ("notebook: 08\nnotebook: 02\n", "key 'notebook' given twice (first on line 1)"),
    (b"\xff\xfenotebook: 08\n", "cannot read the file ('utf-8' codec can't decode"),
]


@pytest.mark.parametrize("text, phrase", BAD_SETS)
def test_a_bad_parameter_set_is_refused_naming_file_key_value_and_allowed(tmp_path, text,
                                                                          phrase):
    f = write(tmp_path, "bad.yaml", text)
    with pytest.raises(DataError) as info:
        batch.load_parameter_set(f)
    assert str(info.value).startswith(f"{f}")
    assert phrase in str(info.value)


@pytest.mark.parametrize("argv, phrase", [
    (["{tmp}/*.yaml"], "'PARAMS' = '{tmp}/*.yaml' is not allowed: must be a pattern "
                       "matching parameter-set files, but it matches none"),
    (["{tmp}/missing.yaml"], "must be an existing parameter-set file (YAML) or a folder"),
    (["{tmp}"], "must be a folder holding parameter sets (*.yaml, *.yml), but it has none"),
    (["{good}", "-j", "0"], "argument '-j/--jobs' = 0 is not allowed: must be a whole "
                            "number of worker processes, at least 1"),
    (["{good}", "--date", "2025-13-01"], "argument '--date' = '2025-13-01' is not allowed: "
                                         "must be a date YYYY-MM-DD"),
    (["{good}", "--date", "yesterday"], "argument '--date' = 'yesterday'"),
    (["{good}", "-j", "2", "--scheduler", "tcp://127.0.0.1:8786"],
     "argument '-j/--jobs' = 2 is not allowed: must be left out with --scheduler"),
    (["{good}", "-p", "mnth", "2026-01"], "argument '-p/--parameter' = 'mnth' is not "
                                          "allowed: must be a parameter of a notebook: one of"),
    (["{good}", "-p", "draws", "many"], "argument '-p draws' = 'many' is not allowed: must be "
                                        "a int (default 10000;"),
    (["{good}", "--scheduler", "nonsense"], "argument '--scheduler' = 'nonsense' is not "
                                            "allowed: must be the address of a Dask scheduler"),
])
def test_usage_errors_exit_2_with_one_clear_message(capsys, tmp_path, argv, phrase):
    sets = tmp_path / "sets"
    sets.mkdir()
    good = write(tmp_path, "good.yaml", "notebook: 08\n")
    fill = {"tmp": str(sets), "good": str(good)}
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "batch", *[a.format(**fill) for a in argv],
                         "-o", str(out_dir), "--no-progress")
    assert code == 2 and out == ""
    assert err.startswith("bpo-analysis: error: ") and err.count("\n") == 1
    assert phrase.format(**fill) in err
    assert not out_dir.exists()  # nothing ran, nothing written


def test_only_refused_sets_still_give_an_index_and_exit_1(capsys, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a", "same.yaml", "notebook: 99\n")
    second = write(tmp_path / "b", "same.yml", "notebook: 08\n")  # same set name
    code, out, err = run(capsys, "batch", str(first), str(second), "-o", str(tmp_path / "out"),
                         "--date", DATE)
    day = tmp_path / "out" / DATE
    assert code == 1 and out.splitlines() == [str(day / "index.html")]
    assert f"FAILED same/*: {first}, row 1, column 'notebook': unknown notebook" in err
    assert (f"FAILED same/*: {second}: a second parameter set of the same name (its reports "
            f"would overwrite the other's); value 'same'; allowed: a file name other than "
            f"that of {first}") in err
    doc = _index(day)
    assert [(r["set"], r["status"]) for r in doc["runs"]] == [("same", "failed")] * 2
    assert doc["ok"] == 0 and sorted(p.name for p in day.iterdir()) == ["index.html",
                                                                       "index.json"]


def test_a_non_numeric_jobs_is_refused_by_the_parser(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        cli.main(["batch", str(tmp_path), "-j", "two"])
    assert info.value.code == 2 and "invalid int value: 'two'" in capsys.readouterr().err


# --- the executor and the index (no notebook) ---------------------------------------------

def test_execute_keeps_order_and_returns_failures_instead_of_raising():
    got = batch.execute(double_or_fail, [1, "boom", 3], jobs=2, progress=False)
    assert got[0] == 2 and got[2] == 6
    assert isinstance(got[1], ValueError) and str(got[1]) == "boom"
    died = batch.execute(double_or_fail, ["die"], jobs=1, progress=False)
    assert isinstance(died[0], BrokenProcessPool)
    assert batch.execute(double_or_fail, [], jobs=1) == []
    with pytest.raises(InputError, match="-j/--jobs"):
        batch.execute(double_or_fail, [1], jobs=0)


def test_a_run_whose_worker_died_is_a_failed_run(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "execute", lambda fn, tasks, **kw: [
        BrokenProcessPool("terminated abruptly") for _ in tasks])
    good = write(tmp_path, "good.yaml", "notebook: 08\n")
    code, out, err = run(capsys, "batch", str(good), "-o", str(tmp_path), "--date", DATE)
    assert code == 1 and out.splitlines() == [str(tmp_path / DATE / "index.html")]
    assert ("FAILED good/08_maturity: no result from the worker running it "
            "(BrokenProcessPool: terminated abruptly)") in err
    assert _index(tmp_path / DATE)["runs"][0]["status"] == "failed"


def test_index_is_self_contained_with_relative_links(tmp_path):
    day = tmp_path / DATE
    (day / "a b").mkdir(parents=True)
    html = day / "a b" / "08_maturity.html"
    html.write_text("report")
    runs = [batch.Run("a b", tmp_path / "a b.yaml", "08_maturity", "ok", report=html,
                      executed=html.with_suffix(".ipynb"), seconds=12.345, worker="h:1",
                      started=0.0, finished=12.3, parameters={"subject": "<V02>"}),
            batch.Run("c", tmp_path / "c.yaml", "*", "failed",
                      error="c.yaml, row 1: not valid YAML\nsecond line")]
    meta = {"date": DATE, "command": "bpo-analysis batch 'a b.yaml' c.yaml",
            "started": "s", "finished": "f", "seconds": 12.3, "options": {"jobs": 2}}
    out_html, out_json = batch.write_index(day, runs, meta)
    doc = json.loads(out_json.read_text())
    assert doc["ok"] == 1 and doc["failed"] == 1 and doc["date"] == DATE
    first, second = doc["runs"]
    assert first["report"] == "a b/08_maturity.html" and first["seconds"] == 12.35
    assert first["started"].startswith("1970-01-01") or first["started"].startswith("1969")
    assert second["error_summary"] == "c.yaml, row 1: not valid YAML"
    text = out_html.read_text()
    assert '<a href="a%20b/08_maturity.html">08_maturity.html</a>' in text
    assert "&lt;V02&gt;" in text and "<V02>" not in text  # escaped
    assert "second line" not in text and "bpo-analysis batch &#x27;a b.yaml&#x27;" in text
    assert "<script" not in text and not re.search(r"(src|href)=\"https?:", text)


# --- real runs ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parameter_sets(tmp_path_factory, v02_parquet):
    """Two good sets (maturity, client folder relative to the YAML file and absolute),
    one whose run fails (the monthly review of a month the records do not cover, given as
    cron gives it: ``-p month``, winning over the file's) and one invalid file."""
    folder = tmp_path_factory.mktemp("sets")
    rel = os.path.relpath(SAMPLE, folder)
    return [
        write(folder, "client_a.yaml", f"notebook: '08'\nparameters:\n  client_dir: {rel}\n"),
        write(folder, "client_b.yaml", f"notebook: maturity\nparameters:\n  client_dir: "
                                       f"{SAMPLE}\n  subject: V02 Harbor Contact Services\n"),
        write(folder, "monthly_late.yaml", f"notebook: performance_review\nparameters:\n"
                                           f"  month: '2025-12'\n  records_path: {v02_parquet}\n"),
        write(folder, "typo.yaml", "notebook: 99\n"),
    ]


def _batch(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory, parameter_sets):
    """The four sets run by the CLI on 2 local worker processes, progress bar forced on."""
    out = tmp_path_factory.mktemp("batch-local")
    code, stdout, stderr = _batch(["batch", *map(str, parameter_sets), "-o", str(out),
                                   "-p", "month", "2026-10", "-j", "2", "--date", DATE,
                                   "--progress"])
    return code, stdout, stderr, out / DATE


def _index(day: Path) -> dict:
    return json.loads((day / "index.json").read_text())


@pytest.mark.slow
def test_batch_runs_every_set_writes_dated_reports_and_lists_failures(local_batch,
                                                                      parameter_sets):
    code, out, err, day = local_batch
    assert code == 1
    a, b = day / "client_a" / "08_maturity.html", day / "client_b" / "08_maturity.html"
    assert out.splitlines() == [str(a), str(b), str(day / "index.html")]
    for html in (a, b):
        assert html.stat().st_size > 100_000 and html.with_suffix(".ipynb").is_file()
    assert "Maturity" in a.read_text()
    # each failure on stderr: FAILED <set>/<notebook>: the reason, naming the file or month
    fails = [ln for ln in err.splitlines() if ln.startswith("FAILED ")]
    assert len(fails) == 2
    assert fails[0].startswith("FAILED monthly_late/05_performance_review: "
                               "05_performance_review: cell ")
    assert "argument 'month'" in fails[0] and "2026-10" in fails[0]
    assert fails[1].startswith(f"FAILED typo/*: {parameter_sets[3]}, row 1, column "
                               "'notebook': unknown notebook; value '99'")
    # the dated name of the monthly review is kept, for its failed run too
    kept = day / "monthly_late" / "05_performance_review_2026-10.FAILED.ipynb"
    assert kept.is_file() and not list((day / "monthly_late").glob("*.html"))
    # the progress bar (forced on): one tick per finished run
    assert "reports: 100%" in err and "3/3" in err and "failed=1" in err


@pytest.mark.slow
def test_index_lists_every_run_with_status_links_and_errors(local_batch):
    _, _, _, day = local_batch
    doc = _index(day)
    assert doc["date"] == DATE and doc["ok"] == 2 and doc["failed"] == 2
    assert "--date 2025-01-02" in doc["command"] and "-j 2" in doc["command"]
    assert "-p month 2026-10" in doc["command"]
    assert doc["options"]["parameters"] == {"month": "2026-10"}
    rows = [(r["set"], r["notebook"], r["status"]) for r in doc["runs"]]
    assert rows == [("client_a", "08_maturity", "ok"), ("client_b", "08_maturity", "ok"),
                    ("monthly_late", "05_performance_review", "failed"),
                    ("typo", "*", "failed")]
    assert [r["report"] for r in doc["runs"]] == ["client_a/08_maturity.html",
                                                  "client_b/08_maturity.html", None, None]
    assert doc["runs"][2]["executed"] == \
        "monthly_late/05_performance_review_2026-10.FAILED.ipynb"
    for r in doc["runs"]:
        for link in (r["report"], r["executed"]):
            assert link is None or (day / link).is_file()
    assert doc["runs"][0]["parameters"] == {"client_dir": str(SAMPLE)}  # relative resolved
    assert "2026-10" in doc["runs"][2]["error_summary"]
    assert "\n" not in doc["runs"][2]["error_summary"]
    assert all(r["seconds"] > 1 for r in doc["runs"][:3]) and doc["runs"][3]["seconds"] == 0
    text = (day / "index.html").read_text()
    hrefs = re.findall(r'href="([^"]+)"', text)
    assert hrefs == ["client_a/08_maturity.html", "client_b/08_maturity.html",
                     "monthly_late/05_performance_review_2026-10.FAILED.ipynb"]
    assert all((day / h).is_file() for h in hrefs)
    assert text.count('class="ok"') == 2 and text.count('class="failed"') == 2
    assert "Reports of 2025-01-02" in text and "unknown notebook" in text
    assert "<script" not in text and "http" not in text


@pytest.mark.slow
def test_two_jobs_really_run_in_two_processes_at_once(local_batch):
    runs = [r for r in _index(local_batch[3])["runs"] if r["worker"]]
    assert len(runs) == 3
    pids = {r["worker"] for r in runs}
    assert len(pids) == 2 and f"{socket.gethostname()}:{os.getpid()}" not in pids
    import datetime as dt

    span = [(dt.datetime.fromisoformat(r["started"]), dt.datetime.fromisoformat(r["finished"]))
            for r in runs]
    overlapping = [(i, j) for i in range(3) for j in range(i + 1, 3)
                   if span[i][0] < span[j][1] and span[j][0] < span[i][1]]
    assert overlapping  # two runs were under way at the same time


# --- Dask (a client leaves a thread behind: later pools in this process spawn) -----

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_named_and_exits_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 1.0)
    good = write(tmp_path, "good.yaml", "notebook: 08\n")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    code, out, err = run(capsys, "batch", str(good), "--scheduler", address,
                         "-o", str(tmp_path / "out"), "--no-progress")
    assert code == 2 and out == ""
    assert (f"argument '--scheduler' = '{address}' is not allowed: must be the address of a "
            "running Dask scheduler, e.g. tcp://host:8786; none answered within 1 s") in err
    assert not (tmp_path / "out").exists()


@pytest.fixture
def dask_cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


def _comparable(doc: dict) -> list[tuple]:
    return [(r["set"], r["notebook"], r["status"], r["report"], r["executed"],
             re.sub(r"/tmp/\S+", "PATH", r["error_summary"])) for r in doc["runs"]]


@pytest.mark.parametrize("workers, threads, allowed", [
    (2, 2, "one-thread workers"), (0, 1, "a scheduler with workers")])
def test_a_cluster_the_runs_cannot_share_is_refused(workers, threads, allowed,
                                                     parameter_sets, tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT", 2.0)
    with LocalCluster(n_workers=workers, threads_per_worker=threads, processes=False,
                      protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster:
        code, out, err = _batch(["batch", str(parameter_sets[0]), "-o", str(tmp_path / "out"),
                                 "--scheduler", cluster.scheduler_address, "--no-progress"])
    assert code == 2 and out == ""
    assert f"argument '--scheduler' = '{cluster.scheduler_address}'" in err and allowed in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_same_batch_on_a_dask_cluster_gives_the_same_reports_and_index(
        dask_cluster, local_batch, parameter_sets, tmp_path):
    code, out, err = _batch(["batch", *map(str, parameter_sets), "-o", str(tmp_path),
                             "-p", "month", "2026-10", "--scheduler",
                             dask_cluster.scheduler_address, "--date", DATE, "--no-progress"])
    day = tmp_path / DATE
    assert code == 1
    assert out.splitlines() == [str(day / "client_a" / "08_maturity.html"),
                                str(day / "client_b" / "08_maturity.html"),
                                str(day / "index.html")]
    assert "FAILED monthly_late/05_performance_review: " in err and "FAILED typo/*: " in err
    assert "reports: " not in err  # --no-progress
    doc = _index(day)
    assert _comparable(doc) == _comparable(_index(local_batch[3]))
    assert doc["options"]["scheduler"] == dask_cluster.scheduler_address
    workers = {r["worker"] for r in doc["runs"] if r["worker"]}
    assert workers and f"{socket.gethostname()}:{os.getpid()}" not in workers
    for r in doc["runs"][:2]:
        html = day / r["report"]
        assert html.stat().st_size > 100_000 and "Maturity" in html.read_text()
