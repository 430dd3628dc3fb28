"""The only writer of alert state (``data/alerts/``): what was said, what is still to send.

Files, committed next to the history so a run on any machine knows what was already said:

- ``state.json``: each system's tracker, the watch on the checks, the outbox of alerts decided
  but not yet delivered to every channel, and the incident updates already announced.
  Rewritten whole, atomically: a temporary file in the same folder, fsync, rename.
- ``log-YYYY-MM.jsonl``: one line per alert once its fate is final (sent, failed, or
  deliberately not sent, and why). Appended, never rewritten.
- ``.lock`` (not committed): every run holds an exclusive ``flock`` on it from reading the
  state until the last delivery is recorded. Deciding, sending and recording therefore happen
  as one step, and two overlapping runs send each alert once: the second waits, then finds
  the first one's decisions already made and its cursor moved on.

Order inside the lock: decide, record the decisions in the outbox, then send, recording each
alert as it completes. A run killed mid-send leaves the alert in the outbox, and the next run
sends it (to the channels not yet done); a failed channel is retried by later runs until the
alert is older than ``MAX_ALERT_AGE``.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from checks.alerts import (
    LOOKBACK,
    MAX_ALERT_AGE,
    Alert,
    Tracker,
    Watch,
    alert_rounds,
    announcements,
    evaluate,
    setting_for,
)
from checks.history import list_shards
from checks.notify import Delivery, deliver
from checks.results import ProbeResult, format_time, parse_time
from portal.models.catalog import Catalog
from portal.models.incidents import Incident, Maintenance

__all__ = [
    "SCHEMA",
    "AlertRun",
    "Pending",
    "Stored",
    "exclusive",
    "load_state",
    "process_alerts",
    "process_announcements",
    "read_log",
    "recent_rows",
    "save_state",
]

SCHEMA = 1
STATE_FILE = "state.json"
LOCK_FILE = ".lock"

Notice = Callable[[str], None]


@dataclass(frozen=True)
class Pending:
    """An alert in the outbox: each channel's status so far ("pending" until final)."""

    alert: Alert
    channels: dict[str, str]  # channel -> pending | sent | failed | unset | invalid
    reasons: dict[str, str] = field(default_factory=dict)
    attempts: int = 0

    @property
    def done(self) -> bool:
        return all(status != "pending" for status in self.channels.values())


@dataclass(frozen=True)
class Stored:
    trackers: dict[str, Tracker] = field(default_factory=dict)
    watch: Watch = field(default_factory=Watch)
    outbox: tuple[Pending, ...] = ()
    announced: dict[str, list[str]] | None = None  # None: announcing never ran


@dataclass
class AlertRun:
    """What one run decided and delivered, for the command line to report."""

    decided: list[Alert] = field(default_factory=list)
    deliveries: list[tuple[Alert, Delivery]] = field(default_factory=list)
    unsent: list[tuple[Alert, str]] = field(default_factory=list)
    baseline: int = 0  # announce: updates marked as already posted on the first run

    @property
    def failed(self) -> list[tuple[Alert, Delivery]]:
        return [(a, d) for a, d in self.deliveries if d.status != "sent"]


# --- JSON form ---------------------------------------------------------------------------


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_time(value)


def _parse(value: Any) -> Any:
    return parse_time(value) if isinstance(value, str) else value


def _tracker_json(tracker: Tracker) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(tracker):
        value = getattr(tracker, f.name)
        out[f.name] = _time(value) if isinstance(value, datetime) else value
    return out


_TIME_FIELDS = {f.name for f in fields(Tracker)} - {"told", "worst", "fails", "oks", "other"}


def _tracker(data: Mapping[str, Any]) -> Tracker:
    known = {f.name for f in fields(Tracker)}
    return Tracker(
        **{k: (_parse(v) if k in _TIME_FIELDS else v) for k, v in data.items() if k in known}
    )


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "key": alert.key,
        "kind": alert.kind,
        "system": alert.system,
        "at": format_time(alert.at),
        "title": alert.title,
        "body": alert.body,
        "severity": alert.severity,
        "channels": list(alert.channels),
    }


def _alert(data: Mapping[str, Any]) -> Alert:
    return Alert(
        key=data["key"],
        kind=data["kind"],
        system=data["system"],
        at=parse_time(data["at"]),
        title=data["title"],
        body=data["body"],
        severity=data["severity"],
        channels=tuple(data["channels"]),
    )


def _state_json(stored: Stored) -> str:
    data = {
        "schema": SCHEMA,
        "watch": {
            "last_round": _time(stored.watch.last_round),
            "stopped_told": _time(stored.watch.stopped_told),
        },
        "systems": {k: _tracker_json(v) for k, v in sorted(stored.trackers.items())},
        "outbox": [
            {
                "alert": _alert_json(p.alert),
                "channels": p.channels,
                "reasons": p.reasons,
                "attempts": p.attempts,
            }
            for p in stored.outbox
        ],
        "announced": stored.announced,
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def load_state(folder: Path) -> Stored:
    """The stored state; an empty one if there is none yet."""
    path = folder / STATE_FILE
    if not path.exists():
        return Stored()
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: alert state schema {data.get('schema')!r}, expected {SCHEMA}")
    watch = data.get("watch") or {}
    return Stored(
        trackers={k: _tracker(v) for k, v in (data.get("systems") or {}).items()},
        watch=Watch(_parse(watch.get("last_round")), _parse(watch.get("stopped_told"))),
        outbox=tuple(
            Pending(_alert(p["alert"]), dict(p["channels"]), dict(p["reasons"]), p["attempts"])
            for p in data.get("outbox") or []
        ),
        announced=data.get("announced"),
    )


def save_state(folder: Path, stored: Stored) -> None:
    """Replace ``state.json`` atomically: readers see the old file or the new, never half."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".state-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_state_json(stored))
            out.flush()
            os.fsync(out.fileno())
        Path(temp).replace(folder / STATE_FILE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def _log(folder: Path, now: datetime, entries: Sequence[dict[str, Any]]) -> None:
    if not entries:
        return
    lines = "".join(json.dumps(e, sort_keys=True) + "\n" for e in entries).encode()
    fd = os.open(folder / f"log-{now:%Y-%m}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, lines)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(folder: Path) -> list[dict[str, Any]]:
    """Every complete line of every log file, oldest file first."""
    entries = []
    for path in sorted(folder.glob("log-*.jsonl")):
        text = path.read_text(encoding="utf-8")
        complete = text[: text.rfind("\n") + 1]  # a killed run's partial line is not a record
        entries += [json.loads(line) for line in complete.splitlines() if line]
    return entries


def _entry(
    alert: Alert, now: datetime, channels: Mapping[str, str], note: str = ""
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": alert.key,
        "kind": alert.kind,
        "system": alert.system,
        "about": format_time(alert.at),
        "logged": format_time(now),
        "title": alert.title,
        "channels": dict(channels),
    }
    if note:
        entry["note"] = note
    return entry


# --- locking ---------------------------------------------------------------------------


@contextmanager
def exclusive(folder: Path, *, on_wait: Notice | None = None) -> Iterator[None]:
    """Hold the alert lock; say so (``on_wait``) if another run has it and we must wait."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"another run holds the alert lock {folder / LOCK_FILE}; waiting for it")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# --- history -----------------------------------------------------------------------------


def recent_rows(
    history: Path, *, since: datetime, systems: Sequence[str]
) -> dict[str, list[ProbeResult]]:
    """Rows newer than ``since`` for ``systems``, every location; only recent shards are read."""
    first_month = f"{since:%Y-%m}"
    rows: dict[str, list[ProbeResult]] = defaultdict(list)
    if not history.is_dir():
        return {}
    for shard in list_shards(history, systems=systems):  # raw shards and sealed days
        if shard.month < first_month:
            continue
        rows[shard.system] += [r for r in shard.read().rows if r.time > since]
    for found in rows.values():
        found.sort(key=lambda r: (r.time, r.location))
    return dict(rows)


# --- the runs ----------------------------------------------------------------------------


def _queue(stored: Stored, alerts: Sequence[Alert]) -> Stored:
    queued = {p.alert.key for p in stored.outbox}
    new = tuple(
        Pending(a, {c: "pending" for c in a.channels}) for a in alerts if a.key not in queued
    )
    return replace(stored, outbox=stored.outbox + new)


def _drain(
    folder: Path, stored: Stored, run: AlertRun, *, env: Mapping[str, str], now: datetime
) -> Stored:
    """Send every pending alert; record each as it completes."""
    outbox: list[Pending | None] = list(stored.outbox)
    for index, pending in enumerate(stored.outbox):
        channels, reasons = dict(pending.channels), dict(pending.reasons)
        for channel, status in pending.channels.items():
            if status != "pending":
                continue
            delivery = deliver(pending.alert, channel, env=env)
            run.deliveries.append((pending.alert, delivery))
            # A failed channel is tried again by the next run, until the news is stale.
            if delivery.final or now - pending.alert.at > MAX_ALERT_AGE:
                channels[channel] = delivery.status
            reasons[channel] = delivery.reason
        updated = Pending(pending.alert, channels, reasons, pending.attempts + 1)
        outbox[index] = None if updated.done else updated
        if updated.done:
            note = "" if channels else "no channel configured"
            _log(folder, now, [_entry(updated.alert, now, channels, note)])
        stored = replace(stored, outbox=tuple(p for p in outbox if p is not None))
        save_state(folder, stored)
    return stored


def process_alerts(
    *,
    catalog: Catalog,
    maintenance: Sequence[Maintenance],
    history: Path,
    state: Path,
    now: datetime,
    env: Mapping[str, str] | None = None,
    on_wait: Notice | None = None,
) -> AlertRun:
    """Decide what the rounds recorded since the last run mean, send it, record it."""
    environment = os.environ if env is None else env
    setting = setting_for(catalog, maintenance)
    probes = catalog.portal.probes
    run = AlertRun()
    with exclusive(state, on_wait=on_wait):
        stored = load_state(state)
        starts = [
            stored.trackers[s].seen if s in stored.trackers else None for s in catalog.systems
        ]
        oldest = now - LOOKBACK
        since = max(min((s or oldest for s in starts), default=oldest), oldest)
        rows = recent_rows(history, since=since, systems=sorted(catalog.systems))
        rounds = {
            system: alert_rounds(found, quorum=probes.quorum, locations=len(probes.locations))
            for system, found in rows.items()
        }
        result = evaluate(stored.trackers, stored.watch, rounds, setting, now=now)
        run.decided, run.unsent = result.alerts, result.unsent
        stored = replace(stored, trackers=result.trackers, watch=result.watch)
        stored = _queue(stored, result.alerts)
        save_state(state, stored)  # decisions are on record before anything is sent
        _log(state, now, [_entry(a, now, {}, f"not sent: {why}") for a, why in result.unsent])
        _drain(state, stored, run, env=environment, now=now)
    return run


def process_announcements(
    *,
    catalog: Catalog,
    incidents: Sequence[Incident],
    state: Path,
    now: datetime,
    env: Mapping[str, str] | None = None,
    on_wait: Notice | None = None,
) -> AlertRun:
    """Post each incident update not posted before to the announce channels.

    The first run only records the updates that already exist (a baseline), so turning this
    on does not repost the whole incident history.
    """
    environment = os.environ if env is None else env
    settings = catalog.portal.alerts.announce
    run = AlertRun()
    if not settings.channels:
        return run
    setting = setting_for(catalog)
    with exclusive(state, on_wait=on_wait):
        stored = load_state(state)
        posted = {k: list(v) for k, v in (stored.announced or {}).items()}
        fresh, old = announcements(
            incidents,
            posted=posted,
            setting=setting,
            channels=tuple(dict.fromkeys(settings.channels)),
            now=now,
            max_age=timedelta(hours=settings.max_age_hours),
        )
        for alert in [*fresh, *old]:
            incident = alert.key.split(":")[1]
            posted.setdefault(incident, []).append(format_time(alert.at))
        posted = {k: sorted(set(v)) for k, v in sorted(posted.items())}
        if stored.announced is None:
            run.baseline = len(fresh) + len(old)
            save_state(state, replace(stored, announced=posted))
            return run
        run.decided = fresh
        run.unsent = [(a, "posted longer ago than announce.max_age_hours") for a in old]
        stored = _queue(replace(stored, announced=posted), fresh)
        save_state(state, stored)
        _log(state, now, [_entry(a, now, {}, f"not sent: {why}") for a, why in run.unsent])
        _drain(state, stored, run, env=environment, now=now)
    return run
