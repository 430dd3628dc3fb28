"""Outages the checks measured, for the status pages, feeds and API (pure).

Measured, not reported: no person wrote these, and every place that shows one says so. They
are ``checks.incidents.detect_incidents`` run over each tool's unbroken run of raw rounds that
ends now (today and yesterday, reaching back further while an outage that began earlier is
still going: see ``load_histories``). Failed rounds inside planned maintenance are left out:
they are maintenance, not downtime, as in every uptime figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from checks.incidents import detect_incidents
from portal.history_data import RECENT_DAYS, SystemHistory
from portal.render import format_minutes, format_when
from portal.uptime import MaintenanceWindow, bucket_for

__all__ = ["OUTAGE_DAYS", "MeasuredOutage", "measured_outages"]

# Outages are listed while ongoing or for the days whose every round each build reads (today
# and yesterday); older ones show in the daily bars and their day-by-day text.
OUTAGE_DAYS = RECENT_DAYS


@dataclass(frozen=True, slots=True)
class MeasuredOutage:
    system: str
    name: str  # the tool's name
    start: datetime  # the first failed check
    end: datetime | None  # the first check that passed again; None while still failing
    worst: str  # "down" or "degraded"
    failed_checks: int
    detail: str  # the reason recorded at the worst check
    as_of: datetime  # when the site was built: how long an ongoing outage has lasted so far

    @property
    def anchor(self) -> str:
        """Its id on the tool's status page, stable from build to build."""
        return f"outage-{self.start:%Y%m%dT%H%MZ}"

    @property
    def minutes(self) -> int:
        return int(((self.end or self.as_of) - self.start).total_seconds() // 60)

    @property
    def what(self) -> str:
        return "down" if self.worst == "down" else "degraded"

    def sentence(self) -> str:
        """One plain-text account, marked as measured, for feeds and the incident history."""
        reason = f" ({self.detail})" if self.detail else ""
        if self.end is None:
            told = (
                f"{self.name} has been {self.what} since {format_when(self.start)}, ongoing at "
                f"{format_when(self.as_of)} ({format_minutes(self.minutes)} so far)"
            )
        else:
            told = (
                f"{self.name} was {self.what} from {format_when(self.start)} to "
                f"{format_when(self.end)} ({format_minutes(self.minutes)})"
            )
        return (
            f"Measured by our checks, not written by a person: {told}; "
            f"{self.failed_checks} failed checks in a row{reason}."
        )


def measured_outages(
    system: str,
    name: str,
    history: SystemHistory,
    *,
    now: datetime,
    windows: Sequence[MaintenanceWindow] = (),
) -> tuple[MeasuredOutage, ...]:
    """Outages still going, or over since the start of the first listed day; newest first."""
    since = datetime.combine(now.date() - timedelta(days=OUTAGE_DAYS - 1), time(0), tzinfo=UTC)
    start = history.outage_from
    rounds = [
        r
        for r in history.rounds
        if r.time <= now
        and (start is None or r.time >= start)
        and bucket_for(r.outcome, r.time, windows) != "maintenance"
    ]
    return tuple(
        MeasuredOutage(
            system=system,
            name=name,
            start=found.start,
            end=found.end,
            worst=found.worst,
            failed_checks=found.rounds,
            detail=found.detail,
            as_of=now,
        )
        for found in reversed(detect_incidents(system, rounds))
        if found.end is None or found.end >= since
    )
