"""The access register: rules every access policy must meet, and the views pages are made of.

Everything here is pure: a catalogue (and its documents, for line numbers) in, problems or
plain records out. Public pages describe process and roles only; nothing here knows or
publishes who holds access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from portal.errors import Problem
from portal.models.catalog import (
    LAWFUL_BASES,
    AccessLevel,
    Catalog,
    Role,
    System,
)
from portal.yamlio import Document

__all__ = [
    "LAWFUL_BASIS_LABELS",
    "LEVEL_LABELS",
    "Approval",
    "Grant",
    "MatrixRow",
    "TrainingLink",
    "access_matrix",
    "approvals_for_role",
    "check_access",
    "grants_for_role",
    "unconfirmed_data",
]

LEVEL_LABELS: dict[str, str] = {"view": "View", "edit": "Edit", "admin": "Admin"}

# Plain names with the UK GDPR Article 6(1) point each basis comes from.
LAWFUL_BASIS_LABELS: dict[str, str] = {
    "consent": "Consent (UK GDPR Article 6(1)(a))",
    "contract": "Contract (UK GDPR Article 6(1)(b))",
    "legal-obligation": "Legal obligation (UK GDPR Article 6(1)(c))",
    "vital-interests": "Vital interests (UK GDPR Article 6(1)(d))",
    "public-task": "Public task (UK GDPR Article 6(1)(e))",
    "legitimate-interests": "Legitimate interests (UK GDPR Article 6(1)(f))",
}


def _field(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def _problem(doc: Document, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(doc.file, doc.positions.line_for(path), _field(path), message)


def _owner(catalog: Catalog, system: System) -> str:
    """The owner team's name (an unknown team is reported with the other references)."""
    team = catalog.teams.get(system.team)
    return team.name if team is not None else "the owner team"


def check_access(catalog: Catalog, docs: Mapping[str, Document]) -> list[Problem]:
    """The access rules beyond field types (unknown roles are checked with other references).

    - every live system has an access policy;
    - every policy names at least one deputy approver, other than the approver (no single
      key-holder), each listed once;
    - each role has at most one level in a policy;
    - personal data a system holds has a lawful basis (access to the system exposes it), and
      says whether the owner team has confirmed it (``confirmed``).
    """
    problems: list[Problem] = []
    bases = ", ".join(sorted(LAWFUL_BASES))
    for system in sorted(catalog.systems.values(), key=lambda s: s.id):
        doc = docs[system.id]
        access = system.access
        if access is None and system.lifecycle == "live":
            problems.append(
                Problem(
                    doc.file,
                    doc.positions.line_for(("lifecycle",)),
                    "access",
                    "a live system needs an access policy: add access with levels, approver, "
                    "deputies, how_to_ask, turnaround_working_days, review_every_months and "
                    "leavers",
                )
            )
        if access is not None:
            if not access.deputies:
                where: tuple[str | int, ...] = (
                    ("access", "deputies")
                    if ("access", "deputies") in doc.positions.lines
                    else ("access", "approver")
                )
                problems.append(
                    Problem(
                        doc.file,
                        doc.positions.line_for(where),
                        "access.deputies",
                        f'no deputy approver: name at least one role besides "{access.approver}" '
                        "that approves when it cannot, so access never rests on one key-holder",
                    )
                )
            seen_deputies: set[str] = set()
            for i, deputy in enumerate(access.deputies):
                if deputy == access.approver:
                    problems.append(
                        _problem(
                            doc,
                            ("access", "deputies", i),
                            f'"{deputy}" is the approver; a deputy must be a different role',
                        )
                    )
                elif deputy in seen_deputies:
                    problems.append(
                        _problem(doc, ("access", "deputies", i), f'"{deputy}" is listed twice')
                    )
                seen_deputies.add(deputy)
            first_level: dict[str, int] = {}
            for i, level in enumerate(access.levels):
                if level.role in first_level:
                    problems.append(
                        _problem(
                            doc,
                            ("access", "levels", i, "role"),
                            f'"{level.role}" already has a level in this policy '
                            f"(levels[{first_level[level.role]}]); give each role one level",
                        )
                    )
                first_level.setdefault(level.role, i)
        team = _owner(catalog, system)
        for i, data in enumerate(system.personal_data):
            if data.confirmed is None:
                problems.append(
                    _problem(
                        doc,
                        ("personal_data", i, "confirmed"),
                        f"say whether the owner team ({team}) has confirmed the lawful basis "
                        "and retention: confirmed: false shows them as proposed; write "
                        "confirmed: true only once the owner team has confirmed them",
                    )
                )
            if data.lawful_basis is None:
                reason = (
                    "access to this system exposes this personal data, so it needs a lawful basis"
                    if access is not None
                    else "personal data needs a lawful basis"
                )
                problems.append(
                    _problem(
                        doc, ("personal_data", i, "lawful_basis"), f"{reason}; use one of: {bases}"
                    )
                )
    return problems


@dataclass(frozen=True)
class TrainingLink:
    """Where a training module's page is, for turning a prerequisite id into a link."""

    title: str
    path: str  # under the docs folder, e.g. "training/<course>/<module>.md"


@dataclass(frozen=True)
class MatrixRow:
    role: Role
    cells: tuple[tuple[System, AccessLevel | None], ...]  # one per system, in column order


def _systems_by_name(catalog: Catalog) -> list[System]:
    return sorted(catalog.systems.values(), key=lambda s: (s.name.lower(), s.id))


def _level_for(system: System, role_id: str) -> AccessLevel | None:
    if system.access is None:
        return None
    return next((lv for lv in system.access.levels if lv.role == role_id), None)


def access_matrix(catalog: Catalog) -> tuple[list[System], list[MatrixRow]]:
    """Columns (systems by name) and one row per role (in roles.yml order) with each level."""
    columns = _systems_by_name(catalog)
    rows = [
        MatrixRow(role, tuple((system, _level_for(system, role.id)) for system in columns))
        for role in catalog.roles.values()
    ]
    return columns, rows


@dataclass(frozen=True)
class Grant:
    system: System
    level: AccessLevel


def grants_for_role(catalog: Catalog, role_id: str) -> list[Grant]:
    """The systems a role may be given access to, with the level, by system name."""
    found = []
    for system in _systems_by_name(catalog):
        level = _level_for(system, role_id)
        if level is not None:
            found.append(Grant(system, level))
    return found


@dataclass(frozen=True)
class Approval:
    system: System
    as_deputy: bool


def approvals_for_role(catalog: Catalog, role_id: str) -> list[Approval]:
    """The systems whose access requests a role approves, as approver or as deputy."""
    found = []
    for system in _systems_by_name(catalog):
        access = system.access
        if access is None:
            continue
        if access.approver == role_id:
            found.append(Approval(system, as_deputy=False))
        elif role_id in access.deputies:
            found.append(Approval(system, as_deputy=True))
    return found


def unconfirmed_data(catalog: Catalog, docs: Mapping[str, Document]) -> list[Problem]:
    """Warnings for each personal-data entry whose lawful basis and retention the owner team
    has not confirmed: the pages show them as proposed until it has."""
    warnings = []
    for system in sorted(catalog.systems.values(), key=lambda s: s.id):
        team = _owner(catalog, system)
        for i, data in enumerate(system.personal_data):
            if data.confirmed is False:
                problem = _problem(
                    docs[system.id],
                    ("personal_data", i, "confirmed"),
                    "the lawful basis and retention are only proposed; ask the owner team "
                    f"({team}) to confirm them, then set confirmed: true",
                )
                warnings.append(replace(problem, severity="warning"))
    return warnings
