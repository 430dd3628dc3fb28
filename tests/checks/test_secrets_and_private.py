"""A secret header value never reaches any file a run writes, nor its output or the site; a
private system's address is never shown, though its status is."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from checks.estate import Estate
from checks.history import read_history
from portal.content import load_content
from portal.context import build_context
from portal.pages import build_pages

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def private_estate() -> Iterator[Estate]:
    """A server of its own, so its address is not shared with any public system's."""
    with Estate() as running:
        yield running


def checks_cli(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checks", "--root", str(root), "--no-progress", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_secret_and_private_address_never_appear_in_anything_the_run_writes(
    estate: Estate, private_estate: Estate, content_copy: Path, tmp_path: Path
) -> None:
    token = "tok_" + secrets.token_hex(20)
    probe_id = "pid_" + secrets.token_hex(8)
    private_url = private_estate.url(
        "/json?body=" + quote(f'{{"self": "{private_estate.url("/")}"}}')
    )
    header = {"Authorization": "Bearer ${DIALOGUE_HEALTH_TOKEN}"}
    override = {
        "systems": {
            # The server echoes the secret back; the failing condition would quote it.
            "dialogue": {
                "check": {
                    "url": estate.url("/echo"),
                    "method": "POST",
                    "headers": header,
                    "body": "probe ${DIALOGUE_PROBE_ID}",
                    "conditions": ['json.authorization == "Bearer nope"'],
                    "soft_conditions": ['json.body == "probe x"'],
                    "retries": 0,
                }
            },
            # The server lists every request header in its body; a body condition fails.
            "events": {
                "check": {
                    "url": estate.url("/headers"),
                    # A copy: PyYAML writes a shared object as an alias, which content refuses.
                    "headers": dict(header),
                    "conditions": ['body contains "no such text"'],
                    "retries": 0,
                }
            },
            # A private system whose answer quotes its own address in a failing condition.
            "login": {
                "check": {
                    "url": private_url,
                    "conditions": ['json.self == "elsewhere"'],
                    "retries": 0,
                    "public": False,
                }
            },
        }
    }
    override_file = tmp_path / "override.yml"
    override_file.write_text(yaml.safe_dump(override))
    out = tmp_path / "out"
    history, cache = out / "history", out / "rollups"
    env = {**os.environ, "DIALOGUE_HEALTH_TOKEN": token, "DIALOGUE_PROBE_ID": probe_id}
    common = ("--history", str(history))
    runs = [
        checks_cli(content_copy, "run", "--override", str(override_file), *common, env=env),
        checks_cli(content_copy, "status", *common, env=env),
        checks_cli(content_copy, "rollups", "--rebuild", "--cache", str(cache), *common, env=env),
        checks_cli(content_copy, "incidents", *common, "--min-rounds", "1", env=env),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]

    # The run did see the echoes: the conditions failed for the reasons expected.
    rows = read_history(history)
    assert rows["dialogue"][0].detail == (
        'condition not met: json.authorization == "Bearer nope"'
        ' (json.authorization is "Bearer [secret]")'
    )
    assert rows["events"][0].detail == 'condition not met: body contains "no such text"'
    assert rows["login"][0].outcome == "down"
    assert rows["login"][0].detail == (
        'condition not met: json.self == "elsewhere" (json.self is "http://[private address]/")'
    )

    # Everything written, printed or generated: history, rollup cache, CLI output, site pages.
    pages = build_pages(
        build_context(
            load_content(content_copy, override=override_file),
            read_history(history),
            now=datetime.now(UTC),
        )
    )
    texts = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    texts |= {f"cli {r.args[5]} {n}": s.encode() for r in runs for n, s in
              (("stdout", r.stdout), ("stderr", r.stderr))}  # fmt: skip
    texts |= {
        f"site {path}": b if isinstance(b, bytes) else b.encode() for path, b in pages.items()
    }
    assert {"history", "rollups"} <= {name.split("/")[0] for name in texts}
    private_netloc = private_estate.base_url.removeprefix("http://")
    for forbidden in (token, probe_id, token[:12], private_netloc):
        leaks = [name for name, data in texts.items() if forbidden.encode() in data]
        assert leaks == [], f"{forbidden!r} appears in {leaks}"
    # The private system's status is still published: recorded, and on the status page.
    status_page = pages["status/index.md"]
    assert isinstance(status_page, str) and "Login" in status_page
    assert rows["login"][0].system == "login"


def test_an_unset_secret_stops_the_run_before_any_probe(
    estate: Estate, content_copy: Path, tmp_path: Path
) -> None:
    override_file = tmp_path / "override.yml"
    override_file.write_text(
        yaml.safe_dump(
            {
                "systems": {
                    "dialogue": {
                        "check": {
                            "url": estate.url("/ok"),
                            "headers": {"Authorization": "Bearer ${GLASSHOUSE_TEST_UNSET}"},
                        }
                    }
                }
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "GLASSHOUSE_TEST_UNSET"}
    history = tmp_path / "history"
    run = checks_cli(
        content_copy, "run", "--override", str(override_file), "--history", str(history), env=env
    )
    assert run.returncode == 2
    assert run.stderr == (
        "configuration: dialogue: header Authorization needs the environment variable"
        " GLASSHOUSE_TEST_UNSET, which is not set\n"
    )
    assert not history.exists()


def test_a_secret_with_inner_spaces_is_blanked_before_whitespace_is_folded(
    estate: Estate, content_copy: Path, tmp_path: Path
) -> None:
    """Reasons fold runs of whitespace; folding first would turn "a  b" into "a b", which no
    longer matches the secret, and the folded secret would be quoted back."""
    left, right = "tok_" + secrets.token_hex(10), secrets.token_hex(10)
    token = f"{left}  \t {right}"
    override = {
        "systems": {
            "dialogue": {
                "check": {
                    "url": estate.url("/echo"),
                    "method": "POST",
                    "headers": {"Authorization": "Bearer ${DIALOGUE_HEALTH_TOKEN}"},
                    "conditions": ['json.authorization == "Bearer nope"'],
                    "retries": 0,
                }
            }
        }
    }
    override_file = tmp_path / "override.yml"
    override_file.write_text(yaml.safe_dump(override))
    history = tmp_path / "out" / "history"
    env = {**os.environ, "DIALOGUE_HEALTH_TOKEN": token}
    run = checks_cli(
        content_copy, "run", "--override", str(override_file), "--history", str(history), env=env
    )
    assert run.returncode == 0, run.stderr
    rows = read_history(history)
    assert rows["dialogue"][0].detail == (
        'condition not met: json.authorization == "Bearer nope"'
        ' (json.authorization is "Bearer [secret]")'
    )
    written = b"".join(p.read_bytes() for p in history.rglob("*") if p.is_file())
    written += (run.stdout + run.stderr).encode()
    for forbidden in (left, right):
        assert forbidden.encode() not in written
