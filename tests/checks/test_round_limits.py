"""What one bad target can do to a round: nothing. A pattern that backtracks for ages, a
compression bomb and names that never resolve each cost their own probe, recorded as failed,
while every other probe of the same round is recorded as it should be.

Everything is real (servers on 127.0.0.1, httpx, threads, the system resolver for
``localhost``) except, in the DNS test, the resolver function for ``.test`` names: the system
resolver cannot be made slow on one machine, so the round is given a function that answers
some names at once and holds others until the test ends.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import tracemalloc
from collections.abc import Iterator, Sequence
from urllib.parse import quote, urlsplit

import pytest

from checks.bodies import MAX_BODY_BYTES, STEP
from checks.conditions import parse_condition
from checks.estate import Estate
from checks.resolver import system_resolve
from checks.results import ProbeResult
from checks.runner import run_round
from checks.targets import Target
from tests.checks.test_patterns import SLIPS_PAST, SLOW_BODY, matches

TIMEOUT = 2.0  # long enough for healthy targets on a loaded machine; bad ones wait it out


def healthy(estate: Estate, count: int, host: str = "127.0.0.1") -> list[Target]:
    """Targets that answer "ok" at once, judged by a text and a pattern condition."""
    port = urlsplit(estate.base_url).port
    checks = (parse_condition('body contains "ok"'), parse_condition('body matches "^ok$"'))
    return [
        Target(
            system=f"healthy-{index}",
            url=f"http://{host}:{port}/ok",
            conditions=checks,
            timeout_seconds=TIMEOUT,
        )
        for index in range(count)
    ]


def by_system(results: Sequence[ProbeResult]) -> dict[str, ProbeResult]:
    return {result.system: result for result in results}


def outcome(result: ProbeResult) -> tuple[str, str | None, str]:
    return result.outcome, result.error, result.detail


# --- a pattern that backtracks for ages --------------------------------------------------


def test_a_slow_pattern_costs_its_own_probe_and_the_round_records_everyone(
    estate: Estate,
) -> None:
    slow = Target(
        system="slow-pattern",
        url=estate.url("/json?body=" + quote(SLOW_BODY)),
        conditions=(parse_condition(matches(SLIPS_PAST)),),
        timeout_seconds=TIMEOUT,
    )
    targets = [slow, *healthy(estate, 10)]
    results = by_system(asyncio.run(run_round(targets, location="test")))
    assert set(results) == {target.system for target in targets}
    assert outcome(results["slow-pattern"]) == (
        "down",
        "timeout",
        "the answer came, but its conditions were not checked within 2 s",
    )
    assert all(results[t.system].outcome == "up" for t in targets[1:])


# --- compression bombs -------------------------------------------------------------------

BOMB_MIB = 16  # decoded: 16 times the limit, from a few hundred bytes on the wire
TOO_LARGE = f"the body is larger than {MAX_BODY_BYTES} bytes when decoded"
BOMBS = {
    "gzip": f"/compressed?layers=gzip&mb={BOMB_MIB}",
    "gzip-of-gzip": f"/compressed?layers=gzip,gzip&mb={BOMB_MIB}",
    "gzip-of-gzip-labelled-gzip": f"/compressed?layers=gzip,gzip&mb={BOMB_MIB}&header=gzip",
    "deflate-of-gzip": f"/compressed?layers=gzip,deflate&mb={BOMB_MIB}",
}


@pytest.fixture(scope="module")
def bombs_built(estate: Estate) -> None:
    """The server builds each bomb on its first request: done here, outside any deadline."""
    targets = [Target(system=name, url=estate.url(path)) for name, path in BOMBS.items()]
    assert all(r.outcome == "up" for r in asyncio.run(run_round(targets, location="warm-up")))


def body_check(estate: Estate, system: str, path: str, condition: str) -> Target:
    return Target(
        system=system,
        url=estate.url(path),
        conditions=(parse_condition(condition),),
        timeout_seconds=TIMEOUT,
    )


@pytest.mark.usefixtures("bombs_built")
def test_compression_bombs_fail_their_own_probe_and_neighbours_stay_up(estate: Estate) -> None:
    bombs = [body_check(estate, name, path, 'body contains "ok"') for name, path in BOMBS.items()]
    targets = [*bombs, *healthy(estate, 10)]
    results = by_system(asyncio.run(run_round(targets, location="test")))
    for name in ("gzip", "gzip-of-gzip", "deflate-of-gzip"):
        assert outcome(results[name]) == ("down", "protocol", TOO_LARGE), name
    # Labelled as one layer, the body is the inner gzip stream, small and not "ok" when read.
    assert outcome(results["gzip-of-gzip-labelled-gzip"]) == (
        "down",
        "condition",
        'condition not met: body contains "ok"',
    )
    assert all(results[f"healthy-{i}"].outcome == "up" for i in range(10))


@pytest.mark.usefixtures("bombs_built")
def test_a_bomb_is_read_in_little_memory(estate: Estate) -> None:
    target = body_check(estate, "bomb", BOMBS["gzip-of-gzip"], 'body contains "ok"')
    tracemalloc.start()
    try:
        result = asyncio.run(run_round([target], location="test"))[0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome(result) == ("down", "protocol", TOO_LARGE)
    # The body kept up to the limit, plus a step of inflated bytes per layer and the round's
    # own bookkeeping: nowhere near the bomb's size.
    assert peak < 2 * MAX_BODY_BYTES + 4 * STEP + 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("layers", "header"), [("gzip", "gzip"), ("deflate,gzip", "deflate, gzip"), ("gzip", "x-gzip")]
)
def test_compressed_bodies_are_read_and_judged(estate: Estate, layers: str, header: str) -> None:
    path = f"/compressed?layers={layers}&header={quote(header)}&body=all+ok"
    target = body_check(estate, "zipped", path, 'body == "all ok"')
    assert asyncio.run(run_round([target], location="test"))[0].outcome == "up"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("br", "the body is encoded as br, which probes cannot read (they ask for gzip, deflate)"),
        ("gzip, gzip, gzip", "the body is encoded 3 times (gzip, gzip, gzip);"
                             " probes undo at most 2"),
        ("deflate", "the body is not valid deflate"
                    " (Error -3 while decompressing data: invalid block type)"),
    ],
)  # fmt: skip
def test_bodies_that_cannot_be_decoded_say_why(estate: Estate, header: str, reason: str) -> None:
    path = f"/compressed?layers=gzip&header={quote(header)}&body=ok"
    target = body_check(estate, "odd", path, 'body contains "ok"')
    result = asyncio.run(run_round([target], location="test"))[0]
    assert outcome(result) == ("down", "protocol", reason)


@pytest.mark.usefixtures("bombs_built")
def test_a_check_that_reads_no_body_does_not_decode_one(estate: Estate) -> None:
    """Only conditions on the body need it decoded; a status check of a bomb is up."""
    target = Target(system="status-only", url=estate.url(BOMBS["gzip-of-gzip"]))
    assert asyncio.run(run_round([target], location="test"))[0].outcome == "up"


# --- names that never resolve ------------------------------------------------------------

# Names glibc refuses locally (a label starting with a hyphen), so that if the round ever asked
# the system resolver for them instead of the injected function, no query would leave the
# machine: the probe would fail and so would the test.
SLOW_NAMES = [f"-slow-{index}-.test" for index in range(40)]  # more than any default pool
QUICK_NAME = "-quick-.test"


class HeldResolver:
    """Answers QUICK_NAME at once, asks the system resolver for ``localhost``, and holds the
    slow names until ``release`` (a resolver that never answers, as far as the round knows)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.asked: list[str] = []

    def __call__(self, host: str) -> Sequence[str]:
        self.asked.append(host)
        if host == QUICK_NAME:
            return ("127.0.0.1",)
        if host in SLOW_NAMES:
            self.release.wait()
            raise socket.gaierror(socket.EAI_AGAIN, "held by the test")
        return system_resolve(host)


@pytest.fixture
def held() -> Iterator[HeldResolver]:
    resolver = HeldResolver()
    yield resolver
    resolver.release.set()  # let the held lookups' threads finish


def test_slow_names_time_out_alone_and_healthy_names_are_recorded_up(
    estate: Estate, held: HeldResolver
) -> None:
    port = urlsplit(estate.base_url).port
    kinds = [f"http://{{}}:{port}/ok", f"tcp://{{}}:{port}", "dns://{}"]
    slow = [
        Target(system=f"slow-{i}", url=kinds[i % 3].format(name), timeout_seconds=TIMEOUT)
        for i, name in enumerate(SLOW_NAMES)
    ]
    quick = [
        Target(system=f"quick-{i}", url=kinds[i % 3].format(QUICK_NAME), timeout_seconds=TIMEOUT)
        for i in range(6)
    ]
    targets = [*slow, *quick, *healthy(estate, 6, host="localhost")]
    results = by_system(asyncio.run(run_round(targets, location="test", resolve=held)))
    assert set(results) == {target.system for target in targets}
    for target in slow:
        assert outcome(results[target.system]) == (
            "down",
            "timeout",
            "the host name did not resolve within 2 s",
        ), target.url
    for target in targets[len(slow) :]:
        assert results[target.system].outcome == "up", (target.url, results[target.system])
    # Every name was looked up once, however many probes asked for it. The quick name's HTTP
    # probes being up shows the HTTP client connected through the round's resolver: glibc
    # refuses that name.
    assert sorted(held.asked) == sorted({*SLOW_NAMES, QUICK_NAME, "localhost"})
