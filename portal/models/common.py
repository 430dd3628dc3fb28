"""Building blocks shared by every content model."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

__all__ = [
    "ID_PATTERN",
    "ContentModel",
    "Email",
    "Id",
    "PositiveSeconds",
    "Reviewed",
    "Url",
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)


class ContentModel(BaseModel):
    """Content records: immutable, keyword-only, and a typo in a field name is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            'must be lowercase letters, digits and single hyphens, like "contact-creator"'
        )
    return value


Id = Annotated[
    str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})
]


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError("must be a web address starting with https:// or http://")
    return value


Url = Annotated[
    str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "format": "uri"})
]


def _check_email(value: str) -> str:
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        raise ValueError("must be an email address like digital@example.org")
    return value


Email = Annotated[
    str, AfterValidator(_check_email), WithJsonSchema({"type": "string", "format": "email"})
]


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError("must be a positive number of seconds")
    return float(value)


PositiveSeconds = Annotated[
    float, PlainValidator(_seconds), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]


class Reviewed(ContentModel):
    """A record people maintain: when it was last checked, and how often it must be."""

    last_reviewed: date = Field(description="When an owner last checked this record is true.")
    review_interval_days: int = Field(
        default=180,
        gt=0,
        description="Days after last_reviewed before the page says it may be out of date.",
    )

    def review_due(self) -> date:
        from datetime import timedelta

        return self.last_reviewed + timedelta(days=self.review_interval_days)
