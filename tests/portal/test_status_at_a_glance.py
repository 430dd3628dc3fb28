"""The status section as a member meets it in an outage, built for real from a known history.

Login (which most tools need) is down now and was down briefly yesterday; Chatter has been
down since the history began, failing fast (2 ms: the probe's wait, not an answer); Dialogue
is degraded. Every expected figure is worked out here from the rows written, not read back
from the generator.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest

from checks.history import append_results
from checks.results import ProbeResult
from portal.content import load_content
from portal.models.catalog import Catalog
from tests.conftest import REPO, build_site, copy_content
from tests.html_tree import Node, parse_html

DATA = REPO / "tests" / "data"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=3)
FIVE = timedelta(minutes=5)
LOGIN_BLIP = (datetime(2026, 11, 27, 9, 0, tzinfo=UTC), datetime(2026, 11, 27, 9, 30, tzinfo=UTC))


def outcome_at(system: str, moment: datetime) -> tuple[str, int]:
    """(outcome, latency in ms) of ``system``'s check at ``moment``."""
    step = int((moment - START) / FIVE)
    if system == "chatter":
        return "down", 2  # refused at once, every round
    if system == "login":
        if LOGIN_BLIP[0] <= moment < LOGIN_BLIP[1] or moment > NOW - timedelta(hours=1):
            return "down", 3
        return "up", 150 + (step % 7) * 10
    if system == "dialogue" and moment > NOW - timedelta(minutes=30):
        return "degraded", 4000 + step % 3
    return "up", 100 + (step % 5) * 20


def history_rows(system_ids: list[str]) -> list[ProbeResult]:
    found = []
    moment = START
    while moment <= NOW:
        for system in system_ids:
            outcome, latency = outcome_at(system, moment)
            down = outcome == "down"
            found.append(
                ProbeResult(
                    time=moment,
                    system=system,
                    location="test",
                    outcome=outcome,  # type: ignore[arg-type]
                    latency_ms=latency,
                    http_status=None if down else 200,
                    error="refused" if down else ("slow" if outcome == "degraded" else None),
                    detail="connection refused" if down else "",
                )
            )
        moment += FIVE
    return found


@dataclass(frozen=True)
class Run:
    """A run of two or more failing checks in a row: one measured outage."""

    system: str
    start: datetime
    end: datetime | None  # the first check that passed again
    failed: int


def failing_runs(rows: list[ProbeResult]) -> list[Run]:
    runs: list[Run] = []
    by_system: dict[str, list[ProbeResult]] = {}
    for row in rows:
        by_system.setdefault(row.system, []).append(row)
    for system, mine in by_system.items():
        streak: list[ProbeResult] = []
        following: list[ProbeResult | None] = [*mine[1:], None]
        for row, after in zip(mine, following, strict=True):
            if row.outcome == "up":
                continue
            streak.append(row)
            if after is None or after.outcome == "up":
                if len(streak) >= 2:
                    end = after.time if after else None
                    runs.append(Run(system, streak[0].time, end, len(streak)))
                streak = []
    return runs


def dependents_of(catalog: Catalog, down: set[str]) -> dict[str, set[str]]:
    """Tool id -> the down tools it needs, directly or through others (down tools left out)."""
    found: dict[str, set[str]] = {}
    for system in catalog.systems.values():
        seen, queue = set(), list(system.depends_on)
        while queue:
            dep = queue.pop()
            if dep not in seen:
                seen.add(dep)
                queue.extend(catalog.systems[dep].depends_on)
        causes = seen & down
        if causes and system.id not in down:
            found[system.id] = causes
    return found


def nearest_rank(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass(frozen=True)
class Built:
    site: Path
    catalog: Catalog
    rows: list[ProbeResult]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_content(tmp_path_factory.mktemp("glance") / "repo")
    for kind in ("incidents", "maintenance"):
        shutil.copytree(DATA / "status" / kind, root / kind, dirs_exist_ok=True)
    catalog = load_content(root).catalog
    rows = history_rows(sorted(catalog.systems))
    append_results(root / "history", rows)
    return Built(build_site(root, root / "history", root / "site", now=NOW), catalog, rows)


def page(built: Built, *parts: str) -> Node:
    return parse_html((built.site.joinpath(*parts) / "index.html").read_text())


def state_now(system: str) -> str:
    return {"up": "Operational", "degraded": "Degraded", "down": "Down"}[outcome_at(system, NOW)[0]]


def ninety_days(rows: list[ProbeResult], system: str) -> str:
    mine = [r for r in rows if r.system == system]
    good = sum(1 for r in mine if r.outcome != "down")
    return f"{int(100 * good / len(mine) * 100) / 100:.2f}%"


def glance_rows(built: Built) -> dict[str, Node]:
    table = page(built, "status").find("table", "gh-glance")
    return {row.attrs["data-system"]: row for row in table.find("tbody").find_all("tr")}


def test_overview_starts_with_one_row_per_tool(built: Built) -> None:
    html = (built.site / "status" / "index.html").read_text()
    # The rows come before the detailed cards, right under the overall banner.
    assert html.index('class="gh-glance"') < html.index('class="gh-system"')
    rows = glance_rows(built)
    assert set(rows) == set(built.catalog.systems)
    for system in built.catalog.systems.values():
        row = rows[system.id]
        link = row.find("a")
        assert (link.attrs["href"], link.text()) == (f"{system.id}/", system.name)
        cells = row.find_all("td")
        # State as a word (the icon beside it is hidden from screen readers), then 90 days.
        assert cells[0].text().startswith(state_now(system.id)), system.id
        assert all(svg.attrs.get("aria-hidden") == "true" for svg in cells[0].find_all("svg"))
        assert cells[1].text() == ninety_days(built.rows, system.id), system.id


def test_banner_and_title_name_what_is_wrong(built: Built) -> None:
    overview = page(built, "status")
    down = {s for s in built.catalog.systems if outcome_at(s, NOW)[0] == "down"}
    affected = dependents_of(built.catalog, down)
    names = built.catalog.systems
    banner = overview.find("div", "gh-overall").text()
    title = overview.find("title").text()
    for text in (banner, title):
        assert text.startswith(("Partial outage", "Status: Partial outage")), text
        for system in sorted(down):
            assert f"{names[system].name} down" in text
        assert "Dialogue degraded" in text
        for system in affected:
            assert names[system].name in text
    assert "Glasshouse" not in banner  # depends on nothing that is down: not named


def test_dependents_of_a_down_tool_show_as_affected(built: Built) -> None:
    down = {s for s in built.catalog.systems if outcome_at(s, NOW)[0] == "down"}
    affected = dependents_of(built.catalog, down)
    assert affected, "the fixture must make some tool affected"
    rows = glance_rows(built)
    summary = json.loads((built.site / "api" / "v2" / "summary.json").read_text())
    listed = {c["id"]: set(c["because"]) for c in summary["glasshouse"]["affected_components"]}
    assert listed == affected
    for system_id in built.catalog.systems:
        row = rows[system_id].text()
        banner = page(built, "status", system_id).find("div", "gh-overall").text()
        if system_id in affected:
            causes = [built.catalog.systems[c].name for c in sorted(affected[system_id])]
            for text in (row, banner):
                assert "Affected" in text and all(name in text for name in causes), system_id
        else:
            assert "Affected" not in row and "Affected" not in banner, system_id


def test_failed_checks_are_not_response_times(built: Built) -> None:
    with (built.site / "data" / "uptime" / "login.csv").open() as f:
        days = {d["date"]: d for d in csv.DictReader(f)}
    for day, figures in days.items():
        answered = [
            r.latency_ms
            for r in built.rows
            if r.system == "login"
            and r.outcome != "down"
            and r.latency_ms is not None
            and r.time.date().isoformat() == day
        ]
        wanted = [nearest_rank(answered, 0.5), nearest_rank(answered, 0.95), max(answered)]
        got = [figures["latency_p50_ms"], figures["latency_p95_ms"], figures["latency_max_ms"]]
        assert got == [str(v) for v in wanted], day
    # Chatter never answered: no response time anywhere, and the page says why.
    with (built.site / "data" / "uptime" / "chatter.csv").open() as f:
        for d in csv.DictReader(f):
            assert (d["latency_p50_ms"], d["latency_p95_ms"], d["latency_max_ms"]) == ("", "", "")
    chatter = page(built, "status", "chatter")
    chart = chatter.find("svg", "gh-latency")
    assert not chart.find_all("polyline") and not chart.find_all("circle")
    assert "no successful checks" in chart.find("desc").text().lower()
    assert "no successful checks" in chatter.find("details", "gh-latency-days").text().lower()
    assert "answered in" not in chatter.find("div", "gh-overall").text()
    overview = glance_rows(built)["chatter"].text() + page(built, "status").text()
    assert "answered in 2 ms" not in overview


def test_day_lists_are_labelled_by_date_not_numbered(built: Built) -> None:
    for parts in (("status",), ("status", "login")):
        lists = [d for d in page(built, *parts).find_all("details", "gh-daylist")]
        assert lists, parts
        for details in lists:
            assert not details.find_all("ol"), parts
            for item in details.find("ul", "gh-days").find_all("li"):
                label = item.find("time")
                day = datetime.strptime(label.attrs["datetime"], "%Y-%m-%d")
                assert item.text().startswith(label.text()) and day.year == 2026
    css = (REPO / "site_src" / "assets" / "glasshouse.css").read_text()
    assert ".md-typeset ul.gh-days { list-style: none;" in css


def measured(built: Built) -> list[Run]:
    # Outages still going, or over since the start of yesterday (the days whose every check
    # each build reads), like the pages promise.
    since = datetime.combine(NOW.date() - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    runs = failing_runs(built.rows)
    return [r for r in runs if r.end is None or r.end >= since]


def test_measured_outages_reach_each_feed(built: Built) -> None:
    runs = measured(built)
    assert {(r.system, r.start) for r in runs} >= {
        ("chatter", START),  # began before the days read in full: its true start is found
        ("login", LOGIN_BLIP[0]),
    }
    everything = feedparser.parse((built.site / "feeds" / "incidents.xml").read_text())
    assert not everything.bozo
    for system in {r.system for r in runs}:
        feed = feedparser.parse((built.site / "feeds" / f"{system}.xml").read_text())
        assert not feed.bozo
        for parsed in (feed, everything):
            entries = [
                e for e in parsed.entries if {"measured", system} <= {t.term for t in e.tags}
            ]
            wanted = [r for r in runs if r.system == system]
            assert len(entries) == len(wanted), system
            for run, entry in zip(
                sorted(wanted, key=lambda r: r.start, reverse=True), entries, strict=True
            ):
                assert f"{run.start:%d %b %Y, %H:%M UTC}" in entry.summary
                assert "measured by our checks" in entry.summary.lower()
                assert f"{run.failed} failed checks" in entry.summary
                if run.end:
                    assert f"{run.end:%d %b %Y, %H:%M UTC}" in entry.summary
                    minutes = int((run.end - run.start).total_seconds() // 60)
                    assert f"{minutes} minutes" in entry.summary
                else:
                    assert "ongoing" in entry.summary.lower()
                anchor = f"outage-{run.start:%Y%m%dT%H%MZ}"
                assert entry.link.endswith(f"/status/{system}/#{anchor}")
                assert anchor in {n.attrs.get("id") for n in page(built, "status", system).iter()}
    # The written reports are still there, told apart from the measured ones.
    written = [e for e in everything.entries if "incident" in {t.term for t in e.tags}]
    assert len(written) == 5


def test_summary_json_carries_measured_outages_and_stays_statuspage_shaped(
    built: Built,
) -> None:
    summary = json.loads((built.site / "api" / "v2" / "summary.json").read_text())
    schema = json.loads((DATA / "statuspage-summary.schema.json").read_text())
    jsonschema.validate(summary, schema)
    # Statuspage's incidents are written reports only: a measurement has no human update.
    assert [i["id"] for i in summary["incidents"]] == ["2026-11-28-chatter-sending"]

    def stamp(moment: datetime | None) -> str | None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None

    got = {
        (o["component_id"], o["started_at"], o["ended_at"], o["failed_checks"])
        for o in summary["glasshouse"]["measured_outages"]
    }
    assert got == {(r.system, stamp(r.start), stamp(r.end), r.failed) for r in measured(built)}


def test_incident_history_lists_measured_outages_beside_written_reports(built: Built) -> None:
    runs = measured(built)
    for parts in (("status", "incidents"), ("status", "incidents", "2026-11")):
        text = page(built, *parts).find("article").text()
        assert "Measured by our checks" in text, parts
        assert "Chatter not sending messages" in text  # the written report stays
        for run in runs:
            name = built.catalog.systems[run.system].name
            assert f"{name}" in text and f"{run.start:%d %b %Y, %H:%M UTC}" in text, run
