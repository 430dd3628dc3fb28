"""Training pages in real Chromium: readable with JavaScript off; progress ticks kept in the
browser, shown on course and catalogue pages, saved to a file and loaded back; the catalogue
filter; the print view."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from portal.content import load_content
from tests.browser.conftest import SiteServer, Visit, assert_saved_for_offline, go_offline
from tests.conftest import REPO

CONTENT = load_content(REPO)
TRAINING = CONTENT.training
COURSE = TRAINING.courses["community-mapping"]
MODULE = TRAINING.modules[COURSE.modules[1]]  # a middle module: previous and next both exist
MODULE_URL = f"/training/{COURSE.id}/{MODULE.id}/"
COURSE_URL = f"/training/{COURSE.id}/"
TOTAL = len(COURSE.modules)


def test_module_reads_with_javascript_off(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320, javascript=False)
    page = v.page
    page.goto(site_server.base_url + MODULE_URL)
    objectives = page.locator(".admonition.abstract li")
    expect(objectives).to_have_count(len(MODULE.objectives))
    expect(objectives.first).to_be_visible()

    exercises = page.locator(".admonition.example")
    expect(exercises).to_have_count(len(MODULE.exercises))
    solution = exercises.first.locator("details")
    body = solution.locator(":scope > :not(summary)").first
    expect(solution.locator("summary")).to_have_text("Solution")
    expect(body).to_be_hidden()  # collapsed until asked for
    solution.locator("summary").click()
    expect(body).to_be_visible()

    checks = page.locator(".admonition.question")
    expect(checks).to_have_count(len(MODULE.self_checks))
    answer = checks.first.locator("details")
    answer_body = answer.locator(":scope > :not(summary)").first
    expect(answer_body).to_be_hidden()
    answer.locator("summary").click()  # a native <details>: no script needed to reveal it
    expect(answer_body).to_be_visible()

    trainers = page.locator("details.gh-trainers")
    expect(trainers.locator(":scope > :not(summary)").first).to_be_hidden()
    # No ticks without the script, and nothing on the page pretends there are.
    expect(page.get_by_text("Mark this module done")).to_have_count(0)
    expect(page.locator(".gh-module-nav a")).to_have_count(2)


def test_progress_is_kept_shown_exported_and_imported(
    visit: Callable[..., Visit], site_server: SiteServer, tmp_path: Path
) -> None:
    v = visit(width=1280)
    page = v.page
    page.goto(site_server.base_url + MODULE_URL)
    tick = page.get_by_label("Mark this module done")
    expect(tick).not_to_be_checked()
    tick.check()
    expect(page.get_by_role("status").filter(has_text="Saved in this browser.")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Mark this module done")).to_be_checked()

    page.goto(site_server.base_url + COURSE_URL)
    summary = page.locator(".gh-progress-summary .gh-progress-count")
    expect(summary).to_have_text(f"1 of {TOTAL} modules done")
    done_item = page.locator(f'[data-gh-progress-item="{MODULE.id}"] .gh-done')
    expect(done_item).to_have_text("Done")
    expect(page.locator(".gh-done")).to_have_count(1)

    page.goto(site_server.base_url + "/training/")
    card = page.locator(f'.gh-course[data-gh-course="{COURSE.id}"] .gh-progress-count')
    expect(card).to_have_text(f"1 of {TOTAL} modules done")
    # Courses not started say nothing.
    expect(page.locator(".gh-course .gh-progress-count")).to_have_count(1)

    page.goto(site_server.base_url + COURSE_URL)
    with page.expect_download() as download:
        page.get_by_role("button", name="Save progress to a file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["format"] == "glasshouse-training-progress"
    assert list(data["done"]) == [MODULE.id]

    page.evaluate("window.localStorage.clear()")
    page.reload()
    expect(summary).to_have_text(f"0 of {TOTAL} modules done")
    expect(page.locator(".gh-done")).to_have_count(0)

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Load progress from a file").click()
    chooser.value.set_files(saved)
    expect(summary).to_have_text(f"1 of {TOTAL} modules done")
    expect(page.get_by_role("status").filter(has_text="Loaded 1 finished module")).to_be_visible()
    expect(done_item).to_have_text("Done")

    # A file that is not a progress file changes nothing and says so.
    bad = tmp_path / "notes.json"
    bad.write_text('{"done": {"mapping-plan": "2026-11-28"}}')
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Load progress from a file").click()
    chooser.value.set_files(bad)
    expect(page.get_by_text("That file is not a Glasshouse progress file")).to_be_visible()
    expect(summary).to_have_text(f"1 of {TOTAL} modules done")

    page.goto(site_server.base_url + MODULE_URL)
    expect(page.get_by_label("Mark this module done")).to_be_checked()


def test_catalogue_filter_narrows_the_list_in_place(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=320)
    page = v.page
    page.goto(site_server.base_url + "/training/")
    cards = page.locator(".gh-course")
    total = len(TRAINING.courses)
    expect(page.get_by_role("status").filter(has_text="Showing")).to_have_text(
        f"Showing {total} of {total} courses."
    )
    role = "phonebank-volunteer"
    wanted = [c.id for c in TRAINING.courses.values() if role in c.audience]
    page.get_by_label("Who it is for").select_option(role)
    expect(page.locator(".gh-course:visible")).to_have_count(len(wanted))
    for course_id in wanted:
        expect(page.locator(f'.gh-course[data-gh-course="{course_id}"]')).to_be_visible()
    expect(cards).to_have_count(total)  # hidden, not removed
    page.get_by_label("Who it is for").select_option("")
    expect(page.locator(".gh-course:visible")).to_have_count(total)


def test_print_view_hides_navigation_and_opens_every_block(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    v = visit(width=1280)
    page = v.page
    page.goto(site_server.base_url + MODULE_URL)
    solution = page.locator(".admonition.example details > :not(summary)").first
    expect(solution).to_be_hidden()
    expect(page.get_by_label("Mark this module done")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-footer")).to_be_hidden()
    expect(page.get_by_label("Mark this module done")).to_be_hidden()
    expect(solution).to_be_visible()
    expect(page.locator("details.gh-trainers > :not(summary)").first).to_be_visible()


def test_a_table_too_wide_for_a_phone_scrolls_by_keyboard(
    visit: Callable[..., Visit], site_server: SiteServer
) -> None:
    """The asset table is wider than 320 px: its scrolling box is a named, focusable region
    that arrow keys scroll. At 1280 px the same table fits and adds no Tab stop."""
    v = visit(width=320)
    page = v.page
    page.goto(site_server.base_url + "/training/community-mapping/mapping-assets/")
    region = page.get_by_role("region", name="Table: scroll sideways to see all of it")
    expect(region).to_have_count(1)
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('[role=region].md-typeset__scrollwrap').scrollLeft > 0"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator(".md-typeset__scrollwrap[tabindex]")).to_have_count(0)


def test_visited_course_pages_work_offline_with_ticks(
    visit: Callable[..., Visit], private_site_server: SiteServer
) -> None:
    """Pages read once with signal open again without it (the site's service worker), and a
    module can still be marked done: progress never needed the network."""
    server = private_site_server
    v = visit(width=320, server=server)
    page = v.page
    page.goto(server.base_url + "/training/")
    assert_saved_for_offline(page, ["/training/"])
    for url in (COURSE_URL, MODULE_URL):
        page.goto(server.base_url + url)
        expect(page.locator("h1")).to_be_visible()
    assert_saved_for_offline(page, [COURSE_URL, MODULE_URL])
    go_offline(v, server)

    page.goto(server.base_url + MODULE_URL)
    expect(page.locator("h1")).to_contain_text(MODULE.title)
    expect(page.locator("#gh-offline")).to_contain_text("You are offline")
    expect(page.locator(".admonition.example")).to_have_count(len(MODULE.exercises))
    page.get_by_label("Mark this module done").check()
    page.goto(server.base_url + COURSE_URL)
    expect(page.locator(".gh-progress-summary .gh-progress-count")).to_have_text(
        f"1 of {TOTAL} modules done"
    )
