"""Turn catalogue health checks into probe targets: placeholders filled, secrets resolved."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from checks.errors import CheckConfigError
from portal.models.catalog import Catalog, HealthCheck

__all__ = ["Target", "targets_from_catalog"]

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Target:
    system: str
    url: str
    method: str = "GET"
    expect_status: tuple[int, ...] = (200,)
    timeout_seconds: float = 10.0
    degraded_after_ms: int | None = None
    follow_redirects: bool = True
    # Resolved secret values: never printed (repr=False) and never written anywhere.
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


def _resolve_secret(value: str, env: Mapping[str, str], system: str, header: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise CheckConfigError(
                f"{system}: header {header} needs the environment variable {name}, which is not set"
            )
        return env[name]

    return _ENV.sub(substitute, value)


def target_for(
    system: str, check: HealthCheck, *, estate_domain: str, env: Mapping[str, str]
) -> Target:
    return Target(
        system=system,
        url=check.url.replace("{estate_domain}", estate_domain),
        method=check.method,
        expect_status=tuple(check.expect_status),
        timeout_seconds=check.timeout_seconds,
        degraded_after_ms=check.degraded_after_ms,
        follow_redirects=check.follow_redirects,
        headers={k: _resolve_secret(v, env, system, k) for k, v in check.headers.items()},
    )


def targets_from_catalog(catalog: Catalog, *, env: Mapping[str, str] | None = None) -> list[Target]:
    environment = os.environ if env is None else env
    return [
        target_for(s.id, s.check, estate_domain=catalog.portal.estate_domain, env=environment)
        for s in sorted(catalog.systems.values(), key=lambda s: s.id)
        if s.check is not None
    ]
