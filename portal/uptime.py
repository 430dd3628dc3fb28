"""Uptime maths: pure functions from probe rounds to the figures the status pages show.

The rules, published on the site's method page:
- Each probe round gives one outcome per system (locations combined by the quorum rule).
- A round that failed (degraded or down) inside a planned maintenance window counts as
  *maintenance*: it is neither up nor down.
- Uptime = (up + degraded) / (up + degraded + down), over the rounds that ran. Maintenance
  rounds are left out of both sides.
- Rounds that should have run at the configured interval but did not are *unknown*. They are
  never counted as up; *coverage* = rounds that ran / rounds expected says how much is known.
- Days are UTC days. "7 days" is today (so far) and the six days before it.
- Response times come only from rounds that answered (up or degraded): a down round's
  latency is how long the probe waited, not how fast the tool was.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from checks.rounds import Round

__all__ = [
    "BUCKETS",
    "Bucket",
    "DaySummary",
    "Figure",
    "MaintenanceWindow",
    "Tally",
    "bucket_for",
    "day_range",
    "expected_rounds",
    "percentile",
    "summarise_days",
    "tally_between",
]

Bucket = Literal["up", "degraded", "down", "maintenance"]
BUCKETS: tuple[Bucket, ...] = ("up", "degraded", "down", "maintenance")
# Worst first: the colour of a day is its worst bucket.
_SEVERITY: dict[str, int] = {"down": 3, "degraded": 2, "maintenance": 1, "up": 0}


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    start: datetime
    end: datetime

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def bucket_for(outcome: str, moment: datetime, windows: Sequence[MaintenanceWindow]) -> Bucket:
    if outcome != "up" and any(w.covers(moment) for w in windows):
        return "maintenance"
    return outcome  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Tally:
    up: int = 0
    degraded: int = 0
    down: int = 0
    maintenance: int = 0
    expected: int = 0

    @property
    def observed(self) -> int:
        return self.up + self.degraded + self.down + self.maintenance

    @property
    def counted(self) -> int:
        """Rounds that count towards uptime: maintenance is left out."""
        return self.up + self.degraded + self.down

    @property
    def uptime(self) -> float | None:
        """Percent of counted rounds that were up or degraded; None when none counted."""
        if not self.counted:
            return None
        return 100.0 * (self.up + self.degraded) / self.counted

    @property
    def coverage(self) -> float:
        """Percent of expected rounds that ran (capped at 100: a manual run adds rounds)."""
        if not self.expected:
            return 100.0 if self.observed else 0.0
        return min(100.0, 100.0 * self.observed / self.expected)

    @property
    def unknown(self) -> int:
        return max(0, self.expected - self.observed)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.up + other.up,
            self.degraded + other.degraded,
            self.down + other.down,
            self.maintenance + other.maintenance,
            self.expected + other.expected,
        )


def expected_rounds(start: datetime, end: datetime, interval: timedelta) -> int:
    """Rounds a schedule every ``interval`` runs in (start, end]."""
    if end <= start:
        return 0
    return int((end - start) / interval)


def _tally(buckets: Iterable[Bucket], expected: int) -> Tally:
    counts: dict[str, int] = defaultdict(int)
    for b in buckets:
        counts[b] += 1
    return Tally(counts["up"], counts["degraded"], counts["down"], counts["maintenance"], expected)


def tally_between(
    rounds: Sequence[Round],
    *,
    start: datetime,
    end: datetime,
    interval: timedelta,
    windows: Sequence[MaintenanceWindow] = (),
) -> Tally:
    """Tally of the rounds in (start, end]."""
    return _tally(
        (bucket_for(r.outcome, r.time, windows) for r in rounds if start < r.time <= end),
        expected_rounds(start, end, interval),
    )


def percentile(values: Sequence[int], q: float) -> int | None:
    """Nearest-rank percentile (no interpolation: every figure is a latency that happened)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class DaySummary:
    day: date
    tally: Tally
    latency_p50: int | None = None
    latency_p95: int | None = None
    latency_max: int | None = None

    @property
    def worst(self) -> Bucket | None:
        """The day's worst bucket, or None when no round ran (unknown)."""
        present = [b for b in BUCKETS if getattr(self.tally, b)]
        if not present:
            return None
        return max(present, key=lambda b: _SEVERITY[b])


def day_range(last: date, count: int) -> list[date]:
    """``count`` days ending with ``last``, oldest first."""
    return [last - timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def _day_bounds(day: date, now: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, min(start + timedelta(days=1), now)


def summarise_days(
    rounds: Sequence[Round],
    *,
    days: Sequence[date],
    now: datetime,
    interval: timedelta,
    windows: Sequence[MaintenanceWindow] = (),
) -> list[DaySummary]:
    """One summary per requested day (oldest first), today counted only up to ``now``."""
    wanted = set(days)
    by_day: dict[date, list[Round]] = defaultdict(list)
    for r in rounds:
        if r.time <= now and r.time.date() in wanted:
            by_day[r.time.date()].append(r)
    summaries = []
    for day in days:
        start, end = _day_bounds(day, now)
        todays = by_day.get(day, [])
        latencies = [r.response_ms for r in todays if r.response_ms is not None]
        summaries.append(
            DaySummary(
                day=day,
                tally=_tally(
                    (bucket_for(r.outcome, r.time, windows) for r in todays),
                    expected_rounds(start, end, interval),
                ),
                latency_p50=percentile(latencies, 0.5),
                latency_p95=percentile(latencies, 0.95),
                latency_max=max(latencies) if latencies else None,
            )
        )
    return summaries


@dataclass(frozen=True, slots=True)
class Figure:
    """An uptime figure over a named period, with its coverage."""

    label: str
    tally: Tally
