"""Loading training: the shipped courses are valid and complete; every rule of the course
format reports its problem at the file and line where the author can fix it."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from portal.content import content_warnings, load_content
from portal.errors import ContentError
from portal.load_training import load_training
from portal.yamlio import load_document

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad_training"


def test_shipped_training_loads_with_every_course_and_module() -> None:
    content = load_content(REPO)
    training = content.training
    folders = {p.parent.name for p in (REPO / "training").glob("*/course.yml")}
    files = {p.stem: p.parent.name for p in (REPO / "training").glob("*/*.md")}
    assert set(training.courses) == folders
    assert set(training.modules) == set(files)
    for module_id, folder in files.items():
        assert training.course_of(module_id).id == folder
        assert training.bodies[module_id].strip()
    # The bar for shipped courses: 3+ modules, each with objectives, exercises and
    # self-checks; and every module listed exactly once.
    listed = [m for c in training.courses.values() for m in c.modules]
    assert sorted(listed) == sorted(files)
    for course in training.courses.values():
        assert len(course.modules) >= 3, course.id
        for module in training.modules_of(course):
            assert module.objectives and module.exercises and module.self_checks, module.id


def test_catalogue_order_is_by_title() -> None:
    training, _ = load_training(REPO)
    titles = [c.title.lower() for c in training.courses.values()]
    assert titles == sorted(titles)


def test_broken_training_reports_every_problem_with_file_line_and_field() -> None:
    """The CLI prints exactly the hand-checked report (one problem per rule) and exits 1.

    The fixture's module bodies hold a table (``|---|``) and a ``---`` rule: front matter ends
    at the first closing ``---`` only, and body problems carry the file's real line numbers.
    """
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(BAD), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.splitlines() == (BAD / "expected.txt").read_text().splitlines()


def problems_for(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_unknown_module_role_is_rejected(content_copy: Path) -> None:
    path = content_copy / "training" / "phonebanking" / "phonebank-call.md"
    edit(path, "audience: [phonebank-volunteer,", "audience: [phonebanker,")
    (problem,) = problems_for(content_copy)
    line = line_of(path, "audience: [phonebanker,")
    assert problem.startswith(
        f'training/phonebanking/phonebank-call.md:{line}: audience[0]: no role "phonebanker"; '
        "known roles: campaign-organiser, data-protection-officer,"
    )


def test_unknown_system_is_rejected(content_copy: Path) -> None:
    path = content_copy / "training" / "phonebanking" / "phonebank-call.md"
    edit(path, "systems: [dialogue]", "systems: [dialog]")
    (problem,) = problems_for(content_copy)
    line = line_of(path, "systems: [dialog]")
    assert problem.startswith(
        f'training/phonebanking/phonebank-call.md:{line}: systems[0]: no system "dialog"; '
        "known systems: chatter, contact-creator,"
    )


def test_module_listed_in_two_courses_is_rejected(content_copy: Path) -> None:
    """A module belongs to the course whose folder holds it: listing it elsewhere is an error."""
    path = content_copy / "training" / "social-media" / "course.yml"
    edit(path, "  - social-paid-ads\n", "  - social-paid-ads\n  - gdpr-basics\n")
    (problem,) = problems_for(content_copy)
    line = line_of(path, "  - gdpr-basics")
    assert problem == (
        f'training/social-media/course.yml:{line}: modules[4]: no module "gdpr-basics" in this '
        "course; it is in training/gdpr-for-organisers/gdpr-basics.md; a course lists only the "
        "modules in its own folder (move the file, or list it in that folder's course)"
    )


def test_module_id_used_in_two_folders_is_rejected(content_copy: Path) -> None:
    training = content_copy / "training"
    copy = training / "social-media" / "gdpr-basics.md"
    copy.write_text((training / "gdpr-for-organisers" / "gdpr-basics.md").read_text())
    problems = problems_for(content_copy)
    line = line_of(copy, "id: gdpr-basics")
    assert problems == [
        f'training/gdpr-for-organisers/gdpr-basics.md:{line}: id: module id "gdpr-basics" is '
        "also used by training/social-media/gdpr-basics.md; module ids must be unique across "
        "all courses",
        f'training/social-media/gdpr-basics.md:{line}: id: module id "gdpr-basics" is also '
        "used by training/gdpr-for-organisers/gdpr-basics.md; module ids must be unique across "
        "all courses",
        f"training/social-media/gdpr-basics.md:{line}: id: this module is in no course; add "
        '"gdpr-basics" to modules in training/social-media/course.yml',
    ]


def test_three_module_cycle_is_reported_once_with_its_path(content_copy: Path) -> None:
    folder = content_copy / "training" / "community-mapping"
    # assets -> plan -> strategy -> power -> assets (power and strategy already point back).
    edit(folder / "mapping-assets.md", "prerequisites: []", "prerequisites: [mapping-plan]")
    (problem,) = problems_for(content_copy)
    line = line_of(folder / "mapping-assets.md", "prerequisites: [mapping-plan]")
    assert problem == (
        f"training/community-mapping/mapping-assets.md:{line}: prerequisites[0]: prerequisite "
        "cycle: mapping-assets -> mapping-plan -> mapping-strategy -> mapping-power -> "
        "mapping-assets; remove one of these prerequisites so the modules can be studied in order"
    )


def test_reserved_page_names_cannot_be_ids(content_copy: Path) -> None:
    training = content_copy / "training"
    (training / "social-media").rename(training / "paths")
    course = training / "paths" / "course.yml"
    edit(course, "id: social-media", "id: paths")
    problems = problems_for(content_copy)
    assert problems == [
        f"training/paths/course.yml:{line_of(course, 'id: paths')}: id: "
        '"paths" is the name of a page the site makes itself (audience, length, paths); '
        "choose another id"
    ]


def test_headings_in_fields_and_code_in_body_lines(content_copy: Path) -> None:
    """A literal block's problems are on their own line; fenced code in a body is skipped."""
    path = content_copy / "training" / "phonebanking" / "phonebank-call.md"
    edit(
        path,
        "      **Opening:**",
        "      See [this link](phonebank-rules.md).\n      **Opening:**",
    )
    text = path.read_text()
    path.write_text(text + "\n```md\n# Not a heading\n![](x.png)\n```\n")
    (problem,) = problems_for(content_copy)
    line = line_of(path, "See [this link]")
    assert problem == (
        f"training/phonebanking/phonebank-call.md:{line}: exercises[0].solution: link text "
        '"this link" does not say where it goes; use words that name the destination, like '
        '"the GDPR guide"'
    )


def test_unknown_module_in_an_access_level_is_rejected(content_copy: Path) -> None:
    path = content_copy / "catalog" / "contact-creator.yml"
    edit(
        path,
        "      training: [gdpr-basics, doors-data-law, doors-recording]\n",
        "      training: [gdpr-basics, doors-data-law, doors-recordng]\n",
    )
    (problem,) = problems_for(content_copy)
    line = line_of(path, "doors-recordng")
    assert problem == (
        f"catalog/contact-creator.yml:{line}: access.levels[0].training[2]: no training module "
        '"doors-recordng"; use a module id from training/, such as one listed in a course.yml'
    )


def test_training_problems_are_reported_even_when_the_catalogue_is_broken(
    content_copy: Path,
) -> None:
    edit(content_copy / "catalog" / "events.yml", "lifecycle: live", "lifecycle: production")
    edit(
        content_copy / "training" / "social-media" / "course.yml",
        "id: social-media",
        "id: social",
    )
    problems = problems_for(content_copy)
    assert [p.split(":")[0] for p in problems] == [
        "catalog/events.yml",
        "training/social-media/course.yml",
    ]


def test_overdue_courses_and_modules_are_warnings_with_their_line() -> None:
    content = load_content(REPO)
    course = content.training.courses["phonebanking"]
    module = content.training.modules["phonebank-call"]
    latest = max(course.review_due(), module.review_due())
    warnings = [str(w) for w in content_warnings(content, today=latest + timedelta(days=1))]
    for record, path in (
        (course, REPO / "training" / "phonebanking" / "course.yml"),
        (module, REPO / "training" / "phonebanking" / "phonebank-call.md"),
    ):
        file = path.relative_to(REPO).as_posix()
        assert (
            f"{file}:{line_of(path, 'last_reviewed:')}: warning: last_reviewed: review overdue "
            f"since {record.review_due():%d %b %Y}; check the record is still true and update "
            "last_reviewed"
        ) in warnings
    # Nothing is overdue on the day the content was last reviewed.
    training_warnings = [
        w
        for w in content_warnings(content, today=module.last_reviewed)
        if w.file.startswith("training/")
    ]
    assert training_warnings == []


def test_front_matter_ends_at_the_first_closing_rule() -> None:
    doc = load_document(BAD / "training" / "doors" / "doors-talk.md", root=BAD)
    assert doc.body_line == 40
    assert doc.body.splitlines()[0] == ""
    assert "|---|" in doc.body and "\n---\n" in doc.body
