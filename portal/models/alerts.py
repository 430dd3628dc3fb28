"""Alert settings: who on the team hears that a tool broke, and when.

Portal-wide defaults live in ``catalog/portal.yml`` under ``alerts:``; a system's own
``alerts:`` block overrides any of them for that system. Channels are *names of environment
variables* that hold apprise URLs: an address or token never belongs in the repository.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from portal.models.common import ContentModel

__all__ = [
    "ENV_NAME_PATTERN",
    "AnnounceSettings",
    "EnvName",
    "PortalAlerts",
    "SystemAlerts",
]

ENV_NAME_PATTERN = r"^[A-Z][A-Z0-9_]*$"
_ENV_NAME = re.compile(ENV_NAME_PATTERN)
# Anything that looks like an address rather than a variable name. Such a value may be a live
# token, so the error never repeats it (the "not_echoed" error type, see portal.validation).
_ADDRESS = re.compile(r"://|@|/|\?")


def _check_env_name(value: str) -> str:
    if _ADDRESS.search(value):
        raise PydanticCustomError(
            "not_echoed",
            "looks like an address, which may hold a secret token; put the address in an"
            " environment variable (a CI secret) and write that variable's name here, like"
            " GLASSHOUSE_ALERTS",
        )
    if not _ENV_NAME.match(value):
        raise ValueError(
            "must be the name of an environment variable: capital letters, digits and"
            " underscores, starting with a letter, like GLASSHOUSE_ALERTS"
        )
    return value


EnvName = Annotated[
    str,
    AfterValidator(_check_env_name),
    WithJsonSchema({"type": "string", "pattern": ENV_NAME_PATTERN}),
]


class AnnounceSettings(ContentModel):
    """Reposting each new written incident update to the organisation's own channels."""

    channels: list[EnvName] = Field(
        default_factory=list,
        description=(
            "Environment variables holding apprise URLs (a webhook, a Slack or Mastodon"
            " address...) to post each new incident update to. Empty: nothing is posted."
        ),
    )
    max_age_hours: int = Field(
        default=24,
        gt=0,
        description=(
            "An update posted longer ago than this when it is first seen is recorded, not"
            " reposted (a report written up days later is not news)."
        ),
    )


class PortalAlerts(ContentModel):
    """``alerts:`` in ``catalog/portal.yml``: defaults for every system, and portal-wide alerts."""

    channels: list[EnvName] = Field(
        default_factory=list,
        description=(
            "Environment variables, each holding one or more apprise URLs. Systems without"
            " their own channels use these; 'checks have stopped' alerts always go here."
        ),
    )
    failure_threshold: int = Field(
        default=2, ge=1, description="Consecutive failed rounds before a down/degraded alert."
    )
    success_threshold: int = Field(
        default=2, ge=1, description="Consecutive healthy rounds before a 'recovered' alert."
    )
    reminder_minutes: int = Field(
        default=60, ge=0, description="Repeat the alert this often while still failing; 0: never."
    )
    degraded: bool = Field(
        default=True, description="Alert when a tool is degraded (slow), not only when down."
    )
    quiet_during_maintenance: bool = Field(
        default=True,
        description="Rounds inside a planned maintenance window of the tool are not counted.",
    )
    certificate_reminder_hours: int = Field(
        default=24,
        ge=0,
        description="Repeat the 'certificate about to expire' alert this often; 0: once.",
    )
    checks_stopped_after_minutes: int | None = Field(
        default=None,
        gt=0,
        description=(
            "A gap between rounds longer than this raises 'checks have stopped running'."
            " Default: probes.stale_after_minutes."
        ),
    )
    announce: AnnounceSettings = AnnounceSettings()


class SystemAlerts(ContentModel):
    """A system's ``alerts:`` block: any field left out takes the portal-wide default."""

    channels: list[EnvName] | None = Field(
        default=None,
        description="Replaces the portal's channels for this system ([] sends nothing).",
    )
    failure_threshold: int | None = Field(default=None, ge=1)
    success_threshold: int | None = Field(default=None, ge=1)
    reminder_minutes: int | None = Field(default=None, ge=0)
    degraded: bool | None = None
    quiet_during_maintenance: bool | None = None
    certificate_reminder_hours: int | None = Field(default=None, ge=0)
