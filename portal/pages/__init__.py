"""Page builders: one module per section, each ``pages(ctx) -> {path: content}``."""

from __future__ import annotations

from collections.abc import Callable

from portal.context import SiteContext
from portal.pages import access, home, roadmap, status, systems, training

__all__ = ["SECTIONS", "Pages", "build_pages"]

Pages = dict[str, str | bytes]

# Order matters only for readability; paths must not collide (build_pages checks).
SECTIONS: tuple[Callable[[SiteContext], Pages], ...] = (
    home.pages,
    status.pages,
    roadmap.pages,
    systems.pages,
    access.pages,
    training.pages,
)


def build_pages(ctx: SiteContext) -> Pages:
    """Every generated file, keyed by its path under the docs folder."""
    result: Pages = {}
    for section in SECTIONS:
        for path, content in section(ctx).items():
            if path in result:
                raise ValueError(f"two sections generate {path}")
            result[path] = content
    return result
