"""Hostile or accidental YAML (alias bombs, recursion, deep nesting, huge files) ends in one
file:line problem from the real CLI, never a traceback or an exhausted machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal.yamlio import MAX_BYTES, MAX_DEPTH
from tests.conftest import REPO, copy_content

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{','.join(['*' + chr(ord('a') + n - 1)] * 9)}]"
        for n in range(1, 9)
    ]
)


def _validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def _with_extra_field(root: Path, yaml_text: str) -> int:
    """Append ``yaml_text`` to the Login entry; return the line it starts on."""
    path = root / "catalog" / "login.yml"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + yaml_text + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize(
    ("name", "extra", "line_in_extra", "message"),
    [
        (
            "billion laughs",
            "notes:\n  " + BILLION_LAUGHS.replace("\n", "\n  "),
            1,
            "YAML anchors and aliases (&name, *name) are not allowed in content files; write"
            " the value out in full",
        ),
        (
            "self-referencing alias",
            "notes: &loop [*loop]",
            0,
            "YAML anchors and aliases (&name, *name) are not allowed in content files; write"
            " the value out in full",
        ),
        (
            "deep nesting",
            "notes: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
            0,
            f"nested more than {MAX_DEPTH} levels deep; content is at most {MAX_DEPTH} levels"
            " of lists and mappings",
        ),
    ],
)
def test_hostile_structure_is_one_problem_with_its_line(
    tmp_path: Path, name: str, extra: str, line_in_extra: int, message: str
) -> None:
    root = copy_content(tmp_path / "repo")
    start = _with_extra_field(root, extra)
    run = _validate(root)
    assert run.returncode == 1, name
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.splitlines()[1:] == [f"catalog/login.yml:{start + line_in_extra}: {message}"]


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "repo")
    path = root / "catalog" / "login.yml"
    text = path.read_text(encoding="utf-8")
    padding = "# " + "x" * 78 + "\n"
    path.write_text(text + padding * (MAX_BYTES // len(padding) + 1), encoding="utf-8")
    size = path.stat().st_size
    run = _validate(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.splitlines()[1:] == [
        f"catalog/login.yml:1: file is {size:,} bytes; content files may be at most"
        f" {MAX_BYTES:,} bytes (split it into several files)"
    ]


def test_shipped_content_is_far_inside_the_limits() -> None:
    """The limits refuse nothing a real author writes: every content file is well under them."""
    files = [
        p
        for name in ("catalog", "roadmap", "training", "incidents", "site_src")
        for p in (REPO / name).rglob("*")
        if p.suffix in {".yml", ".md"}
    ]
    assert files
    assert max(p.stat().st_size for p in files) * 10 < MAX_BYTES
