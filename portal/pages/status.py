"""The status overview."""

from __future__ import annotations

from portal.context import SiteContext
from portal.render import render

__all__ = ["pages"]


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    return {"status/index.md": render("status.md.j2", ctx=ctx)}
