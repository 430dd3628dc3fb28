"""The pure parts of alerting, table-driven: durations as people read them, and rounds as
alerting sees them when several probe locations report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checks.alerts import Rules, Setting, Tracker, Watch, alert_rounds, evaluate, format_duration
from checks.results import ProbeResult

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=25), "25 minutes"),
        (timedelta(minutes=60), "1 hour"),
        (timedelta(minutes=65), "1 hour 5 minutes"),
        (timedelta(hours=26, minutes=5), "1 day 2 hours"),  # two units at most
        (timedelta(days=3), "3 days"),
    ],
)
def test_durations_read_as_people_say_them(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


def row(minute: int, location: str, outcome: str, error: str | None = None) -> ProbeResult:
    return ProbeResult(
        time=T0 + timedelta(minutes=minute),
        system="dialogue",
        location=location,
        outcome=outcome,  # type: ignore[arg-type]
        error=error,  # type: ignore[arg-type]
        detail=f"{location} saw {outcome}",
    )


def test_the_quorum_decides_and_the_newest_round_waits_for_every_location() -> None:
    rows = [
        row(0, "east", "down"),
        row(0, "west", "up"),  # one of two: below a quorum of 2, so the round is up
        row(5, "east", "down"),
        row(5, "west", "down"),  # both: down
        row(10, "east", "down"),  # west has not reported 10:10 yet: not settled
    ]
    views = alert_rounds(rows, quorum=2, locations=2)
    assert [(v.time.minute, v.outcome) for v in views] == [(0, "up"), (5, "down")]
    rows.append(row(10, "west", "up"))
    assert [v.outcome for v in alert_rounds(rows, quorum=2, locations=2)] == ["up", "down", "up"]


def test_an_expiring_certificate_is_a_warning_not_a_failure() -> None:
    (view,) = alert_rounds([row(0, "east", "degraded", error="tls-expiring")])
    assert (view.outcome, view.certificate) == ("up", "east saw degraded")


def test_a_system_gone_from_the_catalogue_is_forgotten() -> None:
    setting = Setting(
        portal_name="Glasshouse",
        site_url="https://glasshouse.example.org/",
        names={"dialogue": "Dialogue"},
        rules={"dialogue": Rules(channels=())},
        portal_channels=(),
        stopped_after=timedelta(minutes=30),
    )
    trackers = {"dialogue": Tracker(seen=T0), "retired": Tracker(told="down", seen=T0)}
    result = evaluate(trackers, Watch(T0), {}, setting, now=T0 + timedelta(minutes=5))
    assert set(result.trackers) == {"dialogue"}
