# ruff: noqa: E501 - the tables hold exact messages, one case a line, easier to read unwrapped
"""``matches`` patterns: refused at load time when they can backtrack catastrophically, and
stopped at the probe's deadline when one slips past the rule."""

from __future__ import annotations

import time

import pytest

from checks.conditions import ConditionError, Observation, parse_condition
from checks.patterns import MAX_PATTERN_LENGTH, UnsafePattern, compile_pattern

NESTED = "which can take exponential time on some answers; repeat one character or class instead, such as [a-z0-9.]+"
CHOICE = "which can take exponential time on some answers; start each option with its own character, or use a class such as [a-z]+"

# pattern -> the message that completes "<pattern> ..."
UNSAFE: list[tuple[str, str]] = [
    ("(a+)+$", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), (a+)+, {NESTED}"),
    ("(a*)*", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), (a*)*, {NESTED}"),
    ("(.*a){20}", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), (.*a){{20}}, {NESTED}"),
    ("x((ab)+c)*?", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), ((ab)+c)*?, {NESTED}"),
    ("(?:a?)++", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), (?:a?)++, {NESTED}"),
    ("([)(]+x)+", f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), ([)(]+x)+, {NESTED}"),
    ("(a|aa)+", f"repeats a choice whose options can start alike, (a|aa)+, {CHOICE}"),
    ("(A|a){2,}", f"repeats a choice whose options can start alike, (A|a){{2,}}, {CHOICE}"),
    (r"(\d|x)*", f"repeats a choice whose options can start alike, (\\d|x)*, {CHOICE}"),
    ("(a|)+", f"repeats a choice whose options can start alike, (a|)+, {CHOICE}"),
    ("a{e<=1}", "has a { that does not start a repeat such as {2,5}; write \\{ for a brace"),
    ('{"ok"', "has a { that does not start a repeat such as {2,5}; write \\{ for a brace"),
    ("(?x)a +", "uses the x (verbose) flag, which checks do not allow; write the pattern without spaces or comments"),
    ("[", "is not a valid regular expression (unterminated character set at position 0)"),
    ("[[a]", "is read differently by other regular expression engines (Possible nested set at position 1); write \\[ for a bracket, and \\-, \\&, \\~ or \\| for a doubled one inside [...]"),
    ("a" * (MAX_PATTERN_LENGTH + 1), f"is {MAX_PATTERN_LENGTH + 1} characters long; a regular expression in a check may have at most {MAX_PATTERN_LENGTH}"),
]  # fmt: skip

SAFE = [
    "^o+k$",
    r"\"lag\": [0-9]+",
    "(foo|bar)+",
    "(?:(?=a)ab|b)+",
    "(a+)?",
    "(ab){2}",
    "(ab){0,1}",
    "(?i)ok",
    r"\{\"status\": \"ok\"\}",
    "[{]ok[}]",
    "(?P<word>o)k(?P=word)*",
    "a" * MAX_PATTERN_LENGTH,
    # A group that ends the pattern is not repeated by the end of the text.
    "x(?:a+)",
    "(x|xy)",
    "ok(a|.)",
]


@pytest.mark.parametrize(("pattern", "message"), UNSAFE, ids=[p[:20] for p, _ in UNSAFE])
def test_unsafe_patterns_are_refused_with_what_to_write_instead(pattern: str, message: str) -> None:
    with pytest.raises(UnsafePattern) as caught:
        compile_pattern(pattern)
    assert str(caught.value) == message


@pytest.mark.parametrize("pattern", SAFE, ids=[p[:20] for p in SAFE])
def test_safe_patterns_compile(pattern: str) -> None:
    assert compile_pattern(pattern).pattern == pattern


def test_a_condition_with_an_unsafe_pattern_is_refused_when_parsed() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition('body matches "(a+)+$"')
    assert str(caught.value) == (
        '"(a+)+$" repeats a group that holds a quantifier (*, +, ? or {n,m}), (a+)+, ' + NESTED
    )


# No nesting, so the rule lets it through, yet a backtracking search of it is polynomial with a
# high power: on this body it would run for ages without a deadline.
SLIPS_PAST = r"\d*\d*\d*\d*\d*\d*x\d"
SLOW_BODY = "1" * 2000 + "x"


def matches(pattern: str) -> str:
    """A ``matches`` condition for ``pattern``, backslashes doubled as the language asks."""
    return 'body matches "' + pattern.replace("\\", "\\\\") + '"'


def test_a_slow_search_stops_at_the_deadline() -> None:
    condition = parse_condition(matches(SLIPS_PAST))
    seen = Observation(latency_ms=1, status=200, body=SLOW_BODY, deadline=time.monotonic() + 0.2)
    with pytest.raises(TimeoutError):
        condition.evaluate(seen)


def test_no_search_starts_after_the_deadline() -> None:
    seen = Observation(latency_ms=1, status=200, body="ok", deadline=time.monotonic() - 1)
    with pytest.raises(TimeoutError):
        parse_condition('body matches "ok"').evaluate(seen)
