"""The systems catalogue: index, filter pages, one page per system, the dependency map and
the engineers' first-week page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.access import LAWFUL_BASIS_LABELS, grants_for_role
from portal.context import FUNCTION_LABELS, SiteContext
from portal.dependencies import affected_by, dependency_order, dependents
from portal.depmap import DependencyMap, layout_map, map_svg
from portal.engineer_docs import DOC_LABELS, EngineerDoc
from portal.health import SystemHealth
from portal.models.catalog import Catalog, System, Team
from portal.pages.access import level_needs, training_links
from portal.render import render
from portal.roadmap import items_for_system

__all__ = [
    "LIFECYCLE_LABELS",
    "SystemView",
    "map_description",
    "pages",
    "system_views",
]

# Plain descriptions of each lifecycle stage, shown beside the word.
LIFECYCLE_LABELS: dict[str, tuple[str, str]] = {
    "alpha": ("Alpha", "an early trial with a few users; it may change a lot or stop"),
    "beta": ("Beta", "in use and still being improved; some parts are missing"),
    "live": ("Live", "in full use and supported"),
    "retiring": ("Retiring", "being replaced or switched off; plan to move away from it"),
}


@dataclass(frozen=True)
class SystemView:
    """Everything a system's pages show, gathered once from the context."""

    system: System
    team: Team
    status: SystemHealth
    depends_on: tuple[System, ...]
    dependents: tuple[System, ...]
    impact: tuple[System, ...]  # everything affected if this system is down
    docs: tuple[EngineerDoc, ...]
    today: date

    @property
    def path(self) -> str:
        return f"systems/{self.system.id}/index.md"

    @property
    def overdue(self) -> bool:
        return self.system.review_due() < self.today

    def doc_overdue(self, doc: EngineerDoc) -> bool:
        return doc.overdue(self.today)


def _by_name(systems: list[System]) -> tuple[System, ...]:
    return tuple(sorted(systems, key=lambda s: (s.name.lower(), s.id)))


def system_views(ctx: SiteContext) -> dict[str, SystemView]:
    """System id -> its view, for every system in the catalogue."""
    catalog = ctx.catalog
    direct = dependents(catalog.systems)
    today = ctx.now.date()
    views = {}
    for system_id, system in sorted(catalog.systems.items()):
        views[system_id] = SystemView(
            system=system,
            team=catalog.teams[system.team],
            status=ctx.statuses[system_id],
            depends_on=_by_name([catalog.systems[d] for d in system.depends_on]),
            dependents=_by_name([catalog.systems[d] for d in direct[system_id]]),
            impact=_by_name(
                [catalog.systems[d] for d in affected_by(catalog.systems, [system_id])]
            ),
            docs=ctx.content.docs_for(system_id),
            today=today,
        )
    return views


def _states(ctx: SiteContext) -> dict[str, str | None]:
    return {system_id: status.state for system_id, status in ctx.statuses.items()}


def map_description(catalog: Catalog, dmap: DependencyMap) -> str:
    """The SVG's description: what it shows and what is wrong now, in one paragraph."""
    count = len(catalog.systems)
    edge_count = len(dmap.edges)
    text = (
        f"{count} tools and {edge_count} dependencies between them. Each arrow points from a "
        "tool to a tool it depends on; tools that depend on nothing are in the left column."
    )
    down = [n.name for n in dmap.down]
    affected = [n.name for n in dmap.affected]
    if down:
        text += f" Down now: {', '.join(down)}."
        text += (
            f" Affected because they depend on a tool that is down: {', '.join(affected)}."
            if affected
            else " No other tool depends on them."
        )
    else:
        text += " No tool is down."
    return text


def _filter_values(catalog: Catalog) -> dict[str, list[tuple[str, str, list[System]]]]:
    """Filter kind -> [(value, label, systems)] for every team, lifecycle and function."""
    systems = list(catalog.systems.values())
    return {
        "team": [
            (team.id, team.name, [s for s in systems if s.team == team.id])
            for team in sorted(catalog.teams.values(), key=lambda t: t.name.lower())
        ],
        "lifecycle": [
            (value, label, [s for s in systems if s.lifecycle == value])
            for value, (label, _) in LIFECYCLE_LABELS.items()
        ],
        "function": [
            (value, label, [s for s in systems if s.function == value])
            for value, label in FUNCTION_LABELS.items()
        ],
    }


_FILTER_TITLES = {"team": "Team", "lifecycle": "Lifecycle", "function": "Function"}


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    catalog = ctx.catalog
    views = system_views(ctx)
    ordered = [views[s.id] for s in _by_name(list(catalog.systems.values()))]
    filters = _filter_values(catalog)
    common = {
        "ctx": ctx,
        "lifecycles": LIFECYCLE_LABELS,
        "functions": FUNCTION_LABELS,
        "doc_labels": DOC_LABELS,
        "bases": LAWFUL_BASIS_LABELS,
        "training": training_links(ctx),
        "needs": level_needs(ctx),
    }
    out: dict[str, str | bytes] = {
        "systems/index.md": render(
            "systems/index.md.j2",
            views=ordered,
            filters=filters,
            filter_titles=_FILTER_TITLES,
            here="systems/index.md",
            **common,
        )
    }
    for kind, values in filters.items():
        for value, label, members in values:
            here = f"systems/by-{kind}/{value}.md"
            out[here] = render(
                "systems/filter.md.j2",
                kind=kind,
                kind_title=_FILTER_TITLES[kind],
                value=value,
                label=label,
                views=[v for v in ordered if v.system in members],
                here=here,
                **common,
            )
    for view in views.values():
        out[view.path] = render(
            "systems/system.md.j2",
            view=view,
            here=view.path,
            roadmap_items=items_for_system(ctx.content, view.system.id),
            **common,
        )
    dmap = layout_map(catalog.systems, _states(ctx))
    out["systems/map.md"] = render(
        "systems/map.md.j2",
        dmap=dmap,
        svg=map_svg(
            dmap,
            title=f"Dependency map of {len(catalog.systems)} tools",
            desc=map_description(catalog, dmap),
        ),
        views=views,
        ordered=ordered,
        here="systems/map.md",
        **common,
    )
    engineer_roles = [catalog.roles[r] for r in catalog.portal.engineer_roles]
    out["systems/onboarding.md"] = render(
        "systems/onboarding.md.j2",
        roles=[(role, grants_for_role(catalog, role.id)) for role in engineer_roles],
        in_order=[views[s] for s in dependency_order(catalog.systems)],
        docs=[(views[s], doc) for s in dependency_order(catalog.systems) for doc in views[s].docs],
        here="systems/onboarding.md",
        **common,
    )
    return out
