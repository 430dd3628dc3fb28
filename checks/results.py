"""Probe results as small, flat, append-only records, and their CSV row form.

Row schema v1 (one line per probe, in ``data/history/<location>/<system>/<YYYY-MM>.csv``):

    time,outcome,latency_ms,http_status,error,detail

``time`` is the UTC start of the round (ISO 8601, seconds, ``Z``); ``outcome`` is up, degraded
or down; ``latency_ms`` and ``http_status`` may be empty; ``error`` is an ErrorKind or empty;
``detail`` is a one-line human reason. The system and location live in the path, not the row,
which keeps a year of 5-minute rows small. A file starts with the header line; a reader meeting
another header knows the schema changed.

Error kinds (what went wrong, for people and for grouping):

- ``timeout``: no resolved name, no connection, no complete answer, or no verdict on the
  conditions, within the check's time limit;
- ``refused``: connection refused, nothing listening; ``connect``: another connection failure;
- ``dns``: the host name does not resolve; ``tls``: the certificate is expired, untrusted or
  for another name, or the TLS handshake failed; ``tls-expiring`` (degraded): the certificate
  expires within the warning period;
- ``redirects``: too many redirects; ``status``: an HTTP status the check does not expect;
- ``condition``: a condition of the check is not met (down for a hard condition, degraded for
  a soft one); ``slow`` (degraded): slower than the system's threshold;
- ``protocol``: the answer was not valid HTTP, the connection was cut, or a body a condition
  reads could not be read (larger than the limit when decoded, or in an unknown encoding);
  ``error``: the probe itself failed unexpectedly (its exception's name is in ``detail``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
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
    "parse_rows",
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
    "error",
]
OUTCOMES: frozenset[str] = frozenset(get_args(Outcome))
ERROR_KINDS: frozenset[str] = frozenset(get_args(ErrorKind))
HEADER = "time,outcome,latency_ms,http_status,error,detail"


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


_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def parse_time(text: str) -> datetime:
    """Parse the one time format rows use; ValueError for anything else."""
    # fromisoformat is C code and ~10x faster than strptime; the pattern keeps it strict.
    if not _TIME.fullmatch(text):
        raise ValueError(f"not a UTC time written YYYY-MM-DDTHH:MM:SSZ: {text!r}")
    return datetime.fromisoformat(text)


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
    rows, _ = parse_rows([line], system=system, location=location)
    return rows[0] if rows else None


def parse_rows(
    lines: Iterable[str], *, system: str, location: str
) -> tuple[list[ProbeResult], int]:
    """Parse complete lines (header lines skipped): the valid rows and how many were not."""
    rows: list[ProbeResult] = []
    bad = 0
    times: dict[str, datetime] = {}  # rows of one round share a time: parse it once
    for line in lines:
        if not line or line == HEADER:
            continue
        if "\t" in line:  # no row holds a tab: a line marked as cut short by a killed run
            bad += 1
            continue
        try:
            # Most rows hold no quoted field: a split is exact for them and twice as fast. A
            # quoted row is parsed on its own, so a broken quote can never swallow the next row.
            fields = line.split(",") if '"' not in line else next(csv.reader([line]))
            time, outcome, latency, status, error, detail = fields
            if outcome not in OUTCOMES or (error and error not in ERROR_KINDS):
                raise ValueError(outcome)
            moment = times.get(time)
            if moment is None:
                moment = times[time] = parse_time(time)
            rows.append(
                ProbeResult(
                    time=moment,
                    system=system,
                    location=location,
                    outcome=outcome,  # type: ignore[arg-type]
                    latency_ms=int(latency) if latency else None,
                    http_status=int(status) if status else None,
                    error=error or None,  # type: ignore[arg-type]
                    detail=detail,
                )
            )
        except (ValueError, csv.Error):  # wrong field count, unknown outcome, bad number or time
            bad += 1
    return rows, bad
