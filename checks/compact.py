"""Compaction: raw rows of completed days become one small, immutable archive per day.

Why per day, and why raw rows are not committed (measured by ``benchmarks/repo_growth.py``):
git keeps every version of every committed file forever, so a raw month file committed as it
grows and later re-written as an archive is stored twice, and small appended commits cost far
more than the rows they add. Committing each completed day once, already compressed, stores
every row exactly once and never rewrites a committed file, so git needs no delta heuristics to
stay small and two writers never edit the same committed file.

The life of a row:

1. ``python -m checks run`` appends it to the raw shard ``<loc>/<sys>/<YYYY-MM>.csv``. Raw
   shards are git-ignored: the CI cache (or a self-hosted runner's own disk) keeps them.
2. ``seal`` copies the rows of each day before ``before`` into
   ``<loc>/<sys>/<YYYY-MM>/<YYYY-MM-DD>.csv.gz``: the header, then the day's raw lines verbatim,
   sorted and unique, gzip level 9 with mtime 0, so the same rows always give the same bytes. A
   row that arrives late for a sealed day is merged in (a new version of that one file).
3. ``prune`` (after the archive is committed and pushed) removes from the raw shards every row
   its day's archive holds, and drops lines that are not rows: a partial last line left by a
   killed run, or a damaged line. It works under the same ``flock`` as the writer, rewriting the
   file in place, so a run appending at that moment waits and then appends after it.

Every raw row stays retrievable: ``zcat`` an archive, or read it with ``checks.read_shard``.
"""

from __future__ import annotations

import fcntl
import gzip
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.results import HEADER, parse_row

__all__ = [
    "CompactReport",
    "archive_path",
    "compact",
    "encode_archive",
    "prune",
    "seal",
]


@dataclass(frozen=True)
class CompactReport:
    archives: tuple[Path, ...] = ()  # archives written or extended by this run
    sealed: int = 0  # raw rows newly copied into archives
    pruned: int = 0  # raw rows removed from raw shards because their archive holds them
    dropped: int = 0  # lines removed from raw shards that were not rows (partial or damaged)


def archive_path(root: Path, location: str, system: str, day: date) -> Path:
    return root / location / system / f"{day:%Y-%m}" / f"{day.isoformat()}.csv.gz"


def encode_archive(lines: set[str]) -> bytes:
    """Deterministic gzip of the header and ``lines`` (each ending in a newline), sorted."""
    # Lines start with the UTC time, so text order is time order.
    text = HEADER + "\n" + "".join(sorted(lines))
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def _archive_lines(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    text = gzip.decompress(path.read_bytes()).decode()
    return {line + "\n" for line in text.split("\n")[1:] if line}


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path)  # readers see the old archive or the new one, never half of one


def _raw_shards(root: Path, location: str) -> Iterator[tuple[str, Path]]:
    folder = root / location
    if not folder.is_dir():
        return
    for system_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in sorted(system_dir.glob("*.csv")):
            yield system_dir.name, path


def _complete_lines(text: str) -> list[str]:
    """Whole lines with their newline; a last line without one (a killed write) is left out."""
    lines = text.split("\n")
    lines.pop()  # "" after a final newline, else a partial line
    return [line + "\n" for line in lines]


def seal(root: Path, *, location: str, before: date) -> CompactReport:
    """Copy every raw row of ``location`` dated before ``before`` into its day's archive."""
    by_day: dict[tuple[str, date], set[str]] = defaultdict(set)
    for system, path in _raw_shards(root, location):
        for line in _complete_lines(path.read_text(encoding="utf-8", errors="replace")):
            row = parse_row(line[:-1], system=system, location=location)
            if row is not None and row.time.date() < before:
                by_day[(system, row.time.date())].add(line)
    written: list[Path] = []
    sealed = 0
    for (system, day), lines in sorted(by_day.items()):
        target = archive_path(root, location, system, day)
        held = _archive_lines(target)
        new = lines - held
        if new:
            _write_atomic(target, encode_archive(held | lines))
            written.append(target)
            sealed += len(new)
    return CompactReport(archives=tuple(written), sealed=sealed)


def _prune_file(root: Path, location: str, system: str, path: Path) -> tuple[int, int, bool]:
    """Rewrite one raw shard without its sealed rows; (pruned, dropped, now empty)."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the writer's lock: no append is half done now
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.split("\n")
        dropped = 1 if lines.pop() else 0  # a partial last line: its writer was killed
        archives: dict[date, set[str]] = {}
        kept: list[str] = []
        pruned = 0
        for line in lines:
            if not line or line == HEADER:
                continue
            row = parse_row(line, system=system, location=location)
            if row is None:
                dropped += 1
                continue
            day = row.time.date()
            if day not in archives:
                archives[day] = _archive_lines(archive_path(root, location, system, day))
            if line + "\n" in archives[day]:
                pruned += 1
            else:
                kept.append(line + "\n")
        if pruned or dropped:
            data = ((HEADER + "\n" + "".join(kept)) if kept else "").encode()
            os.ftruncate(fd, 0)
            written = 0
            while written < len(data):  # O_APPEND: writes land at the (new) end
                written += os.write(fd, data[written:])
            os.fsync(fd)
        return pruned, dropped, not kept
    finally:
        os.close(fd)


def prune(root: Path, *, location: str, before: date) -> CompactReport:
    """Remove sealed rows (and lines that are not rows) from ``location``'s raw shards.

    A raw shard left empty is deleted when its month is before ``before``'s month, since no
    run writes to a past month; the current month's file stays, so a run blocked on its lock
    never appends to a deleted file.
    """
    pruned = dropped = 0
    for system, path in _raw_shards(root, location):
        one_pruned, one_dropped, empty = _prune_file(root, location, system, path)
        pruned += one_pruned
        dropped += one_dropped
        if empty and path.stem < f"{before:%Y-%m}":
            path.unlink()
    return CompactReport(pruned=pruned, dropped=dropped)


def compact(root: Path, *, location: str, before: date) -> CompactReport:
    """Seal every day before ``before``, then prune the raw shards: the by-hand command."""
    sealed = seal(root, location=location, before=before)
    pruned = prune(root, location=location, before=before)
    return CompactReport(sealed.archives, sealed.sealed, pruned.pruned, pruned.dropped)
