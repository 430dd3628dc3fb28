"""The history store under the two accidents a scheduler produces: a run killed mid-write, and
two runs at once. Real subprocesses, real files, no sleeps: the killed writer pauses at a known
point through the store's test hook, and the concurrent writers start together on a signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from checks.estate import Estate
from checks.history import PARTIAL_MARK, PAUSE_ENV, list_shards, read_history, read_shard
from checks.results import HEADER

REPO = Path(__file__).resolve().parents[2]

# Appends rows FIRST..FIRST+COUNT-1 of system "s" at location "loc" in batches of BATCH rows;
# with "--wait" it prints "ready" and starts only when a line arrives on stdin.
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from checks.history import append_results
    from checks.results import ProbeResult

    root, name, first, count, batch = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    if "--wait" in sys.argv:
        print("ready", flush=True)
        sys.stdin.readline()
    base = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        ProbeResult(
            time=base + timedelta(minutes=5 * i), system="s", location="loc", outcome="up",
            latency_ms=i, http_status=200, detail=f"{name} row {i}, in full",
        )
        for i in range(first, first + count)
    ]
    for start in range(0, count, batch):
        append_results(Path(root), rows[start : start + batch])
    """
)


def writer(
    root: Path, name: str, first: int, count: int, batch: int, *extra: str, env: dict[str, str]
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), name, str(first), str(count), str(batch), *extra],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != PAUSE_ENV}


def details(root: Path) -> list[str]:
    return [r.detail for r in read_history(root).get("s", [])]


def test_a_run_killed_mid_write_loses_no_complete_row(tmp_path: Path) -> None:
    env = clean_env()
    assert writer(tmp_path, "first", 0, 10, 10, env=env).wait(timeout=60) == 0

    # The second run writes rows 10-19 in one append and is paused 5 bytes short of the end:
    # rows 10-18 are on disk whole, row 19 is cut short, and the shard's lock is held.
    paused = writer(tmp_path, "killed", 10, 10, 10, env={**env, PAUSE_ENV: "/dev/stdout"})
    assert paused.stdout is not None
    assert paused.stdout.readline() == "paused\n"
    (shard,) = (s.path for s in list_shards(tmp_path))
    assert not shard.read_bytes().endswith(b"\n")
    paused.send_signal(signal.SIGKILL)
    assert paused.wait(timeout=60) == -signal.SIGKILL

    read = read_shard(shard, system="s", location="loc")
    assert [r.latency_ms for r in read.rows] == list(range(19))
    assert read.skipped == 1  # the cut-short row 19, and nothing else

    # The next run takes the lock the killed one held, marks the cut-short line and appends.
    assert writer(tmp_path, "next", 20, 10, 10, env=env).wait(timeout=60) == 0
    read = read_shard(shard, system="s", location="loc")
    assert [r.latency_ms for r in read.rows] == [*range(19), *range(20, 30)]
    assert read.skipped == 1
    assert all(d.endswith(", in full") for d in details(tmp_path))
    lines = shard.read_text().splitlines()
    assert lines[0] == HEADER
    (marked,) = (line for line in lines if PARTIAL_MARK in line)
    assert marked.startswith("2026-11-01T01:35:00Z,up,19,200,,")  # row 19, cut short
    assert marked.endswith(PARTIAL_MARK)


def test_a_cut_short_row_that_still_parses_is_not_taken_for_a_row(tmp_path: Path) -> None:
    # Row 19 cut 5 bytes short still has six fields ("...,killed row 19, in fu"); without the
    # mark the next append would turn it into a valid-looking row with a truncated detail.
    env = clean_env()
    paused = writer(tmp_path, "killed", 19, 1, 1, env={**env, PAUSE_ENV: "/dev/stdout"})
    assert paused.stdout is not None
    assert paused.stdout.readline() == "paused\n"
    paused.send_signal(signal.SIGKILL)
    paused.wait(timeout=60)
    assert writer(tmp_path, "next", 20, 1, 1, env=env).wait(timeout=60) == 0
    assert details(tmp_path) == ["next row 20, in full"]


@pytest.mark.parametrize("batch", [1, 7])
def test_two_writers_at_once_lose_and_interleave_nothing(tmp_path: Path, batch: int) -> None:
    per_writer = 1400
    env = clean_env()
    writers = [
        writer(tmp_path, name, first, per_writer, batch, "--wait", env=env)
        for name, first in (("a", 0), ("b", per_writer))
    ]
    for proc in writers:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
    for proc in writers:  # both are waiting: release them together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in writers:
        assert proc.wait(timeout=120) == 0

    (shard,) = (s.path for s in list_shards(tmp_path))
    read = read_shard(shard, system="s", location="loc")
    assert read.skipped == 0
    assert sorted(r.latency_ms or 0 for r in read.rows) == list(range(2 * per_writer))
    assert Counter(shard.read_text().splitlines())[HEADER] == 1
    # Each append is whole: a batch's rows sit together, in order, in the file.
    order = [r.latency_ms or 0 for r in read.rows]
    switches = sum(1 for x, y in pairwise(order) if (x < per_writer) != (y < per_writer))
    assert switches > 1, "the writers did not overlap, so this run proved nothing"
    for name, first in (("a", 0), ("b", per_writer)):
        mine = [i for i in order if first <= i < first + per_writer]
        assert mine == sorted(mine), f"writer {name}'s rows are out of order"
    for start in range(0, 2 * per_writer, batch):
        block = list(range(start, min(start + batch, (start // per_writer + 1) * per_writer)))
        at = order.index(block[0])
        assert order[at : at + len(block)] == block


def test_two_rounds_run_at_once_keep_every_row(
    estate: Estate, content_copy: Path, tmp_path: Path
) -> None:
    catalog = content_copy / "catalog"
    systems = sorted(
        p.stem for p in catalog.glob("*.yml") if p.stem not in {"portal", "teams", "roles"}
    )
    override = tmp_path / "override.yml"
    behaviours = ["/ok", "/slow?ms=200", "/status?code=500"]
    override.write_text(
        yaml.safe_dump(
            {
                "systems": {
                    s: {"check": {"url": estate.url(behaviours[i % 3]), "retries": 0}}
                    for i, s in enumerate(systems)
                }
            }
        )
    )
    history = tmp_path / "history"
    command = [
        sys.executable, "-m", "checks", "--root", str(content_copy), "--no-progress",
        "run", "--no-alerts", "--override", str(override), "--history", str(history),
        "--rounds", "3",
    ]  # fmt: skip
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    for shard in list_shards(history):
        read = shard.read()
        assert (shard.system, len(read.rows), read.skipped) == (shard.system, 6, 0)
    assert sorted({s.system for s in list_shards(history)}) == systems
