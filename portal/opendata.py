"""Daily uptime as open data: one CSV per system, described by a Frictionless data package."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from portal.uptime import DaySummary

__all__ = ["FIELDS", "datapackage_json", "days_csv"]

# (name, type, description): the CSV columns, in order.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("date", "date", "UTC day"),
    ("checks_expected", "integer", "Probe rounds the schedule should have run that day"),
    ("checks_run", "integer", "Probe rounds that ran and were recorded"),
    ("up", "integer", "Rounds that found the system operational"),
    ("degraded", "integer", "Rounds that found it working but slow or partly failing"),
    ("down", "integer", "Rounds that found it down"),
    ("maintenance", "integer", "Failed rounds inside a planned maintenance window"),
    ("coverage_percent", "number", "checks_run / checks_expected x 100, capped at 100"),
    ("uptime_percent", "number", "(up + degraded) / (up + degraded + down) x 100; empty if none"),
    (
        "latency_p50_ms",
        "integer",
        "Median response time of the checks that answered (up or degraded), ms; empty if none did",
    ),
    (
        "latency_p95_ms",
        "integer",
        "95th percentile response time of the checks that answered, ms; empty if none did",
    ),
    (
        "latency_max_ms",
        "integer",
        "Slowest answer of the checks that answered, ms; empty if none did",
    ),
)


def _cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def days_csv(days: Sequence[DaySummary]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _, _ in FIELDS])
    for d in days:
        t = d.tally
        writer.writerow(
            [
                d.day.isoformat(),
                t.expected,
                t.observed,
                t.up,
                t.degraded,
                t.down,
                t.maintenance,
                _cell(t.coverage),
                _cell(t.uptime),
                _cell(d.latency_p50),
                _cell(d.latency_p95),
                _cell(d.latency_max),
            ]
        )
    return out.getvalue()


def datapackage_json(*, title: str, homepage: str, systems: Mapping[str, str]) -> str:
    """``systems``: id -> name. Each resource is ``<id>.csv`` beside the descriptor."""
    schema: dict[str, Any] = {
        "fields": [
            {"name": name, "type": kind, "description": text} for name, kind, text in FIELDS
        ],
        "primaryKey": ["date"],
        "missingValues": [""],
    }
    package = {
        "profile": "tabular-data-package",
        "name": "glasshouse-daily-uptime",
        "title": title,
        "description": (
            "Daily health-check results per system: rounds expected and run, outcomes, uptime "
            "and response times. Days with no rounds are unknown, never counted as up."
        ),
        "homepage": homepage,
        "resources": [
            {
                "name": system_id,
                "title": name,
                "path": f"{system_id}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
            for system_id, name in sorted(systems.items())
        ],
    }
    return json.dumps(package, indent=1, sort_keys=True) + "\n"
