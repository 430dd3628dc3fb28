"""Rounds across locations, daily rollups and their cache, recent rounds: hand-computed cases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checks.history import append_results
from checks.results import Outcome, ProbeResult
from checks.rollups import (
    DailyRollup,
    load_rollups,
    rebuild_rollups,
    recent_rounds,
    rollup_rounds,
)
from checks.rounds import Round, combine_locations

T0 = datetime(2026, 10, 31, 23, 50, tzinfo=UTC)


def row(
    minutes: int,
    outcome: Outcome = "up",
    latency: int | None = 100,
    *,
    system: str = "s",
    location: str = "a",
) -> ProbeResult:
    return ProbeResult(
        time=T0 + timedelta(minutes=minutes),
        system=system,
        location=location,
        outcome=outcome,
        latency_ms=latency,
        http_status=200 if outcome != "down" else None,
        detail=f"{location} {outcome}",
    )


# --- rounds: the location quorum ---------------------------------------------------------

QUORUM_CASES = [
    # (outcomes seen by locations a, b, c at one time), quorum, round outcome
    (("down", "up"), 1, "down"),
    (("down", "up"), 2, "up"),
    (("down", "degraded"), 2, "degraded"),
    (("down", "down"), 2, "down"),
    (("down",), 2, "down"),  # one location reported: it is all there is
    (("down", "down", "up"), 2, "down"),
    (("down", "up", "up"), 2, "up"),
    (("degraded", "up", "up"), 3, "degraded"),
]


@pytest.mark.parametrize(("seen", "quorum", "expected"), QUORUM_CASES)
def test_quorum_decides_a_round(seen: tuple[Outcome, ...], quorum: int, expected: str) -> None:
    rows = [row(0, o, location=loc) for o, loc in zip(seen, "abc", strict=False)]
    (one,) = combine_locations(rows, quorum=quorum)
    assert one.outcome == expected
    assert one.latest.outcome == expected


def test_one_location_has_one_vote_however_many_rows_it_wrote() -> None:
    # Two overlapping runs at location a wrote two "down" rows for the same round time.
    rows = [row(0, "down", location="a"), row(0, "down", location="a"), row(0, "up", location="b")]
    (one,) = combine_locations(rows, quorum=2)
    assert one.outcome == "up"
    (alone,) = combine_locations([row(0, "up", location="a"), row(0, "down", location="a")])
    assert alone.outcome == "down"


# --- rollups, pure ---------------------------------------------------------------------------


def test_rollup_counts_outcomes_and_latency_percentiles_per_utc_day() -> None:
    day1 = [row(0, "up", 100), row(5, "degraded", 300), row(10, "down", 9000)]
    day1 += [row(-15, "up", 200), row(-20, "up", None)]  # 23:35 and 23:30 on 31 October
    # 1 November: twenty up rounds of 10, 20, ..., 200 ms.
    day2 = [row(15 + 5 * i, "up", 10 * (i + 1)) for i in range(20)]
    rounds = combine_locations(day1 + day2)
    # 31 Oct holds 23:30, 23:35, 23:50 and 23:55; 00:00 (minute 10) is already 1 November.
    assert rollup_rounds("s", rounds) == [
        # latencies of answered rounds 31 Oct: 200, 100, 300 (down's 9000 and None excluded)
        DailyRollup("s", date(2026, 10, 31), up=3, degraded=1, down=0,
                    latency_p50=200, latency_p95=300, latency_max=300),
        # 1 Nov: the down round at 00:00 and 20 up rounds; p50 is the 10th of 20, p95 the 19th
        DailyRollup("s", date(2026, 11, 1), up=20, degraded=0, down=1,
                    latency_p50=100, latency_p95=190, latency_max=200),
    ]  # fmt: skip


def test_rollup_days_are_utc_days_whatever_the_zone_of_the_times() -> None:
    bst = timezone(timedelta(hours=1))
    at = datetime(2026, 6, 1, 0, 30, tzinfo=bst)  # 23:30 UTC on 31 May
    result = ProbeResult(time=at, system="s", location="a", outcome="up", latency_ms=5)
    (rollup,) = rollup_rounds("s", [Round(at, "up", result)])
    assert rollup.day == date(2026, 5, 31)


def test_a_day_with_only_failed_rounds_has_no_latency() -> None:
    (rollup,) = rollup_rounds("s", combine_locations([row(20, "down", 10000)]))
    assert (rollup.down, rollup.latency_p50, rollup.latency_p95, rollup.latency_max) == (
        1,
        None,
        None,
        None,
    )


# --- the cache ---------------------------------------------------------------------------------


def history(root: Path) -> list[ProbeResult]:
    """Two systems, two locations, rows in October and November."""
    rows = []
    for minutes in range(0, 60, 5):
        rows.append(row(minutes, "up", 100 + minutes, system="s", location="a"))
        rows.append(row(minutes, "down" if minutes == 20 else "up", 50, system="s", location="b"))
        rows.append(row(minutes, "degraded", 400, system="t", location="a"))
    append_results(root, rows)
    return rows


def expected_for(rows: list[ProbeResult], system: str, quorum: int) -> list[DailyRollup]:
    mine = [r for r in rows if r.system == system]
    return rollup_rounds(system, combine_locations(mine, quorum=quorum))


def tamper(cache: Path, system: str, month: str, up: int) -> None:
    path = cache / system / f"{month}.json"
    data = json.loads(path.read_text())
    data["days"][0][1] = up
    path.write_text(json.dumps(data))


def test_load_rollups_builds_caches_and_reuses_unchanged_months(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    rows = history(root)
    loaded = load_rollups(root, cache, systems=["s", "t", "none"], quorum=2)
    assert loaded == {
        "s": expected_for(rows, "s", 2),
        "t": expected_for(rows, "t", 2),
        "none": [],
    }
    # s: 31 Oct has 2 rounds (23:50, 23:55), 1 Nov 10; b saw 00:10 down, a did not: quorum 2.
    assert [(d.day.day, d.up, d.down) for d in loaded["s"]] == [(31, 2, 0), (1, 10, 0)]
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*.json")) == [
        "s/2026-10.json",
        "s/2026-11.json",
        "t/2026-10.json",
        "t/2026-11.json",
    ]

    # Unchanged shards: the cached month is used as it is (the tampered count comes back).
    tamper(cache, "s", "2026-10", 999)
    tamper(cache, "s", "2026-11", 998)
    again = load_rollups(root, cache, systems=["s"], quorum=2)
    assert [d.up for d in again["s"]] == [999, 998]

    # A new row in November's shard at one location: November is rebuilt, October is not.
    append_results(root, [row(60, "up", 70, system="s", location="b")])
    after = load_rollups(root, cache, systems=["s"], quorum=2)
    assert [d.up for d in after["s"]] == [999, 11]

    # Another quorum is another cache key; rebuilding discards every tampered month.
    assert [d.down for d in load_rollups(root, cache, systems=["s"])["s"]] == [0, 1]
    rebuilt = rebuild_rollups(root, cache, systems=["s"], quorum=2)
    assert [d.up for d in rebuilt["s"]] == [2, 11]


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    rows = history(root)
    load_rollups(root, cache, systems=["t"])
    (cache / "t" / "2026-11.json").write_text("{not json")
    assert load_rollups(root, cache, systems=["t"])["t"] == expected_for(rows, "t", 1)


def test_cached_months_without_shards_are_dropped(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    history(root)
    load_rollups(root, cache, systems=["t"])
    (root / "a" / "t" / "2026-10.csv").unlink()
    assert [d.day.month for d in load_rollups(root, cache, systems=["t"])["t"]] == [11]
    assert sorted(p.name for p in (cache / "t").iterdir()) == ["2026-11.json"]


def test_rebuild_reports_progress_per_month(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    history(root)
    seen: list[tuple[int, int]] = []
    rebuild_rollups(root, cache, systems=["s", "t"], progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


# --- recent rounds -----------------------------------------------------------------------------


def test_recent_rounds_read_only_the_shards_that_cover_the_period(tmp_path: Path) -> None:
    root = tmp_path / "history"
    rows = history(root)
    # An older month that cannot be read: touching it would raise IsADirectoryError.
    (root / "a" / "s" / "2026-09.csv").mkdir()
    since = datetime(2026, 11, 1, 0, 5, tzinfo=UTC)
    rounds = recent_rounds(root, "s", since, 1)
    assert rounds == combine_locations([r for r in rows if r.system == "s" and r.time >= since])
    assert [r.time.minute for r in rounds] == [5, 10, 15, 20, 25, 30, 35, 40, 45]
    with pytest.raises(IsADirectoryError):
        recent_rounds(root, "s", datetime(2026, 9, 30, tzinfo=UTC), 1)


def test_a_grown_shard_costs_only_the_days_its_new_rows_touch(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    # 31 Oct 23:50 .. 1 Nov 00:45 at a and b, then rows on 2 November at location a.
    rows = history(root)
    second = [row(60 * 24 + m, "up", 80, system="s", location="a") for m in (10, 15)]
    append_results(root, second)
    load_rollups(root, cache, systems=["s"], quorum=2)
    tamper(cache, "s", "2026-11", 555)  # 1 November's up count, in the cache only

    # A new round on 2 November at location b: 2 November is recomputed, 1 November is not.
    append_results(root, [row(60 * 24 + 15, "down", 90, system="s", location="b")])
    refreshed = load_rollups(root, cache, systems=["s"], quorum=2)["s"]
    assert [(d.day.day, d.up, d.down) for d in refreshed] == [(31, 2, 0), (1, 555, 0), (2, 2, 0)]

    # Quorum 2: b's down at 00:15 on 2 November is outvoted by a's up; then a agrees.
    append_results(root, [row(60 * 24 + 15, "down", 90, system="s", location="a")])
    refreshed = load_rollups(root, cache, systems=["s"], quorum=2)["s"]
    assert [(d.day.day, d.up, d.down) for d in refreshed][-1] == (2, 1, 1)

    # The incremental result is what a rebuild from raw rows gives (bar the tampered day).
    rebuilt = rebuild_rollups(root, cache, systems=["s"], quorum=2)["s"]
    assert rebuilt[0] == refreshed[0] and rebuilt[2] == refreshed[2]
    assert rebuilt[1] == expected_for(rows + second, "s", 2)[1]


def test_a_shard_rewritten_in_place_is_rebuilt_in_full(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    rows = history(root)
    load_rollups(root, cache, systems=["t"])
    tamper(cache, "t", "2026-11", 777)
    shard = root / "a" / "t" / "2026-11.csv"
    # An edit by hand (one latency digit), then a new row: the shard grew, but its old part
    # no longer hashes the same.
    text = shard.read_text()
    shard.write_text(text.replace(",400,", ",401,", 1))  # the 00:00 row of 1 November
    append_results(root, [row(60 * 24 + 10, "degraded", 400, system="t", location="a")])
    loaded = load_rollups(root, cache, systems=["t"])["t"]
    # 1 November was rebuilt from raw rows though no new row fell on it: the tampered 777 is
    # gone and the edited latency counts.
    assert [(d.day.day, d.up, d.degraded, d.latency_max) for d in loaded] == [
        (31, 0, 2, 400),
        (1, 0, 10, 401),
        (2, 0, 1, 400),
    ]
    assert len(rows) == 36


def test_a_killed_write_in_a_cached_shard_is_handled(tmp_path: Path) -> None:
    root, cache = tmp_path / "history", tmp_path / "cache"
    rows = history(root)
    load_rollups(root, cache, systems=["t"])
    shard = root / "a" / "t" / "2026-11.csv"
    with shard.open("a") as f:
        f.write("2026-11-01T00:50:00Z,degr")  # a run killed mid-row
    assert load_rollups(root, cache, systems=["t"])["t"] == expected_for(rows, "t", 1)
    more = [row(65, "degraded", 400, system="t", location="a")]
    append_results(root, more)
    assert load_rollups(root, cache, systems=["t"])["t"] == expected_for(rows + more, "t", 1)
