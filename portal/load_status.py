"""Load written incidents (``incidents/*.md``) and maintenance windows (``maintenance/*.yml``)."""

from __future__ import annotations

from pathlib import Path

from portal.errors import ContentError, Problem
from portal.models.incidents import Incident, Maintenance
from portal.validation import validate_document
from portal.yamlio import Document, load_document

__all__ = ["load_incidents", "load_maintenance"]


def _located(doc: Document, path: tuple[str | int, ...], field: str, message: str) -> Problem:
    return Problem(doc.file, doc.positions.line_for(path), field, message)


def incident_problems(incident: Incident, doc: Document) -> list[Problem]:
    """Rules that need more than one field; each located at the field to change."""
    problems = []
    if incident.resolved is not None and incident.resolved < incident.started:
        problems.append(
            _located(doc, ("resolved",), "resolved", "is before started; fix either time")
        )
    for i, (earlier, later) in enumerate(zip(incident.updates, incident.updates[1:], strict=False)):
        if later.at < earlier.at:
            problems.append(
                _located(
                    doc,
                    ("updates", i + 1, "at"),
                    f"updates[{i + 1}].at",
                    "is earlier than the update before it; list updates oldest first",
                )
            )
    if incident.updates[0].at < incident.started:
        problems.append(
            _located(
                doc,
                ("updates", 0, "at"),
                "updates[0].at",
                "is before the incident started; move started earlier or fix the time",
            )
        )
    last = len(incident.updates) - 1
    if incident.updates[-1].state == "resolved" and incident.resolved is None:
        problems.append(
            _located(
                doc,
                ("updates", last, "state"),
                f"updates[{last}].state",
                "is resolved but the incident has no resolved time; add resolved:",
            )
        )
    if incident.resolved is not None and incident.updates[-1].state != "resolved":
        problems.append(
            _located(
                doc,
                ("resolved",),
                "resolved",
                "is set but the last update's state is not resolved; add a resolved update",
            )
        )
    return problems


def load_incidents(root: Path) -> tuple[list[Incident], dict[str, Document]]:
    problems: list[Problem] = []
    incidents: list[Incident] = []
    docs: dict[str, Document] = {}
    for path in sorted((root / "incidents").glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            doc = load_document(path, root=root)
            incident = validate_document(doc, Incident)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if incident.id != path.stem:
            problems.append(_located(doc, ("id",), "id", f'must match the file name "{path.stem}"'))
        problems.extend(incident_problems(incident, doc))
        incidents.append(incident)
        docs[incident.id] = doc
    if problems:
        raise ContentError(problems)
    return incidents, docs


def load_maintenance(root: Path) -> tuple[list[Maintenance], dict[str, Document]]:
    problems: list[Problem] = []
    windows: list[Maintenance] = []
    docs: dict[str, Document] = {}
    for path in sorted((root / "maintenance").glob("*.yml")):
        try:
            doc = load_document(path, root=root)
            window = validate_document(doc, Maintenance)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if window.id != path.stem:
            problems.append(_located(doc, ("id",), "id", f'must match the file name "{path.stem}"'))
        if window.ends <= window.starts:
            problems.append(_located(doc, ("ends",), "ends", "must be after starts"))
        windows.append(window)
        docs[window.id] = doc
    if problems:
        raise ContentError(problems)
    return windows, docs
