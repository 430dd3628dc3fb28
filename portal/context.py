"""The site context: everything a page builder may read, computed once per build (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.results import ProbeResult
from portal.content import Content
from portal.health import SystemHealth, system_health
from portal.history_data import SystemHistory, from_rows
from portal.models.catalog import Catalog, System

__all__ = [
    "FUNCTION_LABELS",
    "Overall",
    "SiteContext",
    "build_context",
    "build_context_from",
    "overall_status",
]

FUNCTION_LABELS: dict[str, str] = {
    "organising": "Organising",
    "voter-contact": "Voter contact",
    "messaging": "Messaging and ads",
    "membership": "Membership",
    "targeting": "Targeting",
    "infrastructure": "Sign-in and infrastructure",
}


@dataclass(frozen=True)
class Overall:
    key: str  # css/state key
    label: str
    indicator: str  # Statuspage's indicator: none, minor, major, critical


@dataclass(frozen=True)
class SiteContext:
    content: Content
    histories: Mapping[str, SystemHistory]
    now: datetime
    statuses: dict[str, SystemHealth]
    overall: Overall
    newest: datetime | None  # the newest probe time of any system

    @property
    def catalog(self) -> Catalog:
        return self.content.catalog

    @property
    def stale(self) -> bool:
        """True when the checks seem to have stopped: no probe within the stale limit."""
        limit = timedelta(minutes=self.catalog.portal.probes.stale_after_minutes)
        return self.newest is not None and self.now - self.newest > limit

    def system_names(self, ids: Sequence[str]) -> str:
        """``["login", "dialogue"]`` -> ``"Login, Dialogue"``."""
        return ", ".join(self.catalog.systems[i].name for i in ids)

    def groups(self) -> list[tuple[str, list[System]]]:
        """Systems grouped by function, in a fixed order, each group sorted by name."""
        groups = []
        for function, label in FUNCTION_LABELS.items():
            members = sorted(
                (s for s in self.catalog.systems.values() if s.function == function),
                key=lambda s: s.name,
            )
            if members:
                groups.append((label, members))
        return groups


def overall_status(statuses: Sequence[SystemHealth]) -> Overall:
    known = [s for s in statuses if s.state is not None]
    if not known:
        return Overall("unknown", "No recent data: status unknown", "none")
    down = sum(1 for s in known if s.state == "down")
    if down and down * 2 > len(statuses):
        return Overall("down", "Major outage", "critical")
    if down:
        return Overall("down", "Partial outage", "major")
    if any(s.state == "degraded" for s in known):
        return Overall("degraded", "Degraded performance", "minor")
    if any(s.state == "maintenance" for s in known):
        return Overall("maintenance", "Planned maintenance in progress", "none")
    if len(known) < len(statuses):
        return Overall("unknown", "Some tools have no recent data", "none")
    return Overall("up", "All tools operational", "none")


def build_context_from(
    content: Content, histories: Mapping[str, SystemHistory], *, now: datetime
) -> SiteContext:
    """The context from each system's history view (rollups plus recent rounds)."""
    probes = content.catalog.portal.probes
    empty = SystemHistory()
    statuses = {
        system_id: system_health(
            system_id,
            histories.get(system_id, empty),
            now=now,
            interval=timedelta(minutes=probes.interval_minutes),
            stale_after=timedelta(minutes=probes.stale_after_minutes),
            maintenance=content.maintenance,
        )
        for system_id in sorted(content.catalog.systems)
    }
    newest = max((s.last_checked for s in statuses.values() if s.last_checked), default=None)
    return SiteContext(
        content=content,
        histories=histories,
        now=now,
        statuses=statuses,
        overall=overall_status(list(statuses.values())),
        newest=newest,
    )


def build_context(
    content: Content, history: Mapping[str, Sequence[ProbeResult]], *, now: datetime
) -> SiteContext:
    """The context from raw rows held in memory (tests and small histories)."""
    quorum = content.catalog.portal.probes.quorum
    return build_context_from(
        content,
        {system: from_rows(rows, quorum=quorum) for system, rows in history.items() if rows},
        now=now,
    )
