"""Small, pure graph helpers for references between records (prerequisites, dependencies)."""

from __future__ import annotations

import heapq
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
    """``wanted`` plus everything it needs, each node after its prerequisites.

    Among the nodes whose prerequisites are all placed, the one with the smallest ``key`` comes
    next, so the order is stable and follows ``key`` wherever prerequisites allow. The graph
    must have no cycle (the loader has refused content with one).
    """
    needed: set[str] = set()
    todo = list(wanted)
    while todo:
        node = todo.pop()
        if node not in needed:
            needed.add(node)
            todo.extend(prerequisites.get(node, ()))
    waiting = {node: {p for p in prerequisites.get(node, ()) if p in needed} for node in needed}
    ready = [(key(node), node) for node, before in waiting.items() if not before]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for other, before in waiting.items():
            if node in before:
                before.discard(node)
                if not before:
                    heapq.heappush(ready, (key(other), other))
    if len(order) != len(needed):
        raise ValueError("prerequisites form a cycle")
    return order
