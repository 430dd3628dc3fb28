"""The home page."""

from __future__ import annotations

from portal.context import SiteContext
from portal.render import render

__all__ = ["pages"]


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    return {"index.md": render("home.md.j2", ctx=ctx)}
