"""Training: the course catalogue and its filters, course and module pages, learning paths,
and a printable copy and an exercises handout of each course.

Every page is complete without JavaScript. ``assets/training-progress.js`` adds ticks and
progress counts where it finds ``data-gh-progress-*`` attributes; ``assets/training-filter.js``
adds an in-page filter to the catalogue, whose filter links work on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.context import SiteContext
from portal.learning import LENGTH_BANDS, LengthBand, learning_path, length_band
from portal.markdown_checks import shift_headings
from portal.models.catalog import Role
from portal.models.common import Reviewed
from portal.models.training import Course, Module
from portal.render import render
from portal.structured_data import course_json_ld, module_json_ld

__all__ = ["CourseCard", "pages"]


@dataclass(frozen=True)
class CourseCard:
    """A course as the catalogue lists it."""

    course: Course
    modules: tuple[Module, ...]
    minutes: int
    band: LengthBand
    audience: tuple[Role, ...]

    @property
    def module_ids(self) -> str:
        return " ".join(m.id for m in self.modules)


def _cards(ctx: SiteContext) -> list[CourseCard]:
    training = ctx.content.training
    roles = ctx.catalog.roles
    return [
        CourseCard(
            course=course,
            modules=tuple(training.modules_of(course)),
            minutes=training.minutes(course),
            band=length_band(training.minutes(course)),
            audience=tuple(roles[r] for r in course.audience),
        )
        for course in training.courses.values()
    ]


def _overdue(record: Reviewed, today: date) -> bool:
    return record.review_due() < today


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    training = ctx.content.training
    catalog = ctx.catalog
    today = ctx.now.date()
    cards = _cards(ctx)
    # Filters offer only what has a course behind it; roles keep roles.yml's order.
    roles = [r for r in catalog.roles.values() if any(r in c.audience for c in cards)]
    bands = [b for b in LENGTH_BANDS if any(c.band == b for c in cards)]
    paths = {role_id: learning_path(role_id, catalog, training) for role_id in catalog.roles}
    common = {"ctx": ctx, "roles": roles, "bands": bands}

    out: dict[str, str | bytes] = {
        "training/index.md": render(
            "training/catalogue.md.j2", cards=cards, heading=None, prefix="", **common
        ),
        "training/paths/index.md": render(
            "training/paths.md.j2", ctx=ctx, paths=list(paths.values())
        ),
    }
    for role in roles:
        chosen = [c for c in cards if role in c.audience]
        out[f"training/audience/{role.id}.md"] = render(
            "training/catalogue.md.j2",
            cards=chosen,
            heading=f"Courses for: {role.name}",
            role=role,
            prefix="../",
            **common,
        )
    for band in bands:
        chosen = [c for c in cards if c.band == band]
        out[f"training/length/{band.id}.md"] = render(
            "training/catalogue.md.j2",
            cards=chosen,
            heading=f"Courses that take {band.label.lower()}",
            role=None,
            prefix="../",
            **common,
        )
    for path in paths.values():
        out[f"training/paths/{path.role.id}.md"] = render("training/path.md.j2", ctx=ctx, path=path)
    for card in cards:
        course = card.course
        folder = f"training/{course.id}"
        # Modules from other courses that this one builds on: listed before its modules.
        outside = sorted(
            {p for m in card.modules for p in m.prerequisites if p not in course.modules},
            key=lambda p: (training.course_of(p).title.lower(), p),
        )
        course_vars = {
            "ctx": ctx,
            "card": card,
            "training": training,
            "overdue": _overdue(course, today),
            "outside": [training.modules[p] for p in outside],
        }
        out[f"{folder}/index.md"] = render(
            "training/course.md.j2",
            json_ld=course_json_ld(catalog, training, course),
            **course_vars,
        )
        out[f"{folder}/print.md"] = render(
            "training/print.md.j2",
            bodies={m.id: shift_headings(training.bodies[m.id], 1) for m in card.modules},
            **course_vars,
        )
        out[f"{folder}/handout.md"] = render("training/handout.md.j2", **course_vars)
        for number, module in enumerate(card.modules, start=1):
            before, after = training.neighbours(module.id)
            out[f"{folder}/{module.id}.md"] = render(
                "training/module.md.j2",
                ctx=ctx,
                card=card,
                training=training,
                module=module,
                number=number,
                body=training.bodies[module.id],
                before=before,
                after=after,
                overdue=_overdue(module, today),
                json_ld=module_json_ld(catalog, training, module),
            )
    return out
