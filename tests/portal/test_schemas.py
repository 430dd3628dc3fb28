"""The committed JSON Schemas match the models, and every shipped YAML file passes them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from portal.load import CATALOG_SPECIAL_FILES
from portal.schema import schema_texts
from portal.yamlio import load_document

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_committed_schema_is_current(name: str) -> None:
    assert (REPO / "schemas" / name).read_text() == schema_texts()[name]


def catalogue_files() -> list[Path]:
    return sorted((REPO / "catalog").glob("*.yml"))


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: p.name)
def test_shipped_file_names_its_schema_and_passes_it(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    expected = (
        f"{path.stem}.schema.json" if path.name in CATALOG_SPECIAL_FILES else "system.schema.json"
    )
    assert first == f"# yaml-language-server: $schema=../schemas/{expected}"
    schema = json.loads((REPO / "schemas" / expected).read_text())
    data = load_document(path, root=REPO).data
    jsonschema.validate(data, schema)


def test_schema_rejects_an_unknown_field() -> None:
    schema = json.loads((REPO / "schemas" / "system.schema.json").read_text())
    data = load_document(REPO / "catalog" / "events.yml", root=REPO).data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "lifecyle": "live"}, schema)


def training_files() -> list[Path]:
    return sorted((REPO / "training").glob("*/*.md")) + sorted(
        (REPO / "training").glob("*/course.yml")
    )


@pytest.mark.parametrize("path", training_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_training_file_names_its_schema_and_passes_it(path: Path) -> None:
    """Courses and module front matter name their schema on their first YAML line."""
    lines = path.read_text().splitlines()
    first = lines[1] if path.suffix == ".md" else lines[0]
    expected = "module.schema.json" if path.suffix == ".md" else "course.schema.json"
    assert first == f"# yaml-language-server: $schema=../../schemas/{expected}"
    schema = json.loads((REPO / "schemas" / expected).read_text())
    jsonschema.validate(load_document(path, root=REPO).data, schema)


def test_module_schema_rejects_an_unassessable_exercise() -> None:
    schema = json.loads((REPO / "schemas" / "module.schema.json").read_text())
    data = load_document(REPO / "training" / "phonebanking" / "phonebank-call.md", root=REPO).data
    broken = {**data, "exercises": [{**data["exercises"][0], "assesses": []}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_schema_asks_each_personal_data_entry_whether_it_is_confirmed() -> None:
    """Editors see the missing marker as they type, before validation says so."""
    schema = json.loads((REPO / "schemas" / "system.schema.json").read_text())
    data = load_document(REPO / "catalog" / "events.yml", root=REPO).data
    entry = {k: v for k, v in data["personal_data"][0].items() if k != "confirmed"}
    with pytest.raises(jsonschema.ValidationError, match="'confirmed' is a required property"):
        jsonschema.validate({**data, "personal_data": [entry]}, schema)
