"""Learning paths from course audiences and access policies; graph helpers; durations."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.content import Content, load_content
from portal.graphs import find_cycles, ordered_with_prerequisites
from portal.learning import (
    LENGTH_BANDS,
    LearningPath,
    iso_duration,
    learning_path,
    length_band,
    module_path,
)
from portal.render import format_minutes

REPO = Path(__file__).resolve().parents[2]


def with_access_training(root: Path, training: dict[str, str]) -> Content:
    """The content at ``root`` with only the named access policies asking for training."""
    for path in (root / "catalog").glob("*.yml"):
        kept = [x for x in path.read_text().splitlines(True) if not x.startswith("  training:")]
        path.write_text("".join(kept))
    for system, modules in training.items():
        path = root / "catalog" / f"{system}.yml"
        lines = [
            line
            for line in path.read_text().splitlines(keepends=True)
            if not line.startswith("  training:")
        ]
        at = next(i for i, line in enumerate(lines) if line.startswith("  turnaround_"))
        lines.insert(at + 1, f"  training: [{modules}]\n")
        path.write_text("".join(lines))
    return load_content(root)


def ids(path: LearningPath) -> list[str]:
    return [step.module.id for step in path.steps]


def assert_prerequisites_first(path: LearningPath) -> None:
    seen: set[str] = set()
    for step in path.steps:
        assert set(step.module.prerequisites) <= seen, step.module.id
        seen.add(step.module.id)


def test_role_with_access_training_only_gets_that_training_and_what_it_builds_on(
    content_copy: Path,
) -> None:
    """National staff have no course of their own, but Dialogue's policy (national-staff is
    one of its levels) asks for two modules; gdpr-contact-rules builds on gdpr-basics."""
    content = with_access_training(content_copy, {"dialogue": "phonebank-call, gdpr-contact-rules"})
    path = learning_path("national-staff", content.catalog, content.training)
    # GDPR for organisers comes before Running a phonebank in the catalogue (by title).
    assert ids(path) == ["gdpr-basics", "gdpr-contact-rules", "phonebank-call"]
    dialogue = content.catalog.systems["dialogue"]
    assert [step.for_access for step in path.steps] == [(dialogue,)] * 3
    assert [step.for_role for step in path.steps] == [False] * 3
    assert [m.id for m in path.steps[0].needed_for] == ["gdpr-contact-rules"]
    assert [(s.id, [m.id for m in ms]) for s, ms in path.access] == [
        ("dialogue", ["phonebank-call", "gdpr-contact-rules"])
    ]
    assert path.courses == ()
    assert path.minutes == 25 + 40 + 35  # the three modules' duration_minutes


def test_access_training_comes_first_then_the_role_courses_in_order(content_copy: Path) -> None:
    content = with_access_training(
        content_copy,
        {
            "contact-creator": "doors-recording, doors-data-law",
            "dialogue": "phonebank-call, gdpr-contact-rules",
        },
    )
    path = learning_path("campaign-organiser", content.catalog, content.training)
    assert ids(path) == [
        # Needed for access: Contact Creator's two (doors-recording needs doors-conversation)
        # and Dialogue's two (gdpr-contact-rules needs gdpr-basics), course by course.
        "doors-conversation",
        "doors-recording",
        "doors-data-law",
        "gdpr-basics",
        "gdpr-contact-rules",
        "phonebank-call",
        # Then every other module written for campaign organisers, in catalogue order.
        "mapping-assets",
        "mapping-power",
        "mapping-strategy",
        "mapping-plan",
        "doors-evidence",
        "gdpr-rights-requests",
        "gdpr-breaches",
        "relational-why",
        "relational-one-to-ones",
        "relational-wall-chart",
        "relational-lawful",
        "phonebank-plan",
        "phonebank-rules",
        "phonebank-organise",
        "social-accessible-posts",
        "social-moderation",
        "social-misinformation",
        "social-paid-ads",
    ]
    assert_prerequisites_first(path)
    by_id = {step.module.id: step for step in path.steps}
    assert [s.id for s in by_id["doors-conversation"].for_access] == ["contact-creator"]
    assert by_id["mapping-assets"].for_access == ()


def test_shipped_paths_include_the_training_access_asks_for() -> None:
    """Each role's path holds every module its tools' access policies ask for."""
    content = load_content(REPO)
    for role in content.catalog.roles:
        path = learning_path(role, content.catalog, content.training)
        required = {
            module
            for s in content.catalog.systems.values()
            if s.access is not None and role in {lv.role for lv in s.access.levels}
            for module in s.access.training
        }
        assert required <= set(ids(path)), role
        assert_prerequisites_first(path)
        for step in path.steps:
            assert step.for_role or step.needed_for or step.for_access, step.module.id
    # A volunteer developer's course builds on gdpr-basics, from a course not aimed at them:
    # it comes just before the module that needs it, and the course order is kept otherwise.
    path = learning_path("volunteer-developer", content.catalog, content.training)
    assert ids(path) == [
        "volunteer-how-it-works",
        "volunteer-glasshouse-start",
        "gdpr-basics",
        "volunteer-first-contribution",
        "volunteer-accessible-offline",
    ]
    assert learning_path("data-protection-officer", content.catalog, content.training).steps == ()


def test_module_path_is_where_the_module_page_is_generated() -> None:
    content = load_content(REPO)
    assert (
        module_path(content.training, "gdpr-basics")
        == "training/gdpr-for-organisers/gdpr-basics.md"
    )


def test_find_cycles_reports_every_cycle_once() -> None:
    edges = {"a": ["b", "c"], "b": ["c"], "c": ["a"], "d": ["a", "missing"]}
    assert find_cycles(edges) == [["a", "b", "c", "a"], ["a", "c", "a"]]
    assert find_cycles({"a": ["b"], "b": []}) == []


def test_ordering_refuses_a_cycle() -> None:
    with pytest.raises(ValueError, match="cycle"):
        ordered_with_prerequisites(["a"], {"a": ["b"], "b": ["a"]}, key=str)


@pytest.mark.parametrize(
    ("minutes", "words", "iso"),
    [
        (40, "40 minutes", "PT40M"),
        (1, "1 minute", "PT1M"),
        (60, "1 hour", "PT1H"),
        (61, "1 hour 1 minute", "PT1H1M"),
        (175, "2 hours 55 minutes", "PT2H55M"),
    ],
)
def test_durations(minutes: int, words: str, iso: str) -> None:
    assert format_minutes(minutes) == words
    assert iso_duration(minutes) == iso


@pytest.mark.parametrize(
    ("minutes", "band"),
    [
        (1, "up-to-1-hour"),
        (60, "up-to-1-hour"),
        (61, "1-to-2-hours"),
        (180, "2-to-3-hours"),
        (181, "3-to-5-hours"),
        (100000, "over-5-hours"),
    ],
)
def test_length_bands_have_inclusive_upper_limits(minutes: int, band: str) -> None:
    assert length_band(minutes).id == band
    assert LENGTH_BANDS[-1].longest is None
