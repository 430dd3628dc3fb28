"""A round probes every target concurrently and the history store keeps every complete row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from checks.estate import Estate
from checks.history import append_results, read_history, read_shard
from checks.results import HEADER, ProbeResult
from checks.runner import run_round
from checks.targets import Target

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_one_hanging_target_does_not_delay_the_others(estate: Estate) -> None:
    targets = [Target(system="hang", url=estate.url("/hang"), timeout_seconds=1.0)] + [
        Target(system=f"ok{i}", url=estate.url("/ok"), timeout_seconds=1.0) for i in range(20)
    ]
    results = asyncio.run(run_round(targets, location="test", started=WHEN))
    assert [r.system for r in results] == [t.system for t in targets]
    assert results[0].outcome == "down"
    assert all(r.outcome == "up" for r in results[1:])
    # The healthy ones answered long before the hanging one gave up.
    assert max(r.latency_ms or 0 for r in results[1:]) < (results[0].latency_ms or 0)


def row(system: str, minute: int, outcome: str = "up") -> ProbeResult:
    return ProbeResult(
        time=WHEN.replace(minute=minute),
        system=system,
        location="loc",
        outcome=outcome,  # type: ignore[arg-type]
        latency_ms=12,
        http_status=200,
        detail="a, detail, with commas\nand a newline",
    )


def test_rows_round_trip_through_shards(tmp_path: Path) -> None:
    written = [row("a", 0), row("a", 5, "down"), row("b", 0, "degraded")]
    shards = append_results(tmp_path, written)
    assert [p.relative_to(tmp_path).as_posix() for p in shards] == [
        "loc/a/2026-11.csv",
        "loc/b/2026-11.csv",
    ]
    history = read_history(tmp_path)
    assert [r.outcome for r in history["a"]] == ["up", "down"]
    assert history["b"][0].detail == "a, detail, with commas and a newline"
    assert shards[0].read_text().splitlines()[0] == HEADER


def test_partial_last_line_is_ignored_and_next_append_starts_clean(tmp_path: Path) -> None:
    (shard,) = append_results(tmp_path, [row("a", 0)])
    with shard.open("a") as f:
        f.write("2026-11-28T12:05:00Z,do")  # a run killed mid-write
    read = read_shard(shard, system="a", location="loc")
    assert (len(read.rows), read.skipped) == (1, 1)
    append_results(tmp_path, [row("a", 10)])
    read = read_shard(shard, system="a", location="loc")
    assert [r.time.minute for r in read.rows] == [0, 10]
    assert read.skipped == 1
