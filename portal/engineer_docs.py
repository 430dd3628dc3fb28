"""Hand-written engineer docs: ``site_src/systems/<id>/<kind>.md``, declared in the catalogue.

The catalogue says which docs each system has (``docs.pages``); this module checks the two
agree, that every live system has a runbook, and reads each doc's front matter (review dates
and an optional ``status: incomplete`` for skeletons the owner team has still to finish).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from portal.errors import ContentError, Problem
from portal.models.catalog import DOC_KINDS, RESERVED_SYSTEM_IDS, Catalog, DocKind
from portal.models.docs import DocFrontMatter
from portal.validation import validate_document
from portal.yamlio import Document, load_document

__all__ = [
    "DOCS_FOLDER",
    "DOC_LABELS",
    "EngineerDoc",
    "doc_warnings",
    "load_engineer_docs",
]

DOCS_FOLDER = "site_src/systems"
DOC_LABELS: dict[str, str] = {
    "run-locally": "Run it locally",
    "deploy": "Deploy",
    "runbook": "Runbook",
    "architecture": "Architecture",
}
# Written by the generator into each system's folder, never by hand.
_GENERATED = frozenset({"index.md"})


@dataclass(frozen=True)
class EngineerDoc:
    system: str
    kind: DocKind
    front: DocFrontMatter
    source: Document

    @property
    def title(self) -> str:
        return self.front.title or DOC_LABELS[self.kind]

    @property
    def path(self) -> str:
        """Where the page is under the docs folder (and so the site)."""
        return f"systems/{self.system}/{self.kind}.md"

    @property
    def incomplete(self) -> bool:
        return self.front.status == "incomplete"

    def overdue(self, today: date) -> bool:
        return self.front.review_due() < today


def _field(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def load_engineer_docs(
    root: Path, catalog: Catalog, system_docs: Mapping[str, Document]
) -> tuple[EngineerDoc, ...]:
    """Every declared doc, in system then reading order; ContentError lists every problem."""
    problems: list[Problem] = []
    found: list[EngineerDoc] = []
    folder = root / DOCS_FOLDER
    kinds = ", ".join(DOC_KINDS)

    def add(doc: Document, path: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(doc.file, doc.positions.line_for(path), _field(path), message))

    for system in sorted(catalog.systems.values(), key=lambda s: s.id):
        source = system_docs[system.id]
        declared = system.docs.pages
        if system.lifecycle == "live" and "runbook" not in declared:
            where: tuple[str | int, ...] = (
                ("docs", "pages") if ("docs", "pages") in source.positions.lines else ("lifecycle",)
            )
            problems.append(
                Problem(
                    source.file,
                    source.positions.line_for(where),
                    "docs.pages",
                    'a live system needs a runbook: add "runbook" to docs.pages and write '
                    f"{DOCS_FOLDER}/{system.id}/runbook.md",
                )
            )
        for i, kind in enumerate(declared):
            if kind in declared[:i]:
                add(source, ("docs", "pages", i), f'"{kind}" is listed twice')
                continue
            path = folder / system.id / f"{kind}.md"
            if not path.is_file():
                add(
                    source,
                    ("docs", "pages", i),
                    f'"{kind}" is declared but {DOCS_FOLDER}/{system.id}/{kind}.md does not '
                    f'exist; write the page or remove "{kind}" from docs.pages',
                )
                continue
            try:
                doc = load_document(path, root=root)
                front = validate_document(doc, DocFrontMatter)
            except ContentError as exc:
                problems.extend(exc.problems)
                continue
            found.append(EngineerDoc(system.id, kind, front, doc))
        # A page on disk the catalogue does not declare would be published but never linked.
        system_folder = folder / system.id
        if system_folder.is_dir():
            for page in sorted(system_folder.glob("*.md")):
                if page.name in _GENERATED or page.stem in declared:
                    continue
                file = page.relative_to(root).as_posix()
                if page.stem in DOC_KINDS:
                    message = f'not declared in {source.file}: add "{page.stem}" to its docs.pages'
                else:
                    message = f"not a kind of engineer doc; name it one of: {kinds}"
                problems.append(Problem(file, 1, "", message))
    if folder.is_dir():
        for stray in sorted(folder.iterdir()):
            if stray.name in catalog.systems or stray.name in RESERVED_SYSTEM_IDS:
                continue
            for page in sorted(stray.glob("*.md")) if stray.is_dir() else ():
                if page.name not in _GENERATED:
                    problems.append(
                        Problem(
                            page.relative_to(root).as_posix(),
                            1,
                            "",
                            f'no system "{stray.name}" in the catalogue; engineer docs live in '
                            f"{DOCS_FOLDER}/<system id>/",
                        )
                    )
    if problems:
        raise ContentError(problems)
    order = {kind: i for i, kind in enumerate(DOC_KINDS)}
    return tuple(sorted(found, key=lambda d: (d.system, order[d.kind])))


def doc_warnings(docs: Iterable[EngineerDoc], catalog: Catalog, *, today: date) -> list[Problem]:
    """Docs someone should act on: skeletons still incomplete, and reviews overdue."""
    warnings = []
    for doc in docs:
        positions = doc.source.positions
        if doc.incomplete:
            system = catalog.systems[doc.system]
            team = catalog.teams[system.team].name if system.team in catalog.teams else system.team
            warnings.append(
                Problem(
                    doc.source.file,
                    positions.line_for(("status",)),
                    "status",
                    f"incomplete: the owner team ({team}) still has sections to write; "
                    "remove the status line when they are done",
                    severity="warning",
                )
            )
        if doc.overdue(today):
            warnings.append(
                Problem(
                    doc.source.file,
                    positions.line_for(("last_reviewed",)),
                    "last_reviewed",
                    f"review overdue since {doc.front.review_due():%d %b %Y}; check the page is "
                    "still true and update last_reviewed",
                    severity="warning",
                )
            )
    return warnings
