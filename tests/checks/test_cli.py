"""``python -m checks``: the commands, their tables and the exit codes a scheduler relies on."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from checks.__main__ import main
from checks.estate import Estate, unused_port
from checks.history import list_shards, read_history
from checks.progress import Progress
from checks.rounds import slot_start

SYSTEMS_DOWN = {"promote": "status", "chatter": "refused"}


def override(tmp_path: Path, estate: Estate, root: Path) -> Path:
    systems = sorted(
        p.stem
        for p in (root / "catalog").glob("*.yml")
        if p.stem not in {"portal", "teams", "roles"}
    )
    urls = {s: estate.url("/ok") for s in systems}
    urls["promote"] = estate.url("/status?code=503")
    urls["chatter"] = f"http://127.0.0.1:{unused_port()}/health"
    path = tmp_path / "override.yml"
    path.write_text(
        yaml.safe_dump(
            {"systems": {s: {"check": {"url": u, "retries": 0}} for s, u in urls.items()}}
        )
    )
    return path


def cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), "--no-progress", *args])


def test_run_records_a_round_and_exits_0_even_when_systems_are_down(
    estate: Estate, content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history"
    file = override(tmp_path, estate, content_copy)
    assert (
        cli(content_copy, "run", "--no-alerts", "--override", str(file), "--history", str(history))
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("round 1/1 at ") and out[0].endswith(" from github-actions")
    assert out[1].split() == ["system", "outcome", "latency", "error", "detail"]
    table = {line.split()[0]: line.split() for line in out[2:]}
    assert table["promote"][1:5] == ["down", *table["promote"][2:4], "status"]
    assert table["chatter"][1] == "down" and "refused" in table["chatter"]
    assert table["events"][1] == "up"
    shards = list_shards(history)
    assert {s.system for s in shards} == set(table)
    assert {s.location for s in shards} == {"github-actions"}

    # --fail-on-down turns "a system is down" into exit 1 for schedulers that want to alert.
    args = (
        "run",
        "--no-alerts",
        "--override",
        str(file),
        "--history",
        str(history),
        "--fail-on-down",
    )
    assert cli(content_copy, *args) == 1
    assert all(len(s.read().rows) == 2 for s in list_shards(history))


def test_status_rollups_and_incidents_read_what_run_wrote(
    estate: Estate, content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history, cache = tmp_path / "history", tmp_path / "cache"
    file = override(tmp_path, estate, content_copy)
    assert (
        cli(
            content_copy,
            "run",
            "--no-alerts",
            "--override",
            str(file),
            "--history",
            str(history),
            "--rounds",
            "2",
        )
        == 0
    )
    capsys.readouterr()

    assert cli(content_copy, "status", "--history", str(history)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "system",
        "state",
        "last",
        "checked",
        "latency",
        "24",
        "h",
        "detail",
    ]
    states = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert states["promote"] == states["chatter"] == "down"
    assert states["events"] == "up"
    shares = {line.split()[0]: [w for w in line.split() if w.endswith("%")] for line in lines[1:]}
    assert (shares["promote"], shares["events"]) == (["0.0%"], ["100.0%"])

    assert (
        cli(content_copy, "rollups", "--rebuild", "--history", str(history), "--cache", str(cache))
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    summary = {line.split()[0]: line.split() for line in lines[1:-1]}
    # Rounds are probe times: two rounds started within one second are one round.
    rounds = str(len({r.time for s in list_shards(history) for r in s.read().rows}))
    assert summary["events"][1] == "1" and summary["events"][4:] == [rounds, "100.00%"]
    assert summary["promote"][4:] == [rounds, "0.00%"]
    assert lines[-1] == f"rollups cached in {cache}"
    assert len(list(cache.rglob("*.json"))) == len(summary)

    assert cli(content_copy, "incidents", "--history", str(history), "--min-rounds", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["system", "worst", "start", "end", "rounds", "detail"]
    assert sorted(line.split()[0] for line in lines[1:]) == ["chatter", "promote"]
    assert all(line.split()[3] == "ongoing" for line in lines[1:])


def test_unwritable_history_exits_3(
    estate: Estate, content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "history"
    blocker.write_text("a file where the history folder should be")
    file = override(tmp_path, estate, content_copy)
    assert (
        cli(content_copy, "run", "--no-alerts", "--override", str(file), "--history", str(blocker))
        == 3
    )
    assert capsys.readouterr().err.startswith(f"could not write history under {blocker}: ")


def test_bad_content_exits_2(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = content_copy / "catalog" / "events.yml"
    events.write_text(events.read_text().replace("timeout_seconds: 10", "timeout_seconds: -1"))
    assert cli(content_copy, "run", "--no-alerts", "--history", str(content_copy / "h")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "1 problem in the content:",
        "catalog/events.yml:12: check.timeout_seconds: must be a positive number of seconds,"
        " got -1",
    ]


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as a real one does."""

    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_stays_silent_in_a_log() -> None:
    screen = Terminal()
    with Progress("round 1/1", 2, stream=screen) as progress:
        progress.advance()
        progress.advance()
    assert screen.getvalue() == "\rround 1/1: 1/2 (50%)\rround 1/1: 2/2 (100%)\n"
    log = io.StringIO()
    with Progress("round 1/1", 2, stream=log) as progress:
        progress.advance(2)
    assert log.getvalue() == ""


def test_scheduled_rounds_from_two_locations_share_their_slot_time(
    estate: Estate, content_copy: Path, tmp_path: Path
) -> None:
    """Runs at two locations seconds apart record the same round, so the quorum can compare."""
    history = tmp_path / "history"
    file = override(tmp_path, estate, content_copy)
    for location in ("london", "leeds"):
        args = ("run", "--align", "--no-alerts", "--override", str(file), "--history", str(history))
        assert cli(content_copy, *args, "--location", location) == 0
    rows = read_history(history)["dialogue"]
    by_location = {row.location: row.time for row in rows}
    assert set(by_location) == {"london", "leeds"}
    # Both at the start of a 5-minute slot (the catalogue's interval), and the same one unless
    # the two runs straddled a slot boundary, in which case they are one slot apart.
    times = sorted(by_location.values())
    assert all(t.minute % 5 == 0 and t.second == 0 for t in times)
    assert (times[1] - times[0]).total_seconds() in {0, 300}


def test_slot_start_floors_to_the_interval() -> None:
    moment = datetime(2026, 11, 28, 10, 7, 42, tzinfo=UTC)
    assert slot_start(moment, timedelta(minutes=5)) == datetime(2026, 11, 28, 10, 5, tzinfo=UTC)
    assert slot_start(moment, timedelta(hours=1)) == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    exact = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)
    assert slot_start(exact, timedelta(minutes=5)) == exact
