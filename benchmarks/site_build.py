"""The site for a large estate: 50 systems with a year of 5-minute history (about 5.3 million
rows). Measures generation with rollups cached against the mkdocs build of the same pages."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checks.results import HEADER, format_time
from portal.generate import generate

__all__ = ["SiteFigures", "measure_site"]

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SiteFigures:
    systems: int
    rows: int
    pages: int
    write_seconds: float
    cold_generate_seconds: float  # rollups built from raw rows
    warm_generate_seconds: float  # rollups cached
    mkdocs_seconds: float
    overview_gzip_bytes: int


def _estate(root: Path, systems: int) -> list[str]:
    """The shipped content, its catalogue padded with synthetic tools to ``systems``."""
    for name in ("site_src", "overrides", "training", "roadmap", "schemas", "catalog"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    template = (REPO / "catalog" / "events.yml").read_text()
    shipped = sorted(
        p.stem
        for p in (root / "catalog").glob("*.yml")
        if p.stem not in {"portal", "teams", "roles"}
    )
    extra = [f"tool-{i:02d}" for i in range(1, systems - len(shipped) + 1)]
    for system_id in extra:
        text = template.replace("id: events", f"id: {system_id}").replace(
            "name: Events", f"name: Tool {system_id[-2:]}"
        )
        text = text.replace("lifecycle: live", "lifecycle: beta").replace(
            "depends_on: [login]\n", ""
        )
        # Beta tools need no runbook; the synthetic ones have no hand-written docs.
        text = text.replace("docs:\n  pages: [runbook]\n", "")
        (root / "catalog" / f"{system_id}.yml").write_text(text)
    return shipped + extra


def _history(root: Path, ids: list[str], now: datetime) -> int:
    """A year of 5-minute rounds per system: mostly up, some degraded, a few short outages."""
    rng = random.Random(2026)
    start = (now - timedelta(days=365)).replace(minute=0, second=0, microsecond=0)
    count = 0
    for system_id in ids:
        folder = root / "history" / "bench" / system_id
        folder.mkdir(parents=True)
        months: dict[str, list[str]] = {}
        moment = start
        down_until = start
        while moment <= now:
            if moment >= down_until and rng.random() < 0.0005:
                down_until = moment + timedelta(minutes=5 * rng.randint(2, 24))
            if moment < down_until:
                line = f"{format_time(moment)},down,,,timeout,no answer within the time limit\n"
            elif rng.random() < 0.01:
                line = f"{format_time(moment)},degraded,{rng.randint(2100, 4000)},200,slow,slow\n"
            else:
                line = f"{format_time(moment)},up,{rng.randint(40, 400)},200,,\n"
            months.setdefault(f"{moment:%Y-%m}", []).append(line)
            moment += timedelta(minutes=5)
            count += 1
        for month, lines in months.items():
            (folder / f"{month}.csv").write_text(HEADER + "\n" + "".join(lines))
    return count


def measure_site(folder: Path, *, systems: int = 50) -> SiteFigures:
    now = datetime.now(UTC).replace(microsecond=0)
    root = folder / "repo"
    began = time.perf_counter()
    ids = _estate(root, systems)
    rows = _history(root, ids, now)
    wrote = time.perf_counter() - began

    def run_generate() -> tuple[float, int]:  # seconds, files
        begin = time.perf_counter()
        done = generate(
            root,
            history=root / "history",
            docs=root / "site_src",
            now=now,
            cache=root / "build" / "rollups",
        )
        return time.perf_counter() - begin, done.files

    cold, _ = run_generate()
    warm, _ = run_generate()
    begin = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(root / "site")],
        cwd=root,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    built = time.perf_counter() - begin
    pages = sum(1 for _ in (root / "site").rglob("index.html"))
    overview = (root / "site" / "status" / "index.html").read_bytes()
    return SiteFigures(
        systems=systems,
        rows=rows,
        pages=pages,
        write_seconds=wrote,
        cold_generate_seconds=cold,
        warm_generate_seconds=warm,
        mkdocs_seconds=built,
        overview_gzip_bytes=len(gzip.compress(overview, 9)),
    )
