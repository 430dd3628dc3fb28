"""The roadmap's pure parts on the fixture: board grouping, staleness, warnings and the feed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import pytest

from portal.content import Content, content_warnings, load_content
from portal.context import build_context
from portal.models.roadmap import RoadmapItem, quarter_label
from portal.pages.roadmap import feed
from portal.roadmap import (
    board_columns,
    is_stale,
    items_for_system,
    last_updated,
    latest_changes,
    roadmap_changes,
    shipped_items,
)
from tests.roadmap_fixture import NOW, STALE_NOW_DAYS, TODAY, make_root, raw_items

RAW = raw_items()


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(make_root(tmp_path_factory.mktemp("roadmap") / "repo"), today=TODAY)


def test_board_has_three_columns_each_holding_its_horizon(content: Content) -> None:
    columns = board_columns(content.roadmap)
    assert [horizon for horizon, _ in columns] == ["now", "next", "later"]
    for horizon, items in columns:
        assert {i.id for i in items} == {k for k, v in RAW.items() if v["horizon"] == horizon}
    now = [i.id for i in dict(columns)["now"]]
    # Work under way first (in progress by title), then paused, then shipped, then dropped.
    assert now == [
        "beta-stale",
        "gamma-fresh",
        "theta-limit",
        "iota-paused",
        "alpha-shipped",
        "eta-shipped",
        "zeta-dropped",
    ]


def test_every_shipped_item_is_in_now(content: Content) -> None:
    now = {i.id for i in dict(board_columns(content.roadmap))["now"]}
    shipped = {k for k, v in RAW.items() if v["status"] == "shipped"}
    assert shipped == {"alpha-shipped", "eta-shipped"}
    assert shipped <= now


def test_stale_means_in_now_active_and_quiet_for_the_limit_or_longer(content: Content) -> None:
    stale = {i.id for i in content.roadmap if is_stale(i, today=TODAY, days=STALE_NOW_DAYS)}
    # beta: 58 days; theta: exactly 30; iota (paused) 29 days is inside the limit; shipped,
    # dropped and later items are never stale however old.
    assert stale == {"beta-stale", "theta-limit"}
    iota = next(i for i in content.roadmap if i.id == "iota-paused")
    assert is_stale(iota, today=date(2026, 11, 29), days=STALE_NOW_DAYS)


def test_validate_warns_about_stale_items_and_an_overdue_review(content: Content) -> None:
    # The shipped engineer docs and personal data add their own warnings (skeletons to
    # finish, lawful bases to confirm); not ours here.
    warnings = [
        str(w)
        for w in content_warnings(content, today=TODAY)
        if not w.file.startswith("site_src/systems/") and not w.field.endswith(".confirmed")
    ]
    assert warnings == [
        "catalog/portal.yml:22: warning: roadmap.next_review: the roadmap review was due on"
        " 2026-11-01; review the items and set the next date",
        'roadmap/beta-stale.yml:13: warning: updates: in "now" but not updated for 58 days'
        " (the limit is 30); add an update saying where it stands",
        'roadmap/theta-limit.yml:9: warning: updates: in "now" but not updated for 30 days'
        " (the limit is 30); add an update saying where it stands",
    ]


def test_validate_cli_prints_the_stale_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = make_root(tmp_path / "repo")
    run = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), "validate", "--today", "2026-11-28"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "roadmap/beta-stale.yml:13: warning: updates:" in run.stdout
    assert f"{len(RAW)} roadmap items" in run.stdout


def test_items_for_a_system_are_those_that_name_it(content: Content) -> None:
    for system in ("dialogue", "organise", "turnout", "insight"):
        expected = {k for k, v in RAW.items() if system in v["systems"]}
        found = items_for_system(content, system)
        assert {i.id for i in found} == expected
    assert [i.id for i in items_for_system(content, "turnout")] == [
        "eta-shipped",  # now
        "epsilon-later",  # later
    ]


def test_shipped_items_newest_first(content: Content) -> None:
    assert [i.id for i in shipped_items(content)] == ["alpha-shipped", "eta-shipped"]


def test_changes_one_per_update_newest_first(content: Content) -> None:
    changes = roadmap_changes(content)
    assert len(changes) == sum(len(v["updates"]) for v in RAW.values())
    dates = [c.date for c in changes]
    assert dates == sorted(dates, reverse=True)
    assert last_updated(content) == date(2026, 11, 28)
    latest = latest_changes(content, 3)
    # Both delta updates are on the newest day, the later one first; then gamma's note.
    assert [(c.item.id, c.update.text) for c in latest] == [
        ("delta-next", "Delta will start after Beta."),
        ("delta-next", "Delta is planned."),
        ("gamma-fresh", "Gamma is half done."),
    ]


def test_feed_has_one_entry_per_dated_change_newest_first(content: Content) -> None:
    ctx = build_context(content, {}, now=NOW)
    parsed = feedparser.parse(feed(ctx))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    entries = parsed.entries
    assert len(entries) == sum(len(v["updates"]) for v in RAW.values())
    assert len({e.id for e in entries}) == len(entries)
    updated = [e.updated for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert parsed.feed.updated == "2026-11-28T00:00:00Z"
    site = content.catalog.portal.site_url.rstrip("/")
    assert parsed.feed.links[0].href == f"{site}/roadmap/feed.xml"
    # Every update of every item is there, linked to its item's page, with its own text.
    for item_id, raw in RAW.items():
        mine = [e for e in entries if e.link == f"{site}/roadmap/{item_id}/"]
        assert [e.summary for e in mine] == [u["text"] for u in reversed(raw["updates"])]
        assert {t.term for t in mine[0].tags} == set(raw["systems"])
    alpha = [e.title for e in entries if e.link.endswith("/alpha-shipped/")]
    assert alpha == [
        "Alpha, shipped in October: In progress → Shipped",
        "Alpha, shipped in October: Planned → In progress",
        "New on the roadmap: Alpha, shipped in October (Planned)",
    ]
    gamma = [e.title for e in entries if e.link.endswith("/gamma-fresh/")]
    assert gamma[0] == "Update: Gamma, in progress with a recent note"


def test_an_empty_roadmap_still_has_a_valid_feed(content: Content) -> None:
    empty = Content(catalog=content.catalog, sources=content.sources, roadmap=())
    parsed = feedparser.parse(feed(build_context(empty, {}, now=NOW)))
    assert not parsed.bozo
    assert parsed.entries == []
    assert parsed.feed.updated == "2026-11-28T12:00:00Z"


@pytest.mark.parametrize(
    ("quarter", "label"),
    [
        ("2027-Q1", "January to March 2027"),
        ("2027-Q2", "April to June 2027"),
        ("2026-Q3", "July to September 2026"),
        ("2030-Q4", "October to December 2030"),
    ],
)
def test_quarters_read_as_months(quarter: str, label: str) -> None:
    assert quarter_label(quarter) == label


def test_a_quarter_that_does_not_exist_is_rejected() -> None:
    from pydantic import ValidationError

    data = {
        "id": "x",
        "title": "X",
        "summary": "X.",
        "systems": ["dialogue"],
        "team": "t",
        "status": "planned",
        "horizon": "next",
        "updates": [{"date": "2026-11-28", "to": "planned", "text": "X."}],
    }
    RoadmapItem.model_validate({**data, "target": "2027-Q4"})
    for bad in ("2027-Q5", "2027-Q0", "27-Q1", "2027Q1"):
        with pytest.raises(ValidationError):
            RoadmapItem.model_validate({**data, "target": bad})
