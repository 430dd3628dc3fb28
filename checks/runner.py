"""One probe round: every target at once, bounded, none waiting on another."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpcore
import httpx

from checks.bodies import ACCEPT_ENCODING
from checks.probes import ProbeTools, probe
from checks.resolver import Resolve, Resolver, ResolvingBackend, system_resolve
from checks.results import ProbeResult
from checks.targets import Target

__all__ = [
    "DEFAULT_CONCURRENCY",
    "make_client",
    "make_ssl_context",
    "probe_tools",
    "run_round",
]

DEFAULT_CONCURRENCY = 100


def make_ssl_context(*, trust: Callable[[ssl.SSLContext], None] | None = None) -> ssl.SSLContext:
    """Certificate checking as a browser does it; ``trust`` may add a CA (the tests' own)."""
    context = ssl.create_default_context()
    if trust is not None:
        trust(context)
    return context


def make_client(
    *, concurrency: int, verify: ssl.SSLContext | None = None, resolver: Resolver | None = None
) -> httpx.AsyncClient:
    """The one place the probes' HTTP client is configured.

    With ``resolver``, connections go to the addresses it gives (see ``checks.resolver``).
    """
    context = verify if verify is not None else make_ssl_context()
    # No keep-alive: each probe opens its own connection, as a member's browser would, so a
    # broken listener cannot hide behind a reused connection.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=0)
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits, trust_env=False)
    if resolver is not None:
        # httpx has no setting for name resolution (encode/httpx#1319), but its transport is a
        # thin layer over an httpcore pool, which takes a network backend: the same pool as
        # httpx builds, with ours. httpx is pinned below 0.29, where the pool is `_pool`.
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=ResolvingBackend(resolver),
        )
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0),
        transport=transport,
        trust_env=False,
        headers={
            "User-Agent": "glasshouse-checks/1 (+status probe)",
            # Only what checks.bodies can decode within its limit, whatever httpx could do.
            "Accept-Encoding": ACCEPT_ENCODING,
        },
    )


@contextlib.asynccontextmanager
async def probe_tools(
    *,
    concurrency: int,
    verify: ssl.SSLContext | None = None,
    resolve: Resolve = system_resolve,
    names: int = 0,
) -> AsyncIterator[ProbeTools]:
    """What one round's probes share, closed when the round ends.

    Threads: one per running probe (a lookup or judging its conditions), plus one per distinct
    host ``names`` in the round, since a lookup cannot be cancelled and a stuck one keeps its
    thread after its probe gave up. Threads are only started when needed.
    """
    context = verify if verify is not None else make_ssl_context()
    threads = ThreadPoolExecutor(
        max_workers=concurrency + names, thread_name_prefix="glasshouse-probe"
    )
    resolver = Resolver(threads, resolve)
    try:
        async with make_client(
            concurrency=concurrency, verify=context, resolver=resolver
        ) as client:
            yield ProbeTools(client, context, resolver, threads)
    finally:
        # Never wait for a stuck lookup: its probe has already been recorded.
        threads.shutdown(wait=False, cancel_futures=True)


async def run_round(
    targets: Sequence[Target],
    *,
    location: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    verify: ssl.SSLContext | None = None,
    resolve: Resolve = system_resolve,
    started: datetime | None = None,
    on_result: Callable[[ProbeResult], None] | None = None,
) -> list[ProbeResult]:
    """Probe every target once; results come back in the targets' order.

    At most ``concurrency`` probes run at a time; each has its own deadline, so one hanging
    target holds one slot and delays nothing else. ``resolve`` looks up host names (the system
    resolver; tests pass their own). ``on_result`` is called as each finishes (a progress
    display).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    when = (started or datetime.now(UTC)).replace(microsecond=0)
    gate = asyncio.Semaphore(concurrency)
    names = len({target.host for target in targets})

    async with probe_tools(
        concurrency=concurrency, verify=verify, resolve=resolve, names=names
    ) as tools:

        async def one(target: Target) -> ProbeResult:
            async with gate:
                result = await probe(target, started=when, location=location, tools=tools)
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(t) for t in targets)))
