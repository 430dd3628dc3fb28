"""Shared fixtures: a real estate on loopback (HTTP and HTTPS), a clean environment."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from checks.demo import run_demo
from checks.estate import Estate
from portal.generate import generate
from portal.offline import write_service_worker
from portal.write import MANIFEST

REPO = Path(__file__).resolve().parent.parent


def generated_pages() -> set[Path]:
    """Pages a local build wrote into the checkout's site_src/ (listed in its manifest): output,
    not content, so tests about what people wrote leave them out. A clean clone has none."""
    docs = REPO / "site_src"
    manifest = docs / MANIFEST
    if not manifest.is_file():
        return set()
    return {docs / name for name in json.loads(manifest.read_text(encoding="utf-8"))}


@pytest.fixture(autouse=True)
def _no_proxies_or_ca_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probes must reach 127.0.0.1 directly, whatever the developer's shell exports."""
    for name in list(os.environ):
        if name.lower() in {
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "ssl_cert_file",
            "ssl_cert_dir",
            "requests_ca_bundle",
        }:
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def estate() -> Iterator[Estate]:
    with Estate() as running:
        yield running


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


def _tls_estate(cert: trustme.LeafCert) -> Estate:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return Estate(tls=context)


@pytest.fixture(scope="session")
def tls_estate(ca: trustme.CA) -> Iterator[Estate]:
    """HTTPS with a certificate from a CA only the test trusts (self-signed to everyone else)."""
    with _tls_estate(ca.issue_cert("127.0.0.1", "localhost")) as running:
        yield running


@pytest.fixture(scope="session")
def expired_tls_estate(ca: trustme.CA) -> Iterator[Estate]:
    now = datetime.now(UTC)
    cert = ca.issue_cert(
        "127.0.0.1", not_before=now - timedelta(days=60), not_after=now - timedelta(days=1)
    )
    with _tls_estate(cert) as running:
        yield running


def copy_content(root: Path) -> Path:
    """Copy the shipped content, site sources and mkdocs.yml to ``root`` (to edit or build)."""
    for name in ("catalog", "site_src", "schemas"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(".generated.json"))
    for name in ("roadmap", "training", "incidents", "overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the content copy it was built from
    site: Path  # the built site/


def build_site(root: Path, history: Path, site: Path, *, now: datetime | None = None) -> Path:
    """Generate pages from ``root`` and ``history`` and run ``mkdocs build --strict``."""
    now = now or datetime.now(UTC)
    generate(
        root, history=history, docs=root / "site_src", now=now, cache=root / "build" / "rollups"
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=root,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    write_service_worker(site)
    return site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped content, probed once against the simulated estate and built: the demo.

    The test fixtures' incident reports and a future maintenance window are added, so every
    page type exists; none of them changes a system's state.
    """
    root = copy_content(tmp_path_factory.mktemp("demo") / "repo")
    for kind in ("incidents", "maintenance"):
        shutil.copytree(REPO / "tests" / "data" / "status" / kind, root / kind, dirs_exist_ok=True)
    out = root / "build" / "demo"
    run_demo(root, out, rounds=1)
    return BuiltSite(root, build_site(root, out / "history", root / "site"))


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped content and site sources, safe to edit and build."""
    return copy_content(tmp_path / "repo")
