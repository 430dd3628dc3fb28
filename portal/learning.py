"""Learning paths, course lengths and durations: pure functions over the loaded training.

A role's learning path is every module written for that role (in the courses aimed at it),
plus the modules an access policy asks the role to complete before it may use a tool, plus
whatever those modules need first. Modules needed for access come as early as their
prerequisites allow; the rest follow course by course, in each course's own order.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.graphs import ordered_with_prerequisites
from portal.models.catalog import Catalog, Role, System
from portal.models.training import Course, Module, Training

__all__ = [
    "LENGTH_BANDS",
    "LearningPath",
    "LengthBand",
    "PathStep",
    "iso_duration",
    "learning_path",
    "length_band",
    "module_path",
]


@dataclass(frozen=True)
class LengthBand:
    id: str
    label: str
    longest: int | None  # minutes, inclusive; None: no upper limit


# Course lengths as a learner plans them: an evening, a couple of evenings, a weekend.
LENGTH_BANDS: tuple[LengthBand, ...] = (
    LengthBand("up-to-1-hour", "Up to 1 hour", 60),
    LengthBand("1-to-2-hours", "1 to 2 hours", 120),
    LengthBand("2-to-3-hours", "2 to 3 hours", 180),
    LengthBand("3-to-5-hours", "3 to 5 hours", 300),
    LengthBand("over-5-hours", "Over 5 hours", None),
)


def length_band(minutes: int) -> LengthBand:
    for band in LENGTH_BANDS:
        if band.longest is None or minutes <= band.longest:
            return band
    raise AssertionError("the last band has no upper limit")


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration, as schema.org's ``timeRequired`` wants: ``175`` -> ``PT2H55M``."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def module_path(training: Training, module_id: str) -> str:
    """Where a module's page is, relative to the docs folder: for links from other sections."""
    return f"training/{training.course_of(module_id).id}/{module_id}.md"


@dataclass(frozen=True)
class PathStep:
    module: Module
    course: Course
    for_access: tuple[System, ...]  # tools this module (or a module after it) unlocks
    for_role: bool  # written for the role, in a course aimed at it
    needed_for: tuple[Module, ...]  # later modules in the path that list this one first


@dataclass(frozen=True)
class LearningPath:
    role: Role
    steps: tuple[PathStep, ...]
    access: tuple[tuple[System, tuple[Module, ...]], ...]  # each tool and the training it needs
    courses: tuple[Course, ...]  # courses aimed at the role, in catalogue order

    @property
    def minutes(self) -> int:
        return sum(step.module.duration_minutes for step in self.steps)

    @property
    def module_ids(self) -> tuple[str, ...]:
        return tuple(step.module.id for step in self.steps)


def learning_path(role_id: str, catalog: Catalog, training: Training) -> LearningPath:
    """The ordered modules someone in ``role_id`` should study, and why each is there."""
    courses = tuple(c for c in training.courses.values() if role_id in c.audience)
    for_role = {m.id for c in courses for m in training.modules_of(c) if role_id in m.audience}
    access: list[tuple[System, tuple[Module, ...]]] = []
    for system in sorted(catalog.systems.values(), key=lambda s: s.name.lower()):
        policy = system.access
        if policy is None or not policy.training:
            continue
        if role_id in {level.role for level in policy.levels}:
            access.append((system, tuple(training.modules[m] for m in policy.training)))

    prerequisites = {m.id: m.prerequisites for m in training.modules.values()}
    unlocks: dict[str, list[System]] = {}
    for system, modules in access:
        needed = ordered_with_prerequisites((m.id for m in modules), prerequisites, key=lambda m: m)
        for module_id in needed:
            unlocks.setdefault(module_id, []).append(system)

    course_rank = {course_id: i for i, course_id in enumerate(training.courses)}

    def key(module_id: str) -> tuple[int, int, int]:
        course = training.course_of(module_id)
        early = 0 if module_id in unlocks else 1
        return (early, course_rank[course.id], course.modules.index(module_id))

    order = ordered_with_prerequisites([*for_role, *unlocks], prerequisites, key=key)
    steps = tuple(
        PathStep(
            module=training.modules[m],
            course=training.course_of(m),
            for_access=tuple(unlocks.get(m, ())),
            for_role=m in for_role,
            needed_for=tuple(training.modules[o] for o in order if m in prerequisites[o]),
        )
        for m in order
    )
    return LearningPath(
        role=catalog.roles[role_id], steps=steps, access=tuple(access), courses=courses
    )
