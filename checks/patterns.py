"""Regular expressions for ``matches`` conditions: vetted when the catalogue loads, run with a
deadline (pure).

A backtracking engine can take exponential time on a pattern that repeats a group which can
match the same text in more than one way: ``(a+)+$``, ``(a*)*``, ``(a|aa)+``, ``(.*a){20}``.
Such patterns are refused at load time, by the rule safe-regex and similar linters use: a
repeated group may hold no quantifier, and the options of a repeated choice must each start with
their own character. The rule is deliberately strict (it also refuses ``(\\.\\d+)*``, which is
safe) because a health check needs nothing fancier, and a simple rule can be explained in one
error message.

No static rule catches every slow pattern (``\\d*\\d*\\d*x\\d`` has no nesting and is still
polynomial), so patterns run on the ``regex`` engine, which releases the GIL while matching and
stops at a ``timeout``: a probe runs its conditions in a worker thread until its own deadline.

The scan reads the pattern with its own small tokeniser (the standard library's parser is
private); it only runs on patterns that already compiled, so it can assume valid syntax.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import regex

__all__ = ["MAX_PATTERN_LENGTH", "UnsafePattern", "compile_pattern"]

MAX_PATTERN_LENGTH = 200  # a health check's pattern is a line, not a program

_SUGGEST_CLASS = "repeat one character or class instead, such as [a-z0-9.]+"
_QUANTIFIER = re.compile(r"\{(?P<low>[0-9]*)(?P<comma>,?)(?P<high>[0-9]*)\}")
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_FLAG_GROUP = re.compile(r"\(\?(?P<on>[aiLmsux]*)(?:-(?P<off>[imsx]*))?(?P<end>[:)])")


class UnsafePattern(ValueError):
    """A pattern checks cannot run; the message completes a sentence about the pattern."""


@dataclass
class _Item:
    """One atom of a pattern, with what the safety rule needs to know about it."""

    first: str | None  # the literal character it starts with (lower case), None if unknown
    zero_width: bool = False
    holds_quantifier: bool = False
    branches: list[str | None] = field(default_factory=list)  # a group's options' first chars
    start: int = 0  # where a group opens, to quote it in a message


class _Scanner:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def next_in(self, chars: str) -> bool:
        """Whether the next character is one of ``chars`` (never at the end of the pattern)."""
        char = self.peek()
        return bool(char) and char in chars

    def sequence(self) -> tuple[list[str | None], bool]:
        """Options up to a closing parenthesis or the end: their first characters, and whether
        any of them holds a quantifier."""
        firsts: list[str | None] = []
        holds = False
        first: str | None = None
        started = False
        while self.pos < len(self.text) and self.peek() != ")":
            if self.peek() == "|":
                firsts.append(first if started else None)
                first, started = None, False
                self.pos += 1
                continue
            item = self.atom()
            if item is None:
                continue  # a comment or a bare flag group: nothing to match
            quantified = self.quantifier(item)
            holds = holds or quantified or item.holds_quantifier
            if not started and not item.zero_width:
                first, started = item.first, True
        firsts.append(first if started else None)
        return firsts, holds

    def atom(self) -> _Item | None:
        char = self.peek()
        self.pos += 1
        if char == "\\":
            return self.escape()
        if char == "[":
            self.skip_class()
            return _Item(None)
        if char == "(":
            return self.group()
        if char in ("^", "$"):
            return _Item(None, zero_width=True)
        if char == ".":
            return _Item(None)
        if char == "{":
            raise UnsafePattern(
                "has a { that does not start a repeat such as {2,5}; write \\{ for a brace"
            )
        return _Item(char.lower())

    def escape(self) -> _Item:
        char = self.peek()
        self.pos += 1
        if char in _ZERO_WIDTH_ESCAPES:
            return _Item(None, zero_width=True)
        if not char.isalnum():
            return _Item(char.lower())  # an escaped symbol such as \. is that symbol
        # Classes (\d), code points (\x41, \u00e9, \N{...}) and back-references (\1): their
        # first character is not known here, which the rule treats as "could be anything".
        if char == "N" and self.peek() == "{":
            self.pos = self.text.index("}", self.pos) + 1
        elif char in ("x", "u", "U"):
            self.pos += {"x": 2, "u": 4, "U": 8}[char]
        elif char.isdigit():
            while self.peek().isdigit() and self.pos < len(self.text):
                self.pos += 1
        return _Item(None)

    def skip_class(self) -> None:
        if self.peek() == "^":
            self.pos += 1
        if self.peek() == "]":
            self.pos += 1  # a ] first in a class is a literal
        while self.peek() != "]":
            self.pos += 2 if self.peek() == "\\" else 1
        self.pos += 1

    def group(self) -> _Item | None:
        start = self.pos - 1
        zero_width = False
        if self.peek() == "?":
            flags = _FLAG_GROUP.match(self.text, self.pos - 1)
            if flags is not None:
                if "x" in (flags.group("on") or "") + (flags.group("off") or ""):
                    raise UnsafePattern(
                        "uses the x (verbose) flag, which checks do not allow; write the"
                        " pattern without spaces or comments"
                    )
                self.pos = flags.end()
                if flags.group("end") == ")":
                    return None  # (?i) sets flags and matches nothing
            elif self.peek(1) == "#":
                self.pos = self.text.index(")", self.pos) + 1
                return None
            elif self.peek(1) == "P" and self.peek(2) == "=":
                self.pos = self.text.index(")", self.pos) + 1
                return _Item(None)  # (?P=name) is a back-reference
            elif self.peek(1) == "(":
                self.pos = self.text.index(")", self.pos + 2) + 1  # (?(1)yes|no)
            elif (self.peek(1), self.peek(2)) == ("P", "<"):
                self.pos = self.text.index(">", self.pos) + 1
            else:
                # (?: (?> (?= (?! (?<= (?<!: lookarounds match no text of their own.
                zero_width = self.peek(1) in ("=", "!", "<")
                self.pos += 3 if self.peek(1) == "<" else 2
        firsts, holds = self.sequence()
        self.pos += 1  # the closing parenthesis
        first = firsts[0] if len(firsts) == 1 else None
        return _Item(first, zero_width, holds, firsts, start)

    def quantifier(self, item: _Item) -> bool:
        """Read a quantifier after ``item``, if any, and apply the rule; True if one was read."""
        repeats = self.next_in("*+")
        if self.next_in("*+?"):
            self.pos += 1
        elif self.next_in("{"):
            found = _QUANTIFIER.match(self.text, self.pos)
            if found is None or not (found.group("low") or found.group("comma")):
                raise UnsafePattern(
                    "has a { that does not start a repeat such as {2,5}; write \\{ for a brace"
                )
            self.pos = found.end()
            high = found.group("high")
            if found.group("comma"):
                repeats = not high or int(high) > 1
            else:
                repeats = int(found.group("low")) > 1
        else:
            return False
        if self.next_in("?+"):
            self.pos += 1  # lazy or possessive: as slow to search, in the worst case
        if repeats and item.branches:
            self.refuse_repeated_group(item)
        return True

    def refuse_repeated_group(self, item: _Item) -> None:
        piece = self.text[item.start : self.pos]
        if item.holds_quantifier:
            raise UnsafePattern(
                f"repeats a group that holds a quantifier (*, +, ? or {{n,m}}), {piece}, which"
                f" can take exponential time on some answers; {_SUGGEST_CLASS}"
            )
        firsts = item.branches
        if len(firsts) > 1 and (None in firsts or len(set(firsts)) < len(firsts)):
            raise UnsafePattern(
                f"repeats a choice whose options can start alike, {piece}, which can take"
                " exponential time on some answers; start each option with its own character,"
                " or use a class such as [a-z]+"
            )


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """``pattern`` compiled for a probe, or UnsafePattern saying what is wrong and what to do.

    The pattern must be Python ``re`` syntax (what the condition language documents); it runs
    on ``regex``, whose default (version 0) behaviour is compatible with ``re``.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(
            f"is {len(pattern)} characters long; a regular expression in a check may have at"
            f" most {MAX_PATTERN_LENGTH}"
        )
    try:
        with warnings.catch_warnings():
            # re warns of [[ or -- in a class, which may one day mean a set operation: refuse
            # it here rather than print a warning in the middle of validation's report.
            warnings.simplefilter("error", FutureWarning)
            re.compile(pattern)
    except re.error as exc:
        raise UnsafePattern(
            f"is not a valid regular expression ({exc.msg} at position {exc.pos})"
        ) from exc
    except FutureWarning as exc:
        raise UnsafePattern(
            f"is read differently by other regular expression engines ({exc}); write \\[ for"
            " a bracket, and \\-, \\&, \\~ or \\| for a doubled one inside [...]"
        ) from exc
    _Scanner(pattern).sequence()
    return regex.compile(pattern, regex.VERSION0)
