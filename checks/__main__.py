"""``python -m checks``: run probe rounds, show status, run the demo estate.

Exit codes, for schedulers: 0 the round ran and was recorded (whatever the tools' states);
2 the content or configuration is wrong; 3 history could not be written; 4 the round was
recorded but an alert could not be delivered (the next run tries again).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from checks.alert_cli import add_commands, add_run_options, after_round
from checks.demo import run_demo
from checks.errors import CheckConfigError
from checks.history import append_results, read_history
from checks.results import ProbeResult, format_time
from checks.runner import run_round
from checks.targets import targets_from_catalog
from portal.errors import ContentError
from portal.load import load_catalog


def _table(results: list[ProbeResult]) -> str:
    rows = [("system", "outcome", "latency", "detail")]
    for r in results:
        latency = f"{r.latency_ms} ms" if r.latency_ms is not None else ""
        rows.append((r.system, r.outcome, latency, r.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}".rstrip() for a, b, c, d in rows
    )


def _cmd_run(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root, override=args.override)
    targets = targets_from_catalog(catalog)
    location = args.location or catalog.portal.probes.locations[0]
    code = 0
    for number in range(args.rounds):
        results = asyncio.run(run_round(targets, location=location, concurrency=args.concurrency))
        try:
            append_results(args.history, results)
        except OSError as exc:
            print(f"could not write history under {args.history}: {exc}", file=sys.stderr)
            return 3
        when = format_time(results[0].time) if results else "-"
        print(f"round {number + 1}/{args.rounds} at {when}")
        print(_table(results))
        code = max(code, after_round(args, catalog))
    return code


def _cmd_status(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    history = read_history(args.history)
    latest: list[ProbeResult] = []
    for system in sorted(catalog.systems):
        rows = history.get(system)
        if rows:
            latest.append(rows[-1])
        else:
            print(f"{system}: unknown (no probe has run)")
    print(_table(latest))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    results = run_demo(args.root, args.out, rounds=args.rounds)
    print(f"demo: {len(results)} probes of the simulated estate written to {args.out / 'history'}")
    print(_table(results[-len(results) // max(args.rounds, 1) :]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="repository root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="probe every system and append the results to history")
    run.add_argument("--history", type=Path, default=Path("data/history"))
    run.add_argument("--override", type=Path, help="YAML merged into the catalogue's systems")
    run.add_argument("--location", help="probe location name (default: the first in portal.yml)")
    run.add_argument("--rounds", type=int, default=1)
    run.add_argument("--concurrency", type=int, default=100)
    add_run_options(run)
    run.set_defaults(func=_cmd_run)

    status = sub.add_parser("status", help="print the latest recorded state of every system")
    status.add_argument("--history", type=Path, default=Path("data/history"))
    status.set_defaults(func=_cmd_status)

    demo = sub.add_parser("demo", help="probe a simulated estate on 127.0.0.1")
    demo.add_argument("--out", type=Path, default=Path("build/demo"))
    demo.add_argument("--rounds", type=int, default=3)
    demo.set_defaults(func=_cmd_demo)

    add_commands(sub)

    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 2
    except CheckConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
