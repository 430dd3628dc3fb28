"""Errors raised by the checks; children of the project's one root error."""

from __future__ import annotations

from portal.errors import GlasshouseError

__all__ = ["CheckConfigError", "ProbeError"]


class ProbeError(GlasshouseError):
    """A probe could not be set up or its result could not be recorded."""


class CheckConfigError(ProbeError):
    """A health check cannot run as configured (e.g. a secret's environment variable is unset)."""
