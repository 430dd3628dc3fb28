"""The systems catalogue: teams, roles, portal settings and one record per system."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from checks.conditions import Condition, ConditionError, check_fits, parse_condition
from portal.models.alerts import PortalAlerts, SystemAlerts
from portal.models.common import ContentModel, Email, Id, PositiveSeconds, Reviewed, Url

__all__ = [
    "DOC_KINDS",
    "LAWFUL_BASES",
    "RESERVED_SYSTEM_IDS",
    "AccessLevel",
    "AccessPolicy",
    "Catalog",
    "CheckKind",
    "DocKind",
    "EngineerDocs",
    "HealthCheck",
    "HowToAsk",
    "LawfulBasis",
    "Lifecycle",
    "PersonalData",
    "PortalSettings",
    "ProbeSettings",
    "RoadmapSettings",
    "Role",
    "System",
    "SystemLinks",
    "Team",
    "check_kind",
]

Lifecycle = Literal["alpha", "beta", "live", "retiring"]
Function = Literal[
    "organising", "voter-contact", "messaging", "membership", "targeting", "infrastructure"
]
LawfulBasis = Literal[
    "consent",
    "contract",
    "legal-obligation",
    "vital-interests",
    "public-task",
    "legitimate-interests",
]
DocKind = Literal["run-locally", "deploy", "runbook", "architecture"]
LAWFUL_BASES: tuple[str, ...] = typing.get_args(LawfulBasis)
# Reading order on a system page: how to run it, ship it, fix it, then how it is built.
DOC_KINDS: tuple[DocKind, ...] = ("run-locally", "deploy", "runbook", "architecture")
# Generated pages live beside the system pages (systems/map.md, access/roles/...): a system with
# one of these ids would share their web address.
# A system's id names its pages (status/<id>/, systems/<id>/, access/<id>/), so it must not be
# the name of a fixed page in those sections. tests/portal/test_reserved_ids.py derives the
# fixed pages from the page builders and checks this set covers them.
RESERVED_SYSTEM_IDS = frozenset(
    {
        "by-function",
        "by-lifecycle",
        "by-team",
        "incidents",
        "index",
        "maintenance",
        "map",
        "method",
        "onboarding",
        "roles",
    }
)


class Team(ContentModel):
    id: Id
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    contact: Url | Email = Field(
        description="Where members reach the team: a web address or an email."
    )


class Role(ContentModel):
    id: Id
    name: str = Field(min_length=1)
    description: str = Field(min_length=1, description="Plain words: who holds this role.")


class ProbeSettings(ContentModel):
    interval_minutes: int = Field(
        default=5, gt=0, description="How often the schedule runs checks."
    )
    locations: list[Id] = Field(default_factory=lambda: ["github-actions"], min_length=1)
    quorum: int = Field(default=1, gt=0, description="Locations that must agree a system is down.")
    stale_after_minutes: int = Field(default=30, gt=0)


class RoadmapSettings(ContentModel):
    stale_now_days: int = Field(
        default=42, gt=0, description="An item in 'now' with no update for this long is flagged."
    )
    next_review: date = Field(description="When the team next reviews the whole roadmap.")


class PortalSettings(ContentModel):
    """``catalog/portal.yml``: settings set once for the whole portal."""

    name: str = "Glasshouse"
    organisation: str = Field(min_length=1)
    description: str = Field(min_length=1)
    site_url: Url
    estate_domain: str = Field(
        min_length=1,
        description=(
            "Replaces {estate_domain} in health-check URLs: the one place to swap the"
            " placeholder hosts for real ones."
        ),
    )
    discuss_url: Url = Field(description="Where members suggest and discuss roadmap items.")
    repository_url: Url
    engineer_roles: list[Id] = Field(
        default_factory=list,
        description="Roles the engineers' first-week page lists accounts to request for.",
    )
    probes: ProbeSettings = ProbeSettings()
    roadmap: RoadmapSettings
    alerts: PortalAlerts = PortalAlerts()


def _condition(value: Any) -> Condition:
    if isinstance(value, Condition):
        return value
    if not isinstance(value, str):
        raise ValueError('must be a condition written as text, like body contains "ok"')
    try:
        return parse_condition(value)
    except ConditionError as exc:
        raise ValueError(str(exc)) from exc


# A condition is parsed once, when the catalogue is validated; the model holds the parsed form.
ConditionText = Annotated[
    Condition,
    PlainValidator(_condition),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": (
                "SUBJECT OPERATOR [VALUE]. Subjects: status, body, json.<path>, header.<name>,"
                " latency, addresses. Operators: ==, !=, <, <=, >, >=, contains, not contains,"
                " matches, exists, absent."
            ),
            "examples": ['body contains "ok"', 'json.status == "healthy"', "latency < 800ms"],
        }
    ),
]

CheckKind = Literal["http", "tcp", "tls", "dns"]
_SCHEMES: dict[str, CheckKind] = {
    "http": "http",
    "https": "http",
    "tcp": "tcp",
    "tls": "tls",
    "dns": "dns",
}
_SECRET = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def check_kind(url: str) -> CheckKind:
    """The kind of probe a health-check address asks for, from its scheme."""
    return _SCHEMES[urlsplit(url).scheme]


def _check_address(url: str) -> str:
    parts = urlsplit(url)
    kind = _SCHEMES.get(parts.scheme)
    if kind is None:
        raise ValueError(
            "must start with https://, http://, tcp://, tls:// or dns:// (the kind of check)"
        )
    if "@" in parts.netloc:
        # The value may be a live password: the error must not repeat it (see "not_echoed").
        raise PydanticCustomError(
            "not_echoed",
            "cannot hold a user name or password (user:pass@ before the host): the address may"
            " be shown on the site and in logs; send credentials in a header whose value comes"
            " from an environment variable, such as Authorization: Basic ${CHECK_CREDENTIALS}",
        )
    if "${" in url:
        raise ValueError(
            "cannot hold a secret: an address may be shown on the site; put secrets in headers"
        )
    if not parts.hostname:
        raise ValueError(f"needs a host name after {parts.scheme}://")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"has a port that is not a number from 1 to 65535: {exc}") from exc
    if kind in ("tcp", "tls") and (port is None or parts.path not in ("", "/")):
        raise ValueError(f"a {kind} check is written {parts.scheme}://HOST:PORT, nothing after")
    if kind == "dns" and (port is not None or parts.path not in ("", "/") or parts.query):
        raise ValueError("a dns check is written dns://HOST, the name to resolve, nothing after")
    return url


def _check_secret_refs(value: str) -> str:
    if "${" in _SECRET.sub("", value):
        raise ValueError(
            "a secret is written ${NAME}: letters, digits and _, not starting with a digit"
        )
    return value


SecretText = Annotated[str, AfterValidator(_check_secret_refs)]


class HealthCheck(ContentModel):
    """How a system is probed. The kind of check follows from the address's scheme."""

    url: str = Field(
        min_length=1,
        description=(
            "What to probe: https://HOST/PATH (HTTP), tcp://HOST:PORT (connect),"
            " tls://HOST:PORT (certificate), dns://HOST (resolve). {estate_domain} is"
            " replaced from portal.yml."
        ),
    )
    method: Literal["GET", "HEAD", "POST"] = Field(default="GET", description="HTTP checks only.")
    headers: dict[str, SecretText] = Field(
        default_factory=dict,
        description=(
            "HTTP checks only. Values may name environment variables as ${NAME}; their values"
            " are never written to history, logs or the site."
        ),
    )
    body: SecretText | None = Field(
        default=None, description="HTTP POST checks only: the request body; may use ${NAME}."
    )
    expect_status: list[int] = Field(
        default_factory=lambda: [200], min_length=1, description="HTTP checks only."
    )
    follow_redirects: bool = Field(
        default=True, description="HTTP checks only; false: a redirect is judged as it is."
    )
    conditions: list[ConditionText] = Field(
        default_factory=list, description="Each must hold, or the system is down."
    )
    soft_conditions: list[ConditionText] = Field(
        default_factory=list, description="Each should hold, or the system is degraded."
    )
    timeout_seconds: PositiveSeconds = Field(
        default=10.0, description="Longest one attempt may take, the whole answer included."
    )
    connect_timeout_seconds: PositiveSeconds | None = Field(
        default=None, description="Longest the connection may take (default: timeout_seconds)."
    )
    degraded_after_ms: int | None = Field(
        default=2000, gt=0, description="Slower than this (milliseconds) counts as degraded."
    )
    tls_warn_days: int = Field(
        default=14,
        ge=0,
        description="A certificate expiring within this many days is degraded (0: never warn).",
    )
    retries: int = Field(
        default=1, ge=0, le=5, description="A failed attempt is tried again this many times."
    )
    retry_pause_seconds: float = Field(
        default=1.0, ge=0, le=60, description="Pause before each retry."
    )
    public: bool = Field(
        default=True, description="False: status is published, the address is not."
    )

    @field_validator("url")
    @classmethod
    def _address(cls, value: str) -> str:
        return _check_address(value)

    @property
    def kind(self) -> CheckKind:
        return check_kind(self.url)

    @field_validator("method", "headers", "body", "expect_status", "follow_redirects")
    @classmethod
    def _http_only(cls, value: Any, info: ValidationInfo) -> Any:
        url = info.data.get("url")
        if isinstance(url, str) and check_kind(url) != "http":
            raise ValueError(
                f"applies to HTTP checks only; this is a {check_kind(url)} check ({url})"
            )
        return value

    @field_validator("body")
    @classmethod
    def _body_needs_post(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("method") != "POST":
            raise ValueError("a request body needs method: POST")
        return value

    @field_validator("conditions", "soft_conditions")
    @classmethod
    def _conditions_fit(cls, value: list[Condition], info: ValidationInfo) -> list[Condition]:
        url = info.data.get("url")
        if not isinstance(url, str):
            return value  # the address itself is wrong; that is reported already
        kind, method = check_kind(url), info.data.get("method", "GET")
        problems = [
            problem
            for condition in value
            if (problem := check_fits(condition, kind=kind, method=method)) is not None
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return value


class SystemLinks(ContentModel):
    repository: Url | None = None
    issues: Url | None = None
    user_guide: Url | None = None


def _require_in_schema(*names: str) -> Callable[[dict[str, Any]], None]:
    """List fields as required in the JSON Schema that the model leaves optional, so editors
    flag them as people type while validation still explains, in words, why each is needed."""

    def extra(schema: dict[str, Any]) -> None:
        schema["required"] = sorted({*schema.get("required", ()), *names})

    return extra


class PersonalData(ContentModel):
    model_config = ConfigDict(json_schema_extra=_require_in_schema("lawful_basis", "confirmed"))

    what: str = Field(min_length=1, description="The kinds of personal data, in plain words.")
    about: str = Field(min_length=1, description="Whose data: members, voters, volunteers...")
    purpose: str = Field(min_length=1)
    # Optional here so that validation can say why it is needed (the access policy exposes it)
    # instead of a bare "required field is missing": a missing basis is still always an error.
    lawful_basis: LawfulBasis | None = Field(
        default=None, description="The UK GDPR Article 6 basis for holding and using this data."
    )
    special_category: str | None = Field(
        default=None,
        description="The Article 9 condition relied on, if special category data is held.",
    )
    retention: str = Field(min_length=1, description="How long it is kept and what happens then.")
    # Optional for the same reason as lawful_basis: leaving it out is an error that says what
    # to write. Nobody may state a legal basis as settled before the owner team has.
    confirmed: bool | None = Field(
        default=None,
        description=(
            "Whether the owner team has confirmed the lawful basis, any special category"
            " condition and the retention. false: the pages show them as proposed, to be"
            " confirmed by the owner team, and validation lists a warning. true only once the"
            " owner team has confirmed them."
        ),
    )


class AccessLevel(ContentModel):
    role: Id
    level: Literal["view", "edit", "admin"]
    allows: str = Field(
        min_length=1, description="What this level lets the role do, in plain words."
    )
    training: list[Id] = Field(
        default_factory=list,
        description=(
            "Training module ids to complete before access at this level: only what this"
            " level needs (reading a tool usually needs none)."
        ),
    )


class HowToAsk(ContentModel):
    form: Url | None = None
    email: Email | None = None
    steps: list[str] = Field(min_length=1)


class AccessPolicy(ContentModel):
    # Fields that moved elsewhere: an old file is told where to, not asked about a typo.
    MOVED_FIELDS: ClassVar[dict[str, str]] = {
        "training": (
            "training is set for each level now, so a role is asked only for what its own"
            " level needs: move the modules under access.levels, as training: [MODULE, ...]"
            " on each level that needs them"
        )
    }

    levels: list[AccessLevel] = Field(min_length=1)
    approver: Id = Field(description="The role that approves requests (never a named person).")
    deputies: list[Id] = Field(
        default_factory=list, description="Roles that approve when the approver cannot."
    )
    how_to_ask: HowToAsk
    turnaround_working_days: int = Field(gt=0)
    review_every_months: int = Field(gt=0, description="How often granted access is reviewed.")
    leavers: str = Field(
        min_length=1, description="How access is removed when someone leaves a role."
    )


class EngineerDocs(ContentModel):
    stack: list[str] = Field(default_factory=list)
    pages: list[DocKind] = Field(
        default_factory=list,
        description="Hand-written pages that exist as site_src/systems/<id>/<kind>.md.",
    )


class System(Reviewed):
    id: Id
    name: str = Field(min_length=1)
    purpose: str = Field(min_length=1, max_length=160, description="One line: what it is for.")
    team: Id
    lifecycle: Lifecycle
    function: Function
    users: list[Id] = Field(min_length=1, description="Roles that use it.")
    links: SystemLinks = SystemLinks()
    depends_on: list[Id] = Field(default_factory=list)
    check: HealthCheck | None = None
    access: AccessPolicy | None = None
    personal_data: list[PersonalData] = Field(default_factory=list)
    docs: EngineerDocs = EngineerDocs()
    alerts: SystemAlerts = SystemAlerts()

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_SYSTEM_IDS:
            raise ValueError(
                "is reserved for a page of the portal; choose another id (reserved: "
                f"{', '.join(sorted(RESERVED_SYSTEM_IDS))})"
            )
        return value

    @model_validator(mode="after")
    def _no_self_dependency(self) -> System:
        if self.id in self.depends_on:
            raise ValueError("a system cannot depend on itself")
        return self


class Catalog(ContentModel):
    """Everything under ``catalog/``, after validation and cross-reference checks."""

    portal: PortalSettings
    teams: dict[str, Team]
    roles: dict[str, Role]
    systems: dict[str, System]
