"""Catalogue rules beyond field types: access policies, dependencies, engineer docs, training.

Each broken fixture under tests/data/ breaks every rule once; its expected.txt is the report
written by hand from the fixture's line numbers, and the CLI must print exactly that.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest

from portal.content import content_warnings, load_content
from portal.errors import ContentError
from portal.load import load_catalog
from portal.models.catalog import DOC_KINDS
from portal.yamlio import load_document

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


# The modules the training branch ships (the brief's list): a fixture, not read from disk.
@pytest.mark.parametrize("fixture", ["bad_access", "bad_docs"])
def test_each_rule_is_reported_with_file_line_and_field(fixture: str) -> None:
    root = DATA / fixture
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.splitlines() == (root / "expected.txt").read_text().splitlines()


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def test_a_policy_whose_approver_has_no_deputy_is_an_error(content_copy: Path) -> None:
    path = content_copy / "catalog" / "events.yml"
    text = path.read_text()
    line = text.splitlines().index("  deputies: [regional-staff]") + 1
    path.write_text(text.replace("  deputies: [regional-staff]\n", "  deputies: []\n"))
    assert problems(content_copy) == [
        f"catalog/events.yml:{line}: access.deputies: no deputy approver: name at least one "
        'role besides "local-party-secretary" that approves when it cannot, so access never '
        "rests on one key-holder"
    ]


def test_a_live_system_without_a_runbook_is_an_error(content_copy: Path) -> None:
    (content_copy / "site_src" / "systems" / "login" / "runbook.md").unlink()
    path = content_copy / "catalog" / "login.yml"
    text = path.read_text()
    line = text.splitlines().index("  pages: [runbook]") + 1
    path.write_text(text.replace("  pages: [runbook]\n", "  pages: []\n"))
    assert problems(content_copy) == [
        f"catalog/login.yml:{line}: docs.pages: a live system needs a runbook: add "
        '"runbook" to docs.pages and write site_src/systems/login/runbook.md'
    ]


def test_a_declared_doc_that_is_missing_is_an_error(content_copy: Path) -> None:
    (content_copy / "site_src" / "systems" / "glasshouse" / "deploy.md").unlink()
    text = (content_copy / "catalog" / "glasshouse.yml").read_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  pages:"))
    assert problems(content_copy) == [
        f"catalog/glasshouse.yml:{line}: docs.pages[1]: "
        '"deploy" is declared but site_src/systems/glasshouse/deploy.md does not exist; '
        'write the page or remove "deploy" from docs.pages'
    ]


def test_a_longer_dependency_cycle_keeps_its_whole_path(content_copy: Path) -> None:
    # Login needs Glasshouse, which needs Dialogue, which needs Login (and Contact Creator,
    # which needs Login): two loops, each reported once, from its first system in id order.
    for system, dep in (("login", "glasshouse"), ("glasshouse", "dialogue")):
        path = content_copy / "catalog" / f"{system}.yml"
        path.write_text(path.read_text().replace("check:\n", f"depends_on: [{dep}]\ncheck:\n", 1))
    assert problems(content_copy) == [
        f"catalog/contact-creator.yml:{_line(content_copy, 'contact-creator', 'depends_on:')}: "
        "depends_on: dependency cycle: "
        "contact-creator -> login -> glasshouse -> dialogue -> contact-creator",
        f"catalog/dialogue.yml:{_line(content_copy, 'dialogue', 'depends_on:')}: "
        "depends_on: dependency cycle: dialogue -> login -> glasshouse -> dialogue",
    ]


def _line(root: Path, system: str, prefix: str) -> int:
    lines = (root / "catalog" / f"{system}.yml").read_text().splitlines()
    return next(i for i, t in enumerate(lines, 1) if t.startswith(prefix))


def test_a_level_naming_an_unknown_module_is_an_error(content_copy: Path) -> None:
    path = content_copy / "catalog" / "events.yml"
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, t in enumerate(lines) if t.startswith("      training: [gdpr-basics"))
    lines[at] = lines[at].replace("gdpr-basics", "gdpr-101", 1)
    path.write_text("".join(lines))
    level = sum(t.startswith("    - role:") for t in lines[:at]) - 1
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"catalog/events.yml:{at + 1}: access.levels[{level}].training[0]: "
        'no training module "gdpr-101"; use a module id from training/, '
        "such as one listed in a course.yml"
    ]


def test_training_for_the_whole_policy_says_it_belongs_to_each_level(content_copy: Path) -> None:
    """The old place for training (one list for every level) is refused with directions."""
    path = content_copy / "catalog" / "events.yml"
    text = path.read_text()
    path.write_text(
        text.replace("  review_every_months:", "  training: [gdpr-basics]\n  review_every_months:")
    )
    line = _line(content_copy, "events", "  training:")
    assert problems(content_copy) == [
        f"catalog/events.yml:{line}: access.training: training is set for each level now, "
        "so a role is asked only for what its own level needs: move the modules under "
        "access.levels, as training: [MODULE, ...] on each level that needs them"
    ]


def test_shipped_training_prerequisites_name_modules_on_disk() -> None:
    """The ids name modules that really are in training/ (file stems)."""
    catalog, _ = load_catalog(REPO)
    used = {
        m
        for s in catalog.systems.values()
        if s.access
        for level in s.access.levels
        for m in level.training
    }
    on_disk = {p.stem for p in (REPO / "training").glob("*/*.md")}
    assert used  # the shipped levels do name training
    assert used <= on_disk


def test_unconfirmed_lawful_bases_and_retention_are_warnings(content_copy: Path) -> None:
    """Each personal-data entry not yet confirmed by its owner team is listed where it says
    so; confirming one removes its warning."""
    content = load_content(content_copy)
    expected = []
    for system in content.catalog.systems.values():
        file = f"catalog/{system.id}.yml"
        lines = (content_copy / file).read_text().splitlines()
        marks = [i for i, t in enumerate(lines, 1) if t.strip().startswith("confirmed:")]
        assert len(marks) == len(system.personal_data), system.id
        team = content.catalog.teams[system.team].name
        for i, (data, line) in enumerate(zip(system.personal_data, marks, strict=True)):
            if not data.confirmed:
                expected.append(
                    f"{file}:{line}: warning: personal_data[{i}].confirmed: the lawful basis and "
                    f"retention are only proposed; ask the owner team ({team}) to confirm them, "
                    "then set confirmed: true"
                )
    assert expected  # the real tools' entries are not confirmed by their teams yet
    found = [
        w for w in map(str, content_warnings(content, today=date(2026, 12, 1))) if "confirmed" in w
    ]
    assert sorted(found) == sorted(expected)

    first = expected[0].split(":")[0]
    path = content_copy / first
    path.write_text(path.read_text().replace("confirmed: false", "confirmed: true"))
    content = load_content(content_copy)
    found = [str(w) for w in content_warnings(content, today=date(2026, 12, 1))]
    assert not any(w.startswith(f"{first}:") and "confirmed" in w for w in found)


def test_every_live_system_has_a_policy_with_a_deputy_and_a_runbook() -> None:
    content = load_content(REPO)
    runbooks = {d.system for d in content.engineer_docs if d.kind == "runbook"}
    for system in content.catalog.systems.values():
        if system.lifecycle == "live":
            assert system.access is not None, system.id
            assert system.id in runbooks, system.id
        if system.access is not None:
            assert set(system.access.deputies) - {system.access.approver}, system.id


def _front_matter_line(path: Path, key: str) -> int | None:
    lines = path.read_text().splitlines()
    end = lines.index("---", 1)
    return next((i for i, t in enumerate(lines[:end], 1) if t.startswith(f"{key}:")), None)


def test_incomplete_and_overdue_docs_are_listed_as_warnings(content_copy: Path) -> None:
    docs = sorted((content_copy / "site_src" / "systems").glob("*/*.md"))
    runbook = content_copy / "site_src" / "systems" / "glasshouse" / "runbook.md"
    runbook.write_text(
        runbook.read_text().replace("last_reviewed: 2026-11-28", "last_reviewed: 2020-01-06")
    )
    content = load_content(content_copy)
    # The day every shipped record is still fresh (reviewed 28 Nov 2026, 90 days or more).
    today = date(2026, 12, 1)
    # Unconfirmed lawful bases are warned about too: tested on their own below.
    warnings = [
        str(w) for w in content_warnings(content, today=today) if not w.field.endswith(".confirmed")
    ]
    expected = []
    for path in docs:
        line = _front_matter_line(path, "status")
        if line is not None:
            file = path.relative_to(content_copy).as_posix()
            system = content.catalog.systems[path.parent.name]
            team = content.catalog.teams[system.team].name
            expected.append(
                f"{file}:{line}: warning: status: incomplete: the owner team ({team}) still has "
                "sections to write; remove the status line when they are done"
            )
    # 6 Jan 2020 + 90 days = 5 Apr 2020.
    expected.append(
        f"site_src/systems/glasshouse/runbook.md:{_front_matter_line(runbook, 'last_reviewed')}: "
        "warning: last_reviewed: review overdue since 05 Apr 2020; check the page is still true "
        "and update last_reviewed"
    )
    assert sorted(warnings) == sorted(expected)
    assert len(expected) >= 11  # ten skeleton runbooks and one unfinished deploy page


def test_validate_prints_the_warnings_and_still_succeeds(content_copy: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(content_copy), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    incomplete = [ln for ln in run.stdout.splitlines() if ": warning: status: incomplete" in ln]
    marked = [
        p
        for p in (content_copy / "site_src" / "systems").glob("*/*.md")
        if re.search(r"^status: incomplete$", p.read_text(), re.MULTILINE)
    ]
    assert len(incomplete) == len(marked) > 0
    assert run.stdout.splitlines()[-1].startswith("content is valid:")


def test_overdue_systems_are_warned_too(content_copy: Path) -> None:
    content = load_content(content_copy)
    events = content.catalog.systems["events"]
    day_after = events.review_due() + timedelta(days=1)
    warnings = [str(w) for w in content_warnings(content, today=day_after)]
    assert any(w.startswith("catalog/events.yml:") and "review overdue" in w for w in warnings)
    on_time = [str(w) for w in content_warnings(content, today=events.review_due())]
    assert not any(w.startswith("catalog/events.yml:") and "review overdue" in w for w in on_time)


HAND_WRITTEN_DOCS = sorted(
    p for kind in DOC_KINDS for p in (REPO / "site_src" / "systems").glob(f"*/{kind}.md")
)


@pytest.mark.parametrize("path", HAND_WRITTEN_DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_doc_front_matter_names_its_schema_and_passes_it(path: Path) -> None:
    assert path.read_text().splitlines()[1] == (
        "# yaml-language-server: $schema=../../../schemas/doc.schema.json"
    )
    schema = json.loads((REPO / "schemas" / "doc.schema.json").read_text())
    jsonschema.validate(load_document(path, root=REPO).data, schema)


def test_every_admin_level_in_the_shipped_catalogue_asks_for_training() -> None:
    """Admin is the most a tool grants (for Login: every account, so every tool), so no admin
    level may tell the access pages "no training needed"."""
    catalog = load_content(REPO).catalog
    admin = [
        (system.id, level)
        for system in catalog.systems.values()
        if system.access is not None
        for level in system.access.levels
        if level.level == "admin"
    ]
    assert ("login", "digital-team-engineer") in {(s, level.role) for s, level in admin}
    untrained = [f"{s}: {level.role}" for s, level in admin if not level.training]
    assert untrained == [], f"admin levels that ask for no training: {untrained}"
