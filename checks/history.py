"""The only writer (and raw reader) of ``data/history/``.

Safety rules, each covered by a test:
- a shard is appended to under an exclusive ``flock`` with one ``write`` of whole lines, so two
  overlapping runs never interleave or lose rows;
- a run killed mid-write can leave a partial last line; readers ignore a line without its
  newline, and the next append first ends that line, so it never swallows the new rows;
- files are only ever appended to, never rewritten, by the checks.
"""

from __future__ import annotations

import fcntl
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from checks.results import HEADER, ProbeResult, parse_row, to_row

__all__ = ["ShardRead", "append_results", "read_history", "read_shard", "shard_path"]


def shard_path(root: Path, result: ProbeResult) -> Path:
    return root / result.location / result.system / f"{result.time:%Y-%m}.csv"


def append_results(root: Path, results: Iterable[ProbeResult]) -> list[Path]:
    """Append each result to its shard; return the shards written."""
    by_shard: dict[Path, list[ProbeResult]] = defaultdict(list)
    for result in results:
        by_shard[shard_path(root, result)].append(result)
    for path, rows in sorted(by_shard.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        _append_lines(path, "".join(to_row(r) for r in rows))
    return sorted(by_shard)


def _append_lines(path: Path, text: str) -> None:
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        prefix = ""
        if size == 0:
            prefix = HEADER + "\n"
        elif os.pread(fd, 1, size - 1) != b"\n":
            prefix = "\n"  # a killed run left a partial line: end it so it stays one bad line
        data = (prefix + text).encode()
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class ShardRead:
    rows: list[ProbeResult]
    skipped: int  # malformed or partial lines, reported, never fatal


def read_shard(path: Path, *, system: str, location: str) -> ShardRead:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    # The last element is "" after a final newline, else a partial line from a killed run.
    partial = lines.pop()
    skipped = 1 if partial else 0
    rows: list[ProbeResult] = []
    for line in lines:
        if not line or line == HEADER:
            continue
        row = parse_row(line, system=system, location=location)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    return ShardRead(rows, skipped)


def _shards(root: Path) -> Iterator[tuple[str, str, Path]]:
    if not root.is_dir():
        return
    for location_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for system_dir in sorted(p for p in location_dir.iterdir() if p.is_dir()):
            for path in sorted(system_dir.glob("*.csv")):
                yield location_dir.name, system_dir.name, path


def read_history(
    root: Path, *, systems: Iterable[str] | None = None
) -> dict[str, list[ProbeResult]]:
    """All rows per system, every location, oldest first."""
    wanted = set(systems) if systems is not None else None
    history: dict[str, list[ProbeResult]] = defaultdict(list)
    for location, system, path in _shards(root):
        if wanted is not None and system not in wanted:
            continue
        history[system].extend(read_shard(path, system=system, location=location).rows)
    for rows in history.values():
        rows.sort(key=lambda r: (r.time, r.location))
    return dict(history)
