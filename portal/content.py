"""All the content of the repository, loaded and cross-checked in one call.

Each content type has its own model module and loader; this module runs them all, gathers
every problem from every file, checks references between types (a roadmap item's systems, a
module's prerequisites, an access policy's training) and returns one immutable ``Content``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from portal.access import unconfirmed_data
from portal.engineer_docs import EngineerDoc, doc_warnings, load_engineer_docs
from portal.errors import ContentError, Problem
from portal.hand_written import check_hand_written_pages
from portal.load import load_catalog
from portal.load_roadmap import read_roadmap
from portal.load_status import load_incidents, load_maintenance
from portal.load_training import check_access_training, load_training
from portal.models.catalog import Catalog
from portal.models.common import Reviewed
from portal.models.incidents import Incident, Maintenance
from portal.models.roadmap import RoadmapItem
from portal.models.training import Training
from portal.roadmap import is_stale
from portal.yamlio import Document, load_document

__all__ = ["Content", "check_cross_references", "content_warnings", "load_content"]


@dataclass(frozen=True)
class Content:
    catalog: Catalog
    # Where each record came from, for located warnings and Markdown bodies:
    # "systems/<id>", "incidents/<id>", "maintenance/<id>", "roadmap/<id>",
    # "training/course/<id>", "training/module/<id>" -> its document;
    # "portal" -> catalog/portal.yml.
    sources: dict[str, Document]
    incidents: tuple[Incident, ...] = ()
    maintenance: tuple[Maintenance, ...] = ()
    roadmap: tuple[RoadmapItem, ...] = ()
    training: Training = field(default_factory=Training)
    # Hand-written engineer docs declared by the catalogue, by system then reading order.
    engineer_docs: tuple[EngineerDoc, ...] = ()

    def docs_for(self, system_id: str) -> tuple[EngineerDoc, ...]:
        return tuple(doc for doc in self.engineer_docs if doc.system == system_id)


T = TypeVar("T")


def _gather(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """Run one loader; keep its problems and carry on, so one run reports everything."""
    try:
        return load()
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def load_content(root: Path, *, override: Path | None = None, today: date | None = None) -> Content:
    """Load every content type under ``root``; ContentError lists every problem found.

    ``today`` is the build's date (default: today in UTC): dated content after it, such as a
    roadmap update, is an error.
    """
    today = today or datetime.now(UTC).date()
    problems: list[Problem] = []
    loaded_catalog = _gather(problems, lambda: load_catalog(root, override=override))
    loaded_incidents = _gather(problems, lambda: load_incidents(root))
    loaded_maintenance = _gather(problems, lambda: load_maintenance(root))
    # Roadmap items that break a rule are still returned, so their references are checked too.
    roadmap = read_roadmap(root, today=today)
    problems.extend(roadmap.problems)
    problems.extend(check_hand_written_pages(root))
    # Training is checked even when the catalogue failed, so one run reports both; its roles
    # and systems are then left unchecked rather than all reported as unknown.
    known = loaded_catalog[0] if loaded_catalog is not None else None
    loaded_training = _gather(
        problems,
        lambda: load_training(
            root,
            roles=set(known.roles) if known else None,
            systems=set(known.systems) if known else None,
        ),
    )
    if loaded_catalog is not None and loaded_training is not None:
        problems += check_access_training(
            loaded_catalog[0].systems, loaded_catalog[1], loaded_training[0]
        )
    if (
        loaded_catalog is None
        or loaded_incidents is None
        or loaded_maintenance is None
        or loaded_training is None
    ):
        raise ContentError(problems)
    catalog, system_docs = loaded_catalog
    incidents, incident_docs = loaded_incidents
    maintenance, maintenance_docs = loaded_maintenance
    # Engineer docs need the catalogue (it declares them), so they load once it is valid.
    engineer_docs = _gather(problems, lambda: load_engineer_docs(root, catalog, system_docs))
    sources = {f"systems/{key}": doc for key, doc in system_docs.items()}
    sources |= {f"incidents/{key}": doc for key, doc in incident_docs.items()}
    sources |= {f"maintenance/{key}": doc for key, doc in maintenance_docs.items()}
    sources |= {f"roadmap/{key}": doc for key, doc in roadmap.docs.items()}
    training, training_docs = loaded_training
    sources |= {f"training/{key}": doc for key, doc in training_docs.items()}
    # Read again for its line numbers only: warnings about portal settings point into it.
    sources["portal"] = load_document(root / "catalog" / "portal.yml", root=root)
    content = Content(
        catalog=catalog,
        sources=sources,
        incidents=tuple(sorted(incidents, key=lambda i: (i.started, i.id), reverse=True)),
        maintenance=tuple(sorted(maintenance, key=lambda m: (m.starts, m.id))),
        roadmap=roadmap.items,
        training=training,
        engineer_docs=engineer_docs or (),
    )
    problems += check_cross_references(content)
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
    for item in content.roadmap:
        problems += _unknown_systems(content, "roadmap", item.id, item.systems)
        if item.team not in content.catalog.teams:
            doc = content.sources[f"roadmap/{item.id}"]
            teams = ", ".join(sorted(content.catalog.teams))
            problems.append(
                Problem(
                    doc.file,
                    doc.positions.line_for(("team",)),
                    "team",
                    f'no team "{item.team}"; known teams: {teams}',
                )
            )
    return problems


def content_warnings(content: Content, *, today: date) -> list[Problem]:
    """Things that do not stop the build but someone should act on: overdue reviews (systems,
    courses, modules), engineer docs still marked incomplete, lawful bases and retention the
    owner team has not confirmed, and roadmap items in "now" that nobody has updated for a
    while."""
    records: list[tuple[str, Reviewed]] = [
        (f"systems/{s.id}", s) for s in content.catalog.systems.values()
    ]
    records += [(f"training/course/{c.id}", c) for c in content.training.courses.values()]
    records += [(f"training/module/{m.id}", m) for m in content.training.modules.values()]
    warnings = doc_warnings(content.engineer_docs, content.catalog, today=today)
    system_docs = {s: content.sources[f"systems/{s}"] for s in content.catalog.systems}
    warnings += unconfirmed_data(content.catalog, system_docs)
    for key, record in records:
        if record.review_due() < today:
            doc = content.sources[key]
            warnings.append(
                Problem(
                    doc.file,
                    doc.positions.line_for(("last_reviewed",)),
                    "last_reviewed",
                    f"review overdue since {record.review_due():%d %b %Y}; check the record "
                    "is still true and update last_reviewed",
                    severity="warning",
                )
            )
    warnings.extend(_roadmap_warnings(content, today=today))
    return sorted(warnings)


def _roadmap_warnings(content: Content, *, today: date) -> list[Problem]:
    settings = content.catalog.portal.roadmap
    warnings = []
    for item in content.roadmap:
        if is_stale(item, today=today, days=settings.stale_now_days):
            doc = content.sources[f"roadmap/{item.id}"]
            last = len(item.updates) - 1
            warnings.append(
                Problem(
                    doc.file,
                    doc.positions.line_for(("updates", last)),
                    "updates",
                    f'in "now" but not updated for {(today - item.last_updated).days} days'
                    f" (the limit is {settings.stale_now_days}); add an update saying where"
                    " it stands",
                    severity="warning",
                )
            )
    portal_doc = content.sources.get("portal")
    if content.roadmap and portal_doc is not None and settings.next_review < today:
        warnings.append(
            Problem(
                portal_doc.file,
                portal_doc.positions.line_for(("roadmap", "next_review")),
                "roadmap.next_review",
                f"the roadmap review was due on {settings.next_review}; review the items and"
                " set the next date",
                severity="warning",
            )
        )
    return warnings
