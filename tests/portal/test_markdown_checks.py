"""The Markdown checks, table-driven: what passes, and what each problem reads like."""

from __future__ import annotations

import re

import markdown
import pytest

from portal.markdown_checks import VAGUE_LINK_TEXT, MarkdownIssue, check_markdown, shift_headings

GOOD = [
    "## One\n\n### Two\n\n#### Three\n\n## Back up two levels is fine",
    "Text with [the GDPR guide](../../guides/gdpr.md) and ![a ward map](map.png).",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\nAfter a rule.",
    "```\n# a comment, not a heading\n[here](x.md) ![](y.png)\n```",
    "~~~~\n```\n# still code\n```\n~~~~",
    "Inline code is not a link: `[here](x.md)` or `![](x.png)`.",
    '<img src="a.png" alt="A walk list"> and <a href="x/">the walk list guide</a>',
    "A footnote[^1] is not a link.\n\n[^1]: A note.",
    "Link text that merely contains a vague word: [read more about consent](consent.md).",
    "> A quoted post with an escaped hashtag:\n> \\#GreenerHillside",
    "> ## A quoted heading still counts, and may be the first",
]


@pytest.mark.parametrize("text", GOOD)
def test_good_markdown_passes(text: str) -> None:
    assert check_markdown(text) == []


BAD: list[tuple[str, int, str]] = [
    ("# Title in the body", 1, 'heading "Title in the body" is level 1 (#)'),
    ("### Too deep first", 1, "but is the body's first heading; use level 2 (##)"),
    ("## A\n\n#### B", 3, 'heading "B" is level 4 (####) but comes after a level-2 heading'),
    ("Setext one\n==========", 1, 'heading "Setext one" is level 1 (#)'),
    ("## A\n\nPara\n---\n\n#### C", 6, "comes after a level-2 heading"),
    (
        "#NoSpace",
        1,
        '"#NoSpace" at the start of a line makes the line a level-1 heading; for a '
        "hashtag write \\#NoSpace, for a heading put a space after #",
    ),
    ("> A post\n> #GreenerHillside #Litter", 2, '"#GreenerHillside" at the start of a line'),
    ("## A\n\n> #### Quoted", 3, 'heading "Quoted" is level 4 (####) but comes after'),
    ("See ![](ward.png).", 1, 'image "ward.png" has no alt text'),
    ("See ![ ](ward.png).", 1, 'image "ward.png" has no alt text'),
    ('<img src="a.png">', 1, "image <img> has no alt text"),
    ('<img src="a.png" alt="">', 1, "image <img> has no alt text"),
    ('<a href="x/">Read more</a>', 1, 'link text "Read more" does not say where it goes'),
    ("[**Click here**](x.md)", 1, 'link text "**Click here**" does not say where it goes'),
    ("[here][ref]\n\n[ref]: x.md", 1, 'link text "here" does not say where it goes'),
    ("text\n\n[link.](x.md)", 3, 'link text "link." does not say where it goes'),
]


@pytest.mark.parametrize(("text", "line", "start"), BAD)
def test_bad_markdown_is_reported_on_its_line(text: str, line: int, start: str) -> None:
    (issue,) = check_markdown(text)
    assert issue.line == line
    assert start in issue.message


@pytest.mark.parametrize("text", sorted(VAGUE_LINK_TEXT))
def test_each_vague_phrase_is_caught(text: str) -> None:
    assert [i.line for i in check_markdown(f"Go [{text}](x.md).")] == [1]


def test_headings_are_refused_in_fields_shown_inside_a_box() -> None:
    assert check_markdown("Do this.\n\n## Step two", headings=False) == [
        MarkdownIssue(
            3,
            'heading "Step two" is not allowed here, as this text is shown inside a box below '
            "the page's own headings; use **bold text** instead",
        )
    ]


def _levels(text: str) -> list[int]:
    html = markdown.markdown(text, extensions=["tables", "fenced_code"])
    return [int(level) for level in re.findall(r"<h([1-6])", html)]


@pytest.mark.parametrize(
    "text",
    [
        "## A\n\n#B\n\nPara\n---\n\n```\n# code\n```\n\n| a |\n|---|\n| 1 |\n\n---\n\nEnd",
        "Title\n=====\n\ntext\nmore text\n\n- item\n\n### three\n\n    # indented code",
        "## A\n\n> quoted\n> #tag\n\n> \\#escaped",
    ],
)
def test_scanner_finds_exactly_the_headings_python_markdown_renders(text: str) -> None:
    """Shifting by one moves every rendered heading down a level and creates none: so the
    scanner missed no heading and mistook no other line for one."""
    before = _levels(text)
    assert before  # the sample has headings to find
    assert _levels(shift_headings(text, 1)) == [level + 1 for level in before]


def test_shift_headings_moves_every_heading_outside_code() -> None:
    text = "## A\n\n```\n## code\n```\n\nB\n---\n\n> ## Quoted\n\n###### Deepest\n"
    assert shift_headings(text, 1) == (
        "### A\n\n```\n## code\n```\n\n### B\n\n> ### Quoted\n\n###### Deepest\n"
    )
