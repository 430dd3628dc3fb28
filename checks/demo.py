"""The demo estate: a simulated set of tools on 127.0.0.1, probed for real.

Each shipped system is given one behaviour, so the demo site shows every state a member will
meet: healthy, slow enough to be degraded, failing with HTTP 500, and refusing connections.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from checks.estate import Estate, unused_port
from checks.history import append_results
from checks.results import ProbeResult
from checks.runner import run_round
from checks.targets import targets_from_catalog
from portal.load import load_catalog

__all__ = ["DEMO_BEHAVIOURS", "demo_override", "run_demo"]

# system id -> path on the estate; systems not named here are healthy.
DEMO_BEHAVIOURS: dict[str, str] = {
    "contact-creator": "/slow?ms=3400",  # threshold 3000 ms: degraded
    "turnout": "/slow?ms=300",  # slow-ish but under its threshold: up
    "promote": "/status?code=500",  # down: bad status
    "chatter": "REFUSED",  # down: nothing listening
}


def demo_override(system_ids: list[str], estate: Estate, refused_port: int) -> dict[str, object]:
    systems: dict[str, object] = {}
    for system in system_ids:
        path = DEMO_BEHAVIOURS.get(system, "/ok")
        url = f"http://127.0.0.1:{refused_port}/health" if path == "REFUSED" else estate.url(path)
        systems[system] = {"check": {"url": url}}
    return {"systems": systems}


def run_demo(root: Path, out: Path, *, rounds: int = 3) -> list[ProbeResult]:
    """Probe the simulated estate ``rounds`` times into ``out/history``."""
    out.mkdir(parents=True, exist_ok=True)
    catalog, _ = load_catalog(root)
    results: list[ProbeResult] = []
    with Estate() as estate:
        override = out / "override.yml"
        body = demo_override(sorted(catalog.systems), estate, unused_port())
        override.write_text(
            "# Written by the demo: points every health check at the simulated estate.\n"
            + yaml.safe_dump(body, sort_keys=True)
        )
        demo_catalog, _ = load_catalog(root, override=override)
        targets = targets_from_catalog(demo_catalog)
        for _ in range(rounds):
            batch = asyncio.run(run_round(targets, location="demo"))
            append_results(out / "history", batch)
            results.extend(batch)
    return results
