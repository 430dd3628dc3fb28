"""The growth benchmark runs the real commit path and reads every row back (a small run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.repo_growth import main, repo_growth


def test_a_small_simulation_commits_once_a_day_and_keeps_every_row(tmp_path: Path) -> None:
    result = repo_growth(systems=2, days=3, work=tmp_path)
    assert (result.rows, result.commits) == (2 * 288 * 3, 3)
    archives = sorted(p.name for p in (tmp_path / "check").rglob("*.csv.gz"))
    assert archives == sorted(["2026-01-01.csv.gz", "2026-01-02.csv.gz", "2026-01-03.csv.gz"] * 2)
    assert result.tree_bytes == sum(p.stat().st_size for p in (tmp_path / "check").rglob("*.gz"))
    assert 0 < result.tree_bytes < result.pack_bytes  # git adds its commits and trees
    assert result.per_system_year == result.pack_bytes / 2 * 365 / 3


def test_the_figure_is_printed_per_system_per_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--systems", "1", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("repo growth: 1 systems, 1 days of 5-minute rounds (288 rows)")
    assert "KB per system per year" in out
