"""One probe round: every target at once, bounded, none waiting on another."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx

from checks.probes import probe_http
from checks.results import ProbeResult
from checks.targets import Target

__all__ = ["make_client", "run_round"]


def make_client(*, concurrency: int, verify: bool | ssl.SSLContext = True) -> httpx.AsyncClient:
    """The one place the probes' HTTP client is configured."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0),
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=0),
        verify=verify,
        trust_env=False,
        headers={"User-Agent": "glasshouse-checks/1 (+status probe)"},
    )


async def run_round(
    targets: Sequence[Target],
    *,
    location: str,
    concurrency: int = 100,
    client: httpx.AsyncClient | None = None,
    started: datetime | None = None,
) -> list[ProbeResult]:
    """Probe every target once; results come back in the targets' order."""
    when = (started or datetime.now(UTC)).replace(microsecond=0)
    gate = asyncio.Semaphore(concurrency)
    own_client = client is None
    http = client or make_client(concurrency=concurrency)

    async def one(target: Target) -> ProbeResult:
        async with gate:
            return await probe_http(http, target, started=when, location=location)

    try:
        return list(await asyncio.gather(*(one(t) for t in targets)))
    finally:
        if own_client:
            await http.aclose()
