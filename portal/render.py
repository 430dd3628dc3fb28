"""Jinja2 set-up: strict (a missing value fails the build), autoescaped, deterministic."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from portal.errors import RenderError
from portal.models.roadmap import HORIZON_LABELS, STATUS_LABELS, quarter_label

__all__ = [
    "environment",
    "format_ago",
    "format_day",
    "format_minutes",
    "format_when",
    "front_matter",
    "relative_link",
    "render",
]


def format_when(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.strftime("%d %b %Y, %H:%M UTC")


def format_day(day: date) -> str:
    """A date as members write it: 28 November 2026."""
    return f"{day.day} {day:%B %Y}"


def relative_link(target: str, page: str) -> str:
    """The Markdown link from ``page`` to ``target``, both paths under the docs folder."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def format_ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"


def format_minutes(minutes: int) -> str:
    """``175`` -> ``2 hours 55 minutes``; ``60`` -> ``1 hour``; ``40`` -> ``40 minutes``."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def format_percent(value: float | None) -> str:
    if value is None:
        return "no data"
    # Floor, not round: 99.996% must never be shown as 100%.
    return f"{int(value * 100) / 100:.2f}%"


def front_matter(meta: Mapping[str, Any]) -> Markup:
    """A page's YAML front matter, written by a YAML dumper so no title can break it.

    A hand-templated ``title: {{ x }}`` breaks on the first ": " or quote in ``x``, and mkdocs
    then shows the block as text. Markup: the values are YAML, not HTML, so never escaped."""
    dumped = yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True, width=1_000_000)
    return Markup(f"---\n{dumped}---")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("portal", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = format_when
    env.filters["percent"] = format_percent
    env.filters["iso"] = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ") if d else ""
    env.filters["day"] = format_day
    env.filters["rel"] = relative_link
    env.filters["status_label"] = STATUS_LABELS.__getitem__
    env.filters["horizon_label"] = HORIZON_LABELS.__getitem__
    env.filters["quarter"] = quarter_label
    env.filters["minutes"] = format_minutes
    env.globals["ago"] = format_ago
    env.globals["front_matter"] = front_matter
    return env


def render(template: str, **context: Any) -> str:
    try:
        return environment().get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {template}: {exc}") from exc
