"""Every internal link and asset reference in the built site resolves to a file that exists."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from tests.conftest import BuiltSite


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.refs.append(value)


def page_url(site: Path, html: Path) -> str:
    relative = html.relative_to(site).as_posix()
    return "http://site/" + relative.removesuffix("index.html")


def target_exists(site: Path, url: str) -> bool:
    path = unquote(urlsplit(url).path).lstrip("/")
    candidate = site / path
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate.is_file()


def broken_links(site: Path) -> list[str]:
    broken = []
    for html in sorted(site.rglob("*.html")):
        parser = _Refs()
        parser.feed(html.read_text(encoding="utf-8"))
        base = page_url(site, html)
        for ref in parser.refs:
            absolute = urljoin(base, ref)
            parts = urlsplit(absolute)
            if parts.netloc != "site" or parts.scheme != "http":
                continue  # another host (external link) or mailto:, data: ...
            if not target_exists(site, absolute):
                broken.append(f"{html.relative_to(site)}: {ref}")
    return broken


def test_every_internal_link_resolves(demo_site: BuiltSite) -> None:
    assert broken_links(demo_site.site) == []
