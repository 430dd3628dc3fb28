"""Pure questions about the roadmap: what is stale, what touches a system, what changed when.

Page builders, ``nox -s validate`` warnings and other sections' pages (a system's status page,
the home page) all ask these, so each answer is computed one way only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from portal.models.roadmap import (
    ACTIVE_STATUSES,
    HORIZONS,
    STATUSES,
    Horizon,
    RoadmapItem,
    RoadmapUpdate,
    Status,
)

if TYPE_CHECKING:
    from portal.content import Content

__all__ = [
    "RoadmapChange",
    "board_columns",
    "days_since_update",
    "is_stale",
    "item_order",
    "items_for_status",
    "items_for_system",
    "items_for_team",
    "last_updated",
    "latest_changes",
    "roadmap_changes",
    "shipped_items",
]


def days_since_update(item: RoadmapItem, *, today: date) -> int:
    return (today - item.last_updated).days


def is_stale(item: RoadmapItem, *, today: date, days: int) -> bool:
    """An item in "now" whose last update is ``days`` or more old.

    Shipped and dropped items sit in "now" too, but they are finished: they cannot go stale.
    """
    return (
        item.horizon == "now"
        and item.status in ACTIVE_STATUSES
        and days_since_update(item, today=today) >= days
    )


def item_order(item: RoadmapItem) -> tuple[int, int, str, str]:
    """Board order: by horizon, then work under way before finished work, then by title."""
    return (HORIZONS.index(item.horizon), STATUSES.index(item.status), item.title, item.id)


def _ordered(items: Iterable[RoadmapItem]) -> list[RoadmapItem]:
    return sorted(items, key=item_order)


def items_for_system(content: Content, system_id: str) -> list[RoadmapItem]:
    """Every item that touches ``system_id``, in board order (for a system's own pages)."""
    return _ordered(item for item in content.roadmap if system_id in item.systems)


def items_for_team(content: Content, team_id: str) -> list[RoadmapItem]:
    return _ordered(item for item in content.roadmap if item.team == team_id)


def items_for_status(content: Content, status: Status) -> list[RoadmapItem]:
    return _ordered(item for item in content.roadmap if item.status == status)


def board_columns(items: Iterable[RoadmapItem]) -> list[tuple[Horizon, list[RoadmapItem]]]:
    """The three columns, now, next and later, each in board order; empty ones included."""
    ordered = _ordered(items)
    return [(horizon, [i for i in ordered if i.horizon == horizon]) for horizon in HORIZONS]


def shipped_items(content: Content) -> list[RoadmapItem]:
    """Shipped items, the most recently shipped first."""
    shipped = sorted(
        (item for item in content.roadmap if item.shipped is not None),
        key=lambda i: (i.title, i.id),
    )
    # Sorting is stable, also in reverse: items shipped the same day stay in title order.
    return sorted(shipped, key=lambda i: i.shipped or date.min, reverse=True)


def last_updated(content: Content) -> date | None:
    """The newest update of any item: when the roadmap as a whole last changed."""
    return max((item.last_updated for item in content.roadmap), default=None)


@dataclass(frozen=True)
class RoadmapChange:
    """One dated update of one item, as the feed and "latest changes" lists show it."""

    item: RoadmapItem
    update: RoadmapUpdate
    index: int  # its place in the item's updates, oldest 0
    ordinal: int  # 1 for the item's first update on that day, 2 for its second...

    @property
    def date(self) -> date:
        return self.update.date

    @property
    def is_new_item(self) -> bool:
        return self.index == 0


def roadmap_changes(content: Content) -> list[RoadmapChange]:
    """Every update of every item, newest first (same day: the item's later update first)."""
    changes = []
    for item in content.roadmap:
        per_day: dict[date, int] = {}
        for index, update in enumerate(item.updates):
            per_day[update.date] = per_day.get(update.date, 0) + 1
            changes.append(RoadmapChange(item, update, index, per_day[update.date]))
    return sorted(changes, key=lambda c: (c.date, c.item.id, c.index), reverse=True)


def latest_changes(content: Content, limit: int = 3) -> list[RoadmapChange]:
    """The ``limit`` newest changes (for the home page)."""
    return roadmap_changes(content)[:limit]
