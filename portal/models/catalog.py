"""The systems catalogue: teams, roles, portal settings and one record per system."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from portal.models.alerts import PortalAlerts, SystemAlerts
from portal.models.common import ContentModel, Email, Id, PositiveSeconds, Reviewed, Url

__all__ = [
    "AccessLevel",
    "AccessPolicy",
    "Catalog",
    "EngineerDocs",
    "HealthCheck",
    "HowToAsk",
    "Lifecycle",
    "PersonalData",
    "PortalSettings",
    "ProbeSettings",
    "RoadmapSettings",
    "Role",
    "System",
    "SystemLinks",
    "Team",
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
    probes: ProbeSettings = ProbeSettings()
    roadmap: RoadmapSettings
    alerts: PortalAlerts = PortalAlerts()


class HealthCheck(ContentModel):
    url: str = Field(
        min_length=1, description="What to fetch; {estate_domain} is replaced from portal.yml."
    )
    method: Literal["GET", "HEAD", "POST"] = "GET"
    expect_status: list[int] = Field(default_factory=lambda: [200], min_length=1)
    timeout_seconds: PositiveSeconds = 10.0
    degraded_after_ms: int | None = Field(
        default=2000, gt=0, description="Slower than this (milliseconds) counts as degraded."
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="Values may name environment variables as ${NAME}."
    )
    follow_redirects: bool = True
    public: bool = Field(
        default=True, description="False: status is published, the address is not."
    )


class SystemLinks(ContentModel):
    repository: Url | None = None
    issues: Url | None = None
    user_guide: Url | None = None


class PersonalData(ContentModel):
    what: str = Field(min_length=1, description="The kinds of personal data, in plain words.")
    about: str = Field(min_length=1, description="Whose data: members, voters, volunteers...")
    purpose: str = Field(min_length=1)
    lawful_basis: LawfulBasis
    special_category: str | None = Field(
        default=None,
        description="The Article 9 condition relied on, if special category data is held.",
    )
    retention: str = Field(min_length=1, description="How long it is kept and what happens then.")


class AccessLevel(ContentModel):
    role: Id
    level: Literal["view", "edit", "admin"]
    allows: str = Field(
        min_length=1, description="What this level lets the role do, in plain words."
    )


class HowToAsk(ContentModel):
    form: Url | None = None
    email: Email | None = None
    steps: list[str] = Field(min_length=1)


class AccessPolicy(ContentModel):
    levels: list[AccessLevel] = Field(min_length=1)
    approver: Id = Field(description="The role that approves requests (never a named person).")
    deputies: list[Id] = Field(
        default_factory=list, description="Roles that approve when the approver cannot."
    )
    how_to_ask: HowToAsk
    turnaround_working_days: int = Field(gt=0)
    training: list[Id] = Field(
        default_factory=list, description="Training module ids to complete first."
    )
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
