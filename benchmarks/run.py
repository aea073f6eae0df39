"""Benchmarks: each figure and its ratio to a named baseline.

    make bench                       # all
    python benchmarks/run.py load    # those whose name contains 'load'
    python benchmarks/run.py --profile load   # pyinstrument profile of one
    python benchmarks/run.py browser # the live dashboards in Chromium (voila_latency.py)

Timings are the median of several runs (wall clock, this machine); the baseline is the
simplest thing that does the same job without what we add (validation, caching, export).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill as pm
import yaml
from scipy import special

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def timed(fn: Callable[[], object], repeat: int) -> float:
    if getattr(fn, "warm_up", True):  # a minutes-long run (the report pack) skips it
        fn()  # warm-up (imports, caches)
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def _raw_read() -> None:
    for p in SAMPLE.glob("*.csv"):
        if p.name != "roi_actuals.csv":  # not part of the client folder
            pd.read_csv(p)
    for p in SAMPLE.glob("*.yaml"):
        yaml.safe_load(p.read_text(encoding="utf-8"))


def _raw_read_of(folder: Path) -> None:
    """``_raw_read`` of another client folder: its tables and documents, unvalidated."""
    for p in folder.glob("*.csv"):
        if p.name != "roi_actuals.csv":
            pd.read_csv(p)
    for p in folder.glob("*.yaml"):
        yaml.safe_load(p.read_text(encoding="utf-8"))


def _quarter_hour_client(tmp: Path) -> Path:
    """A copy of the sample client with a year of 15-minute demand for its three
    channels (105,120 rows): each half hour of the sample split in two, its contacts
    shared between the halves, its handle time kept; scenario.yaml says 15 minutes.
    Written once into ``tmp``."""
    import shutil

    folder = tmp / "client-15min"
    if folder.exists():
        return folder
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("records"))
    d = pd.read_csv(SAMPLE / "demand_intervals.csv", parse_dates=["interval_start"],
                    keep_default_na=False)
    first, second = d.copy(), d.copy()
    first["contacts"], second["contacts"] = (d["contacts"] + 1) // 2, d["contacts"] // 2
    second["interval_start"] += pd.Timedelta(minutes=15)
    d = pd.concat([first, second]).sort_values(["interval_start", "channel"], kind="stable")
    d["interval_start"] = d["interval_start"].dt.strftime("%Y-%m-%d %H:%M")
    d.to_csv(folder / "demand_intervals.csv", index=False)
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "interval_minutes: 30 " in text
    scenario.write_text(text.replace("interval_minutes: 30 ", "interval_minutes: 15 "),
                        encoding="utf-8")
    return folder


def _empty_notebook(tmp: Path) -> Callable[[], object]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = tmp / "empty.ipynb"
    nbformat.write(nb, src)
    from bpo_analysis.reporting.reports import LocalKernelManager

    return lambda: pm.execute_notebook(str(src), str(tmp / "empty.out.ipynb"),
                                       kernel_name="python3", progress_bar=False,
                                       kernel_manager_class=LocalKernelManager)


def _empty_run(paths: tuple[str, str]) -> None:
    """One papermill run of the empty notebook ``paths[0]`` into ``paths[1]`` with the
    kernel manager of the reports (a batch worker's task, without the export)."""
    from bpo_analysis.reporting import reports

    pm.execute_notebook(paths[0], paths[1], kernel_name="python3", progress_bar=False,
                        kernel_manager_class=reports.LocalKernelManager)


def _children_cpu_s() -> float:
    """CPU seconds of the finished child processes (pool workers and their kernels)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class ReportPack:
    """``bpo-analysis batch`` of one parameter set running every notebook on the sample
    with ``jobs`` workers (no warm-up: one run takes minutes). ``note()`` says how many
    cores the last run kept busy: the CPU time of the workers and their kernels over the
    wall time."""

    warm_up = False

    def __init__(self, tmp: Path, jobs: int):
        self.tmp, self.jobs, self.busy = tmp, jobs, math.nan

    @functools.cached_property
    def params(self) -> Path:
        from bpo_analysis import load_client
        from bpo_analysis.data import sample

        records = SAMPLE / "records" / "V02.parquet"  # written by make report
        if not records.exists():
            client = load_client(SAMPLE)
            records = sample.write_records(sample.vendor_records(
                client.demand, growth=client.scenario.volume_growth_annual),
                self.tmp / "records" / "V02.parquet")
        f = self.tmp / "pack.yaml"
        f.write_text(yaml.safe_dump({"notebook": "all", "parameters": {
            "client_dir": str(SAMPLE), "records_path": str(records)}}), encoding="utf-8")
        return f

    def __call__(self) -> None:
        from bpo_analysis.reporting import batch

        params = self.params
        wall, cpu = time.perf_counter(), _children_cpu_s()
        done = batch.run_batch([params], self.tmp / "pack", jobs=self.jobs, progress=False)
        wall, cpu = time.perf_counter() - wall, _children_cpu_s() - cpu
        if done.failures:
            raise RuntimeError(f"report pack: {[r.error for r in done.failures]}")
        self.busy = cpu / wall

    def note(self) -> str:
        label = f"  report pack: CPU time / wall time ({self.jobs} workers, {os.cpu_count()} cores)"
        return f"{label:<64} {self.busy:>8.2f} cores busy on average"


def _in_every_format(name: str, tmp: Path, files) -> Callable[[], object]:
    """A report run writing HTML, PDF, PPTX and XLSX: with ``files`` (one browser kept, as
    a batch worker does) or with options of its own (a browser started for the run, as
    ``bpo-analysis report NAME --format ...``). Its line says the time the three files add
    beyond the HTML report, against the issue's target of 3 s."""
    from bpo_analysis.reporting import reports
    from bpo_analysis.reporting.deliverables import FORMATS, Options

    def run() -> None:
        if files is not None:
            reports.run_report(name, {}, tmp / "reports", files=files)
            return
        with Options(FORMATS) as own:
            reports.run_report(name, {}, tmp / "reports", files=own)

    run.extra_target = 3.0  # seconds the PDF, deck and workbook may add to one report
    return run


def _pack_floor(tmp: Path, n: int, jobs: int | None) -> Callable[[], object]:
    """``n`` papermill runs of an empty notebook: through the batch's workers (``jobs``
    of them) or, with ``jobs=None``, one after another in this process."""
    from bpo_analysis.reporting import batch

    _empty_notebook(tmp)  # writes tmp/empty.ipynb
    runs = [(str(tmp / "empty.ipynb"), str(tmp / f"empty.{i}.ipynb")) for i in range(n)]
    if jobs is None:
        return lambda: [_empty_run(r) for r in runs]
    return lambda: batch.execute(_empty_run, runs, jobs=jobs, progress=False)


def _same_formula_loop(calls, aht, interval_s=900, target=0.8, t=20.0) -> list[int]:
    """The straightforward loop over our own formula: one interval at a time, one
    candidate N at a time from floor(A) + 1, Erlang B from ``gammaln`` and ``gammaincc``
    (scalar calls), then Erlang C and the service level."""
    out = []
    for c, h in zip(calls, aht, strict=True):
        a, n = float(c * h / interval_s), 0
        while a > 0:
            n = max(n + 1, math.floor(a) + 1)
            b = math.exp(n * math.log(a) - a - special.gammaln(n + 1)) / special.gammaincc(
                n + 1, a)
            erl_c = n * b / (n - a * (1 - b))
            if 1 - erl_c * math.exp(-(n - a) * t / h) >= target:
                break
        out.append(n)
    return out


def _per_interval_loop(calls, aht, interval_s=900, target=0.8, t=20.0) -> list[int]:
    """A hand-tuned loop: one interval at a time, Erlang B by the float recursion up
    from one agent (one multiply-add per agent, no special functions), Erlang C and the
    service level for each candidate."""
    out = []
    for c, h in zip(calls, aht, strict=True):
        a = c * h / interval_s
        n, b = 0, 1.0
        while True:
            if a == 0:
                break
            n += 1
            b = a * b / (n + a * b)
            if n > a:
                erl_c = n * b / (n - a * (1 - b))
                if 1 - erl_c * math.exp(-(n - a) * t / h) >= target:
                    break
        out.append(n)
    return out


def _textbook_loop(calls, aht, interval_s=900, target=0.8, t=20.0) -> list[int]:
    """What the common Erlang packages do: per interval, per candidate N, Erlang C from
    the factorial sums (O(N^2) per interval; A**N overflows a float near 170 agents)."""
    out = []
    for c, h in zip(calls, aht, strict=True):
        a, n = float(c * h / interval_s), 0
        while a > 0:
            n = max(n + 1, math.floor(a) + 1)
            top = a**n / math.factorial(n) * n / (n - a)
            erl_c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
            if 1 - erl_c * math.exp(-(n - a) * t / h) >= target:
                break
        out.append(n)
    return out


def _vendor_matrix(vendors: int = 10, criteria: int = 12, seed: int = 1):
    """A random decision matrix (3 cost criteria) and weights, for the scoring benchmarks."""
    rng = np.random.default_rng(seed)
    m = pd.DataFrame(rng.uniform(1, 100, (vendors, criteria)),
                     index=[f"V{i:02d}" for i in range(vendors)],
                     columns=[f"c{j:02d}" for j in range(criteria)])
    w = pd.Series(rng.uniform(0.5, 1.5, criteria), index=m.columns)
    d = pd.Series(["benefit"] * (criteria - 3) + ["cost"] * 3, index=m.columns)
    return m, w / w.sum(), d


def _topsis_per_draw(matrix, weights, directions, n=10_000, concentration=50.0, seed=0):
    """The loop the issue names: the same Dirichlet draws, one ``topsis`` call per draw."""
    from bpo_analysis.steps.vendors import scoring

    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(concentration * weights.to_numpy(), size=n)
    m = len(matrix)
    ranks = np.array([scoring.topsis(matrix, pd.Series(w, index=matrix.columns),
                                     directions).rank.to_numpy() for w in draws])
    return (ranks[:, :, None] == np.arange(1, m + 1)).mean(axis=0)


def _sla_of_8_kpis():
    """Terms on 8 KPIs of the dictionary and a correlated performance model around them."""
    from bpo_analysis.data.models import SlaTerms
    from bpo_analysis.steps.contract import calc as contracts

    spec = {"service_level": ("higher", 0.80, 0.72, 0.012), "abandon_rate": ("lower", 0.05, 0.08,
                                                                            0.006),
            "fcr": ("higher", 0.80, 0.72, 0.015), "csat": ("higher", 0.85, 0.80, 0.012),
            "qa_score": ("higher", 90, 85, 1.2), "asa": ("lower", 20, 40, 3.0),
            "aht": ("lower", 300, 360, 10.0), "nps": ("higher", 30, 20, 3.0)}
    terms = SlaTerms.model_validate({
        "at_risk_share": 0.12, "cap_share": 0.12,
        "kpis": {k: {"name": k, "unit": "-", "definition": "-", "direction": d, "target": t,
                     "minimum": m, "allocation": 0.15} for k, (d, t, m, _) in spec.items()},
        "target_miss_rule": {"misses": 2, "months": 3}, "earn_back_months": 3,
        "bonus_after_months": 3, "bonus_share": 0.03, "bonus_cap_share": 0.05})
    ids = list(spec)
    corr = np.full((8, 8), 0.3)
    np.fill_diagonal(corr, 1.0)
    model = contracts.PerformanceModel(
        pd.Series({k: v[1] for k, v in spec.items()}) * 1.0,
        pd.Series({k: v[3] for k, v in spec.items()}), pd.DataFrame(corr, ids, ids))
    return terms, model


def _year_of_quarter_hours(scale: float) -> tuple[np.ndarray, np.ndarray]:
    """35,040 15-minute intervals: the sample's voice demand, each half hour split in two."""
    from bpo_analysis import load_client

    d = load_client(SAMPLE).demand
    v = d[d["channel"] == "voice"]
    calls = np.repeat(v["contacts"].to_numpy() * scale / 2, 2)
    aht = np.repeat(v["aht_s"].fillna(0).to_numpy(), 2)
    return calls, aht


def _write_records(folder: Path, rows: int, months: int, part_rows: int = 1_000_000,
                   channels: tuple[str, ...] = ("voice", "chat", "email")) -> Path:
    """``rows`` generated records of V02 over ``months`` months of the sample's demand
    of ``channels``, as Parquet files of ``part_rows`` records each in ``folder`` (one
    draw per file, each with its own seed; contact and customer ids offset so they stay
    unique and the customers are a third of the contacts, as in one draw of ``rows``).
    Returns ``folder``."""
    from bpo_analysis import load_client
    from bpo_analysis.data import sample

    demand = load_client(SAMPLE).demand
    demand = demand[demand["channel"].isin(channels)]
    for i, first in enumerate(range(0, rows, part_rows)):
        part = sample.interaction_records(demand, rows=min(part_rows, rows - first),
                                          interval_minutes=30, months=months,
                                          seed=sample.SAMPLE_SEED + i)
        part["contact_id"] += first
        part["customer_id"] += first // 3
        sample.write_records(part, folder / f"part-{i:02d}.parquet")
    return folder


def _per_draw_loop(case, drivers: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The Monte Carlo the obvious way: one draw at a time, its cash flows, then
    ``numpy_financial.npv`` and the payback of that one series."""
    import numpy_financial as npf

    from bpo_analysis.steps.roi import model as roi

    monthly = (1 + case.discount_rate) ** (1 / 12) - 1
    n = len(next(iter(drivers.values())))
    npv, payback = np.empty(n), np.empty(n)
    for i in range(n):
        net = roi.net_flows(case, {k: v[i] for k, v in drivers.items()})[0]
        npv[i] = npf.npv(monthly, net)
        payback[i] = roi.payback(net)[0]
    return npv, payback


def _surge_loop(arrivals, agents, aht, is_open, patience, redial, interval_s=1800.0,
                t=20.0):
    """A surge the obvious way: one interval at a time, Erlang A through the public API,
    those who give up calling again at the next open interval: (offered, P(abandon),
    SL)."""
    from bpo_analysis.core import staffing

    offered, p_ab, sl, carry = [], [], [], 0.0
    for a, n, h, is_on in zip(arrivals, agents, aht, is_open, strict=True):
        o = a + carry if is_on else a
        carry = 0.0 if is_on else carry
        load = o * h / interval_s
        p = float(staffing.abandonment_rate(load, n, h, patience))
        offered.append(o)
        p_ab.append(p)
        sl.append(float(staffing.service_level(load, n, h, t, patience_s=patience)))
        carry += redial * o * p
    return np.array(offered), np.array(p_ab), np.array(sl)


def _pandas_monthly_kpis(folder: Path, answer_within_s: dict[str, float],
                         short_abandon_s: float = 5.0) -> pd.DataFrame:
    """What ``records.aggregates(folder, period="month", by=("vendor_id", "channel"))``
    returns, the obvious pandas way: read every Parquet file whole, one column per
    aggregate (a flag or seconds per contact), group by month, vendor and channel, sum.

    The review's quality rules (duplicate contact ids, answers before arrival, negative
    times, scores out of range) are not applied: the generated records break none.
    """
    r = pd.concat([pd.read_parquet(p, engine="pyarrow")
                   for p in sorted(Path(folder).glob("*.parquet"))], ignore_index=True)
    # each contact's customer's next arrival (any channel), for the repeat contacts
    s = r[["customer_id", "arrival_time"]].sort_values(["customer_id", "arrival_time"])
    nxt = s["arrival_time"].shift(-1).where(s["customer_id"].shift(-1) == s["customer_id"])
    nxt = nxt.sort_index()
    arrival, t = r["arrival_time"], r["channel"].map(answer_within_s)
    wait = (r["answer_time"] - arrival).dt.total_seconds()
    patience = (r["abandon_time"] - arrival).dt.total_seconds()
    answered = r["answer_time"].notna()
    x = pd.DataFrame({
        "offered": np.ones(len(r), dtype=np.int64), "answered": answered,
        "answered_within_t": wait <= t, "abandoned": r["abandon_time"].notna(),
        "abandoned_short": patience <= short_abandon_s, "abandoned_within_t": patience <= t,
        "wait_s": wait, "talk_s": r["talk_s"].where(answered),
        "hold_s": r["hold_s"].where(answered), "acw_s": r["acw_s"].where(answered),
        "handled": answered,
        "repeat_7d": answered & (nxt <= arrival + pd.Timedelta(days=7)),
        "repeat_1d": answered & (nxt <= arrival + pd.Timedelta(days=1)),
        "surveyed": r["csat"].notna(), "csat_top2": r["csat"] >= 4, "csat_sum": r["csat"],
        "nps_responses": r["nps"].notna(), "promoters": r["nps"] >= 9,
        "detractors": r["nps"] <= 6, "complaints": r["complaint"],
        "qa_sum": r["qa_score"], "qa_n": r["qa_score"].notna()})
    keys = [arrival.dt.to_period("M").rename("period"), r["vendor_id"], r["channel"]]
    out = x.groupby(keys).sum().reset_index()
    out["period"] = out["period"].dt.start_time
    return out


_CHILD = """\
import json, resource, sys, time
sys.path.insert(0, {here!r})
import run as bench
from bpo_analysis.data import records


def peak_mb():  # this process's own peak: ru_maxrss keeps the parent's across exec
    try:
        with open("/proc/self/status") as f:
            return next(int(x.split()[1]) for x in f if x.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


folder, t = {folder!r}, {t!r}
floor = peak_mb()
start = time.perf_counter()
out = {call}
s = time.perf_counter() - start
print("\\nRESULT", json.dumps({{"s": s, "peak_mb": peak_mb(), "floor_mb": floor,
                               "offered": int(out["offered"].sum())}}))
"""


class FreshProcess:
    """``call`` (a Python expression on ``folder`` and ``t``, with ``bench`` -- this file
    -- and ``review`` imported) run in a fresh interpreter, so that its peak memory can be
    read. Calling it returns the seconds the call took, the process's peak RSS (MB,
    imports included), its RSS after the imports, and the contacts counted."""

    def __init__(self, call: str, folder: Callable[[], Path], t: dict[str, float]):
        self.call, self.folder, self.t = call, folder, t

    def __call__(self) -> dict[str, float]:
        code = _CHILD.format(here=str(Path(__file__).resolve().parent),
                             folder=str(self.folder()), t=self.t, call=self.call)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{self.call} failed:\n{done.stderr}")
        # after the last RESULT: DuckDB may have drawn a progress bar on the same stdout
        return json.loads(done.stdout.rsplit("RESULT", 1)[1])


def fresh_lines(name: str, fn: FreshProcess, base_name: str, base: FreshProcess,
                repeat: int) -> str:
    """Two lines: the median time and the largest peak memory of ``repeat`` fresh runs
    of ``fn`` and of ``base``, and the ratios."""
    runs, base_runs = [fn() for _ in range(repeat)], [base() for _ in range(repeat)]
    if len({r["offered"] for r in runs + base_runs}) > 1:
        raise AssertionError(f"{name}: the baseline counts other contacts")
    t, b = (statistics.median(r["s"] for r in x) for x in (runs, base_runs))
    m, bm = (max(r["peak_mb"] for r in x) for x in (runs, base_runs))
    floor = max(r["floor_mb"] for r in runs + base_runs)
    faster = f"{b / t:,.1f}x faster" if b > t else f"{t / b:.2f}x the time"
    less = f"{bm / m:,.1f}x less" if bm > m else f"{m / bm:.2f}x the memory"
    label = f"  peak memory (RSS; {floor:,.0f} MB after imports)"
    return (f"{name:<64} {t * 1e3:>8.1f}ms {b * 1e3:>8.1f}ms  {faster}   vs {base_name}\n"
            f"{label:<64} {m:>8,.0f}MB {bm:>8,.0f}MB  {less}")


def benchmarks(tmp: Path) -> list[tuple[str, Callable, str, Callable | None, int]]:
    from bpo_analysis import load_client
    from bpo_analysis.core import demand
    from bpo_analysis.data import sample
    from bpo_analysis.reporting import reports
    from bpo_analysis.reporting.deliverables import FORMATS, Options
    from bpo_analysis.widgets import profile_dashboard

    files = Options(FORMATS)  # one browser for the runs that keep it
    atexit.register(files.close)
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

    from bpo_analysis.core import staffing
    from bpo_analysis.steps.sourcing import calc as sourcing
    from bpo_analysis.widgets import sourcing_dashboard

    inputs = sourcing.indicative_inputs(client)
    sdash = sourcing_dashboard(client, inputs)
    volumes = iter([0.8, 0.9, 1.1, 1.2] * 100)
    prices = iter([60.0, 70.0, 80.0, 90.0] * 100)
    args = {"interval_s": 900, "target_sl": 0.8, "target_t_s": 20}
    erlang = []
    for scale, label in ((1.0, "35,040 quarter-hours (sample voice profile)"),
                         (10.0, "the same at 10x volume")):
        q, h = _year_of_quarter_hours(scale)
        for loop, name, repeat in ((_same_formula_loop, "per-interval loop, same formula", 3),
                                   (_per_interval_loop, "hand-tuned per-interval loop "
                                                        "(Erlang B recursion)", 5),
                                   (_textbook_loop, "per-interval textbook Erlang C "
                                                    "(the common packages' way)", 1)):
            erlang.append((f"required_agents: {label}",
                           lambda q=q, h=h: staffing.required_agents(q, h, **args), name,
                           lambda q=q, h=h, loop=loop: loop(q, h), repeat))
    from bpo_analysis.steps.vendors import sensitivity

    vm, vw, vd = _vendor_matrix()
    from bpo_analysis.steps.contract import calc as contracts

    sla8, model8 = _sla_of_8_kpis()
    from bpo_analysis.steps.vendors import step as vendors_step
    from bpo_analysis.widgets import vendor_dashboard

    vdash = vendor_dashboard(vendors_step.evaluate(client), client.currency)
    price_weights = iter([0.10, 0.20, 0.30, 0.15] * 100)
    from bpo_analysis.steps.pricing import step as pricing_step
    from bpo_analysis.widgets import pricing_dashboard

    priced = pricing_step.price(client)
    pdash = pricing_dashboard(priced)
    hidden = iter([0.03, 0.05, 0.07, 0.04] * 100)
    terms = iter([24, 30, 42, 48] * 100)
    # records are generated on first use only (not timed): 10 files of 1,000,000 for the
    # monthly KPIs; for report 05 one of 1,000,000 (2025-01..2025-12) of the channels V02
    # handles (the notebook wants a forecast share for each channel in the records)
    records_10m = functools.cache(lambda: _write_records(tmp / "records-10m", 10_000_000, 12))
    records_1m = functools.cache(lambda: _write_records(tmp / "records-1m", 1_000_000, 12,
                                                        channels=("voice", "chat")))
    targets = {"voice": 20.0, "chat": 60.0, "email": 86_400.0}
    from bpo_analysis.steps import roi as roi_step
    from bpo_analysis.steps.roi import model as roi
    from bpo_analysis.widgets import roi_dashboard

    review = roi_step.run(client, draws=10_000)
    rdash = roi_dashboard(review)
    churn = iter([0.02, 0.06, 0.04, 0.07] * 100)
    drawn = roi.draw_drivers(review.case, 100_000, seed=0)
    from bpo_analysis.core.workforce import staffing_plan
    from bpo_analysis.steps.risk import calc as risk
    from bpo_analysis.steps.risk import step as risk_step
    from bpo_analysis.steps.risk import surge as surge_model
    from bpo_analysis.widgets import risk_dashboard

    plan = staffing_plan(client)
    surge_in = surge_model.SurgeInputs("2025-10-06")
    voice = surge_model.surge_scenario(client, surge_in, plan=plan).intervals
    loop_args = (voice["arrivals"].to_numpy(), voice["agents"].to_numpy(),
                 voice["aht_used"].to_numpy(), (voice["agents_base"] > 0).to_numpy(), 230.0,
                 0.4)
    kdash = risk_dashboard(risk_step.review(client, surge_in, plan=plan), client)
    multipliers = iter([2.5, 3.0, 1.5, 2.0] * 100)
    n = len(reports.list_notebooks())
    return [
        *erlang,
        ("rank_stability: 10 vendors x 12 criteria x 10,000 weights (TOPSIS)",
         lambda: sensitivity.rank_stability(vm, vw, vd, "topsis"),
         "a loop calling topsis() per draw", lambda: _topsis_per_draw(vm, vw, vd), 1),
        ("vendor dashboard: move the price weight -> ranking and charts updated",
         lambda: setattr(vdash.controls["price"], "value", next(price_weights)), "", None, 20),
        ("simulate_payout: 8 KPIs x 12 months x 100,000 simulated years",
         lambda: contracts.simulate_payout(sla8, model8, 700_000.0, n=100_000), "", None, 3),
        ("pricing: price_all (8 quotes, 36-month TCO, unit costs, flags, curves)",
         lambda: pricing_step.price(client), "", None, 3),
        ("pricing dashboard: move the hidden-cost share -> tables and TCO updated",
         lambda: setattr(pdash.controls["hidden_share"], "value", next(hidden)), "", None, 8),
        ("pricing dashboard: move the contract length -> tables and TCO updated",
         lambda: setattr(pdash.controls["term_months"], "value", next(terms)), "", None, 8),
        ("load_client(data/sample): 12 files, 52,560 intervals, validated",
         lambda: load_client(SAMPLE), "pandas/yaml read of the same files, no validation",
         _raw_read, 5),
        ("load_client: 105,120 rows (a year of 15 min, 3 channels)",
         lambda: load_client(_quarter_hour_client(tmp)),
         "pandas/yaml read of the same files, no validation",
         lambda: _raw_read_of(_quarter_hour_client(tmp)), 5),
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
        ("sourcing dashboard: move the volume slider -> figures updated",
         lambda: setattr(sdash.controls["volume_scale"], "value", next(volumes)), "", None,
         20),
        ("sourcing dashboard: move the per-contact price -> figures updated",
         lambda: setattr(sdash.controls["price_per_contact"], "value", next(prices)), "",
         None, 20),
        ("option_costs: 5 sourcing options, a year of demand",
         lambda: sourcing.option_costs(client, inputs), "", None, 5),
        ("report 01_sourcing_model: papermill run + offline HTML",
         lambda: reports.run_report("01", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
        ("report 02_vendor_evaluation: papermill run + offline HTML",
         lambda: reports.run_report("02", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
        ("monthly KPIs: 10 million records (Parquet, 10 files), DuckDB",
         FreshProcess("records.aggregates(folder, answer_within_s=t)", records_10m, targets),
         "pandas: read every file, group by",
         FreshProcess("bench._pandas_monthly_kpis(folder, t)", records_10m, targets), 1),
        ("ROI Monte Carlo: 100,000 draws x 37 months (target 250 ms)",
         lambda: roi.simulate(review.case, 100_000, seed=0),
         "a loop over the draws (npf.npv, payback)", lambda: _per_draw_loop(review.case, drawn),
         1),
        ("ROI dashboard: move the churn slider -> all figures (target 50 ms)",
         lambda: setattr(rdash.controls["churn_reduction"], "value", next(churn)), "", None,
         40),
        ("report 06_roi_review: papermill run + offline HTML",
         lambda: reports.run_report("06", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
        ("surge: 8 days x 48 half hours of voice, Erlang A with redials",
         lambda: surge_model.surge_scenario(client, surge_in, plan=plan),
         "a per-interval loop (public Erlang A, redials carried)",
         lambda: _surge_loop(*loop_args), 5),
        ("outage: 17,520 intervals x voice+chat, Erlang A, 3 backup options",
         lambda: risk.outage_options(client, risk.outage_scenario(client, plan=plan)), "",
         None, 3),
        ("risk dashboard: move the surge multiplier -> cards and 3 figures",
         lambda: setattr(kdash.controls["multiplier"], "value", next(multipliers)), "", None,
         20),
        ("report 06_roi_review + PDF, PowerPoint, Excel (one browser, as a batch)",
         _in_every_format("06", tmp, files), "the HTML report alone",
         lambda: reports.run_report("06", {}, tmp / "reports"), 3),
        ("report 01_sourcing_model + PDF, PowerPoint, Excel (one browser)",
         _in_every_format("01", tmp, files), "the HTML report alone",
         lambda: reports.run_report("01", {}, tmp / "reports"), 3),
        ("report 06_roi_review + PDF, PowerPoint, Excel (a browser of its own)",
         _in_every_format("06", tmp, None), "the HTML report alone",
         lambda: reports.run_report("06", {}, tmp / "reports"), 3),
        ("report 07_risk_continuity: papermill run + offline HTML",
         lambda: reports.run_report("07", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
        ("report 08_maturity: papermill run + offline HTML",
         lambda: reports.run_report("08", {}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 3),
        ("report 05_performance_review (1 million records): papermill + HTML",
         lambda: reports.run_report("05", {"records_path": str(records_1m() / "part-00.parquet"),
                                           "month": "2025-12"}, tmp / "reports"),
         "papermill run of an empty notebook (the floor)", _empty_notebook(tmp), 1),
        (f"report pack: all {n} notebooks on the sample, 2 parallel workers",
         ReportPack(tmp, jobs=2),
         f"floor: {n} papermill runs of an empty notebook, same 2 workers",
         _pack_floor(tmp, n, jobs=2), 1),
        (f"report pack floor: {n} empty-notebook runs, 2 parallel workers",
         _pack_floor(tmp, n, jobs=2), "the same runs one after another (serial floor)",
         _pack_floor(tmp, n, jobs=None), 3),
    ]


LATENCY = "browser: slider -> updated figure (Voila, Chromium)"


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
        print(f"{'benchmark':<64} {'time':>10} {'baseline':>10}  ratio")
        for name, fn, base_name, base, repeat in chosen:
            if isinstance(fn, FreshProcess):  # time and peak memory, in fresh processes
                print(fresh_lines(name, fn, base_name, base, repeat), flush=True)
                continue
            t = timed(fn, repeat)
            line = f"{name:<64} {t * 1e3:>8.1f}ms"
            if base is not None:
                try:
                    b = timed(base, repeat)
                except (OverflowError, ArithmeticError) as err:
                    line += f"  baseline fails: {type(err).__name__} ({base_name})"
                else:
                    digits = 1 if b < 10 * t else 0  # 1.4x, not 1x
                    faster = f"{b / t:,.{digits}f}x faster" if b > t else f"{t / b:.2f}x the time"
                    line += f" {b * 1e3:>8.1f}ms  {faster}   vs {base_name}"
                    if hasattr(fn, "extra_target"):
                        line += (f"; adds {t - b:.2f} s (target <= {fn.extra_target:.0f} s: "
                                 f"{'met' if t - b <= fn.extra_target else 'NOT met'})")
            print(line, flush=True)
            if hasattr(fn, "note"):
                print(fn.note(), flush=True)
    if args.match in LATENCY and not args.profile:
        import voila_latency  # beside this file

        if Path(voila_latency.drv.CHROMIUM).exists():
            print("\n".join(voila_latency.lines(voila_latency.measure())), flush=True)
        else:
            print(f"{LATENCY}: not measured, no Chromium at {voila_latency.drv.CHROMIUM} "
                  "(make test installs it)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
