"""The ``bpo-analysis`` command: parses arguments and delegates; no logic of its own.

Exit codes: 0 success; 1 a report or a data check failed (the message says which file,
cell or row); 2 a usage error (unknown notebook or parameter, wrong type).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import BpoAnalysisError, DataError, InputError, ReportError

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


def _cmd_report(args: argparse.Namespace) -> int:
    from . import reports

    if bool(args.name) == bool(args.all):
        raise InputError("NAME", args.name, "a notebook name, or --all (not both)")
    params = _params(args)
    if args.all:
        done, failures = reports.run_all(params, args.output)
    else:
        try:
            done, failures = [reports.run_report(args.name, params, args.output)], {}
        except ReportError as err:
            done, failures = [], {args.name: err}
    for r in done:
        print(r.html)
    for name, err in failures.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_params(args: argparse.Namespace) -> int:
    from . import reports

    for p in reports.notebook_parameters(args.name):
        print(f"{p.name}: {p.type} = {p.default!r}  # {p.help}")
    return 0


def _cmd_list(_args: argparse.Namespace) -> int:
    from . import reports

    for name in reports.list_notebooks():
        print(name)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .io import load_client
    from .quality import quality_summary

    client = load_client(args.folder)
    print(f"{client.scenario.company} ({client.currency}): all files valid")
    print(quality_summary(client).to_string(index=False))
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from . import sample

    if args.vendor_records:
        from .io import load_client

        client = load_client(args.folder)
        recs = sample.vendor_records(client.demand,
                                     growth=client.scenario.volume_growth_annual,
                                     interval_minutes=client.scenario.interval_minutes,
                                     seed=args.seed)
        print(sample.write_records(recs, args.vendor_records))
        return 0
    if args.records:
        from .io import load_client

        client = load_client(args.folder)
        recs = sample.interaction_records(
            client.demand, rows=args.rows, months=args.months, seed=args.seed,
            interval_minutes=client.scenario.interval_minutes)
        print(sample.write_records(recs, args.records))
        return 0
    for p in sample.write_sample(args.folder, seed=args.seed):
        print(p)
    return 0


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
    rp.set_defaults(func=_cmd_report)
    pp = sub.add_parser("params", help="list a notebook's parameters")
    pp.add_argument("name")
    pp.set_defaults(func=_cmd_params)
    sub.add_parser("list", help="list the notebooks").set_defaults(func=_cmd_list)
    vp = sub.add_parser("validate", help="validate a client folder and summarise its files")
    vp.add_argument("folder")
    vp.set_defaults(func=_cmd_validate)
    sp = sub.add_parser("sample", help="regenerate the sample data, or write raw records")
    sp.add_argument("--folder", default="data/sample", help="sample client folder")
    sp.add_argument("--seed", type=int, default=20250101)
    sp.add_argument("--records", metavar="PATH", help="write raw interaction records "
                    "(.parquet or .csv) instead of regenerating the sample files")
    sp.add_argument("--vendor-records", metavar="PATH", help="write vendor V02's records "
                    "for 2024-2025 (.parquet or .csv), the ones its sample reports come from")
    sp.add_argument("--rows", type=int, default=1_000_000, help="records to generate")
    sp.add_argument("--months", type=int, default=1, help="months of demand to draw from")
    sp.set_defaults(func=_cmd_sample)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bpo-analysis`` console script."""
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"bpo-analysis: error: {err}", file=sys.stderr)
        return 2
    except (DataError, BpoAnalysisError) as err:
        print(f"bpo-analysis: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
