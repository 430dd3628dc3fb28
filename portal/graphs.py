"""Small, pure graph helpers for references between records (prerequisites, dependencies)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["find_cycles", "ordered_with_prerequisites"]


def find_cycles(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each cycle once, as a path that starts and ends at its smallest node.

    ``edges`` maps a node to the nodes it points at; targets missing from ``edges`` are
    dead ends (an unknown reference is reported elsewhere, not as a cycle). Every simple path
    is walked, which is fine for the tens of records people write by hand.
    """
    cycles: set[tuple[str, ...]] = set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            loop = stack[stack.index(node) :]
            start = loop.index(min(loop))
            rotated = loop[start:] + loop[:start]
            cycles.add((*rotated, rotated[0]))
            return
        for target in edges.get(node, ()):
            visit(target, [*stack, node])

    for node in sorted(edges):
        visit(node, [])
    return [list(c) for c in sorted(cycles)]


def ordered_with_prerequisites(
    wanted: Iterable[str],
    prerequisites: Mapping[str, Sequence[str]],
    *,
    key: Callable[[str], Any],
) -> list[str]:
    """``wanted`` in ``key`` order, each preceded by whatever it needs that is not yet placed.

    A prerequisite comes just before the first node that needs it (its own prerequisites
    before it, again in ``key`` order), so the order follows ``key`` everywhere else. Raises
    ValueError if the prerequisites form a cycle (the loader refuses such content).
    """
    order: list[str] = []
    placed: set[str] = set()

    def place(node: str, path: tuple[str, ...]) -> None:
        if node in placed:
            return
        if node in path:
            raise ValueError("prerequisites form a cycle: " + " -> ".join((*path, node)))
        for before in sorted(prerequisites.get(node, ()), key=key):
            place(before, (*path, node))
        placed.add(node)
        order.append(node)

    for node in sorted(set(wanted), key=key):
        place(node, ())
    return order
