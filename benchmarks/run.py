"""Benchmarks: each figure and its ratio to a named baseline.

    make bench                       # all
    python benchmarks/run.py load    # those whose name contains 'load'
    python benchmarks/run.py --profile load   # pyinstrument profile of one

Timings are the median of several runs (wall clock, this machine); the baseline is the
simplest thing that does the same job without what we add (validation, caching, export).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def timed(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up (imports, caches)
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def _raw_read() -> None:
    for p in SAMPLE.glob("*.csv"):
        pd.read_csv(p)
    for p in SAMPLE.glob("*.yaml"):
        yaml.safe_load(p.read_text(encoding="utf-8"))


def _empty_notebook(tmp: Path) -> Callable[[], object]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = tmp / "empty.ipynb"
    nbformat.write(nb, src)
    from bpo_analysis.reports import LocalKernelManager

    return lambda: pm.execute_notebook(str(src), str(tmp / "empty.out.ipynb"),
                                       kernel_name="python3", progress_bar=False,
                                       kernel_manager_class=LocalKernelManager)


def benchmarks(tmp: Path) -> list[tuple[str, Callable, str, Callable | None, int]]:
    from bpo_analysis import demand, load_client, reports, sample
    from bpo_analysis.widgets import profile_dashboard

    client = load_client(SAMPLE)
    cube = demand.heatmap_cube(client.demand, client.scenario.interval_minutes)
    dash = profile_dashboard(client)
    months = iter([(m, m) for m in range(1, 13)] * 1000)
    d = client.demand

    def groupby_heatmap():
        x = d[d["interval_start"].dt.month == 11]
        x.groupby([x["interval_start"].dt.date, x["interval_start"].dt.day_of_week,
                   x["interval_start"].dt.strftime("%H:%M")])["contacts"].sum().groupby(
            level=[1, 2]).mean().unstack()

    return [
        ("load_client(data/sample): 10 files, 52,560 intervals, validated",
         lambda: load_client(SAMPLE), "pandas/yaml read of the same files, no validation",
         _raw_read, 5),
        ("heatmap for one month from the cube (what a slider does)",
         lambda: demand.heatmap(cube, months=(11, 11)),
         "pandas group-by on the interval table", groupby_heatmap, 50),
        ("dashboard: move the month slider -> figure updated",
         lambda: setattr(dash.controls["months"], "value", next(months)), "", None, 50),
        ("interaction_records: 1,000,000 rows",
         lambda: sample.interaction_records(d, rows=1_000_000, interval_minutes=30), "", None, 3),
        ("report 00_client_profile: papermill run + offline HTML",
         lambda: reports.run_report("00", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("match", nargs="?", default="", help="run benchmarks whose name has this")
    ap.add_argument("--profile", action="store_true", help="profile with pyinstrument")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        chosen = [b for b in benchmarks(Path(tmp)) if args.match in b[0]]
        if args.profile:
            from pyinstrument import Profiler

            with Profiler() as prof:
                chosen[0][1]()
            prof.print()
            return 0
        print(f"{'benchmark':<64} {'time':>10} {'baseline':>10} {'ratio':>7}")
        for name, fn, base_name, base, repeat in chosen:
            t = timed(fn, repeat)
            line = f"{name:<64} {t * 1e3:>8.1f}ms"
            if base is not None:
                b = timed(base, repeat)
                line += f" {b * 1e3:>8.1f}ms {t / b:>6.2f}x   vs {base_name}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
