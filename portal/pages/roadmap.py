"""The public roadmap: the board, a page per item, recently shipped, filters and an Atom feed.

Pages are Markdown; the board's cards are raw HTML (a CSS grid that stacks on a phone), so
their links are written as directory URLs relative to each page's own URL. Filters are plain
generated pages (one per system, team and status) so they work with JavaScript off; the
optional ``assets/roadmap-filter.js`` filters the board in place when JavaScript runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from portal import roadmap as rm
from portal.context import SiteContext
from portal.feeds import FeedEntry, atom_feed
from portal.models.roadmap import (
    HORIZON_LABELS,
    STATUS_LABELS,
    STATUSES,
    Horizon,
    RoadmapItem,
    RoadmapUpdate,
)
from portal.render import render

__all__ = [
    "FEED_PATH",
    "HORIZON_BLURBS",
    "Card",
    "Column",
    "Filter",
    "change_title",
    "feed",
    "pages",
]

FEED_PATH = "roadmap/feed.xml"

HORIZON_BLURBS: dict[Horizon, str] = {
    "now": "What we are working on now, and what we have finished.",
    "next": "What we plan to start when the work in Now allows.",
    "later": "Ideas and longer-term plans. Nothing here is a promise yet.",
}


@dataclass(frozen=True)
class Card:
    """One item as the board shows it."""

    item: RoadmapItem
    href: str  # the item's page, relative to the URL of the page showing the card
    systems: str  # the systems' names, or "Every tool"
    system_ids: str  # space-separated, for the in-place filter script
    team: str
    stale_days: int | None  # days since the last update, if the item is stale


@dataclass(frozen=True)
class Column:
    horizon: Horizon
    label: str
    blurb: str
    cards: list[Card]


@dataclass(frozen=True)
class Filter:
    """A generated filter page, as the board links to it."""

    key: str  # the system, team or status id
    label: str
    path: str  # relative to roadmap/, e.g. "system/dialogue.md"
    count: int


@dataclass(frozen=True)
class _Roadmap:
    """What every roadmap page needs, worked out once per build."""

    ctx: SiteContext
    today: date

    def card(self, item: RoadmapItem, url_prefix: str) -> Card:
        systems = self.ctx.catalog.systems
        every = len(systems) > 1 and set(item.systems) >= set(systems)
        days = self.ctx.catalog.portal.roadmap.stale_now_days
        return Card(
            item=item,
            href=f"{url_prefix}{item.id}/",
            systems="Every tool" if every else ", ".join(systems[s].name for s in item.systems),
            system_ids=" ".join(item.systems),
            team=self.ctx.catalog.teams[item.team].name,
            stale_days=rm.days_since_update(item, today=self.today)
            if rm.is_stale(item, today=self.today, days=days)
            else None,
        )

    def columns(self, items: Iterable[RoadmapItem], url_prefix: str) -> list[Column]:
        return [
            Column(
                horizon=horizon,
                label=HORIZON_LABELS[horizon],
                blurb=HORIZON_BLURBS[horizon],
                cards=[self.card(item, url_prefix) for item in column],
            )
            for horizon, column in rm.board_columns(items)
        ]

    def filters(self) -> dict[str, list[Filter]]:
        content = self.ctx.content
        catalog = self.ctx.catalog
        return {
            "system": [
                Filter(s.id, s.name, f"system/{s.id}.md", len(rm.items_for_system(content, s.id)))
                for s in sorted(catalog.systems.values(), key=lambda s: s.name)
            ],
            "team": [
                Filter(t.id, t.name, f"team/{t.id}.md", len(rm.items_for_team(content, t.id)))
                for t in sorted(catalog.teams.values(), key=lambda t: t.name)
            ],
            "status": [
                Filter(s, STATUS_LABELS[s], f"status/{s}.md", len(rm.items_for_status(content, s)))
                for s in STATUSES
            ],
        }

    def common(self) -> dict[str, object]:
        portal = self.ctx.catalog.portal
        return {
            "portal": portal,
            "today": self.today,
            "stale_now_days": portal.roadmap.stale_now_days,
        }


def change_title(item: RoadmapItem, update: RoadmapUpdate, *, first: bool) -> str:
    """A change in a few words: what a feed reader shows in its list."""
    if first and update.to is not None:
        return f"New on the roadmap: {item.title} ({STATUS_LABELS[update.to]})"
    if update.to is not None and update.from_ is not None:
        return f"{item.title}: {STATUS_LABELS[update.from_]} → {STATUS_LABELS[update.to]}"
    return f"Update: {item.title}"


def feed(ctx: SiteContext) -> str:
    """One Atom entry per dated update of every item, newest first."""
    portal = ctx.catalog.portal
    base = portal.site_url.rstrip("/") + "/"
    host = urlsplit(base).hostname or "localhost"
    entries = [
        FeedEntry(
            # Stable while the log is append-only: the day and the update's place in that day.
            id=f"tag:{host},{change.date.isoformat()}:roadmap/{change.item.id}/{change.ordinal}",
            title=change_title(change.item, change.update, first=change.is_new_item),
            updated=datetime.combine(change.date, time(), tzinfo=UTC),
            link=f"{base}roadmap/{change.item.id}/",
            summary=change.update.text,
            categories=tuple(change.item.systems),
        )
        for change in rm.roadmap_changes(ctx.content)
    ]
    return atom_feed(
        feed_id=f"{base}{FEED_PATH}",
        title=f"{portal.name}: roadmap changes",
        self_url=f"{base}{FEED_PATH}",
        site_url=f"{base}roadmap/",
        author=portal.organisation,
        entries=entries,
        updated=None if entries else ctx.now,
    )


def _filter_page(view: _Roadmap, *, title: str, lead: str, items: list[RoadmapItem]) -> str:
    return render(
        "roadmap/filter.md.j2",
        title=title,
        lead=lead,
        count=len(items),
        columns=view.columns(items, "../../"),
        **view.common(),
    )


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    view = _Roadmap(ctx, ctx.now.date())
    content = ctx.content
    catalog = ctx.catalog
    settings = catalog.portal.roadmap
    result: dict[str, str | bytes] = {
        "roadmap/index.md": render(
            "roadmap/index.md.j2",
            columns=view.columns(content.roadmap, ""),
            filters=view.filters(),
            count=len(content.roadmap),
            last_updated=rm.last_updated(content),
            next_review=settings.next_review,
            **view.common(),
        ),
        "roadmap/shipped.md": render(
            "roadmap/shipped.md.j2",
            items=rm.shipped_items(content),
            teams=catalog.teams,
            systems=catalog.systems,
            **view.common(),
        ),
        FEED_PATH: feed(ctx),
    }
    for item in content.roadmap:
        result[f"roadmap/{item.id}.md"] = render(
            "roadmap/item.md.j2",
            item=item,
            card=view.card(item, "../"),
            systems=[catalog.systems[s] for s in item.systems],
            updates=list(reversed(list(enumerate(item.updates)))),
            **view.common(),
        )
    for system in catalog.systems.values():
        result[f"roadmap/system/{system.id}.md"] = _filter_page(
            view,
            title=f"Roadmap: {system.name}",
            lead=f"Everything on the roadmap that touches {system.name}.",
            items=rm.items_for_system(content, system.id),
        )
    for team in catalog.teams.values():
        result[f"roadmap/team/{team.id}.md"] = _filter_page(
            view,
            title=f"Roadmap: {team.name}",
            lead=f"Everything on the roadmap that {team.name} owns.",
            items=rm.items_for_team(content, team.id),
        )
    for status in STATUSES:
        result[f"roadmap/status/{status}.md"] = _filter_page(
            view,
            title=f"Roadmap: {STATUS_LABELS[status]}",
            lead=f"Every item whose status is {STATUS_LABELS[status].lower()}.",
            items=rm.items_for_status(content, status),
        )
    return result
