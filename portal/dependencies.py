"""The dependency graph of the catalogue: pure functions over ``System.depends_on``.

Edges point from a system to what it depends on. The loader rejects cycles and unknown
dependencies before any of this runs; the functions still refuse a cycle rather than loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from portal.models.catalog import System

__all__ = ["affected_by", "dependency_depths", "dependency_order", "dependents", "edges"]


def edges(systems: Mapping[str, System]) -> list[tuple[str, str]]:
    """Every (dependent, dependency) pair between known systems, sorted."""
    return sorted(
        (system.id, dep)
        for system in systems.values()
        for dep in system.depends_on
        if dep in systems
    )


def dependents(systems: Mapping[str, System]) -> dict[str, list[str]]:
    """System id -> the ids that depend on it directly, sorted (every system has an entry)."""
    found: dict[str, list[str]] = {system_id: [] for system_id in sorted(systems)}
    for dependent, dependency in edges(systems):
        found[dependency].append(dependent)
    return found


def affected_by(systems: Mapping[str, System], down: Iterable[str]) -> set[str]:
    """Every system that depends, directly or through others, on one of ``down``.

    The down systems themselves are not included unless another down system brings them in.
    """
    direct = dependents(systems)
    seen: set[str] = set()
    queue = [system_id for system_id in down if system_id in direct]
    while queue:
        for dependent in direct[queue.pop()]:
            if dependent not in seen:
                seen.add(dependent)
                queue.append(dependent)
    return seen


def dependency_depths(systems: Mapping[str, System]) -> dict[str, int]:
    """System id -> the length of its longest chain of dependencies (0: depends on nothing).

    Every dependency has a smaller depth than the systems using it, so depth makes the columns
    of a layered map and, sorted, an order in which each system comes after all it needs.
    """

    memo: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(system_id: str) -> int:
        if system_id in memo:
            return memo[system_id]
        if system_id in visiting:
            raise ValueError(f"dependency cycle through {system_id}")
        visiting.add(system_id)
        deps = [d for d in systems[system_id].depends_on if d in systems]
        memo[system_id] = 1 + max((depth(d) for d in deps), default=-1)
        visiting.discard(system_id)
        return memo[system_id]

    return {system_id: depth(system_id) for system_id in sorted(systems)}


def dependency_order(systems: Mapping[str, System]) -> list[str]:
    """Ids with every system after everything it depends on; ties by name, then id."""
    depths = dependency_depths(systems)
    return sorted(systems, key=lambda s: (depths[s], systems[s].name.lower(), s))
