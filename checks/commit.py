"""Commit sealed history and push it, retrying over whatever landed on the branch meanwhile.

Run by the schedule after each probe round (``nox -s commit -- --location NAME``). What it does:

1. ``seal`` copies the raw rows of every completed UTC day into that day's archive. Most runs
   find nothing new and stop here: history is committed once a day per location (see
   ``checks/compact.py`` for why), while the raw rows of today live in the CI cache or on the
   runner's disk, and the site is built from both.
2. Commit the new archives of this location only (nothing else is staged).
3. Push. If the branch moved (a content commit, another location, an overlapping run), fetch
   it and rebase onto it. Archives are per location and per day, so a rebase only conflicts
   when two runs of the *same* location sealed the same day with different rows; then the
   local history commit is dropped, the checkout moves to the branch, and the day is sealed
   again from the raw rows, which are still on disk, merged with the branch's archive. Repeat.
   It refuses to start in a checkout with uncommitted changes to tracked files, so a retry
   never touches anyone's edits.
4. Only after a push succeeded, prune the raw rows the pushed archives hold.

No row is lost on any path: raw rows leave the raw shards only once they are in a pushed
archive. A partial line (a killed run) is never sealed, since it is not a row.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from checks.compact import prune, seal
from portal.errors import GlasshouseError

__all__ = ["CommitError", "CommitReport", "commit_history", "pause_before_retry"]

# Used only when git has no identity configured (a bare runner); CI sets its own.
_IDENTITY = ("Glasshouse checks", "glasshouse-checks@users.noreply.invalid")
_CREDENTIALS = re.compile(r"(//)[^/@\s]+@")


class CommitError(GlasshouseError):
    """History could not be committed or pushed; the raw rows are kept for the next run."""


@dataclass(frozen=True)
class CommitReport:
    committed: bool  # a commit of new archives was made
    pushed: bool
    attempts: int  # push attempts made
    archives: tuple[str, ...]  # repository paths of the archives committed
    sealed: int  # raw rows newly put into archives
    pruned: int  # raw rows removed from raw shards after the push


def pause_before_retry(attempt: int) -> None:
    """Spread retries out so two runners that collided do not collide again in step."""
    time.sleep(random.uniform(1.0, 3.0) * attempt)


def _redact(text: str) -> str:
    return _CREDENTIALS.sub(r"\1***@", text)


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.identity: list[str] = []
        has_identity = any(os.environ.get(f"GIT_{w}_EMAIL") for w in ("AUTHOR", "COMMITTER"))
        if not has_identity and not self.ok("config", "user.email"):
            self.identity = ["-c", f"user.name={_IDENTITY[0]}", "-c", f"user.email={_IDENTITY[1]}"]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *self.identity, *args],
            cwd=self.repo,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )

    def ok(self, *args: str) -> bool:
        return self.run(*args).returncode == 0

    def must(self, *args: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise CommitError(f"git {args[0]} failed: {_redact(done.stderr.strip())}")
        return done.stdout


def _message(location: str, paths: Sequence[str]) -> str:
    days = sorted({Path(p).name.removesuffix(".csv.gz") for p in paths})
    span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    return f"History: {location}, {span} ({len(paths)} archives)"


def _commit_archives(
    git: _Git, pathspec: str, location: str, alongside: Sequence[str]
) -> tuple[str, ...]:
    """Stage ``pathspec`` (archives only: raw shards are git-ignored) and commit it, with
    ``alongside`` (the alert state) when there are archives; the archive paths committed."""
    git.must("add", "--all", "--", pathspec)
    staged = tuple(git.must("diff", "--cached", "--name-only", "--", pathspec).split())
    if staged:
        git.must("add", "--all", "--", *alongside)
        message = _message(location, staged)
        git.must("commit", "--quiet", "--no-verify", "-m", message, "--", pathspec, *alongside)
    return staged


def commit_history(
    repo: Path,
    *,
    location: str,
    today: date,
    history: Path = Path("data/history"),
    alerts: Path | None = None,
    remote: str = "origin",
    branch: str = "main",
    attempts: int = 5,
    pause: Callable[[int], None] = pause_before_retry,
) -> CommitReport:
    """Seal completed days of ``location``, commit them and push to ``remote``'s ``branch``.

    ``history`` is relative to ``repo``. The alert state (``alerts``, by default ``alerts``
    beside ``history``, as ``python -m checks run`` keeps it) changes every run; it is carried
    by the same cache as the raw rows and committed with each day's archives. Raises
    CommitError when every attempt failed; the raw rows are then untouched, so the next run
    seals and pushes them.
    """
    git = _Git(repo)
    root = repo / history
    pathspec = (history / location).as_posix()
    state = alerts if alerts is not None else history.parent / "alerts"
    alongside = [state.as_posix()] if (repo / state).is_dir() else []
    if not (root / location).is_dir():
        return CommitReport(False, False, 0, (), 0, 0)  # no round has run here yet
    changed = git.must(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        *(f":(exclude){path}" for path in alongside),
    ).splitlines()
    if changed:
        # A retry may reset the checkout to the branch: never where someone's edits would go.
        raise CommitError(
            "the checkout has uncommitted changes to tracked files; commit or stash them"
            f" first: {', '.join(line[3:] for line in changed)}"
        )
    sealed = seal(root, location=location, before=today)
    committed = _commit_archives(git, pathspec, location, alongside)
    if not committed:
        return CommitReport(False, False, 0, (), sealed.sealed, 0)
    last_error = "no attempt was made"
    for attempt in range(1, attempts + 1):
        push = git.run("push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
        if push.returncode == 0:
            pruned = prune(root, location=location, before=today)
            return CommitReport(True, True, attempt, committed, sealed.sealed, pruned.pruned)
        last_error = _redact(push.stderr.strip())
        if attempt == attempts:
            break
        pause(attempt)
        git.must("fetch", "--quiet", remote, branch)
        if not git.ok("rebase", "--quiet", "FETCH_HEAD"):
            # Two runs of this location sealed the same day differently: take the branch's
            # version and seal again from the raw rows, which merges both sets of rows.
            git.run("rebase", "--abort")
            git.must("reset", "--quiet", "--hard", "HEAD~1")  # drop only our history commit
            if not git.ok("rebase", "--quiet", "FETCH_HEAD"):  # other local commits clash
                git.run("rebase", "--abort")
                raise CommitError(
                    f"local commits conflict with {branch}; resolve them by hand (the raw rows"
                    " are kept)"
                )
            seal(root, location=location, before=today)
            committed = _commit_archives(git, pathspec, location, alongside)
            if not committed:  # the branch already holds every row
                pruned = prune(root, location=location, before=today)
                return CommitReport(False, True, attempt, (), sealed.sealed, pruned.pruned)
    raise CommitError(
        f"could not push history to {_redact(remote)} {branch} after {attempts} attempts; the raw"
        f" rows are kept and the next run tries again. Last error: {last_error}"
    )
