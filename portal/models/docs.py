"""Front matter of the hand-written engineer docs in ``site_src/systems/<id>/<kind>.md``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portal.models.common import Reviewed

__all__ = ["DocFrontMatter"]


class DocFrontMatter(Reviewed):
    """What a doc page declares about itself; the page body is free Markdown."""

    title: str | None = Field(
        default=None, min_length=1, description="The page title; defaults to the kind of doc."
    )
    description: str | None = Field(default=None, min_length=1)
    status: Literal["incomplete"] | None = Field(
        default=None,
        description=(
            "incomplete: a skeleton whose sections the owner team still has to write; "
            "nox -s validate lists it until the line is removed."
        ),
    )
