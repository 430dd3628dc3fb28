"""Weight budget: each page's own HTML, CSS and JavaScript, compressed, stays small.

The budget is 100 KB gzip for a page's own bytes (its HTML plus the portal's own stylesheet
and scripts). That is about 2 seconds on a poor 3G connection (400 kbit/s), the worst a member
in a tower block or a rural area should have to wait. The theme's shared bundle is excluded: it
is the same on every page and cached after the first visit (and by the service worker).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from tests.conftest import BuiltSite

BUDGET_BYTES = 100 * 1024
PAGES = [
    "index.html",
    "status/index.html",
    "status/dialogue/index.html",
    "roadmap/index.html",
    "roadmap/dialogue-election-reliability/index.html",
    "training/index.html",
    "training/community-mapping/index.html",
    "training/relational-organising/relational-wall-chart/index.html",
    # The longest course on one page, as printed for a session on paper.
    "training/relational-organising/print/index.html",
]


def own_assets(site: Path, html: str) -> list[Path]:
    """The portal's own CSS and JS that the page loads (not the theme's hashed bundle)."""
    refs = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    return sorted(
        {
            site / "assets" / Path(r).name
            for r in refs
            # "assets/x.css" on the home page, "../assets/x.css" deeper down.
            if f"/{r}".count("/assets/") and "/stylesheets/" not in r and "/javascripts/" not in r
        }
    )


def page_weight(site: Path, page: str) -> int:
    html = (site / page).read_text()
    total = len(gzip.compress(html.encode(), 9))
    for asset in own_assets(site, html):
        total += len(gzip.compress(asset.read_bytes(), 9))
    return total


def test_pages_stay_within_the_weight_budget(demo_site: BuiltSite) -> None:
    weights = {page: page_weight(demo_site.site, page) for page in PAGES}
    over = {page: w for page, w in weights.items() if w > BUDGET_BYTES}
    assert over == {}, f"over {BUDGET_BYTES} bytes compressed: {over}"


def test_own_assets_are_found_from_the_home_page_too(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "index.html").read_text()
    assert "glasshouse.css" in {p.name for p in own_assets(demo_site.site, html)}


def test_own_assets_are_found(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "status" / "index.html").read_text()
    names = {p.name for p in own_assets(demo_site.site, html)}
    assert {"glasshouse.css", "offline.js"} <= names
