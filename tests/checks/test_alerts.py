"""Operator alerts, end to end in one process: real rounds against the loopback estate at
injected times, real apprise posting to a real local webhook receiver.

Each round script below is hand-worked: rounds are 5 minutes apart from 10:00 UTC on
28 Nov 2026 (round i at 10:00 + 5i minutes), and the expected messages follow from the
thresholds stated in each test.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from checks.alert_state import load_state, read_log
from checks.estate import Estate
from checks.history import append_results
from checks.results import ProbeResult
from portal.models.incidents import Maintenance
from tests.checks.alert_bench import CHANNEL, at, bench

BASE = {
    "channels": [CHANNEL],
    "failure_threshold": 2,
    "success_threshold": 2,
    "reminder_minutes": 0,
}


def test_one_alert_per_state_change_with_thresholds(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        # 0 ok, 1 fail (alone: below the threshold), 2 ok, 3-5 fail (alert at 4, the second),
        # 6 ok, 7 fail (breaks the healthy run), 8-9 ok (recovered at 9, the second).
        b.rounds("dialogue", "o f o f f f o f o o")
        assert b.receiver.titles() == ["DOWN: Dialogue", "RECOVERED: Dialogue"]
        down, recovered = b.receiver.accepted()
        assert "failed 2 checks in a row, since 28 Nov 2026 10:15 UTC" in down.message
        assert "HTTP 500, expected 200" in down.message
        assert down.body["type"] == "failure" and recovered.body["type"] == "success"
        # The outage ran from the first failed round (3, 10:15) to the first healthy round
        # of the run that ended it (8, 10:40): 25 minutes.
        assert "it was down for 25 minutes, from 28 Nov 2026 10:15 UTC until 28 Nov 2026 10:40" in (
            recovered.message
        )
        assert "https://glasshouse.example.org/status/dialogue/" in recovered.message
        assert {r.path for r in b.receiver.accepted()} == {"/ops"}


def test_each_system_counts_its_own_rounds_with_its_own_threshold(
    tmp_path: Path, estate: Estate
) -> None:
    with bench(tmp_path, estate, BASE, systems={"events": {"failure_threshold": 3}}) as b:
        b.round(0, dialogue="ok", events="ok")
        b.round(1, dialogue="fail", events="fail")
        b.round(2, dialogue="fail", events="fail")  # dialogue: 2 of 2
        assert b.receiver.titles() == ["DOWN: Dialogue"]
        b.round(3, dialogue="fail", events="fail")  # events: 3 of 3
        assert b.receiver.titles() == ["DOWN: Dialogue", "DOWN: Events"]


def test_degraded_then_down_then_recovered(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        # 0 ok; 1-2 slow: degraded at 2; 3-4 fail: down at 4; 5-6 ok: recovered at 6.
        b.rounds("dialogue", "o s s f f o o")
        assert b.receiver.titles() == [
            "DEGRADED: Dialogue",
            "DOWN: Dialogue",
            "RECOVERED: Dialogue",
        ]
        degraded, down, recovered = b.receiver.accepted()
        assert degraded.body["type"] == "warning"
        assert "was degraded and is now down" in down.message
        # From round 1 (10:05) to round 5 (10:25), the worst state told being down.
        assert "it was down for 20 minutes" in recovered.message


def test_degraded_is_ignored_where_a_system_says_so(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE, systems={"dialogue": {"degraded": False}}) as b:
        b.rounds("dialogue", "o s s s o o")
        assert b.receiver.titles() == []


def test_reminders_while_down_at_the_interval(tmp_path: Path, estate: Estate) -> None:
    portal = BASE | {"failure_threshold": 1, "success_threshold": 1, "reminder_minutes": 15}
    with bench(tmp_path, estate, portal) as b:
        # 0 ok; 1 fail: down (10:05); reminders when 15 minutes have passed since the last
        # alert: round 4 (10:20) and round 7 (10:35); 8 ok: recovered after 35 minutes.
        b.rounds("dialogue", "o f f f f f f f o")
        assert b.receiver.titles() == [
            "DOWN: Dialogue",
            "STILL DOWN: Dialogue",
            "STILL DOWN: Dialogue",
            "RECOVERED: Dialogue",
        ]
        reminders = b.receiver.accepted()[1:3]
        assert "has been down for 15 minutes, since 28 Nov 2026 10:05 UTC" in reminders[0].message
        assert "has been down for 30 minutes" in reminders[1].message
        assert "it was down for 35 minutes" in b.receiver.accepted()[3].message


def window(start: int, end: int, system: str = "dialogue") -> Maintenance:
    return Maintenance(
        id="test-window",
        title="Test window",
        systems=[system],
        starts=at(start),
        ends=at(end),
        description="A planned window for the test.",
    )


def test_nothing_is_said_during_planned_maintenance(tmp_path: Path, estate: Estate) -> None:
    # Rounds 1-4 fall inside the window [10:05, 10:25); it is down throughout, and back by 5.
    with bench(tmp_path, estate, BASE, maintenance=(window(1, 5),)) as b:
        b.rounds("dialogue", "o f f f f o o")
        assert b.receiver.titles() == []


def test_failure_outlasting_maintenance_counts_from_the_window_end(
    tmp_path: Path, estate: Estate
) -> None:
    with bench(tmp_path, estate, BASE, maintenance=(window(1, 5),)) as b:
        # Down from round 1 to 6: rounds 5 and 6 are the first two counted.
        b.rounds("dialogue", "o f f f f f f")
        assert b.receiver.titles() == ["DOWN: Dialogue"]
        assert "since 28 Nov 2026 10:25 UTC" in b.receiver.accepted()[0].message


def test_maintenance_can_be_loud_for_a_system(tmp_path: Path, estate: Estate) -> None:
    systems = {"dialogue": {"quiet_during_maintenance": False}}
    with bench(tmp_path, estate, BASE, systems=systems, maintenance=(window(1, 5),)) as b:
        b.rounds("dialogue", "o f f")
        assert b.receiver.titles() == ["DOWN: Dialogue"]


def test_certificate_warning_once_then_at_its_own_interval(tmp_path: Path, estate: Estate) -> None:
    """Rows with error kind tls-expiring, as the TLS probe writes them."""
    portal = BASE | {"certificate_reminder_hours": 1}
    with bench(tmp_path, estate, portal) as b:

        def row(index: int, expiring: bool) -> ProbeResult:
            return ProbeResult(
                time=at(index),
                system="login",
                location="test",
                outcome="degraded" if expiring else "up",
                latency_ms=20,
                http_status=200,
                error="tls-expiring" if expiring else None,
                detail="certificate expires in 9 days" if expiring else "",
            )

        # 0 fine; 1-13 expiring: said at 1 (10:05) and again at 13 (11:05, an hour later);
        # 14 fine (renewed); 15 expiring again: said at once.
        script = [False] + [True] * 13 + [False, True]
        for index, expiring in enumerate(script):
            append_results(b.history, [row(index, expiring)])
            b.alerts(at(index))
        titles = b.receiver.titles()
        assert titles == ["CERTIFICATE EXPIRING: Login"] * 3
        assert all("certificate expires in 9 days" in r.message for r in b.receiver.accepted())
        # A certificate warning is not a degraded tool.
        assert load_state(b.state).trackers["login"].told == "up"


def test_checks_stopped_is_raised_by_the_next_run_that_sees_the_gap(
    tmp_path: Path, estate: Estate
) -> None:
    # The limit defaults to probes.stale_after_minutes: 30 in the shipped portal.yml.
    with bench(tmp_path, estate, BASE) as b:
        b.round(0, dialogue="ok")
        b.round(1, dialogue="ok")
        b.round(19, dialogue="ok")  # 10:05 -> 11:35: a 90-minute gap
        assert b.receiver.titles() == ["CHECKS STOPPED: Glasshouse"]
        (message,) = b.receiver.accepted()
        assert "No check round ran for 1 hour 30 minutes" in message.message
        assert "from 28 Nov 2026 10:05 UTC until 28 Nov 2026 11:35 UTC" in message.message
        assert "the limit is 30 minutes" in message.message
        b.round(20, dialogue="ok")
        assert len(b.receiver.titles()) == 1


def test_a_run_without_new_rounds_notices_stopped_checks_at_once(
    tmp_path: Path, estate: Estate
) -> None:
    with bench(tmp_path, estate, BASE) as b:
        b.round(0, dialogue="ok")
        b.alerts(at(0) + timedelta(minutes=25))  # within the limit: quiet
        assert b.receiver.titles() == []
        b.alerts(at(0) + timedelta(minutes=41))
        b.alerts(at(0) + timedelta(minutes=50))  # already said
        assert b.receiver.titles() == ["CHECKS STOPPED: Glasshouse"]
        assert "41 minutes ago" in b.receiver.accepted()[0].message
        b.round(12, dialogue="ok")
        assert b.receiver.titles() == [
            "CHECKS STOPPED: Glasshouse",
            "CHECKS RUNNING AGAIN: Glasshouse",
        ]


def test_first_run_says_only_what_is_wrong_now(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        # History written before alerting was switched on: an outage that ended, then
        # another still going on.
        for index, letter in enumerate("ofoofffoofff"):
            b.record(index, dialogue={"o": "ok", "f": "fail"}[letter])
        run = b.alerts(at(11))
        assert b.receiver.titles() == ["DOWN: Dialogue"]
        assert "since 28 Nov 2026 10:45 UTC" in b.receiver.accepted()[0].message
        assert {a.kind for a, _ in run.unsent} == {"down", "recovered"}


def test_a_failed_delivery_is_kept_and_retried_by_the_next_run(
    tmp_path: Path, estate: Estate
) -> None:
    with bench(tmp_path, estate, BASE) as b:
        b.round(0, dialogue="ok")
        b.receiver.fail(1)
        b.round(1, dialogue="fail")
        run = b.round(2, dialogue="fail")
        assert [d.status for _, d in run.deliveries] == ["failed"]
        assert [p.alert.title for p in load_state(b.state).outbox] == ["DOWN: Dialogue"]
        b.round(3, dialogue="fail")
        assert b.receiver.titles() == ["DOWN: Dialogue"]
        assert load_state(b.state).outbox == ()
        (entry,) = [e for e in read_log(b.state) if e["kind"] == "down"]
        assert entry["channels"] == {CHANNEL: "sent"}


def test_an_unset_channel_is_reported_by_name_and_recorded(tmp_path: Path, estate: Estate) -> None:
    portal = BASE | {"channels": [CHANNEL, "GLASSHOUSE_NOT_SET"]}
    with bench(tmp_path, estate, portal) as b:
        b.rounds("dialogue", "o f f")
        deliveries = {
            e["channels"].get("GLASSHOUSE_NOT_SET")
            for e in read_log(b.state)
            if e["kind"] == "down"
        }
        assert deliveries == {"unset"}
        assert b.receiver.titles() == ["DOWN: Dialogue"]


def test_state_is_data_next_to_history(tmp_path: Path, estate: Estate) -> None:
    with bench(tmp_path, estate, BASE) as b:
        b.rounds("dialogue", "o f f")
        assert sorted(p.name for p in b.state.iterdir()) == [
            ".lock",
            "log-2026-11.jsonl",
            "state.json",
        ]
        state = load_state(b.state)
        assert state.trackers["dialogue"].told == "down"
        assert state.trackers["dialogue"].seen == at(2)
        assert state.watch.last_round == at(2)
        (entry,) = read_log(b.state)
        assert (entry["key"], entry["about"]) == (
            "down:dialogue:2026-11-28T10:10:00Z",
            "2026-11-28T10:10:00Z",
        )
