"""The cover and the contents of a report, and what the cover says the report was made
from (:mod:`bpo_analysis.reporting.cover`, :mod:`bpo_analysis.reporting.provenance`), on
small notebooks written here: no kernel, no report run."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest

import bpo_analysis
from bpo_analysis import i18n
from bpo_analysis.reporting import cover, provenance
from bpo_analysis.reporting.cover import Heading
from bpo_analysis.reporting.provenance import ParameterValue, Source

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
CJK = re.compile(r"[\u3400-\u9fff]")

PARAMETERS = '''client_dir: str = "client"  # the client folder
month: str = "2025-12"  # the month reviewed, YYYY-MM
draws: int = 10000  # simulated draws
records_path: str = ""  # raw records (Parquet)
show_widgets: bool = True  # live dashboard
'''


def _notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def executed(tmp_path):
    """An executed notebook as papermill leaves it: its source in ``src/`` next to a
    client folder (scenario.yaml, quotes.csv and a file the loader does not read), the
    run's metadata (two values given, one of them a records file outside the folder)."""
    src = tmp_path / "src"
    client = src / "client"
    client.mkdir(parents=True)
    (client / "scenario.yaml").write_text("company: '  Acme Contact Ltd '\n", encoding="utf-8")
    (client / "quotes.csv").write_text("quote_id,vendor_id\nQ01,V01\n", encoding="utf-8")
    (client / "notes.txt").write_text("not client data", encoding="utf-8")
    records = tmp_path / "records.parquet"
    records.write_bytes(b"PAR1" * 10)
    nb = _notebook(md("# 05 — Performance review\n\nWhat the month shows."),
                   code(PARAMETERS, metadata={"tags": ["parameters"]}),
                   md("## Compliance\n\n### Service level"), code("x = 1"))
    nb.metadata["papermill"] = {
        "parameters": {"month": "2026-01", "records_path": str(records), "show_widgets": False},
        "input_path": str(src / "05_performance_review.ipynb"),
        "start_time": "2020-01-02T03:04:05.123456+00:00", "duration": 185.4}
    path = tmp_path / "out" / "05_performance_review.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    os.utime(client / "quotes.csv", (0, 0))  # 1970: before the run
    return nb, path, client, records


# ------------------------------------------------------------------------------ the cover
def test_the_cover_says_what_ran_with_which_values_and_data(executed):
    nb, path, client, records = executed
    got = cover.report_cover(nb, path)
    assert got.title == "05 — Performance review" and got.notebook == "05_performance_review.ipynb"
    assert got.client == "Acme Contact Ltd" and got.client_dir == client.resolve()
    assert got.version == bpo_analysis.__version__
    assert got.run_started == datetime(2020, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert got.run_started.utcoffset() is not None and got.duration_text == "3 min 5 s"
    assert got.run_iso == got.run_started.isoformat(timespec="seconds")
    # every declared parameter but the internal one, in order; given ones marked
    assert [(p.name, p.value, p.given) for p in got.parameters] == [
        ("client_dir", "client", False), ("month", "2026-01", True), ("draws", 10000, False),
        ("records_path", str(records), True)]
    assert got.parameters[1].help == "the month reviewed, YYYY-MM"
    # the client folder's files the loader reads (documents first), then the records
    assert [(s.path, s.via) for s in got.sources] == [
        (client.resolve() / "scenario.yaml", "client folder"),
        (client.resolve() / "quotes.csv", "client folder"),
        (records, "parameter records_path")]
    for s in got.sources:
        assert s.sha256 == _sha256(s.path) and s.size == s.path.stat().st_size
    assert got.sources[1].note == ""  # modified before the run
    assert got.sources[0].note == "modified after the run started"  # written just now


def test_a_title_given_wins_and_a_notebook_not_run_by_papermill_has_its_files_time(tmp_path):
    nb = _notebook(md("No title here"), code('client_dir: str = ""  # none',
                                             metadata={"tags": ["parameters"]}))
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, path)
    got = cover.report_cover(nb, path, title="Given")
    assert got.title == "Given" and got.notebook == "plain.ipynb"
    assert got.run_started == datetime.fromtimestamp(path.stat().st_mtime, UTC)
    assert got.run_seconds is None and got.duration_text == ""
    assert got.client == "" and got.client_dir is None and got.sources == ()
    assert [(p.name, p.value, p.given) for p in got.parameters] == [("client_dir", "", False)]


@pytest.mark.parametrize("seconds, text", [(None, ""), (0.4, "0 s"), (42.4, "42 s"),
                                           (59.6, "1 min 0 s"), (185, "3 min 5 s")])
def test_the_duration_is_said_in_seconds_then_minutes(seconds, text):
    got = cover.Cover("t", "n.ipynb", "", None, datetime(2026, 1, 2, tzinfo=UTC), seconds,
                      "0", (), ())
    assert got.duration_text == text


def test_times_carry_their_zone_and_offset():
    taipei = timezone(timedelta(hours=8), "CST")
    assert provenance.moment_text(datetime(2026, 11, 23, 9, 14, 5, tzinfo=taipei)) == \
        "2026-11-23 09:14:05 CST (UTC+08:00)"
    assert provenance.moment_text(datetime(2026, 11, 23, 9, 14, 5, tzinfo=UTC),
                                  seconds=False) == "2026-11-23 09:14 UTC+00:00"
    got = cover.Cover("t", "n", "", None, datetime(2026, 1, 2, 3, 4, 5, tzinfo=taipei), None,
                      "0", (), ())
    assert got.run_text == "2026-01-02 03:04:05 CST (UTC+08:00)"


def test_the_labels_follow_the_report_language():
    assert cover.labels() == cover.LABELS  # English: the words as written
    with i18n.use_language("zh-Hant"):
        zh = cover.labels()
    assert zh.keys() == cover.LABELS.keys()
    assert zh["contents"] != "Contents" and CJK.search(zh["contents"])


# ------------------------------------------------------------------ title and contents
def test_the_title_is_the_first_level_1_heading_of_the_markdown():
    nb = _notebook(code("# 99 not a heading: a comment"), md("Intro\n## Two"),
                   md("text\n# 03 — Pricing  \n# a second one"))
    assert cover.notebook_title(nb) == "03 — Pricing"
    assert cover.notebook_title(_notebook(md("## only level 2"))) == "bpo-analysis report"


def test_split_title_takes_the_title_line_out_of_a_copy():
    nb = _notebook(md("# 03 — Pricing\n\nWhat this step decides."), md("# later"))
    title, body = cover.split_title(nb)
    assert title == "03 — Pricing"
    assert [c.source for c in body.cells] == ["What this step decides.", "# later"]
    assert nb.cells[0].source == "# 03 — Pricing\n\nWhat this step decides."  # untouched
    title, body = cover.split_title(_notebook(md("no title")))
    assert title == "bpo-analysis report" and body.cells[0].source == "no title"


def test_the_contents_are_the_level_2_and_3_headings_with_their_anchors():
    nb = _notebook(md("# Title\n## Cost per contact — 2026\n\ntext\n### Why it *moves*"),
                   code("## a comment, not a heading"),
                   md("#### too deep\n## Risks", metadata={"tags": ["interactive"]}))
    assert cover.table_of_contents(nb) == [
        Heading(2, "Cost-per-contact-%E2%80%94-2026", "Cost per contact — 2026"),
        Heading(3, "Why-it-moves", "Why it moves"), Heading(2, "Risks", "Risks")]


def test_nested_puts_each_level_3_heading_under_the_level_2_before_it():
    a, b, c, d, e = (Heading(level, x, x) for level, x in
                     [(3, "a"), (2, "b"), (3, "c"), (3, "d"), (2, "e")])
    assert cover.nested([a, b, c, d, e]) == [(a, []), (b, [c, d]), (e, [])]
    assert cover.nested([]) == []


# ------------------------------------------------------------------ values and files
@pytest.mark.parametrize("value, text, as_json", [
    ("NT$", "NT$", '"NT$"'), ("", '""', '""'), (1.4, "1.4", "1.4"), (False, "false", "false"),
    ({"voice": 0.12}, '{"voice": 0.12}', '{"voice": 0.12}'), ("客服", "客服", '"客服"'),
    (Path("x"), "PosixPath('x')", json.dumps("PosixPath('x')"))])
def test_a_parameter_value_is_shown_as_text_and_kept_as_json(value, text, as_json):
    p = ParameterValue("x", value, True)
    assert (p.text, p.json) == (text, as_json)


@pytest.mark.parametrize("size, text", [(None, ""), (0, "0 B"), (947, "947 B"),
                                        (2_345, "2.3 kB"), (1_600_000, "1.6 MB"),
                                        (3 * 10**12, "3.0 TB")])
def test_sizes_are_said_in_decimal_units(size, text):
    assert Source(Path("f"), "client folder", size, None, None).size_text == text


def test_a_missing_file_and_a_file_written_after_the_start_are_noted(tmp_path):
    missing = provenance.file_source(tmp_path / "gone.csv", "parameter actuals_file",
                                     datetime.now(UTC))
    assert (missing.size, missing.modified, missing.sha256, missing.note) == \
        (None, None, None, "missing")
    assert missing.short_sha256 == missing.modified_text == missing.size_text == ""
    data = tmp_path / "qa.csv"
    data.write_text("a\n", encoding="utf-8")
    later = provenance.file_source(data, "parameter qa_file", datetime(2000, 1, 1, tzinfo=UTC))
    assert later.note == "modified after the run started" and later.size == 2
    assert later.short_sha256 == _sha256(data)[:12] and len(later.sha256) == 64
    assert later.modified_text.startswith(later.modified.strftime("%Y-%m-%d %H:%M"))
    with i18n.use_language("zh-Hant"):
        assert CJK.search(later.note_text) and CJK.search(missing.via_text)
        assert "qa_file" in later.via_text


def test_an_unreadable_data_file_is_said_on_the_cover(tmp_path, monkeypatch):
    data = tmp_path / "actuals.csv"
    data.write_text("month,cost\n", encoding="utf-8")

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(provenance, "_sha256", denied)
    source = provenance.file_source(data, "parameter actuals_file", datetime.now(UTC))
    assert (source.size, source.sha256, source.note) == (11, None, "unreadable")


def test_a_partitioned_records_folder_lists_every_file(tmp_path):
    for part in ("month=2025-11/part-0.parquet", "month=2025-12/part-0.parquet",
                 ".cache/x.parquet", "month=2025-12/.part-1.crc"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_bytes(b"PAR1")
    assert provenance.files_under(tmp_path) == [tmp_path / "month=2025-11/part-0.parquet",
                                                tmp_path / "month=2025-12/part-0.parquet"]
    assert provenance.files_under(tmp_path / "nowhere") == []


def test_client_files_are_those_the_loader_reads_in_its_order(tmp_path):
    for name in ("risks.csv", "vendors.xlsx", "tco.yml", "scenario.yaml", "notes.txt",
                 "demand_intervals.csv", "scenario.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in provenance.client_files(tmp_path)] == [
        "scenario.yaml", "tco.yml", "demand_intervals.csv", "vendors.xlsx", "risks.csv"]


@pytest.mark.parametrize("scenario, name", [("company: Acme\n", "Acme"),
                                            ("company: ''\n", "my-client"),
                                            ("company: [unclosed\n", "my-client"),
                                            ("- a list\n", "my-client"), (None, "my-client")])
def test_the_client_is_named_by_its_scenario_else_by_its_folder(tmp_path, scenario, name):
    folder = tmp_path / "my-client"
    folder.mkdir()
    if scenario is not None:
        (folder / "scenario.yaml").write_text(scenario, encoding="utf-8")
    assert provenance.client_name(folder) == name
    assert provenance.client_name(None) == ""


def test_each_data_file_is_listed_once_relative_paths_read_from_the_base(tmp_path):
    client = tmp_path / "client"
    (client / "records").mkdir(parents=True)
    (client / "scenario.yaml").write_text("company: A\n", encoding="utf-8")
    (client / "records" / "part-0.parquet").write_bytes(b"PAR1")
    started = datetime.now(UTC)
    used = {"client_dir": "client", "sla_file": "client/scenario.yaml",  # already listed
            "records_path": "client/records", "answers_file": "", "month": "2025-12",
            "draws": 3}
    folder, sources = provenance.data_sources(used, tmp_path, started)
    assert folder == client.resolve()
    assert [(s.path.relative_to(tmp_path), s.via) for s in sources] == [
        (Path("client/scenario.yaml"), "client folder"),
        (Path("client/records/part-0.parquet"), "parameter records_path")]
    folder, sources = provenance.data_sources({"client_dir": "missing"}, tmp_path, started)
    assert folder == tmp_path / "missing" and sources == []


def test_run_parameters_keep_internal_values_off_the_cover(executed):
    nb, path, _, records = executed
    nb.metadata.papermill.parameters["extra"] = "given, not declared"
    rows, used = provenance.run_parameters(nb, path)
    assert [p.name for p in rows] == ["client_dir", "month", "draws", "records_path", "extra"]
    assert rows[-1] == ParameterValue("extra", "given, not declared", True)
    assert used["show_widgets"] is False and used["draws"] == 10000
    assert used["records_path"] == str(records)
