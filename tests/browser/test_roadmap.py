"""The roadmap board in real Chromium: fully usable with JavaScript off, stacked on a phone,
three columns on a wide screen, and filtered in place when JavaScript runs."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import FloatRect, Page

from portal.yamlio import load_document
from tests.browser.conftest import SiteServer, Visit
from tests.conftest import REPO

RAW = {p.stem: load_document(p, root=REPO).data for p in sorted((REPO / "roadmap").glob("*.yml"))}
HORIZONS = ("now", "next", "later")


def column_boxes(page: Page) -> list[FloatRect]:
    boxes = []
    for horizon in HORIZONS:
        box = page.locator(f"section.gh-column--{horizon}").bounding_box()
        assert box is not None, f"column {horizon} is not shown"
        boxes.append(box)
    return boxes


def test_board_reads_and_stacks_on_a_phone_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/roadmap/")
    now, nxt, later = column_boxes(v.page)
    # One column under another: each starts below the end of the one before.
    assert now["y"] + now["height"] <= nxt["y"]
    assert nxt["y"] + nxt["height"] <= later["y"]
    cards = v.page.locator("li.gh-card")
    assert cards.count() == len(RAW)
    for i in range(cards.count()):
        card = cards.nth(i)
        title = card.locator("h3 a")
        assert title.is_visible()
        item = RAW[title.get_attribute("href").strip("/")]  # type: ignore[union-attr]
        text = card.inner_text()
        assert item["title"] in text
        assert "Last updated" in text and "Team" in text and "Tools" in text
        status = card.locator(".gh-rstatus").inner_text()
        assert status.lower().replace(" ", "-") == item["status"]
    # Without JavaScript there is no in-place filter, only links to filter pages.
    assert v.page.locator("form.gh-filter-form").count() == 0
    assert v.requests.third_party() == []


def test_filter_links_work_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/roadmap/")
    v.page.locator('.gh-filter[data-gh-filter="status"] a', has_text="In progress").click()
    v.page.wait_for_url("**/roadmap/status/in-progress/")
    titles = v.page.locator("li.gh-card h3").all_inner_texts()
    assert sorted(titles) == sorted(
        v["title"] for v in RAW.values() if v["status"] == "in-progress"
    )


def test_board_has_three_columns_side_by_side_on_a_wide_screen(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=1280, javascript=False)
    v.page.goto(site_server.base_url + "/roadmap/")
    now, nxt, later = column_boxes(v.page)
    assert now["y"] == nxt["y"] == later["y"]
    assert now["x"] + now["width"] <= nxt["x"] and nxt["x"] + nxt["width"] <= later["x"]


def visible_titles(page: Page) -> list[str]:
    return sorted(page.locator("li.gh-card:visible h3").all_inner_texts())


def test_board_filters_in_place_with_javascript(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=1280)
    v.page.goto(site_server.base_url + "/roadmap/")
    count = v.page.locator(".gh-filter-form__count")
    assert count.inner_text() == f"Showing all {len(RAW)} items."
    v.page.get_by_label("Status", exact=True).select_option(label="Planned")
    planned = sorted(r["title"] for r in RAW.values() if r["status"] == "planned")
    assert visible_titles(v.page) == planned
    assert count.inner_text() == f"Showing {len(planned)} of {len(RAW)} items."
    v.page.get_by_label("Tool", exact=True).select_option(label="Dialogue")
    both = sorted(
        r["title"] for r in RAW.values() if r["status"] == "planned" and "dialogue" in r["systems"]
    )
    assert visible_titles(v.page) == both
    v.page.get_by_label("Status", exact=True).select_option(label="All")
    v.page.get_by_label("Tool", exact=True).select_option(label="All")
    v.page.get_by_label("Team", exact=True).select_option(label="Contact Creator team")
    assert visible_titles(v.page) == sorted(
        r["title"] for r in RAW.values() if r["team"] == "contact-creator"
    )
