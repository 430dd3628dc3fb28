"""Daily rollups of history, cached per system per month, rebuilt from raw rows on demand.

A rollup is one system's UTC day: how many rounds (after the location quorum) were up,
degraded and down, and the latency percentiles of the rounds that answered (up or degraded; a
failed round's "latency" is how long the probe waited, not how fast the tool was). Percentiles
use the nearest-rank method: p50 is the smallest latency at or above half of them.

The cache (``build/rollups/<system>/<YYYY-MM>.json``, git-ignored) keeps each month's rollups
with, per shard it was built from, the shard's size and modification time, a SHA-256 of its
content and where each day's rows start. A month whose shards are unchanged (size and mtime)
is used as it is. A shard that has only grown (its old content still hashes the same: history
is append-only) costs a read of its new rows and of the days they fall on: in a site build,
the last day or two. Anything else (a shard rewritten or removed, another quorum, a damaged
cache file) rebuilds the month from raw rows. ``rebuild_rollups`` (``python -m checks rollups
--rebuild``) throws the cache away and builds everything from raw rows.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from checks.history import Shard, list_shards
from checks.results import ProbeResult, format_time, parse_rows
from checks.rounds import Round, combine_locations

__all__ = [
    "CACHE_VERSION",
    "DailyRollup",
    "load_rollups",
    "rebuild_rollups",
    "recent_rounds",
    "rollup_rounds",
]

CACHE_VERSION = 3  # 3: sources keyed by shard (raw file or day archive)
Progress = Callable[[int, int], None]  # (months done, months in all)


@dataclass(frozen=True, slots=True)
class DailyRollup:
    system: str
    day: date  # UTC day
    up: int  # rounds (after location quorum) per outcome that day
    degraded: int
    down: int
    latency_p50: int | None  # ms, over rounds with a latency
    latency_p95: int | None
    latency_max: int | None


def _nearest_rank(ordered: Sequence[int], percent: float) -> int:
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def rollup_rounds(system: str, rounds: Sequence[Round]) -> list[DailyRollup]:
    """One rollup per UTC day that has rounds, days ascending (pure)."""
    by_day: dict[date, list[Round]] = defaultdict(list)
    for one in rounds:
        by_day[one.time.astimezone(UTC).date()].append(one)
    rollups = []
    for day in sorted(by_day):
        day_rounds = by_day[day]
        counts = {"up": 0, "degraded": 0, "down": 0}
        latencies: list[int] = []
        for one in day_rounds:
            counts[one.outcome] += 1
            if one.response_ms is not None:
                latencies.append(one.response_ms)
        latencies.sort()
        rollups.append(
            DailyRollup(
                system=system,
                day=day,
                up=counts["up"],
                degraded=counts["degraded"],
                down=counts["down"],
                latency_p50=_nearest_rank(latencies, 50) if latencies else None,
                latency_p95=_nearest_rank(latencies, 95) if latencies else None,
                latency_max=latencies[-1] if latencies else None,
            )
        )
    return rollups


def _to_json(rollups: Sequence[DailyRollup]) -> list[list[object]]:
    return [
        [r.day.isoformat(), r.up, r.degraded, r.down, r.latency_p50, r.latency_p95, r.latency_max]
        for r in rollups
    ]


def _from_json(system: str, days: Any) -> list[DailyRollup]:
    """Rollups from a cache file's ``days`` (JSON, so untyped); bad data raises, and rebuilds."""
    return [
        DailyRollup(
            system,
            date.fromisoformat(day),
            int(up),
            int(degraded),
            int(down),
            None if p50 is None else int(p50),
            None if p95 is None else int(p95),
            None if high is None else int(high),
        )
        for day, up, degraded, down, p50, p95, high in days
    ]


@dataclass(frozen=True)
class _Cached:
    """A month's cache file: its rollups and, per location, what they were built from."""

    rollups: list[DailyRollup]
    sources: dict[str, Any]  # shard key -> {"stat", "size", "digest", "days"} (see _refresh)


def _read_cache(path: Path, key: dict[str, object]) -> _Cached | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if {k: data.get(k) for k in key} != key:
            return None
        return _Cached(_from_json(str(key["system"]), data["days"]), dict(data["sources"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, from another version or quorum, or damaged: rebuild it


def _write_cache(
    path: Path, key: dict[str, object], rollups: Sequence[DailyRollup], sources: dict[str, Any]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    body = {**key, "sources": sources, "days": _to_json(rollups)}
    temporary.write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)  # readers see the old file or the new one, never half of one


def _lines(blob: bytes, start: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of each complete line from ``start``; a partial last line is left out."""
    position = start
    while (end := blob.find(b"\n", position)) >= 0:
        yield position, blob[position:end].decode("utf-8", errors="replace")
        position = end + 1


def _digest(blob: bytes, size: int) -> str:
    return hashlib.sha256(memoryview(blob)[:size]).hexdigest()


def _reusable(cached: _Cached | None, blobs: dict[str, bytes]) -> bool:
    """True when every cached shard is still there and has only grown at its end."""
    if cached is None or not set(cached.sources) <= set(blobs):
        return False
    for location, source in cached.sources.items():
        size = int(source["size"])
        blob = blobs[location]
        if len(blob) < size or _digest(blob, size) != source["digest"]:
            return False  # rewritten or cut: history is append-only, so start again
    return True


def _refresh(
    system: str, month: str, shards: Sequence[Shard], quorum: int, cached: _Cached | None
) -> tuple[list[DailyRollup], dict[str, Any]]:
    """The month's rollups, recomputing only the days that new rows touch.

    Shards only grow, so rows after the cached size are new; the days they fall on are
    recomputed from every location's rows of those days (a round combines locations), and the
    days before them are kept from the cache. Each shard's prefix is checked against its
    cached digest: a shard rewritten by hand is rebuilt in full.
    """
    # Stat before reading: rows appended meanwhile only make the next load look again.
    # Keyed by shard (a raw month file or a sealed day's archive, unpacked), not location.
    stats = {s.key: s.path.stat() for s in shards}
    blobs = {s.key: s.read_bytes() for s in shards}
    old = cached if _reusable(cached, blobs) else None
    old_sources: dict[str, Any] = old.sources if old is not None else {}
    tail_days = {
        text[:10]
        for location, blob in blobs.items()
        for _, text in _lines(blob, int(old_sources.get(location, {}).get("size", 0)))
        if text[:7] == month
    }
    first = min(tail_days, default="~")  # "~" sorts after every day: nothing to recompute
    if old is None:
        first = ""
    rows: list[ProbeResult] = []
    sources: dict[str, Any] = {}
    for shard in shards:
        blob = blobs[shard.key]
        source = old_sources.get(shard.key, {"size": 0, "days": {}})
        kept = {d: o for d, o in source["days"].items() if d < first}
        later = [o for d, o in source["days"].items() if d >= first]
        start = min(later, default=int(source["size"])) if first else 0
        texts = []
        for offset, text in _lines(blob, start):
            day = text[:10]
            if text[:7] == month and day >= first:
                texts.append(text)
                kept.setdefault(day, offset)
        rows.extend(parse_rows(texts, system=system, location=shard.location)[0])
        complete = blob.rfind(b"\n") + 1
        stat = stats[shard.key]
        sources[shard.key] = {
            "stat": [stat.st_size, stat.st_mtime_ns],
            "size": complete,
            "digest": _digest(blob, complete),
            "days": kept,
        }
    earlier = [r for r in old.rollups if r.day.isoformat() < first] if old is not None else []
    fresh = rollup_rounds(system, combine_locations(rows, quorum=quorum))
    return earlier + fresh, sources


def _unchanged(cached: _Cached | None, shards: Sequence[Shard]) -> bool:
    if cached is None or set(cached.sources) != {s.key for s in shards}:
        return False
    for shard in shards:
        stat = shard.path.stat()
        if cached.sources[shard.key].get("stat") != [stat.st_size, stat.st_mtime_ns]:
            return False
    return True


def _load(
    history_root: Path,
    cache_root: Path,
    systems: Iterable[str],
    quorum: int,
    progress: Progress | None,
) -> dict[str, list[DailyRollup]]:
    wanted = list(dict.fromkeys(systems))
    months: dict[tuple[str, str], list[Shard]] = defaultdict(list)
    for shard in list_shards(history_root, systems=wanted):
        months[(shard.system, shard.month)].append(shard)
    result: dict[str, list[DailyRollup]] = {system: [] for system in wanted}
    for done, ((system, month), shards) in enumerate(sorted(months.items()), start=1):
        key: dict[str, object] = {
            "version": CACHE_VERSION,
            "system": system,
            "month": month,
            "quorum": quorum,
        }
        path = cache_root / system / f"{month}.json"
        cached = _read_cache(path, key)
        if _unchanged(cached, shards):
            assert cached is not None
            rollups = cached.rollups
        else:
            rollups, sources = _refresh(system, month, shards, quorum, cached)
            _write_cache(path, key, rollups, sources)
        result[system].extend(rollups)
        if progress is not None:
            progress(done, len(months))
    for system in wanted:
        _drop_orphans(cache_root / system, {m for s, m in months if s == system})
    return result


def _drop_orphans(folder: Path, months: set[str]) -> None:
    """Remove cached months whose shards are gone, so the cache never outlives its source."""
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.stem not in months:
                path.unlink(missing_ok=True)


def load_rollups(
    history_root: Path, cache_root: Path, *, systems: Iterable[str], quorum: int = 1
) -> dict[str, list[DailyRollup]]:
    """Daily rollups per system (days ascending; [] for a system with no history).

    Months whose shards are unchanged since they were cached are read from ``cache_root``;
    the others are rebuilt from raw rows and cached.
    """
    return _load(history_root, cache_root, systems, quorum, None)


def rebuild_rollups(
    history_root: Path,
    cache_root: Path,
    *,
    systems: Iterable[str],
    quorum: int = 1,
    progress: Progress | None = None,
) -> dict[str, list[DailyRollup]]:
    """Throw the cached rollups of ``systems`` away and build them again from raw rows."""
    wanted = list(dict.fromkeys(systems))
    for system in wanted:
        shutil.rmtree(cache_root / system, ignore_errors=True)
    return _load(history_root, cache_root, wanted, quorum, progress)


def recent_rounds(
    history_root: Path,
    system: str,
    since: datetime,
    quorum: int = 1,
    *,
    until: datetime | None = None,
) -> list[Round]:
    """The rounds of ``system`` at or after ``since`` (and at or before ``until``, if given),
    reading only the shards that cover that period."""
    first = f"{since.astimezone(UTC):%Y-%m}"
    last = f"{until.astimezone(UTC):%Y-%m}" if until is not None else None
    # Times are written YYYY-MM-DDTHH:MM:SSZ, which sorts as text sorts: rows outside the
    # period are skipped by a string comparison, without being parsed.
    key = format_time(since)
    end_key = format_time(until) if until is not None else None
    rows: list[ProbeResult] = []
    for shard in list_shards(history_root, systems=[system]):
        if shard.month < first or (last is not None and shard.month > last):
            continue
        lines = shard.read_bytes().decode("utf-8", errors="replace").split("\n")
        lines.pop()  # "" after the last newline, or a partial line from a killed run
        recent = [
            line for line in lines if line[:20] >= key and (end_key is None or line[:20] <= end_key)
        ]
        parsed, _ = parse_rows(recent, system=system, location=shard.location)
        rows.extend(r for r in parsed if r.time >= since and (until is None or r.time <= until))
    return combine_locations(rows, quorum=quorum)
