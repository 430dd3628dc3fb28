"""The generator's pure core: content models and history in, page texts out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.results import ProbeResult
from portal.models.catalog import Catalog, System
from portal.render import render
from portal.status import SystemStatus, system_status

__all__ = ["FUNCTION_LABELS", "Overall", "SiteInputs", "build_pages", "overall_status"]

FUNCTION_LABELS: dict[str, str] = {
    "organising": "Organising",
    "voter-contact": "Voter contact",
    "messaging": "Messaging and ads",
    "membership": "Membership",
    "targeting": "Targeting",
    "infrastructure": "Sign-in and infrastructure",
}


@dataclass(frozen=True)
class SiteInputs:
    catalog: Catalog
    history: Mapping[str, Sequence[ProbeResult]]
    now: datetime


@dataclass(frozen=True)
class Overall:
    key: str  # css/state key
    label: str
    indicator: str  # Statuspage's indicator: none, minor, major, critical


def overall_status(statuses: Sequence[SystemStatus]) -> Overall:
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
    if len(known) < len(statuses):
        return Overall("unknown", "Some tools have no recent data", "none")
    return Overall("up", "All tools operational", "none")


def statuses_for(inputs: SiteInputs) -> dict[str, SystemStatus]:
    probes = inputs.catalog.portal.probes
    return {
        system_id: system_status(
            system_id,
            inputs.history.get(system_id, ()),
            now=inputs.now,
            interval=timedelta(minutes=probes.interval_minutes),
            stale_after=timedelta(minutes=probes.stale_after_minutes),
            quorum=probes.quorum,
        )
        for system_id in sorted(inputs.catalog.systems)
    }


def _groups(catalog: Catalog) -> list[tuple[str, list[System]]]:
    groups = []
    for function, label in FUNCTION_LABELS.items():
        members = sorted(
            (s for s in catalog.systems.values() if s.function == function), key=lambda s: s.name
        )
        if members:
            groups.append((label, members))
    return groups


def build_pages(inputs: SiteInputs) -> dict[str, str]:
    """Every generated page, keyed by its path under the docs folder."""
    statuses = statuses_for(inputs)
    overall = overall_status(list(statuses.values()))
    newest = max((s.last_checked for s in statuses.values() if s.last_checked), default=None)
    common = {
        "portal": inputs.catalog.portal,
        "catalog": inputs.catalog,
        "now": inputs.now,
        "statuses": statuses,
        "overall": overall,
        "newest": newest,
        "groups": _groups(inputs.catalog),
        "stale_after": inputs.catalog.portal.probes.stale_after_minutes,
    }
    return {
        "index.md": render("home.md.j2", **common),
        "status/index.md": render("status.md.j2", **common),
    }
