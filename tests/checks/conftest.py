"""Fixtures for the checks: certificates near expiry, a TCP listener that never answers."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import trustme

from checks.estate import Estate

WARN_DAYS = 14
NEAR_EXPIRY_DAYS = 5  # well inside WARN_DAYS, so the warning does not hang on hours


def _serve(cert: trustme.LeafCert) -> Estate:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return Estate(tls=context)


@pytest.fixture(scope="session")
def expiring_tls_estate(ca: trustme.CA) -> Iterator[Estate]:
    """HTTPS with a trusted certificate that expires in NEAR_EXPIRY_DAYS days."""
    now = datetime.now(UTC)
    cert = ca.issue_cert(
        "127.0.0.1",
        not_before=now - timedelta(days=80),
        not_after=now + timedelta(days=NEAR_EXPIRY_DAYS, hours=12),
    )
    with _serve(cert) as running:
        yield running


@pytest.fixture(scope="session")
def other_name_tls_estate(ca: trustme.CA) -> Iterator[Estate]:
    """HTTPS on 127.0.0.1 with a trusted certificate for another name only."""
    with _serve(ca.issue_cert("service.example")) as running:
        yield running


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port whose listener completes TCP handshakes (the kernel does) but never speaks."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    """A client context that trusts the tests' CA, as production trusts the public ones."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context
