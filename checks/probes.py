"""The only network code: one HTTP probe, classified into an outcome and an error kind."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from datetime import datetime

import httpx

from checks.results import ErrorKind, ProbeResult
from checks.targets import Target

__all__ = ["classify_exception", "probe_http"]


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify_exception(exc: BaseException) -> tuple[ErrorKind, str]:
    """Map a failed request to an error kind and a reason a person can act on."""
    chain = _causes(exc)
    if any(isinstance(e, TimeoutError | httpx.TimeoutException) for e in chain):
        return "timeout", "no complete answer within the time limit"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirects", "too many redirects (a redirect loop?)"
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "tls", f"certificate not accepted: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return "tls", f"TLS handshake failed: {cause.reason or cause}"
        if isinstance(cause, socket.gaierror):
            return "dns", "the host name does not resolve"
        if isinstance(cause, ConnectionRefusedError):
            return "refused", "connection refused: nothing is listening"
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "dns", "the host name does not resolve"
    if "Connection refused" in text or "All connection attempts failed" in text:
        return "refused", "connection refused: nothing is listening"
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return "tls", "TLS handshake failed"
    if isinstance(exc, httpx.ConnectError):
        return "connect", "could not connect"
    return "protocol", f"{type(exc).__name__}: the server's answer was not valid HTTP"


async def probe_http(
    client: httpx.AsyncClient, target: Target, *, started: datetime, location: str
) -> ProbeResult:
    """Fetch ``target`` once, the body included, within its overall deadline."""
    begin = time.perf_counter()

    def result(outcome: str, **fields: object) -> ProbeResult:
        return ProbeResult(
            time=started,
            system=target.system,
            location=location,
            outcome=outcome,  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )

    try:
        # httpx's timeouts are per phase; a body that trickles in needs an overall deadline.
        async with asyncio.timeout(target.timeout_seconds):
            response = await client.request(
                target.method,
                target.url,
                headers=dict(target.headers),
                follow_redirects=target.follow_redirects,
                timeout=httpx.Timeout(target.timeout_seconds),
            )
            await response.aread()
    except (httpx.HTTPError, OSError, TimeoutError) as exc:
        kind, reason = classify_exception(exc)
        latency = round((time.perf_counter() - begin) * 1000)
        return result("down", latency_ms=latency, error=kind, detail=reason)
    latency = round((time.perf_counter() - begin) * 1000)
    status = response.status_code
    if status not in target.expect_status:
        expected = ", ".join(map(str, target.expect_status))
        return result(
            "down",
            latency_ms=latency,
            http_status=status,
            error="status",
            detail=f"HTTP {status}, expected {expected}",
        )
    if target.degraded_after_ms is not None and latency > target.degraded_after_ms:
        return result(
            "degraded",
            latency_ms=latency,
            http_status=status,
            error="slow",
            detail=f"slower than this tool's {target.degraded_after_ms} ms limit",
        )
    return result("up", latency_ms=latency, http_status=status)
