"""JSON Schemas for the content files, so editors complete and check YAML as people type."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from portal.load import RolesFile, TeamsFile
from portal.models.catalog import PortalSettings, System
from portal.models.docs import DocFrontMatter
from portal.models.roadmap import RoadmapItem
from portal.models.training import Course, Module

__all__ = ["SCHEMAS", "schema_texts"]

SCHEMAS: dict[str, type[BaseModel]] = {
    "course.schema.json": Course,
    "module.schema.json": Module,
    "doc.schema.json": DocFrontMatter,
    "portal.schema.json": PortalSettings,
    "roadmap-item.schema.json": RoadmapItem,
    "roles.schema.json": RolesFile,
    "system.schema.json": System,
    "teams.schema.json": TeamsFile,
}


def schema_texts() -> dict[str, str]:
    """File name -> schema text, stable byte for byte."""
    texts = {}
    for name, model in sorted(SCHEMAS.items()):
        schema: dict[str, Any] = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        texts[name] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return texts
