"""Committing history with real git: clones racing to push to one bare repository lose no row."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from checks.commit import CommitError, commit_history
from checks.history import append_results, read_history
from checks.results import ProbeResult
from tests.conftest import REPO
from tests.schedule.rows import make_rows

DAY = date(2026, 10, 14)
TODAY = DAY + timedelta(days=1)
LOCATION = "github-actions"
SYSTEMS = ("dialogue", "login")
HISTORY = Path("data/history")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def no_pause(attempt: int) -> None:
    """Retry at once: the tests make collisions happen on purpose."""


@pytest.fixture
def origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bare repository holding one commit: the project's .gitignore and a catalogue file."""
    monkeypatch.setenv("HOME", str(tmp_path))  # no developer's git config leaks in
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Schedule test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "schedule-test@example.org")
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(seed))
    shutil.copy(REPO / ".gitignore", seed / ".gitignore")
    (seed / "catalog").mkdir()
    (seed / "catalog" / "events.yml").write_text("name: Events\n")
    git(seed, "add", "--all")
    git(seed, "commit", "--quiet", "-m", "Seed")
    git(seed, "push", "--quiet", str(bare), "main")
    return bare


def clone(origin: Path, name: str) -> Path:
    target = origin.parent / name
    git(origin.parent, "clone", "--quiet", str(origin), str(target))
    return target


def day_rows(start: int, stop: int) -> list[ProbeResult]:
    """Rounds ``start`` to ``stop`` (of 288) of DAY, for every system."""
    rows = []
    for system in SYSTEMS:
        every = make_rows(
            system,
            LOCATION,
            datetime.combine(DAY, datetime.min.time(), tzinfo=UTC),
            288,
            every=timedelta(minutes=5),
        )
        rows.extend(every[start:stop])
    return rows


def pushed_history(origin: Path) -> dict[str, list[ProbeResult]]:
    """What a fresh clone of the branch holds (archives only: raw shards are never pushed)."""
    fresh = clone(origin, f"check-{len(list(origin.parent.iterdir()))}")
    assert not list((fresh / HISTORY).glob("*/*/*.csv")), "a raw shard was committed"
    return read_history(fresh / HISTORY)


def by_system(rows: list[ProbeResult]) -> dict[str, list[ProbeResult]]:
    return {s: sorted((r for r in rows if r.system == s), key=lambda r: r.time) for s in SYSTEMS}


def test_a_content_commit_landing_first_is_rebased_over(origin: Path) -> None:
    runner, editor = clone(origin, "runner"), clone(origin, "editor")
    rows = day_rows(0, 288)
    append_results(runner / HISTORY, rows)
    # A volunteer's content change lands while the checks run.
    (editor / "catalog" / "events.yml").write_text("name: Events\nlifecycle: live\n")
    git(editor, "commit", "--quiet", "-am", "Events is live")
    git(editor, "push", "--quiet", "origin", "main")

    report = commit_history(runner, location=LOCATION, today=TODAY, pause=no_pause)

    assert (report.committed, report.pushed, report.attempts) == (True, True, 2)
    assert report.archives == tuple(
        f"data/history/{LOCATION}/{s}/2026-10/2026-10-14.csv.gz" for s in SYSTEMS
    )
    assert pushed_history(origin) == by_system(rows)
    log = git(origin, "log", "--format=%s", "main").splitlines()
    assert log == ["History: github-actions, 2026-10-14 (2 archives)", "Events is live", "Seed"]
    # After the push the raw rows are pruned: the runner keeps only what is not yet pushed.
    assert read_history(runner / HISTORY) == by_system(rows)
    assert all(p.read_bytes() == b"" for p in (runner / HISTORY).glob("*/*/*.csv"))
    assert git(runner, "status", "--porcelain") == ""


def test_overlapping_runs_of_one_location_keep_every_row(origin: Path) -> None:
    """Two runs of one location saw overlapping rounds and sealed the same day differently."""
    first, second = clone(origin, "first"), clone(origin, "second")
    append_results(first / HISTORY, day_rows(0, 200))
    append_results(second / HISTORY, day_rows(150, 288))
    # The second run was killed once mid-write: its raw shard ends in a partial line.
    partial = second / HISTORY / LOCATION / "login" / "2026-10.csv"
    with partial.open("a") as out:
        out.write("2026-10-14T23:59:00Z,up,12")

    assert commit_history(first, location=LOCATION, today=TODAY, pause=no_pause).attempts == 1
    report = commit_history(second, location=LOCATION, today=TODAY, pause=no_pause)

    # Its first push was refused, the rebase met the first run's archives, and the day was
    # sealed again from both sets of rows.
    assert (report.pushed, report.attempts) == (True, 2)
    assert pushed_history(origin) == by_system(day_rows(0, 288))
    assert partial.read_bytes() == b""  # pruned: its rows are pushed, the partial line dropped


def test_identical_archives_from_two_runs_need_no_merge(
    origin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = clone(origin, "first"), clone(origin, "second")
    for runner in (first, second):
        append_results(runner / HISTORY, day_rows(0, 288))
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-10-15T00:05:00Z")
    commit_history(first, location=LOCATION, today=TODAY, pause=no_pause)
    # A run a minute later: within one second the two commits would be the same object.
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-10-15T00:06:00Z")
    report = commit_history(second, location=LOCATION, today=TODAY, pause=no_pause)
    assert (report.pushed, report.attempts) == (True, 2)
    # Same rows, same bytes: the second commit became empty in the rebase and was dropped.
    assert git(origin, "rev-list", "--count", "main") == "2\n"
    assert pushed_history(origin) == by_system(day_rows(0, 288))


def test_two_runners_pushing_at_the_same_moment_lose_no_row(origin: Path) -> None:
    runners = [clone(origin, "one"), clone(origin, "two")]
    append_results(runners[0] / HISTORY, day_rows(0, 180))
    append_results(runners[1] / HISTORY, day_rows(100, 288))
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(
            pool.map(
                lambda repo: commit_history(
                    repo, location=LOCATION, today=TODAY, attempts=10, pause=no_pause
                ),
                runners,
            )
        )
    assert all(r.pushed for r in reports)
    assert pushed_history(origin) == by_system(day_rows(0, 288))


def test_nothing_is_committed_before_the_day_is_over(origin: Path) -> None:
    runner = clone(origin, "runner")
    append_results(runner / HISTORY, day_rows(0, 100))
    report = commit_history(runner, location=LOCATION, today=DAY, pause=no_pause)
    assert (report.committed, report.pushed, report.sealed) == (False, False, 0)
    assert git(origin, "rev-list", "--count", "main") == "1\n"
    assert read_history(runner / HISTORY) == by_system(day_rows(0, 100))


def test_a_push_that_keeps_failing_keeps_the_raw_rows(origin: Path) -> None:
    runner = clone(origin, "runner")
    rows = day_rows(0, 288)
    append_results(runner / HISTORY, rows)
    gone = origin.parent / "moved.git"
    origin.rename(gone)
    with pytest.raises(CommitError) as caught:
        commit_history(runner, location=LOCATION, today=TODAY, attempts=1, pause=no_pause)
    assert str(caught.value).startswith(
        "could not push history to origin main after 1 attempts; the raw rows are kept and the"
        " next run tries again. Last error: "
    )
    raw = {s: (runner / HISTORY / LOCATION / s / "2026-10.csv").read_text() for s in SYSTEMS}
    assert all(text.count("\n") == 289 for text in raw.values())  # header and 288 rows each


def test_a_checkout_with_uncommitted_edits_is_left_alone(origin: Path) -> None:
    runner = clone(origin, "runner")
    append_results(runner / HISTORY, day_rows(0, 288))
    (runner / "catalog" / "events.yml").write_text("name: Events (draft)\n")
    with pytest.raises(CommitError) as caught:
        commit_history(runner, location=LOCATION, today=TODAY, pause=no_pause)
    assert str(caught.value) == (
        "the checkout has uncommitted changes to tracked files; commit or stash them first:"
        " catalog/events.yml"
    )
    assert (runner / "catalog" / "events.yml").read_text() == "name: Events (draft)\n"
    assert not list((runner / HISTORY).rglob("*.gz"))  # nothing was sealed


def test_a_runner_that_never_probed_has_nothing_to_commit(origin: Path) -> None:
    report = commit_history(clone(origin, "runner"), location=LOCATION, today=TODAY)
    assert (report.committed, report.pushed) == (False, False)


def test_a_local_content_commit_survives_a_conflicting_retry(origin: Path) -> None:
    """On a long-lived runner someone committed locally; the retry keeps their commit."""
    first, second = clone(origin, "first"), clone(origin, "second")
    append_results(first / HISTORY, day_rows(0, 200))
    append_results(second / HISTORY, day_rows(150, 288))
    (second / "catalog" / "teams.yml").write_text("teams: []\n")
    git(second, "add", "catalog/teams.yml")
    git(second, "commit", "--quiet", "-m", "Local change")
    commit_history(first, location=LOCATION, today=TODAY, pause=no_pause)
    report = commit_history(second, location=LOCATION, today=TODAY, pause=no_pause)
    assert (report.pushed, report.attempts) == (True, 2)
    assert "Local change" in git(origin, "log", "--format=%s", "main").splitlines()
    assert pushed_history(origin) == by_system(day_rows(0, 288))


def test_alert_state_travels_with_each_day_and_never_blocks_a_run(origin: Path) -> None:
    """The alert state beside the history changes every run: it is committed with the day."""
    seed = clone(origin, "alerting")
    state = seed / "data" / "alerts" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text('{"said": []}\n')
    git(seed, "add", "data/alerts")
    git(seed, "commit", "--quiet", "-m", "Alert state")
    git(seed, "push", "--quiet", "origin", "main")
    runner = clone(origin, "runner")
    (runner / "data" / "alerts" / "state.json").write_text('{"said": ["login down"]}\n')
    append_results(runner / HISTORY, day_rows(0, 100))

    during = commit_history(runner, location=LOCATION, today=DAY, pause=no_pause)
    assert (during.committed, during.pushed) == (False, False)  # the day is not over yet

    report = commit_history(runner, location=LOCATION, today=TODAY, pause=no_pause)
    assert report.pushed
    assert git(origin, "show", "main:data/alerts/state.json") == '{"said": ["login down"]}\n'
    assert pushed_history(origin) == by_system(day_rows(0, 100))
