"""The catalogue and access register in real Chromium: usable with JavaScript off, and the
optional filter narrowing the catalogue with it on."""

from __future__ import annotations

from collections.abc import Callable

from portal.load import load_catalog
from tests.browser.conftest import SiteServer, Visit
from tests.conftest import BuiltSite


def test_access_matrix_reads_as_per_role_lists_on_a_phone_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer, demo_site: BuiltSite
) -> None:
    catalog, _ = load_catalog(demo_site.root)
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/access/")
    assert not v.page.locator("table.gh-matrix__table").is_visible()
    lists = v.page.locator(".gh-matrix--lists")
    assert lists.is_visible()
    headings = lists.locator("h3 > a:not(.headerlink)")
    assert headings.all_inner_texts() == [role.name for role in catalog.roles.values()]
    assert all(headings.nth(i).is_visible() for i in range(headings.count()))
    # Each tool a role can use is listed under it with its level, in words.
    organiser = catalog.roles["campaign-organiser"]
    text = lists.inner_text()
    after = text.split(organiser.name, 1)[1]
    for system in catalog.systems.values():
        level = next(
            (
                lv.level
                for lv in (system.access.levels if system.access else [])
                if lv.role == organiser.id
            ),
            None,
        )
        if level:
            assert f"{system.name}: {level}" in after, system.id


def test_access_matrix_is_a_table_on_a_wide_screen_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer, demo_site: BuiltSite
) -> None:
    catalog, _ = load_catalog(demo_site.root)
    v = visit(width=1280, javascript=False)
    v.page.goto(site_server.base_url + "/access/")
    table = v.page.locator("table.gh-matrix__table")
    assert table.is_visible()
    assert not v.page.locator(".gh-matrix--lists").is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == len(catalog.roles)
    assert table.locator("thead th").count() == len(catalog.systems) + 1
    # Nothing scrolls sideways: the whole matrix fits a laptop screen.
    overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_catalogue_without_javascript_lists_every_tool_and_links_filter_pages(
    visit: Callable[..., Visit], site_server: SiteServer, demo_site: BuiltSite
) -> None:
    catalog, _ = load_catalog(demo_site.root)
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/systems/")
    assert v.page.locator("form.gh-filter").count() == 0
    assert v.page.locator(".gh-card").count() == len(catalog.systems)
    team = catalog.teams["contact-creator"]
    v.page.get_by_role("link", name=team.name, exact=True).first.click()
    v.page.wait_for_url("**/systems/by-team/contact-creator/")
    owned = [s.name for s in catalog.systems.values() if s.team == team.id]
    names = v.page.locator(".gh-card h3 > a:not(.headerlink)").all_inner_texts()
    assert sorted(names) == sorted(owned)


def test_catalogue_filter_narrows_the_list_with_javascript(
    visit: Callable[..., Visit], site_server: SiteServer, demo_site: BuiltSite
) -> None:
    catalog, _ = load_catalog(demo_site.root)
    v = visit(width=1280)
    v.page.goto(site_server.base_url + "/systems/")
    v.page.get_by_label("Team", exact=True).select_option("digital-organising")
    v.page.get_by_label("Lifecycle", exact=True).select_option("live")
    wanted = sorted(
        s.name
        for s in catalog.systems.values()
        if s.team == "digital-organising" and s.lifecycle == "live"
    )
    shown = v.page.locator(".gh-card:visible h3 > a:not(.headerlink)").all_inner_texts()
    assert sorted(shown) == wanted
    status = v.page.locator(".gh-filter__count").inner_text()
    assert status == f"Showing {len(wanted)} of {len(catalog.systems)} tools."
    v.page.get_by_label("Team", exact=True).select_option("")
    v.page.get_by_label("Lifecycle", exact=True).select_option("")
    assert v.page.locator(".gh-card:visible").count() == len(catalog.systems)


def test_dependency_map_and_its_text_read_without_javascript(
    visit: Callable[..., Visit], site_server: SiteServer, demo_site: BuiltSite
) -> None:
    catalog, _ = load_catalog(demo_site.root)
    v = visit(width=320, javascript=False)
    v.page.goto(site_server.base_url + "/systems/map/")
    assert v.page.get_by_role(
        "img", name=f"Dependency map of {len(catalog.systems)} tools"
    ).is_visible()
    words = v.page.locator("h2:has-text('Every dependency, in words') + ul > li")
    assert words.count() == len(catalog.systems)
