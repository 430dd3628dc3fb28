"""Each package's __all__ is sorted and names exactly what the package exports (httpx's habit)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import checks
import portal

PACKAGES = [checks, portal]


def isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps."""
    if name.isupper():
        return (0, name)
    return (1 if name[0].isupper() else 2, name)


def modules() -> list[ModuleType]:
    found = []
    for package in PACKAGES:
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith("__main__"):
                found.append(importlib.import_module(info.name))
    return found


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.__name__)
def test_all_is_sorted_and_resolves(module: ModuleType) -> None:
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module.__name__} has no __all__"
    assert list(names) == sorted(names, key=isort_key), f"{module.__name__}.__all__ is not sorted"
    for name in names:
        assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"
