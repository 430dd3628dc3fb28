"""No channel token ever lands in history, alert state, logs or the built site.

The channels hold addresses with a token in the path and a password, as Slack or Teams
webhooks and SMTP URLs do. Everything operators run is run for real, through the command line
(its output is the log a scheduler keeps) and in process with every logger at debug level
(apprise writes the address it posts to at that level). The receiver getting the tokens
proves they were used; no file or log line may contain them.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from checks.alerts import drill_alert, setting_for
from checks.estate import Estate
from checks.notify import deliver, secret_fragments
from portal.load import load_catalog
from tests.checks.alert_bench import configure
from tests.checks.test_alert_commands import run, write_incident
from tests.checks.webhook import Receiver
from tests.conftest import REPO, build_site, copy_content


def test_secret_fragments_cover_every_part_of_an_address() -> None:
    found = secret_fragments("slack://TokenA1/TokenB22/TokenC333 json://u:pw-9999@host.example/x/y")
    assert {"TokenA1", "TokenB22", "TokenC333", "pw-9999", "host.example"} <= found


def test_no_channel_token_in_history_state_logs_or_site(
    tmp_path: Path, estate: Estate, caplog: pytest.LogCaptureFixture
) -> None:
    root = copy_content(tmp_path / "repo")
    for kind in ("incidents", "maintenance"):
        shutil.copytree(REPO / "tests" / "data" / "status" / kind, root / kind)
    configure(
        root,
        {"channels": ["GLASSHOUSE_ALERTS"], "announce": {"channels": ["GLASSHOUSE_ANNOUNCE"]}},
        {"turnout": {"channels": ["GLASSHOUSE_TURNOUT"]}},
    )
    history, state = root / "data" / "history", root / "data" / "alerts"
    tokens = {name: f"{name}-{secrets.token_hex(12)}" for name in ("ops", "pw", "social", "gotv")}
    outputs: list[str] = []
    with Receiver() as receiver:
        env = {
            "GLASSHOUSE_ALERTS": receiver.url(f"hook/{tokens['ops']}", auth=f"ops:{tokens['pw']}"),
            "GLASSHOUSE_ANNOUNCE": receiver.url(f"social/{tokens['social']}", scheme="form"),
            "GLASSHOUSE_TURNOUT": receiver.url(f"gotv/{tokens['gotv']}"),
        }
        # Two scheduled runs: Dialogue and Turnout fail twice, so both alert.
        catalog, _ = load_catalog(root)
        urls = {s.id: estate.url("/ok") for s in catalog.systems.values() if s.check}
        urls["dialogue"] = urls["turnout"] = estate.url("/status?code=500")
        override = root / "override.yml"
        override.write_text(
            yaml.safe_dump({"systems": {k: {"check": {"url": v}} for k, v in urls.items()}})
        )
        cli = ("--history", str(history), "--alerts", str(state))
        for _ in range(2):
            outputs.append(str(run(root, "run", "--override", str(override), *cli, env=env)))
        outputs.append(str(run(root, "alert-test", "turnout", env=env)))
        outputs.append(str(run(root, "alerts", *cli, env=env)))
        announce = ("announce", "--alerts", str(state))
        outputs.append(str(run(root, *announce, env=env)))  # the baseline
        now = datetime.now(UTC).replace(microsecond=0)
        write_incident(root, "2026-12-01-calls", [(now, "investigating", "Calls drop.")])
        outputs.append(str(run(root, *announce, env=env)))
        # In process, every logger at debug level.
        caplog.set_level(logging.DEBUG)
        setting = setting_for(load_catalog(root)[0])
        for system, channel in (
            ("dialogue", "GLASSHOUSE_ALERTS"),
            ("turnout", "GLASSHOUSE_TURNOUT"),
        ):
            assert deliver(drill_alert(setting, system, now=now), channel, env=env).status == "sent"
        paths = [r.path for r in receiver.accepted()]

    # The tokens were really used...
    assert f"/hook/{tokens['ops']}" in paths and f"/gotv/{tokens['gotv']}" in paths
    assert f"/social/{tokens['social']}" in paths
    assert "[redacted]" in caplog.text  # apprise did log the address, and it was blanked
    titles = [r.title for r in receiver.accepted()]
    assert {"DOWN: Dialogue", "DOWN: Turnout", "Investigating: Calls dropping in Dialogue"} <= set(
        titles
    )
    # ... and are nowhere to be found.
    site = build_site(root, history, root / "site", now=now + timedelta(minutes=1))
    texts = {"logs (command line)": "\n".join(outputs), "logs (debug)": caplog.text}
    for folder in (history, state, site):
        for path in folder.rglob("*"):
            if path.is_file():
                texts[str(path.relative_to(root))] = path.read_bytes().decode("utf-8", "replace")
    assert any("GLASSHOUSE_ALERTS" in text for text in texts.values())  # names are fine
    assert len(texts) > 50
    leaks = [
        (where, name) for where, text in texts.items() for name, t in tokens.items() if t in text
    ]
    assert leaks == []
