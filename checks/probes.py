"""The only network code: one probe of one target, classified into an outcome and an error kind.

Kinds of probe, chosen by the address's scheme: HTTP(S) (``https://``), TCP connect
(``tcp://host:port``), TLS certificate (``tls://host:port``) and DNS resolution (``dns://host``).
An HTTPS probe also checks its certificate, read from the connection it used.

Each attempt has per-phase timeouts (connect, then each read) and an overall deadline over all
it does (resolving, connecting, TLS, reading and decoding the body, judging the conditions),
since a body that trickles in one byte at a time never trips a per-read timeout, and a pattern
search never trips any. A body is decoded only when a condition reads it, and never past
``MAX_BODY_BYTES`` (``checks.bodies``). A failed attempt is retried (``Target.retries``) before
the probe records down. Every reason is passed through ``Target.redact`` so no secret, and no
private address, reaches a record.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx

from checks.bodies import MAX_BODY_BYTES, BodyReader, UnreadableBody
from checks.conditions import Observation
from checks.resolver import Resolver
from checks.results import ErrorKind, Outcome, ProbeResult
from checks.targets import Target

__all__ = ["ProbeTools", "classify_exception", "probe"]


@dataclass(frozen=True)
class ProbeTools:
    """What the probes of one round share; ``checks.runner.probe_tools`` builds it.

    ``client`` connects through ``resolver`` (see ``checks.resolver``); ``threads`` run the
    blocking work a probe must keep off the event loop: name lookups and judging conditions.
    """

    client: httpx.AsyncClient
    ssl_context: ssl.SSLContext
    resolver: Resolver
    threads: Executor


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


async def _send(
    client: httpx.AsyncClient, request: httpx.Request, target: Target
) -> httpx.Response:
    """The final response, streamed. Redirects are followed here, not by httpx, which reads
    each redirect's whole body, decoded and unbounded, before following it."""
    for _ in range(client.max_redirects + 1):
        response = await client.send(request, follow_redirects=False, stream=True)
        if not target.follow_redirects or response.next_request is None:
            return response
        request = response.next_request
        await response.aclose()  # no keep-alive: nothing is gained by reading the body
    raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)


async def _read_body(response: httpx.Response, *, keep: bool) -> bytes | None:
    """The decoded body when a condition reads it; otherwise the raw body is read and dropped
    (the answer is only complete once it has arrived), cut at MAX_BODY_BYTES."""
    if not keep:
        received = 0
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received >= MAX_BODY_BYTES:
                break
        return None
    reader = BodyReader(response.headers.get("content-encoding"))
    async for chunk in response.aiter_raw():
        reader.feed(chunk)
    return reader.body


async def _http(
    client: httpx.AsyncClient, target: Target, begin: float, deadline: float
) -> tuple[Observation, str | None]:
    connect = target.connect_timeout_seconds or target.timeout_seconds
    request = client.build_request(
        target.method,
        target.url,
        headers=dict(target.headers),
        content=None if target.body is None else target.body.encode(),
        timeout=httpx.Timeout(target.timeout_seconds, connect=connect),
    )
    keep = any(c.needs_body for c in (*target.conditions, *target.soft_conditions))
    response = await _send(client, request, target)
    try:
        # Read the certificate while the connection is open (the stream closes with the body).
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        cert_warning = _certificate_warning(ssl_object, target.tls_warn_days)
        raw = await _read_body(response, keep=keep)
    finally:
        await response.aclose()
    seen = Observation(
        latency_ms=_elapsed(begin),
        status=response.status_code,
        body=None if raw is None else _decode(raw, response.charset_encoding),
        headers=response.headers,
        redact=target.redact,
        deadline=deadline,
    )
    return seen, cert_warning


def _decode(raw: bytes, charset: str | None) -> str:
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8
        return raw.decode("utf-8", errors="replace")


async def _tcp(
    target: Target, addresses: tuple[str, ...], begin: float, context: ssl.SSLContext | None
) -> tuple[Observation, str | None]:
    port = target.port
    assert port is not None  # the model requires tcp:// and tls:// addresses to name a port
    writer = await _open(target, addresses, port, context)
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
    return Observation(latency_ms=latency), warning


async def _open(
    target: Target, addresses: tuple[str, ...], port: int, context: ssl.SSLContext | None
) -> asyncio.StreamWriter:
    """A connection to the first address that accepts, in the resolver's order."""
    failure: OSError | None = None
    for address in addresses:
        try:
            _, writer = await asyncio.open_connection(
                address,
                port,
                ssl=context,
                # The certificate is checked against the name, not the address it resolved to.
                server_hostname=target.host if context is not None else None,
                ssl_handshake_timeout=target.timeout_seconds if context is not None else None,
            )
        except ssl.SSLError:
            raise  # the server answered: another address would not change the verdict
        except OSError as exc:
            failure = exc
        else:
            return writer
    assert failure is not None  # the resolver never gives an empty list
    raise failure


async def _observe(
    target: Target, tools: ProbeTools, addresses: tuple[str, ...], begin: float, deadline: float
) -> tuple[Observation, str | None]:
    """What the target answered, and a certificate warning if any."""
    match target.kind:
        case "http":
            return await _http(tools.client, target, begin, deadline)
        case "tcp":
            connect = target.connect_timeout_seconds or target.timeout_seconds
            async with asyncio.timeout(connect):
                return await _tcp(target, addresses, begin, None)
        case "tls":
            return await _tcp(target, addresses, begin, tools.ssl_context)
        case "dns":
            found = tuple(sorted(addresses))
            return Observation(latency_ms=_elapsed(begin), addresses=found), None
    raise AssertionError(f"unknown kind {target.kind}")  # pragma: no cover


async def _judged(
    target: Target, seen: Observation, warning: str | None, threads: Executor
) -> _Attempt:
    """``_judge`` in a worker thread when there are conditions: a pattern search or a large JSON
    body must not hold the event loop, where it would stall every other probe of the round and
    where no deadline can interrupt it (the search itself stops at ``seen.deadline``)."""
    if not target.conditions and not target.soft_conditions:
        return _judge(target, seen, warning)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(threads, _judge, target, seen, warning)


async def _attempt(target: Target, tools: ProbeTools) -> _Attempt:
    """One attempt within the target's overall deadline; never raises for a failing target.

    The deadline covers everything the attempt does: resolving the name, connecting, TLS,
    reading and decoding the body, and judging the conditions.
    """
    begin = time.perf_counter()
    deadline = time.monotonic() + target.timeout_seconds
    limit = _seconds(target.timeout_seconds)
    step: Literal["resolve", "answer", "judge"] = "resolve"
    try:
        async with asyncio.timeout(target.timeout_seconds):
            # Start every probe's deadline before doing any work: in a round of thousands, the
            # first steps of all probes run one after another, and a deadline started late
            # would let the round overrun its timeout by that queue.
            await asyncio.sleep(0)
            addresses = await tools.resolver.addresses(target.host)
            step = "answer"
            seen, warning = await _observe(target, tools, addresses, begin, deadline)
            step = "judge"
            return await _judged(target, seen, warning, tools.threads)
    except TimeoutError as exc:
        if step == "resolve":
            reason = f"the host name did not resolve within {limit}"
        elif step == "judge":
            reason = f"the answer came, but its conditions were not checked within {limit}"
        else:
            reason = classify_exception(exc, target)[1]
        return _Attempt("down", _elapsed(begin), None, "timeout", reason)
    except UnreadableBody as exc:
        return _Attempt("down", _elapsed(begin), None, "protocol", str(exc))
    except (httpx.HTTPError, OSError, ssl.SSLError, UnicodeError) as exc:
        kind, reason = classify_exception(exc, target)
        return _Attempt("down", _elapsed(begin), None, kind, reason)
    except Exception as exc:  # one odd answer must not stop the round: record it as down
        reason = f"the probe failed unexpectedly ({type(exc).__name__})"
        return _Attempt("down", _elapsed(begin), None, "error", reason)


async def probe(
    target: Target, *, started: datetime, location: str, tools: ProbeTools
) -> ProbeResult:
    """Probe ``target``, retrying a failed attempt, and return the one result to record."""
    failures: list[str] = []
    attempts = target.retries + 1
    for number in range(1, attempts + 1):
        attempt = await _attempt(target, tools)
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
