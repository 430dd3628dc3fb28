"""Probe rows for the schedule tests: deterministic, with every outcome, written for real."""

from __future__ import annotations

from datetime import datetime, timedelta

from checks.results import ErrorKind, Outcome, ProbeResult

PATTERN: tuple[tuple[Outcome, ErrorKind | None, str], ...] = (
    ("up", None, ""),
    ("up", None, ""),
    ("degraded", "slow", "slower than this tool's 2000 ms limit"),
    ("up", None, ""),
    ("down", "status", "HTTP 500, expected 200"),
    ("up", None, ""),
    ("down", "timeout", "no complete answer, within the time limit"),  # a quoted field
)


def make_rows(
    system: str, location: str, start: datetime, count: int, *, every: timedelta, offset: int = 0
) -> list[ProbeResult]:
    """``count`` rounds from ``start``; outcomes cycle through PATTERN (shifted by ``offset``)."""
    rows = []
    for i in range(count):
        outcome, error, detail = PATTERN[(i + offset) % len(PATTERN)]
        rows.append(
            ProbeResult(
                time=start + i * every,
                system=system,
                location=location,
                outcome=outcome,
                latency_ms=100 + (i * 37) % 400,
                http_status=None if error == "timeout" else (500 if error == "status" else 200),
                error=error,
                detail=detail,
            )
        )
    return rows
