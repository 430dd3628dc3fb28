"""The home page."""

from __future__ import annotations

from portal.context import SiteContext
from portal.render import render
from portal.roadmap import latest_changes

__all__ = ["pages"]


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    return {"index.md": render("home.md.j2", ctx=ctx, changes=latest_changes(ctx.content, 3))}
