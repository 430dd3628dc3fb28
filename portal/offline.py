"""Offline support: after mkdocs builds ``site/``, write a service worker that precaches it.

This runs after the build because only then are the theme's hashed asset names known. The
worker caches the site's own files only (never another host), serves pages network-first
(fresh when there is signal, the saved copy when there is none) and assets cache-first.
Its cache name carries a hash of everything it precaches, so a new build replaces old copies.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from portal.render import render

__all__ = ["CORE_PAGES", "precache_list", "write_service_worker"]

# Pages a member most needs with no signal, cached on the first visit to any page.
CORE_PAGES = (
    "",
    "status/",
    "roadmap/",
    "systems/",
    "access/",
    "training/",
    "guides/gdpr/",
    "404.html",
)
_ASSET_SUFFIXES = (".css", ".js", ".svg", ".png", ".ico", ".woff2")


def precache_list(site: Path) -> list[str]:
    """Site-relative URLs to cache on install: core pages that exist, assets, search index."""
    urls = []
    for page in CORE_PAGES:
        target = site / page / "index.html" if page.endswith("/") or not page else site / page
        if target.is_file():
            urls.append(page)
    for path in sorted((site / "assets").rglob("*")):
        relative = path.relative_to(site).as_posix()
        if (
            path.is_file()
            and path.suffix in _ASSET_SUFFIXES
            and "/lunr/" not in f"/{relative}"  # extra search languages: not used in English
        ):
            urls.append(relative)
    if (site / "search" / "search_index.json").is_file():
        urls.append("search/search_index.json")
    return urls


def write_service_worker(site: Path) -> Path:
    urls = precache_list(site)
    digest = hashlib.sha256()
    for url in urls:
        target = site / url / "index.html" if url.endswith("/") or not url else site / url
        digest.update(url.encode() + b"\0" + target.read_bytes())
    path = site / "sw.js"
    path.write_text(
        render("offline/sw.js.j2", version=digest.hexdigest()[:12], urls=json.dumps(urls)),
        encoding="utf-8",
    )
    return path
