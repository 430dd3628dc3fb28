"""Loopback HTTP servers for the round benchmark, each in a process of its own.

The servers must never be the bottleneck, or the benchmark would measure them instead of the
probes: each is a minimal asyncio server (no thread per connection) with a listen backlog of
4096 (a default backlog of 5 makes healthy targets time out), and several run side by side.
Paths: ``/ok`` answers ``ok`` at once; ``/hang`` reads the request and never answers.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from types import TracebackType

__all__ = ["BACKLOG", "LoopbackServers", "serve"]

BACKLOG = 4096
_OK = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
    b"Connection: close\r\n\r\nok"
)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        if b" /hang" in head.split(b"\r\n", 1)[0]:
            await reader.read()  # until the client gives up and closes
            return
        writer.write(_OK)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass  # a client that went away mid-request changes nothing
    finally:
        writer.close()


async def serve() -> None:
    """Serve on a free loopback port, print the port, run until killed."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(BACKLOG)
    server = await asyncio.start_server(_handle, sock=sock, backlog=BACKLOG)
    print(sock.getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


class LoopbackServers:
    """``count`` server processes; ``ports`` once started. Use as a context manager."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.ports: list[int] = []
        self._processes: list[subprocess.Popen[str]] = []

    def __enter__(self) -> LoopbackServers:
        for _ in range(self.count):
            process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.loopback"], stdout=subprocess.PIPE, text=True
            )
            self._processes.append(process)
        for process in self._processes:
            assert process.stdout is not None
            self.ports.append(int(process.stdout.readline()))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for process in self._processes:
            process.kill()
        for process in self._processes:
            process.wait()


if __name__ == "__main__":
    asyncio.run(serve())
