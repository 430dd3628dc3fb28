"""Probes against real servers on 127.0.0.1: every outcome and error kind the HTTP probe has."""

from __future__ import annotations

import asyncio
import ssl
from datetime import UTC, datetime

import pytest
import trustme

from checks.estate import Estate, unused_port
from checks.probes import probe_http
from checks.results import ProbeResult
from checks.runner import make_client
from checks.targets import Target

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def probe(target: Target, *, verify: bool | ssl.SSLContext = True) -> ProbeResult:
    async def go() -> ProbeResult:
        async with make_client(concurrency=4, verify=verify) as client:
            return await probe_http(client, target, started=WHEN, location="test")

    return asyncio.run(go())


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_healthy_endpoint_is_up(estate: Estate) -> None:
    result = probe(Target(system="s", url=estate.url("/ok")))
    assert (result.outcome, result.http_status, result.error) == ("up", 200, None)
    assert result.latency_ms is not None
    assert result.time == WHEN


def test_slower_than_threshold_is_degraded(estate: Estate) -> None:
    result = probe(Target(system="s", url=estate.url("/slow?ms=400"), degraded_after_ms=150))
    assert result.outcome == "degraded"
    assert result.error == "slow"
    assert result.latency_ms is not None and result.latency_ms >= 400


def test_slow_but_under_threshold_is_up(estate: Estate) -> None:
    result = probe(Target(system="s", url=estate.url("/slow?ms=50"), degraded_after_ms=5000))
    assert result.outcome == "up"


@pytest.mark.parametrize("code", [500, 503, 404])
def test_unexpected_status_is_down(estate: Estate, code: int) -> None:
    result = probe(Target(system="s", url=estate.url(f"/status?code={code}")))
    assert (result.outcome, result.http_status, result.error) == ("down", code, "status")
    assert f"HTTP {code}" in result.detail


def test_expected_non_200_status_is_up(estate: Estate) -> None:
    target = Target(system="s", url=estate.url("/status?code=204"), expect_status=(204,))
    assert probe(target).outcome == "up"


def test_refused_connection_is_down() -> None:
    result = probe(Target(system="s", url=f"http://127.0.0.1:{unused_port()}/"))
    assert (result.outcome, result.error) == ("down", "refused")


def test_server_that_never_answers_times_out(estate: Estate) -> None:
    result = probe(Target(system="s", url=estate.url("/hang"), timeout_seconds=0.5))
    assert (result.outcome, result.error) == ("down", "timeout")


def test_body_that_trickles_past_the_deadline_times_out(estate: Estate) -> None:
    # Each byte arrives well within httpx's per-read timeout; only the overall deadline stops it.
    result = probe(Target(system="s", url=estate.url("/trickle?ms=50"), timeout_seconds=1.0))
    assert (result.outcome, result.error) == ("down", "timeout")


def test_redirect_is_followed(estate: Estate) -> None:
    assert probe(Target(system="s", url=estate.url("/redirect?to=/ok"))).outcome == "up"


def test_redirect_loop_is_down(estate: Estate) -> None:
    result = probe(Target(system="s", url=estate.url("/loop")))
    assert (result.outcome, result.error) == ("down", "redirects")


def test_refusing_redirects_sees_the_redirect_status(estate: Estate) -> None:
    target = Target(system="s", url=estate.url("/redirect?to=/ok"), follow_redirects=False)
    result = probe(target)
    assert (result.outcome, result.http_status) == ("down", 302)


def test_certificate_from_unknown_ca_is_a_tls_failure(tls_estate: Estate) -> None:
    result = probe(Target(system="s", url=tls_estate.url("/ok")))
    assert (result.outcome, result.error) == ("down", "tls")
    assert "certificate" in result.detail


def test_trusted_certificate_is_up(tls_estate: Estate, ca: trustme.CA) -> None:
    assert probe(Target(system="s", url=tls_estate.url("/ok")), verify=trusting(ca)).outcome == "up"


def test_expired_certificate_is_down_even_when_trusted(
    expired_tls_estate: Estate, ca: trustme.CA
) -> None:
    result = probe(Target(system="s", url=expired_tls_estate.url("/ok")), verify=trusting(ca))
    assert (result.outcome, result.error) == ("down", "tls")
    assert "expired" in result.detail
