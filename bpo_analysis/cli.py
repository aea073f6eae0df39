"""The ``bpo-analysis`` command: parses arguments and delegates; no logic of its own.

Exit codes: 0 success; 1 a report or a data check failed (the message says which file,
cell or row); 2 a usage error (unknown notebook or parameter, wrong type, an output folder
that is a file) or a file the system refuses (no permission, a folder in its place).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from bpo_analysis.errors import BpoAnalysisError, DataError, InputError, ReportError

# Each command imports what it uses when it runs: `validate` and `sample` start without
# papermill and nbconvert, and no command pays for another's imports.

__all__ = ["main"]


def _params(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.file:
        try:
            loaded = yaml.safe_load(Path(args.file).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise InputError("-f/--file", args.file, f"a readable YAML mapping ({err})") from None
        if not isinstance(loaded, dict):
            raise InputError("-f/--file", args.file, "a YAML mapping of parameter: value")
        out.update(loaded)
    out.update(dict(args.parameter or []))  # -p wins over -f
    return out


def _output_folder(value: str) -> str:
    """Refuse an output folder that is, or lies under, an existing file (before any run)."""
    path = Path(value).expanduser()
    for p in (path, *path.parents):
        if p.exists():
            if not p.is_dir():
                where = "is a file" if p == path else f"lies under {p}, a file"
                raise InputError("-o/--output", value, f"a folder (created if missing); it "
                                 f"{where}: give a folder's path")
            break
    return value


def _cmd_report(args: argparse.Namespace) -> int:
    from bpo_analysis.reporting import reports
    from bpo_analysis.reporting.deliverables import Options
    from bpo_analysis.reporting.images import parse_formats

    if bool(args.name) == bool(args.all):
        raise InputError("NAME", args.name, "a notebook name, or --all (not both)")
    _output_folder(args.output)
    params = _params(args)
    images = parse_formats(args.images, "--images")
    with Options(args.format, args.paper, args.template) as files:
        if args.all:
            done, failures = reports.run_all(params, args.output, images=images, files=files)
        else:
            try:
                done, failures = [reports.run_report(args.name, params, args.output,
                                                     images=images, files=files)], {}
            except ReportError as err:
                done, failures = [], {args.name: err}
    for r in done:
        for path in r.paths:
            print(path)
        if r.charts:
            print(r.charts[0].parent)
    for name, err in failures.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_params(args: argparse.Namespace) -> int:
    from bpo_analysis.reporting import catalog

    for p in catalog.notebook_parameters(args.name):
        print(f"{p.name}: {p.type} = {p.default!r}  # {p.help}")
    return 0


def _cmd_list(_args: argparse.Namespace) -> int:
    from bpo_analysis.reporting import catalog

    for name in catalog.list_notebooks():
        print(name)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from bpo_analysis.data.client import load_client
    from bpo_analysis.data.quality import quality_summary

    client = load_client(args.folder)
    print(f"{client.scenario.company} ({client.currency}): all files valid")
    print(quality_summary(client).to_string(index=False))
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from bpo_analysis.data import sample

    if args.vendor_records:
        recs = sample.incumbent_records(args.folder, seed=args.seed)
        print(sample.write_records(recs, args.vendor_records))
        return 0
    if args.records:
        from bpo_analysis.data.client import load_client

        client = load_client(args.folder)
        recs = sample.interaction_records(
            client.demand, rows=args.rows, months=args.months, seed=args.seed,
            interval_minutes=client.scenario.interval_minutes)
        print(sample.write_records(recs, args.records))
        return 0
    for p in sample.write_sample(args.folder, seed=args.seed):
        print(p)
    return 0


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Make SIGTERM raise KeyboardInterrupt inside the block, as Ctrl-C does.

    A service manager or a scheduler stops us with SIGTERM; the handler before the block
    is back afterwards.
    """
    def interrupt(_signum: int, _frame: object) -> None:
        """Raise KeyboardInterrupt: the SIGTERM handler."""
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _cmd_present(args: argparse.Namespace) -> int:
    import webbrowser

    from bpo_analysis.reporting import catalog, serve

    if args.name:
        catalog.notebook_path(args.name)  # an unknown step is refused before anything starts
    # a service manager stops us with SIGTERM: stop Voila and its kernels as Ctrl-C does
    with _sigterm_as_interrupt():
        try:
            app = serve.start(_params(args), port=args.port, cull_idle_s=args.cull_idle,
                              preheat=args.preheat, wait_s=120)
        except KeyboardInterrupt:  # start() has stopped what it started
            return 130
        url = app.url_of(args.name) if args.name else app.url
        print(f"bpo-analysis: presenting on {url} (index: {app.url}); Ctrl-C stops",
              flush=True)
        if args.open:
            webbrowser.open(url)
        try:
            code = app.process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            app.stop()
    print(f"bpo-analysis: Voilà exited on its own with code {code}", file=sys.stderr)
    return 1


def _cmd_batch(args: argparse.Namespace) -> int:
    import shlex

    from bpo_analysis.reporting import batch

    _output_folder(args.output)
    given = dict(args.parameter or [])
    command = shlex.join(["bpo-analysis", "batch", *args.params, "-o", args.output,
                          *[x for kv in given.items() for x in ("-p", *kv)],
                          *(["-j", str(args.jobs)] if args.jobs is not None else []),
                          *(["--scheduler", args.scheduler] if args.scheduler else []),
                          *(["--date", args.date] if args.date else [])])
    # a scheduler stops us with SIGTERM: as Ctrl-C, the runs under way finish, no new one
    try:
        with _sigterm_as_interrupt():
            done = batch.run_batch(args.params, args.output, parameters=given,
                                   jobs=args.jobs, scheduler=args.scheduler, date=args.date,
                                   progress=args.progress, command=command,
                                   formats=args.format, paper=args.paper,
                                   template=args.template)
    except KeyboardInterrupt:
        print("bpo-analysis: batch interrupted: the runs under way were finished, the others "
              "not started, and no index was written", file=sys.stderr)
        return 130
    for r in done.runs:
        if r.ok:
            print(r.report)
    print(done.index_html)
    for r in done.failures:
        print(f"FAILED {r.set_name}/{r.notebook}: {r.error}", file=sys.stderr)
    return 1 if done.failures else 0


def _file_options(parser: argparse.ArgumentParser) -> None:
    """Add the report formats, the PDF's paper and the deck's template (report, batch)."""
    parser.add_argument("--format", default="html", metavar="FORMATS", help="report files "
                        "to write, comma-separated: html, pdf, pptx, xlsx (default html; "
                        "pdf and pptx need Chromium)")
    parser.add_argument("--paper", default="a4", choices=("a4", "letter"),
                        help="paper of the PDF (default a4)")
    parser.add_argument("--template", metavar="DECK.pptx", help="PowerPoint file whose "
                        "layouts, fonts and colours the decks take")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="bpo-analysis", description=(
        "Contact-centre outsourcing analysis: run the notebooks as reports, inspect their "
        "parameters, validate a client folder, regenerate the sample data."))
    sub = ap.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("report", help="run a notebook (or --all) into HTML reports")
    rp.add_argument("name", nargs="?", help="notebook name or unique prefix, e.g. 00")
    rp.add_argument("--all", action="store_true", help="run every notebook")
    rp.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"),
                    help="set a parameter (typed as the notebook declares it)")
    rp.add_argument("-f", "--file", help="YAML file of parameters (-p wins)")
    rp.add_argument("-o", "--output", default="reports", help="output folder (default reports)")
    rp.add_argument("--images", metavar="FORMATS", help="also write every chart as a static "
                    "image into OUTPUT/NAME_charts/: png, pdf or svg, comma-separated (png,pdf);"
                    " needs Chromium")
    _file_options(rp)
    rp.set_defaults(func=_cmd_report)
    pp = sub.add_parser("params", help="list a notebook's parameters")
    pp.add_argument("name")
    pp.set_defaults(func=_cmd_params)
    sub.add_parser("list", help="list the notebooks").set_defaults(func=_cmd_list)
    vp = sub.add_parser("validate", help="validate a client folder and summarise its files")
    vp.add_argument("folder")
    vp.set_defaults(func=_cmd_validate)
    sp = sub.add_parser("sample", help="regenerate a bundled client's generated data, or "
                        "write raw records")
    sp.add_argument("--folder", default="data/sample", help="a bundled client folder "
                    "(data/sample, data/hk_health)")
    sp.add_argument("--seed", type=int, default=None, help="default: the client's")
    sp.add_argument("--records", metavar="PATH", help="write raw interaction records "
                    "(.parquet or .csv) instead of regenerating the sample files")
    sp.add_argument("--vendor-records", metavar="PATH", help="write the incumbent's records "
                    "(.parquet or .csv), the ones its monthly reports come from (data/sample: "
                    "V02, 2024-2025)")
    sp.add_argument("--rows", type=int, default=1_000_000, help="records to generate")
    sp.add_argument("--months", type=int, default=1, help="months of demand to draw from")
    sp.set_defaults(func=_cmd_sample)
    pr = sub.add_parser("present", help="serve the notebooks as a Voila app on 127.0.0.1 "
                        "(no code on screen; an index of the steps in decision order)")
    pr.add_argument("name", nargs="?", help="the step whose address is printed (and opened "
                    "with --open), e.g. 03; default: the index")
    pr.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"),
                    help="set a parameter of the notebooks that declare it, e.g. client_dir")
    pr.add_argument("-f", "--file", help="YAML file of parameters (-p wins)")
    pr.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866; "
                    "0 picks a free one)")
    pr.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS", help="shut down "
                    "the kernel of a page closed for this long (default 600)")
    pr.add_argument("--preheat", action="store_true", help="keep one executed kernel ready "
                    "per notebook: pages open at once, at the cost of memory and start-up")
    pr.add_argument("--open", action="store_true", help="open the page in a browser")
    pr.set_defaults(func=_cmd_present)
    bp = sub.add_parser("batch", help="run many parameter sets (YAML) in parallel into dated "
                        "reports and an index; continues past failures")
    bp.add_argument("params", nargs="+", metavar="PARAMS.yaml", help="parameter-set files "
                    "(notebook: NAME|[NAMES]|all, parameters: {...}), folders of them or "
                    "glob patterns")
    bp.add_argument("-o", "--output", default="reports/batch", help="output root; runs go to "
                    "OUT/<date>/<set>/ (default reports/batch)")
    bp.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("KEY", "VALUE"),
                    help="set a parameter in every set, for the notebooks that declare it "
                    "(wins over the files), e.g. -p month 2026-01")
    bp.add_argument("-j", "--jobs", type=int, help="local worker processes (default: one "
                    "per core)")
    bp.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster instead, "
                    "e.g. tcp://host:8786")
    bp.add_argument("--date", help="run date naming the output folder, YYYY-MM-DD "
                    "(default today)")
    bp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="progress bar on stderr (default: when stderr is a terminal)")
    _file_options(bp)
    bp.set_defaults(func=_cmd_batch)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bpo-analysis`` command: the entry point of its console script.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: the process's, ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 success, 1 a report or a data check failed, 2 a usage error
        (the message is on stderr).
    """
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"bpo-analysis: error: {err}", file=sys.stderr)
        return 2
    except (DataError, BpoAnalysisError) as err:
        print(f"bpo-analysis: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # the system refused a file: say which and why, no traceback
        what = {IsADirectoryError: "a folder where a file is expected",
                NotADirectoryError: "a file where a folder is expected",
                PermissionError: "permission denied (check who may read or write it)"}
        reason = what.get(type(err), err.strerror or str(err))
        print(f"bpo-analysis: error: {err.filename or 'a file'}: {reason}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
