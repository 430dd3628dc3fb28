# ruff: noqa: E501 - the tables hold exact messages, one case a line, easier to read unwrapped
"""The condition language, table-driven: what parses (and into what), what is refused and why,
and how each condition judges an observation."""

from __future__ import annotations

import pytest

from checks.conditions import Condition, ConditionError, Observation, check_fits, parse_condition

# text -> (normalised text, subject, operator, value, path)
VALID: list[tuple[str, tuple[str, str, str, object, tuple[object, ...]]]] = [
    ("status == 200", ("status == 200", "status", "==", 200, ())),
    ("status>=500", ("status >= 500", "status", ">=", 500, ())),
    ('body contains "ok"', ('body contains "ok"', "body", "contains", "ok", ())),
    ('body not  contains "error"', ('body not contains "error"', "body", "not contains", "error", ())),
    ('body matches "^o+k$"', ('body matches "^o+k$"', "body", "matches", "^o+k$", ())),
    ('body == "a \\"quoted\\" word"', ('body == "a \\"quoted\\" word"', "body", "==", 'a "quoted" word', ())),
    ('body contains "two  spaces"', ('body contains "two  spaces"', "body", "contains", "two  spaces", ())),
    ('json.status == "healthy"', ('json.status == "healthy"', "json", "==", "healthy", ("status",))),
    ("json.db exists", ("json.db exists", "json", "exists", None, ("db",))),
    ("json.db.error absent", ("json.db.error absent", "json", "absent", None, ("db", "error"))),
    ("json.checks[1].ok == true", ("json.checks[1].ok == true", "json", "==", True, ("checks", 1, "ok"))),
    ("json.queue-depth <= 10.5", ("json.queue-depth <= 10.5", "json", "<=", 10.5, ("queue-depth",))),
    ("json.replicas > -1", ("json.replicas > -1", "json", ">", -1, ("replicas",))),
    ("json.error == null", ("json.error == null", "json", "==", None, ("error",))),
    ("latency < 800ms", ("latency < 800ms", "latency", "<", 800, ())),
    ("latency <= 1.5s", ("latency <= 1.5s", "latency", "<=", 1500, ())),
    ("  latency<2s  ", ("latency < 2s", "latency", "<", 2000, ())),
    ('header.Content-Type contains "json"', ('header.Content-Type contains "json"', "header", "contains", "json", ("content-type",))),
    ("header.x-request-id exists", ("header.x-request-id exists", "header", "exists", None, ("x-request-id",))),
    ('addresses contains "10.0.0.5"', ('addresses contains "10.0.0.5"', "addresses", "contains", "10.0.0.5", ())),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_valid_conditions_parse(text: str, expected: tuple[object, ...]) -> None:
    parsed = parse_condition(text)
    assert (parsed.text, parsed.subject, parsed.operator, parsed.value, parsed.path) == expected
    # The normalised text parses to the same condition: it is what reasons quote.
    assert parse_condition(parsed.text) == parsed


INVALID: list[tuple[str, str]] = [
    ("", 'a condition cannot be empty; e.g. body contains "ok" or json.status == "healthy"'),
    ('bdy contains "ok"', '"bdy" is not something a check can test; start with one of: status, body, json.<path>, header.<name>, latency, addresses'),
    ("json == 3", "json needs a path to a value, such as json.status or json.db.ok"),
    ("json.", '"json." is not something a check can test; start with one of: status, body, json.<path>, header.<name>, latency, addresses'),
    ("status", "status needs an operator after it; use one of: ==, !=, <, <=, >, >="),
    ("status = 200", '"=" is not an operator; use one of: ==, !=, <, <=, >, >='),
    ('status contains "2"', 'status cannot use "contains"; use one of: ==, !=, <, <=, >, >='),
    ("status == 999", "status needs an HTTP status code from 100 to 599, got 999"),
    ("status == ok", "status needs an HTTP status code from 100 to 599, got ok"),
    ("latency < 800", "latency needs a duration such as 800ms or 1.5s, got 800; add a unit: 800ms or 800s"),
    ("latency < fast", "latency needs a duration such as 800ms or 1.5s, got fast"),
    ("latency == 800ms", 'latency cannot use "=="; use one of: <, <=, >, >='),
    ("body contains ok", '"contains" needs text in double quotes, such as "ok", got ok'),
    ('body contains "ok', '"ok has no closing double quote'),
    ('body contains "a" "b"', 'write one value after "contains", got "a" "b"'),
    ('body contains "a\\x"', 'inside double quotes write \\" for a quote and \\\\ for a backslash, got "a\\x"'),
    ("body > 3", 'body cannot use ">"; use one of: ==, !=, contains, not contains, matches'),
    ('body matches "["', '"[" is not a valid regular expression (unterminated character set at position 0)'),
    ("json.ready exists yes", '"exists" takes no value; remove yes'),
    ("json.status ==", '"==" needs a value after it; e.g. body contains "ok" or json.status == "healthy"'),
    ("json.status == healthy", 'healthy is not a value; write text in double quotes ("healthy"), a number, true, false or null'),
    ('json.count > "3"', '">" compares numbers; write a number, got "3"'),
    ("json.tags contains 3", '"contains" needs text in double quotes, such as "ok", got 3'),
    ('addresses == "10.0.0.5"', 'addresses cannot use "=="; use one of: contains, not contains'),
    ("json.a ~ 1", '"~" is not an operator; use one of: ==, !=, <, <=, >, >=, contains, not contains, matches, exists, absent'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), INVALID, ids=[t or "empty" for t, _ in INVALID])
def test_invalid_conditions_say_what_is_wrong_and_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert str(caught.value) == message


JSON_BODY = '{"status": "degraded", "db": {"ok": true, "lag": 40}, "tags": ["a", "b"], "n": "7"}'
SEEN = Observation(
    latency_ms=250,
    status=200,
    body=JSON_BODY,
    headers={"Content-Type": "application/json", "X-Token-Echo": "Bearer abc123secretvalue"},
)

# condition -> None when it holds on SEEN, else the exact reason
JUDGED: list[tuple[str, str | None]] = [
    ("status == 200", None),
    ("status != 200", "condition not met: status != 200 (it is 200)"),
    ("latency < 300ms", None),
    ("latency < 0.2s", "condition not met: latency < 0.2s (it was 250 ms)"),
    ('body contains "degraded"', None),
    ('body contains "healthy"', 'condition not met: body contains "healthy"'),
    ('body not contains "healthy"', None),
    ('body matches "\\"lag\\": [0-9]+"', None),
    ('json.status == "healthy"', 'condition not met: json.status == "healthy" (json.status is "degraded")'),
    ('json.status != "healthy"', None),
    ("json.db.ok == true", None),
    ("json.db.ok == 1", "condition not met: json.db.ok == 1 (json.db.ok is true)"),
    ("json.db.lag < 50", None),
    ("json.db.lag >= 50", "condition not met: json.db.lag >= 50 (json.db.lag is 40)"),
    ("json.n > 5", 'condition not met: json.n > 5 (json.n is "7", not a number)'),
    ('json.n == "7"', None),
    ("json.n == 7", 'condition not met: json.n == 7 (json.n is "7")'),
    ('json.tags contains "b"', None),
    ('json.tags contains "c"', 'condition not met: json.tags contains "c" (json.tags is a list of 2)'),
    ('json.status contains "grad"', None),
    ("json.db exists", None),
    ("json.db.replica exists", "condition not met: json.db.replica exists"),
    ("json.db.replica absent", None),
    ('json.db.replica == "x"', 'condition not met: json.db.replica == "x" (json.db.replica is missing)'),
    ("json.tags[1] exists", None),
    ("json.tags[2] exists", "condition not met: json.tags[2] exists"),
    ("json.db > 1", "condition not met: json.db > 1 (json.db is an object, not a number)"),
    ('header.content-type == "application/json"', None),
    ("header.retry-after exists", "condition not met: header.retry-after exists"),
    ('header.retry-after == "5"', "condition not met: header.retry-after == \"5\" (no retry-after header)"),
    ('header.x-token-echo == "no"', 'condition not met: header.x-token-echo == "no" (it is "Bearer abc123secretvalue")'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "reason"), JUDGED, ids=[t for t, _ in JUDGED])
def test_conditions_judge_an_observation(text: str, reason: str | None) -> None:
    assert parse_condition(text).evaluate(SEEN) == reason


def test_reasons_never_quote_a_secret_even_cut_short() -> None:
    secret = "abc123secretvalue"
    seen = Observation(
        latency_ms=1,
        status=200,
        body='{"echo": "Bearer ' + secret + '"}',
        headers={"X-Echo": "prefix-" * 5 + secret},
        redact=lambda text: text.replace(secret, "[secret]"),
    )
    reasons = seen.failures(
        [parse_condition('json.echo == "x"'), parse_condition('header.x-echo == "x"')]
    )
    assert reasons == [
        'condition not met: json.echo == "x" (json.echo is "Bearer [secret]")',
        'condition not met: header.x-echo == "x" (it is "prefix-prefix-prefix-prefix-prefix-[sec…")',
    ]
    assert not any(secret[:4] in reason for reason in reasons)


def test_body_conditions_on_a_body_that_is_not_json() -> None:
    seen = Observation(latency_ms=1, status=200, body="<html>ok</html>")
    assert parse_condition("json.a exists").evaluate(seen) == (
        "condition not met: json.a exists (the body is not valid JSON)"
    )


FITS: list[tuple[str, str, str, str | None]] = [
    ('body contains "ok"', "http", "GET", None),
    ('body contains "ok"', "http", "HEAD", 'the condition body contains "ok" needs the response body, which a HEAD request never gets'),
    ("json.a exists", "http", "HEAD", "the condition json.a exists needs the response body, which a HEAD request never gets"),
    ("status == 200", "http", "HEAD", None),
    ("latency < 1s", "tcp", "GET", None),
    ("status == 200", "tcp", "GET", "the condition status == 200 cannot be tested by a TCP check, which can test: latency"),
    ('addresses contains "10.0.0.1"', "dns", "GET", None),
    ('addresses contains "10.0.0.1"', "http", "GET", 'the condition addresses contains "10.0.0.1" cannot be tested by an HTTP check, which can test: status, body, json.<path>, header.<name>, latency'),
    ('body contains "x"', "tls", "GET", 'the condition body contains "x" cannot be tested by a TLS check, which can test: latency'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "method", "problem"), FITS)
def test_conditions_fit_the_kind_of_check(
    text: str, kind: str, method: str, problem: str | None
) -> None:
    assert check_fits(parse_condition(text), kind=kind, method=method) == problem


def test_conditions_compare_by_meaning_not_by_spelling() -> None:
    a, b = parse_condition("latency<800ms"), parse_condition("latency  <  800ms")
    assert a == b
    assert isinstance(a, Condition)
    assert str(a) == "latency < 800ms"
