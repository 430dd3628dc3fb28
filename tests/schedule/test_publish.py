"""Publishing anywhere: the built site works from a sub-path, and says when its data is stale."""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest

from checks.history import append_results, read_history
from portal.content import load_content
from portal.context import build_context
from portal.pages import build_pages
from tests.conftest import REPO, BuiltSite, build_site, copy_content
from tests.schedule.rows import make_rows
from tests.test_links import _Refs

SUB_PATH = "/portal/"
SITE_URL = f"https://org.example.org{SUB_PATH}"
# Real time: content rules compare dates with the build's "now" (nothing may be in the future).
NEWEST = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
STALE_WARNING = "These figures may be out of date"


def _set_site_url(root: Path, url: str) -> None:
    """Point both places that name the site's address (mkdocs and the portal) at ``url``."""
    for name, key in (("mkdocs.yml", "site_url"), ("catalog/portal.yml", "site_url")):
        path = root / name
        text, count = re.subn(rf"^{key}: .*$", f"{key}: {url}", path.read_text(), flags=re.M)
        assert count == 1, f"{name} has no single {key} line"
        path.write_text(text)


def test_mkdocs_and_the_portal_name_the_same_site_url() -> None:
    """One address in two files: publishing from a sub-path means changing both."""
    mkdocs = re.search(r"^site_url: (.*)$", (REPO / "mkdocs.yml").read_text(), flags=re.M)
    portal = re.search(r"^site_url: (.*)$", (REPO / "catalog/portal.yml").read_text(), flags=re.M)
    assert mkdocs and portal
    assert mkdocs.group(1) == portal.group(1)


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site only under SUB_PATH, as GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path.removeprefix(SUB_PATH))

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def stale_sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    """The shipped content built for SITE_URL, its newest check older than the stale limit."""
    folder = tmp_path_factory.mktemp("sub-path")
    root = copy_content(folder / "repo")
    _set_site_url(root, SITE_URL)
    content = load_content(root)
    history = folder / "history"
    every = timedelta(minutes=content.catalog.portal.probes.interval_minutes)
    for system in sorted(content.catalog.systems):
        append_results(
            history, make_rows(system, "github-actions", NEWEST - 23 * every, 24, every=every)
        )
    limit = content.catalog.portal.probes.stale_after_minutes
    now = NEWEST + timedelta(minutes=limit + 11)
    return build_site(root, history, folder / "site", now=now), now


@pytest.fixture(scope="module")
def server(stale_sub_path_site: tuple[Path, datetime]) -> Iterator[str]:
    site, _ = stale_sub_path_site
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SubPathHandler, directory=str(site)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        return error.code, "", b""


def test_no_internal_link_escapes_the_sub_path(
    server: str, stale_sub_path_site: tuple[Path, datetime]
) -> None:
    """Fetch every page through the server; every link to this host stays under the sub-path
    and is served (pages, assets, feeds, data)."""
    site, _ = stale_sub_path_site
    every_page = {
        p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
    }
    queue = deque(sorted(server + SUB_PATH + page for page in every_page))
    seen = set(queue)
    escaped: list[str] = []
    broken: list[str] = []
    pages: set[str] = set()
    while queue:
        url = queue.popleft()
        status, kind, body = _fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if kind != "text/html":
            continue
        pages.add(urlsplit(url).path.removeprefix(SUB_PATH))
        refs = _Refs()
        refs.feed(body.decode())
        for ref in refs.refs:
            target, _ = urldefrag(urljoin(url, ref))
            parts = urlsplit(target)
            if parts.scheme not in {"http", "https"} or parts.netloc != urlsplit(server).netloc:
                continue  # another host or mailto: (external links are not ours to check)
            if not parts.path.startswith(SUB_PATH):
                escaped.append(f"{url}: {ref}")
            elif target not in seen:
                seen.add(target)
                queue.append(target)
    assert escaped == []
    assert broken == []
    assert pages == every_page
    assert len(seen) > len(every_page)  # links to assets and data were followed too


def test_absolute_addresses_carry_the_sub_path(stale_sub_path_site: tuple[Path, datetime]) -> None:
    site, _ = stale_sub_path_site
    sitemap = (site / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    # The 404 page is served at any depth, so mkdocs writes its links from the site's root.
    not_found = (site / "404.html").read_text()
    assert f'href="{SUB_PATH}assets/' in not_found or f'src="{SUB_PATH}assets/' in not_found
    summary = (site / "api" / "v2" / "summary.json").read_text()
    assert f'"url": "{SITE_URL}status/"' in summary


def test_the_status_page_warns_when_the_newest_check_is_too_old(
    stale_sub_path_site: tuple[Path, datetime],
) -> None:
    site, now = stale_sub_path_site
    html = (site / "status" / "index.html").read_text()
    minutes = int((now - NEWEST).total_seconds() // 60)
    assert f"({minutes} minutes ago)" in html
    assert STALE_WARNING in html
    assert "the checks may have stopped running" in html
    # Every tool's state then reads as unknown, never as the last (old) result.
    assert "All tools operational" not in html


def test_no_warning_while_the_checks_are_on_time(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "status" / "index.html").read_text()
    assert "Last checked" in html
    assert STALE_WARNING not in html


def test_the_warning_starts_just_after_the_limit(tmp_path: Path) -> None:
    content = load_content(REPO)
    history = tmp_path / "history"
    every = timedelta(minutes=content.catalog.portal.probes.interval_minutes)
    append_results(history, make_rows("dialogue", "github-actions", NEWEST, 1, every=every))
    rows = read_history(history)
    limit = timedelta(minutes=content.catalog.portal.probes.stale_after_minutes)
    for now, warned in ((NEWEST + limit, False), (NEWEST + limit + timedelta(minutes=1), True)):
        overview = build_pages(build_context(content, rows, now=now))["status/index.md"]
        assert isinstance(overview, str)
        assert (STALE_WARNING in overview) is warned
