"""End to end: probe the simulated estate for real, generate, build with mkdocs --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.demo import DEMO_BEHAVIOURS, run_demo
from checks.history import read_history
from portal.content import load_content
from portal.context import build_context
from portal.load import load_catalog
from portal.pages import build_pages
from portal.write import write_pages
from tests.conftest import copy_content


def expected_state(path: str, degraded_after_ms: int | None) -> str:
    """What a probe of each demo behaviour must find, from the behaviour's own definition."""
    if path == "REFUSED" or path.startswith("/status"):
        return "down"
    if path.startswith("/slow?ms="):
        delay = int(path.split("=")[1])
        return "degraded" if degraded_after_ms is not None and delay > degraded_after_ms else "up"
    return "up"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_content(tmp_path_factory.mktemp("demo") / "repo")
    out = root / "build" / "demo"
    run_demo(root, out, rounds=1)
    history = read_history(out / "history")
    pages = build_pages(build_context(load_content(root), history, now=datetime.now(UTC)))
    write_pages(root / "site_src", pages)
    site = root / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=root,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    return root, site


def test_status_overview_shows_each_simulated_state(demo_site: tuple[Path, Path]) -> None:
    root, site = demo_site
    catalog, _ = load_catalog(root)
    html = (site / "status" / "index.html").read_text()
    found = re.findall(
        r'<li class="gh-system" data-state="(\w+)">\s*<p[^>]*><strong>([^<]+)<', html
    )
    by_name = {name: state for state, name in found}
    assert len(by_name) == len(catalog.systems)
    for system in catalog.systems.values():
        path = DEMO_BEHAVIOURS.get(system.id, "/ok")
        assert system.check is not None
        want = expected_state(path, system.check.degraded_after_ms)
        assert by_name[system.name] == want, system.id
    # Every behaviour the demo promises shows up at least once.
    assert {"up", "degraded", "down"} <= set(by_name.values())


def test_home_page_links_to_status(demo_site: tuple[Path, Path]) -> None:
    _, site = demo_site
    html = (site / "index.html").read_text()
    assert 'href="status/"' in html
    assert "Last checked" in html
