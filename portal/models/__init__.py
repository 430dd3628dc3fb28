"""Content models: what every record in the repository must look like."""

from __future__ import annotations

from portal.models.catalog import Catalog, HealthCheck, PortalSettings, Role, System, Team
from portal.models.roadmap import RoadmapItem, RoadmapUpdate

__all__ = [
    "Catalog",
    "HealthCheck",
    "PortalSettings",
    "RoadmapItem",
    "RoadmapUpdate",
    "Role",
    "System",
    "Team",
]
