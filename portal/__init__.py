"""Glasshouse portal: content models, loading, validation and the site generator."""

from __future__ import annotations

from portal.errors import ContentError, GlasshouseError, Problem, RenderError
from portal.load import load_catalog

__all__ = ["ContentError", "GlasshouseError", "Problem", "RenderError", "load_catalog"]
