"""``python -m checks``: run probe rounds, show status, build rollups and incidents, keep history.

Exit codes, for schedulers and CI:

- 0: the work was done (for ``run``: the round ran and was recorded, whatever the tools' states);
- 1: ``run --fail-on-down`` only: the round was recorded and at least one system is down;
- 2: the content or configuration is wrong (a bad catalogue, an unset secret variable, bad
  arguments), so nothing was probed;
- 3: history or the rollup cache could not be read or written;
- 4: the round was recorded but an alert could not be delivered (the next run tries again);
- 5: ``commit`` could not push sealed history (the raw rows are kept; the next run tries again);
- 130: interrupted (Ctrl+C); rows already written are whole, a partial one is ignored on read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checks.alert_cli import add_commands, add_run_options, after_round
from checks.commit import CommitError, commit_history
from checks.compact import compact
from checks.demo import run_demo
from checks.errors import CheckConfigError
from checks.history import append_results
from checks.incidents import detect_incidents
from checks.progress import Progress
from checks.results import ProbeResult, format_time
from checks.rollups import load_rollups, rebuild_rollups, recent_rounds
from checks.rounds import Round, slot_start
from checks.runner import DEFAULT_CONCURRENCY, run_round
from checks.targets import targets_from_catalog
from portal.errors import ContentError
from portal.load import load_catalog
from portal.models.catalog import Catalog

EXIT_OK, EXIT_DOWN, EXIT_CONFIG, EXIT_HISTORY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_PUSH = 5


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """A plain-text table; columns in ``right`` are right-aligned (numbers)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])


def _ms(value: int | None) -> str:
    return "" if value is None else f"{value} ms"


def _results_table(results: Sequence[ProbeResult]) -> str:
    rows = [(r.system, r.outcome, _ms(r.latency_ms), r.error or "", r.detail) for r in results]
    return _table(("system", "outcome", "latency", "error", "detail"), rows, {2})


def _progress(args: argparse.Namespace, label: str, total: int) -> Progress:
    return Progress(label, total, enabled=False if args.no_progress else None)


def _cmd_run(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root, override=args.override)
    targets = targets_from_catalog(catalog)
    location = args.location or catalog.portal.probes.locations[0]
    any_down = False
    alert_code = EXIT_OK
    interval = timedelta(minutes=catalog.portal.probes.interval_minutes)
    for number in range(args.rounds):
        # The schedule records each round at its slot's start, so rounds run at other locations
        # in the same slot line up for the quorum; rounds run by hand keep their own second.
        now = datetime.now(UTC)
        started = slot_start(now, interval) if args.align else now
        with _progress(args, f"round {number + 1}/{args.rounds}", len(targets)) as progress:
            results = asyncio.run(
                run_round(
                    targets,
                    location=location,
                    concurrency=args.concurrency,
                    on_result=lambda _: progress.advance(),
                    started=started,
                )
            )
        try:
            append_results(args.history, results)
        except OSError as exc:
            print(f"could not write history under {args.history}: {exc}", file=sys.stderr)
            return EXIT_HISTORY
        any_down = any_down or any(r.outcome == "down" for r in results)
        when = format_time(results[0].time) if results else "-"
        print(f"round {number + 1}/{args.rounds} at {when} from {location}")
        print(_results_table(results))
        alert_code = max(alert_code, after_round(args, catalog))
    if alert_code:
        return alert_code
    return EXIT_DOWN if args.fail_on_down and any_down else EXIT_OK


def _quorum(catalog: Catalog) -> int:
    return catalog.portal.probes.quorum


def _cmd_status(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    now = datetime.now(UTC)
    probes = catalog.portal.probes
    stale_after = timedelta(minutes=probes.stale_after_minutes)
    rows = []
    for system in sorted(catalog.systems):
        rounds = recent_rounds(args.history, system, now - timedelta(days=1), _quorum(catalog))
        if not rounds:
            rows.append((system, "unknown", "", "", "", "no round in the last 24 hours"))
            continue
        last = rounds[-1]
        working = sum(1 for r in rounds if r.outcome != "down")
        state = "unknown (stale)" if now - last.time > stale_after else last.outcome
        rows.append(
            (
                system,
                state,
                format_time(last.time),
                _ms(last.latest.latency_ms),
                f"{100 * working / len(rounds):.1f}%",
                last.latest.detail,
            )
        )
    header = ("system", "state", "last checked", "latency", "24 h", "detail")
    print(_table(header, rows, {3, 4}))
    return EXIT_OK


def _cmd_rollups(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    systems = sorted(catalog.systems)
    if args.rebuild:
        with _progress(args, "rebuilding rollups (months)", 0) as progress:
            rollups = rebuild_rollups(
                args.history,
                args.cache,
                systems=systems,
                quorum=_quorum(catalog),
                progress=progress.set,
            )
    else:
        rollups = load_rollups(args.history, args.cache, systems=systems, quorum=_quorum(catalog))
    rows = []
    for system in systems:
        days = rollups[system]
        up = sum(d.up for d in days)
        degraded = sum(d.degraded for d in days)
        down = sum(d.down for d in days)
        total = up + degraded + down
        first = days[0].day.isoformat() if days else ""
        last = days[-1].day.isoformat() if days else ""
        share = f"{100 * (up + degraded) / total:.2f}%" if total else ""
        rows.append((system, str(len(days)), first, last, str(total), share))
    print(_table(("system", "days", "from", "to", "rounds", "working"), rows, {1, 4, 5}))
    print(f"rollups cached in {args.cache}")
    return EXIT_OK


def _cmd_incidents(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    since = datetime.now(UTC) - timedelta(days=args.days)
    rows = []
    for system in sorted(catalog.systems):
        rounds: list[Round] = recent_rounds(args.history, system, since, _quorum(catalog))
        for found in detect_incidents(system, rounds, min_rounds=args.min_rounds):
            end = "ongoing" if found.end is None else format_time(found.end)
            rows.append(
                (
                    system,
                    found.worst,
                    format_time(found.start),
                    end,
                    str(found.rounds),
                    found.detail,
                )
            )
    if not rows:
        print(f"no incidents detected in the last {args.days} days")
        return EXIT_OK
    print(_table(("system", "worst", "start", "end", "rounds", "detail"), rows, {4}))
    return EXIT_OK


def _location(args: argparse.Namespace) -> str:
    """The ``--location`` given, checked against portal.yml, or the first one listed there."""
    catalog, _ = load_catalog(args.root)
    known = catalog.portal.probes.locations
    if args.location is None:
        return known[0]
    if args.location not in known:
        raise CheckConfigError(
            f"location {args.location!r} is not in probes.locations of catalog/portal.yml"
            f" ({', '.join(known)}); add it there first"
        )
    return str(args.location)


def _today(args: argparse.Namespace) -> datetime:
    return datetime.fromisoformat(args.today) if args.today else datetime.now(UTC)


def _cmd_compact(args: argparse.Namespace) -> int:
    location = _location(args)
    before = _today(args).date() - timedelta(days=args.keep_days)
    report = compact(args.history, location=location, before=before)
    print(
        f"compact {location}: {report.sealed} rows sealed into {len(report.archives)} archives,"
        f" {report.pruned} raw rows pruned, {report.dropped} partial or damaged lines dropped"
        f" (days before {before.isoformat()})"
    )
    return EXIT_OK


def _cmd_commit(args: argparse.Namespace) -> int:
    location = _location(args)
    try:
        report = commit_history(
            args.root,
            location=location,
            today=_today(args).date(),
            history=args.history,
            remote=args.remote,
            branch=args.branch,
            attempts=args.attempts,
        )
    except CommitError as exc:
        print(exc, file=sys.stderr)
        return EXIT_PUSH
    if not report.committed and not report.pushed:
        print(f"commit {location}: no completed day to seal; nothing to commit")
    else:
        print(
            f"commit {location}: {len(report.archives)} archives ({report.sealed} rows) pushed to"
            f" {args.branch} on attempt {report.attempts}; {report.pruned} raw rows pruned"
        )
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    results = run_demo(args.root, args.out, rounds=args.rounds)
    print(f"demo: {len(results)} probes of the simulated estate written to {args.out / 'history'}")
    print(_results_table(results[-len(results) // max(args.rounds, 1) :]))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checks",
        description=(__doc__ or "").split("\n\n", 1)[0],
        epilog="exit codes: 0 done; 1 run --fail-on-down saw a system down; 2 bad content or"
        " configuration; 3 history could not be read or written; 4 an alert was not delivered;"
        " 5 commit could not push; 130 interrupted",
    )
    parser.add_argument("--root", type=Path, default=Path(), help="repository root (default: .)")
    parser.add_argument(
        "--no-progress", action="store_true", help="never draw a progress line (default: on a TTY)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def history(command: argparse.ArgumentParser) -> None:
        command.add_argument("--history", type=Path, default=Path("data/history"))

    run = sub.add_parser("run", help="probe every system once and append the results to history")
    history(run)
    run.add_argument("--override", type=Path, help="YAML merged into the catalogue's systems")
    run.add_argument("--location", help="probe location name (default: the first in portal.yml)")
    run.add_argument("--rounds", type=int, default=1, help="rounds to run one after another")
    run.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="probes at once at most"
    )
    run.add_argument(
        "--fail-on-down", action="store_true", help="exit 1 when a system is down (default: 0)"
    )
    run.add_argument(
        "--align",
        action="store_true",
        help="record the round at the start of its schedule slot (scheduled runs: nox -s checks)",
    )
    add_run_options(run)
    run.set_defaults(func=_cmd_run)

    status = sub.add_parser("status", help="print each system's latest state as a table")
    history(status)
    status.set_defaults(func=_cmd_status)

    rollups = sub.add_parser("rollups", help="update the daily rollups cache and summarise it")
    history(rollups)
    rollups.add_argument("--cache", type=Path, default=Path("build/rollups"))
    rollups.add_argument(
        "--rebuild", action="store_true", help="discard the cache and rebuild from raw rows"
    )
    rollups.set_defaults(func=_cmd_rollups)

    incidents = sub.add_parser("incidents", help="list incidents detected from history")
    history(incidents)
    incidents.add_argument("--days", type=int, default=30, help="how far back to look")
    incidents.add_argument("--min-rounds", type=int, default=2, help="shorter runs are noise")
    incidents.set_defaults(func=_cmd_incidents)

    compact_ = sub.add_parser(
        "compact", help="move raw rows of completed days into one gzip archive per day"
    )
    history(compact_)
    compact_.add_argument("--location", help="probe location (default: the first in portal.yml)")
    compact_.add_argument(
        "--keep-days", type=int, default=0, help="also keep this many completed days raw"
    )
    compact_.add_argument("--today", help="the UTC date to count from (default: today)")
    compact_.set_defaults(func=_cmd_compact)

    commit = sub.add_parser(
        "commit", help="seal completed days, commit them and push, retrying over new commits"
    )
    history(commit)
    commit.add_argument("--location", help="probe location (default: the first in portal.yml)")
    commit.add_argument(
        "--remote",
        default=os.environ.get("GLASSHOUSE_PUSH_URL") or "origin",
        help="remote name or URL (default: $GLASSHOUSE_PUSH_URL, else origin)",
    )
    commit.add_argument("--branch", default="main")
    commit.add_argument("--attempts", type=int, default=5)
    commit.add_argument("--today", help="the UTC date to count from (default: today)")
    commit.set_defaults(func=_cmd_commit)

    demo = sub.add_parser("demo", help="probe a simulated estate on 127.0.0.1")
    demo.add_argument("--out", type=Path, default=Path("build/demo"))
    demo.add_argument("--rounds", type=int, default=3)
    demo.set_defaults(func=_cmd_demo)

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    except CheckConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as exc:
        print(
            f"could not read or write {exc.filename or 'a file'}: {exc.strerror}", file=sys.stderr
        )
        return EXIT_HISTORY
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code


if __name__ == "__main__":
    sys.exit(main())
