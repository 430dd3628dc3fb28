"""Atom feeds (RFC 4287), written deterministically: same entries, same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

__all__ = ["FeedEntry", "atom_feed"]

_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str  # a stable URI (tag: or the page URL with a fragment): never reused for another entry
    title: str
    updated: datetime
    link: str  # absolute URL of the page that tells the whole story
    summary: str  # plain text
    content_html: str | None = None
    categories: tuple[str, ...] = ()


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    site_url: str,
    author: str,
    entries: Sequence[FeedEntry],
    updated: datetime | None = None,
) -> str:
    """An Atom document, newest entry first. ``updated`` defaults to the newest entry's time.

    A feed with no entries needs an explicit ``updated`` (the build time) to stay valid.
    """
    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    stamp = updated or (ordered[0].updated if ordered else None)
    if stamp is None:
        raise ValueError("an empty feed needs an explicit updated time")
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        if text is not None:
            child.text = text
        return child

    add(feed, "id", feed_id)
    add(feed, "title", title)
    add(feed, "updated", _time(stamp))
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(feed, "link", rel="alternate", type="text/html", href=site_url)
    author_el = add(feed, "author")
    add(author_el, "name", author)
    for entry in ordered:
        item = add(feed, "entry")
        add(item, "id", entry.id)
        add(item, "title", entry.title)
        add(item, "updated", _time(entry.updated))
        add(item, "link", rel="alternate", type="text/html", href=entry.link)
        for category in entry.categories:
            add(item, "category", term=category)
        add(item, "summary", entry.summary, type="text")
        if entry.content_html is not None:
            add(item, "content", entry.content_html, type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
