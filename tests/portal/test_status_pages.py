"""The status section built for real (generator + mkdocs --strict) from a known history."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest

from checks.history import append_results
from checks.results import ProbeResult
from portal.content import load_content
from portal.errors import ContentError
from portal.opendata import FIELDS
from tests.conftest import REPO, build_site, copy_content

DATA = REPO / "tests" / "data"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DOWN_SINCE = NOW - timedelta(hours=1)


def history_rows(system_ids: list[str]) -> list[ProbeResult]:
    """Three days of 5-minute rounds: all up, except chatter down for the last hour."""
    found: list[ProbeResult] = []
    moment = NOW - timedelta(days=3)
    while moment <= NOW:
        for system in system_ids:
            down = system == "chatter" and moment > DOWN_SINCE
            found.append(
                ProbeResult(
                    time=moment,
                    system=system,
                    location="test",
                    outcome="down" if down else "up",
                    latency_ms=None if down else 120,
                    http_status=None if down else 200,
                    error="refused" if down else None,
                    detail="connection refused" if down else "",
                )
            )
        moment += timedelta(minutes=5)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_content(tmp_path_factory.mktemp("status") / "repo")
    for kind in ("incidents", "maintenance"):
        shutil.copytree(DATA / "status" / kind, root / kind, dirs_exist_ok=True)
    systems = sorted(load_content(root).catalog.systems)
    append_results(root / "history", history_rows(systems))
    return build_site(root, root / "history", root / "site", now=NOW)


def test_summary_json_follows_statuspage_shape(built: Path) -> None:
    summary = json.loads((built / "api" / "v2" / "summary.json").read_text())
    schema = json.loads((DATA / "statuspage-summary.schema.json").read_text())
    jsonschema.validate(summary, schema)
    statuses = {c["id"]: c["status"] for c in summary["components"]}
    assert statuses["chatter"] == "major_outage"
    assert {s for k, s in statuses.items() if k != "chatter"} == {"operational"}
    assert summary["status"]["indicator"] == "major"  # one of eleven down: partial outage
    assert [i["id"] for i in summary["incidents"]] == ["2026-11-28-chatter-sending"]
    (window,) = summary["scheduled_maintenances"]
    assert (window["id"], window["status"]) == ("2099-01-login-upgrade", "scheduled")


def test_feeds_parse_and_hold_one_entry_per_update(built: Path) -> None:
    incidents = feedparser.parse((built / "feeds" / "incidents.xml").read_text())
    assert not incidents.bozo
    written = [e for e in incidents.entries if "incident" in {t.term for t in e.tags}]
    # 4 updates of the Dialogue incident + 1 of the Chatter one, newest first.
    assert [e.title.split(":")[0] for e in written] == [
        "Investigating",
        "Resolved",
        "Monitoring",
        "Identified",
        "Investigating",
    ]
    chatter = feedparser.parse((built / "feeds" / "chatter.xml").read_text())
    # The written report, and beside it the outage the checks measured (down since 11:05).
    assert [e.link for e in chatter.entries] == [
        "https://glasshouse.example.org/status/chatter/#outage-20261128T1105Z",
        "https://glasshouse.example.org/status/incidents/2026-11-28-chatter-sending/",
    ]
    maintenance = feedparser.parse((built / "feeds" / "maintenance.xml").read_text())
    assert len(maintenance.entries) == 1 and "Login upgrade" in maintenance.entries[0].title


def test_overview_states_and_90_day_uptime_read_as_text(built: Path) -> None:
    html = (built / "status" / "index.html").read_text()
    content = load_content(REPO)
    for system in content.catalog.systems.values():
        block = html.split(f"<strong>{system.name}</strong>", 1)[1].split("</li>\n</ul>", 1)[0]
        block = block.split('<li class="gh-system"', 1)[0]
        expected = "Down" if system.id == "chatter" else "Operational"
        assert f">{expected}</span>" in block, system.id
        ninety = re.search(r"<dt>90 days</dt><dd>([0-9.]+)%", block)
        assert ninety is not None, system.id
    # Chatter: 12 of 865 rounds down in the window (hand count: rounds after 11:00, to 12:00).
    chatter = html.split("<strong>Chatter</strong>", 1)[1]
    rounds_total = 3 * 288 + 1
    percent = int(100 * (rounds_total - 12) / rounds_total * 100) / 100
    assert f"<dt>90 days</dt><dd>{percent:.2f}%" in chatter


def test_incident_page_has_its_timeline_newest_first(built: Path) -> None:
    incident = built / "status" / "incidents" / "2026-11-20-dialogue-calls-dropping"
    html = (incident / "index.html").read_text()
    states = re.findall(r"<li id=\"update-\d\"><p><strong>(\w+)</strong>", html)
    assert states == ["Resolved", "Monitoring", "Identified", "Investigating"]
    assert "95 minutes" in html  # 18:05 to 19:40
    month = (built / "status" / "incidents" / "2026-11" / "index.html").read_text()
    assert month.index("Chatter not sending") < month.index("Calls dropping in Dialogue")


def test_open_data_csv_matches_its_data_package(built: Path) -> None:
    package = json.loads((built / "data" / "uptime" / "datapackage.json").read_text())
    names = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert names == [name for name, _, _ in FIELDS]
    for resource in package["resources"]:
        with (built / "data" / "uptime" / resource["path"]).open() as f:
            table = list(csv.DictReader(f))
        assert list(table[0]) == names
    with (built / "data" / "uptime" / "chatter.csv").open() as f:
        today = list(csv.DictReader(f))[-1]
    # Today to 12:00: rounds at 00:00..12:00 = 145 ran, 12 down; 144 expected.
    assert (today["date"], today["checks_run"], today["down"], today["checks_expected"]) == (
        "2026-11-28",
        "145",
        "12",
        "144",
    )


def test_badges_follow_the_shields_endpoint_format(built: Path) -> None:
    badge = json.loads((built / "badges" / "chatter.json").read_text())
    assert badge == {"schemaVersion": 1, "label": "Chatter", "message": "down", "color": "red"}
    svg = (built / "badges" / "dialogue.svg").read_text()
    assert 'aria-label="Dialogue: operational"' in svg


def test_system_pages_exist_for_every_system_and_link_back(built: Path) -> None:
    for system in load_content(REPO).catalog.systems.values():
        page = built / "status" / system.id / "index.html"
        assert page.exists(), system.id
        assert f"{system.name} status" in page.read_text()


def test_bad_incidents_and_maintenance_report_located_problems(content_copy: Path) -> None:
    for kind in ("incidents", "maintenance"):
        shutil.copytree(DATA / "bad_status" / kind, content_copy / kind)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert [str(p) for p in caught.value.problems] == [
        'incidents/2026-11-01-backwards.md:5: severity: "huge" is not allowed;'
        " use one of: minor, major, critical",
        "incidents/2026-11-02-no-time-zone.md:6: started: must be a date and time with a time zone,"
        ' like 2026-11-28T18:05:00Z, got "2026-11-02 10:00"',
        "maintenance/window.yml:5: ends: must be after starts",
    ]


def test_measured_outages_and_written_reports_stand_side_by_side(built: Path) -> None:
    chatter = (built / "status" / "chatter" / "index.html").read_text()
    # Down from 11:05 to 12:00 (12 rounds), still failing at build time.
    assert "still failing</strong>: 12 failed checks" in chatter
    assert "Down from <time" in chatter
    dialogue = (built / "status" / "dialogue" / "index.html").read_text()
    assert "No outage was measured today or yesterday" in dialogue
    # The open Chatter report started at 07:00: 61 rounds ran to 12:00, 12 of them failed.
    report = built / "status" / "incidents" / "2026-11-28-chatter-sending" / "index.html"
    assert (
        "12 of 61 checks failed during the reported period, about 60 minutes" in report.read_text()
    )
    # The Dialogue report predates the history: no measurement, said plainly.
    older = built / "status" / "incidents" / "2026-11-20-dialogue-calls-dropping" / "index.html"
    assert "no check ran during the reported period" in older.read_text()
