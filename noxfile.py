"""Every task, run the same way on a laptop, a cron host and any CI: ``nox -s NAME``.

``nox`` alone runs the whole test suite: lint, content validation and every test (the browser
tests included). Each session installs exactly the locked dependencies with uv.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True
nox.options.sessions = ["lint", "validate", "tests"]

WORKFLOWS = sorted(str(p) for p in Path(".github/workflows").glob("*.yml"))

ENV = {
    # The machine's own Python is used; nothing is downloaded behind the user's back.
    "UV_PYTHON_DOWNLOADS": "never",
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def _sync(session: nox.Session, *groups: str) -> None:
    """Install the locked dependencies (and the named groups) into this session's venv."""
    session.run_install(
        "uv",
        "sync",
        "--locked",
        *(f"--group={group}" for group in groups),
        env={**ENV, "UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
        external=True,
        silent=True,
    )
    session.env.update(ENV)


def _generate(session: nox.Session, history: str) -> None:
    session.run("python", "-m", "portal", "generate", "--history", history)


def _mkdocs_build(session: nox.Session, site: str = "site") -> None:
    session.run("mkdocs", "build", "--strict", "--quiet", "--site-dir", site)
    session.run("python", "-m", "portal", "offline", "--site", site)


@nox.session
def validate(session: nox.Session) -> None:
    """Check every content file; print every problem as file:line: field: message."""
    _sync(session)
    session.run("python", "-m", "portal", "validate", *session.posargs)
    session.run("python", "-m", "portal", "schema", "--check")


@nox.session
def schema(session: nox.Session) -> None:
    """Regenerate the JSON Schemas in schemas/ after a model change."""
    _sync(session)
    session.run("python", "-m", "portal", "schema")


@nox.session
def checks(session: nox.Session) -> None:
    """Run one scheduled probe round (recorded at its slot's start) and append it to history."""
    _sync(session)
    session.run("python", "-m", "checks", "run", "--align", *session.posargs)


@nox.session(name="alert-test")
def alert_test(session: nox.Session) -> None:
    """Send a clearly marked test alert through a system's channels: ``-- SYSTEM``.

    Without a system, the portal-wide channels. The channels' environment variables must be
    set in the shell that runs nox.
    """
    _sync(session)
    session.run("python", "-m", "checks", "alert-test", *session.posargs)


@nox.session
def announce(session: nox.Session) -> None:
    """Post new written incident updates to the announce channels (run after publishing)."""
    _sync(session)
    session.run("python", "-m", "checks", "announce", *session.posargs)


@nox.session
def compact(session: nox.Session) -> None:
    """Move raw rows of completed days into one compressed archive per day (one location)."""
    _sync(session)
    session.run("python", "-m", "checks", "compact", *session.posargs)


@nox.session
def commit(session: nox.Session) -> None:
    """Seal completed days, commit them and push, retrying over commits that landed meanwhile.

    The schedule runs ``nox -s commit -- --location NAME`` after each ``nox -s checks``.
    """
    _sync(session)
    session.run("python", "-m", "checks", "commit", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the portal into site/ from the content and data/history/.

    ``nox -s build -- public`` builds into public/ instead (GitLab Pages serves that folder).
    """
    _sync(session)
    _generate(session, "data/history")
    _mkdocs_build(session, *session.posargs[:1])


@nox.session
def serve(session: nox.Session) -> None:
    """Preview the portal with live reload at http://127.0.0.1:8000/."""
    _sync(session)
    _generate(session, "data/history")
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job, offline: probe a simulated estate, build the full portal, serve it.

    ``nox -s demo -- --no-serve`` stops after the build (site/ is ready to open).
    """
    _sync(session)
    shutil.rmtree("build/demo", ignore_errors=True)
    session.run("python", "-m", "checks", "demo", "--out", "build/demo", "--rounds", "3")
    _generate(session, "build/demo/history")
    _mkdocs_build(session)
    session.log("The portal is built in site/.")
    if "--no-serve" not in session.posargs:
        session.log("Serving it at http://127.0.0.1:8000/ (Ctrl+C stops).")
        session.run("python", "-m", "http.server", "8000", "--bind", "127.0.0.1", "-d", "site")


def _pytest(session: nox.Session, *args: str) -> None:
    # pytest exits 5 when it collected no tests. With a selection given (-k, a path), that only
    # means nothing matched; with none, the suite itself is missing and that is a failure.
    codes = [0, 5] if session.posargs else [0]
    session.run("pytest", *args, *session.posargs, success_codes=codes)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, browser tests included (needs Chromium: see README)."""
    _sync(session, "test")
    _pytest(session)


@nox.session
def browser(session: nox.Session) -> None:
    """Only the browser tests: real headless Chromium against the built site."""
    _sync(session, "test")
    _pytest(session, "-m", "browser")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and mypy (strict on the packages)."""
    _sync(session, "test", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # CI files: actionlint for the GitHub workflows, the vendored JSON Schemas (offline) for both.
    session.run("actionlint", "-no-color")
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    session.run("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml")


@nox.session(name="format")
def format_(session: nox.Session) -> None:
    """Apply ruff's fixes and formatting."""
    _sync(session, "lint")
    session.run("ruff", "check", "--fix", ".")
    session.run("ruff", "format", ".")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: print measured figures (never pass/fail on time)."""
    _sync(session, "test")
    session.run("python", "-m", "benchmarks", *session.posargs)
