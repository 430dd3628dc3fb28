"""The site context: everything a page builder may read, computed once per build (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.results import ProbeResult
from portal.content import Content
from portal.dependencies import affected_by
from portal.health import SystemHealth, system_health, windows_for
from portal.history_data import SystemHistory, from_rows
from portal.models.catalog import Catalog, System
from portal.outages import MeasuredOutage, measured_outages

__all__ = [
    "FUNCTION_LABELS",
    "Overall",
    "SiteContext",
    "affected_tools",
    "build_context",
    "build_context_from",
    "headline",
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
    # Tool id -> the down tools it needs, directly or through others (a down tool is not
    # listed: it is down, whatever it needs). The dependency map marks the same tools.
    affected: Mapping[str, tuple[str, ...]]
    headline: str  # the overall state, naming the tools that are not operational
    outages: Mapping[str, tuple[MeasuredOutage, ...]]  # per tool, newest first

    def all_outages(self) -> list[MeasuredOutage]:
        """Every tool's measured outages, newest first."""
        found = [o for outages in self.outages.values() for o in outages]
        return sorted(found, key=lambda o: (o.start, o.system), reverse=True)

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


def affected_tools(
    systems: Mapping[str, System], statuses: Mapping[str, SystemHealth]
) -> dict[str, tuple[str, ...]]:
    """Tool id -> the down tools it depends on (directly or not), by name; down tools left out."""
    causes: dict[str, set[str]] = {}
    for down in (s for s, health in statuses.items() if health.state == "down"):
        for dependent in affected_by(systems, [down]):
            if statuses[dependent].state != "down":
                causes.setdefault(dependent, set()).add(down)
    return {
        system_id: tuple(sorted(found, key=lambda s: (systems[s].name.lower(), s)))
        for system_id, found in sorted(causes.items())
    }


_NAMED_STATES = (("down", "down"), ("degraded", "degraded"), ("maintenance", "under maintenance"))


def headline(
    overall: Overall,
    systems: Mapping[str, System],
    statuses: Mapping[str, SystemHealth],
    affected: Mapping[str, Sequence[str]],
) -> str:
    """``"Partial outage: Login down, Dialogue degraded; affected: Chatter, Events"``.

    A label alone ("Partial outage") makes every reader open every tool to find what is wrong.
    """

    def names(ids: Iterable[str]) -> list[str]:
        return sorted((systems[s].name for s in ids), key=str.lower)

    parts = []
    for state, word in _NAMED_STATES:
        parts += [f"{n} {word}" for n in names(s for s, h in statuses.items() if h.state == state)]
    unknown = [s for s, h in statuses.items() if h.state is None]
    if len(unknown) < len(statuses):  # all unknown: the label says so, naming all would not help
        parts += [f"{n} no data" for n in names(unknown)]
    text = overall.label + (": " + ", ".join(parts) if parts else "")
    if affected:
        text += "; affected: " + ", ".join(names(affected))
    return text


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
    systems = content.catalog.systems
    overall = overall_status(list(statuses.values()))
    affected = affected_tools(systems, statuses)
    return SiteContext(
        content=content,
        histories=histories,
        now=now,
        statuses=statuses,
        overall=overall,
        newest=newest,
        affected=affected,
        headline=headline(overall, systems, statuses, affected),
        outages={
            system_id: measured_outages(
                system_id,
                systems[system_id].name,
                histories.get(system_id, empty),
                now=now,
                windows=windows_for(system_id, content.maintenance),
            )
            for system_id in sorted(systems)
        },
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
