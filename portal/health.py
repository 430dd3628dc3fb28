"""Each system's health as the status pages show it: state now, figures, 90 days (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from portal.history_data import SystemHistory
from portal.models.incidents import Maintenance
from portal.uptime import (
    DaySummary,
    Figure,
    MaintenanceWindow,
    Tally,
    day_range,
    expected_rounds,
    summarise_days,
    tally_between,
)

__all__ = [
    "BAR_DAYS",
    "STATE_LABELS",
    "State",
    "SystemHealth",
    "day_summaries",
    "system_health",
    "windows_for",
]

BAR_DAYS = 90
State = Literal["up", "degraded", "down", "maintenance"]
STATE_LABELS: dict[str | None, str] = {
    "up": "Operational",
    "degraded": "Degraded",
    "down": "Down",
    "maintenance": "Under maintenance",
    None: "No data",
}
_PERIODS: tuple[tuple[str, int], ...] = (("7 days", 7), ("30 days", 30), ("90 days", 90))


@dataclass(frozen=True)
class SystemHealth:
    system: str
    state: State | None  # None: unknown (never checked, or checks stale)
    last_checked: datetime | None
    latency_ms: int | None  # of the last check, only if it answered (see Round.response_ms)
    detail: str
    stale: bool
    figures: tuple[Figure, ...]  # 24 hours, 7, 30 and 90 days
    days: tuple[DaySummary, ...]  # the last BAR_DAYS days, oldest first
    maintenance_now: Maintenance | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def figure(self, label: str) -> Figure:
        return next(f for f in self.figures if f.label == label)


def windows_for(system: str, maintenance: Sequence[Maintenance]) -> list[MaintenanceWindow]:
    return [MaintenanceWindow(m.starts, m.ends) for m in maintenance if system in m.systems]


def day_summaries(
    history: SystemHistory,
    *,
    days: Sequence[date],
    now: datetime,
    interval: timedelta,
    windows: Sequence[MaintenanceWindow] = (),
) -> list[DaySummary]:
    """One summary per day: from raw rounds where the day is exact, else from its rollup
    (a day without maintenance: every failed round there is plain downtime)."""
    exact = [d for d in days if d in history.exact_days]
    from_rounds = {
        s.day: s
        for s in summarise_days(
            history.rounds, days=exact, now=now, interval=interval, windows=windows
        )
    }
    summaries = []
    for day in days:
        if day in from_rounds:
            summaries.append(from_rounds[day])
            continue
        start = datetime.combine(day, time(0), tzinfo=UTC)
        expected = expected_rounds(start, min(start + timedelta(days=1), now), interval)
        rollup = history.by_day.get(day)
        if rollup is None:
            summaries.append(DaySummary(day, Tally(expected=expected)))
            continue
        summaries.append(
            DaySummary(
                day,
                Tally(rollup.up, rollup.degraded, rollup.down, 0, expected),
                rollup.latency_p50,
                rollup.latency_p95,
                rollup.latency_max,
            )
        )
    return summaries


def system_health(
    system: str,
    history: SystemHistory,
    *,
    now: datetime,
    interval: timedelta,
    stale_after: timedelta,
    maintenance: Sequence[Maintenance] = (),
) -> SystemHealth:
    rounds = [r for r in history.rounds if r.time <= now]
    windows = windows_for(system, maintenance)
    days = day_summaries(
        history, days=day_range(now.date(), BAR_DAYS), now=now, interval=interval, windows=windows
    )
    figures = [
        Figure(
            "24 hours",
            tally_between(
                rounds, start=now - timedelta(hours=24), end=now, interval=interval, windows=windows
            ),
        )
    ]
    for label, count in _PERIODS:
        total = Tally()
        for summary in days[-count:]:
            total = total + summary.tally
        figures.append(Figure(label, total))
    active = next(
        (m for m in maintenance if system in m.systems and m.starts <= now < m.ends), None
    )
    if not rounds:
        state: State | None = "maintenance" if active else None
        return SystemHealth(
            system, state, None, None, "", False, tuple(figures), tuple(days), active
        )
    last = rounds[-1]
    stale = now - last.time > stale_after
    state = "maintenance" if active else (None if stale else last.outcome)
    return SystemHealth(
        system=system,
        state=state,
        last_checked=last.time,
        latency_ms=last.response_ms,
        detail=last.latest.detail,
        stale=stale,
        figures=tuple(figures),
        days=tuple(days),
        maintenance_now=active,
    )
