"""How fast history grows the git repository: a simulated year, committed by the real code.

For every simulated day, the day's 5-minute rounds of every system are appended to the raw
shards with ``checks.history.append_results`` and then ``checks.commit.commit_history`` runs as
the schedule runs it just after midnight: it seals the day into one archive per system, commits,
pushes to a bare repository and prunes the raw rows. At the end the bare repository is packed
with ``git gc`` and its pack files are measured. A fresh clone is read back to show every row is
still there.

The rows are made up but shaped like real ones: each system has its own typical latency with
log-normal spread, a round starts up to 90 s after its 5-minute mark (schedulers are late), about
1 round in 150 is slow (degraded) and each system has a few outages of 30 to 120 minutes a year.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from checks.commit import commit_history
from checks.history import append_results, read_history
from checks.results import ProbeResult

__all__ = ["GrowthResult", "describe", "main", "repo_growth", "simulated_day"]

LOCATION = "github-actions"
INTERVAL = timedelta(minutes=5)
TARGET_BYTES = 1_000_000  # per system per year (issue #9)
_GIT_ENV_NAME = "Growth benchmark"


@dataclass(frozen=True)
class GrowthResult:
    systems: int
    days: int
    rows: int
    commits: int
    pack_bytes: int  # the bare repository's pack files after git gc
    tree_bytes: int  # the history files in a checkout
    seconds: float

    @property
    def per_system_year(self) -> float:
        return self.pack_bytes / self.systems * 365 / self.days

    @property
    def tree_per_system_year(self) -> float:
        return self.tree_bytes / self.systems * 365 / self.days


def _outages(rng: random.Random, days: int) -> list[tuple[datetime, datetime]]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    spans = []
    for _ in range(max(1, days // 90)):
        begin = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        spans.append((begin, begin + timedelta(minutes=rng.randrange(30, 121))))
    return spans


def simulated_day(
    day: date,
    systems: list[str],
    rng: random.Random,
    outages: dict[str, list[tuple[datetime, datetime]]],
) -> Iterator[ProbeResult]:
    """One UTC day of rounds for ``systems``: every row that day's schedule would write."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    for number in range(int(timedelta(days=1) / INTERVAL)):
        moment = midnight + number * INTERVAL + timedelta(seconds=rng.randrange(90))
        for index, system in enumerate(systems):
            typical = 80 + 35 * index
            if any(begin <= moment < end for begin, end in outages[system]):
                yield ProbeResult(
                    moment,
                    system,
                    LOCATION,
                    "down",
                    10000,
                    None,
                    "timeout",
                    "no complete answer within the time limit",
                )
            elif rng.random() < 1 / 150:
                yield ProbeResult(
                    moment,
                    system,
                    LOCATION,
                    "degraded",
                    2000 + rng.randrange(1500),
                    200,
                    "slow",
                    "slower than this tool's 2000 ms limit",
                )
            else:
                latency = round(typical * rng.lognormvariate(0, 0.3))
                yield ProbeResult(moment, system, LOCATION, "up", latency, 200)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _bytes(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file())


def repo_growth(
    *, systems: int = 20, days: int = 365, seed: int = 9, work: Path | None = None
) -> GrowthResult:
    """Simulate ``days`` of history for ``systems`` systems, committed by the real schedule code."""
    began = time.perf_counter()
    owned = work is None
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-growth-")) if work is None else work
    try:
        origin, runner = folder / "origin.git", folder / "runner"
        _git(folder, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
        _git(folder, "init", "--quiet", "--initial-branch=main", str(runner))
        for key, value in (
            ("user.name", _GIT_ENV_NAME),
            ("user.email", "growth@example.org"),
            ("gc.auto", "0"),  # measure one explicit gc, not whatever ran in between
        ):
            _git(runner, "config", key, value)
        _git(origin, "config", "gc.auto", "0")
        (runner / ".gitignore").write_text("/data/history/*/*/*.csv\n")
        _git(runner, "add", ".gitignore")
        _git(runner, "commit", "--quiet", "-m", "Start")
        _git(runner, "remote", "add", "origin", str(origin))
        _git(runner, "push", "--quiet", "origin", "main")
        names = [f"system-{n:02d}" for n in range(1, systems + 1)]
        rng = random.Random(seed)
        outages = {name: _outages(rng, days) for name in names}
        first = date(2026, 1, 1)
        rows = commits = 0
        for offset in range(days):
            day = first + timedelta(days=offset)
            batch = list(simulated_day(day, names, rng, outages))
            append_results(runner / "data" / "history", batch)
            rows += len(batch)
            report = commit_history(
                runner, location=LOCATION, today=day + timedelta(days=1), pause=lambda _: None
            )
            commits += report.committed
        _git(origin, "gc", "--quiet")
        pack = _bytes(origin / "objects" / "pack", "*")
        check = folder / "check"
        _git(folder, "clone", "--quiet", str(origin), str(check))
        read_back = sum(len(r) for r in read_history(check / "data" / "history").values())
        if read_back != rows:
            raise AssertionError(f"{rows} rows written but {read_back} read back from a clone")
        tree = _bytes(check / "data" / "history", "**/*.csv.gz")
        return GrowthResult(systems, days, rows, commits, pack, tree, time.perf_counter() - began)
    finally:
        if owned:
            shutil.rmtree(folder, ignore_errors=True)


def describe(result: GrowthResult) -> str:
    """The figures, as ``nox -s bench`` prints them."""
    verdict = "within" if result.per_system_year <= TARGET_BYTES else "OVER"
    return (
        f"{result.systems} systems, {result.days} days of 5-minute rounds ({result.rows} rows),"
        f" committed once a day ({result.commits} commits), took {result.seconds:.0f} s\n"
        f"  git after gc: {result.pack_bytes} bytes ="
        f" {result.per_system_year / 1000:.0f} KB per system per year"
        f" ({verdict} the {TARGET_BYTES // 1000} KB target)\n"
        f"  history in a checkout: {result.tree_per_system_year / 1000:.0f} KB per system per year;"
        f" every row read back from a fresh clone"
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.repo_growth``: this benchmark alone."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.repo_growth", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--systems", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    print("repo growth: " + describe(repo_growth(systems=args.systems, days=args.days)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
