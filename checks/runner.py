"""One probe round: every target at once, bounded, none waiting on another."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx

from checks.probes import probe
from checks.results import ProbeResult
from checks.targets import Target

__all__ = ["DEFAULT_CONCURRENCY", "make_client", "make_ssl_context", "run_round"]

DEFAULT_CONCURRENCY = 100


def make_ssl_context(*, trust: Callable[[ssl.SSLContext], None] | None = None) -> ssl.SSLContext:
    """Certificate checking as a browser does it; ``trust`` may add a CA (the tests' own)."""
    context = ssl.create_default_context()
    if trust is not None:
        trust(context)
    return context


def make_client(*, concurrency: int, verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """The one place the probes' HTTP client is configured."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0),
        # No keep-alive: each probe opens its own connection, as a member's browser would,
        # so a broken listener cannot hide behind a reused connection.
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=0),
        verify=verify if verify is not None else make_ssl_context(),
        trust_env=False,
        headers={"User-Agent": "glasshouse-checks/1 (+status probe)"},
    )


async def run_round(
    targets: Sequence[Target],
    *,
    location: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    verify: ssl.SSLContext | None = None,
    client: httpx.AsyncClient | None = None,
    started: datetime | None = None,
    on_result: Callable[[ProbeResult], None] | None = None,
) -> list[ProbeResult]:
    """Probe every target once; results come back in the targets' order.

    At most ``concurrency`` probes run at a time; each has its own deadline, so one hanging
    target holds one slot and delays nothing else. ``on_result`` is called as each finishes
    (a progress display).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    when = (started or datetime.now(UTC)).replace(microsecond=0)
    context = verify if verify is not None else make_ssl_context()
    gate = asyncio.Semaphore(concurrency)
    own_client = client is None
    http = client or make_client(concurrency=concurrency, verify=context)

    async def one(target: Target) -> ProbeResult:
        async with gate:
            result = await probe(
                target, started=when, location=location, client=http, ssl_context=context
            )
        if on_result is not None:
            on_result(result)
        return result

    try:
        return list(await asyncio.gather(*(one(t) for t in targets)))
    finally:
        if own_client:
            await http.aclose()
