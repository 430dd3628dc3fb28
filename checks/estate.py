"""A simulated estate on 127.0.0.1 for the demo and the tests: one path per behaviour.

/ok                    200 "ok"
/slow?ms=N             200 after N milliseconds
/status?code=N         answers with status N
/hang                  accepts the request and never answers (until the server stops)
/redirect?to=PATH      302 to PATH
/loop                  302 to itself, for ever
/trickle?ms=N          200, sending the body one byte every N milliseconds for 100 bytes
/json?body=TEXT        200 with TEXT as an application/json body
/headers               200, the request's headers as text (an echo, to test secret handling)
/echo                  200, JSON: the request's method, Authorization header and body
/flaky?key=K&fail=N    503 for the first N requests with key K, then 200
/close                 reads the request, then closes the connection without answering
/compressed?layers=L   200, TEXT (body=TEXT) or MB mebibytes of zeros (mb=MB) compressed with
                       each of L in turn (gzip, deflate; comma-separated), sent with
                       Content-Encoding: L (or header=VALUE): a compression bomb when large
"""

from __future__ import annotations

import functools
import json
import socket
import ssl
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

__all__ = ["Estate", "unused_port"]


_WBITS = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


@functools.cache
def _compressed(layers: tuple[str, ...], text: str, mebibytes: int) -> bytes:
    """``text``, or ``mebibytes`` MiB of zeros, compressed with each layer in turn (kept: a
    large bomb takes a moment to build)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, _WBITS[layers[0]])
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(mebibytes)]
    data = b"".join([*parts, packer.compress(text.encode()), packer.flush()])
    for layer in layers[1:]:
        packer = zlib.compressobj(9, zlib.DEFLATED, _WBITS[layer])
        data = packer.compress(data) + packer.flush()
    return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Hundreds of probes arrive at once; the default backlog of 5 would make healthy targets
    # look down.
    request_queue_size = 4096
    stopping: threading.Event
    counts: dict[str, int]
    counts_lock: threading.Lock

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet when a client hangs up (a probe's deadline did its job); loud otherwise."""
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the demo prints its own summary."""

    def _send(self, code: int, body: bytes = b"ok", content_type: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.request_body = self.rfile.read(length)
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        stop = self.server.stopping
        match url.path:
            case "/ok":
                self._send(200)
            case "/slow":
                stop.wait(int(query.get("ms", "1000")) / 1000)
                self._send(200)
            case "/status":
                self._send(int(query.get("code", "500")), b"simulated status")
            case "/hang":
                stop.wait()
            case "/redirect" | "/loop":
                self.send_response(302)
                self.send_header("Location", query.get("to", url.path))
                self.send_header("Content-Length", "0")
                self.end_headers()
            case "/trickle":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(100):
                    if stop.wait(int(query.get("ms", "100")) / 1000):
                        return
                    self.wfile.write(b".")
                    self.wfile.flush()
            case "/json":
                self._send(200, query.get("body", "{}").encode(), "application/json")
            case "/headers":
                body = "\n".join(f"{k}: {v}" for k, v in self.headers.items()).encode()
                self._send(200, body)
            case "/echo":
                echoed = {
                    "method": self.command,
                    "authorization": self.headers.get("Authorization", ""),
                    "body": getattr(self, "request_body", b"").decode("utf-8", "replace"),
                }
                self._send(200, json.dumps(echoed).encode(), "application/json")
            case "/flaky":
                with self.server.counts_lock:
                    key = query.get("key", "")
                    seen = self.server.counts[key] = self.server.counts.get(key, 0) + 1
                failing = seen <= int(query.get("fail", "1"))
                self._send(503 if failing else 200, b"flaky" if failing else b"ok")
            case "/compressed":
                layers = query.get("layers", "gzip")
                names = tuple(name.strip() for name in layers.split(","))
                body = _compressed(names, query.get("body", ""), int(query.get("mb", "0")))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Encoding", query.get("header", layers))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            case "/close":
                self.close_connection = True
            case _:
                self._send(404, b"no such behaviour")


class Estate:
    """A threaded HTTP server on 127.0.0.1; use as a context manager."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> None:
        self._server = _Server((host, port), _Handler)
        self._scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.stopping = threading.Event()
        self._server.counts = {}
        self._server.counts_lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> Estate:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Estate:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
