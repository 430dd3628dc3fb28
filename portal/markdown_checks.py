"""Line-by-line checks of authored Markdown: heading levels, image alt text, link text.

A scanner, not a parser: it knows just enough of Python-Markdown's rules (fenced code, ATX and
setext headings, inline code spans) to find each problem on the line where the author wrote it,
which a rendered HTML tree would no longer tell us.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["VAGUE_LINK_TEXT", "MarkdownIssue", "check_markdown", "shift_headings"]

# Link text that does not say where the link goes (WCAG 2.4.4).
VAGUE_LINK_TEXT = frozenset({"click here", "here", "this link", "read more", "link"})

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# Python-Markdown takes any line starting with # as a heading: no space needed after the hashes.
_ATX = re.compile(r"^(#{1,6})(?!#)\s*(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_IMAGE = re.compile(r"!\[([^\]\n]*)\][(\[]([^)\]\s]*)")
_LINK = re.compile(r"(?<![!\]\\])\[([^\]\n]+)\][(\[]")
_HTML_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.IGNORECASE)
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAGS_AND_EMPHASIS = re.compile(r"<[^>]+>|[*_`]")


@dataclass(frozen=True, order=True)
class MarkdownIssue:
    line: int  # 1-based, within the text checked
    message: str


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str  # with inline code spans blanked out
    heading: tuple[int, str] | None  # (level, title) when the line is a heading
    tight: bool = False  # no space after the hashes: "#word", most likely a hashtag


def _lines(text: str) -> Iterator[_Line]:
    """Each line outside fenced code blocks, with its heading level if it is one."""
    fence: str | None = None
    previous = ""
    before_previous = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        opener = _FENCE.match(raw)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            previous = before_previous = ""
            continue
        if opener:
            fence = opener.group(1)
            previous = before_previous = ""
            continue
        visible = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), raw)
        # Inside a blockquote the text after the ">" is parsed again: "> #tag" is a heading.
        inner = _QUOTE.sub("", raw)
        if atx := _ATX.match(inner):
            level = len(atx.group(1))
            tight = inner[level : level + 1] not in ("", " ", "\t")
            yield _Line(number, visible, (level, atx.group(2)), tight)
        elif (
            (setext := _SETEXT.match(raw))
            and previous.strip()
            and not before_previous.strip()
            and not _ATX.match(previous)
            and not previous.startswith((" ", "\t", "|", ">", "!!!", "???"))
        ):
            # An underline makes the line above it a heading, if that line starts a block.
            level = 1 if setext.group(1)[0] == "=" else 2
            yield _Line(number - 1, "", (level, previous.strip()))
        else:
            yield _Line(number, visible, None)
        before_previous, previous = previous, raw


def _plain(text: str) -> str:
    return " ".join(_TAGS_AND_EMPHASIS.sub("", text).split()).strip(" .:!").lower()


def _link_issues(line: _Line) -> Iterator[MarkdownIssue]:
    for match in _IMAGE.finditer(line.text):
        if not match.group(1).strip():
            target = match.group(2) or "the image"
            yield MarkdownIssue(
                line.number,
                f'image "{target}" has no alt text; say what it shows inside the brackets, '
                f"like ![a ward map with three tower blocks marked]({target})",
            )
    for tag in _HTML_IMAGE.findall(line.text):
        alt = _HTML_ALT.search(tag)
        if alt is None or not "".join(g or "" for g in alt.groups()).strip():
            yield MarkdownIssue(
                line.number,
                'image <img> has no alt text; add alt="what it shows" to the tag',
            )
    texts = [m.group(1) for m in _LINK.finditer(line.text)]
    texts += _HTML_LINK.findall(line.text)
    for text in texts:
        if _plain(text) in VAGUE_LINK_TEXT:
            yield MarkdownIssue(
                line.number,
                f'link text "{text.strip()}" does not say where it goes; use words that name '
                'the destination, like "the GDPR guide"',
            )


def check_markdown(text: str, *, headings: bool = True) -> list[MarkdownIssue]:
    """Every problem in ``text``, in line order.

    With ``headings`` (a page body) headings start at level 2, as the page title is the level-1
    heading, and never skip a level. Without it (a field shown inside a box, such as an
    exercise's task) headings are not allowed at all.
    """
    issues: list[MarkdownIssue] = []
    last_level = 1
    for line in _lines(text):
        if line.heading is not None:
            level, title = line.heading
            marks = "#" * level
            if line.tight:
                tag = marks + title.split()[0]
                issues.append(
                    MarkdownIssue(
                        line.number,
                        f'"{tag}" at the start of a line makes the line a level-{level} heading; '
                        f"for a hashtag write \\{tag}, for a heading put a space after {marks}",
                    )
                )
            elif not headings:
                issues.append(
                    MarkdownIssue(
                        line.number,
                        f'heading "{title}" is not allowed here, as this text is shown inside '
                        "a box below the page's own headings; use **bold text** instead",
                    )
                )
            elif level == 1:
                issues.append(
                    MarkdownIssue(
                        line.number,
                        f'heading "{title}" is level 1 ({marks}); the page title is the only '
                        "level-1 heading, so start the body's headings at level 2 (##)",
                    )
                )
            elif level > last_level + 1:
                wanted = "#" * (last_level + 1)
                after = (
                    "is the body's first heading"
                    if last_level == 1
                    else f"comes after a level-{last_level} heading"
                )
                issues.append(
                    MarkdownIssue(
                        line.number,
                        f'heading "{title}" is level {level} ({marks}) but {after}; use level '
                        f"{last_level + 1} ({wanted}) so no level is skipped",
                    )
                )
            last_level = max(level, 2) if headings else last_level
        issues.extend(_link_issues(line))
    return sorted(issues)


def shift_headings(text: str, by: int) -> str:
    """``text`` with every ATX heading outside code ``by`` levels deeper (at most level 6).

    Used where a module's body is placed under a heading of its own, as on a course's
    printable page.
    """
    out = text.splitlines(keepends=True)
    for line in _lines(text):
        if line.heading is None:
            continue
        raw = out[line.number - 1]
        level = min(line.heading[0] + by, 6)
        prefix = _QUOTE.match(raw)
        start = prefix.end() if prefix else 0
        if raw[start:].startswith("#"):
            out[line.number - 1] = raw[:start] + "#" * level + raw[start:].lstrip("#")
        else:
            # A setext heading: rewrite it in ATX form at the new level, dropping the underline.
            out[line.number - 1] = "#" * level + " " + raw.strip() + "\n"
            out[line.number] = ""
    return "".join(out)
