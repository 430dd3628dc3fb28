"""A progress line for long work in a terminal; silent when output goes to a log or a pipe."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``label: 120/500 (24%)`` rewritten in place on a terminal, at most ten times a second."""

    def __init__(
        self, label: str, total: int, *, stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        # A scheduler's log would fill with carriage returns: draw only on a terminal.
        self.enabled = self._stream.isatty() if enabled is None else enabled
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= 0.1 or self.done >= self.total):
            self._drawn = now
            share = f" ({100 * self.done // self.total}%)" if self.total else ""
            self._stream.write(f"\r{self.label}: {self.done}/{self.total}{share}")
            self._stream.flush()

    def set(self, done: int, total: int) -> None:
        """Advance to ``done`` of ``total`` (for callers that count for themselves)."""
        self.total = total
        self.advance(done - self.done)

    def close(self) -> None:
        if self.enabled and self._drawn:
            self._stream.write("\n")
            self._stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
