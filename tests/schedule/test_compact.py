"""Compaction: completed days become one archive each; no row and no figure changes."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from checks.__main__ import main
from checks.alert_state import recent_rows
from checks.compact import archive_path, compact, encode_archive, prune, seal
from checks.history import append_results, read_history, read_shard
from checks.results import HEADER, ProbeResult, to_row
from checks.rollups import load_rollups, recent_rounds
from portal.health import SystemHealth, system_health
from portal.history_data import SystemHistory, from_rows, load_histories
from tests.schedule.rows import make_rows

FIVE_MINUTES = timedelta(minutes=5)
START = datetime(2026, 9, 20, tzinfo=UTC)
SPAN_START = datetime(2026, 10, 20, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # 13.5 days of rounds from SPAN_START
LOCATIONS = ("github-actions", "gitlab")
SYSTEMS = ("dialogue", "login")


def _write_history(root: Path) -> int:
    count = int((NOW - SPAN_START) / FIVE_MINUTES)
    written = 0
    for shift, location in enumerate(LOCATIONS):
        for system in SYSTEMS:
            # Shifted patterns: the locations agree on some rounds being down and not others.
            rows = make_rows(
                system, location, SPAN_START, count, every=FIVE_MINUTES, offset=2 * shift
            )
            append_results(root, rows)
            written += len(rows)
    return written


def _health(histories: dict[str, SystemHistory]) -> dict[str, SystemHealth]:
    return {
        system: system_health(
            system,
            histories[system],
            now=NOW,
            interval=FIVE_MINUTES,
            stale_after=timedelta(minutes=30),
        )
        for system in SYSTEMS
    }


def _figures(root: Path, cache: Path, quorum: int) -> dict[str, SystemHealth]:
    """As the site computes them: cached daily rollups and the recent days' raw rounds."""
    return _health(load_histories(root, cache, systems=SYSTEMS, now=NOW, quorum=quorum))


def _figures_from_rows(rows: dict[str, list[ProbeResult]], quorum: int) -> dict[str, SystemHealth]:
    """From every row in memory: every day exact."""
    return _health({system: from_rows(rows[system], quorum=quorum) for system in SYSTEMS})


@pytest.mark.parametrize("quorum", [1, 2])
def test_compaction_keeps_every_row_and_every_uptime_figure(tmp_path: Path, quorum: int) -> None:
    root = tmp_path / "history"
    written = _write_history(root)
    before_rows = read_history(root)
    before = _figures(root, tmp_path / "cache-before", quorum)
    before_in_memory = _figures_from_rows(before_rows, quorum)
    assert sum(len(rows) for rows in before_rows.values()) == written
    # The figures are not trivially empty: every outcome is counted somewhere.
    ninety = before_in_memory["dialogue"].figure("90 days").tally
    assert ninety.up and ninety.degraded and ninety.down

    for location in LOCATIONS:
        compact(root, location=location, before=NOW.date())

    # Compaction happened: every completed day per system and location is archived, and the
    # raw shards hold only today's rows.
    archives = sorted(root.glob("*/*/*/*.csv.gz"))
    assert len(archives) == len(LOCATIONS) * len(SYSTEMS) * (NOW.date() - SPAN_START.date()).days
    raw = sorted(root.glob("*/*/*.csv"))
    for path in raw:
        location, system = path.parent.parent.name, path.parent.name
        assert {r.time.date() for r in read_shard(path, system=system, location=location).rows} <= {
            NOW.date()
        }

    after_rows = read_history(root)
    assert after_rows == before_rows
    # The site's way (the cache built before compaction sees its files change, and a fresh
    # cache), and from every row in memory: each gives the same figures as before.
    comparisons = [
        (_figures(root, tmp_path / "cache-before", quorum), before),
        (_figures(root, tmp_path / "cache-after", quorum), before),
        (_figures_from_rows(after_rows, quorum), before_in_memory),
    ]
    for after, expected in comparisons:
        for system in SYSTEMS:
            assert after[system].figures == expected[system].figures
            assert after[system].days == expected[system].days
            assert after[system] == expected[system]


def test_archive_is_deterministic_and_plain_gzip(tmp_path: Path) -> None:
    rows = make_rows("login", "gitlab", START, 12, every=FIVE_MINUTES)
    lines = [to_row(r) for r in rows]
    first = encode_archive(set(lines))
    again = encode_archive(set(reversed(lines)))
    assert first == again
    # Any gzip tool reads it: the header, then the rows in time order, exactly as written.
    assert gzip.decompress(first).decode() == HEADER + "\n" + "".join(lines)
    assert first[4:8] == b"\0\0\0\0"  # mtime 0: the same rows give the same bytes on any day


def test_partial_line_is_never_sealed_and_pruning_drops_it(tmp_path: Path) -> None:
    root = tmp_path / "history"
    rows = make_rows("events", "gitlab", START, 3, every=FIVE_MINUTES)
    append_results(root, rows)
    shard = root / "gitlab" / "events" / "2026-09.csv"
    with shard.open("a") as out:
        out.write("2026-09-20T00:15:00Z,up,1")  # a run killed mid-write
    report = seal(root, location="gitlab", before=date(2026, 9, 21))
    assert report.sealed == 3
    archive = archive_path(root, "gitlab", "events", date(2026, 9, 20))
    assert read_shard(archive, system="events", location="gitlab").rows == rows
    pruned = prune(root, location="gitlab", before=date(2026, 9, 21))
    assert (pruned.pruned, pruned.dropped) == (3, 1)
    # This month's shard stays, empty, for the next append (which starts it with the header);
    # the rows are all in the archive.
    assert shard.read_bytes() == b""
    assert read_history(root) == {"events": rows}
    later = make_rows("events", "gitlab", START + timedelta(days=1), 1, every=FIVE_MINUTES)
    append_results(root, later)
    assert shard.read_text() == HEADER + "\n" + to_row(later[0])
    # Once its month is over, an emptied shard is deleted.
    compact(root, location="gitlab", before=date(2026, 10, 1))
    assert not shard.exists()
    assert read_history(root) == {"events": rows + later}


def test_rows_sealed_but_not_yet_pruned_are_read_once(tmp_path: Path) -> None:
    root = tmp_path / "history"
    rows = make_rows("events", "gitlab", START, 30, every=FIVE_MINUTES)
    append_results(root, rows)
    seal(root, location="gitlab", before=date(2026, 9, 21))
    assert read_history(root) == {"events": rows}


def test_a_late_row_joins_its_sealed_day(tmp_path: Path) -> None:
    root = tmp_path / "history"
    rows = make_rows("events", "gitlab", START, 10, every=FIVE_MINUTES)
    append_results(root, rows[:6])
    compact(root, location="gitlab", before=date(2026, 9, 21))
    append_results(root, rows[6:])  # an overlapping run wrote after the day was sealed
    report = compact(root, location="gitlab", before=date(2026, 9, 21))
    assert (report.sealed, report.pruned) == (4, 4)
    archive = archive_path(root, "gitlab", "events", date(2026, 9, 20))
    assert report.archives == (archive,)
    assert read_shard(archive, system="events", location="gitlab").rows == rows
    # Sealing again changes nothing: the archive's bytes are the same.
    unchanged = archive.read_bytes()
    assert compact(root, location="gitlab", before=date(2026, 9, 21)).archives == ()
    assert archive.read_bytes() == unchanged


def test_compact_touches_only_its_own_location(tmp_path: Path) -> None:
    root = tmp_path / "history"
    for location in LOCATIONS:
        append_results(root, make_rows("events", location, START, 5, every=FIVE_MINUTES))
    other = root / "github-actions" / "events" / "2026-09.csv"
    untouched = other.read_bytes()
    compact(root, location="gitlab", before=date(2026, 9, 21))
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.csv*")) == [
        "github-actions/events/2026-09.csv",
        "gitlab/events/2026-09.csv",
        "gitlab/events/2026-09/2026-09-20.csv.gz",
    ]
    assert other.read_bytes() == untouched
    assert (root / "gitlab" / "events" / "2026-09.csv").read_bytes() == b""


def test_cli_compact_refuses_an_unknown_location(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(content_copy), "compact", "--location", "laptop"])
    assert code == 2
    assert capsys.readouterr().err == (
        "configuration: location 'laptop' is not in probes.locations of catalog/portal.yml"
        " (github-actions); add it there first\n"
    )


def test_cli_compact_keeps_days_raw_when_asked(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = content_copy / "data" / "history"
    append_results(
        history, make_rows("events", "github-actions", START, 3 * 288, every=FIVE_MINUTES)
    )
    code = main(
        [
            "--root",
            str(content_copy),
            "compact",
            "--history",
            str(history),
            "--today",
            "2026-09-23",
            "--keep-days",
            "1",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "compact github-actions: 576 rows sealed into 2 archives, 576 raw rows pruned,"
        " 0 partial or damaged lines dropped (days before 2026-09-22)\n"
    )


def test_rollups_and_recent_rows_read_sealed_days_too(tmp_path: Path) -> None:
    """Every reader of history sees the same rows, rounds and rollups after compaction."""
    root = tmp_path / "history"
    start = NOW - timedelta(days=3)
    for shift, location in enumerate(LOCATIONS):
        append_results(
            root, make_rows("login", location, start, 864, every=FIVE_MINUTES, offset=2 * shift)
        )
    since = NOW - timedelta(days=2)

    def readings(cache: Path) -> tuple[object, ...]:
        return (
            load_rollups(root, cache, systems=["login"], quorum=2),
            recent_rounds(root, "login", since, quorum=2),
            recent_rows(root, since=since, systems=["login"]),
        )

    before = readings(tmp_path / "cache-before")
    for location in LOCATIONS:
        compact(root, location=location, before=NOW.date())
    assert list(root.glob("*/login/*/*.csv.gz"))  # sealed days exist
    # A cache built before compaction notices its shards changed; a fresh one agrees.
    assert readings(tmp_path / "cache-before") == before
    assert readings(tmp_path / "cache-after") == before
