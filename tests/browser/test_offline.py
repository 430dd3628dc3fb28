"""After one visit, core pages load with the network cut, and say they are a saved copy."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from portal.offline import precache_list
from tests.browser.conftest import (
    SiteServer,
    Visit,
    assert_saved_for_offline,
    go_offline,
    serve_site,
)
from tests.conftest import BuiltSite

CORE = ["/", "/status/", "/roadmap/"]
VISITED_MODULE = "/training/community-mapping/mapping-assets/"


def test_pages_load_offline_after_one_visit(
    visit: Callable[..., Visit], private_site_server: SiteServer
) -> None:
    server = private_site_server
    v = visit(width=320, server=server)
    v.page.goto(server.base_url + "/")
    # The core pages are saved on the first visit to any page.
    assert_saved_for_offline(v.page, CORE)
    # A training module is saved when it is visited, not before.
    v.page.goto(server.base_url + VISITED_MODULE)
    assert_saved_for_offline(v.page, [*CORE, VISITED_MODULE])
    go_offline(v, server)
    for path in [*CORE, VISITED_MODULE]:
        response = v.page.goto(server.base_url + path)
        assert response is not None and response.ok, path
        banner = v.page.locator("#gh-offline")
        banner.wait_for()
        assert "You are offline" in banner.inner_text()
    # The saved status page still carries its figures; the saved module its teaching.
    assert v.page.locator(".gh-objectives, .md-content h2").count() > 0
    v.page.goto(server.base_url + "/status/")
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


# How the worker's first install ended: "activated", or "redundant" when it failed. Awaited by
# page.evaluate; the 120 s bound only turns a worker that never settles into a failure.
INSTALL_OUTCOME = """async () => {
    const registration = await navigator.serviceWorker.register(
        new URL("sw.js", location.href).href, { scope: "/" });
    const worker = registration.installing || registration.waiting || registration.active;
    if (!worker) return { worker: "none", caches: [] };
    const settled = new Promise((done) => {
        const check = () => {
            if (worker.state === "activated" || worker.state === "redundant") done(worker.state);
        };
        worker.addEventListener("statechange", check);
        check();
    });
    const gaveUp = new Promise((done) => setTimeout(() => done("(never settled)"), 120000));
    const state = await Promise.race([settled, gaveUp]);
    const names = (await caches.keys()).filter((name) => name.startsWith("glasshouse-"));
    return { worker: state, caches: names };
}"""


def test_a_save_that_misses_a_file_is_not_installed(
    visit: Callable[..., Visit], demo_site: BuiltSite, tmp_path: Path
) -> None:
    # One file the worker must save is gone (a half-finished deploy, a proxy's 404): the
    # install fails and leaves no half-filled cache, so the site never claims to be saved.
    site = tmp_path / "site"
    shutil.copytree(demo_site.site, site, copy_function=os.link)
    missing = "search/search_index.json"
    assert missing in precache_list(demo_site.site)
    (site / missing).unlink()
    with serve_site(site) as server:
        v = visit(width=320, server=server)
        v.page.goto(server.base_url + "/")
        outcome = v.page.evaluate(INSTALL_OUTCOME)
    assert outcome == {"worker": "redundant", "caches": []}


def test_a_complete_save_is_installed(
    visit: Callable[..., Visit], private_site_server: SiteServer
) -> None:
    v = visit(width=320, server=private_site_server)
    v.page.goto(private_site_server.base_url + "/")
    outcome = v.page.evaluate(INSTALL_OUTCOME)
    assert outcome["worker"] == "activated"
    assert len(outcome["caches"]) == 1
