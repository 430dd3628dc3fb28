"""A response body read within a size limit, its Content-Encoding undone a step at a time.

httpx decodes each chunk it receives in one call: a few kilobytes of gzip over gzip expand to
gigabytes in memory before any limit can look at them. Here every layer is inflated at most
``STEP`` bytes at a time and the decoded bytes are counted as they come, so a body stops being
read at the limit and memory stays near the limit whatever the server sends.
"""

from __future__ import annotations

import zlib

__all__ = ["ACCEPT_ENCODING", "MAX_BODY_BYTES", "MAX_LAYERS", "BodyReader", "UnreadableBody"]

MAX_BODY_BYTES = 1024 * 1024  # enough for any health document
MAX_LAYERS = 2  # encodings undone in turn ("gzip, gzip" is already unusual)
ACCEPT_ENCODING = "gzip, deflate"  # what probes ask for: the encodings read here
STEP = 64 * 1024  # most bytes one layer produces before the next one reads them

_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS
_WBITS = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": _ZLIB}


class UnreadableBody(Exception):
    """The body cannot be read within the limits; the message is the reason to record."""


class _Layer:
    """One encoding being undone, holding input it has not inflated yet."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._wbits = _WBITS[name]
        self._inflate = zlib.decompressobj(self._wbits)
        self._pending = b""
        # What was pushed before any output, while "deflate" may still turn out to be raw.
        self._replay: bytes | None = b"" if name == "deflate" else None

    def push(self, data: bytes) -> None:
        self._pending += data
        if self._replay is not None:
            self._replay += data
            if len(self._replay) > STEP:
                self._replay = None  # no output this far in: not a header problem after all

    def pull(self) -> bytes:
        """At most STEP decoded bytes; empty once every byte pushed so far is used up."""
        if self._inflate.eof:
            return b""  # bytes after the end of the stream are ignored, as httpx does
        try:
            out = self._inflate.decompress(self._pending, STEP)
        except zlib.error as exc:
            if self._replay is not None and self._wbits == _ZLIB:
                # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
                self._wbits = _RAW_DEFLATE
                self._inflate = zlib.decompressobj(self._wbits)
                self._pending = self._replay
                return self.pull()
            raise UnreadableBody(f"the body is not valid {self.name} ({exc})") from exc
        self._pending = self._inflate.unconsumed_tail
        if out:
            self._replay = None
        return out


class BodyReader:
    """Feed raw chunks in; ``body`` is the decoded body, or UnreadableBody says why not."""

    def __init__(self, content_encoding: str | None, *, limit: int = MAX_BODY_BYTES) -> None:
        names = [
            name.strip().lower()
            for name in (content_encoding or "").split(",")
            if name.strip().lower() not in ("", "identity")
        ]
        unknown = [name for name in names if name not in _WBITS]
        if unknown:
            raise UnreadableBody(
                f"the body is encoded as {unknown[0]}, which probes cannot read"
                f" (they ask for {ACCEPT_ENCODING})"
            )
        if len(names) > MAX_LAYERS:
            raise UnreadableBody(
                f"the body is encoded {len(names)} times ({', '.join(names)});"
                f" probes undo at most {MAX_LAYERS}"
            )
        # Encodings are listed in the order they were applied: undo the last one first.
        self._layers = [_Layer(name) for name in reversed(names)]
        self._limit = limit
        self._body = bytearray()

    @property
    def body(self) -> bytes:
        return bytes(self._body)

    def feed(self, raw: bytes) -> None:
        if not self._layers:
            self._keep(raw)
            return
        self._layers[0].push(raw)
        self._drain(0)

    def _drain(self, index: int) -> None:
        # Each layer's output is used up by the next before more is inflated, so no layer holds
        # more than STEP bytes it has not passed on.
        layer = self._layers[index]
        while out := layer.pull():
            if index + 1 < len(self._layers):
                self._layers[index + 1].push(out)
                self._drain(index + 1)
            else:
                self._keep(out)

    def _keep(self, data: bytes) -> None:
        if len(self._body) + len(data) > self._limit:
            raise UnreadableBody(f"the body is larger than {self._limit} bytes when decoded")
        self._body += data
