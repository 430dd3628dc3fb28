"""Learning paths, course lengths and durations: pure functions over the loaded training.

A role's learning path is the training the access levels it holds ask for, plus whatever
those modules build on, and nothing else: someone who only reads a tool is not sent through
the training for editing or running it. Modules come course by course, in each course's own
order, each after the modules it builds on. Courses written for the role are listed beside
the path, to take when they help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.access import grants_for_role
from portal.graphs import ordered_with_prerequisites
from portal.models.catalog import AccessLevel, Catalog, Role, System
from portal.models.training import Course, Module, Training

__all__ = [
    "LENGTH_BANDS",
    "LearningPath",
    "LengthBand",
    "LevelTraining",
    "PathStep",
    "iso_duration",
    "learning_path",
    "length_band",
    "module_path",
    "study_order",
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


def study_order(module_ids: Iterable[str], training: Training) -> list[str]:
    """``module_ids`` and everything they build on, each once, in the order to study them:
    course by course in catalogue order, each course in its own order, prerequisites first."""
    prerequisites = {m.id: m.prerequisites for m in training.modules.values()}
    course_rank = {course_id: i for i, course_id in enumerate(training.courses)}

    def key(module_id: str) -> tuple[int, int]:
        course = training.course_of(module_id)
        return (course_rank[course.id], course.modules.index(module_id))

    return ordered_with_prerequisites(module_ids, prerequisites, key=key)


@dataclass(frozen=True)
class PathStep:
    module: Module
    course: Course
    for_access: tuple[System, ...]  # tools whose level (held by the role) names this module
    needed_for: tuple[Module, ...]  # later modules in the path that list this one first


@dataclass(frozen=True)
class LevelTraining:
    """A level the role holds that asks for training, and the modules it names."""

    system: System
    level: AccessLevel
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class LearningPath:
    role: Role
    steps: tuple[PathStep, ...]
    access: tuple[LevelTraining, ...]  # by tool name
    courses: tuple[Course, ...]  # courses aimed at the role, in catalogue order: optional

    @property
    def minutes(self) -> int:
        return sum(step.module.duration_minutes for step in self.steps)

    @property
    def module_ids(self) -> tuple[str, ...]:
        return tuple(step.module.id for step in self.steps)


def learning_path(role_id: str, catalog: Catalog, training: Training) -> LearningPath:
    """The ordered modules someone in ``role_id`` must study for the access levels the role
    holds, and why each is there."""
    access = tuple(
        LevelTraining(
            grant.system, grant.level, tuple(training.modules[m] for m in grant.level.training)
        )
        for grant in grants_for_role(catalog, role_id)
        if grant.level.training
    )
    named: dict[str, list[System]] = {}
    for item in access:
        for module in item.modules:
            named.setdefault(module.id, []).append(item.system)
    order = study_order(named, training)
    steps = tuple(
        PathStep(
            module=training.modules[m],
            course=training.course_of(m),
            for_access=tuple(named.get(m, ())),
            needed_for=tuple(
                training.modules[o] for o in order if m in training.modules[o].prerequisites
            ),
        )
        for m in order
    )
    courses = tuple(c for c in training.courses.values() if role_id in c.audience)
    return LearningPath(role=catalog.roles[role_id], steps=steps, access=access, courses=courses)
