"""The roadmap test fixture: the shipped catalogue with ``tests/data/roadmap_site/roadmap``.

The build date and the roadmap settings are fixed here, so every expected value in the tests
can be worked out by hand from the fixture files.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from portal.yamlio import load_document
from tests.conftest import REPO, copy_content

FIXTURE = REPO / "tests" / "data" / "roadmap_site"
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
STALE_NOW_DAYS = 30
NEXT_REVIEW = date(2026, 11, 1)  # before TODAY: the review is overdue


def make_root(root: Path) -> Path:
    """A copy of the shipped content whose roadmap and roadmap settings are the fixture's."""
    copy_content(root)
    shutil.rmtree(root / "roadmap", ignore_errors=True)
    shutil.copytree(FIXTURE / "roadmap", root / "roadmap")
    portal = root / "catalog" / "portal.yml"
    text, count = re.subn(
        r"^roadmap:\n(?:  .*\n)+",
        f"roadmap:\n  stale_now_days: {STALE_NOW_DAYS}\n  next_review: {NEXT_REVIEW}\n",
        portal.read_text(),
        flags=re.MULTILINE,
    )
    assert count == 1, "catalog/portal.yml has no roadmap block to replace"
    portal.write_text(text)
    return root


def raw_items() -> dict[str, dict[str, Any]]:
    """The fixture files as plain data, read without the roadmap loader under test."""
    return {
        path.stem: load_document(path, root=FIXTURE).data
        for path in sorted((FIXTURE / "roadmap").glob("*.yml"))
    }
