"""After one visit, core pages load with the network cut, and say they are a saved copy."""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.conftest import SiteServer, Visit

CORE = ["/", "/status/", "/roadmap/"]
VISITED_MODULE = "/training/community-mapping/mapping-assets/"


def test_pages_load_offline_after_one_visit(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320)
    v.page.goto(site_server.base_url + "/")
    # Wait until the service worker controls the page and has saved the core pages.
    v.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    v.page.wait_for_function(
        "caches.keys().then(async keys => { if (!keys.length) return false;"
        " const c = await caches.open(keys[0]);"
        " return !!(await c.match(location.origin + '/status/')); })"
    )
    # A training module is saved when it is visited, not before.
    v.page.goto(site_server.base_url + VISITED_MODULE)
    v.page.wait_for_load_state("networkidle")
    v.context.set_offline(True)
    for path in [*CORE, VISITED_MODULE]:
        response = v.page.goto(site_server.base_url + path)
        assert response is not None and response.ok, path
        banner = v.page.locator("#gh-offline")
        banner.wait_for()
        assert "You are offline" in banner.inner_text()
    # The saved status page still carries its figures; the saved module its teaching.
    assert v.page.locator(".gh-objectives, .md-content h2").count() > 0
    v.page.goto(site_server.base_url + "/status/")
    assert v.page.locator("li.gh-system").count() > 0
    # Search works offline too: its index was saved with the rest, and it covers the roadmap,
    # the systems, the access register and the training.
    sections = v.page.evaluate(
        "fetch('/search/search_index.json').then(r => r.json())"
        ".then(j => [...new Set(j.docs.map(d => d.location.split('/')[0]))])"
    )
    assert {"roadmap", "systems", "access", "training", "status"} <= set(sections)


def test_online_pages_show_no_offline_banner(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=1280)
    v.page.goto(site_server.base_url + "/status/")
    v.page.wait_for_load_state("networkidle")
    assert v.page.locator("#gh-offline").count() == 0
