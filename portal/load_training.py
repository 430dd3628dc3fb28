"""Load and check ``training/``: courses, modules, and the rules of the course format.

Every problem is located in the file and on the line where the author can fix it, and every
problem is reported in one run: a file that fails validation still counts as existing when
other files refer to it, so one mistake does not hide behind another.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from portal.errors import ContentError, Problem
from portal.graphs import find_cycles
from portal.markdown_checks import check_markdown
from portal.models.catalog import System
from portal.models.training import Course, Module, Training
from portal.validation import validate_document
from portal.yamlio import Document, load_document

__all__ = ["check_access_training", "load_training"]

COURSE_FILE = "course.yml"
# Page names the training section generates itself: a course or module may not take them.
RESERVED_COURSE_IDS = frozenset({"audience", "length", "paths"})
RESERVED_MODULE_IDS = frozenset({"handout", "index", "print"})

PathKey = tuple[str | int, ...]
M = TypeVar("M", Course, Module)


def _field(path: PathKey) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def _reserved(name: str, reserved: Collection[str]) -> str:
    return (
        f'"{name}" is the name of a page the site makes itself ({_names(reserved)}); '
        "choose another id"
    )


def _names(ids: Collection[str]) -> str:
    return ", ".join(sorted(ids)) or "none yet"


@dataclass
class _Run:
    """One loading run: the problems found so far and the files read."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, doc: Document, path: PathKey, message: str, *, line: int | None = None) -> None:
        where = doc.positions.line_for(path) if line is None else line
        self.problems.append(Problem(doc.file, where, _field(path), message))

    def document(self, path: Path) -> Document | None:
        try:
            return load_document(path, root=self.root)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def model(self, doc: Document, model: type[M]) -> M | None:
        try:
            return validate_document(doc, model)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def file(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def _check_markdown_fields(run: _Run, doc: Document) -> None:
    """Links and images in every Markdown field of the front matter; no headings there."""
    data = doc.data if isinstance(doc.data, dict) else {}
    paths: list[PathKey] = [("instructor_notes",)]
    paths += [("keypoints", i) for i in range(len(_list(data.get("keypoints"))))]
    paths += [("objectives", i, "text") for i in range(len(_list(data.get("objectives"))))]
    for i in range(len(_list(data.get("exercises")))):
        paths += [("exercises", i, "task"), ("exercises", i, "solution")]
    for i in range(len(_list(data.get("self_checks")))):
        paths += [("self_checks", i, "question"), ("self_checks", i, "answer")]
    for path in paths:
        value = _get(data, path)
        if not isinstance(value, str):
            continue
        key_line = doc.positions.line_for(path)
        # A literal block (|) starts on the line after its key and keeps its line breaks, so
        # its lines map exactly; a one-line value sits on the key's own line.
        block = "\n" in value.rstrip("\n")
        for issue in check_markdown(value, headings=False):
            run.add(doc, path, issue.message, line=key_line + issue.line if block else key_line)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _check_module(
    run: _Run,
    doc: Document,
    module: Module,
    *,
    known_modules: Collection[str],
    roles: Collection[str] | None,
    systems: Collection[str] | None,
) -> None:
    objectives = [o.id for o in module.objectives]
    seen: set[str] = set()
    for i, objective in enumerate(objectives):
        if objective in seen:
            run.add(doc, ("objectives", i, "id"), f'"{objective}" is used twice in this module')
        seen.add(objective)
    assessed: set[str] = set()
    assessing: list[tuple[str, list[list[str]]]] = [
        ("exercises", [e.assesses for e in module.exercises]),
        ("self_checks", [c.assesses for c in module.self_checks]),
    ]
    for kind, lists in assessing:
        for i, targets in enumerate(lists):
            for j, target in enumerate(targets):
                assessed.add(target)
                if target not in seen:
                    run.add(
                        doc,
                        (kind, i, "assesses", j),
                        f'no objective "{target}" in this module; objectives here: {_names(seen)}',
                    )
    for i, objective in enumerate(objectives):
        if objective not in assessed:
            run.add(
                doc,
                ("objectives", i, "id"),
                f'objective "{objective}" is not assessed; add its id to the assesses list of '
                "an exercise or self-check that tests it",
            )
    for i, prerequisite in enumerate(module.prerequisites):
        if prerequisite == module.id:
            run.add(doc, ("prerequisites", i), "a module cannot be its own prerequisite")
        elif prerequisite not in known_modules:
            run.add(
                doc,
                ("prerequisites", i),
                f'no module "{prerequisite}"; prerequisites are module ids from any course',
            )
    if roles is not None:
        _check_roles(run, doc, module.audience, roles)
    if systems is not None:
        for i, system in enumerate(module.systems):
            if system not in systems:
                run.add(
                    doc,
                    ("systems", i),
                    f'no system "{system}"; known systems: {_names(systems)}',
                )
    for issue in check_markdown(doc.body):
        run.add(doc, ("body",), issue.message, line=doc.body_line + issue.line - 1)
    _check_markdown_fields(run, doc)


def _check_roles(run: _Run, doc: Document, audience: list[str], roles: Collection[str]) -> None:
    for i, role in enumerate(audience):
        if role not in roles:
            run.add(doc, ("audience", i), f'no role "{role}"; known roles: {_names(roles)}')


def load_training(
    root: Path,
    *,
    roles: Collection[str] | None = None,
    systems: Collection[str] | None = None,
) -> tuple[Training, dict[str, Document]]:
    """Load ``training/`` under ``root``; ContentError lists every problem found.

    ``roles`` and ``systems`` are the ids audiences and modules may name (None: not checked,
    as when the catalogue itself failed to load). Returns the training and each record's
    document, keyed ``course/<id>`` and ``module/<id>``.
    """
    folder = root / "training"
    if not folder.is_dir():
        return Training(), {}
    run = _Run(root)
    folders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    module_files = {course: sorted(course.glob("*.md")) for course in folders}

    # Where each module id lives, so references to a module whose file failed still resolve.
    homes: dict[str, list[Path]] = {}
    for files in module_files.values():
        for path in files:
            homes.setdefault(path.stem, []).append(path)

    courses: dict[str, Course] = {}
    owners: dict[str, Course] = {}  # folder name -> its course
    docs: dict[str, Document] = {}
    for course_dir in folders:
        path = course_dir / COURSE_FILE
        if not path.exists():
            run.problems.append(
                Problem(
                    run.file(course_dir),
                    0,
                    "",
                    f"course folder has no {COURSE_FILE}; add one naming its modules in order",
                )
            )
            continue
        doc = run.document(path)
        course = run.model(doc, Course) if doc is not None else None
        if doc is None or course is None:
            continue
        if course.id != course_dir.name:
            run.add(doc, ("id",), f'must match the folder name "{course_dir.name}"')
        if course.id in RESERVED_COURSE_IDS:
            run.add(doc, ("id",), _reserved(course.id, RESERVED_COURSE_IDS))
        listed: set[str] = set()
        for i, module_id in enumerate(course.modules):
            if module_id in listed:
                run.add(doc, ("modules", i), f'"{module_id}" is listed twice; list it once')
            listed.add(module_id)
            here = course_dir / f"{module_id}.md"
            if here.exists():
                continue
            elsewhere = [run.file(p) for p in homes.get(module_id, [])]
            hint = (
                f"it is in {', '.join(elsewhere)}; a course lists only the modules in its "
                "own folder (move the file, or list it in that folder's course)"
                if elsewhere
                else f"add {run.file(here)} or remove it from this list"
            )
            run.add(doc, ("modules", i), f'no module "{module_id}" in this course; {hint}')
        if roles is not None:
            _check_roles(run, doc, course.audience, roles)
        courses[course.id] = course
        owners[course_dir.name] = course
        docs[f"course/{course.id}"] = doc

    modules: dict[str, Module] = {}
    bodies: dict[str, str] = {}
    for course_dir, files in module_files.items():
        owner = owners.get(course_dir.name)
        for path in files:
            doc = run.document(path)
            module = run.model(doc, Module) if doc is not None else None
            if doc is None or module is None:
                continue
            if module.id != path.stem:
                run.add(doc, ("id",), f'must match the file name "{path.stem}"')
            if module.id in RESERVED_MODULE_IDS:
                run.add(doc, ("id",), _reserved(module.id, RESERVED_MODULE_IDS))
            others = [run.file(p) for p in homes[path.stem] if p != path]
            if others:
                run.add(
                    doc,
                    ("id",),
                    f'module id "{path.stem}" is also used by {", ".join(others)}; module ids '
                    "must be unique across all courses",
                )
            if owner is not None and path.stem not in owner.modules:
                run.add(
                    doc,
                    ("id",),
                    f'this module is in no course; add "{path.stem}" to modules in '
                    f"{run.file(course_dir / COURSE_FILE)}",
                )
            _check_module(run, doc, module, known_modules=homes, roles=roles, systems=systems)
            modules[module.id] = module
            bodies[module.id] = doc.body
            docs[f"module/{module.id}"] = doc

    for cycle in find_cycles({m.id: m.prerequisites for m in modules.values()}):
        first = modules[cycle[0]]
        doc = docs[f"module/{first.id}"]
        index = first.prerequisites.index(cycle[1])
        run.add(
            doc,
            ("prerequisites", index),
            "prerequisite cycle: "
            + " -> ".join(cycle)
            + "; remove one of these prerequisites so the modules can be studied in order",
        )

    if run.problems:
        raise ContentError(run.problems)
    ordered = dict(sorted(courses.items(), key=lambda item: (item[1].title.lower(), item[0])))
    return Training(courses=ordered, modules=modules, bodies=bodies), docs


def check_access_training(
    systems: Mapping[str, System], docs: Mapping[str, Document], training: Training
) -> list[Problem]:
    """Each access level's ``training`` must name modules that exist."""
    problems = []
    for system in systems.values():
        if system.access is None:
            continue
        doc = docs[system.id]
        for i, level in enumerate(system.access.levels):
            for j, module_id in enumerate(level.training):
                if module_id not in training.modules:
                    path: PathKey = ("access", "levels", i, "training", j)
                    problems.append(
                        Problem(
                            doc.file,
                            doc.positions.line_for(path),
                            _field(path),
                            f'no training module "{module_id}"; use a module id from training/, '
                            "such as one listed in a course.yml",
                        )
                    )
    return problems
