"""The index of a batch: every run with its status, link, seconds and error.

``index.html`` is self-contained (no script, no CDN) for people; ``index.json`` says the
same for schedulers. Links are relative to the batch's date folder, so the folder can be
moved or served as it is.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bpo_analysis.reporting.batch.worker import Run

__all__ = ["write_index"]


def _rel(path: Path | None, base: Path) -> str | None:
    return None if path is None else Path(os.path.relpath(path, base)).as_posix()


def _run_record(run: Run, base: Path) -> dict[str, Any]:
    """Return one run as the index lists it (JSON-ready).

    Parameters
    ----------
    run : Run
        The run.
    base : Path
        The folder the links are relative to (the batch's date folder).

    Returns
    -------
    dict
        The run's fields, ``set_name`` as ``set``, paths relative to ``base``, seconds
        rounded to 0.01, times as ISO 8601 with the UTC offset, and ``error_summary``
        (the error's first line).
    """
    rec = asdict(run)
    rec.update(set=rec.pop("set_name"), file=str(run.file), report=_rel(run.report, base),
               files={k: _rel(v, base) for k, v in run.files.items()},
               executed=_rel(run.executed, base), seconds=round(run.seconds, 2),
               error_summary=run.error.splitlines()[0] if run.error else "")
    for key in ("started", "finished"):
        if rec[key] is not None:
            rec[key] = dt.datetime.fromtimestamp(rec[key]).astimezone().isoformat(
                timespec="seconds")
    return rec


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em;margin-bottom:.2em}
table{border-collapse:collapse;margin-top:1em;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37;font-weight:600}.failed{color:#c62828;font-weight:600}
code,.params{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.params{color:#555}.meta td{border:none;padding:.1em .6em .1em 0}
"""


def _html_index(meta: dict[str, Any], records: list[dict[str, Any]]) -> str:
    e = html.escape
    ok = sum(r["status"] == "ok" for r in records)
    rows = []
    for r in records:
        links = [r["report"], *r["files"].values()] if r["status"] == "ok" else []
        link = " · ".join(f'<a href="{e(quote(p))}">{e(Path(p).name)}</a>'
                          for p in links if p)
        if r["status"] != "ok" and r["executed"]:
            link = (f'<a href="{e(quote(r["executed"]))}">'
                    f'{e(Path(r["executed"]).name)}</a> (kept for diagnosis)')
        params = ", ".join(f"{k}={v!r}" for k, v in r["parameters"].items())
        rows.append(
            f"<tr><td>{e(r['set'])}</td><td>{e(r['notebook'])}</td>"
            f'<td class="{e(r["status"])}">{e(r["status"])}</td><td>{link}</td>'
            f'<td class="num">{r["seconds"]:.1f}</td><td>{e(r["error_summary"])}</td>'
            f'<td class="params">{e(params)}</td></tr>')
    options = "".join(f"<tr><td>{e(k)}</td><td><code>{e(str(v))}</code></td></tr>"
                      for k, v in meta["options"].items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>bpo-analysis batch {e(meta['date'])}</title><style>{_STYLE}</style></head>
<body>
<h1>Reports of {e(meta['date'])}</h1>
<p>{ok} of {len(records)} runs succeeded; {len(records) - ok} failed.</p>
<table class="meta">
<tr><td>command</td><td><code>{e(meta['command'])}</code></td></tr>
<tr><td>started</td><td>{e(meta['started'])}</td></tr>
<tr><td>finished</td><td>{e(meta['finished'])} ({meta['seconds']:.0f} s)</td></tr>
{options}
</table>
<table>
<thead><tr><th>parameter set</th><th>notebook</th><th>status</th><th>report</th>
<th>seconds</th><th>error</th><th>parameters</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


def write_index(directory: Path, runs: list[Run], meta: Mapping[str, Any]) -> tuple[Path, Path]:
    """Write ``index.html`` and ``index.json`` listing every run.

    The HTML is self-contained (no script, no CDN); links are relative to
    ``directory``. Each file is written to a temporary name and renamed into place.

    Parameters
    ----------
    directory : Path
        The batch's date folder (created if needed).
    runs : list of Run
        Every run, in the order listed.
    meta : mapping
        ``date``, ``command``, ``started``, ``finished``, ``seconds`` (wall clock) and
        ``options``.

    Returns
    -------
    tuple of Path
        ``index.html`` and ``index.json``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    records = [_run_record(r, directory) for r in runs]
    doc = {**meta, "ok": sum(r.ok for r in runs), "failed": sum(not r.ok for r in runs),
           "runs": records}
    out_json, out_html = directory / "index.json", directory / "index.html"
    for path, text in ((out_json, json.dumps(doc, indent=2, default=str) + "\n"),
                       (out_html, _html_index(doc, records))):
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return out_html, out_json
