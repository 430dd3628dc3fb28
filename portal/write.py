"""Write generated files into the docs folder: only when changed, and remove stale ones.

Writing only changed files keeps ``mkdocs serve`` from rebuilding in a loop; the manifest
lets a later run delete what an earlier one generated and this one no longer does, without
ever touching hand-written files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

__all__ = ["MANIFEST", "write_pages"]

MANIFEST = ".generated.json"


def write_pages(docs_dir: Path, pages: Mapping[str, str | bytes]) -> tuple[int, int]:
    """Write ``pages`` (path relative to docs_dir -> content); return (written, removed)."""
    manifest = docs_dir / MANIFEST
    previous: set[str] = set()
    if manifest.exists():
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    written = 0
    for relative, content in sorted(pages.items()):
        path = docs_dir / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    removed = 0
    for stale in sorted(previous - set(pages)):
        path = docs_dir / stale
        if path.exists():
            path.unlink()
            removed += 1
    new_manifest = json.dumps(sorted(pages), indent=1) + "\n"
    if not manifest.exists() or manifest.read_text(encoding="utf-8") != new_manifest:
        manifest.write_text(new_manifest, encoding="utf-8")
    return written, removed
