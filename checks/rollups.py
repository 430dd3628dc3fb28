"""Daily rollups of history, cached per system per month, rebuilt from raw rows on demand.

A rollup is one system's UTC day: how many rounds (after the location quorum) were up,
degraded and down, and the latency percentiles of the rounds that answered (up or degraded; a
failed round's "latency" is how long the probe waited, not how fast the tool was). Percentiles
use the nearest-rank method: p50 is the smallest latency at or above half of them.

The cache (``build/rollups/<system>/<YYYY-MM>.json``, git-ignored) keeps each month's rollups
with the size and modification time of every shard it was built from. A month is reused while
its shards are unchanged and rebuilt otherwise, so a build reads raw rows only for the month
being appended to. ``rebuild_rollups`` (``python -m checks rollups --rebuild``) throws the
cache away and builds everything from raw rows.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from checks.history import Shard, list_shards
from checks.results import ProbeResult
from checks.rounds import Round, combine_locations

__all__ = [
    "CACHE_VERSION",
    "DailyRollup",
    "load_rollups",
    "rebuild_rollups",
    "recent_rounds",
    "rollup_rounds",
]

CACHE_VERSION = 1
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
            if one.outcome != "down" and one.latest.latency_ms is not None:
                latencies.append(one.latest.latency_ms)
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


def _fingerprint(shards: Sequence[Shard]) -> dict[str, list[int]]:
    prints = {}
    for shard in shards:
        stat = shard.path.stat()
        prints[shard.location] = [stat.st_size, stat.st_mtime_ns]
    return prints


def _month_rows(shards: Sequence[Shard]) -> list[ProbeResult]:
    rows: list[ProbeResult] = []
    for shard in shards:
        # A row filed under another month (edited by hand) would count twice; keep it out.
        rows.extend(r for r in shard.read().rows if f"{r.time:%Y-%m}" == shard.month)
    return rows


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


def _read_cache(path: Path, key: dict[str, object]) -> list[DailyRollup] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if {k: data.get(k) for k in key} != key:
            return None
        return _from_json(str(key["system"]), data["days"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, stale or damaged: rebuild it


def _write_cache(path: Path, key: dict[str, object], rollups: Sequence[DailyRollup]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({**key, "days": _to_json(rollups)}, separators=(",", ":")), encoding="utf-8"
    )
    temporary.replace(path)  # readers see the old file or the new one, never half of one


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
        # Fingerprint before reading: rows appended meanwhile make the next load rebuild.
        key: dict[str, object] = {
            "version": CACHE_VERSION,
            "system": system,
            "month": month,
            "quorum": quorum,
            "sources": _fingerprint(shards),
        }
        path = cache_root / system / f"{month}.json"
        rollups = _read_cache(path, key)
        if rollups is None:
            rounds = combine_locations(_month_rows(shards), quorum=quorum)
            rollups = rollup_rounds(system, rounds)
            _write_cache(path, key, rollups)
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


def recent_rounds(history_root: Path, system: str, since: datetime, quorum: int = 1) -> list[Round]:
    """The rounds of ``system`` at or after ``since``, reading only the shards that cover it."""
    first = f"{since.astimezone(UTC):%Y-%m}"
    rows: list[ProbeResult] = []
    for shard in list_shards(history_root, systems=[system]):
        if shard.month >= first:
            rows.extend(r for r in shard.read().rows if r.time >= since)
    return combine_locations(rows, quorum=quorum)
