"""Load ``roadmap/*.yml`` (one item per file, file name = id) and check the roadmap's rules.

One file per item keeps each change a small reviewable diff and gives every item its own git
history. Pydantic checks each value; the rules here tie values together (a shipped item has a
shipped date and sits in "now"; status changes chain ``from`` the previous ``to``; updates run
oldest first and none is in the future) and are reported with the line of the value at fault.
References to systems and teams are checked in ``portal.content``, which knows the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import get_args

from portal.errors import ContentError, Problem
from portal.models.roadmap import RoadmapItem, Status
from portal.validation import validate_document
from portal.yamlio import Document, load_document

__all__ = ["RESERVED_IDS", "RoadmapFiles", "check_item", "load_roadmap", "read_roadmap"]

# Page names inside roadmap/ that an item's page (roadmap/<id>.md) must not take.
RESERVED_IDS = frozenset({"feed", "index", "shipped", "status", "system", "team"})

_PathKey = tuple[str | int, ...]


def _field(path: _PathKey) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def check_item(item: RoadmapItem, doc: Document, *, stem: str, today: date) -> list[Problem]:
    """Every rule ``item`` breaks beyond its fields' own types, each located in ``doc``."""
    problems: list[Problem] = []

    def add(path: _PathKey, message: str, *, field: str | None = None) -> None:
        line = doc.positions.line_for(path)
        problems.append(Problem(doc.file, line, field or _field(path), message))

    if item.id != stem:
        add(("id",), f'must match the file name "{stem}"')
    if item.id in RESERVED_IDS:
        add(
            ("id",),
            f'"{item.id}" is taken by a roadmap page; choose another id'
            f" (not {', '.join(sorted(RESERVED_IDS))})",
        )
    seen: set[str] = set()
    for index, system in enumerate(item.systems):
        if system in seen:
            add(("systems", index), f'"{system}" is listed twice; list each system once')
        seen.add(system)

    # Shipped items: a date, on or before today, and in the "now" column with dropped ones.
    if item.status == "shipped" and item.shipped is None:
        add(
            ("status",),
            "required when status is shipped; add shipped: YYYY-MM-DD, the day it shipped",
            field="shipped",
        )
    if item.status != "shipped" and item.shipped is not None:
        add(
            ("shipped",),
            f'only a shipped item has a shipped date, and status is "{item.status}";'
            " remove shipped, or record the change to shipped in updates",
        )
    if item.shipped is not None and item.shipped > today:
        add(
            ("shipped",), f"{item.shipped} is in the future (today is {today}); set it once shipped"
        )
    if item.status in {"shipped", "dropped"} and item.horizon != "now":
        add(
            ("horizon",),
            f'a {item.status} item belongs in now, got "{item.horizon}"; set horizon: now',
        )

    problems.extend(_update_problems(item, doc, today=today))
    return problems


def _update_problems(item: RoadmapItem, doc: Document, *, today: date) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: _PathKey, message: str) -> None:
        problems.append(Problem(doc.file, doc.positions.line_for(path), _field(path), message))

    statuses = ", ".join(get_args(Status))
    current: Status | None = None  # the status set by the latest change so far
    changed_at: int | None = None  # which update set it
    for index, update in enumerate(item.updates):
        here: _PathKey = ("updates", index)
        if index and update.date < item.updates[index - 1].date:
            add(
                (*here, "date"),
                f"{update.date} is earlier than the update before it"
                f" ({item.updates[index - 1].date}); list updates oldest first",
            )
        if update.date > today:
            add(
                (*here, "date"),
                f"{update.date} is in the future (today is {today});"
                " add an update on the day it happens",
            )
        if index == 0:
            if update.to is None:
                add(
                    (*here, "to"),
                    f"the first update sets the item's starting status; add to: one of {statuses}",
                )
            if update.from_ is not None:
                add(
                    (*here, "from"),
                    "the first update has no status before it; remove from",
                )
        elif update.to is None and update.from_ is not None:
            add(
                (*here, "to"),
                "a status change needs to: the new status (or remove from for a progress note)",
            )
        elif update.to is not None and current is not None:
            if update.from_ is None:
                add(
                    (*here, "from"),
                    f'a status change needs from: "{current}", the status set by'
                    f" updates[{changed_at}]",
                )
            elif update.from_ != current:
                add(
                    (*here, "from"),
                    f'"{update.from_}" is not the status before this change; updates[{changed_at}]'
                    f' set "{current}"',
                )
            if update.to == current:
                add(
                    (*here, "to"),
                    f'"{update.to}" is the status already; a change moves to another status'
                    " (remove from and to for a progress note)",
                )
        if update.to is not None:
            current, changed_at = update.to, index
    if current is not None and item.status != current:
        add(
            ("status",),
            f'"{item.status}" does not match the latest status change, "{current}" in'
            f" updates[{changed_at}]; make them agree",
        )
    return problems


@dataclass(frozen=True)
class RoadmapFiles:
    """What ``roadmap/`` holds: the items that validated, their documents, every problem."""

    items: tuple[RoadmapItem, ...] = ()
    docs: dict[str, Document] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_roadmap(root: Path, *, today: date) -> RoadmapFiles:
    """Every item under ``root/roadmap`` that validates, sorted by id, and every problem.

    Items that break a rule are kept beside their problems, so references to systems and
    teams can still be checked and one run reports everything.
    """
    folder = root / "roadmap"
    if not folder.is_dir():
        return RoadmapFiles()
    problems: list[Problem] = []
    items: dict[str, RoadmapItem] = {}
    docs: dict[str, Document] = {}
    for path in sorted(folder.glob("*.yaml")):
        file = path.relative_to(root).as_posix()
        problems.append(
            Problem(file, 1, "", f"roadmap items end in .yml; rename to {path.stem}.yml")
        )
    for path in sorted(folder.glob("*.yml")):
        try:
            doc = load_document(path, root=root)
            item = validate_document(doc, RoadmapItem)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(check_item(item, doc, stem=path.stem, today=today))
        # Keyed by id: the documents are how other checks find an item's lines.
        items[item.id] = item
        docs[item.id] = doc
    return RoadmapFiles(tuple(items[key] for key in sorted(items)), docs, problems)


def load_roadmap(root: Path, *, today: date) -> tuple[tuple[RoadmapItem, ...], dict[str, Document]]:
    """Every item under ``root/roadmap`` sorted by id, and its document by id.

    ``today`` is the build's date: an update after it is an error. ContentError lists every
    problem in every file.
    """
    files = read_roadmap(root, today=today)
    if files.problems:
        raise ContentError(files.problems)
    return files.items, files.docs
