"""Load and validate content from the repository; the only module that reads content files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from portal.access import check_access
from portal.errors import ContentError, Problem
from portal.graphs import find_cycles
from portal.models.catalog import Catalog, PortalSettings, Role, System, Team
from portal.models.common import ContentModel
from portal.validation import validate_document
from portal.yamlio import Document, load_document

__all__ = ["CATALOG_SPECIAL_FILES", "load_catalog", "merge_override"]

CATALOG_SPECIAL_FILES = frozenset({"portal.yml", "teams.yml", "roles.yml"})

M = TypeVar("M", bound=BaseModel)


class TeamsFile(ContentModel):
    teams: list[Team] = Field(min_length=1)


class RolesFile(ContentModel):
    roles: list[Role] = Field(min_length=1)


class _Collector:
    """Gathers every problem so validation reports them all at once, like mkdocs' Config."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def document(self, path: Path, root: Path) -> Document | None:
        try:
            return load_document(path, root=root)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def model(self, doc: Document, model: type[M], data: Any = None) -> M | None:
        try:
            return validate_document(doc, model, data=data)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def add(self, doc: Document, path: tuple[str | int, ...], message: str) -> None:
        field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(
            ".[", "["
        )
        self.problems.append(Problem(doc.file, doc.positions.line_for(path), field, message))


def merge_override(data: Any, override: Any) -> Any:
    """Deep-merge ``override`` into ``data``: mappings merge, anything else replaces."""
    if isinstance(data, Mapping) and isinstance(override, Mapping):
        merged = dict(data)
        for key, value in override.items():
            merged[key] = merge_override(data.get(key), value) if key in data else value
        return merged
    return override


def _unique(
    collector: _Collector, doc: Document, key: str, records: Iterable[Team | Role]
) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for index, record in enumerate(records):
        if record.id in seen:
            collector.add(
                doc, (key, index, "id"), f'"{record.id}" is used twice; ids must be unique'
            )
        seen[record.id] = record
    return seen


def load_catalog(
    root: Path, *, override: Path | None = None
) -> tuple[Catalog, dict[str, Document]]:
    """Load ``catalog/`` under ``root``; raise ContentError listing every problem found.

    ``override`` is a YAML file of the form ``systems: {id: {...}}`` merged into the matching
    system files before validation (the demo points health checks at a local estate with it).
    """
    collector = _Collector()
    folder = root / "catalog"
    if not folder.is_dir():
        raise ContentError(
            [Problem("catalog", 0, "", "folder not found; run from the repository root")]
        )

    overrides: dict[str, Any] = {}
    if override is not None:
        doc = collector.document(override, root)
        if doc is not None:
            data = doc.data or {}
            if not isinstance(data, dict) or set(data) - {"systems"}:
                collector.add(doc, (), "an override file holds one key, systems: {id: {fields}}")
            else:
                overrides = dict(data.get("systems") or {})

    portal = teams = roles = None
    portal_doc = collector.document(folder / "portal.yml", root)
    if portal_doc is not None:
        portal = collector.model(portal_doc, PortalSettings)
    if (doc := collector.document(folder / "teams.yml", root)) is not None and (
        tf := collector.model(doc, TeamsFile)
    ):
        teams = _unique(collector, doc, "teams", tf.teams)
    if (doc := collector.document(folder / "roles.yml", root)) is not None and (
        rf := collector.model(doc, RolesFile)
    ):
        roles = _unique(collector, doc, "roles", rf.roles)

    systems: dict[str, System] = {}
    docs: dict[str, Document] = {}
    for path in sorted(folder.glob("*.yml")):
        if path.name in CATALOG_SPECIAL_FILES:
            continue
        doc = collector.document(path, root)
        if doc is None:
            continue
        data = doc.data
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            data = merge_override(data, overrides.pop(data["id"], {}))
        system = collector.model(doc, System, data)
        if system is None:
            continue
        if system.id != path.stem:
            collector.add(doc, ("id",), f'must match the file name "{path.stem}"')
        systems[system.id] = system
        docs[system.id] = doc
    for unknown in overrides:
        collector.problems.append(
            Problem(
                str(override),
                1,
                f"systems.{unknown}",
                "override names a system not in the catalogue",
            )
        )

    if portal is None or teams is None or roles is None:
        raise ContentError(collector.problems)
    catalog = Catalog(portal=portal, teams=teams, roles=roles, systems=systems)
    # Check references among the records that did validate, so one run reports everything;
    # a system whose file failed validation still exists as far as others' references go.
    known = {path.stem for path in folder.glob("*.yml")} - {
        Path(name).stem for name in CATALOG_SPECIAL_FILES
    }
    collector.problems.extend(check_catalog_references(catalog, docs, known_systems=known))
    collector.problems.extend(check_access(catalog, docs))
    if portal_doc is not None:
        for i, role in enumerate(portal.engineer_roles):
            if role not in roles:
                collector.add(
                    portal_doc,
                    ("engineer_roles", i),
                    f'no role "{role}"; known roles: {", ".join(sorted(roles))}',
                )
    if collector.problems:
        raise ContentError(collector.problems)
    return catalog, docs


def check_catalog_references(
    catalog: Catalog, docs: Mapping[str, Document], *, known_systems: Iterable[str] = ()
) -> list[Problem]:
    """Every team, role and system a record names must exist; dependencies must not loop."""
    collector = _Collector()
    teams = sorted(catalog.teams)
    roles = sorted(catalog.roles)
    all_systems = set(catalog.systems) | set(known_systems)
    systems = sorted(all_systems)
    for system in catalog.systems.values():
        doc = docs[system.id]
        if system.team not in catalog.teams:
            collector.add(
                doc, ("team",), f'no team "{system.team}"; known teams: {", ".join(teams)}'
            )
        for i, role in enumerate(system.users):
            if role not in catalog.roles:
                collector.add(
                    doc, ("users", i), f'no role "{role}"; known roles: {", ".join(roles)}'
                )
        for i, dep in enumerate(system.depends_on):
            if dep not in all_systems:
                collector.add(
                    doc,
                    ("depends_on", i),
                    f'no system "{dep}"; known systems: {", ".join(systems)}',
                )
        if system.access is not None:
            for path, role in _access_roles(system):
                if role not in catalog.roles:
                    collector.add(doc, path, f'no role "{role}"; known roles: {", ".join(roles)}')
    for cycle in dependency_cycles(catalog.systems):
        doc = docs[cycle[0]]
        collector.add(doc, ("depends_on",), "dependency cycle: " + " -> ".join(cycle))
    return collector.problems


def _access_roles(system: System) -> list[tuple[tuple[str | int, ...], str]]:
    assert system.access is not None
    access = system.access
    found: list[tuple[tuple[str | int, ...], str]] = [(("access", "approver"), access.approver)]
    found += [(("access", "deputies", i), role) for i, role in enumerate(access.deputies)]
    found += [(("access", "levels", i, "role"), lv.role) for i, lv in enumerate(access.levels)]
    return found


def dependency_cycles(systems: Mapping[str, System]) -> list[list[str]]:
    """Each dependency cycle once, as a path that starts and ends at its smallest id."""
    return find_cycles({system_id: s.depends_on for system_id, s in systems.items()})
