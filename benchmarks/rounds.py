"""The round benchmark: one round over many loopback targets, a tenth of them hanging.

A hanging target accepts the connection and never answers, so its probe ends at the timeout T.
A round that probes everything at once should take about T however many targets it has; one
done target after target takes about (hanging x T) plus the healthy ones' time.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from checks.conditions import parse_condition
from checks.runner import run_round
from checks.targets import Target

__all__ = ["RoundFigures", "bench_targets", "measure_round"]

HANGING_EVERY = 10  # every tenth target hangs: 10%


@dataclass(frozen=True)
class RoundFigures:
    targets: int
    hanging: int
    timeout: float
    concurrency: int
    wall: float
    correct: int
    healthy_latencies: list[int] = field(repr=False)
    mistakes: Counter[str] = field(default_factory=Counter)

    @property
    def ratio(self) -> float:
        return self.wall / self.timeout

    @property
    def healthy_mean_ms(self) -> float:
        return sum(self.healthy_latencies) / max(1, len(self.healthy_latencies))

    def latency_summary(self) -> str:
        ordered = sorted(self.healthy_latencies)
        if not ordered:
            return "no healthy targets"
        p50 = ordered[len(ordered) // 2]
        return f"healthy targets answered in {p50} ms (median), {ordered[-1]} ms (slowest)"


def bench_targets(ports: Sequence[int], count: int, timeout: float) -> list[tuple[Target, bool]]:
    """``count`` targets spread over the servers' ports; True marks a hanging one."""
    ok = (parse_condition('body contains "ok"'),)
    made = []
    for index in range(count):
        hangs = index % HANGING_EVERY == 0
        port = ports[index % len(ports)]
        made.append(
            (
                Target(
                    system=f"target-{index:04d}",
                    url=f"http://127.0.0.1:{port}/{'hang' if hangs else 'ok'}?n={index}",
                    timeout_seconds=timeout,
                    conditions=() if hangs else ok,
                    # No slow threshold: on a loaded 2-core machine the prober's own queue
                    # shows up in latency, and this benchmark judges up or down, not speed.
                    degraded_after_ms=None,
                    retries=0,
                ),
                hangs,
            )
        )
    return made


def measure_round(targets: Sequence[tuple[Target, bool]], *, concurrency: int) -> RoundFigures:
    plain = [target for target, _ in targets]
    begin = time.perf_counter()
    results = asyncio.run(run_round(plain, location="bench", concurrency=concurrency))
    wall = time.perf_counter() - begin
    correct = 0
    mistakes: Counter[str] = Counter()
    latencies = []
    for (_, hangs), result in zip(targets, results, strict=True):
        expected = ("down", "timeout") if hangs else ("up", None)
        got = (result.outcome, result.error)
        if got == expected:
            correct += 1
        else:
            mistakes[
                f"{'hanging' if hangs else 'healthy'} seen {result.outcome}/{result.error}"
            ] += 1
        if not hangs and result.latency_ms is not None:
            latencies.append(result.latency_ms)
    return RoundFigures(
        targets=len(plain),
        hanging=sum(1 for _, hangs in targets if hangs),
        timeout=plain[0].timeout_seconds if plain else 0.0,
        concurrency=concurrency,
        wall=wall,
        correct=correct,
        healthy_latencies=latencies,
        mistakes=mistakes,
    )
