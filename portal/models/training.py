"""Training: courses, their modules, and what each module teaches and assesses.

A course is ``training/<course-id>/course.yml``; each module is a Markdown file beside it whose
front matter is a ``Module`` and whose body is the teaching. The format is described for
authors in the training brief and checked by ``portal.load_training``.
"""

from __future__ import annotations

from pydantic import Field

from portal.models.common import ContentModel, Id, Reviewed

__all__ = ["Course", "Exercise", "Module", "Objective", "SelfCheck", "Training"]

# Markdown fields are plain strings here; the loader checks their links and images.
_MARKDOWN = "Markdown."


class Objective(ContentModel):
    id: Id = Field(description="Short kebab-case id, unique within the module.")
    text: str = Field(
        min_length=1, description="What the learner will be able to do; starts with a verb."
    )


class Exercise(ContentModel):
    title: str = Field(min_length=1)
    assesses: list[Id] = Field(min_length=1, description="Objective ids of this module.")
    minutes: int = Field(gt=0, description="How long it takes someone working alone.")
    task: str = Field(min_length=1, description=f"What to do, step by step. {_MARKDOWN}")
    solution: str = Field(
        min_length=1, description=f"A worked answer or what a good one contains. {_MARKDOWN}"
    )


class SelfCheck(ContentModel):
    question: str = Field(min_length=1)
    assesses: list[Id] = Field(min_length=1, description="Objective ids of this module.")
    answer: str = Field(min_length=1, description=f"The answer and why. {_MARKDOWN}")


class Module(Reviewed):
    """A module's front matter; the teaching itself is the Markdown body after it."""

    id: Id = Field(description="Equals the file name without .md; unique across all courses.")
    title: str = Field(min_length=1)
    audience: list[Id] = Field(min_length=1, description="Role ids this module is for.")
    duration_minutes: int = Field(gt=0, description="Realistic total: reading and exercises.")
    objectives: list[Objective] = Field(min_length=2, max_length=4)
    prerequisites: list[Id] = Field(
        default_factory=list, description="Module ids (any course) to study first."
    )
    systems: list[Id] = Field(default_factory=list, description="System ids this module teaches.")
    keypoints: list[str] = Field(min_length=3, max_length=5, description="One-line take-aways.")
    exercises: list[Exercise] = Field(min_length=1, max_length=3)
    self_checks: list[SelfCheck] = Field(min_length=2, max_length=4)
    instructor_notes: str = Field(
        min_length=1,
        description=f"For someone running the module as a group session. {_MARKDOWN}",
    )


class Course(Reviewed):
    id: Id = Field(description="Equals the course's folder name.")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="What you will be able to do, and why.")
    audience: list[Id] = Field(min_length=1, description="Role ids this course is for.")
    modules: list[Id] = Field(min_length=1, description="Module ids, in the order to study them.")


class Training(ContentModel):
    """Every course and module after validation, with each module's Markdown body.

    ``courses`` keeps catalogue order (by title); ``modules`` is keyed by id.
    """

    courses: dict[str, Course] = Field(default_factory=dict)
    modules: dict[str, Module] = Field(default_factory=dict)
    bodies: dict[str, str] = Field(default_factory=dict)

    def course_of(self, module_id: str) -> Course:
        for course in self.courses.values():
            if module_id in course.modules:
                return course
        raise KeyError(module_id)

    def modules_of(self, course: Course) -> list[Module]:
        return [self.modules[m] for m in course.modules]

    def minutes(self, course: Course) -> int:
        return sum(m.duration_minutes for m in self.modules_of(course))

    def neighbours(self, module_id: str) -> tuple[Module | None, Module | None]:
        """The modules before and after this one in its course (None at either end)."""
        order = self.course_of(module_id).modules
        at = order.index(module_id)
        before = self.modules[order[at - 1]] if at > 0 else None
        after = self.modules[order[at + 1]] if at + 1 < len(order) else None
        return before, after
