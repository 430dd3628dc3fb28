"""The roadmap as built by mkdocs --strict: checked on the HTML members get.

The fixture roadmap (tests/data/roadmap_site) is built with the shipped catalogue on a fixed
day; expected values come from the fixture files, read here without the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest

from portal.content import Content, load_content
from portal.models.roadmap import STATUS_LABELS
from portal.render import environment
from portal.roadmap import items_for_system, latest_changes
from portal.yamlio import load_document
from tests.conftest import REPO, BuiltSite, build_site
from tests.html_tree import Node, parse_html
from tests.roadmap_fixture import NOW, TODAY, make_root, raw_items
from tests.test_links import broken_links

RAW = raw_items()


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path
    content: Content

    def page(self, path: str) -> Node:
        return parse_html((self.site / path).read_text(encoding="utf-8"))


def _probe(template: str, **context: object) -> str:
    return environment().from_string(template).render(**context)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_root(tmp_path_factory.mktemp("roadmap-site") / "repo")
    content = load_content(root, today=TODAY)
    # Stand-ins for the pages other sections will call the roadmap macros from; the strict
    # build checks that every link the macros write resolves from where they are called.
    docs = root / "site_src"
    (docs / "probe").mkdir()
    (docs / "probe-home.md").write_text(
        _probe(
            '{% from "roadmap/_for_system.j2" import recent_changes %}'
            '# Home probe\n\n{{ recent_changes(changes, "") }}\n',
            changes=latest_changes(content, 3),
        )
    )
    for system_id in ("dialogue", "insight"):
        (docs / "probe" / f"{system_id}.md").write_text(
            _probe(
                '{% from "roadmap/_for_system.j2" import roadmap_section %}'
                '# System probe\n\n{{ roadmap_section(items, "../", system) }}\n',
                items=items_for_system(content, system_id),
                system=content.catalog.systems[system_id],
            )
        )
    site = build_site(root, root / "no-history", root / "site", now=NOW)
    return Built(root, site, content)


def card_ids(scope: Node) -> list[str]:
    return [
        card.find("h3").find("a").attrs["href"].strip("/").split("/")[-1]
        for card in scope.find_all("li", "gh-card")
    ]


def column(page: Node, horizon: str) -> Node:
    return page.find("section", f"gh-column--{horizon}")


def test_board_shows_every_item_in_its_column_and_shipped_items_in_now(built: Built) -> None:
    board = built.page("roadmap/index.html")
    for horizon in ("now", "next", "later"):
        expected = {k for k, v in RAW.items() if v["horizon"] == horizon}
        assert set(card_ids(column(board, horizon))) == expected, horizon
    shipped = {k for k, v in RAW.items() if v["status"] == "shipped"}
    assert shipped and shipped <= set(card_ids(column(board, "now")))
    for card in board.find_all("li", "gh-card"):
        item = RAW[card_ids(card)[0]]
        assert card.find("span", "gh-rstatus").text() == STATUS_LABELS[item["status"]]
        last = item["updates"][-1]["date"]
        assert card.find_all("time")[-1].attrs["datetime"] == last


def test_board_flags_stale_items_only(built: Built) -> None:
    board = built.page("roadmap/index.html")
    flagged = {card_ids(c)[0]: c.find("span", "gh-stale").text() for c in _stale_cards(board)}
    # Build day 2026-11-28: beta last updated 2026-10-01 (58 days), theta 2026-10-29 (30).
    assert flagged == {
        "beta-stale": "Not updated for 58 days",
        "theta-limit": "Not updated for 30 days",
    }


def _stale_cards(page: Node) -> list[Node]:
    return [c for c in page.find_all("li", "gh-card") if c.find_all("span", "gh-stale")]


def test_board_says_when_it_was_updated_and_reviewed_and_where_to_discuss(built: Built) -> None:
    board = built.page("roadmap/index.html")
    meta = board.find("div", "gh-roadmap-meta").text()
    assert "Last updated: 28 November 2026." in meta
    assert "Next review: was due on 1 November 2026 and is overdue." in meta
    hrefs = {a.attrs["href"]: a.text() for a in board.find_all("a")}
    assert built.content.catalog.portal.discuss_url in hrefs
    assert hrefs["feed.xml"] == "the roadmap changes feed (Atom)"
    assert hrefs["shipped/"] == "what we have shipped recently"
    for kind, keys in (
        ("system", built.content.catalog.systems),
        ("team", built.content.catalog.teams),
        ("status", STATUS_LABELS),
    ):
        for key in keys:
            assert f"{kind}/{key}/" in hrefs, f"no filter link for {kind} {key}"


@pytest.mark.parametrize("item_id", sorted(RAW))
def test_item_page_lists_its_updates_newest_first(built: Built, item_id: str) -> None:
    page = built.page(f"roadmap/{item_id}/index.html")
    updates = page.find("ol", "gh-updates").find_all("li", "gh-update")
    raw = list(reversed(RAW[item_id]["updates"]))
    assert [u.find("time").attrs["datetime"] for u in updates] == [r["date"] for r in raw]
    assert [u.find_all("p")[-1].text() for u in updates] == [r["text"] for r in raw]
    for node, update in zip(updates, raw, strict=True):
        badges = [
            b.text() for b in node.find("p", "gh-update__head").find_all("span", "gh-rstatus")
        ]
        wanted = [update[k] for k in ("from", "to") if k in update]
        assert badges == [STATUS_LABELS[s] for s in wanted]
    assert page.find("h1").text().startswith(RAW[item_id]["title"])


def test_status_changes_read_from_and_to(built: Built) -> None:
    page = built.page("roadmap/alpha-shipped/index.html")
    heads = [h.text() for h in page.find_all("p", "gh-update__head")]
    assert heads == [
        "15 October 2026: status changed: In progress → to Shipped",
        "20 September 2026: status changed: Planned → to In progress",
        "1 September 2026: added to the roadmap as Planned",
    ]


def test_item_page_links_systems_discussion_and_its_own_links(built: Built) -> None:
    page = built.page("roadmap/alpha-shipped/index.html")
    hrefs = {a.attrs["href"]: a.text() for a in page.find_all("a")}
    assert hrefs["https://git.example.org/digital/glasshouse/issues/1"] == (
        "The public issue for Alpha"
    )
    assert hrefs[built.content.catalog.portal.discuss_url] == "the members' roadmap discussion"
    for system_id in RAW["alpha-shipped"]["systems"]:
        name = built.content.catalog.systems[system_id].name
        assert hrefs[f"../../status/{system_id}/"] == f"{name}'s status now"
    assert hrefs["../system/dialogue/"] == "everything on the roadmap for Dialogue"
    assert hrefs["../feed.xml"] == "the roadmap changes feed (Atom)"


def test_only_stale_item_pages_warn_they_may_be_out_of_date(built: Built) -> None:
    warned = {
        item_id
        for item_id in RAW
        if "may be out of date" in built.page(f"roadmap/{item_id}/index.html").text()
    }
    assert warned == {"beta-stale", "theta-limit"}


def test_filter_pages_hold_exactly_the_matching_items(built: Built) -> None:
    catalog = built.content.catalog
    pages: list[tuple[str, set[str]]] = []
    for system in catalog.systems:
        pages.append((f"system/{system}", {k for k, v in RAW.items() if system in v["systems"]}))
    for team in catalog.teams:
        pages.append((f"team/{team}", {k for k, v in RAW.items() if v["team"] == team}))
    for status in STATUS_LABELS:
        pages.append((f"status/{status}", {k for k, v in RAW.items() if v["status"] == status}))
    for path, expected in pages:
        page = built.page(f"roadmap/{path}/index.html")
        ids = card_ids(page)
        assert set(ids) == expected, path
        for card in page.find_all("li", "gh-card"):
            assert card.find("h3").find("a").attrs["href"].startswith("../../"), path
        if not expected:
            assert "Nothing at the moment." in page.text(), path


def test_shipped_page_lists_shipped_items_newest_first(built: Built) -> None:
    page = built.page("roadmap/shipped/index.html")
    titles = [a.find("a").attrs["href"] for a in page.find_all("h3", "gh-shipped__title")]
    shipped = sorted((v["shipped"], k) for k, v in RAW.items() if v["status"] == "shipped")
    assert titles == [f"../{k}/" for _, k in reversed(shipped)]
    months = [h.text().rstrip("¶").strip() for h in page.find_all("h2")]
    assert months == ["October 2026", "June 2026"]


def test_built_feed_has_an_entry_for_every_update(built: Built) -> None:
    parsed = feedparser.parse((built.site / "roadmap" / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert len(parsed.entries) == sum(len(v["updates"]) for v in RAW.values())


def test_every_link_and_asset_on_the_fixture_site_resolves(built: Built) -> None:
    """Raw-HTML links are not checked by mkdocs --strict, so check them on the built files."""
    assert len(list((built.site / "roadmap").rglob("*.html"))) > len(RAW)
    assert broken_links(built.site) == []


def test_macros_for_other_sections_link_to_the_items(built: Built) -> None:
    home = built.page("probe-home/index.html")
    links = [a.attrs["href"] for a in home.find("article").find("ul").find_all("a")]
    # The three newest changes: delta's two updates on the build day, then gamma's note.
    assert links == [
        "../roadmap/delta-next/",
        "../roadmap/delta-next/",
        "../roadmap/gamma-fresh/",
    ]
    system = built.page("probe/dialogue/index.html")
    listed = [a.attrs["href"] for a in system.find("article").find("ul").find_all("a")]
    expected = [k for k, v in RAW.items() if "dialogue" in v["systems"]]
    assert sorted(listed) == sorted(f"../../roadmap/{k}/" for k in expected)
    empty = built.page("probe/insight/index.html").find("article").text()
    assert "Nothing on the roadmap for Insight at the moment." in empty


def test_shipped_content_board_shows_every_shipped_item_in_its_column(
    demo_site: BuiltSite,
) -> None:
    board = parse_html((demo_site.site / "roadmap" / "index.html").read_text(encoding="utf-8"))
    raw = {p.stem: load_document(p, root=REPO).data for p in (REPO / "roadmap").glob("*.yml")}
    for horizon in ("now", "next", "later"):
        expected = {k for k, v in raw.items() if v["horizon"] == horizon}
        assert set(card_ids(column(board, horizon))) == expected
    shipped = {k for k, v in raw.items() if v["status"] == "shipped"}
    assert shipped <= set(card_ids(column(board, "now")))
