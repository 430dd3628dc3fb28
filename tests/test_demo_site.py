"""End to end: probe the simulated estate for real, generate, build with mkdocs --strict."""

from __future__ import annotations

import re

from checks.demo import DEMO_BEHAVIOURS
from portal.load import load_catalog
from tests.conftest import BuiltSite


def expected_state(path: str, degraded_after_ms: int | None) -> str:
    """What a probe of each demo behaviour must find, from the behaviour's own definition."""
    if path == "REFUSED" or path.startswith("/status"):
        return "down"
    if path.startswith("/slow?ms="):
        delay = int(path.split("=")[1])
        return "degraded" if degraded_after_ms is not None and delay > degraded_after_ms else "up"
    return "up"


def test_status_overview_shows_each_simulated_state(demo_site: BuiltSite) -> None:
    catalog, _ = load_catalog(demo_site.root)
    html = (demo_site.site / "status" / "index.html").read_text()
    item = r'<li class="gh-system" data-state="(\w+)">.*?<strong>([^<]+)</strong>'
    found = re.findall(item, html, flags=re.DOTALL)
    by_name = {name: state for state, name in found}
    assert len(by_name) == len(catalog.systems)
    for system in catalog.systems.values():
        path = DEMO_BEHAVIOURS.get(system.id, "/ok")
        assert system.check is not None
        want = expected_state(path, system.check.degraded_after_ms)
        assert by_name[system.name] == want, system.id
    # Every behaviour the demo promises shows up at least once.
    assert {"up", "degraded", "down"} <= set(by_name.values())


def test_home_page_links_to_status(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "index.html").read_text()
    assert 'href="status/"' in html
    assert "Last checked" in html
