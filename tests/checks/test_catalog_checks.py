"""Health-check blocks in the catalogue: validation is a dry run of the probes' own parsers, and
every problem is reported as file:line: field: message by ``python -m portal validate``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from checks.conditions import parse_condition
from checks.targets import PRIVATE, public_address, target_for, targets_from_catalog
from portal.load import load_catalog
from portal.models.catalog import HealthCheck

REPO = Path(__file__).resolve().parents[2]

GOOD_BLOCK = """check:
  url: https://events.{estate_domain}/health
  method: POST
  headers:
    Authorization: Bearer ${EVENTS_HEALTH_TOKEN}
  body: '{"probe": "${EVENTS_PROBE_ID}"}'
  conditions:
    - json.status == "healthy"
    - json.db exists
  soft_conditions:
    - latency < 800ms
  retries: 2
  public: false
"""

# Lines 11.. of catalog/events.yml after the block replaces lines 10-13.
BAD_BLOCK = """check:
  url: https://events.{estate_domain}/health
  method: HEAD
  conditions:
    - bdy contains "ok"
    - latency < 800
    - json.status == "healthy"
  soft_conditions:
    - 404
  tls_warn_days: -1
"""


def with_check(root: Path, system: str, block: str) -> None:
    path = root / "catalog" / f"{system}.yml"
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("check:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    path.write_text("".join(lines[:start]) + block + "".join(lines[end:]))


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_every_shipped_check_is_valid_and_becomes_a_target() -> None:
    catalog, _ = load_catalog(REPO)
    targets = targets_from_catalog(catalog, env={})
    assert [t.system for t in targets] == sorted(s for s, v in catalog.systems.items() if v.check)
    for target in targets:
        check = catalog.systems[target.system].check
        assert check is not None
        assert "{estate_domain}" not in target.url
        assert target.retries == check.retries


def test_a_full_check_block_loads_and_resolves_its_secrets(content_copy: Path) -> None:
    with_check(content_copy, "events", GOOD_BLOCK)
    catalog, _ = load_catalog(content_copy)
    check = catalog.systems["events"].check
    assert check is not None
    assert (check.kind, check.method, check.retries, check.public) == ("http", "POST", 2, False)
    assert check.conditions == [
        parse_condition('json.status == "healthy"'),
        parse_condition("json.db exists"),
    ]
    env = {"EVENTS_HEALTH_TOKEN": "tok-1234", "EVENTS_PROBE_ID": "probe-9"}
    target = target_for("events", check, estate_domain="tools.example.org", env=env)
    assert target.headers == {"Authorization": "Bearer tok-1234"}
    assert target.body == '{"probe": "probe-9"}'
    assert set(target.secrets) == {"tok-1234", "probe-9"}
    assert "tok-1234" not in repr(target)
    assert public_address(check, estate_domain="tools.example.org") is None
    assert target.redact("GET https://events.tools.example.org/health with tok-1234") == (
        f"GET {PRIVATE} with [secret]"
    )


def test_bad_conditions_are_file_line_errors_from_validate(content_copy: Path) -> None:
    with_check(content_copy, "events", BAD_BLOCK)
    run = validate(content_copy)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "4 problems in the content:",
        'catalog/events.yml:14: check.conditions[0]: "bdy" is not something a check can test;'
        " start with one of: status, body, json.<path>, header.<name>, latency, addresses,"
        ' got "bdy contains \\"ok\\""',
        "catalog/events.yml:15: check.conditions[1]: latency needs a duration such as 800ms or"
        ' 1.5s, got 800; add a unit: 800ms or 800s, got "latency < 800"',
        "catalog/events.yml:18: check.soft_conditions[0]: must be a condition written as text,"
        ' like body contains "ok", got 404',
        "catalog/events.yml:19: check.tls_warn_days: input should be greater than or equal to 0,"
        " got -1",
    ]
    # The HEAD request cannot be judged by json.status == "healthy" either; that is reported
    # once the conditions themselves parse (pydantic checks a list after its items).
    head = "check:\n  url: https://events.{estate_domain}/health\n  method: HEAD\n"
    with_check(content_copy, "events", head + "  conditions: ['json.status == \"healthy\"']\n")
    assert validate(content_copy).stderr.splitlines() == [
        "1 problem in the content:",
        'catalog/events.yml:13: check.conditions: the condition json.status == "healthy" needs'
        " the response body, which a HEAD request never gets, got a list",
    ]


def test_address_and_kind_problems_are_located(content_copy: Path) -> None:
    with_check(
        content_copy,
        "events",
        "check:\n  url: tcp://events.{estate_domain}\n  expect_status: [200]\n",
    )
    with_check(
        content_copy,
        "chatter",
        "check:\n  url: https://chatter.{estate_domain}/${TOKEN}\n",
    )
    with_check(
        content_copy,
        "login",
        "check:\n  url: dns://login.{estate_domain}\n  conditions: ['body contains \"ok\"']\n",
    )
    with_check(
        content_copy,
        "insight",
        "check:\n  url: https://insight.{estate_domain}/\n  headers:\n    X-Key: ${1BAD}\n"
        "  body: hello\n",
    )
    run = validate(content_copy)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[0] == "5 problems in the content:"
    assert lines[1:] == [
        "catalog/chatter.yml:11: check.url: cannot hold a secret: an address may be shown on the"
        ' site; put secrets in headers, got "https://chatter.{estate_domain}/${TOKEN}"',
        "catalog/events.yml:11: check.url: a tcp check is written tcp://HOST:PORT, nothing after,"
        ' got "tcp://events.{estate_domain}"',
        "catalog/insight.yml:13: check.headers.X-Key: a secret is written ${NAME}: letters,"
        ' digits and _, not starting with a digit, got "${1BAD}"',
        'catalog/insight.yml:14: check.body: a request body needs method: POST, got "hello"',
        'catalog/login.yml:11: check.conditions: the condition body contains "ok" cannot be'
        " tested by a DNS check, which can test: addresses, latency, got a list",
    ]


def test_the_readme_example_check_is_valid() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Health checks", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    check = HealthCheck.model_validate(yaml.safe_load(block)["check"])
    assert (check.kind, check.public, check.retries) == ("http", False, 1)
    assert [str(c) for c in check.soft_conditions] == ["latency < 800ms"]


def test_unsafe_patterns_and_credentials_in_addresses_are_located(content_copy: Path) -> None:
    with_check(
        content_copy,
        "events",
        "check:\n  url: https://events.{estate_domain}/health\n"
        '  conditions:\n    - body matches "(a+)+$"\n',
    )
    # A password in the address would be shown on the site and in logs: refused, and the error
    # itself does not repeat it.
    with_check(
        content_copy, "chatter", "check:\n  url: https://probe:hunter2@chatter.{estate_domain}/\n"
    )
    with_check(content_copy, "login", "check:\n  url: tcp://tok3n@login.{estate_domain}:443\n")
    run = validate(content_copy)
    assert run.returncode == 1
    credentials = (
        "check.url: cannot hold a user name or password (user:pass@ before the host): the"
        " address may be shown on the site and in logs; send credentials in a header whose"
        " value comes from an environment variable, such as"
        " Authorization: Basic ${CHECK_CREDENTIALS}"
    )
    assert run.stderr.splitlines() == [
        "3 problems in the content:",
        f"catalog/chatter.yml:11: {credentials}",
        'catalog/events.yml:13: check.conditions[0]: "(a+)+$" repeats a group that holds a'
        " quantifier (*, +, ? or {n,m}), (a+)+, which can take exponential time on some"
        " answers; repeat one character or class instead, such as [a-z0-9.]+,"
        ' got "body matches \\"(a+)+$\\""',
        f"catalog/login.yml:10: {credentials}",
    ]
    assert "hunter2" not in run.stderr and "tok3n" not in run.stderr
