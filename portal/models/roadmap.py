"""The public roadmap: one item per file in ``roadmap/``, each with its dated updates.

The models check each value on its own (a status is one of six words, a target is a quarter).
Rules that relate fields to each other or to the build's date (a shipped item has a shipped
date, status changes chain from one to the next, no update is in the future) live in
``portal.load_roadmap``, which knows each value's line and reports every broken rule at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema

from portal.models.common import ContentModel, Id, Url

__all__ = [
    "ACTIVE_STATUSES",
    "HORIZONS",
    "HORIZON_LABELS",
    "QUARTER_PATTERN",
    "STATUSES",
    "STATUS_LABELS",
    "Horizon",
    "Quarter",
    "RoadmapItem",
    "RoadmapLink",
    "RoadmapUpdate",
    "Status",
    "quarter_label",
]

Status = Literal["proposed", "planned", "in-progress", "shipped", "paused", "dropped"]
Horizon = Literal["now", "next", "later"]

# In the order a reader meets them: the work under way first, what is finished last.
STATUSES: tuple[Status, ...] = (
    "in-progress",
    "planned",
    "proposed",
    "paused",
    "shipped",
    "dropped",
)
HORIZONS: tuple[Horizon, ...] = ("now", "next", "later")
STATUS_LABELS: dict[Status, str] = {
    "in-progress": "In progress",
    "planned": "Planned",
    "proposed": "Proposed",
    "paused": "Paused",
    "shipped": "Shipped",
    "dropped": "Dropped",
}
HORIZON_LABELS: dict[Horizon, str] = {"now": "Now", "next": "Next", "later": "Later"}
# Statuses that still claim something about the future, so they can go stale.
ACTIVE_STATUSES: frozenset[Status] = frozenset({"proposed", "planned", "in-progress", "paused"})

QUARTER_PATTERN = r"^[0-9]{4}-Q[1-4]$"
_QUARTER = re.compile(QUARTER_PATTERN)


def _check_quarter(value: str) -> str:
    if not _QUARTER.match(value):
        raise ValueError("must be a quarter written YYYY-QN, like 2027-Q2")
    return value


_MONTHS = ("January", "April", "July", "October")
_END_MONTHS = ("March", "June", "September", "December")


def quarter_label(quarter: str) -> str:
    """ "2027-Q2" -> "April to June 2027": members should not need to know what Q2 means."""
    year, number = quarter.split("-Q")
    index = int(number) - 1
    return f"{_MONTHS[index]} to {_END_MONTHS[index]} {year}"


Quarter = Annotated[
    str,
    AfterValidator(_check_quarter),
    WithJsonSchema({"type": "string", "pattern": QUARTER_PATTERN}),
]


class RoadmapLink(ContentModel):
    title: str = Field(min_length=1, description="Where the link goes, in plain words.")
    url: Url


class RoadmapUpdate(ContentModel):
    """One dated entry in an item's log: a note, or a status change from one status to another."""

    # "from" is a Python keyword: the YAML key is "from", the attribute is ``from_``.
    model_config = ConfigDict(populate_by_name=True)

    date: dt.date = Field(description="The day this happened, YYYY-MM-DD; never in the future.")
    from_: Status | None = Field(
        default=None,
        alias="from",
        description="The status before this change: the previous change's `to`.",
    )
    to: Status | None = Field(
        default=None,
        description="The new status. The first update must set it; later ones only on a change.",
    )
    text: str = Field(min_length=1, description="Plain words: why, and what happens next.")

    @property
    def changes_status(self) -> bool:
        return self.to is not None


class RoadmapItem(ContentModel):
    """``roadmap/<id>.yml``: one piece of work, in members' words."""

    model_config = ConfigDict(
        json_schema_extra={
            # Editors flag the commonest slip as people type; the loader checks every rule.
            "allOf": [
                {
                    "if": {
                        "required": ["status"],
                        "properties": {"status": {"const": "shipped"}},
                    },
                    "then": {
                        "required": ["shipped"],
                        "properties": {"horizon": {"const": "now"}},
                    },
                    "else": {"not": {"required": ["shipped"]}},
                }
            ]
        }
    )

    id: Id = Field(description="The file name without .yml.")
    title: str = Field(min_length=1, max_length=120, description="What changes, in members' words.")
    summary: str = Field(
        min_length=1,
        description="60-150 plain words to members: what is wrong today, what changes, when.",
    )
    systems: list[Id] = Field(min_length=1, description="The systems it touches.")
    team: Id = Field(description="The team that owns the work.")
    status: Status
    horizon: Horizon = Field(description="now, next or later; shipped and dropped items: now.")
    target: Quarter | None = Field(
        default=None, description="The quarter it is expected, YYYY-QN; omit if not committed."
    )
    links: list[RoadmapLink] = Field(
        default_factory=list, description="The public issue, discussion or related pages."
    )
    updates: list[RoadmapUpdate] = Field(
        min_length=1, description="Oldest first; the first sets the starting status with `to`."
    )
    shipped: dt.date | None = Field(
        default=None, description="The day it shipped: required when shipped, forbidden otherwise."
    )

    @property
    def last_updated(self) -> dt.date:
        return self.updates[-1].date
