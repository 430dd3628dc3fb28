"""The only network code: one probe of one target, classified into an outcome and an error kind.

Kinds of probe, chosen by the address's scheme: HTTP(S) (``https://``), TCP connect
(``tcp://host:port``), TLS certificate (``tls://host:port``) and DNS resolution (``dns://host``).
An HTTPS probe also checks its certificate, read from the connection it used.

Each attempt has per-phase timeouts (connect, then each read) and an overall deadline, since a
body that trickles in one byte at a time never trips a per-read timeout. A failed attempt is
retried (``Target.retries``) before the probe records down. Every reason is passed through
``Target.redact`` so no secret, and no private address, reaches a record.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from checks.conditions import Observation
from checks.results import ErrorKind, Outcome, ProbeResult
from checks.targets import Target

__all__ = ["MAX_BODY_BYTES", "classify_exception", "probe"]

MAX_BODY_BYTES = 1024 * 1024  # enough for any health document; a larger body is cut, not kept


@dataclass(frozen=True, slots=True)
class _Attempt:
    outcome: Outcome
    latency_ms: int | None
    http_status: int | None = None
    error: ErrorKind | None = None
    detail: str = ""


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _seconds(value: float) -> str:
    return f"{value:g} s"


def classify_exception(exc: BaseException, target: Target | None = None) -> tuple[ErrorKind, str]:
    """Map a failed attempt to an error kind and a reason a person can act on."""
    chain = _causes(exc)
    limit = _seconds(target.timeout_seconds) if target else "the time limit"
    connect_limit = (
        _seconds(target.connect_timeout_seconds or target.timeout_seconds) if target else limit
    )
    if any(isinstance(e, httpx.ConnectTimeout) for e in chain):
        return "timeout", f"could not connect within {connect_limit}"
    if any(isinstance(e, httpx.ReadTimeout) for e in chain):
        return "timeout", f"connected, but no answer within {limit}"
    if any(isinstance(e, TimeoutError | httpx.TimeoutException) for e in chain):
        return "timeout", f"no complete answer within {limit}"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirects", "too many redirects (a redirect loop?)"
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return "tls", f"certificate not accepted: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return "tls", f"TLS handshake failed: {cause.reason or cause}"
        if isinstance(cause, socket.gaierror):
            return "dns", _dns_reason(cause)
        if isinstance(cause, ConnectionRefusedError):
            return "refused", "connection refused: nothing is listening"
        if isinstance(cause, UnicodeError):
            return "dns", "not a valid host name"
        if isinstance(cause, ConnectionResetError):
            return "protocol", "the server reset the connection"
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "dns", "the host name does not resolve"
    if "Connection refused" in text or "All connection attempts failed" in text:
        return "refused", "connection refused: nothing is listening"
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return "tls", "TLS handshake failed"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "protocol", "the server closed the connection without a valid HTTP answer"
    if isinstance(exc, httpx.ConnectError | OSError):
        return "connect", "could not connect"
    return "protocol", f"{type(exc).__name__}: the server's answer was not valid HTTP"


def _dns_reason(exc: socket.gaierror) -> str:
    if exc.errno == socket.EAI_AGAIN:
        return "the name could not be resolved now (the resolver gave a temporary failure)"
    if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
        return "the host name does not resolve"
    return f"the host name could not be resolved ({exc.strerror or exc})"


def _certificate_warning(ssl_object: Any, warn_days: int) -> str | None:
    """A reason when the peer's certificate expires within ``warn_days``, else None.

    Only reached after the handshake verified the certificate: an expired or untrusted one has
    already failed as a ``tls`` error.
    """
    if ssl_object is None or warn_days <= 0:
        return None
    cert = ssl_object.getpeercert()
    if not cert or "notAfter" not in cert:
        return None
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), UTC)
    left = expires - datetime.now(UTC)
    if left >= timedelta(days=warn_days):
        return None
    days = max(0, left.days)
    when = "within a day" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    return f"certificate expires {when}, on {expires:%Y-%m-%d} (warned {warn_days} days ahead)"


def _judge(target: Target, seen: Observation, cert_warning: str | None) -> _Attempt:
    """The outcome of an attempt that got an answer: status, conditions, certificate, speed."""
    status = seen.status
    if status is not None and status not in target.expect_status:
        expected = ", ".join(map(str, target.expect_status))
        return _Attempt(
            "down", seen.latency_ms, status, "status", f"HTTP {status}, expected {expected}"
        )
    hard = seen.failures(target.conditions)
    if hard:
        return _Attempt("down", seen.latency_ms, status, "condition", "; ".join(hard))
    degraded: list[tuple[ErrorKind, str]] = [
        ("condition", r) for r in seen.failures(target.soft_conditions)
    ]
    if cert_warning:
        degraded.append(("tls-expiring", cert_warning))
    limit = target.degraded_after_ms
    if limit is not None and seen.latency_ms > limit:
        degraded.append(("slow", f"slower than this tool's {limit} ms limit"))
    if degraded:
        return _Attempt(
            "degraded", seen.latency_ms, status, degraded[0][0], "; ".join(r for _, r in degraded)
        )
    return _Attempt("up", seen.latency_ms, status)


def _elapsed(begin: float) -> int:
    return round((time.perf_counter() - begin) * 1000)


async def _http(client: httpx.AsyncClient, target: Target, begin: float) -> _Attempt:
    connect = target.connect_timeout_seconds or target.timeout_seconds
    request = client.build_request(
        target.method,
        target.url,
        headers=dict(target.headers),
        content=None if target.body is None else target.body.encode(),
        timeout=httpx.Timeout(target.timeout_seconds, connect=connect),
    )
    response = await client.send(request, follow_redirects=target.follow_redirects, stream=True)
    try:
        # Read the certificate while the connection is open (the stream closes with the body).
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        cert_warning = _certificate_warning(ssl_object, target.tls_warn_days)
        kept = bytearray()
        async for chunk in response.aiter_bytes():
            kept += chunk[: MAX_BODY_BYTES - len(kept)]
            if len(kept) >= MAX_BODY_BYTES:
                break
    finally:
        await response.aclose()
    latency = _elapsed(begin)
    body = _decode(bytes(kept), response.charset_encoding)
    seen = Observation(
        latency_ms=latency,
        status=response.status_code,
        body=body,
        headers=response.headers,
        redact=target.redact,
    )
    return _judge(target, seen, cert_warning)


def _decode(raw: bytes, charset: str | None) -> str:
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8
        return raw.decode("utf-8", errors="replace")


async def _tcp(target: Target, begin: float, context: ssl.SSLContext | None) -> _Attempt:
    port = target.port
    assert port is not None  # the model requires tcp:// and tls:// addresses to name a port
    _, writer = await asyncio.open_connection(
        target.host,
        port,
        ssl=context,
        server_hostname=target.host if context is not None else None,
        ssl_handshake_timeout=target.timeout_seconds if context is not None else None,
    )
    try:
        latency = _elapsed(begin)
        warning = None
        if context is not None:
            warning = _certificate_warning(
                writer.get_extra_info("ssl_object"), target.tls_warn_days
            )
    finally:
        writer.close()
        # The answer was already had; a rough close does not change it.
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()
    return _judge(target, Observation(latency_ms=latency), warning)


async def _dns(target: Target, begin: float) -> _Attempt:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(target.host, None, type=socket.SOCK_STREAM)
    addresses = tuple(sorted({str(info[4][0]) for info in infos}))
    return _judge(target, Observation(latency_ms=_elapsed(begin), addresses=addresses), None)


async def _attempt(
    target: Target, *, client: httpx.AsyncClient, ssl_context: ssl.SSLContext
) -> _Attempt:
    """One attempt within the target's overall deadline; never raises for a failing target."""
    begin = time.perf_counter()
    try:
        async with asyncio.timeout(target.timeout_seconds):
            # Start every probe's deadline before doing any work: in a round of thousands, the
            # first steps of all probes run one after another, and a deadline started late
            # would let the round overrun its timeout by that queue.
            await asyncio.sleep(0)
            match target.kind:
                case "http":
                    return await _http(client, target, begin)
                case "tcp":
                    connect = target.connect_timeout_seconds or target.timeout_seconds
                    async with asyncio.timeout(connect):
                        return await _tcp(target, begin, None)
                case "tls":
                    return await _tcp(target, begin, ssl_context)
                case "dns":
                    return await _dns(target, begin)
    except (httpx.HTTPError, OSError, TimeoutError, ssl.SSLError, UnicodeError) as exc:
        kind, reason = classify_exception(exc, target)
        return _Attempt("down", _elapsed(begin), None, kind, reason)
    except Exception as exc:  # one odd answer must not stop the round: record it as down
        reason = f"the probe failed unexpectedly ({type(exc).__name__})"
        return _Attempt("down", _elapsed(begin), None, "error", reason)
    raise AssertionError(f"unknown kind {target.kind}")  # pragma: no cover


async def probe(
    target: Target,
    *,
    started: datetime,
    location: str,
    client: httpx.AsyncClient,
    ssl_context: ssl.SSLContext,
) -> ProbeResult:
    """Probe ``target``, retrying a failed attempt, and return the one result to record."""
    failures: list[str] = []
    attempts = target.retries + 1
    for number in range(1, attempts + 1):
        attempt = await _attempt(target, client=client, ssl_context=ssl_context)
        if attempt.outcome != "down" or number == attempts:
            break
        failures.append(attempt.detail)
        await asyncio.sleep(target.retry_pause_seconds)  # let a restarting service come back
    detail = attempt.detail
    if attempt.outcome == "down" and attempts > 1:
        detail = f"{detail} (all {attempts} attempts failed)"
    elif failures:
        first = "; ".join(f"attempt {i}: {reason}" for i, reason in enumerate(failures, 1))
        detail = "; ".join(filter(None, [detail, f"answered on attempt {number} ({first})"]))
    return ProbeResult(
        time=started,
        system=target.system,
        location=location,
        outcome=attempt.outcome,
        latency_ms=attempt.latency_ms,
        http_status=attempt.http_status,
        error=attempt.error,
        detail=target.redact(detail),
    )
