"""Inline SVG charts, generated at build time: no script, deterministic, accessible.

Each chart is ``role="img"`` with a <title> and <desc>; colours come from CSS classes (so dark
mode works) and every state also has a pattern, so colour never carries meaning alone. The
figures are always also given as text beside the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from portal.uptime import DaySummary

__all__ = ["BAR_LEGEND", "latency_chart", "uptime_bars"]

BAR_LEGEND: tuple[tuple[str, str], ...] = (
    ("up", "Operational all day"),
    ("degraded", "Degraded at some point"),
    ("down", "Down at some point"),
    ("maintenance", "Planned maintenance"),
    ("unknown", "No data"),
)

# Down: diagonal stripes; degraded: dots; maintenance: horizontal lines.
_PATTERNS = (
    "<defs>"
    '<pattern id="{p}-down" width="4" height="4" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect width="4" height="4" class="gh-fill-down"/>'
    '<rect width="1.6" height="4" class="gh-ink"/></pattern>'
    '<pattern id="{p}-degraded" width="4" height="4" patternUnits="userSpaceOnUse">'
    '<rect width="4" height="4" class="gh-fill-degraded"/>'
    '<circle cx="2" cy="2" r="0.9" class="gh-ink"/></pattern>'
    '<pattern id="{p}-maintenance" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" class="gh-fill-maintenance"/>'
    '<rect y="2.5" width="6" height="1" class="gh-ink"/></pattern>'
    "</defs>"
)


def _fill(prefix: str, key: str) -> str:
    if key in {"down", "degraded", "maintenance"}:
        return f'fill="url(#{prefix}-{key})"'
    return f'class="gh-fill-{key}"'


def uptime_bars(prefix: str, days: Sequence[DaySummary], *, title: str) -> str:
    """One segment per day, oldest on the left, coloured and patterned by the worst state."""
    width, gap, height = 8, 2, 34
    counts = {key: 0 for key, _ in BAR_LEGEND}
    rects = []
    for i, day in enumerate(days):
        key = day.worst or "unknown"
        counts[key] += 1
        x = i * (width + gap)
        rects.append(
            f'<rect x="{x}" y="0" width="{width}" height="{height}" rx="1.5" '
            f'{_fill(prefix, key)} data-day="{day.day.isoformat()}" data-state="{key}"/>'
        )
    described = "; ".join(
        f"{label}: {counts[key]} days" for key, label in BAR_LEGEND if counts[key]
    )
    total = len(days) * (width + gap) - gap
    return (
        f'<svg class="gh-bars" viewBox="0 0 {total} {height}" preserveAspectRatio="none" '
        f'role="img" aria-labelledby="{prefix}-t {prefix}-d" focusable="false">'
        f'<title id="{prefix}-t">{escape(title)}</title>'
        f'<desc id="{prefix}-d">{escape(described)}.</desc>'
        + _PATTERNS.format(p=prefix)
        + "".join(rects)
        + "</svg>"
    )


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    magnitude = 10 ** math.floor(math.log10(max(value, 1)))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= value:
            return int(multiple * magnitude)
    return value


def latency_chart(prefix: str, days: Sequence[DaySummary], *, title: str) -> str:
    """p50 (solid) and p95 (dashed) latency per day, oldest on the left."""
    width, height, left, bottom, top = 600, 180, 48, 22, 10
    points50 = [(i, d.latency_p50) for i, d in enumerate(days) if d.latency_p50 is not None]
    points95 = [(i, d.latency_p95) for i, d in enumerate(days) if d.latency_p95 is not None]
    peak = max((v for _, v in points95), default=0)
    ymax = _nice_ceiling(max(peak, 100))
    plot_w, plot_h = width - left - 8, height - top - bottom
    step = plot_w / max(len(days) - 1, 1)

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{top + plot_h - plot_h * v / ymax:.1f}"

    grid = []
    for k in range(5):
        value = ymax * k // 4
        y = top + plot_h - plot_h * k / 4
        grid.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="gh-grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="gh-axis">{value}</text>'
        )
    labels = []
    if days:
        labels.append(
            f'<text x="{left}" y="{height - 4}" class="gh-axis">{days[0].day:%d %b}</text>'
        )
        labels.append(
            f'<text x="{width - 8}" y="{height - 4}" text-anchor="end" class="gh-axis">'
            f"{days[-1].day:%d %b}</text>"
        )

    def line(points: list[tuple[int, int]], cls: str) -> str:
        if not points:
            return ""
        if len(points) == 1:
            (i, v) = points[0]
            x, y = xy(i, v).split(",")
            return f'<circle cx="{x}" cy="{y}" r="3" class="{cls}"/>'
        coords = " ".join(xy(i, v) for i, v in points)
        return f'<polyline points="{coords}" class="{cls}" fill="none"/>'

    if points95:
        worst = max(points95, key=lambda p: p[1])
        described = (
            f"Daily median (p50, solid line) and 95th percentile (p95, dashed line) response time "
            f"in milliseconds over {len(days)} days; highest p95 {worst[1]} ms on "
            f"{days[worst[0]].day:%d %b %Y}."
        )
    else:
        # A failed check's latency is not a response time (see Round.response_ms).
        described = f"No successful checks in these {len(days)} days, so no response times."
    return (
        f'<svg class="gh-latency" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-lt {prefix}-ld" focusable="false">'
        f'<title id="{prefix}-lt">{escape(title)}</title>'
        f'<desc id="{prefix}-ld">{escape(described)}</desc>'
        + "".join(grid)
        + "".join(labels)
        + line(points95, "gh-line-p95")
        + line(points50, "gh-line-p50")
        + "</svg>"
    )
