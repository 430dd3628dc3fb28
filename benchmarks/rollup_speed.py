"""How fast rollups load: built from raw rows the first time, then from the per-month cache."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.history_size import month_rows
from checks.history import append_results
from checks.results import HEADER, ProbeResult, to_row
from checks.rollups import load_rollups, recent_rounds

__all__ = ["RollupFigures", "measure_rollups"]


@dataclass(frozen=True)
class RollupFigures:
    systems: int
    months: int
    rows: int
    cold_seconds: float
    warm_seconds: float
    refresh_seconds: float
    recent_seconds: float


def measure_rollups(folder: Path, *, systems: int, months: int) -> RollupFigures:
    """Write ``months`` of 5-minute history for ``systems`` systems and time loading it."""
    names = [f"system-{i:02d}" for i in range(systems)]
    rows = 0
    for month in range(1, months + 1):
        for name in names:
            month_of_rows = month_rows(name, 2026, month)
            rows += len(month_of_rows)
            shard = folder / "history" / "github-actions" / name / f"2026-{month:02d}.csv"
            shard.parent.mkdir(parents=True, exist_ok=True)
            shard.write_text(HEADER + "\n" + "".join(map(to_row, month_of_rows)))
    history, cache = folder / "history", folder / "rollups"
    begin = time.perf_counter()
    load_rollups(history, cache, systems=names)
    cold = time.perf_counter() - begin
    begin = time.perf_counter()
    load_rollups(history, cache, systems=names)
    warm = time.perf_counter() - begin
    # The steady state of a site build: one round more since the last build, in every system.
    last = datetime(2026 + months // 12, months % 12 + 1, 1, tzinfo=UTC) - timedelta(minutes=2)
    append_results(
        history,
        [ProbeResult(last, name, "github-actions", "up", 120, 200) for name in names],
    )
    begin = time.perf_counter()
    load_rollups(history, cache, systems=names)
    refresh = time.perf_counter() - begin
    begin = time.perf_counter()
    for name in names:
        recent_rounds(history, name, last - timedelta(days=1), 1)
    recent = time.perf_counter() - begin
    return RollupFigures(systems, months, rows, cold, warm, refresh, recent)
