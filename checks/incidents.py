"""Incidents detected from history: runs of rounds that were not up (pure).

An incident starts at the first round that was not up (down, or degraded when those count) and
ends at the first round of the recovery, a run of ``recovery_rounds`` up rounds in a row. Until
then it is ongoing (``end`` is None). Short blips are noise, not incidents: one is kept only when
it has at least ``min_rounds`` failing rounds and lasted at least ``min_duration``. A gap in the
data does not end an incident: nothing is known about the gap, so nothing is claimed about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checks.results import Outcome
from checks.rounds import RANK, Round

__all__ = ["DetectedIncident", "detect_incidents"]


@dataclass(frozen=True, slots=True)
class DetectedIncident:
    system: str
    start: datetime  # the first failing round
    end: datetime | None  # the first round of the recovery; None while still ongoing
    worst: Outcome  # "down" or "degraded"
    rounds: int  # failing rounds within it
    detail: str  # the reason recorded at the first round with the worst outcome

    @property
    def ongoing(self) -> bool:
        return self.end is None


@dataclass
class _Open:
    start: Round
    last_failing: Round
    worst: Round
    failing: int = 1
    ups: int = 0
    end: datetime | None = None


def detect_incidents(
    system: str,
    rounds: Sequence[Round],
    *,
    min_rounds: int = 2,
    min_duration: timedelta = timedelta(0),
    recovery_rounds: int = 1,
    include_degraded: bool = True,
) -> list[DetectedIncident]:
    """Incidents in ``rounds`` (oldest first), oldest first."""
    if min_rounds < 1 or recovery_rounds < 1:
        raise ValueError("min_rounds and recovery_rounds must be at least 1")
    failing = {"down", "degraded"} if include_degraded else {"down"}
    found: list[DetectedIncident] = []
    current: _Open | None = None

    def close(incident: _Open, end: datetime | None) -> None:
        lasted = incident.last_failing.time - incident.start.time
        if incident.failing >= min_rounds and lasted >= min_duration:
            found.append(
                DetectedIncident(
                    system=system,
                    start=incident.start.time,
                    end=end,
                    worst=incident.worst.outcome,
                    rounds=incident.failing,
                    detail=incident.worst.latest.detail,
                )
            )

    for one in sorted(rounds, key=lambda r: r.time):
        if one.outcome in failing:
            if current is None:
                current = _Open(start=one, last_failing=one, worst=one)
                continue
            current.failing += 1
            current.last_failing = one
            current.ups = 0
            current.end = None
            if RANK[one.outcome] > RANK[current.worst.outcome]:
                current.worst = one
        elif current is not None:
            current.ups += 1
            if current.ups == 1:
                current.end = one.time
            if current.ups >= recovery_rounds:
                close(current, current.end)
                current = None
    if current is not None:
        close(current, None)
    return found
