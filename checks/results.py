"""Probe results as small, flat, append-only records, and their CSV row form.

Row schema v1 (one line per probe, in ``data/history/<location>/<system>/<YYYY-MM>.csv``):

    time,outcome,latency_ms,http_status,error,detail

``time`` is the UTC start of the round (ISO 8601, seconds, ``Z``); ``outcome`` is up, degraded
or down; ``latency_ms`` and ``http_status`` may be empty; ``error`` is an ErrorKind or empty;
``detail`` is a one-line human reason. The system and location live in the path, not the row,
which keeps a year of 5-minute rows small. A file starts with the header line; a reader meeting
another header knows the schema changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

__all__ = [
    "HEADER",
    "ErrorKind",
    "Outcome",
    "ProbeResult",
    "format_time",
    "parse_row",
    "parse_time",
    "to_row",
]

Outcome = Literal["up", "degraded", "down"]
ErrorKind = Literal[
    "timeout",
    "refused",
    "dns",
    "tls",
    "tls-expiring",
    "connect",
    "redirects",
    "status",
    "condition",
    "slow",
    "protocol",
]
OUTCOMES: frozenset[str] = frozenset(get_args(Outcome))
ERROR_KINDS: frozenset[str] = frozenset(get_args(ErrorKind))
HEADER = "time,outcome,latency_ms,http_status,error,detail"
_FIELDS = HEADER.split(",")


@dataclass(frozen=True, slots=True)
class ProbeResult:
    time: datetime
    system: str
    location: str
    outcome: Outcome
    latency_ms: int | None = None
    http_status: int | None = None
    error: ErrorKind | None = None
    detail: str = ""


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def to_row(result: ProbeResult) -> str:
    """One CSV line, newline included; ``detail`` is flattened to a single line."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [
            format_time(result.time),
            result.outcome,
            "" if result.latency_ms is None else result.latency_ms,
            "" if result.http_status is None else result.http_status,
            result.error or "",
            " ".join(result.detail.split())[:300],
        ]
    )
    return out.getvalue()


def parse_row(line: str, *, system: str, location: str) -> ProbeResult | None:
    """Parse one complete line; None for anything that is not a valid v1 row."""
    try:
        fields = next(csv.reader([line]))
        if len(fields) != len(_FIELDS):
            return None
        time, outcome, latency, status, error, detail = fields
        if outcome not in OUTCOMES or (error and error not in ERROR_KINDS):
            return None
        return ProbeResult(
            time=parse_time(time),
            system=system,
            location=location,
            outcome=outcome,  # type: ignore[arg-type]
            latency_ms=int(latency) if latency else None,
            http_status=int(status) if status else None,
            error=error or None,  # type: ignore[arg-type]
            detail=detail,
        )
    except (ValueError, StopIteration, csv.Error):
        return None
