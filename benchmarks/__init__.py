"""Benchmarks: ``python -m benchmarks`` (``nox -s bench``) measures and prints figures.

They never pass or fail on time: the figures go into notes and issues, where people judge them.
"""

from __future__ import annotations

__all__: list[str] = []
