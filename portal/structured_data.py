"""schema.org metadata (JSON-LD) for training pages, so search engines and course
directories can find the courses: ``Course`` for a course, ``LearningResource`` for a module."""

from __future__ import annotations

from typing import Any

from portal.learning import iso_duration
from portal.models.catalog import Catalog
from portal.models.training import Course, Module, Training

__all__ = ["course_json_ld", "module_json_ld"]


def _url(catalog: Catalog, path: str) -> str:
    return catalog.portal.site_url.rstrip("/") + "/" + path


def _provider(catalog: Catalog) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": catalog.portal.organisation,
        "url": catalog.portal.site_url,
    }


def _audience(catalog: Catalog, roles: list[str]) -> list[dict[str, Any]]:
    return [{"@type": "Audience", "audienceType": catalog.roles[r].name} for r in roles]


def _prerequisite_names(training: Training, module_ids: list[str]) -> list[str]:
    return [f"{training.modules[m].title} ({training.course_of(m).title})" for m in module_ids]


def course_json_ld(catalog: Catalog, training: Training, course: Course) -> dict[str, Any]:
    modules = training.modules_of(course)
    # Prerequisites from outside the course: inside it, the module order already covers them.
    outside = sorted(
        {p for m in modules for p in m.prerequisites if p not in course.modules},
        key=lambda p: (training.course_of(p).title, p),
    )
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": _url(catalog, f"training/{course.id}/"),
        "inLanguage": "en-GB",
        "isAccessibleForFree": True,
        "provider": _provider(catalog),
        "audience": _audience(catalog, course.audience),
        "timeRequired": iso_duration(training.minutes(course)),
        "teaches": [o.text for m in modules for o in m.objectives],
        "coursePrerequisites": _prerequisite_names(training, outside)
        or "No earlier training is needed.",
        "dateModified": course.last_reviewed.isoformat(),
        "hasPart": [
            {
                "@type": "LearningResource",
                "name": m.title,
                "url": _url(catalog, f"training/{course.id}/{m.id}/"),
            }
            for m in modules
        ],
    }


def module_json_ld(catalog: Catalog, training: Training, module: Module) -> dict[str, Any]:
    course = training.course_of(module.id)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": module.title,
        "description": " ".join(o.text for o in module.objectives),
        "url": _url(catalog, f"training/{course.id}/{module.id}/"),
        "inLanguage": "en-GB",
        "isAccessibleForFree": True,
        "learningResourceType": "module",
        "provider": _provider(catalog),
        "audience": _audience(catalog, module.audience),
        "timeRequired": iso_duration(module.duration_minutes),
        "teaches": [o.text for o in module.objectives],
        "position": course.modules.index(module.id) + 1,
        "isPartOf": {
            "@type": "Course",
            "name": course.title,
            "url": _url(catalog, f"training/{course.id}/"),
        },
        "dateModified": module.last_reviewed.isoformat(),
    }
    if module.prerequisites:
        data["competencyRequired"] = _prerequisite_names(training, module.prerequisites)
    return data
