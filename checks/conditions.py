"""The condition language of health checks: short readable strings, parsed once (pure).

A condition is ``SUBJECT OPERATOR [VALUE]``, for example::

    status == 200
    body contains "ok"
    json.status == "healthy"
    json.checks[0].name exists
    header.content-type contains "json"
    latency < 800ms
    addresses contains "10.0.0.5"

Subjects: ``status`` (HTTP status code), ``body`` (the response text), ``json.PATH`` (a value in
the JSON body; ``.key`` and ``[index]`` steps), ``header.NAME`` (a response header, any case),
``latency`` (milliseconds, written with a unit: ``800ms`` or ``1.5s``) and ``addresses`` (the
addresses a DNS check resolved). Operators: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``,
``contains``, ``not contains``, ``matches`` (a regular expression, searched), ``exists`` and
``absent`` (these two take no value). Text values are written in double quotes; ``true``,
``false`` and ``null`` compare with JSON values. A ``matches`` pattern is Python ``re`` syntax,
vetted against catastrophic backtracking by ``checks.patterns``.

Parsing is the validation: ``parse_condition`` raises ``ConditionError`` whose message says what
is wrong and what is allowed, and content validation reports it at the condition's file:line.
Evaluating never raises, except TimeoutError once the observation's deadline has passed (a
pattern search stops there): a condition either holds or gives a reason a person can read.
Reasons never quote the response body (it may echo what the probe sent, secrets included).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import regex

from checks.patterns import UnsafePattern, compile_pattern

__all__ = [
    "KIND_SUBJECTS",
    "OPERATORS",
    "SUBJECTS",
    "Condition",
    "ConditionError",
    "Observation",
    "check_fits",
    "parse_condition",
]

Subject = Literal["status", "body", "json", "header", "latency", "addresses"]
Operator = Literal[
    "==", "!=", "<", "<=", ">", ">=", "contains", "not contains", "matches", "exists", "absent"
]
Kind = Literal["http", "tcp", "tls", "dns"]
Literal_ = str | int | float | bool | None
PathStep = str | int

SUBJECTS = ("status", "body", "json.<path>", "header.<name>", "latency", "addresses")
OPERATORS: tuple[Operator, ...] = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "contains",
    "not contains",
    "matches",
    "exists",
    "absent",
)
# Which subjects each kind of check can observe.
KIND_SUBJECTS: dict[str, tuple[Subject, ...]] = {
    "http": ("status", "body", "json", "header", "latency"),
    "tcp": ("latency",),
    "tls": ("latency",),
    "dns": ("addresses", "latency"),
}

_SUBJECT_NAMES: dict[str, str] = {
    "status": "status",
    "body": "body",
    "json": "json.<path>",
    "header": "header.<name>",
    "latency": "latency",
    "addresses": "addresses",
}
_A_KIND = {"http": "an HTTP", "tcp": "a TCP", "tls": "a TLS", "dns": "a DNS"}
_ORDER: tuple[Operator, ...] = ("<", "<=", ">", ">=")
_TEXT: tuple[Operator, ...] = ("==", "!=", "contains", "not contains", "matches")
_ALLOWED: dict[Subject, tuple[Operator, ...]] = {
    "status": ("==", "!=", *_ORDER),
    "latency": _ORDER,
    "body": _TEXT,
    "json": (*OPERATORS,),
    "header": (*_TEXT, "exists", "absent"),
    "addresses": ("contains", "not contains"),
}
_UNARY: tuple[Operator, ...] = ("exists", "absent")
_NEEDS_TEXT: tuple[Operator, ...] = ("contains", "not contains", "matches")

_SUBJECT = re.compile(
    r"""(?P<subject>
        status | body | latency | addresses
      | json (?P<path> (?: \.[A-Za-z_][A-Za-z0-9_-]* | \[[0-9]+\] )+ )
      | header\.(?P<header>[A-Za-z0-9!#$%&'*+.^_`|~-]+)
    )(?=\s|$|[=!<>])""",
    re.VERBOSE,
)
_OPERATOR = re.compile(
    r"\s*(?P<op>==|!=|<=|>=|<|>|not\s+contains\b|contains\b|matches\b|exists\b|absent\b)"
)
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]")
_DURATION = re.compile(r"^(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>ms|s)$")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_EXAMPLE = 'e.g. body contains "ok" or json.status == "healthy"'
_SHOWN = 40  # characters of an observed value quoted in a reason


class ConditionError(ValueError):
    """A condition string cannot be parsed; the message says what is wrong and what is allowed."""


@dataclass(frozen=True)
class Observation:
    """What one probe saw, as far as conditions are concerned."""

    latency_ms: int
    status: int | None = None
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    addresses: tuple[str, ...] = ()
    # Blanks what must never be quoted back: secrets the probe sent (a server may echo them)
    # and a private system's address. Applied before a quoted value is cut short, so not even
    # a prefix of one can reach a reason.
    redact: Callable[[str], str] = field(default=lambda text: text, repr=False)
    # When judging must stop (a time.monotonic() value): the probe's own deadline, so a slow
    # pattern search ends with the probe instead of running on.
    deadline: float | None = None

    def time_left(self) -> float | None:
        """Seconds until the deadline (None: no deadline); TimeoutError once it has passed."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed while the conditions were judged")
        return left

    def show(self, value: object) -> str:
        """An observed value as a reason quotes it: secrets blanked, at most 40 characters."""
        if isinstance(value, dict):
            return "an object"
        if isinstance(value, list):
            return f"a list of {len(value)}"
        if not isinstance(value, str):
            return json.dumps(value)
        # Blank secrets before folding whitespace: folding first turns a secret with inner
        # spaces into text that no longer matches it, and the folded secret would be shown.
        text = self.redact(" ".join(self.redact(value).split()))
        if len(text) > _SHOWN:
            text = text[: _SHOWN - 1] + "…"
        return json.dumps(text, ensure_ascii=False)

    @cached_property
    def json(self) -> tuple[object, str | None]:
        """The body parsed as JSON once, shared by every json condition: (value, problem)."""
        if self.body is None:
            return None, "no body was received"
        try:
            return json.loads(self.body), None
        except ValueError:
            return None, "the body is not valid JSON"

    def failures(self, conditions: Iterable[Condition]) -> list[str]:
        """The reason of each condition that does not hold, in order."""
        return [reason for c in conditions if (reason := c.evaluate(self)) is not None]


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed condition; ``text`` is what the author wrote, normalised."""

    text: str
    subject: Subject
    operator: Operator
    value: Literal_ = None
    path: tuple[PathStep, ...] = ()  # json steps, or (header name,) in lower case
    pattern: regex.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return self.text

    @property
    def needs_body(self) -> bool:
        """True when the probe must fetch and keep the response body to decide this."""
        return self.subject in ("body", "json")

    def evaluate(self, seen: Observation) -> str | None:
        """None when the condition holds, else a one-line reason (never quoting the body)."""
        match self.subject:
            case "status":
                if seen.status is None:
                    return self._fail("no HTTP status")
                return (
                    None
                    if _compare(seen.status, self.operator, self.value)
                    else self._fail(f"it is {seen.status}")
                )
            case "latency":
                ok = _compare(seen.latency_ms, self.operator, self.value)
                return None if ok else self._fail(f"it was {seen.latency_ms} ms")
            case "body":
                if seen.body is None:
                    return self._fail("no body was received")
                return None if _text_holds(seen.body, self, seen) else self._fail("")
            case "header":
                return self._evaluate_header(seen)
            case "addresses":
                holds = (self.value in seen.addresses) == (self.operator == "contains")
                shown = ", ".join(seen.addresses) or "none"
                return None if holds else self._fail(f"resolved to {shown}")
            case "json":
                return self._evaluate_json(seen)
        return self._fail("unknown subject")  # pragma: no cover - Subject is closed

    def _fail(self, why: str) -> str:
        return f"condition not met: {self.text}" + (f" ({why})" if why else "")

    def _evaluate_header(self, seen: Observation) -> str | None:
        name = str(self.path[0])
        value = next((v for k, v in seen.headers.items() if k.lower() == name), None)
        if self.operator in _UNARY:
            present = value is not None
            return None if present == (self.operator == "exists") else self._fail("")
        if value is None:
            return self._fail(f"no {name} header")
        return None if _text_holds(value, self, seen) else self._fail(f"it is {seen.show(value)}")

    def _evaluate_json(self, seen: Observation) -> str | None:
        document, problem = seen.json
        if problem is not None:
            return self._fail(problem)
        found, value = _follow(document, self.path)
        where = "json" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in self.path)
        if self.operator in _UNARY:
            return None if found == (self.operator == "exists") else self._fail("")
        if not found:
            return self._fail(f"{where} is missing")
        if self.operator in ("contains", "not contains") and isinstance(value, list):
            holds = any(_same(item, self.value) for item in value) == (self.operator == "contains")
            return None if holds else self._fail(f"{where} is {seen.show(value)}")
        if self.operator in _ORDER:
            if not _is_number(value):
                return self._fail(f"{where} is {seen.show(value)}, not a number")
            holds = _compare(value, self.operator, self.value)  # type: ignore[arg-type]
        elif self.operator in ("==", "!="):
            holds = _same(value, self.value) == (self.operator == "==")
        else:
            if not isinstance(value, str):
                return self._fail(f"{where} is {seen.show(value)}, not text")
            holds = _text_holds(value, self, seen)
        return None if holds else self._fail(f"{where} is {seen.show(value)}")


def _follow(document: object, path: tuple[PathStep, ...]) -> tuple[bool, object]:
    current = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return False, None
            current = current[step]
        else:
            if not isinstance(current, dict) or step not in current:
                return False, None
            current = current[step]
    return True, current


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(observed: object, wanted: Literal_) -> bool:
    # JSON true is not 1 and 1 is not "1": compare kinds before values.
    if isinstance(wanted, bool) or isinstance(observed, bool):
        return isinstance(wanted, bool) and isinstance(observed, bool) and wanted == observed
    if _is_number(wanted):
        return _is_number(observed) and observed == wanted
    return type(observed) is type(wanted) and observed == wanted


def _compare(observed: float, operator: Operator, wanted: Literal_) -> bool:
    assert isinstance(wanted, int | float)
    match operator:
        case "==":
            return observed == wanted
        case "!=":
            return observed != wanted
        case "<":
            return observed < wanted
        case "<=":
            return observed <= wanted
        case ">":
            return observed > wanted
        case ">=":
            return observed >= wanted
    return False


def _text_holds(text: str, condition: Condition, seen: Observation) -> bool:
    wanted = str(condition.value)
    match condition.operator:
        case "==":
            return text == wanted
        case "!=":
            return text != wanted
        case "contains":
            return wanted in text
        case "not contains":
            return wanted not in text
        case "matches":
            assert condition.pattern is not None
            return condition.pattern.search(text, timeout=seen.time_left()) is not None
    return False


# --- parsing -------------------------------------------------------------------------------


def _parse_string(raw: str) -> str | None:
    """A double-quoted string with \\" and \\\\ escapes, or None if ``raw`` is not exactly one."""
    if not raw.startswith('"'):
        return None
    out: list[str] = []
    index = 1
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            if index + 1 >= len(raw) or raw[index + 1] not in '"\\':
                return None
            out.append(raw[index + 1])
            index += 2
        elif char == '"':
            # The closing quote must end the value: anything after it is a second value.
            return "".join(out) if index == len(raw) - 1 else None
        else:
            out.append(char)
            index += 1
    return None  # no closing quote


def _parse_literal(raw: str) -> Literal_:
    """A JSON-comparable literal, or raise ConditionError."""
    text = _parse_string(raw)
    if text is not None:
        return text
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "null":
        return None
    if _NUMBER.match(raw):
        number = float(raw)
        return int(raw) if number.is_integer() and "." not in raw else number
    raise ConditionError(
        f'{raw} is not a value; write text in double quotes ("healthy"), a number,'
        " true, false or null"
    )


def _value_for(subject: Subject, operator: Operator, raw: str) -> Literal_:
    if subject == "latency":
        match = _DURATION.match(raw)
        if match is None:
            hint = f"; add a unit: {raw}ms or {raw}s" if _NUMBER.match(raw) else ""
            raise ConditionError(f"latency needs a duration such as 800ms or 1.5s, got {raw}{hint}")
        number = float(match.group("number"))
        millis = number if match.group("unit") == "ms" else number * 1000
        if not math.isfinite(millis):
            raise ConditionError(f"latency needs a duration such as 800ms or 1.5s, got {raw}")
        return round(millis)
    if subject == "status":
        if not re.fullmatch(r"[0-9]{3}", raw) or not 100 <= int(raw) <= 599:
            raise ConditionError(f"status needs an HTTP status code from 100 to 599, got {raw}")
        return int(raw)
    text = _parse_string(raw)
    if raw.startswith('"') and text is None:
        raise ConditionError(_string_problem(operator, raw))
    if subject in ("body", "header", "addresses") or operator in _NEEDS_TEXT:
        if text is None:
            what = "a regular expression" if operator == "matches" else "text"
            raise ConditionError(
                f'"{operator}" needs {what} in double quotes, such as "ok", got {raw}'
            )
        return text
    value = _parse_literal(raw)
    if operator in _ORDER and not _is_number(value):
        raise ConditionError(f'"{operator}" compares numbers; write a number, got {raw}')
    return value


def _string_problem(operator: str, raw: str) -> str:
    """Why ``raw``, which starts with a double quote, is not one quoted text."""
    closed = re.match(r'"(?:[^"\\]|\\.)*"', raw)
    if closed is None:
        return f"{raw} has no closing double quote"
    if closed.end() < len(raw):
        return f'write one value after "{operator}", got {raw}'
    return f'inside double quotes write \\" for a quote and \\\\ for a backslash, got {raw}'


def parse_condition(text: str) -> Condition:
    """Parse one condition; raise ConditionError saying what is wrong and what is allowed."""
    source = text.strip()
    if not source:
        raise ConditionError(f"a condition cannot be empty; {_EXAMPLE}")
    subject_match = _SUBJECT.match(source)
    if subject_match is None and re.match(r"json(\s|$|[=!<>])", source):
        raise ConditionError("json needs a path to a value, such as json.status or json.db.ok")
    if subject_match is None:
        word = re.split(r"[\s=!<>]", source, maxsplit=1)[0] or source.split()[0]
        raise ConditionError(
            f'"{word}" is not something a check can test; start with one of: ' + ", ".join(SUBJECTS)
        )
    subject_text = subject_match.group("subject")
    subject: Subject
    path: tuple[PathStep, ...] = ()
    if subject_match.group("path") is not None:
        subject = "json"
        path = tuple(
            int(index) if index else key
            for key, index in _STEP.findall(subject_match.group("path"))
        )
    elif subject_match.group("header") is not None:
        subject = "header"
        path = (subject_match.group("header").lower(),)
    else:
        subject = subject_text  # type: ignore[assignment]
    rest = source[subject_match.end() :]
    op_match = _OPERATOR.match(rest)
    if op_match is None:
        word = rest.split()[0] if rest.strip() else ""
        if not word:
            raise ConditionError(
                f"{subject_text} needs an operator after it; use one of: "
                + ", ".join(_ALLOWED[subject])
            )
        raise ConditionError(
            f'"{word}" is not an operator; use one of: ' + ", ".join(_ALLOWED[subject])
        )
    operator: Operator = " ".join(op_match.group("op").split())  # type: ignore[assignment]
    if operator not in _ALLOWED[subject]:
        raise ConditionError(
            f'{subject_text} cannot use "{operator}"; use one of: ' + ", ".join(_ALLOWED[subject])
        )
    raw = rest[op_match.end() :].strip()
    if operator in _UNARY:
        if raw:
            raise ConditionError(f'"{operator}" takes no value; remove {raw}')
        return Condition(_normal(subject_text, operator, ""), subject, operator, None, path)
    if not raw:
        raise ConditionError(f'"{operator}" needs a value after it; {_EXAMPLE}')
    value = _value_for(subject, operator, raw)
    pattern = None
    if operator == "matches":
        try:
            pattern = compile_pattern(str(value))
        except UnsafePattern as exc:
            raise ConditionError(f"{raw} {exc}") from exc
    return Condition(_normal(subject_text, operator, raw), subject, operator, value, path, pattern)


def _normal(subject: str, operator: str, raw: str) -> str:
    return f"{subject} {operator} {raw}".strip()


def check_fits(condition: Condition, *, kind: str, method: str = "GET") -> str | None:
    """None when a ``kind`` check (with ``method``) can decide ``condition``, else why not."""
    allowed = KIND_SUBJECTS.get(kind, ())
    if condition.subject not in allowed:
        names = ", ".join(_SUBJECT_NAMES[s] for s in allowed)
        return (
            f"the condition {condition.text} cannot be tested by {_A_KIND.get(kind, kind)} check,"
            f" which can test: {names}"
        )
    if condition.needs_body and method == "HEAD":
        return (
            f"the condition {condition.text} needs the response body,"
            " which a HEAD request never gets"
        )
    return None
