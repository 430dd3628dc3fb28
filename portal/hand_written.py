"""Hand-written pages under ``site_src/`` (guides, contributing, operations) that mkdocs
publishes as they are.

mkdocs reads their front matter with a YAML loader that expands aliases, and shows a block that
does not parse as text at the top of the page. Reading each page with the content reader first
turns both into a located problem before mkdocs runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from portal.engineer_docs import DOCS_FOLDER
from portal.errors import ContentError, Problem
from portal.write import MANIFEST
from portal.yamlio import check_page

__all__ = ["DOCS_DIR", "check_hand_written_pages"]

DOCS_DIR = "site_src"


def check_hand_written_pages(root: Path) -> list[Problem]:
    """Every problem in the hand-written pages' front matter (or size, or encoding)."""
    docs = root / DOCS_DIR
    manifest = docs / MANIFEST
    # The generator's own pages are written by a YAML dumper; engineer docs have their own
    # loader (portal.engineer_docs), which reads them with the same reader.
    skip = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    engineer_docs = root / DOCS_FOLDER
    problems: list[Problem] = []
    for path in sorted(docs.rglob("*.md")):
        if path.relative_to(docs).as_posix() in skip or path.is_relative_to(engineer_docs):
            continue
        try:
            check_page(path, root=root)
        except ContentError as exc:
            problems.extend(exc.problems)
    return problems
