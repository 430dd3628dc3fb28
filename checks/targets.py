"""Turn catalogue health checks into probe targets: placeholders filled, secrets resolved.

A ``Target`` is what one probe needs and nothing more. Its defaults are the bare probe (no
retries, no conditions); the catalogue's defaults live once, in ``HealthCheck``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from checks.conditions import Condition
from checks.errors import CheckConfigError

if TYPE_CHECKING:
    # Only for annotations: the catalogue model imports checks.conditions, so importing it
    # here at run time would make the two packages import each other.
    from portal.models.catalog import Catalog, HealthCheck

__all__ = ["PRIVATE", "SECRET", "Target", "public_address", "target_for", "targets_from_catalog"]

Kind = Literal["http", "tcp", "tls", "dns"]
SECRET = "[secret]"  # what a secret's value is replaced with wherever text is recorded
PRIVATE = "[private address]"  # what a private system's address is replaced with
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_KINDS: dict[str, Kind] = {
    "http": "http",
    "https": "http",
    "tcp": "tcp",
    "tls": "tls",
    "dns": "dns",
}


@dataclass(frozen=True)
class Target:
    system: str
    url: str
    method: str = "GET"
    expect_status: tuple[int, ...] = (200,)
    timeout_seconds: float = 10.0
    connect_timeout_seconds: float | None = None
    degraded_after_ms: int | None = None
    follow_redirects: bool = True
    conditions: tuple[Condition, ...] = ()
    soft_conditions: tuple[Condition, ...] = ()
    tls_warn_days: int = 0
    retries: int = 0
    retry_pause_seconds: float = 0.0
    public: bool = True
    # Resolved secret values: never printed (repr=False) and never written anywhere.
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    body: str | None = field(default=None, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if urlsplit(self.url).scheme not in _KINDS:
            raise CheckConfigError(f"{self.system}: cannot probe {self.url!r}: unknown scheme")

    @property
    def kind(self) -> Kind:
        return _KINDS[urlsplit(self.url).scheme]

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int | None:
        parts = urlsplit(self.url)
        if parts.port is not None:
            return parts.port
        return {"http": 80, "https": 443}.get(parts.scheme)

    def redact(self, text: str) -> str:
        """``text`` with every secret value, and a private system's address, blanked out."""
        # A secret's folded form too ("a  b" as "a b"): reasons fold runs of whitespace.
        forms = {form for secret in self.secrets for form in (secret, " ".join(secret.split()))}
        for secret in sorted(forms, key=len, reverse=True):
            if secret:
                text = text.replace(secret, SECRET)
        if not self.public:
            parts = urlsplit(self.url)
            for shown in (self.url, parts.netloc, parts.hostname or ""):
                if shown:
                    text = text.replace(shown, PRIVATE)
        return text


def _resolve(value: str, env: Mapping[str, str], where: str, found: list[str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            # The name is safe to print; the value never is.
            raise CheckConfigError(
                f"{where} needs the environment variable {name}, which is not set"
            )
        found.append(env[name])
        return env[name]

    return _ENV.sub(substitute, value)


def target_for(
    system: str, check: HealthCheck, *, estate_domain: str, env: Mapping[str, str]
) -> Target:
    secrets: list[str] = []
    headers = {
        name: _resolve(value, env, f"{system}: header {name}", secrets)
        for name, value in check.headers.items()
    }
    body = None if check.body is None else _resolve(check.body, env, f"{system}: body", secrets)
    return Target(
        system=system,
        url=check.url.replace("{estate_domain}", estate_domain),
        method=check.method,
        expect_status=tuple(check.expect_status),
        timeout_seconds=check.timeout_seconds,
        connect_timeout_seconds=check.connect_timeout_seconds,
        degraded_after_ms=check.degraded_after_ms,
        follow_redirects=check.follow_redirects,
        conditions=tuple(check.conditions),
        soft_conditions=tuple(check.soft_conditions),
        tls_warn_days=check.tls_warn_days,
        retries=check.retries,
        retry_pause_seconds=check.retry_pause_seconds,
        public=check.public,
        headers=headers,
        body=body,
        secrets=tuple(secrets),
    )


def targets_from_catalog(catalog: Catalog, *, env: Mapping[str, str] | None = None) -> list[Target]:
    environment = os.environ if env is None else env
    return [
        target_for(s.id, s.check, estate_domain=catalog.portal.estate_domain, env=environment)
        for s in sorted(catalog.systems.values(), key=lambda s: s.id)
        if s.check is not None
    ]


def public_address(check: HealthCheck, *, estate_domain: str) -> str | None:
    """The address a page may show for a check, or None for a private system."""
    if not check.public:
        return None
    return check.url.replace("{estate_domain}", estate_domain)
