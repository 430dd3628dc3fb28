"""The dependency map: a layered layout of the catalogue, drawn as inline SVG (pure).

Columns are dependency depth (column 0 depends on nothing), so every arrow points left, from
a tool to what it needs. Within a column, tools sit near the average row of what they depend
on (one barycentre pass keeps crossings few), then by name: same catalogue, same picture.

A tool that is down, and every tool that depends on it directly or through others, is marked
by text, border style and a hatched band, never by colour alone; colours come from CSS classes,
so the page's light and dark schemes both apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portal.dependencies import affected_by, dependency_depths, edges
from portal.health import STATE_LABELS
from portal.models.catalog import System
from portal.render import render

__all__ = ["DependencyMap", "MapEdge", "MapNode", "layout_map", "map_svg"]

NODE_W = 184
NODE_H = 52
COL_GAP = 80
ROW_GAP = 18
MARGIN = 12
BAND = 10  # width of the hatched or dotted band that marks a down or affected tool


@dataclass(frozen=True)
class MapNode:
    id: str
    name: str
    column: int
    row: int
    x: int
    y: int
    state: str  # up, degraded, down, maintenance or unknown
    affected: bool  # depends (directly or not) on a tool that is down

    @property
    def down(self) -> bool:
        return self.state == "down"

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, STATE_LABELS[None])

    @property
    def caption(self) -> str:
        """The second line of the box: the state, in words."""
        if self.down:
            return "DOWN"
        if self.affected:
            return f"AFFECTED ({self.state_label})"
        return self.state_label


@dataclass(frozen=True)
class MapEdge:
    source: str  # the dependent tool
    target: str  # the tool it depends on
    path: str  # SVG path data
    impact: bool  # the target is down or affected, so trouble flows along this edge


@dataclass(frozen=True)
class DependencyMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    width: int
    height: int

    @property
    def down(self) -> list[MapNode]:
        """Tools down now, by name."""
        return sorted((n for n in self.nodes if n.down), key=lambda n: (n.name.lower(), n.id))

    @property
    def affected(self) -> list[MapNode]:
        """Tools affected now by one that is down, by name."""
        return sorted((n for n in self.nodes if n.affected), key=lambda n: (n.name.lower(), n.id))

    def node(self, system_id: str) -> MapNode:
        return next(n for n in self.nodes if n.id == system_id)


def layout_map(systems: Mapping[str, System], states: Mapping[str, str | None]) -> DependencyMap:
    """Place every system; ``states`` maps system id -> its state, or None (unknown)."""
    depths = dependency_depths(systems)
    columns: dict[int, list[str]] = {}
    for system_id, depth in depths.items():
        columns.setdefault(depth, []).append(system_id)
    rows: dict[str, float] = {}
    for depth in sorted(columns):
        members = columns[depth]

        def barycentre(system_id: str) -> float:
            placed = [rows[d] for d in systems[system_id].depends_on if d in rows]
            return sum(placed) / len(placed) if placed else 0.0

        members.sort(key=lambda s: (barycentre(s), systems[s].name.lower(), s))
        for row, system_id in enumerate(members):
            rows[system_id] = row
    tallest = max((len(m) for m in columns.values()), default=0)
    step = NODE_H + ROW_GAP
    down = {s for s in systems if states.get(s) == "down"}
    affected = affected_by(systems, down) - down
    nodes = []
    for depth in sorted(columns):
        offset = (tallest - len(columns[depth])) * step // 2  # centre short columns
        for row, system_id in enumerate(columns[depth]):
            nodes.append(
                MapNode(
                    id=system_id,
                    name=systems[system_id].name,
                    column=depth,
                    row=row,
                    x=MARGIN + depth * (NODE_W + COL_GAP),
                    y=MARGIN + offset + row * step,
                    state=states.get(system_id) or "unknown",
                    affected=system_id in affected,
                )
            )
    by_id = {n.id: n for n in nodes}
    drawn = []
    for source, target in edges(systems):
        a, b = by_id[source], by_id[target]
        x1, y1 = a.x, a.y + NODE_H // 2
        x2, y2 = b.x + NODE_W + 2, b.y + NODE_H // 2  # the arrowhead ends just off the box
        bend = COL_GAP // 2
        drawn.append(
            MapEdge(
                source=source,
                target=target,
                path=f"M{x1} {y1} C{x1 - bend} {y1} {x2 + bend} {y2} {x2} {y2}",
                impact=b.down or b.affected,
            )
        )
    columns_count = len(columns)
    width = 2 * MARGIN + columns_count * NODE_W + max(columns_count - 1, 0) * COL_GAP
    height = 2 * MARGIN + tallest * step - (ROW_GAP if tallest else 0)
    return DependencyMap(tuple(nodes), tuple(drawn), width, height)


def map_svg(dmap: DependencyMap, *, title: str, desc: str) -> str:
    """The map as an SVG element with a title and description, ready to inline in a page."""
    svg = render(
        "systems/map.svg.j2",
        map=dmap,
        title=title,
        desc=desc,
        node_w=NODE_W,
        node_h=NODE_H,
        band=BAND,
    )
    # One line: Markdown must not see blank lines or indentation inside the raw HTML block.
    return " ".join(line.strip() for line in svg.splitlines() if line.strip())
