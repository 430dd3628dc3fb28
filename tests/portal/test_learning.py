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


def with_level_training(root: Path, training: dict[str, dict[str, str]]) -> Content:
    """The content at ``root`` with only the named access levels asking for training.

    ``training`` maps a system to {role: "module, module"}: that role's level in the system's
    policy asks for those modules; every other level asks for none.
    """
    for path in (root / "catalog").glob("*.yml"):
        kept = [x for x in path.read_text().splitlines(True) if x.strip()[:9] != "training:"]
        path.write_text("".join(kept))
    for system, levels in training.items():
        path = root / "catalog" / f"{system}.yml"
        lines = path.read_text().splitlines(keepends=True)
        for role, modules in levels.items():
            at = lines.index(f"    - role: {role}\n")
            allows = next(i for i in range(at, len(lines)) if lines[i].startswith("      allows:"))
            lines.insert(allows + 1, f"      training: [{modules}]\n")
        path.write_text("".join(lines))
    return load_content(root)


def ids(path: LearningPath) -> list[str]:
    return [step.module.id for step in path.steps]


def assert_prerequisites_first(path: LearningPath) -> None:
    seen: set[str] = set()
    for step in path.steps:
        assert set(step.module.prerequisites) <= seen, step.module.id
        seen.add(step.module.id)


def required_by_levels(content: Content, role: str) -> set[str]:
    """Every module the levels ``role`` holds ask for, and what those build on, found by
    walking the catalogue and the modules' prerequisites (not by the code under test)."""
    wanted = [
        module
        for system in content.catalog.systems.values()
        if system.access is not None
        for level in system.access.levels
        if level.role == role
        for module in level.training
    ]
    found: set[str] = set()
    while wanted:
        module = wanted.pop()
        if module not in found:
            found.add(module)
            wanted.extend(content.training.modules[module].prerequisites)
    return found


def test_a_path_is_the_training_the_roles_level_asks_for_and_what_it_builds_on(
    content_copy: Path,
) -> None:
    """Dialogue's admin level (national staff) asks for two modules; gdpr-contact-rules
    builds on gdpr-basics, which is there only for that reason."""
    content = with_level_training(
        content_copy, {"dialogue": {"national-staff": "phonebank-call, gdpr-contact-rules"}}
    )
    path = learning_path("national-staff", content.catalog, content.training)
    # GDPR for organisers comes before Running a phonebank in the catalogue (by title).
    assert ids(path) == ["gdpr-basics", "gdpr-contact-rules", "phonebank-call"]
    dialogue = content.catalog.systems["dialogue"]
    assert [step.for_access for step in path.steps] == [(), (dialogue,), (dialogue,)]
    assert [m.id for m in path.steps[0].needed_for] == ["gdpr-contact-rules"]
    assert [(a.system.id, a.level.level, [m.id for m in a.modules]) for a in path.access] == [
        ("dialogue", "admin", ["phonebank-call", "gdpr-contact-rules"])
    ]
    assert path.minutes == sum(content.training.modules[m].duration_minutes for m in ids(path))


def test_one_levels_training_is_not_asked_of_another_level(content_copy: Path) -> None:
    """A caller's level asks for the call module, an organiser's for running a session: each
    role's path holds its own level's training only, whatever courses are aimed at it."""
    content = with_level_training(
        content_copy,
        {
            "dialogue": {
                "phonebank-volunteer": "phonebank-call",
                "campaign-organiser": "phonebank-organise",
            }
        },
    )
    volunteer = learning_path("phonebank-volunteer", content.catalog, content.training)
    assert ids(volunteer) == ["phonebank-call"]
    organiser = learning_path("campaign-organiser", content.catalog, content.training)
    # phonebank-organise builds on phonebank-plan and phonebank-rules, in course order.
    assert ids(organiser) == ["phonebank-plan", "phonebank-rules", "phonebank-organise"]
    assert_prerequisites_first(organiser)
    # Members hold levels that ask for nothing: no path, though courses are written for them.
    member = learning_path("member", content.catalog, content.training)
    assert member.steps == ()
    assert member.courses == tuple(
        c for c in content.training.courses.values() if "member" in c.audience
    )
    assert member.courses


def test_shipped_paths_hold_only_what_the_levels_each_role_holds_require() -> None:
    content = load_content(REPO)
    for role in content.catalog.roles:
        path = learning_path(role, content.catalog, content.training)
        assert len(set(ids(path))) == len(ids(path)), role
        assert set(ids(path)) == required_by_levels(content, role), role
        assert_prerequisites_first(path)
        for step in path.steps:
            assert step.for_access or step.needed_for, step.module.id
    # Levels for reading and for one's own record ask for nothing, so a member has no path.
    assert required_by_levels(content, "member") == set()
    assert learning_path("member", content.catalog, content.training).steps == ()


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
