"""A system id that names a fixed portal page is refused by validation, before it can make the
generator write two pages to one path."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.content import load_content
from portal.context import build_context
from portal.models.catalog import RESERVED_SYSTEM_IDS
from portal.pages import build_pages
from tests.conftest import REPO, copy_content

# Sections whose pages are named by system ids.
PER_SYSTEM_SECTIONS = ("status", "systems", "access")


def fixed_page_names() -> set[str]:
    """First path segment of every generated page in a per-system section not made for a system."""
    content = load_content(REPO)
    pages = build_pages(build_context(content, {}, now=datetime.now(UTC)))
    ids = set(content.catalog.systems)
    names = set()
    for path in pages:
        section, _, rest = path.partition("/")
        if section not in PER_SYSTEM_SECTIONS or not rest:
            continue
        first = rest.split("/", 1)[0].removesuffix(".md")
        if first not in ids and Path(first).suffix == "":
            names.add(first)
    return names


def test_reserved_ids_cover_every_fixed_page_the_generator_writes() -> None:
    names = fixed_page_names()
    assert {"index", "method", "maintenance", "incidents"} <= names  # the builders were read
    assert names <= RESERVED_SYSTEM_IDS


@pytest.mark.parametrize("reserved", sorted(RESERVED_SYSTEM_IDS))
def test_a_reserved_id_is_a_validation_error(tmp_path: Path, reserved: str) -> None:
    root = copy_content(tmp_path / "repo")
    source = root / "catalog" / "promote.yml"
    text = source.read_text(encoding="utf-8").replace("\nid: promote\n", f"\nid: {reserved}\n")
    # The file keeps its name: "roles" is also the name of the catalogue's roles file.
    source.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    line = text.splitlines().index(f"id: {reserved}") + 1
    assert (
        f"catalog/promote.yml:{line}: id: is reserved for a page of the portal; choose another"
        f' id (reserved: {", ".join(sorted(RESERVED_SYSTEM_IDS))}), got "{reserved}"'
    ) in run.stderr.splitlines()
