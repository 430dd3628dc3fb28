"""The generator's one entry point: content and history in, pages written to the docs folder.

This is the edge that does I/O (load content, read cached rollups and recent rounds, write
files); everything between is pure (``build_context_from`` and the page builders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from portal.content import Content, load_content
from portal.context import build_context_from
from portal.history_data import load_histories
from portal.pages import build_pages
from portal.write import write_pages

__all__ = ["Generated", "exact_windows", "generate"]


@dataclass(frozen=True)
class Generated:
    files: int
    written: int
    removed: int


def exact_windows(content: Content) -> dict[str, list[tuple[datetime, datetime]]]:
    """Per system, the periods whose rounds must be judged one by one: planned maintenance
    (failures there are not downtime) and written incidents (compared with measurements)."""
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    for m in content.maintenance:
        for system in m.systems:
            windows.setdefault(system, []).append((m.starts, m.ends))
    for incident in content.incidents:
        end = incident.resolved or incident.updates[-1].at
        for system in incident.systems:
            windows.setdefault(system, []).append((incident.started, end))
    return windows


def generate(root: Path, *, history: Path, docs: Path, now: datetime, cache: Path) -> Generated:
    content = load_content(root, today=now.date())
    histories = load_histories(
        history,
        cache,
        systems=sorted(content.catalog.systems),
        now=now,
        quorum=content.catalog.portal.probes.quorum,
        windows=exact_windows(content),
    )
    pages = build_pages(build_context_from(content, histories, now=now))
    written, removed = write_pages(docs, pages)
    return Generated(len(pages), written, removed)
