"""The access register: the role-by-tool matrix, "how do I get access to X" per system and
"what can my role use" per role. Process and roles only: never who holds access."""

from __future__ import annotations

from portal.access import (
    LAWFUL_BASIS_LABELS,
    LEVEL_LABELS,
    TrainingLink,
    access_matrix,
    approvals_for_role,
    grants_for_role,
)
from portal.context import SiteContext
from portal.learning import learning_path, module_path, study_order
from portal.render import render

__all__ = ["level_needs", "pages", "training_links"]


def training_links(ctx: SiteContext) -> dict[str, TrainingLink]:
    """Training module id -> where its page is, so every prerequisite is a link."""
    training = ctx.content.training
    return {
        module_id: TrainingLink(module.title, module_path(training, module_id))
        for module_id, module in training.modules.items()
    }


def level_needs(ctx: SiteContext) -> dict[tuple[str, str], list[str]]:
    """(system id, role id) -> the modules that level asks for and what they build on, in
    the order to study them: what someone asking for that level has to do first."""
    training = ctx.content.training
    return {
        (system.id, level.role): study_order(level.training, training)
        for system in ctx.catalog.systems.values()
        if system.access is not None
        for level in system.access.levels
    }


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    catalog = ctx.catalog
    common = {
        "ctx": ctx,
        "levels": LEVEL_LABELS,
        "bases": LAWFUL_BASIS_LABELS,
        "training": training_links(ctx),
        "needs": level_needs(ctx),
    }
    columns, rows = access_matrix(catalog)
    out: dict[str, str | bytes] = {
        "access/index.md": render(
            "access/index.md.j2", columns=columns, rows=rows, here="access/index.md", **common
        )
    }
    for system in catalog.systems.values():
        here = f"access/{system.id}.md"
        out[here] = render(
            "access/system.md.j2",
            system=system,
            team=catalog.teams[system.team],
            here=here,
            **common,
        )
    for role in catalog.roles.values():
        here = f"access/roles/{role.id}.md"
        out[here] = render(
            "access/role.md.j2",
            role=role,
            grants=grants_for_role(catalog, role.id),
            approvals=approvals_for_role(catalog, role.id),
            path=learning_path(role.id, catalog, ctx.content.training),
            here=here,
            **common,
        )
    return out
