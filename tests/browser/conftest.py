"""Real headless Chromium against the built demo site, served on 127.0.0.1.

Debian's ``chromium`` is used when installed (test tools cannot download browsers here);
elsewhere Playwright's own Chromium, as users install it with ``playwright install chromium``.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import REPO, BuiltSite

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
SYSTEM_CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = (320, 1280)
# Material follows the reader's system setting: light (default) and dark (slate) palettes.
SCHEMES = ("light", "dark")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request logging."""


class _SiteHTTPServer(ThreadingHTTPServer):
    # Chromium opens several connections at once (the page's assets, the service worker's
    # precache); the default backlog of 5 drops SYNs on a loaded machine, which the client only
    # retries after a second.
    request_queue_size = 128
    daemon_threads = True


@dataclass
class SiteServer:
    base_url: str
    host: str
    _server: ThreadingHTTPServer = field(repr=False)

    def stop(self) -> None:
        """Really take the site off the network: later connections are refused."""
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serve_site(directory: Path) -> Iterator[SiteServer]:
    server = _SiteHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    site = SiteServer(f"http://{host!s}:{port}", f"{host!s}:{port}", server)
    try:
        yield site
    finally:
        if thread.is_alive():
            site.stop()
        thread.join()


@pytest.fixture(scope="session")
def site_server(demo_site: BuiltSite) -> Iterator[SiteServer]:
    with serve_site(demo_site.site) as site:
        yield site


@pytest.fixture
def private_site_server(demo_site: BuiltSite) -> Iterator[SiteServer]:
    """The demo site on a server of its own, which a test may stop to go offline for real."""
    with serve_site(demo_site.site) as site:
        yield site


@pytest.fixture(scope="module")
def playwright(site_server: SiteServer) -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop running in this thread while it is started, and
    # other tests (and the demo build) call asyncio.run: so it lives for one module at a time,
    # and the site is built before it starts.
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=SYSTEM_CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield launched
    launched.close()


@dataclass
class RequestLog:
    own_host: str
    urls: list[str] = field(default_factory=list)

    def third_party(self) -> list[str]:
        return [
            u
            for u in self.urls
            if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(u).netloc != self.own_host
        ]


@dataclass
class Visit:
    context: BrowserContext
    page: Page
    requests: RequestLog


def open_context(
    browser: Browser,
    server: SiteServer,
    *,
    width: int,
    javascript: bool = True,
    color_scheme: Literal["light", "dark"] = "light",
) -> Visit:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
        service_workers="allow",
        color_scheme=color_scheme,
    )
    log = RequestLog(server.host)
    context.on("request", lambda request: log.urls.append(request.url))
    return Visit(context, context.new_page(), log)


@pytest.fixture
def visit(browser: Browser, site_server: SiteServer) -> Iterator[partial[Visit]]:
    opened: list[Visit] = []

    def make(
        *,
        width: int = 1280,
        javascript: bool = True,
        color_scheme: Literal["light", "dark"] = "light",
        server: SiteServer | None = None,
    ) -> Visit:
        v = open_context(
            browser,
            server or site_server,
            width=width,
            javascript=javascript,
            color_scheme=color_scheme,
        )
        opened.append(v)
        return v

    yield make  # type: ignore[misc]
    for v in opened:
        v.context.close()


def assert_saved_for_offline(page: Page, paths: list[str]) -> None:
    """Wait for the service worker to control the page, then check its cache holds every path.

    ``page.evaluate`` awaits the promise; ``wait_for_function`` would not (a pending promise is
    truthy, so it returns at once, which is how these tests once raced the worker's install).
    Once the worker is active its precache is complete (install waits for it), and a page
    visited through it is saved before the page is shown, so no polling is needed."""
    missing = page.evaluate(
        """async (paths) => {
            const container = navigator.serviceWorker;
            const controlled = (async () => {
                await container.ready;
                if (!container.controller) {
                    await new Promise((done) =>
                        container.addEventListener("controllerchange", done, { once: true }));
                }
                return true;
            })();
            // A bound for a worker that never starts (the test then fails), not a wait.
            const gaveUp = new Promise((done) => setTimeout(() => done(false), 120000));
            if (!(await Promise.race([controlled, gaveUp]))) return ["(no service worker)"];
            const missing = [];
            for (const path of paths) {
                if (!(await caches.match(new URL(path, location.origin).href))) missing.push(path);
            }
            return missing;
        }""",
        paths,
    )
    assert missing == [], f"not saved for offline use: {missing}"


def go_offline(visit: Visit, server: SiteServer) -> None:
    """Cut the network for real: stop the site's server, and tell the page it is offline.

    Playwright's offline emulation does not reliably cover a service worker's own fetches
    (microsoft/playwright#2311), so with emulation alone the worker could still reach the live
    server and a test would pass or fail on timing, not on what the site saved."""
    server.stop()
    visit.context.set_offline(True)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
