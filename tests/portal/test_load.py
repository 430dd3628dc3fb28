"""Loading the catalogue: the shipped one is valid; a broken one reports every problem, located."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal.errors import ContentError
from portal.load import dependency_cycles, load_catalog, merge_override
from portal.yamlio import parse_yaml

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad_catalog"


def test_shipped_catalogue_loads_with_every_reference_resolved() -> None:
    catalog, docs = load_catalog(REPO)
    assert set(catalog.systems) == {p.stem for p in (REPO / "catalog").glob("*.yml")} - {
        "portal",
        "teams",
        "roles",
    }
    for system in catalog.systems.values():
        assert system.team in catalog.teams
        assert set(system.depends_on) <= set(catalog.systems)
        assert docs[system.id].file == f"catalog/{system.id}.yml"


def test_broken_catalogue_reports_every_problem_with_file_line_and_field() -> None:
    """The CLI prints exactly the hand-written expected report and exits 1."""
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
        load_catalog(root)
    return [str(p) for p in caught.value.problems]


def test_unknown_field_is_rejected(content_copy: Path) -> None:
    path = content_copy / "catalog" / "events.yml"
    path.write_text(path.read_text().replace("lifecycle: live", "lifecycle: live\nlifecyle: live"))
    (problem,) = problems_for(content_copy)
    assert problem.startswith('catalog/events.yml:7: lifecyle: "lifecyle" is not a known field')
    assert "lifecycle" in problem.split("allowed here:")[1]


def test_dangling_team_reference_is_rejected(content_copy: Path) -> None:
    path = content_copy / "catalog" / "events.yml"
    path.write_text(path.read_text().replace("team: digital-organising", "team: digital-org"))
    (problem,) = problems_for(content_copy)
    assert problem.startswith('catalog/events.yml:5: team: no team "digital-org"; known teams:')


def test_file_name_must_match_id(content_copy: Path) -> None:
    (content_copy / "catalog" / "events.yml").rename(content_copy / "catalog" / "event.yml")
    (problem,) = problems_for(content_copy)
    assert problem == 'catalog/event.yml:2: id: must match the file name "event"'


def test_override_merges_into_a_system_before_validation(content_copy: Path) -> None:
    override = content_copy / "override.yml"
    override.write_text("systems:\n  events:\n    check:\n      url: http://127.0.0.1:9/ok\n")
    catalog, _ = load_catalog(content_copy, override=override)
    events = catalog.systems["events"]
    assert events.check is not None
    assert events.check.url == "http://127.0.0.1:9/ok"
    assert events.check.timeout_seconds == 10  # the rest of the check is kept


def test_override_naming_an_unknown_system_is_an_error(content_copy: Path) -> None:
    override = content_copy / "override.yml"
    override.write_text("systems:\n  nope:\n    check: {url: http://127.0.0.1:9/}\n")
    with pytest.raises(ContentError) as caught:
        load_catalog(content_copy, override=override)
    assert "override names a system not in the catalogue" in str(caught.value)


def test_merge_override_is_deep() -> None:
    assert merge_override({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 9}}) == {
        "a": {"b": 9, "c": 2},
        "d": 3,
    }


def test_yaml_keeps_dates_as_text_and_only_true_false_as_booleans() -> None:
    doc = parse_yaml("a: 2026-11-28\nb: no\nc: true\nd: NO\n", file="x.yml")
    assert doc.data == {"a": "2026-11-28", "b": "no", "c": True, "d": "NO"}
    assert doc.positions.line_for(("d",)) == 4


def test_positions_fall_back_to_the_nearest_parent() -> None:
    doc = parse_yaml("check:\n  url: x\nlist:\n  - a\n  - b\n", file="x.yml")
    assert doc.positions.line_for(("check", "missing")) == 1
    assert doc.positions.line_for(("list", 1)) == 5


def test_dependency_cycles_are_reported_once_with_their_path(content_copy: Path) -> None:
    catalog, _ = load_catalog(content_copy)
    systems = dict(catalog.systems)
    login = systems["login"]
    systems["login"] = login.model_copy(update={"depends_on": ["events"]})
    assert dependency_cycles(systems) == [["events", "login", "events"]]
