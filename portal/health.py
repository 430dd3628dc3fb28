"""Each system's health as the status pages show it: state now, figures, 90 days (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from checks.results import ProbeResult
from portal.models.incidents import Maintenance
from portal.status import combine_locations
from portal.uptime import (
    DaySummary,
    Figure,
    MaintenanceWindow,
    Tally,
    day_range,
    summarise_days,
    tally_between,
)

__all__ = ["BAR_DAYS", "STATE_LABELS", "State", "SystemHealth", "system_health"]

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
    latency_ms: int | None
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


def system_health(
    system: str,
    rows: Sequence[ProbeResult],
    *,
    now: datetime,
    interval: timedelta,
    stale_after: timedelta,
    quorum: int = 1,
    maintenance: Sequence[Maintenance] = (),
) -> SystemHealth:
    rounds = [r for r in combine_locations(rows, quorum=quorum) if r.time <= now]
    windows = windows_for(system, maintenance)
    days = summarise_days(
        rounds,
        days=day_range(now.date(), BAR_DAYS),
        now=now,
        interval=interval,
        windows=windows,
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
        latency_ms=last.latest.latency_ms,
        detail=last.latest.detail,
        stale=stale,
        figures=tuple(figures),
        days=tuple(days),
        maintenance_now=active,
    )
