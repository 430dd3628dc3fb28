"""Real headless Chromium against the built demo site, served on 127.0.0.1.

Debian's ``chromium`` is used when installed (test tools cannot download browsers here);
elsewhere Playwright's own Chromium, as users install it with ``playwright install chromium``.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
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


@dataclass
class SiteServer:
    base_url: str
    host: str


@pytest.fixture(scope="session")
def site_server(demo_site: BuiltSite) -> Iterator[SiteServer]:
    handler = partial(_QuietHandler, directory=str(demo_site.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield SiteServer(f"http://{host!s}:{port}", f"{host!s}:{port}")
    finally:
        server.shutdown()
        server.server_close()


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
    ) -> Visit:
        v = open_context(
            browser, site_server, width=width, javascript=javascript, color_scheme=color_scheme
        )
        opened.append(v)
        return v

    yield make  # type: ignore[misc]
    for v in opened:
        v.context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
