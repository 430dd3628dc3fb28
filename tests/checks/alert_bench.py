"""A test bench for alerts: a content copy whose alert settings a test chooses, real rounds
against the loopback estate at injected times, and a real webhook receiver as the channel."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from checks.alert_state import AlertRun, process_alerts
from checks.estate import Estate
from checks.history import append_results
from checks.results import ProbeResult
from checks.runner import run_round
from checks.targets import Target
from portal.load import load_catalog
from portal.models.catalog import Catalog
from portal.models.incidents import Maintenance
from tests.checks.webhook import Receiver
from tests.conftest import copy_content

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
STEP = timedelta(minutes=5)
CHANNEL = "GLASSHOUSE_TEST_OPS"

# Behaviours of the loopback estate, by the name the tests use.
PATHS = {"ok": "/ok", "fail": "/status?code=500", "slow": "/slow?ms=1000"}
DEGRADED_AFTER_MS = 700  # /slow?ms=1000 is degraded, /ok (a few ms) is not


def at(index: int) -> datetime:
    return T0 + index * STEP


def edit_yaml(path: Path, change: Mapping[str, Any]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def configure(
    root: Path,
    portal: Mapping[str, Any],
    systems: Mapping[str, Mapping[str, Any]] | None = None,
) -> Catalog:
    """Set the portal's and some systems' ``alerts:`` blocks; return the loaded catalogue."""
    edit_yaml(root / "catalog" / "portal.yml", {"alerts": dict(portal)})
    for system, block in (systems or {}).items():
        edit_yaml(root / "catalog" / f"{system}.yml", {"alerts": dict(block)})
    catalog, _ = load_catalog(root)
    return catalog


class Bench:
    def __init__(
        self,
        root: Path,
        estate: Estate,
        receiver: Receiver,
        catalog: Catalog,
        maintenance: tuple[Maintenance, ...] = (),
    ) -> None:
        self.root = root
        self.history = root / "data" / "history"
        self.state = root / "data" / "alerts"
        self.estate = estate
        self.receiver = receiver
        self.catalog = catalog
        self.maintenance = maintenance
        self.env = {CHANNEL: receiver.url("ops")}

    def record(self, index: int, **behaviours: str) -> list[ProbeResult]:
        """Probe the estate once at round ``index``: system id -> behaviour name."""
        targets = [
            Target(
                system=system,
                url=self.estate.url(PATHS[behaviour]),
                timeout_seconds=5.0,
                degraded_after_ms=DEGRADED_AFTER_MS,
            )
            for system, behaviour in behaviours.items()
        ]
        results = asyncio.run(run_round(targets, location="test", started=at(index)))
        append_results(self.history, results)
        return results

    def alerts(self, now: datetime) -> AlertRun:
        return process_alerts(
            catalog=self.catalog,
            maintenance=self.maintenance,
            history=self.history,
            state=self.state,
            now=now,
            env=self.env,
        )

    def round(self, index: int, **behaviours: str) -> AlertRun:
        """One scheduled run: probe, record, then decide and send alerts."""
        self.record(index, **behaviours)
        return self.alerts(at(index))

    def rounds(self, system: str, script: str, *, start: int = 0) -> None:
        """Rounds from a script of behaviours, one letter each: o ok, f fail, s slow."""
        names = {"o": "ok", "f": "fail", "s": "slow"}
        for offset, letter in enumerate(script.replace(" ", "")):
            self.round(start + offset, **{system: names[letter]})


@contextmanager
def bench(
    tmp_path: Path,
    estate: Estate,
    portal: Mapping[str, Any],
    systems: Mapping[str, Mapping[str, Any]] | None = None,
    maintenance: tuple[Maintenance, ...] = (),
) -> Iterator[Bench]:
    root = copy_content(tmp_path / "repo")
    catalog = configure(root, portal, systems)
    with Receiver() as receiver:
        yield Bench(root, estate, receiver, catalog, maintenance)
