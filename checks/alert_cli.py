"""The alert commands of ``python -m checks``: kept here so the CLI module stays thin.

- ``run`` (after each recorded round) and ``alerts``: decide and send operator alerts.
- ``alert-test [SYSTEM]``: a clearly marked test message through a system's channels.
- ``announce``: post new written incident updates to the organisation's own channels.

Output names channels by their environment variable, never by their value.
Exit codes: 0 done; 2 content or configuration wrong; 3 the alert state could not be read
or written; 4 an alert could not be delivered (it stays in the outbox and the next run tries
again).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from checks.alert_state import AlertRun, process_alerts, process_announcements
from checks.alerts import drill_alert, setting_for
from checks.notify import deliver
from portal.errors import ContentError
from portal.load import load_catalog
from portal.load_status import load_incidents, load_maintenance
from portal.models.catalog import Catalog
from portal.models.incidents import Maintenance

__all__ = ["add_commands", "add_run_options", "after_round"]

UNDELIVERED = 4
DEFAULT_STATE = Path("data/alerts")


def _now(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise SystemExit("--now needs a time zone, like 2026-11-28T10:05:00Z")
    return moment.astimezone(UTC)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _report(run: AlertRun, what: str) -> int:
    for alert, delivery in run.deliveries:
        reason = f" ({delivery.reason})" if delivery.reason else ""
        print(f"{what}: {alert.title} -> {delivery.channel}: {delivery.status}{reason}")
    for alert, why in run.unsent:
        print(f"{what}: {alert.title}: not sent, {why}")
    for alert in run.decided:
        if not alert.channels:
            print(f"{what}: {alert.title}: no channel configured, recorded only")
    sent = sum(1 for _, d in run.deliveries if d.status == "sent")
    print(
        f"{what}: {len(run.decided)} new, {sent} deliveries made, {len(run.failed)} failed"
        + (f", {run.baseline} existing updates recorded as already posted" if run.baseline else "")
    )
    return UNDELIVERED if run.failed else 0


def _maintenance(root: Path) -> tuple[list[Maintenance], int]:
    """Planned windows; if they cannot be read, alerts still go out (unquieted) and we say so."""
    try:
        windows, _ = load_maintenance(root)
    except ContentError as exc:
        _say(f"{exc}\nalerts: maintenance windows could not be read; alerts are not quieted")
        return [], 2
    return windows, 0


def _state(args: argparse.Namespace) -> Path:
    """The alert state lives beside the history it is about (data/alerts by data/history)."""
    chosen: Path | None = args.alerts
    return chosen if chosen is not None else Path(args.history).parent / "alerts"


def after_round(args: argparse.Namespace, catalog: Catalog, *, now: datetime | None = None) -> int:
    """The one call ``run`` makes after recording a round."""
    if args.no_alerts:
        return 0
    windows, code = _maintenance(args.root)
    try:
        run = process_alerts(
            catalog=catalog,
            maintenance=windows,
            history=args.history,
            state=_state(args),
            now=now or datetime.now(UTC),
            on_wait=_say,
        )
    except (OSError, ValueError) as exc:
        _say(f"alerts: the alert state under {_state(args)} could not be used: {exc}")
        return 3
    return max(code, _report(run, "alerts"))


def _cmd_alerts(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    return after_round(args, catalog, now=_now(args.now))


def _cmd_alert_test(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    system: str | None = args.system
    if system is not None and system not in catalog.systems:
        known = ", ".join(sorted(catalog.systems))
        _say(f'alert-test: no system "{system}"; known systems: {known}')
        return 2
    alert = drill_alert(setting_for(catalog), system, now=_now(args.now))
    if not alert.channels:
        where = f"catalog/{system}.yml" if system else "catalog/portal.yml"
        _say(f"alert-test: no channel configured; add alerts: channels: [...] to {where}")
        return 2
    failed = 0
    for channel in alert.channels:
        delivery = deliver(alert, channel, env=os.environ)
        reason = f" ({delivery.reason})" if delivery.reason else ""
        print(f"alert-test: {alert.title} -> {channel}: {delivery.status}{reason}")
        failed += delivery.status != "sent"
    return UNDELIVERED if failed else 0


def _cmd_announce(args: argparse.Namespace) -> int:
    catalog, _ = load_catalog(args.root)
    incidents, _ = load_incidents(args.root)
    if not catalog.portal.alerts.announce.channels:
        print("announce: no channel configured (alerts.announce.channels in portal.yml)")
        return 0
    run = process_announcements(
        catalog=catalog, incidents=incidents, state=args.alerts, now=_now(args.now), on_wait=_say
    )
    return _report(run, "announce")


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alerts",
        type=Path,
        default=None,
        help="alert state folder (default: 'alerts' beside the history folder, data/alerts)",
    )
    parser.add_argument(
        "--no-alerts", action="store_true", help="record the round without deciding alerts"
    )


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    alerts = sub.add_parser(
        "alerts", help="decide and send alerts from the recorded rounds (also a watchdog)"
    )
    alerts.add_argument("--history", type=Path, default=Path("data/history"))
    alerts.add_argument("--now", help="evaluate as of this time (ISO 8601 with a time zone)")
    add_run_options(alerts)
    alerts.set_defaults(func=_cmd_alerts)

    test = sub.add_parser("alert-test", help="send a marked test alert through the channels")
    test.add_argument("system", nargs="?", help="system id (default: the portal's channels)")
    test.add_argument("--now", help=argparse.SUPPRESS)
    test.set_defaults(func=_cmd_alert_test)

    announce = sub.add_parser("announce", help="post new incident updates to announce channels")
    announce.add_argument("--alerts", type=Path, default=DEFAULT_STATE)
    announce.add_argument("--now", help="as of this time (ISO 8601 with a time zone)")
    announce.set_defaults(func=_cmd_announce)
