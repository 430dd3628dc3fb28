"""Host names resolved in a round's own threads, each lookup awaited within its probe's deadline.

``getaddrinfo`` blocks, so asyncio runs it in the loop's default executor: a handful of threads
shared with everything else. A lookup cannot be cancelled; when a name's resolver is slow, its
lookups keep their threads after their probes have given up, and the next probes' lookups wait
behind them until their own deadlines pass, healthy names included. So a round resolves in its
own threads, one lookup per name at a time (probes of one name share it), with room for one
stuck lookup per name on top of the round's concurrency: no lookup ever waits for a thread.

The HTTP client connects through ``ResolvingBackend``, which asks the same resolver and hands
the address to the connection; TLS server name and Host header keep the name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor

import httpcore

__all__ = ["Resolve", "Resolver", "ResolvingBackend", "system_resolve"]

# A blocking look-up: a host name to its addresses, best first, or socket.gaierror.
Resolve = Callable[[str], Sequence[str]]


def system_resolve(host: str) -> tuple[str, ...]:
    """The system resolver's addresses for ``host`` (as a browser would connect to them)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Resolver:
    """Resolves names for one round in ``threads``, sharing a name's lookup between its probes.

    A name's answer is kept for the round; a failure is not, so a retry asks again.
    """

    def __init__(self, threads: Executor, resolve: Resolve = system_resolve) -> None:
        self._threads = threads
        self._resolve = resolve
        self._lookups: dict[str, asyncio.Future[Sequence[str]]] = {}

    async def addresses(self, host: str) -> tuple[str, ...]:
        """The addresses of ``host``; cancelling the wait (a deadline) leaves the lookup be."""
        if not host or _is_address(host):
            return (host,)
        lookup = self._lookups.get(host)
        if lookup is None:
            loop = asyncio.get_running_loop()
            lookup = loop.run_in_executor(self._threads, self._resolve, host)
            self._lookups[host] = lookup
            lookup.add_done_callback(lambda done: self._settled(host, done))
        # Shielded: one probe giving up must not cancel a lookup other probes are waiting on.
        found = tuple(await asyncio.shield(lookup))
        if not found:
            raise socket.gaierror(socket.EAI_NONAME, "no addresses")
        return found

    def _settled(self, host: str, lookup: asyncio.Future[Sequence[str]]) -> None:
        # Reading the exception also marks it as seen (no "never retrieved" warning later).
        failed = lookup.cancelled() or lookup.exception() is not None
        if failed and self._lookups.get(host) is lookup:
            del self._lookups[host]


class ResolvingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting to addresses from ``resolver``."""

    def __init__(
        self, resolver: Resolver, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # Reached directly only for a redirect to another host: a probe resolves its own first.
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolver.addresses(host)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"{host} did not resolve in time") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: httpcore.ConnectError | None = None
        for address in addresses:  # in the resolver's order, as a browser tries them
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None  # addresses() never returns an empty tuple
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - probes never use Unix sockets
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
