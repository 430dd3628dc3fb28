"""The alert commands as operators run them: real processes, a real local webhook receiver.

The overlap test catches one run in mid-send (the receiver holds its first message), starts
a second run, waits until the second says it is waiting for the alert lock, then lets the
first finish: each alert must arrive exactly once.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

import yaml

from checks.alert_state import load_state, read_log
from checks.estate import Estate
from checks.results import format_time
from portal.load_status import load_incidents
from tests.checks.alert_bench import CHANNEL, at, bench, configure
from tests.checks.webhook import Receiver
from tests.conftest import REPO, copy_content

BASE = {"channels": [CHANNEL], "failure_threshold": 2, "success_threshold": 2}
WAIT = 60.0  # seconds: an upper bound for a step that should take well under one


def checks(root: Path, *args: str, env: Mapping[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "checks", "--root", str(root), *args],
        cwd=REPO,
        env={**os.environ, **env},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run(root: Path, *args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    process = checks(root, *args, env=env)
    out, err = process.communicate(timeout=WAIT)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def lines(stream: IO[str]) -> queue.Queue[str]:
    """The stream's lines, read by a thread, so a test can wait for one with a time limit."""
    found: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            found.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return found


def test_two_overlapping_runs_send_each_alert_once(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        b.round(0, dialogue="ok", events="ok")  # both systems known, nothing to say
        b.record(1, dialogue="fail", events="fail")
        b.record(2, dialogue="fail", events="fail")
        args = ["alerts", "--history", str(b.history), "--alerts", str(b.state)]
        args += ["--now", format_time(at(2))]
        b.receiver.hold()
        first = checks(b.root, *args, env=b.env)
        assert b.receiver.arrived.wait(WAIT), "the first run sent nothing"
        second = checks(b.root, *args, env=b.env)
        assert second.stderr is not None
        waiting = lines(second.stderr)
        said = waiting.get(timeout=WAIT)
        assert "another run holds the alert lock" in said and "waiting for it" in said
        b.receiver.release()
        out_first, _ = first.communicate(timeout=WAIT)
        out_second, _ = second.communicate(timeout=WAIT)
        assert (first.returncode, second.returncode) == (0, 0)
        assert sorted(b.receiver.titles()) == ["DOWN: Dialogue", "DOWN: Events"]
        assert "alerts: 2 new, 2 deliveries made, 0 failed" in out_first
        assert "alerts: 0 new, 0 deliveries made, 0 failed" in out_second
        keys = [e["key"] for e in read_log(b.state)]
        assert sorted(keys) == [
            "down:dialogue:2026-11-28T10:10:00Z",
            "down:events:2026-11-28T10:10:00Z",
        ]


def test_run_probes_records_and_alerts_in_one_command(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        # Every health check pointed at the loopback estate: healthy, but Dialogue answers 503.
        urls = {s.id: estate.url("/ok") for s in b.catalog.systems.values() if s.check}
        urls["dialogue"] = estate.url("/status?code=503")
        override = b.root / "override.yml"
        override.write_text(
            yaml.safe_dump({"systems": {k: {"check": {"url": v}} for k, v in urls.items()}})
        )
        for _ in range(2):
            done = run(
                b.root,
                "run",
                "--override",
                str(override),
                "--history",
                str(b.history),
                "--alerts",
                str(b.state),
                env=b.env,
            )
            assert done.returncode == 0, done.stderr
        # The first run meets every system for the first time: Dialogue has failed once, which
        # is below the threshold. The second run sees its second failure.
        assert b.receiver.titles() == ["DOWN: Dialogue"]
        dialogue = b.receiver.accepted()[0]
        assert "HTTP 503, expected 200" in dialogue.message


def test_alert_test_sends_a_marked_message_through_the_systems_channels(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "repo")
    configure(root, {"channels": ["GLASSHOUSE_PORTAL"]}, {"turnout": {"channels": [CHANNEL]}})
    with Receiver() as receiver:
        env = {CHANNEL: receiver.url("turnout-team"), "GLASSHOUSE_PORTAL": receiver.url("portal")}
        done = run(root, "alert-test", "turnout", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith(f"-> {CHANNEL}: sent")
        (message,) = receiver.accepted()
        assert message.path == "/turnout-team"
        assert message.title == "TEST ALERT (nothing is wrong): Turnout"
        assert "This is a test of alerts for Turnout" in message.message
        assert message.body["type"] == "info"
        done = run(root, "alert-test", env=env)  # no system: the portal-wide channels
        assert done.returncode == 0
        assert [r.path for r in receiver.accepted()] == ["/turnout-team", "/portal"]


def test_alert_test_says_what_is_missing(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "repo")
    configure(root, {"channels": [CHANNEL]}, {"events": {"channels": []}})
    done = run(root, "alert-test", "nosuch", env={})
    assert done.returncode == 2
    assert done.stderr.startswith('alert-test: no system "nosuch"; known systems: chatter, ')
    done = run(root, "alert-test", "events", env={})
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "alert-test: no channel configured; add alerts: channels: [...] to catalog/events.yml",
    )
    done = run(root, "alert-test", "dialogue", env={})
    assert done.returncode == 4
    assert f"-> {CHANNEL}: unset (the environment variable {CHANNEL} is not set)" in done.stdout


INCIDENT = """---
id: {id}
title: Calls dropping in Dialogue
systems: [dialogue]
severity: major
started: {started}
{resolved}updates:
{updates}
---
What happened, written up by the team.
"""


def write_incident(root: Path, ident: str, updates: list[tuple[datetime, str, str]]) -> None:
    body = "\n".join(
        f"  - at: {format_time(when)}\n    state: {state}\n    text: {json.dumps(text)}"
        for when, state, text in updates
    )
    (root / "incidents").mkdir(exist_ok=True)
    (root / "incidents" / f"{ident}.md").write_text(
        INCIDENT.format(
            id=ident,
            started=format_time(updates[0][0]),
            resolved=f"resolved: {format_time(updates[-1][0])}\n"
            if updates[-1][1] == "resolved"
            else "",
            updates=body,
        )
    )


def test_announce_posts_each_new_incident_update_once(tmp_path: Path) -> None:
    root = copy_content(tmp_path / "repo")
    shutil.copytree(REPO / "tests" / "data" / "status" / "incidents", root / "incidents")
    configure(root, {"announce": {"channels": ["GLASSHOUSE_ANNOUNCE"]}})
    state = root / "data" / "alerts"
    now = datetime.fromisoformat("2026-12-01T12:00:00+00:00")
    with Receiver() as receiver:
        env = {"GLASSHOUSE_ANNOUNCE": receiver.url("social", scheme="form")}

        def announce(moment: datetime) -> subprocess.CompletedProcess[str]:
            done = run(
                root, "announce", "--alerts", str(state), "--now", format_time(moment), env=env
            )
            assert done.returncode == 0, done.stderr
            return done

        first = announce(now)  # the baseline: the updates already published are not news
        assert receiver.accepted() == []
        existing = sum(len(i.updates) for i in load_incidents(root)[0])
        assert f"{existing} existing updates recorded as already posted" in first.stdout
        write_incident(
            root,
            "2026-12-01-dialogue-calls",
            [(now - timedelta(hours=1), "investigating", "Calls drop after a few seconds.")],
        )
        announce(now)
        announce(now + timedelta(minutes=5))  # nothing new
        (post,) = receiver.accepted()
        assert post.title == "Investigating: Calls dropping in Dialogue"
        assert post.message == (
            "Dialogue. Calls drop after a few seconds.\n"
            "More: https://glasshouse.example.org/status/incidents/2026-12-01-dialogue-calls/"
        )
        write_incident(
            root,
            "2026-12-01-dialogue-calls",
            [
                (now - timedelta(hours=1), "investigating", "Calls drop after a few seconds."),
                (now + timedelta(minutes=20), "resolved", "Fixed: calls connect again."),
            ],
        )
        announce(now + timedelta(minutes=30))
        assert receiver.titles()[1:] == ["Resolved: Calls dropping in Dialogue"]
        # A report written up days after the event is recorded, not reposted.
        write_incident(
            root, "2026-11-25-old", [(now - timedelta(days=6), "resolved", "An old write-up.")]
        )
        done = announce(now + timedelta(hours=1))
        assert len(receiver.accepted()) == 2
        assert "not sent, posted longer ago than announce.max_age_hours" in done.stdout
        posted = load_state(state).announced or {}
        assert posted["2026-12-01-dialogue-calls"] == [
            "2026-12-01T11:00:00Z",
            "2026-12-01T12:20:00Z",
        ]
