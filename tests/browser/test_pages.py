"""Each page type in real Chromium: no axe-core WCAG 2.2 A/AA violation at 320 and 1280 px in
both palettes (light and dark), no request to any other host, readable with JavaScript off.
Screenshots are kept as artifacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCHEMES, WIDTHS, SiteServer, Visit, screenshot

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# page type -> path on the site. Each later section adds its page types here.
PAGE_TYPES: dict[str, str] = {
    "home": "/",
    "roadmap-board": "/roadmap/",
    "roadmap-filter": "/roadmap/system/dialogue/",
    "roadmap-item": "/roadmap/dialogue-election-reliability/",
    "roadmap-shipped": "/roadmap/shipped/",
    "status-overview": "/status/",
    "system-status": "/status/dialogue/",
    "incident": "/status/incidents/2026-11-20-dialogue-calls-dropping/",
    "incident-history": "/status/incidents/",
    "training-catalogue": "/training/",
    "course": "/training/community-mapping/",
    "module": "/training/community-mapping/mapping-assets/",
    "learning-path": "/training/paths/local-party-secretary/",
    "course-print": "/training/community-mapping/print/",
    "systems-index": "/systems/",
    "system-page": "/systems/dialogue/",
    "system-docs": "/systems/glasshouse/runbook/",
    "dependency-map": "/systems/map/",
    "onboarding": "/systems/onboarding/",
    "access-matrix": "/access/",
    "access-system": "/access/contact-creator/",
    "access-role": "/access/roles/campaign-organiser/",
    "gdpr-guide": "/guides/gdpr/",
    "contributing": "/contributing/",
    "subscribe": "/subscribe/",
    "alerts-docs": "/alerts/",
    "operations-guide": "/operations/",
}

_axe = Axe()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_page_is_accessible_and_self_contained(
    visit: Callable[..., Visit],
    site_server: SiteServer,
    page_type: str,
    width: int,
    scheme: Literal["light", "dark"],
) -> None:
    v = visit(width=width, color_scheme=scheme)
    response = v.page.goto(site_server.base_url + PAGE_TYPES[page_type])
    assert response is not None and response.ok
    v.page.wait_for_load_state("networkidle")
    # Judge the page as it settles, not halfway through the theme's fade-in transitions.
    v.page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    screenshot(v.page, f"{page_type}-{width}-{scheme}")
    results = _axe.run(v.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    assert v.requests.third_party() == []
    # Nothing overflows sideways at a phone's width (WCAG 1.4.10 reflow).
    overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_keyboard_focus_is_visible(visit: Callable[..., Visit], site_server: SiteServer) -> None:
    """Every one of the first dozen stops of the Tab key shows an outline."""
    v = visit(width=1280)
    v.page.goto(site_server.base_url + "/status/")
    seen = []
    for _ in range(12):
        v.page.keyboard.press("Tab")
        style, width, tag, label = v.page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [s.outlineStyle, s.outlineWidth, e.tagName,"
            " (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30)]; })()"
        )
        seen.append(label)
        if tag == "BODY":
            continue
        assert style != "none" and width != "0px", f"no visible focus on {tag} {label!r}"
    assert len(set(seen)) > 3  # focus really moved through the page


def test_status_overview_reads_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/status/")
    items = v.page.locator("li.gh-system")
    assert items.count() > 0
    for i in range(items.count()):
        text = items.nth(i).inner_text()
        assert any(s in text for s in ("Operational", "Degraded", "Down", "No data"))
        assert "90 days" in text
    # At the top, one row per tool: its name, its state in words and its 90-day figure, all
    # inside the page's column (nothing cut off or pushed sideways at 320 px).
    rows = v.page.locator("table.gh-glance tbody tr")
    assert rows.count() == items.count()
    column = v.page.locator("article").bounding_box()
    table = v.page.locator("table.gh-glance").bounding_box()
    assert column is not None and table is not None
    assert table["x"] + table["width"] <= column["x"] + column["width"]
    for i in range(rows.count()):
        cells = rows.nth(i).locator("th, td").all_inner_texts()
        assert cells[0].strip()
        assert any(s in cells[1] for s in ("Operational", "Degraded", "Down", "No data"))
        assert cells[2].strip().endswith("%") or cells[2].strip() == "no data"


@pytest.mark.parametrize("path", ["/status/", "/status/dialogue/"])
def test_status_day_lists_are_not_numbered_with_letters(
    visit: Callable[..., Visit], site_server: SiteServer, path: str
) -> None:
    v = visit(width=390)
    v.page.goto(site_server.base_url + path)
    markers = v.page.evaluate(
        "Array.from(document.querySelectorAll('article li'))"
        ".map(li => getComputedStyle(li).listStyleType)"
    )
    assert markers
    lettered = {"lower-alpha", "upper-alpha", "lower-latin", "upper-latin", "lower-roman"}
    assert not lettered & set(markers), sorted(set(markers))


def test_every_tool_state_shows_within_two_phone_screens(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    # Reported: on a 390 px phone it took about seven screens to see every tool.
    v = visit(width=390)
    v.page.goto(site_server.base_url + "/status/")
    screen = v.page.viewport_size
    assert screen is not None
    rows = v.page.locator("table.gh-glance tbody tr")
    assert rows.count() == v.page.locator("li.gh-system").count() > 0
    last = rows.last.bounding_box()
    assert last is not None
    screens = (last["y"] + last["height"]) / screen["height"]
    assert screens <= 2, f"the last tool's row ends {screens:.1f} screens down"
