"""Rounds: one outcome per probe time across locations, with a quorum for down (pure).

A *round* is one probe time. With several probe locations, a round is down only when at least
``quorum`` of the locations that reported saw it down (all of them, when fewer than ``quorum``
reported); otherwise the worst of the remaining outcomes counts. One location seeing a tool
down while others see it up is then recorded as the others saw it: the false-positive control
the quorum is for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from checks.results import Outcome, ProbeResult

__all__ = ["RANK", "Round", "combine_locations", "slot_start"]

RANK: dict[str, int] = {"up": 0, "degraded": 1, "down": 2}


@dataclass(frozen=True, slots=True)
class Round:
    time: datetime
    outcome: Outcome
    latest: ProbeResult  # the row that decided the outcome, for its detail and latency

    @property
    def response_ms(self) -> int | None:
        """How fast the tool answered (up or degraded), else None. A down round's latency is
        how long the probe waited (a refused connection fails within a millisecond), which is
        no response time: counting it would show a broken tool as the fastest."""
        return None if self.outcome == "down" else self.latest.latency_ms


def slot_start(moment: datetime, interval: timedelta) -> datetime:
    """The start of the schedule slot ``moment`` falls in (slots counted from the Unix epoch).

    Scheduled runs at different locations start seconds apart; recording each round at its
    slot's start lets the quorum compare the locations' votes on the same round.
    """
    step = int(interval.total_seconds())
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % step, tz=UTC)


def combine_locations(rows: Iterable[ProbeResult], *, quorum: int = 1) -> list[Round]:
    """One outcome per round time, oldest first, applying the location quorum."""
    rows = list(rows)
    if len({row.location for row in rows}) <= 1 and len({row.time for row in rows}) == len(rows):
        # The common case, one location and one row per round, needs no voting: the site
        # reads days of rows per system on every build, so this path is worth keeping fast.
        return [Round(r.time, r.outcome, r) for r in sorted(rows, key=lambda r: r.time)]
    by_time: dict[datetime, dict[str, ProbeResult]] = defaultdict(dict)
    for row in rows:
        # One vote per location: two overlapping runs at one location in the same second
        # must not count as two locations agreeing (the worst of its rows is its vote).
        votes = by_time[row.time]
        known = votes.get(row.location)
        if known is None or RANK[row.outcome] > RANK[known.outcome]:
            votes[row.location] = row
    rounds = []
    for time in sorted(by_time):
        seen = list(by_time[time].values())
        down = [r for r in seen if r.outcome == "down"]
        if down and len(down) >= min(quorum, len(seen)):
            rounds.append(Round(time, "down", down[0]))
            continue
        rest = [r for r in seen if r.outcome != "down"]
        worst = max(rest, key=lambda r: RANK[r.outcome])
        rounds.append(Round(time, worst.outcome, worst))
    return rounds
