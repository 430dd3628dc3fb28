"""What the site needs of each system's history: cached daily rollups for every day, and raw
rounds only where exactness matters (the recent days, maintenance windows, incident windows).

A year of 5-minute rounds for fifty systems is about five million rows; the site never scans
rows it has already rolled up. ``from_rows`` builds the same view from rows in memory (tests,
small histories); ``load_histories`` is the I/O edge that reads rollups and shards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from checks.results import ProbeResult
from checks.rollups import DailyRollup, load_rollups, recent_rounds, rollup_rounds
from checks.rounds import Round, combine_locations

__all__ = ["RECENT_DAYS", "SystemHistory", "from_rows", "load_histories"]

# Raw rounds are read for today and yesterday: the latest state, the 24-hour figure and the
# measured outages come from them; older days come from the cached rollups (and from raw
# rounds again wherever a maintenance window or a written incident needs them judged one by one).
RECENT_DAYS = 2


@dataclass(frozen=True)
class SystemHistory:
    rounds: tuple[Round, ...] = ()  # raw rounds, oldest first, for the days in exact_days
    exact_days: frozenset[date] = frozenset()  # days whose every round is in ``rounds``
    rollups: tuple[DailyRollup, ...] = ()  # every day with data, oldest first
    first: datetime | None = None  # the first round ever recorded
    # Where the unbroken run of raw rounds that ends now begins (None: ``rounds`` has no gaps
    # but the data's own). Outages are measured over it; older exact days are islands.
    outage_from: datetime | None = None
    by_day: dict[date, DailyRollup] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_day.update({r.day: r for r in self.rollups})

    def rounds_between(self, start: datetime, end: datetime) -> list[Round]:
        return [r for r in self.rounds if start <= r.time <= end]


def _days(start: datetime, end: datetime) -> set[date]:
    first, last = start.date(), end.date()
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def _last_day_with_up(rollups: Sequence[DailyRollup], *, before: date) -> datetime:
    """The start of the last day before ``before`` with an up round (else of the first day
    with data): an outage still going at ``before`` began after that day's last up round."""
    with_up = [r.day for r in rollups if r.day < before and r.up]
    day = with_up[-1] if with_up else (rollups[0].day if rollups else before)
    return datetime.combine(min(day, before), time(0), tzinfo=UTC)


def from_rows(rows: Sequence[ProbeResult], *, quorum: int = 1) -> SystemHistory:
    """Every round in memory: every day is exact."""
    rounds = combine_locations(rows, quorum=quorum)
    system = rows[0].system if rows else ""
    return SystemHistory(
        rounds=tuple(rounds),
        exact_days=frozenset(r.time.date() for r in rounds),
        rollups=tuple(rollup_rounds(system, rounds)),
        first=rounds[0].time if rounds else None,
    )


def load_histories(
    history_root: Path,
    cache_root: Path,
    *,
    systems: Iterable[str],
    now: datetime,
    quorum: int = 1,
    windows: dict[str, list[tuple[datetime, datetime]]] | None = None,
) -> dict[str, SystemHistory]:
    """Rollups for every day, raw rounds for the recent days and for each system's ``windows``
    (maintenance and incident periods, whose rounds must be judged one by one)."""
    wanted = list(systems)
    rollups = load_rollups(history_root, cache_root, systems=wanted, quorum=quorum)
    today = now.date()
    recent_start = datetime.combine(today - timedelta(days=RECENT_DAYS - 1), time(0), tzinfo=UTC)
    histories = {}
    for system in wanted:
        days = rollups.get(system, [])
        exact = _days(recent_start, now)
        rounds = recent_rounds(history_root, system, recent_start, quorum, until=now)
        outage_from = recent_start
        if rounds and rounds[0].outcome != "up":
            # Failing since before the recent days: read back to where it began, so the
            # outage is measured from its real start (and keeps its feed id from day to day).
            outage_from = _last_day_with_up(days, before=recent_start.date())
            if outage_from < recent_start:
                earlier = recent_start - timedelta(seconds=1)
                rounds = (
                    recent_rounds(history_root, system, outage_from, quorum, until=earlier) + rounds
                )
                exact |= _days(outage_from, earlier)
        # Older windows are read one by one, so an old maintenance window costs its own days.
        for start, end in (windows or {}).get(system, []):
            if start >= recent_start or start > now:
                continue
            day_start = datetime.combine(start.date(), time(0), tzinfo=UTC)
            day_end = min(datetime.combine(end.date(), time(23, 59, 59), tzinfo=UTC), now)
            span = _days(day_start, day_end) - exact
            if span:
                rounds += recent_rounds(history_root, system, day_start, quorum, until=day_end)
                exact |= span
        unique = {r.time: r for r in rounds if r.time.date() in exact}
        first = None
        if days:
            first_day = days[0].day
            candidates = [t for t in unique if t.date() == first_day]
            first = (
                min(candidates) if candidates else datetime.combine(first_day, time(0), tzinfo=UTC)
            )
        histories[system] = SystemHistory(
            rounds=tuple(unique[t] for t in sorted(unique)),
            exact_days=frozenset(exact),
            rollups=tuple(days),
            first=first,
            outage_from=outage_from,
        )
    return histories
