"""Hostile or accidental YAML (alias bombs, recursion, deep nesting, huge files) ends in one
file:line problem from the real CLI, never a traceback or an exhausted machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.yamlio import MAX_BYTES, MAX_DEPTH, split_front_matter
from tests.conftest import REPO, copy_content, generated_pages

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{','.join(['*' + chr(ord('a') + n - 1)] * 9)}]"
        for n in range(1, 9)
    ]
)


# Both commands that read content: each must stop at the problem, with its line.
COMMANDS = ("generate", "validate")


def _run(root: Path, command: str = "validate") -> subprocess.CompletedProcess[str]:
    args = [command]
    if command == "generate":
        args += ["--history", str(root / "history"), "--docs", str(root / "site_src")]
        args += ["--cache", str(root / "build" / "rollups")]
    return subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def _validate(root: Path) -> subprocess.CompletedProcess[str]:
    return _run(root)


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
@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_structure_is_one_problem_with_its_line(
    tmp_path: Path, name: str, extra: str, line_in_extra: int, message: str, command: str
) -> None:
    root = copy_content(tmp_path / "repo")
    start = _with_extra_field(root, extra)
    run = _run(root, command)
    assert run.returncode == 1, name
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.splitlines()[1:] == [f"catalog/login.yml:{start + line_in_extra}: {message}"]


@pytest.mark.parametrize("command", COMMANDS)
def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path, command: str) -> None:
    root = copy_content(tmp_path / "repo")
    path = root / "catalog" / "login.yml"
    text = path.read_text(encoding="utf-8")
    padding = "# " + "x" * 78 + "\n"
    path.write_text(text + padding * (MAX_BYTES // len(padding) + 1), encoding="utf-8")
    size = path.stat().st_size
    run = _run(root, command)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.splitlines()[1:] == [
        f"catalog/login.yml:1: file is {size:,} bytes; content files may be at most"
        f" {MAX_BYTES:,} bytes (split it into several files)"
    ]


def _authored_files() -> list[Path]:
    """Every YAML and Markdown file people write (not pages a local build left in site_src/)."""
    written = [
        p
        for name in ("catalog", "roadmap", "training", "incidents", "site_src")
        for p in (REPO / name).rglob("*")
        if p.suffix in {".yml", ".md"}
    ]
    return sorted(set(written) - generated_pages())


def test_shipped_content_is_far_inside_the_limits() -> None:
    """The limits refuse nothing a real author writes: every content file is well under them."""
    files = _authored_files()
    assert files
    assert max(p.stat().st_size for p in files) * 10 < MAX_BYTES


def _max_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def test_shipped_content_nests_far_less_deep_than_the_limit() -> None:
    deepest = 0
    for path in _authored_files():
        text = path.read_text(encoding="utf-8")
        split = split_front_matter(text) if path.suffix == ".md" else (text, "", 0)
        if split is not None:
            deepest = max(deepest, _max_depth(split[0]))
    assert 0 < deepest * 4 < MAX_DEPTH


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "title: Bomb\n" + BILLION_LAUGHS,
            3,
            "YAML anchors and aliases (&name, *name) are not allowed in content files; write"
            " the value out in full",
        ),
        (
            "title: Guide: the rules\ndescription: Broken",
            2,
            # The rest of the reason is PyYAML's or libyaml's wording.
            "YAML syntax: mapping values are not allowed",
        ),
    ],
    ids=["alias bomb", "broken front matter"],
)
def test_hand_written_pages_front_matter_is_read_safely(
    tmp_path: Path, front: str, line: int, message: str
) -> None:
    """mkdocs reads a hand-written page's front matter with aliases on, and shows a broken one
    as text: validation reads it first, with the content reader. ``message`` starts the line."""
    root = copy_content(tmp_path / "repo")
    (root / "site_src" / "guides" / "new.md").write_text(
        f"---\n{front}\n---\n\n# A new guide\n", encoding="utf-8"
    )
    run = _validate(root)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    problems = run.stderr.splitlines()[1:]
    assert len(problems) == 1
    assert problems[0].startswith(f"site_src/guides/new.md:{line}: {message}")
