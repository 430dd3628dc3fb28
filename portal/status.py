"""Uptime maths: pure functions from probe rows to the figures the status pages show.

Definitions (also published on the site's method page):
- A *round* is one probe time. With several locations, a round is down only when at least
  ``quorum`` locations saw it down; otherwise the worst of the remaining outcomes counts
  (``checks.rounds``, re-exported here).
- Uptime over a window = (up + degraded rounds) / (rounds with data) in that window.
  Rounds that never ran are *unknown*: they are not counted as up, and the coverage figure
  (rounds with data / rounds expected at the configured interval) says how much is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.results import Outcome, ProbeResult
from checks.rounds import Round, combine_locations

__all__ = [
    "WINDOWS",
    "Round",
    "SystemStatus",
    "UptimeFigure",
    "combine_locations",
    "system_status",
    "uptime",
]

WINDOWS: tuple[tuple[str, timedelta], ...] = (
    ("24 hours", timedelta(hours=24)),
    ("7 days", timedelta(days=7)),
    ("30 days", timedelta(days=30)),
    ("90 days", timedelta(days=90)),
)


@dataclass(frozen=True, slots=True)
class UptimeFigure:
    label: str
    counts: dict[str, int]
    expected: int

    @property
    def observed(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> float | None:
        """Share of observed rounds that were up or degraded; None when nothing was observed."""
        if not self.observed:
            return None
        return 100.0 * (self.counts.get("up", 0) + self.counts.get("degraded", 0)) / self.observed

    @property
    def coverage(self) -> float:
        return 0.0 if not self.expected else min(100.0, 100.0 * self.observed / self.expected)


def uptime(
    rounds: Sequence[Round], *, now: datetime, window: timedelta, label: str, interval: timedelta
) -> UptimeFigure:
    start = now - window
    counts: Counter[str] = Counter(r.outcome for r in rounds if start < r.time <= now)
    return UptimeFigure(label, dict(counts), expected=int(window / interval))


@dataclass(frozen=True, slots=True)
class SystemStatus:
    system: str
    state: Outcome | None  # None: unknown
    last_checked: datetime | None
    latency_ms: int | None
    detail: str
    stale: bool
    figures: tuple[UptimeFigure, ...]

    @property
    def state_label(self) -> str:
        if self.state is None:
            return "No data"
        return {"up": "Operational", "degraded": "Degraded", "down": "Down"}[self.state]


def system_status(
    system: str,
    rows: Sequence[ProbeResult],
    *,
    now: datetime,
    interval: timedelta,
    stale_after: timedelta,
    quorum: int = 1,
) -> SystemStatus:
    rounds = [r for r in combine_locations(rows, quorum=quorum) if r.time <= now]
    figures = tuple(
        uptime(rounds, now=now, window=w, label=label, interval=interval) for label, w in WINDOWS
    )
    if not rounds:
        return SystemStatus(system, None, None, None, "", False, figures)
    last = rounds[-1]
    stale = now - last.time > stale_after
    return SystemStatus(
        system=system,
        state=None if stale else last.outcome,
        last_checked=last.time,
        latency_ms=last.latest.latency_ms,
        detail=last.latest.detail,
        stale=stale,
        figures=figures,
    )
