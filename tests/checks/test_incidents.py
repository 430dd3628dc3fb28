"""Incident detection, table-driven: rounds written as letters (u up, g degraded, d down), one
every five minutes from 09:00, and the incidents a person reading them would mark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from checks.incidents import DetectedIncident, detect_incidents
from checks.results import ProbeResult
from checks.rounds import Round

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
OUTCOME = {"u": "up", "g": "degraded", "d": "down"}


def at(index: int) -> datetime:
    return START + timedelta(minutes=5 * index)


def rounds(letters: str) -> list[Round]:
    made = []
    for i, letter in enumerate(letters):
        outcome = OUTCOME[letter]
        detail = f"{outcome} at {i}"
        result = ProbeResult(time=at(i), system="s", location="a", outcome=outcome, detail=detail)  # type: ignore[arg-type]
        made.append(Round(at(i), outcome, result))  # type: ignore[arg-type]
    return made


# letters, options, expected (start index, end index or None, worst, failing rounds)
CASES = [
    ("uuuuu", {}, []),
    ("uudduu", {}, [(2, 4, "down", 2)]),
    ("uuduu", {}, []),  # one failing round is noise with min_rounds=2
    ("uuduu", {"min_rounds": 1}, [(2, 3, "down", 1)]),
    ("ddd", {}, [(0, None, "down", 3)]),  # still failing at the last round: ongoing
    ("uud", {}, []),  # one failing round so far: not yet an incident
    ("uggdgu", {}, [(1, 5, "down", 4)]),  # worst of the run is down
    ("ugggu", {}, [(1, 4, "degraded", 3)]),
    ("ugggu", {"include_degraded": False}, []),
    ("ugdgu", {"include_degraded": False}, []),  # only one down round counts then
    ("udduuudddu", {}, [(1, 3, "down", 2), (6, 9, "down", 3)]),
    # Flapping: with recovery_rounds=2 a single up round does not end the incident.
    ("ududuuu", {}, []),
    ("ududuuu", {"recovery_rounds": 2}, [(1, 4, "down", 2)]),
    ("uddudduu", {"recovery_rounds": 2}, [(1, 6, "down", 4)]),
    # min_duration: first to last failing round must span it (4 rounds span 15 minutes).
    ("uddddu", {"min_duration": timedelta(minutes=15)}, [(1, 5, "down", 4)]),
    ("uddddu", {"min_duration": timedelta(minutes=20)}, []),
]


@pytest.mark.parametrize(("letters", "options", "expected"), CASES)
def test_incidents_from_rounds(
    letters: str, options: dict[str, Any], expected: list[tuple[int, int | None, str, int]]
) -> None:
    found = detect_incidents("s", rounds(letters), **options)
    assert [(i.start, i.end, i.worst, i.rounds) for i in found] == [
        (at(s), None if e is None else at(e), w, n) for s, e, w, n in expected
    ]


def test_an_incident_carries_the_reason_of_its_worst_round() -> None:
    (incident,) = detect_incidents("s", rounds("ugdgdu"))
    assert incident == DetectedIncident(
        system="s", start=at(1), end=at(5), worst="down", rounds=4, detail="down at 2"
    )
    assert not incident.ongoing
    (ongoing,) = detect_incidents("s", rounds("udd"))
    assert ongoing.ongoing


def test_order_of_input_does_not_matter() -> None:
    shuffled = list(reversed(rounds("uudduu")))
    assert [(i.start, i.end) for i in detect_incidents("s", shuffled)] == [(at(2), at(4))]


def test_thresholds_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        detect_incidents("s", [], min_rounds=0)
