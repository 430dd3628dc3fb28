"""How much room history takes: bytes per system per month, and in git after ``git gc``.

The rows are synthetic but shaped like real ones: one every five minutes for a 31-day month,
mostly up with latencies around 120 ms, a few slow (degraded) and a few down with the reasons
the probes record. They are written by the history store itself, so the bytes are the real
format's. Git figures come from a throwaway repository fed with ``git fast-import``: one commit
per round (what a schedule that commits after every run produces), per hour, or per day.
"""

from __future__ import annotations

import gzip
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checks.history import append_results, list_shards
from checks.results import ProbeResult

__all__ = ["GitFigures", "git_size", "month_rows", "written_month"]

ROUNDS_PER_DAY = 24 * 12


def month_rows(system: str, year: int, month: int, *, seed: int = 1) -> list[ProbeResult]:
    """One synthetic month of 5-minute rounds for ``system``."""
    rng = random.Random(f"{seed}-{system}-{year}-{month}")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    rows = []
    moment = start
    while moment < end:
        draw = rng.random()
        if draw < 0.005:
            latency = rng.randint(2001, 3500)
            row = ProbeResult(moment, system, "github-actions", "degraded", latency, 200, "slow",
                              "slower than this tool's 2000 ms limit")  # fmt: skip
        elif draw < 0.006:
            row = ProbeResult(moment, system, "github-actions", "down", 10003, None, "timeout",
                              "no complete answer within 10 s (all 2 attempts failed)")  # fmt: skip
        elif draw < 0.007:
            reason = "HTTP 503, expected 200 (all 2 attempts failed)"
            row = ProbeResult(moment, system, "github-actions", "down", rng.randint(20, 90), 503,
                              "status", reason)  # fmt: skip
        else:
            latency = round(rng.lognormvariate(4.8, 0.35))
            row = ProbeResult(moment, system, "github-actions", "up", latency, 200)
        rows.append(row)
        moment += timedelta(minutes=5)
    return rows


def written_month(folder: Path, rows: list[ProbeResult]) -> Path:
    """Write ``rows`` through the history store (a day per append); return the shard."""
    for day in range(0, len(rows), ROUNDS_PER_DAY):
        append_results(folder, rows[day : day + ROUNDS_PER_DAY])
    (shard,) = list_shards(folder)
    return shard.path


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@dataclass(frozen=True)
class GitFigures:
    commits: int
    pack_bytes: int  # after git gc
    repacked_bytes: int | None  # after git repack -a -d -f (deltas computed afresh)
    seconds: float


def _pack_size(repo: Path) -> int:
    out = subprocess.run(
        ["git", "count-objects", "-v"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    fields = dict(line.split(": ", 1) for line in out.splitlines())
    return (int(fields["size-pack"]) + int(fields["size"])) * 1024


def git_size(shard_text: bytes, *, rounds_per_commit: int, repack: bool = False) -> GitFigures:
    """Commit the month's shard as it grew, ``rounds_per_commit`` rounds at a time."""
    begin = time.perf_counter()
    lines = shard_text.splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-git-"))
    try:
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        feed = subprocess.Popen(
            ["git", "fast-import", "--quiet"], cwd=folder, stdin=subprocess.PIPE
        )
        assert feed.stdin is not None
        content = bytearray(header)
        commits = 0
        for start in range(0, len(rows), rounds_per_commit):
            for line in rows[start : start + rounds_per_commit]:
                content += line
            when = 1767225600 + 300 * (start + rounds_per_commit)  # from 2026-01-01, 5 min a row
            message = b"Record probe results"
            feed.stdin.write(
                b"commit refs/heads/main\n"
                b"committer checks <checks@example.invalid> %d +0000\n"
                b"data %d\n%s\n"
                b"M 100644 inline data/history/github-actions/system/2026-01.csv\n"
                b"data %d\n" % (when, len(message), message, len(content))
            )
            feed.stdin.write(bytes(content))
            feed.stdin.write(b"\n")
            commits += 1
        feed.stdin.close()
        if feed.wait() != 0:
            raise RuntimeError("git fast-import failed")
        subprocess.run(["git", "gc", "-q"], cwd=folder, check=True)
        packed = _pack_size(folder)
        repacked = None
        if repack:
            subprocess.run(["git", "repack", "-a", "-d", "-f", "-q"], cwd=folder, check=True)
            repacked = _pack_size(folder)
        return GitFigures(commits, packed, repacked, time.perf_counter() - begin)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
