"""The writer of new rows (and the raw reader) of ``data/history/``.

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

Completed days are moved by ``checks/compact.py`` into one gzip archive per day,
``<location>/<system>/<YYYY-MM>/<YYYY-MM-DD>.csv.gz``, which the readers here list and read as
shards. A row may sit in a raw shard and in its day's archive for a moment (sealed, not yet
pruned), so ``read_history`` keeps one row per system, location and time.
"""

from __future__ import annotations

import fcntl
import gzip
import os
import re
import signal
import zlib
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


def _read_bytes(path: Path) -> bytes:
    """A shard's text as bytes: a raw ``.csv`` as it is, a ``.csv.gz`` day archive unpacked."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def read_shard(path: Path, *, system: str, location: str) -> ShardRead:
    """Rows of a raw ``.csv`` shard or of a ``.csv.gz`` day archive (read transparently)."""
    try:
        text = _read_bytes(path).decode("utf-8", errors="replace")
    except (EOFError, gzip.BadGzipFile, zlib.error):
        return ShardRead([], 1)  # a damaged archive is reported like a bad line, not fatal
    lines = text.split("\n")
    # The last element is "" after a final newline, else a partial line from a killed run.
    partial = lines.pop()
    rows, bad = parse_rows(lines, system=system, location=location)
    return ShardRead(rows, bad + (1 if partial else 0))


@dataclass(frozen=True, slots=True)
class Shard:
    """One history file: ``<root>/<location>/<system>/<month>.csv`` (raw rows) or
    ``<root>/<location>/<system>/<month>/<YYYY-MM-DD>.csv.gz`` (a sealed day)."""

    location: str
    system: str
    month: str  # YYYY-MM
    path: Path

    @property
    def key(self) -> str:
        """Names this file among its month's shards: ``<location>/<file name>``."""
        return f"{self.location}/{self.path.name}"

    def read(self) -> ShardRead:
        return read_shard(self.path, system=self.system, location=self.location)

    def read_bytes(self) -> bytes:
        """The shard's text, unpacked if it is an archive."""
        return _read_bytes(self.path)


_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_DAY_ARCHIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.csv\.gz")


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
            for path in sorted(system_dir.glob("*/*.csv.gz")):
                month = path.parent.name
                if _MONTH.fullmatch(month) and _DAY_ARCHIVE.fullmatch(path.name):
                    found.append(Shard(location_dir.name, system_dir.name, month, path))
    return found


def read_history(
    root: Path, *, systems: Iterable[str] | None = None
) -> dict[str, list[ProbeResult]]:
    """All rows per system, every location, oldest first."""
    history: dict[str, list[ProbeResult]] = defaultdict(list)
    for shard in list_shards(root, systems=systems):
        history[shard.system].extend(shard.read().rows)
    for system, rows in history.items():
        rows.sort(key=lambda r: (r.time, r.location))
        history[system] = _one_per_round(rows)
    return dict(history)


def _one_per_round(rows: list[ProbeResult]) -> list[ProbeResult]:
    """Drop a row repeating the one before it in time and location (sorted input)."""
    kept: list[ProbeResult] = []
    for row in rows:
        if not kept or (kept[-1].time, kept[-1].location) != (row.time, row.location):
            kept.append(row)
    return kept
