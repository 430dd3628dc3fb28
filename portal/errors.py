"""The one exception tree for Glasshouse.

    GlasshouseError
    ├── ContentError      content (YAML, front matter) is wrong: carries every problem found
    └── RenderError       a page, chart or feed could not be produced from valid content

The probe side has its own child, ``checks.errors.ProbeError``, which also derives from
GlasshouseError, so a caller can catch everything the project raises with one clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ContentError", "GlasshouseError", "Problem", "RenderError"]


class GlasshouseError(Exception):
    """Root of every error Glasshouse raises on purpose."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can.

    ``str(problem)`` reads ``catalog/dialogue.yml:12: check.timeout: must be ...``, the form
    editors and CI logs turn into clickable links.
    """

    file: str
    line: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        prefix = "" if self.severity == "error" else " warning:"
        return f"{where}:{prefix}{field} {self.message}"


class ContentError(GlasshouseError):
    """The content cannot be loaded; ``problems`` lists every error found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        summary = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the content:\n{summary}")


class RenderError(GlasshouseError):
    """Valid content could not be turned into the site (a template or writer failed)."""
