"""A real webhook receiver on 127.0.0.1: what apprise's ``json://`` and ``form://`` post to.

Each request is kept (path, headers, decoded body). ``hold()`` makes the receiver keep the
next request waiting until ``release()``, so a test can catch a sender in mid-send; ``fail(n)``
answers the next n requests with HTTP 500.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

HOLD_LIMIT = 60.0  # seconds a held request waits at most, so a broken test cannot hang


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, str]
    raw: bytes = field(repr=False)
    accepted: bool = True  # answered 200 (False: the receiver was told to fail it)

    @property
    def title(self) -> str:
        return self.body.get("title", "")

    @property
    def message(self) -> str:
        return self.body.get("message", "")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: Receiver


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            body = {k: str(v) for k, v in json.loads(raw).items()}
        else:
            body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        code = self.server.receiver._arrived(
            urlsplit(self.path).path, dict(self.headers.items()), body, raw
        )
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class Receiver:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._lock = threading.Lock()
        self.received: list[Received] = []
        self.arrived = threading.Event()  # set when a held request has arrived
        self._release = threading.Event()
        self._release.set()
        self._failures = 0

    @property
    def port(self) -> int:
        port: int = self._server.server_address[1]
        return port

    def url(self, path: str = "hook", *, scheme: str = "json", auth: str = "") -> str:
        """An apprise URL to this receiver (``rto``: patient reads, for held requests)."""
        at = f"{auth}@" if auth else ""
        return f"{scheme}://{at}127.0.0.1:{self.port}/{path.lstrip('/')}?rto=60"

    def hold(self) -> None:
        self.arrived.clear()
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def fail(self, count: int) -> None:
        with self._lock:
            self._failures = count

    def _arrived(self, path: str, headers: dict[str, str], body: dict[str, str], raw: bytes) -> int:
        with self._lock:
            failing = self._failures > 0
            self._failures -= 1 if failing else 0
            self.received.append(Received(path, headers, body, raw, accepted=not failing))
        self.arrived.set()
        self._release.wait(HOLD_LIMIT)
        return 500 if failing else 200

    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.accepted]

    def titles(self) -> list[str]:
        """Titles of the messages accepted, in arrival order."""
        return [r.title for r in self.accepted()]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
