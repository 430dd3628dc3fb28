"""The CI files only install the runner tools and call nox, and agree with the code they run."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.load import load_catalog
from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# The only commands besides nox: installing the runner tools themselves.
INSTALLS = {
    "python -m pip install -r .ci/tools.txt",
    "apt-get update -q",
    "apt-get install -y -q --no-install-recommends chromium",
}
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@(v[0-9]+(\.[0-9]+)*|[0-9a-f]{40})")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def commands(script: str) -> list[str]:
    """The commands of a shell snippet: one per line, split at ``&&``, comments removed."""
    found: list[str] = []
    for line in script.splitlines():
        code = line.split(" #", 1)[0].strip()
        found.extend(part.strip() for part in code.split("&&") if part.strip())
    return found


def not_nox(command: str) -> bool:
    words = shlex.split(command)
    return not (words[:2] == ["nox", "-s"] and len(words) > 2) and command not in INSTALLS


def github_steps() -> list[tuple[str, dict[str, Any]]]:
    steps: list[tuple[str, dict[str, Any]]] = []
    for path in WORKFLOWS:
        for job in _load(path)["jobs"].values():
            steps.extend((path.name, step) for step in job["steps"])
    return steps


def test_there_are_schedule_publish_and_pull_request_workflows() -> None:
    triggers = {path.stem: _load(path)[True] for path in WORKFLOWS}  # YAML 1.1 reads "on" as True
    assert triggers["checks"]["schedule"] == [{"cron": "*/5 * * * *"}]
    assert "workflow_dispatch" in triggers["checks"]
    assert triggers["publish"]["push"] == {"branches": ["main"]}
    assert triggers["publish"]["workflow_run"]["workflows"] == [_load(WORKFLOWS[0])["name"]]
    assert "pull_request" in triggers["pull-request"]


def test_every_github_run_step_calls_nox_or_installs_the_runner_tools() -> None:
    runs = [(name, step["run"]) for name, step in github_steps() if "run" in step]
    assert runs
    offending = [(name, c) for name, run in runs for c in commands(run) if not_nox(c)]
    assert offending == []


def test_every_action_is_pinned_by_version() -> None:
    uses = [step["uses"] for _, step in github_steps() if "uses" in step]
    assert uses
    assert [u for u in uses if not PINNED.fullmatch(u)] == []


def test_every_gitlab_script_line_calls_nox_or_installs_the_runner_tools() -> None:
    config = _load(REPO / ".gitlab-ci.yml")
    jobs = {k: v for k, v in config.items() if isinstance(v, dict) and "script" in v}
    assert set(jobs) == {"test", "checks", "pages"}
    lines = list(config["default"]["before_script"])
    for job in jobs.values():
        lines.extend(job["script"])
        assert job["stage"] in config["stages"]
    assert [c for line in lines for c in commands(line) if not_nox(c)] == []
    assert jobs["checks"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert "nox -s build -- public" in jobs["pages"]["script"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]


def test_the_schedule_runs_as_a_listed_location() -> None:
    catalog, _ = load_catalog(REPO)
    location = _load(REPO / ".github" / "workflows" / "checks.yml")["env"]["LOCATION"]
    assert location in catalog.portal.probes.locations


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("data/history/github-actions/dialogue/2026-10.csv", True),
        ("data/history/github-actions/dialogue/2026-10/2026-10-14.csv.gz", False),
        ("public/index.html", True),
    ],
)
def test_raw_shards_stay_out_of_git_and_archives_go_in(
    tmp_path: Path, path: str, ignored: bool
) -> None:
    """The cached paths (raw shards) are exactly those git ignores; archives are committed."""
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text((REPO / ".gitignore").read_text())
    check = subprocess.run(["git", "check-ignore", "--quiet", path], cwd=tmp_path, check=False)
    assert (check.returncode == 0) == ignored
    saved = _cache_paths("checks.yml", "actions/cache/save")
    raw = [p for p in saved if p.startswith("data/history/")]
    assert len(raw) == 1
    assert Path(path).match(raw[0]) == (ignored and path.startswith("data/"))


def _cache_paths(workflow: str, action: str) -> list[str]:
    """The paths a workflow's cache step names, with the location filled in."""
    jobs = _load(REPO / ".github" / "workflows" / workflow)["jobs"].values()
    steps = [s for job in jobs for s in job["steps"] if s.get("uses", "").startswith(action)]
    assert len(steps) == 1
    text = str(steps[0]["with"]["path"]).replace("${{ env.LOCATION }}", "github-actions")
    return text.split()


def test_publish_restores_exactly_what_the_checks_save() -> None:
    """A cache is found only under the same paths it was saved with."""
    saved = _cache_paths("checks.yml", "actions/cache/save")
    assert _cache_paths("checks.yml", "actions/cache/restore") == saved
    assert _cache_paths("publish.yml", "actions/cache/restore") == saved
    assert "data/alerts/" in saved  # the alert state changes every run, like the raw rows
