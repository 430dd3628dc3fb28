"""The only writer (and raw reader) of ``data/history/``.

Safety rules, each covered by a test:
- a shard is appended to under an exclusive ``flock`` with one ``write`` of whole lines, so two
  overlapping runs never interleave or lose rows;
- a run killed mid-write can leave a partial last line; readers ignore a line without its
  newline, and the next append first ends that line with ``PARTIAL_MARK``, so it never
  swallows the new rows and is never mistaken for a row (a cut-short row can still look
  valid, e.g. with its detail cut in half). The mark starts with a tab, which no row holds:
  ``to_row`` folds all whitespace in a detail into single spaces;
- files are only ever appended to, never rewritten, by the checks.

For the kill test only: when ``GLASSHOUSE_TEST_PAUSE_MID_WRITE`` names a FIFO or pipe (such as
``/dev/stdout`` when that is a pipe), the writer writes all but the last bytes of its first
shard, writes ``paused`` into it and waits for a signal, so a test can SIGKILL it at exactly
that point instead of racing it with sleeps.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from checks.results import HEADER, ProbeResult, parse_rows, to_row

__all__ = [
    "PARTIAL_MARK",
    "PAUSE_ENV",
    "Shard",
    "ShardRead",
    "append_results",
    "list_shards",
    "read_history",
    "read_shard",
    "shard_path",
]

PAUSE_ENV = "GLASSHOUSE_TEST_PAUSE_MID_WRITE"
PARTIAL_MARK = "\t# cut short by a killed run; ignored"


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
            prefix = PARTIAL_MARK + "\n"  # a killed run left a partial line: mark it as one
        data = (prefix + text).encode()
        pause_fifo = os.environ.get(PAUSE_ENV)
        if pause_fifo:
            _write_all(fd, data[:-5])
            _pause(pause_fifo)
            data = data[-5:]
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


def _write_all(fd: int, data: bytes) -> None:
    written = 0
    while written < len(data):
        written += os.write(fd, data[written:])


def _pause(fifo: str) -> None:
    with open(fifo, "w") as signal_to_test:  # noqa: PTH123 - a FIFO, opened once
        signal_to_test.write("paused\n")
    signal.pause()  # until the test's SIGKILL; the test never lets it go on


@dataclass(frozen=True)
class ShardRead:
    rows: list[ProbeResult]
    skipped: int  # malformed or partial lines, reported, never fatal


def read_shard(path: Path, *, system: str, location: str) -> ShardRead:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    # The last element is "" after a final newline, else a partial line from a killed run.
    partial = lines.pop()
    rows, bad = parse_rows(lines, system=system, location=location)
    return ShardRead(rows, bad + (1 if partial else 0))


@dataclass(frozen=True, slots=True)
class Shard:
    """One history file: ``<root>/<location>/<system>/<month>.csv``."""

    location: str
    system: str
    month: str  # YYYY-MM
    path: Path

    def read(self) -> ShardRead:
        return read_shard(self.path, system=self.system, location=self.location)


_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def list_shards(root: Path, *, systems: Iterable[str] | None = None) -> list[Shard]:
    """Every shard under ``root`` (of ``systems`` only, if given), sorted, without reading it."""
    wanted = set(systems) if systems is not None else None
    found: list[Shard] = []
    if not root.is_dir():
        return found
    for location_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for system_dir in sorted(p for p in location_dir.iterdir() if p.is_dir()):
            if wanted is not None and system_dir.name not in wanted:
                continue
            for path in sorted(system_dir.glob("*.csv")):
                if _MONTH.fullmatch(path.stem):
                    found.append(Shard(location_dir.name, system_dir.name, path.stem, path))
    return found


def read_history(
    root: Path, *, systems: Iterable[str] | None = None
) -> dict[str, list[ProbeResult]]:
    """All rows per system, every location, oldest first."""
    history: dict[str, list[ProbeResult]] = defaultdict(list)
    for shard in list_shards(root, systems=systems):
        history[shard.system].extend(shard.read().rows)
    for rows in history.values():
        rows.sort(key=lambda r: (r.time, r.location))
    return dict(history)
