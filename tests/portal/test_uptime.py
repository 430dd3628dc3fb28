"""Uptime figures against small histories worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from checks.results import ProbeResult
from checks.rounds import Round, combine_locations
from portal.health import system_health
from portal.history_data import from_rows
from portal.models.incidents import Maintenance
from portal.uptime import (
    MaintenanceWindow,
    Tally,
    day_range,
    percentile,
    summarise_days,
    tally_between,
)

FIVE = timedelta(minutes=5)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def rows(
    start: datetime, outcomes: str, *, location: str = "a", every: timedelta = FIVE
) -> list[ProbeResult]:
    """One row per character: u(p), d(egraded), x (down), '.' (no round: a gap)."""
    kinds = {"u": "up", "d": "degraded", "x": "down"}
    found = []
    for i, ch in enumerate(outcomes):
        if ch == ".":
            continue
        found.append(
            ProbeResult(
                time=start + i * every,
                system="s",
                location=location,
                outcome=kinds[ch],  # type: ignore[arg-type]
                latency_ms=100 + i,
            )
        )
    return found


def rounds(start: datetime, outcomes: str) -> list[Round]:
    return combine_locations(rows(start, outcomes))


def test_tally_counts_each_outcome_and_expected_rounds() -> None:
    # 12 slots in the hour after 10:00 -> (10:00, 11:00] expects 12 rounds.
    rs = rounds(at(28, 10, 5), "uuuudxxuuu..")  # 10 rounds ran, 2 missing
    tally = tally_between(rs, start=at(28, 10), end=at(28, 11), interval=FIVE)
    assert tally == Tally(up=7, degraded=1, down=2, maintenance=0, expected=12)
    # Hand-computed: (7 + 1) / (7 + 1 + 2) = 80%; coverage 10 / 12.
    assert tally.uptime == pytest.approx(80.0)
    assert tally.coverage == pytest.approx(100 * 10 / 12)
    assert tally.unknown == 2


def test_a_gap_is_unknown_never_up() -> None:
    rs = rounds(at(28, 10, 5), "u" + "." * 10 + "u")
    tally = tally_between(rs, start=at(28, 10), end=at(28, 11), interval=FIVE)
    assert tally.uptime == 100.0  # of the two rounds that ran, both up...
    assert tally.coverage == pytest.approx(100 * 2 / 12)  # ...but only 2 of 12 ran


def test_no_rounds_means_no_figure() -> None:
    tally = tally_between([], start=at(28, 10), end=at(28, 11), interval=FIVE)
    assert tally.uptime is None
    assert tally.coverage == 0.0


def test_failures_inside_maintenance_are_not_downtime() -> None:
    # Down from 10:15 to 10:40 (6 rounds); maintenance window 10:15-10:35 covers 4 of them.
    rs = rounds(at(28, 10, 5), "uu" + "xxxxxx" + "uuuu")
    window = MaintenanceWindow(at(28, 10, 15), at(28, 10, 35))
    tally = tally_between(rs, start=at(28, 10), end=at(28, 11), interval=FIVE, windows=[window])
    assert (tally.up, tally.down, tally.maintenance) == (6, 2, 4)
    assert tally.uptime == pytest.approx(100 * 6 / 8)


def test_up_rounds_inside_maintenance_still_count_as_up() -> None:
    rs = rounds(at(28, 10, 5), "uuuu")
    window = MaintenanceWindow(at(28, 10), at(28, 11))
    tally = tally_between(rs, start=at(28, 10), end=at(28, 11), interval=FIVE, windows=[window])
    assert (tally.up, tally.maintenance) == (4, 0)


def test_days_split_at_midnight_utc_with_a_window_across_it() -> None:
    # 23:30 on the 27th to 00:25 on the 28th: 12 rounds, down from 23:50 to 00:05.
    rs = rounds(at(27, 23, 30), "uuuu" + "xxxx" + "uuuu")
    window = MaintenanceWindow(at(27, 23, 55), at(28, 0, 10))  # covers 23:55, 00:00, 00:05
    now = at(28, 0, 30)
    days = summarise_days(
        rs, days=[date(2026, 11, 27), date(2026, 11, 28)], now=now, interval=FIVE, windows=[window]
    )
    before, after = days
    # 27th: 23:30..23:55 = 6 rounds: 4 up, 23:50 down, 23:55 maintenance; 288 expected.
    assert (before.tally.up, before.tally.down, before.tally.maintenance) == (4, 1, 1)
    assert before.tally.expected == 288
    assert before.worst == "down"
    # 28th: 00:00..00:25 = 6 rounds: 00:00 and 00:05 maintenance, 4 up; 30 minutes -> 6 expected.
    assert (after.tally.up, after.tally.down, after.tally.maintenance) == (4, 0, 2)
    assert after.tally.expected == 6
    assert after.worst == "maintenance"
    # The 24 hours to 00:30 cross midnight: 12 rounds, 1 down, 3 maintenance.
    day = tally_between(
        rs, start=now - timedelta(hours=24), end=now, interval=FIVE, windows=[window]
    )
    assert (day.up, day.down, day.maintenance, day.expected) == (8, 1, 3, 288)
    assert day.uptime == pytest.approx(100 * 8 / 9)


def test_a_skipped_hour_shows_as_unknown_with_its_coverage() -> None:
    # A full day of 5-minute rounds, all up, except 12:00-12:55 when the schedule did not run.
    start = at(27, 0)
    outcomes = "".join("." if 12 * 12 <= i < 13 * 12 else "u" for i in range(288))
    health = system_health(
        "s",
        from_rows(rows(start, outcomes)),
        now=at(28, 0),
        interval=FIVE,
        stale_after=timedelta(minutes=30),
    )
    day = next(d for d in health.days if d.day == date(2026, 11, 27))
    assert day.tally.observed == 276
    assert day.tally.unknown == 12
    assert day.tally.coverage == pytest.approx(100 * 276 / 288)
    assert day.tally.uptime == 100.0  # the hour is not counted as up: it is not counted at all


def test_stale_history_makes_the_state_unknown() -> None:
    health = system_health(
        "s",
        from_rows(rows(at(28, 8), "uuu")),
        now=at(28, 10),
        interval=FIVE,
        stale_after=timedelta(minutes=30),
    )
    assert health.stale and health.state is None
    assert health.last_checked == at(28, 8, 10)


def test_active_maintenance_sets_the_state() -> None:
    window = Maintenance(
        id="m",
        title="Upgrade",
        systems=["s"],
        starts=at(28, 9),
        ends=at(28, 11),
        description="Upgrading.",
    )
    health = system_health(
        "s",
        from_rows(rows(at(28, 9, 45), "xx")),
        now=at(28, 10),
        interval=FIVE,
        stale_after=timedelta(minutes=30),
        maintenance=[window],
    )
    assert health.state == "maintenance"
    assert health.figure("24 hours").tally.maintenance == 2
    assert health.figure("24 hours").tally.down == 0


def test_periods_sum_whole_days_including_today() -> None:
    # One round per day at noon for 10 days; the 5th day (counting back from today) is down.
    now = at(28, 18)
    history = []
    for back in range(10):
        history += rows(at(28, 12) - timedelta(days=back), "x" if back == 4 else "u")
    health = system_health(
        "s", from_rows(history), now=now, interval=FIVE, stale_after=timedelta(days=2)
    )
    seven = health.figure("7 days").tally
    assert (seven.up, seven.down) == (6, 1)
    assert seven.expected == 6 * 288 + 18 * 12  # six full days and today to 18:00
    thirty = health.figure("30 days").tally
    assert (thirty.up, thirty.down) == (9, 1)


def test_quorum_needs_enough_locations_to_agree() -> None:
    both = rows(at(28, 10), "xu", location="a") + rows(at(28, 10), "xx", location="b")
    assert [r.outcome for r in combine_locations(both, quorum=2)] == ["down", "up"]
    assert [r.outcome for r in combine_locations(both, quorum=1)] == ["down", "down"]


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([10, 20, 30, 40], 0.5) == 20
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([7], 0.95) == 7


def test_day_range_is_oldest_first() -> None:
    assert day_range(date(2026, 3, 1), 3) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
    ]
