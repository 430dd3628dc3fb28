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
from portal.models.catalog import Catalog
from portal.yamlio import Document

__all__ = ["Content", "content_warnings", "load_content"]


@dataclass(frozen=True)
class Content:
    catalog: Catalog
    # Where each record came from, for located warnings: "systems/<id>" -> its document.
    sources: dict[str, Document]


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
    if problems or loaded_catalog is None:
        raise ContentError(problems)
    catalog, system_docs = loaded_catalog
    sources = {f"systems/{key}": doc for key, doc in system_docs.items()}
    return Content(catalog=catalog, sources=sources)


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
