"""What to tell operators, decided from probe rounds: a pure state machine per system.

No clock, no files, no network: ``evaluate`` takes each system's tracker (what was already
said), the rounds recorded since, the rules and ``now``, and returns the new trackers and the
alerts to send. ``checks.alert_state`` stores the trackers and calls this under a lock;
``checks.notify`` sends. The rules, each covered by a test:

- A *failed* round is one whose outcome is down, or degraded when the system alerts on
  degraded. A row whose error is ``tls-expiring`` is a certificate warning, not a failure.
- ``failure_threshold`` failed rounds in a row raise one alert (down, or degraded, as the
  latest of them was); moving between down and degraded for as many rounds raises one more.
- While failing, a reminder is sent every ``reminder`` since the last alert, at the next round.
- ``success_threshold`` healthy rounds in a row raise "recovered", carrying how long it
  lasted: from the first failed round to the first healthy one.
- Rounds inside a planned maintenance window of the system are not counted at all (when the
  system is quiet during maintenance): nothing is said about them.
- A certificate warning is said once, then every ``certificate_reminder``; a healthy round
  without the warning (the certificate was renewed) ends it.
- A gap between rounds longer than ``stopped_after`` means checks stopped: the next run says
  so. A run that finds no round for that long (``watchdog``) says so at once.
- The first time a system is seen, its recent rounds set its state silently and only its
  current trouble is said; an alert about a round older than ``MAX_ALERT_AGE`` is not sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from checks.results import Outcome, ProbeResult, format_time
from checks.rounds import combine_locations
from portal.models.alerts import PortalAlerts, SystemAlerts
from portal.models.catalog import Catalog
from portal.models.incidents import Incident, Maintenance

__all__ = [
    "LOOKBACK",
    "MAX_ALERT_AGE",
    "Alert",
    "AlertKind",
    "Evaluation",
    "RoundView",
    "Rules",
    "Setting",
    "Severity",
    "Tracker",
    "Watch",
    "alert_rounds",
    "announcements",
    "drill_alert",
    "evaluate",
    "format_duration",
    "rules_for",
    "setting_for",
    "watchdog",
]

AlertKind = Literal[
    "down",
    "degraded",
    "recovered",
    "reminder",
    "certificate",
    "checks-stopped",
    "checks-resumed",
    "test",
    "announce",
]
# apprise's notification types: chat services colour or label a message by them.
Severity = Literal["failure", "warning", "success", "info"]

# How far back a system seen for the first time is replayed (silently) to learn its state.
LOOKBACK = timedelta(days=7)
# An alert about a round older than this is stale news: recorded, never sent.
MAX_ALERT_AGE = timedelta(hours=6)


@dataclass(frozen=True)
class Rules:
    """One system's alert settings, defaults applied."""

    channels: tuple[str, ...]
    failure_threshold: int = 2
    success_threshold: int = 2
    reminder: timedelta | None = timedelta(hours=1)
    degraded: bool = True
    quiet_during_maintenance: bool = True
    certificate_reminder: timedelta | None = timedelta(hours=24)


def rules_for(portal: PortalAlerts, system: SystemAlerts) -> Rules:
    """The system's own setting where it has one, else the portal-wide default."""

    own = system.model_dump(exclude_none=True)
    merged = PortalAlerts.model_validate(portal.model_dump() | own)
    reminder, certificate = merged.reminder_minutes, merged.certificate_reminder_hours
    return Rules(
        channels=tuple(dict.fromkeys(merged.channels)),
        failure_threshold=merged.failure_threshold,
        success_threshold=merged.success_threshold,
        reminder=timedelta(minutes=reminder) if reminder else None,
        degraded=merged.degraded,
        quiet_during_maintenance=merged.quiet_during_maintenance,
        certificate_reminder=timedelta(hours=certificate) if certificate else None,
    )


@dataclass(frozen=True)
class Setting:
    """Everything about the portal that the decisions and the messages need."""

    portal_name: str
    site_url: str
    names: Mapping[str, str]  # system id -> display name
    rules: Mapping[str, Rules]
    portal_channels: tuple[str, ...]
    stopped_after: timedelta
    # system id -> planned maintenance windows [starts, ends)
    windows: Mapping[str, Sequence[tuple[datetime, datetime]]] = field(default_factory=dict)

    def status_url(self, system: str) -> str:
        return f"{self.site_url.rstrip('/')}/status/{system}/"

    def in_maintenance(self, system: str, moment: datetime) -> bool:
        return any(start <= moment < end for start, end in self.windows.get(system, ()))


def setting_for(catalog: Catalog, maintenance: Sequence[Maintenance] = ()) -> Setting:
    portal = catalog.portal
    stopped = portal.alerts.checks_stopped_after_minutes or portal.probes.stale_after_minutes
    return Setting(
        portal_name=portal.name,
        site_url=portal.site_url,
        names={s.id: s.name for s in catalog.systems.values()},
        rules={s.id: rules_for(portal.alerts, s.alerts) for s in catalog.systems.values()},
        portal_channels=tuple(dict.fromkeys(portal.alerts.channels)),
        stopped_after=timedelta(minutes=stopped),
        windows={
            s: [(m.starts, m.ends) for m in maintenance if s in m.systems] for s in catalog.systems
        },
    )


@dataclass(frozen=True)
class Alert:
    key: str  # idempotency key, unique per alert: kind, system and the round that decided it
    kind: AlertKind
    system: str | None  # None: about the whole portal
    at: datetime  # the round (or update) it is about
    title: str
    body: str
    severity: Severity
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Tracker:
    """What operators were told about one system, and the rounds counted since."""

    told: Outcome = "up"  # "up": nothing outstanding
    outage_start: datetime | None = None  # first failed round of the current outage
    worst: Outcome = "up"  # the worst state told during the current outage
    last_told: datetime | None = None  # the last alert or reminder about the outage
    fails: int = 0  # failed rounds in a row while told "up"
    fails_since: datetime | None = None
    oks: int = 0  # healthy rounds in a row while told down/degraded
    oks_since: datetime | None = None
    other: int = 0  # rounds in a row in the other failed state (down <-> degraded)
    certificate_told: datetime | None = None
    seen: datetime | None = None  # the newest round counted


@dataclass(frozen=True)
class Watch:
    """The portal-wide watch on the checks themselves."""

    last_round: datetime | None = None
    stopped_told: datetime | None = None  # last_round at the time "stopped" was said early


@dataclass(frozen=True)
class RoundView:
    """One round of one system as alerting sees it (locations combined)."""

    time: datetime
    outcome: Outcome
    detail: str
    certificate: str | None = None  # the tls-expiring detail, when a location reported it


@dataclass(frozen=True)
class Evaluation:
    trackers: dict[str, Tracker]
    watch: Watch
    alerts: list[Alert]  # to send, oldest first
    unsent: list[tuple[Alert, str]]  # decided but deliberately not sent, with the reason


def _when(moment: datetime) -> str:
    return f"{moment:%d %b %Y %H:%M} UTC"


def format_duration(span: timedelta) -> str:
    """``1 day 2 hours``, ``1 hour 5 minutes``, ``25 minutes``: at most two units."""
    minutes = max(0, round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{value} {unit}{'' if value == 1 else 's'}"
        for value, unit in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if value
    ]
    return " ".join(parts[:2]) if parts else "less than a minute"


def alert_rounds(
    rows: Iterable[ProbeResult], *, quorum: int = 1, locations: int = 1
) -> list[RoundView]:
    """Settled rounds of one system, oldest first.

    Locations are combined with the quorum. The newest round counts only once every probe
    location has reported it (or a newer round exists), so a location that runs a little
    later still gets its say in the quorum.
    """
    by_time: dict[datetime, list[ProbeResult]] = defaultdict(list)
    for row in rows:
        by_time[row.time].append(row)
    if not by_time:
        return []
    newest = max(by_time)
    if len({r.location for r in by_time[newest]}) < locations:
        del by_time[newest]
    views = []
    for time in sorted(by_time):
        seen = by_time[time]
        warning = next((r.detail for r in seen if r.error == "tls-expiring"), None)
        # A certificate warning is not a failure of the tool: count such a row as up.
        health = [replace(r, outcome="up") if r.error == "tls-expiring" else r for r in seen]
        (combined,) = combine_locations(health, quorum=quorum)
        views.append(RoundView(time, combined.outcome, combined.latest.detail, warning))
    return views


class _Decider:
    """Runs one system's rounds through its tracker, collecting alerts."""

    def __init__(self, system: str, setting: Setting, tracker: Tracker) -> None:
        self.system = system
        self.name = setting.names.get(system, system)
        self.setting = setting
        self.rules = setting.rules[system]
        self.t = tracker
        self.alerts: list[Alert] = []

    def _say(self, kind: AlertKind, at: datetime, title: str, body: str, sev: Severity) -> None:
        link = f"Status page: {self.setting.status_url(self.system)}"
        self.alerts.append(
            Alert(
                key=f"{kind}:{self.system}:{format_time(at)}",
                kind=kind,
                system=self.system,
                at=at,
                title=title,
                body=f"{body}\n{link}",
                severity=sev,
                channels=self.rules.channels,
            )
        )

    def _failing(self, state: Outcome, at: datetime, detail: str, rounds: int) -> None:
        since = self.t.outage_start or self.t.fails_since or at
        was = self.t.told
        if was == "up" and state == "down":
            opening = f"{self.name} has failed {rounds} checks in a row, since {_when(since)}."
        elif was == "up":
            opening = (
                f"{self.name} has been degraded (slow or partly failing) for {rounds} checks"
                f" in a row, since {_when(since)}."
            )
        else:
            opening = f"{self.name} was {was} and is now {state} (trouble began {_when(since)})."
        kind: AlertKind = "down" if state == "down" else "degraded"
        self._say(
            kind,
            at,
            f"{state.upper()}: {self.name}",
            f"{opening} Latest check: {detail or state}.",
            "failure" if state == "down" else "warning",
        )

    def round(self, view: RoundView) -> None:
        rules, t = self.rules, self.t
        self.t = replace(t, seen=view.time)
        if rules.quiet_during_maintenance and self.setting.in_maintenance(self.system, view.time):
            return
        self._certificate(view)
        t = self.t
        state: Outcome = view.outcome
        if state == "degraded" and not rules.degraded:
            state = "up"
        if t.told == "up":
            if state == "up":
                self.t = replace(t, fails=0, fails_since=None)
                return
            fails, since = t.fails + 1, t.fails_since or view.time
            if fails < rules.failure_threshold:
                self.t = replace(t, fails=fails, fails_since=since)
                return
            self.t = replace(t, fails=fails, fails_since=since)
            self._failing(state, view.time, view.detail, fails)
            self.t = replace(
                self.t,
                told=state,
                worst=state,
                outage_start=since,
                last_told=view.time,
                fails=0,
                fails_since=None,
                oks=0,
                oks_since=None,
                other=0,
            )
            return
        # Told down or degraded.
        if state == "up":
            oks, since = t.oks + 1, t.oks_since or view.time
            if oks < rules.success_threshold:
                self.t = replace(t, oks=oks, oks_since=since, other=0)
                return
            start = t.outage_start or since
            self._say(
                "recovered",
                view.time,
                f"RECOVERED: {self.name}",
                f"{self.name} is working again: it was {t.worst} for "
                f"{format_duration(since - start)}, from {_when(start)} until {_when(since)}.",
                "success",
            )
            self.t = replace(Tracker(), certificate_told=t.certificate_told, seen=view.time)
            return
        t = replace(t, oks=0, oks_since=None)
        if state != t.told:
            other = t.other + 1
            if other >= rules.failure_threshold:
                self.t = t
                self._failing(state, view.time, view.detail, other)
                worst: Outcome = "down" if "down" in (t.worst, state) else "degraded"
                self.t = replace(t, told=state, worst=worst, last_told=view.time, other=0)
                return
            t = replace(t, other=other)
        else:
            t = replace(t, other=0)
        self.t = t
        if rules.reminder and t.last_told and view.time - t.last_told >= rules.reminder:
            start = t.outage_start or view.time
            self._say(
                "reminder",
                view.time,
                f"STILL {t.told.upper()}: {self.name}",
                f"{self.name} has been {t.told} for {format_duration(view.time - start)}, since "
                f"{_when(start)}. Latest check: {view.detail or state}.",
                "failure" if t.told == "down" else "warning",
            )
            self.t = replace(t, last_told=view.time)

    def _certificate(self, view: RoundView) -> None:
        t, every = self.t, self.rules.certificate_reminder
        if view.certificate is None:
            if view.outcome == "up" and t.certificate_told is not None:
                self.t = replace(t, certificate_told=None)  # renewed
            return
        told = t.certificate_told
        if told is not None and (every is None or view.time - told < every):
            return
        self._say(
            "certificate",
            view.time,
            f"CERTIFICATE EXPIRING: {self.name}",
            f"{self.name}: {view.certificate}. Renew the certificate before it expires, or "
            "members will see a security warning instead of the tool.",
            "warning",
        )
        self.t = replace(self.t, certificate_told=view.time)


def _first_run_alerts(decider: _Decider) -> list[Alert]:
    """For a newly seen system, only its trouble now: the latest outage and certificate alerts."""
    keep = []
    if decider.t.told != "up":
        outage = [a for a in decider.alerts if a.kind in ("down", "degraded", "reminder")]
        keep += outage[-1:]
    if decider.t.certificate_told is not None:
        keep += [a for a in decider.alerts if a.kind == "certificate"][-1:]
    return keep


def _portal_alert(
    setting: Setting, kind: AlertKind, about: datetime, title: str, body: str, sev: Severity
) -> Alert:
    return Alert(
        key=f"{kind}:{format_time(about)}",
        kind=kind,
        system=None,
        at=about,
        title=f"{title}: {setting.portal_name}",
        body=body,
        severity=sev,
        channels=setting.portal_channels,
    )


def _gaps(watch: Watch, times: Iterable[datetime], setting: Setting) -> tuple[Watch, list[Alert]]:
    alerts = []
    limit = setting.stopped_after
    last, told = watch.last_round, watch.stopped_told
    for time in sorted(set(times)):
        if last is not None and time <= last:
            continue
        if last is not None and time - last > limit:
            gap = f"{format_duration(time - last)}, from {_when(last)} until {_when(time)}"
            if told == last:
                alerts.append(
                    _portal_alert(
                        setting,
                        "checks-resumed",
                        last,
                        "CHECKS RUNNING AGAIN",
                        f"Check rounds are running again after a gap of {gap}.",
                        "success",
                    )
                )
            else:
                alerts.append(
                    _portal_alert(
                        setting,
                        "checks-stopped",
                        last,
                        "CHECKS STOPPED",
                        f"No check round ran for {gap} (the limit is "
                        f"{format_duration(limit)}). They are running again now. Find out "
                        "why the schedule stopped: while checks do not run, nobody is told "
                        "when a tool breaks.",
                        "warning",
                    )
                )
        last = time
    return Watch(last, told if told == last else None), alerts


def watchdog(watch: Watch, setting: Setting, *, now: datetime) -> tuple[Watch, list[Alert]]:
    """Checks that have not run for longer than the limit, seen by a run that probes nothing."""
    last = watch.last_round
    if last is None or now - last <= setting.stopped_after or watch.stopped_told == last:
        return watch, []
    alert = _portal_alert(
        setting,
        "checks-stopped",
        last,
        "CHECKS STOPPED",
        f"No check round has run since {_when(last)}, {format_duration(now - last)} ago (the "
        f"limit is {format_duration(setting.stopped_after)}). While checks do not run, nobody "
        "is told when a tool breaks: look at the schedule.",
        "warning",
    )
    return replace(watch, stopped_told=last), [alert]


def evaluate(
    trackers: Mapping[str, Tracker],
    watch: Watch,
    rounds: Mapping[str, Sequence[RoundView]],
    setting: Setting,
    *,
    now: datetime,
) -> Evaluation:
    """Run every system's new rounds through its tracker; decide what to say."""
    # A system gone from the catalogue is forgotten with its tracker.
    new_trackers = {k: v for k, v in trackers.items() if k in setting.rules}
    alerts: list[Alert] = []
    unsent: list[tuple[Alert, str]] = []
    counted: list[datetime] = []
    for system in sorted(rounds):
        if system not in setting.rules:
            continue  # history of a system no longer in the catalogue
        known = system in trackers
        tracker = trackers.get(system, Tracker())
        start = tracker.seen if known else now - LOOKBACK
        fresh = [v for v in rounds[system] if start is None or v.time > start]
        if not fresh:
            continue
        decider = _Decider(system, setting, tracker)
        for view in fresh:
            decider.round(view)
        counted += [v.time for v in fresh]
        new_trackers[system] = decider.t
        said = decider.alerts if known else _first_run_alerts(decider)
        unsent += [
            (a, "first run: state learnt from history") for a in decider.alerts if a not in said
        ]
        alerts += said
    if watch.last_round is None:
        # The very first run: nothing to compare gaps with yet.
        watch = Watch(max(counted) if counted else None)
    else:
        watch, stopped = _gaps(watch, counted, setting)
        alerts += stopped
    watch, early = watchdog(watch, setting, now=now)
    alerts += early
    cutoff = now - MAX_ALERT_AGE
    unsent += [(a, "about a round older than 6 hours") for a in alerts if a.at < cutoff]
    alerts = [a for a in alerts if a.at >= cutoff]
    alerts.sort(key=lambda a: (a.at, a.system or "", a.kind))
    return Evaluation(new_trackers, watch, alerts, unsent)


def drill_alert(setting: Setting, system: str | None, *, now: datetime) -> Alert:
    """A clearly marked test message through a system's channels (or the portal's)."""
    name = setting.names.get(system, system) if system else setting.portal_name
    channels = setting.rules[system].channels if system else setting.portal_channels
    what = f"alerts for {name}" if system else f"portal-wide alerts of {setting.portal_name}"
    return Alert(
        key=f"test:{system or 'portal'}:{format_time(now)}",
        kind="test",
        system=system,
        at=now,
        title=f"TEST ALERT (nothing is wrong): {name}",
        body=(
            f"This is a test of {what}, sent on purpose with nox -s alert-test at {_when(now)}. "
            f"Nothing is wrong. If you can read this, {what} reach this channel."
        ),
        severity="info",
        channels=channels,
    )


def announcements(
    incidents: Sequence[Incident],
    *,
    posted: Mapping[str, Sequence[str]],
    setting: Setting,
    channels: tuple[str, ...],
    now: datetime,
    max_age: timedelta,
) -> tuple[list[Alert], list[Alert]]:
    """New written incident updates: (to post, too old to post). ``posted``: incident id ->
    the times (``format_time``) of its updates already handled."""
    fresh: list[Alert] = []
    old: list[Alert] = []
    for incident in incidents:
        done = set(posted.get(incident.id, ()))
        names = ", ".join(setting.names.get(s, s) for s in incident.systems)
        page = f"{setting.site_url.rstrip('/')}/status/incidents/{incident.id}/"
        for update in incident.updates:
            stamp = format_time(update.at)
            if stamp in done or update.at > now:
                continue
            alert = Alert(
                key=f"announce:{incident.id}:{stamp}",
                kind="announce",
                system=None,
                at=update.at,
                title=f"{update.state.capitalize()}: {incident.title}",
                body=f"{names}. {update.text}\nMore: {page}",
                severity="success" if update.state == "resolved" else "warning",
                channels=channels,
            )
            (fresh if now - update.at <= max_age else old).append(alert)
    fresh.sort(key=lambda a: (a.at, a.key))
    return fresh, old
