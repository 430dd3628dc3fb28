"""All the content of the repository, loaded and cross-checked in one call.

Each content type has its own model module and loader; this module runs them all, gathers
every problem from every file, checks references between types (a roadmap item's systems, a
module's prerequisites, an access policy's training) and returns one immutable ``Content``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from portal.errors import ContentError, Problem
from portal.load import load_catalog
from portal.load_status import load_incidents, load_maintenance
from portal.models.catalog import Catalog
from portal.models.incidents import Incident, Maintenance
from portal.yamlio import Document

__all__ = ["Content", "check_cross_references", "content_warnings", "load_content"]


@dataclass(frozen=True)
class Content:
    catalog: Catalog
    # Where each record came from, for located warnings and Markdown bodies:
    # "systems/<id>", "incidents/<id>", "maintenance/<id>" -> its document.
    sources: dict[str, Document]
    incidents: tuple[Incident, ...] = ()
    maintenance: tuple[Maintenance, ...] = ()


T = TypeVar("T")


def _gather(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """Run one loader; keep its problems and carry on, so one run reports everything."""
    try:
        return load()
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def load_content(root: Path, *, override: Path | None = None) -> Content:
    """Load every content type under ``root``; ContentError lists every problem found."""
    problems: list[Problem] = []
    loaded_catalog = _gather(problems, lambda: load_catalog(root, override=override))
    loaded_incidents = _gather(problems, lambda: load_incidents(root))
    loaded_maintenance = _gather(problems, lambda: load_maintenance(root))
    if problems or loaded_catalog is None or loaded_incidents is None or loaded_maintenance is None:
        raise ContentError(problems)
    catalog, system_docs = loaded_catalog
    incidents, incident_docs = loaded_incidents
    maintenance, maintenance_docs = loaded_maintenance
    sources = {f"systems/{key}": doc for key, doc in system_docs.items()}
    sources |= {f"incidents/{key}": doc for key, doc in incident_docs.items()}
    sources |= {f"maintenance/{key}": doc for key, doc in maintenance_docs.items()}
    content = Content(
        catalog=catalog,
        sources=sources,
        incidents=tuple(sorted(incidents, key=lambda i: (i.started, i.id), reverse=True)),
        maintenance=tuple(sorted(maintenance, key=lambda m: (m.starts, m.id))),
    )
    problems = check_cross_references(content)
    if problems:
        raise ContentError(problems)
    return content


def _unknown_systems(
    content: Content, kind: str, record_id: str, systems: list[str]
) -> list[Problem]:
    doc = content.sources[f"{kind}/{record_id}"]
    known = content.catalog.systems
    return [
        Problem(
            doc.file,
            doc.positions.line_for(("systems", i)),
            f"systems[{i}]",
            f'no system "{system}"; known systems: {", ".join(sorted(known))}',
        )
        for i, system in enumerate(systems)
        if system not in known
    ]


def check_cross_references(content: Content) -> list[Problem]:
    """References from one content type to another must resolve."""
    problems: list[Problem] = []
    for incident in content.incidents:
        problems += _unknown_systems(content, "incidents", incident.id, incident.systems)
    for window in content.maintenance:
        problems += _unknown_systems(content, "maintenance", window.id, window.systems)
    return problems


def content_warnings(content: Content, *, today: date) -> list[Problem]:
    """Things that do not stop the build but someone should act on: overdue reviews."""
    warnings = []
    for system in content.catalog.systems.values():
        if system.review_due() < today:
            doc = content.sources[f"systems/{system.id}"]
            warnings.append(
                Problem(
                    doc.file,
                    doc.positions.line_for(("last_reviewed",)),
                    "last_reviewed",
                    f"review overdue since {system.review_due():%d %b %Y}; check the record "
                    "is still true and update last_reviewed",
                    severity="warning",
                )
            )
    return sorted(warnings)
