"""Written incident reports and planned maintenance windows."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from portal.models.common import ContentModel, Id

__all__ = ["Incident", "IncidentState", "IncidentUpdate", "Maintenance", "Severity"]

IncidentState = Literal["investigating", "identified", "monitoring", "resolved"]
Severity = Literal["minor", "major", "critical"]


class IncidentUpdate(ContentModel):
    at: AwareDatetime = Field(description="When this was posted, with a time zone (Z for UTC).")
    state: IncidentState
    text: str = Field(min_length=1)


class Incident(ContentModel):
    """``incidents/<YYYY-MM-DD>-<slug>.md``: front matter, then the written account."""

    id: Id = Field(description="The file name without .md.")
    title: str = Field(min_length=1, max_length=120)
    systems: list[Id] = Field(min_length=1)
    severity: Severity
    started: AwareDatetime
    resolved: AwareDatetime | None = None
    updates: list[IncidentUpdate] = Field(min_length=1, description="Oldest first.")

    @property
    def state(self) -> IncidentState:
        return self.updates[-1].state


class Maintenance(ContentModel):
    """``maintenance/<id>.yml``: a planned window; failures inside it are not downtime."""

    id: Id
    title: str = Field(min_length=1, max_length=120)
    systems: list[Id] = Field(min_length=1)
    starts: AwareDatetime
    ends: AwareDatetime
    description: str = Field(min_length=1, description="What changes for members, in plain words.")
