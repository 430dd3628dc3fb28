"""The fast path (cached rollups + recent raw rounds) gives the same figures as judging every
raw row, including a maintenance window older than the recent days and an incident window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from checks.history import append_results
from checks.results import ProbeResult
from portal.content import load_content
from portal.context import build_context, build_context_from
from portal.generate import exact_windows
from portal.history_data import RECENT_DAYS, load_histories

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=20)
MAINTENANCE = (NOW - timedelta(days=15, hours=3), NOW - timedelta(days=15, hours=1))
INCIDENT = (NOW - timedelta(days=12, hours=6), NOW - timedelta(days=12, hours=5))


def outcome(system: str, moment: datetime) -> str:
    """Down inside the maintenance window (dialogue), the incident (chatter) and the last hour
    (chatter); degraded every day at noon; up otherwise."""
    if system == "dialogue" and MAINTENANCE[0] <= moment < MAINTENANCE[1]:
        return "down"
    if system == "chatter" and (
        INCIDENT[0] <= moment < INCIDENT[1] or moment > NOW - timedelta(hours=1)
    ):
        return "down"
    return "degraded" if moment.hour == 12 and moment.minute == 0 else "up"


def write_history(root: Path) -> dict[str, list[ProbeResult]]:
    rows: dict[str, list[ProbeResult]] = {"dialogue": [], "chatter": []}
    moment = START
    while moment <= NOW:
        for system in rows:
            state = outcome(system, moment)
            rows[system].append(
                ProbeResult(
                    time=moment,
                    system=system,
                    location="test",
                    outcome=state,  # type: ignore[arg-type]
                    latency_ms=None if state == "down" else 100 + moment.minute,
                )
            )
        moment += timedelta(minutes=5)
    append_results(root / "history", [r for system_rows in rows.values() for r in system_rows])
    return rows


def add_windows(root: Path) -> None:
    (root / "maintenance").mkdir(exist_ok=True)
    (root / "maintenance" / "dialogue-upgrade.yml").write_text(
        "id: dialogue-upgrade\ntitle: Dialogue upgrade\nsystems: [dialogue]\n"
        f"starts: {MAINTENANCE[0]:%Y-%m-%dT%H:%M:%SZ}\nends: {MAINTENANCE[1]:%Y-%m-%dT%H:%M:%SZ}\n"
        "description: Upgrading the servers.\n"
    )
    (root / "incidents").mkdir(exist_ok=True)
    (root / "incidents" / "chatter-outage.md").write_text(
        "---\nid: chatter-outage\ntitle: Chatter outage\nsystems: [chatter]\nseverity: major\n"
        f"started: {INCIDENT[0]:%Y-%m-%dT%H:%M:%SZ}\nresolved: {INCIDENT[1]:%Y-%m-%dT%H:%M:%SZ}\n"
        "updates:\n"
        f"  - at: {INCIDENT[1]:%Y-%m-%dT%H:%M:%SZ}\n    state: resolved\n    text: Fixed.\n---\n"
    )


def test_rollups_and_recent_rounds_match_every_raw_row(content_copy: Path) -> None:
    add_windows(content_copy)
    rows = write_history(content_copy)
    content = load_content(content_copy, today=NOW.date())
    histories = load_histories(
        content_copy / "history",
        content_copy / "cache",
        systems=sorted(content.catalog.systems),
        now=NOW,
        windows=exact_windows(content),
    )
    fast = build_context_from(content, histories, now=NOW)
    slow = build_context(content, rows, now=NOW)
    assert fast.statuses == slow.statuses
    # The maintenance window is older than the recent days: its day was read raw, so its
    # failures count as maintenance, not downtime.
    assert MAINTENANCE[0].date() < NOW.date() - timedelta(days=RECENT_DAYS)
    day = next(d for d in fast.statuses["dialogue"].days if d.day == MAINTENANCE[0].date())
    assert (day.tally.down, day.tally.maintenance) == (0, 24)
    # Only the recent days and the two windows' days hold raw rounds.
    assert len(histories["dialogue"].exact_days) == RECENT_DAYS + 1
    # A second load reuses the cache and gives the same view.
    again = load_histories(
        content_copy / "history",
        content_copy / "cache",
        systems=sorted(content.catalog.systems),
        now=NOW,
        windows=exact_windows(content),
    )
    assert again == histories
