"""``python -m benchmarks`` (``nox -s bench``): measure and print; never pass or fail on time.

1. A probe round over 500 loopback targets, a tenth of them hanging until the timeout T: the
   wall time as a ratio to T (goal: at most 1.05) and how many were classified correctly;
   the same for 2000 targets (goal: at most 1.2); then the same kind of round done one target
   after another, on fewer targets so it ends in reasonable time, with the projection to 500.
2. History size: bytes per system per month at a 5-minute cadence, and in git after gc.
3. Rollups: building them from raw rows, then loading them from the cache.
4. The site for 50 systems with a year of 5-minute history: generation with rollups cached
   (goal under 2 s) and the full build against mkdocs alone on the same pages (goal 1.5x).
5. Repository growth with the schedule's commit policy: a simulated year of 20 systems,
   committed once a day by the real commit code, in bytes per system per year after git gc.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.history_size import git_size, gzip_size, month_rows, written_month
from benchmarks.loopback import BACKLOG, LoopbackServers
from benchmarks.repo_growth import describe, repo_growth
from benchmarks.rollup_speed import measure_rollups
from benchmarks.rounds import HANGING_EVERY, RoundFigures, bench_targets, measure_round
from benchmarks.site_build import measure_site


def say(text: str = "") -> None:
    print(text, flush=True)


def _kib(size: float) -> str:
    return f"{size / 1024:,.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.2f} MiB"


def _raise_file_limit(wanted: int) -> int:
    """Thousands of sockets at once need more descriptors than some shells allow."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return max(soft, target)


def _round_line(label: str, figures: RoundFigures, goal: float | None) -> None:
    verdict = ""
    if goal is not None:
        verdict = " (goal met)" if figures.ratio <= goal else f" (goal {goal} NOT met)"
    say(
        f"{label}: {figures.targets} targets, {figures.hanging} hanging, T = {figures.timeout:g} s,"
        f" at most {figures.concurrency} at once"
    )
    say(f"  wall {figures.wall:.2f} s = {figures.ratio:.3f} x T{verdict}")
    say(f"  classified correctly: {figures.correct}/{figures.targets}")
    for mistake, count in sorted(figures.mistakes.items()):
        say(f"  misclassified: {count} {mistake}")
    say(f"  {figures.latency_summary()}")


def bench_rounds(args: argparse.Namespace) -> None:
    say("== Probe rounds (loopback) ==")
    files = _raise_file_limit(4 * max(args.targets) + 1024)
    say(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start,"
        f" Python {platform.python_version()}, open-file limit {files}"
    )
    with LoopbackServers(args.servers) as servers:
        say(
            f"{args.servers} loopback server processes (asyncio, listen backlog {BACKLOG});"
            f" every {HANGING_EVERY}th target hangs"
        )
        # One small round first: the first connections pay one-time costs (lazy imports in
        # the HTTP stack) that a measured round should not carry.
        measure_round(bench_targets(servers.ports, 20, 1.0)[1:], concurrency=20)
        say("warm-up round of 19 healthy targets done (not measured)")
        for count, goal in zip(args.targets, (1.05, 1.2, None), strict=False):
            targets = bench_targets(servers.ports, count, args.timeout)
            figures = measure_round(targets, concurrency=args.concurrency or count)
            _round_line("concurrent round", figures, goal)
        if args.limited:
            count = max(args.targets)
            figures = measure_round(
                bench_targets(servers.ports, count, args.timeout), concurrency=args.limited
            )
            _round_line("concurrent round with a lower limit", figures, None)
            say(
                "  (hanging targets hold their slots for T, so targets that wait for a slot"
                " start their own T later: a limit below the number of targets stretches the"
                " round)"
            )
        sequential = bench_targets(servers.ports, args.sequential, args.timeout)
        figures = measure_round(sequential, concurrency=1)
        _round_line("sequential round (one target after another)", figures, None)
        base = args.targets[0]
        hanging = len(range(0, base, HANGING_EVERY))
        projected = hanging * args.timeout + (base - hanging) * figures.healthy_mean_ms / 1000
        say(
            f"  capped at {args.sequential} targets to end in reasonable time; projected for"
            f" {base} targets: {projected:.0f} s = {projected / args.timeout:.1f} x T"
            f" ({hanging} x T waiting on hanging targets, plus {base - hanging} healthy ones at"
            f" {figures.healthy_mean_ms:.0f} ms each)"
        )
    say()


def bench_history(args: argparse.Namespace) -> None:
    say("== History size ==")
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-history-"))
    try:
        rows = month_rows("system", 2026, 1)
        shard = written_month(folder, rows)
        data = shard.read_bytes()
        say(
            f"one system, one 31-day month at a 5-minute cadence: {len(rows)} rows,"
            f" {len(data):,} bytes ({_kib(len(data))}, {len(data) / len(rows):.1f} bytes a row);"
            f" gzip -9: {_kib(gzip_size(data))}"
        )
        say(f"  ten years of 11 systems: {_kib(len(data) * 12 * 10 * 11)} of CSV")
        if shutil.which("git") is None:
            say("  git not found: git figures skipped")
            return
        cadences = [(1, "every round (5 min)"), (12, "hourly"), (288, "daily")]
        for rounds, label in cadences:
            if rounds < args.min_rounds_per_commit:
                continue
            figures = git_size(data, rounds_per_commit=rounds, repack=rounds == 1 and args.repack)
            line = (
                f"  git, one commit {label}: {figures.commits} commits,"
                f" {_kib(figures.pack_bytes)} after git gc"
            )
            if figures.repacked_bytes is not None:
                line += f", {_kib(figures.repacked_bytes)} after git repack -a -d -f"
            say(line + f" [{figures.seconds:.0f} s to build]")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say()


def bench_rollups(args: argparse.Namespace) -> None:
    say("== Rollups ==")
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-rollups-"))
    try:
        figures = measure_rollups(folder, systems=args.rollup_systems, months=args.rollup_months)
        say(
            f"{figures.systems} systems x {figures.months} months = {figures.rows:,} rows:"
            f" built from raw rows in {figures.cold_seconds:.2f} s"
            f" ({figures.rows / figures.cold_seconds:,.0f} rows/s),"
            f" loaded from the cache in {figures.warm_seconds * 1000:.0f} ms;"
            f" after one new round per system, refreshed in"
            f" {figures.refresh_seconds * 1000:.0f} ms;"
            f" the last day's raw rounds of every system read in"
            f" {figures.recent_seconds * 1000:.0f} ms"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say()


def bench_site(args: argparse.Namespace) -> None:
    say("== Site for a large estate ==")
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-site-"))
    try:
        f = measure_site(folder, systems=args.site_systems)
        full = f.warm_generate_seconds + f.mkdocs_seconds
        say(
            f"{f.systems} systems x 1 year at 5 minutes = {f.rows:,} rows"
            f" (written in {f.write_seconds:.0f} s); {f.pages} pages"
        )
        say(f"  first generation (rollups built from raw rows): {f.cold_generate_seconds:.1f} s")
        verdict = "goal met" if f.warm_generate_seconds < 2 else "goal NOT met"
        say(f"  generation with rollups cached: {f.warm_generate_seconds:.2f} s ({verdict}: < 2 s)")
        ratio = full / f.mkdocs_seconds
        verdict = "goal met" if ratio <= 1.5 else "goal NOT met"
        say(
            f"  mkdocs build --strict of the same pages: {f.mkdocs_seconds:.1f} s; full build"
            f" (generation + mkdocs) {full:.1f} s = {ratio:.2f} x ({verdict}: at most 1.5 x)"
        )
        say(f"  status overview HTML: {_kib(f.overview_gzip_bytes)} gzip")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say()


def bench_growth(args: argparse.Namespace) -> None:
    say("== Repository growth (the schedule's commit policy) ==")
    say(describe(repo_growth(systems=args.growth_systems, days=args.growth_days)))
    say()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--timeout", type=float, default=10.0, help="T, seconds (default 10)")
    parser.add_argument(
        "--targets", type=int, nargs="+", default=[500, 2000], help="round sizes (500 2000)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=0, help="probes at once at most (0: every target)"
    )
    parser.add_argument(
        "--limited", type=int, default=1000, help="also run the largest round at this limit (0: no)"
    )
    parser.add_argument("--servers", type=int, default=2, help="loopback server processes")
    parser.add_argument("--sequential", type=int, default=20, help="targets in the sequential run")
    parser.add_argument("--repack", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--min-rounds-per-commit", type=int, default=1, help="skip finer git cadences (quick runs)"
    )
    parser.add_argument("--rollup-systems", type=int, default=10)
    parser.add_argument("--rollup-months", type=int, default=12)
    parser.add_argument("--site-systems", type=int, default=50)
    parser.add_argument("--growth-systems", type=int, default=20)
    parser.add_argument("--growth-days", type=int, default=365)
    parser.add_argument(
        "--only",
        choices=["rounds", "history", "rollups", "site", "growth"],
        action="append",
        help="run only these",
    )
    args = parser.parse_args(argv)
    begin = time.perf_counter()
    sections = {
        "rounds": bench_rounds,
        "history": bench_history,
        "rollups": bench_rollups,
        "site": bench_site,
        "growth": bench_growth,
    }
    for name, run in sections.items():
        if not args.only or name in args.only:
            run(args)
    say(f"benchmarks took {time.perf_counter() - begin:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
