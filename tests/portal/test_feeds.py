"""Atom output parses with a real feed parser and keeps entries newest first."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest

from portal.feeds import FeedEntry, atom_feed


def entry(day: int, title: str) -> FeedEntry:
    return FeedEntry(
        id=f"tag:example.org,2026:entry-{day}",
        title=title,
        updated=datetime(2026, 11, day, 9, 30, tzinfo=UTC),
        link=f"https://example.org/item-{day}/",
        summary=f"{title} & <more>",
        categories=("roadmap",),
    )


def test_feed_parses_and_orders_newest_first() -> None:
    text = atom_feed(
        feed_id="tag:example.org,2026:feed",
        title="Changes",
        self_url="https://example.org/feed.xml",
        site_url="https://example.org/",
        author="Digital team",
        entries=[entry(3, "Third"), entry(12, "Twelfth"), entry(7, "Seventh")],
    )
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Twelfth", "Seventh", "Third"]
    assert parsed.entries[0].summary == "Twelfth & <more>"
    assert parsed.feed.updated == "2026-11-12T09:30:00Z"


def small_feed(entries: list[FeedEntry]) -> str:
    return atom_feed(
        feed_id="tag:x,2026:f",
        title="t",
        self_url="https://x/f.xml",
        site_url="https://x/",
        author="a",
        entries=entries,
    )


def test_same_entries_give_the_same_bytes() -> None:
    assert small_feed([entry(1, "a"), entry(2, "b")]) == small_feed([entry(2, "b"), entry(1, "a")])


def test_empty_feed_needs_a_time() -> None:
    with pytest.raises(ValueError, match="explicit updated"):
        atom_feed(
            feed_id="tag:x,2026:f",
            title="t",
            self_url="https://x/f.xml",
            site_url="https://x/",
            author="a",
            entries=[],
        )
