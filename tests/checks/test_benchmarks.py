"""``python -m benchmarks`` runs end to end on small sizes and prints its figures.

It never judges time (that is for people reading the figures); this only keeps the benchmark
working: every section prints, the loopback servers answer, and the round classifies targets.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_benchmarks_run_small_and_print_every_figure() -> None:
    run = subprocess.run(
        [
            sys.executable, "-m", "benchmarks", "--timeout", "3", "--targets", "20",
            "--limited", "10", "--sequential", "2", "--min-rounds-per-commit", "288",
            "--no-repack", "--rollup-systems", "1", "--rollup-months", "1",
            # The default site and growth sizes take minutes: each section runs, small.
            "--site-systems", "2", "--growth-systems", "2", "--growth-days", "3",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = run.stdout
    headings = re.findall(r"^== (.+) ==$", out, flags=re.MULTILINE)
    assert headings == [
        "Probe rounds (loopback)",
        "History size",
        "Rollups",
        "Site for a large estate",
        "Repository growth (the schedule's commit policy)",
    ]
    assert re.search(r"concurrent round: 20 targets, 2 hanging, T = 3 s, at most 20 at once", out)
    assert re.search(r"wall [0-9.]+ s = [0-9.]+ x T", out)
    # Every hanging target is down: they never answer, whatever the machine's load.
    assert "hanging seen" not in out
    assert re.search(r"classified correctly: [0-9]+/20", out)
    assert re.search(r"8928 rows, [0-9,]+ bytes", out)
    assert re.search(r"git, one commit daily: 31 commits, [0-9.,]+ KiB after git gc", out)
    assert re.search(r"1 systems x 1 months = 8,928 rows: built from raw rows in", out)
    assert re.search(r"generation with rollups cached: [0-9.]+ s", out)
    assert re.search(r"full build \(generation \+ mkdocs\) [0-9.]+ s = [0-9.]+ x", out)
    assert re.search(r"2 systems, 3 days of 5-minute rounds \(1728 rows\), committed once", out)
    assert "every row read back from a fresh clone" in out
