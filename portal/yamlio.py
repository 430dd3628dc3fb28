"""The only YAML reader: parses content and remembers the line of every value.

PyYAML's resolver is narrowed on purpose: dates and times stay strings (pydantic parses them
and can report a bad one with its line), and only ``true``/``false`` are booleans, so ``no``,
``on`` or ``NO`` (a country code) stay the strings authors meant. Duplicate keys, which PyYAML
silently lets the last one win, are reported.

Content is hand-written data, so the reader refuses what only an attacker or an accident needs
and what could exhaust the machine: anchors and aliases (a 1 KB "billion laughs" file expands
to gigabytes; a self-referencing alias recurses without end), files over ``MAX_BYTES`` and
nesting deeper than ``MAX_DEPTH``. Each is a file:line problem, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portal.errors import ContentError, Problem

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "Positions",
    "check_page",
    "load_document",
    "parse_yaml",
    "split_front_matter",
]

# The largest shipped content file is the GDPR guide, 39 KB (a training module, 23 KB, is the
# largest with data in it): 1 MiB is 25 times that. The worst 1 MiB we found, a flow list of
# half a million one-letter items, still parses in a few seconds and under 300 MB: bounded.
MAX_BYTES = 1024 * 1024
# Shipped content nests at most five levels deep; a test keeps it far under the limit.
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2-like booleans and no implicit timestamps."""


_ContentLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.copy().items()
}
_ContentLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


@dataclass(frozen=True)
class Positions:
    """Line numbers (1-based) for each path into a parsed document."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line_for(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


@dataclass(frozen=True)
class Document:
    """Parsed YAML with its file and positions; ``body`` is the Markdown after front matter."""

    file: str
    data: Any
    positions: Positions
    body: str = ""
    body_line: int = 1


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    f"{key_node.start_mark.line + 1}:{'.'.join(map(str, (*path, key)))}"
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, problems)


def _refuse_unsafe_structure(text: str, *, file: str, line_offset: int) -> None:
    """Scan the event stream (cheap: nothing is built) for aliases, anchors and deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_ContentLoader):
        mark = event.start_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentError(
                [
                    Problem(
                        file,
                        line,
                        "",
                        "YAML anchors and aliases (&name, *name) are not allowed in content"
                        " files; write the value out in full",
                    )
                ]
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentError(
                    [
                        Problem(
                            file,
                            line,
                            "",
                            f"nested more than {MAX_DEPTH} levels deep; content is at most"
                            f" {MAX_DEPTH} levels of lists and mappings",
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_yaml(text: str, *, file: str, line_offset: int = 0) -> Document:
    """Parse one YAML document; raise ContentError with file:line on any syntax problem."""
    try:
        _refuse_unsafe_structure(text, file=file, line_offset=line_offset)
        loader = _ContentLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1
        reason = exc.problem or exc.context or "not valid YAML"
        context = exc.context_mark
        if mark and context and context.line != mark.line:
            reason += f" in the block that starts on line {context.line + 1 + line_offset}"
        raise ContentError(
            [Problem(file, line, "", f"YAML syntax: {reason}; check indentation and quoting")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ContentError([Problem(file, 1, "", f"YAML syntax: {exc}")]) from exc
    lines: dict[Path_, int] = {(): 1 + line_offset}
    duplicates: list[str] = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    if line_offset:
        lines = {path: line + line_offset if path else line for path, line in lines.items()}
    if duplicates:
        raise ContentError(
            [
                Problem(
                    file,
                    int(entry.split(":", 1)[0]) + line_offset,
                    entry.split(":", 1)[1],
                    "this key appears twice in the same block; keep one",
                )
                for entry in duplicates
            ]
        )
    return Document(file=file, data=data, positions=Positions(lines))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` front matter from a Markdown text: (yaml, body, body's first line)."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    front = match.group(1) or ""
    body_line = text[: match.end()].count("\n") + 1
    return front, text[match.end() :], body_line


def _read_text(path: Path, file: str) -> str:
    """A content file's text: refused unread if too big, and refused if not UTF-8."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ContentError(
            [
                Problem(
                    file,
                    1,
                    "",
                    f"file is {size:,} bytes; content files may be at most {MAX_BYTES:,} bytes"
                    " (split it into several files)",
                )
            ]
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(file, 1, "", "file is not UTF-8 text")]) from exc


def _file_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def load_document(path: Path, *, root: Path) -> Document:
    """Read a .yml file, or the front matter and body of a .md file."""
    file = _file_name(path, root)
    text = _read_text(path, file)
    if path.suffix != ".md":
        return parse_yaml(text, file=file)
    split = split_front_matter(text)
    if split is None:
        raise ContentError(
            [Problem(file, 1, "", "missing front matter: the file must start with a '---' block")]
        )
    front, body, body_line = split
    doc = parse_yaml(front, file=file, line_offset=1)
    return Document(
        file=file, data=doc.data, positions=doc.positions, body=body, body_line=body_line
    )


def check_page(path: Path, *, root: Path) -> None:
    """Read a Markdown page whose front matter is optional; ContentError if it cannot be read."""
    file = _file_name(path, root)
    split = split_front_matter(_read_text(path, file))
    if split is not None:
        parse_yaml(split[0], file=file, line_offset=1)
