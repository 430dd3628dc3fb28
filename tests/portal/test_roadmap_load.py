"""Loading the roadmap: the shipped items are valid; every broken rule is reported, located."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from portal.content import load_content
from portal.errors import ContentError
from portal.load_roadmap import load_roadmap
from portal.yamlio import load_document
from tests.roadmap_fixture import FIXTURE, TODAY

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad_roadmap"
EXPECTED = (BAD / "expected.txt").read_text().splitlines()


def test_shipped_roadmap_loads_and_follows_its_own_log() -> None:
    content = load_content(REPO, today=TODAY)
    files = sorted(p.stem for p in (REPO / "roadmap").glob("*.yml"))
    assert [item.id for item in content.roadmap] == files
    for item in content.roadmap:
        changes = [u.to for u in item.updates if u.to is not None]
        assert item.status == changes[-1], item.id
        assert set(item.systems) <= set(content.catalog.systems), item.id
        assert item.team in content.catalog.teams, item.id
        assert (item.shipped is not None) == (item.status == "shipped"), item.id
        # The team's own house rule for the summary (roadmap brief): 60-150 plain words.
        assert 60 <= len(item.summary.split()) <= 150, item.id


def test_broken_roadmap_reports_every_problem_with_file_line_and_field() -> None:
    """The CLI prints exactly the hand-checked expected report and exits 1."""
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(BAD), "validate", "--today", "2026-11-28"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.splitlines() == EXPECTED


def bad_files() -> list[Path]:
    return sorted((BAD / "roadmap").iterdir())


@pytest.mark.parametrize("path", bad_files(), ids=lambda p: p.name)
def test_each_broken_file_alone_gives_exactly_its_problems(path: Path, tmp_path: Path) -> None:
    """Each fixture breaks only the rules it is named for, whatever else is in the folder."""
    shutil.copytree(BAD / "catalog", tmp_path / "catalog")
    (tmp_path / "roadmap").mkdir()
    shutil.copy(path, tmp_path / "roadmap" / path.name)
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path, today=TODAY)
    expected = [line for line in EXPECTED if line.startswith(f"roadmap/{path.name}:")]
    assert expected, f"expected.txt has no line for {path.name}"
    assert [str(p) for p in caught.value.problems] == expected


def test_every_rule_of_the_format_has_a_fixture() -> None:
    """One broken file per rule: adding a rule without a fixture fails here."""
    assert {p.stem for p in bad_files()} == {
        "bad-values",  # types: unknown field, status, horizon, quarter, date
        "change-no-from",
        "date-not-shipped",
        "dropped-next",
        "duplicate-system",
        "first-has-from",
        "first-no-to",
        "from-mismatch",
        "from-no-to",
        "misnamed",  # .yaml
        "same-status",
        "shipped",  # reserved id
        "shipped-future",
        "shipped-later",
        "shipped-no-date",
        "status-mismatch",
        "unknown-refs",
        "update-future",
        "updates-order",
        "wrong-name",
    }


def test_today_decides_what_is_in_the_future(tmp_path: Path) -> None:
    """The same update is fine on its day and an error the day before."""
    shutil.copytree(FIXTURE / "roadmap", tmp_path / "roadmap")
    items, _ = load_roadmap(tmp_path, today=TODAY)
    assert len(items) == len(list((FIXTURE / "roadmap").glob("*.yml")))
    with pytest.raises(ContentError) as caught:
        load_roadmap(tmp_path, today=date(2026, 11, 27))
    # delta-next has two updates on the 28th, shipped items none after their day.
    assert [str(p) for p in caught.value.problems] == [
        "roadmap/delta-next.yml:10: updates[0].date: 2026-11-28 is in the future"
        " (today is 2026-11-27); add an update on the day it happens",
        "roadmap/delta-next.yml:13: updates[1].date: 2026-11-28 is in the future"
        " (today is 2026-11-27); add an update on the day it happens",
    ]


def test_no_roadmap_folder_means_an_empty_roadmap(tmp_path: Path) -> None:
    assert load_roadmap(tmp_path, today=TODAY) == ((), {})


def test_from_is_read_from_the_yaml_key_from() -> None:
    items, _ = load_roadmap(FIXTURE, today=TODAY)
    alpha = next(i for i in items if i.id == "alpha-shipped")
    assert [(u.from_, u.to) for u in alpha.updates] == [
        (None, "planned"),
        ("planned", "in-progress"),
        ("in-progress", "shipped"),
    ]


def roadmap_files() -> list[Path]:
    return sorted((REPO / "roadmap").glob("*.yml"))


@pytest.mark.parametrize("path", roadmap_files(), ids=lambda p: p.name)
def test_shipped_item_names_its_schema_and_passes_it(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/roadmap-item.schema.json"
    schema = json.loads((REPO / "schemas" / "roadmap-item.schema.json").read_text())
    jsonschema.validate(load_document(path, root=REPO).data, schema)


def test_schema_flags_a_shipped_item_without_its_date_as_people_type() -> None:
    schema = json.loads((REPO / "schemas" / "roadmap-item.schema.json").read_text())
    data = load_document(FIXTURE / "roadmap" / "alpha-shipped.yml", root=FIXTURE).data
    jsonschema.validate(data, schema)
    without_date = {k: v for k, v in data.items() if k != "shipped"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(without_date, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "horizon": "later"}, schema)
    planned = load_document(FIXTURE / "roadmap" / "delta-next.yml", root=FIXTURE).data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**planned, "shipped": "2026-11-28"}, schema)
