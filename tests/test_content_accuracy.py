"""What the GDPR guide and the training say about the law (issue 14, item 10).

These read the source Markdown, sentence by sentence, rather than whole paragraphs: a sentence
can be reworded freely as long as what it claims stays right. Front matter is read too, because
a module's exercises, self-checks and keypoints live there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.load_training import load_training
from tests.conftest import REPO, generated_pages

GUIDE = REPO / "site_src" / "guides" / "gdpr.md"
# The ICO's current campaigning guidance on research and direct marketing, and the law the
# rights deadline and the instigator rule come from.
ICO_CAMPAIGNING_DM = (
    "https://ico.org.uk/for-organisations/direct-marketing-and-privacy-and-electronic-communications/"
    "guidance-for-the-use-of-personal-data-in-political-campaigning-1/"
    "political-campaigning-opinion-research-and-direct-marketing"
)
ARTICLE_12 = "legislation.gov.uk/eur/2016/679/article/12"
PECR = "legislation.gov.uk/uksi/2003/2426"

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
# A list item, table row or heading starts a new run of text; a wrapped line continues one.
_NEW_UNIT = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|\||#|>|!!!|\?\?\?)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(“])")

VOTE_PUSH = re.compile(
    r"get[- ]out[- ]the[- ]vote|\bGOTV\b"
    r"|\b(?:encourag|urg|remind|ask)\w*(?:\s+\w+){0,3}?\s+to\s+(?:go\s+(?:out\s+)?(?:and\s+)?)?vote\b",
    re.IGNORECASE,
)
CALLED_RESEARCH = re.compile(
    r"\b(?:can|may|could|might|is|are|counts?\s+as)\s+(?:be\s+)?(?:genuine\s+|legitimate\s+)?"
    r"(?:market\s+|opinion\s+)?research\b",
    re.IGNORECASE,
)
ONE_MONTH = re.compile(r"\bone[- ]month\b", re.IGNORECASE)
DEADLINE = re.compile(r"\b(?:repl|respon|answer|deadline|clock|time limit)", re.IGNORECASE)
ONE_KIND = re.compile(
    r"\b(?:access|copy of (?:their|your) data|erasure|objection|correction|rectification)\b",
    re.IGNORECASE,
)
EVERY_REQUEST = re.compile(
    r"\b(?:every|all|any|each)\b(?:\s+\w+){0,3}?\s+requests?\b", re.IGNORECASE
)
# "The same one-month deadline applies to erasure too" names one kind without implying it is
# the only one.
SHARED = re.compile(r"\b(?:too|also|as well|same)\b", re.IGNORECASE)
INSTIGATE = re.compile(r"\binstigat\w*", re.IGNORECASE)


def plain(text: str) -> str:
    """Markdown as read: link text kept, emphasis and code marks gone, spaces collapsed."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"[*`]|^>\s?|^(?:[-+]|\d+\.)\s", "", text)
    return " ".join(text.split())


def units(text: str) -> Iterator[str]:
    """Paragraphs, list items, headings and table cells, each joined onto one line."""
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if (not line.strip() or _NEW_UNIT.match(line)) and lines:
            joined = " ".join(lines)
            yield from joined.split("|") if joined.startswith("|") else [joined]
            lines = []
        if line.strip():
            lines.append(line.strip())


def sentences(text: str) -> list[str]:
    return [s for unit in units(text) for s in _SENTENCE_END.split(plain(unit)) if s]


def links(text: str) -> list[str]:
    return [url for _, url in _LINK.findall(text)]


def sections(markdown: str) -> dict[str, str]:
    """Each ``## `` section of a page by its heading, with its subsections."""
    found: dict[str, str] = {}
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        found[heading] = found.get(heading, "") + line + "\n"
    return found


def prose_files() -> list[Path]:
    written = [*(REPO / "site_src").rglob("*.md"), *(REPO / "training").rglob("*.md")]
    return sorted(set(written) - generated_pages())


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("path", prose_files(), ids=_name)
def test_no_page_calls_get_out_the_vote_research(path: Path) -> None:
    """The ICO's current guidance: urging people to vote, for a party, is direct marketing.

    A 2017 ICO blog post counted "generally encouraging people to go out and vote" as research;
    the guide repeated it. Any sentence that puts the two together must say it is marketing.
    """
    wrong = [
        s
        for s in sentences(path.read_text(encoding="utf-8"))
        if VOTE_PUSH.search(s)
        and "research" in s.lower()
        and ("marketing" not in s.lower() or CALLED_RESEARCH.search(s))
    ]
    assert not wrong, f"{_name(path)} calls getting out the vote research: {wrong}"


def test_guide_says_get_out_the_vote_is_direct_marketing_and_cites_the_ico() -> None:
    markdown = GUIDE.read_text(encoding="utf-8")
    stating = {
        heading: [
            s
            for s in sentences(text)
            if re.search(r"get[- ]out[- ]the[- ]vote", s, re.IGNORECASE)
            and "direct marketing" in s.lower()
        ]
        for heading, text in sections(markdown).items()
    }
    cited = [
        h
        for h, found in stating.items()
        if found and ICO_CAMPAIGNING_DM in links(sections(markdown)[h])
    ]
    assert cited, (
        "the guide must say get-out-the-vote messages are direct marketing, in a section that "
        f"cites the ICO's campaigning guidance; statements found: {stating}"
    )


def _deadline_sentences(path: Path) -> list[str]:
    return [
        s
        for s in sentences(path.read_text(encoding="utf-8"))
        if ONE_MONTH.search(s) and DEADLINE.search(s)
    ]


RIGHTS_DEADLINE_FILES = [p for p in prose_files() if _deadline_sentences(p)]


def test_the_rights_deadline_is_taught_somewhere() -> None:
    """Guards the two tests below against passing because nothing mentions a deadline."""
    assert GUIDE in RIGHTS_DEADLINE_FILES
    assert REPO / "training" / "gdpr-for-organisers" / "gdpr-rights-requests.md" in (
        RIGHTS_DEADLINE_FILES
    )


@pytest.mark.parametrize("path", prose_files(), ids=_name)
def test_no_sentence_ties_the_one_month_deadline_to_one_kind_of_request(path: Path) -> None:
    """Art. 12(3): one month for every rights request, not only access."""
    wrong = [
        s
        for s in sentences(path.read_text(encoding="utf-8"))
        if ONE_MONTH.search(s)
        and ONE_KIND.search(s)
        and not (EVERY_REQUEST.search(s) or SHARED.search(s))
    ]
    assert not wrong, f"{_name(path)} gives the one-month deadline for one kind of request: {wrong}"


@pytest.mark.parametrize("path", RIGHTS_DEADLINE_FILES, ids=_name)
def test_a_page_with_the_rights_deadline_says_it_covers_every_request(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    general = [s for s in sentences(text) if ONE_MONTH.search(s) and EVERY_REQUEST.search(s)]
    assert general, f"{_name(path)}: no sentence says one month applies to every request"
    assert re.search(r"two (?:further |more )?months", text), f"{_name(path)}: no extension"
    assert any(ARTICLE_12 in url for url in links(text)), f"{_name(path)}: Article 12 not cited"


def test_relational_course_teaches_and_practises_the_instigator_rule() -> None:
    """PECR reg 22: whoever instigates a marketing text is responsible, not only the sender."""
    training, _ = load_training(REPO)
    course = training.courses["relational-organising"]
    teaching = {}
    for module in training.modules_of(course):
        body = training.bodies[module.id]
        taught = [s for s in sentences(body) if INSTIGATE.search(s) and re.search(r"\btext", s)]
        practised = [e.title for e in module.exercises if INSTIGATE.search(e.solution)]
        checked = [c.question for c in module.self_checks if INSTIGATE.search(c.answer)]
        cites_pecr = any(PECR in url for url in links(body))
        teaching[module.id] = (taught, practised, checked, cites_pecr)
        if taught and practised and checked and cites_pecr:
            return
    pytest.fail(f"no relational module teaches, practises and cites the rule: {teaching}")
