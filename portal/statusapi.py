"""A JSON status API shaped like Atlassian Statuspage's ``/api/v2/summary.json``.

Existing Statuspage widgets and monitoring tools read it unchanged. One deliberate difference:
Statuspage has no "unknown" component state, and reporting a system we have no data for as
operational would be false, so such systems are left out of ``components`` and listed in the
extension field ``glasshouse.unknown_components``.

Two more facts Statuspage has no place for go in the same extension object, so the documented
shape stays valid: ``glasshouse.measured_outages`` (outages our checks measured: Statuspage's
``incidents`` are written by people, with their updates, and a measurement has none) and
``glasshouse.affected_components`` (tools that need a tool that is down; their own component
status stays what their own check found).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from portal.context import SiteContext
from portal.models.incidents import Incident, Maintenance

__all__ = ["COMPONENT_STATUS", "status_json", "summary_json"]

COMPONENT_STATUS: dict[str, str] = {
    "up": "operational",
    "degraded": "degraded_performance",
    "down": "major_outage",
    "maintenance": "under_maintenance",
}
_DESCRIPTIONS: dict[str, str] = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
}


def _t(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _page(ctx: SiteContext) -> dict[str, Any]:
    portal = ctx.catalog.portal
    return {
        "id": portal.name.lower().replace(" ", "-"),
        "name": f"{portal.name} status",
        "url": portal.site_url.rstrip("/") + "/status/",
        "time_zone": "Etc/UTC",
        "updated_at": _t(ctx.now),
    }


def _status(ctx: SiteContext) -> dict[str, str]:
    indicator = ctx.overall.indicator
    description = _DESCRIPTIONS[indicator]
    if ctx.overall.key == "maintenance":
        description = "Service Under Maintenance"
    elif ctx.overall.key == "unknown":
        description = ctx.overall.label
    return {"indicator": indicator, "description": description}


def _components(ctx: SiteContext, page_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    components, unknown = [], []
    ordered = [s for _, systems in ctx.groups() for s in systems]
    for position, system in enumerate(ordered, start=1):
        health = ctx.statuses[system.id]
        if health.state is None:
            unknown.append(system.id)
            continue
        first = ctx.histories[system.id].first if system.id in ctx.histories else None
        components.append(
            {
                "id": system.id,
                "name": system.name,
                "status": COMPONENT_STATUS[health.state],
                "created_at": _t(first or ctx.now),
                "updated_at": _t(health.last_checked or ctx.now),
                "position": position,
                "description": system.purpose,
                "showcase": True,
                "start_date": first.date().isoformat() if first else None,
                "group_id": None,
                "page_id": page_id,
                "group": False,
                "only_show_if_degraded": False,
            }
        )
    return components, unknown


def _incident(ctx: SiteContext, incident: Incident, page_id: str) -> dict[str, Any]:
    link = ctx.catalog.portal.site_url.rstrip("/") + f"/status/incidents/{incident.id}/"
    updates = [
        {
            "id": f"{incident.id}-{i}",
            "status": update.state,
            "body": update.text,
            "incident_id": incident.id,
            "created_at": _t(update.at),
            "updated_at": _t(update.at),
            "display_at": _t(update.at),
        }
        for i, update in enumerate(incident.updates)
    ]
    monitoring = next((u.at for u in incident.updates if u.state == "monitoring"), None)
    return {
        "id": incident.id,
        "name": incident.title,
        "status": incident.state,
        "impact": incident.severity,
        "created_at": _t(incident.started),
        "updated_at": _t(incident.updates[-1].at),
        "started_at": _t(incident.started),
        "monitoring_at": _t(monitoring),
        "resolved_at": _t(incident.resolved),
        "shortlink": link,
        "page_id": page_id,
        "incident_updates": list(reversed(updates)),
        "components": [{"id": s, "name": ctx.catalog.systems[s].name} for s in incident.systems],
    }


def _maintenance(
    ctx: SiteContext, windows: Sequence[Maintenance], page_id: str
) -> list[dict[str, Any]]:
    found = []
    for m in windows:
        if m.ends <= ctx.now:
            continue
        status = "in_progress" if m.starts <= ctx.now else "scheduled"
        found.append(
            {
                "id": m.id,
                "name": m.title,
                "status": status,
                "impact": "maintenance",
                "created_at": _t(m.starts),
                "updated_at": _t(m.starts),
                "scheduled_for": _t(m.starts),
                "scheduled_until": _t(m.ends),
                "shortlink": ctx.catalog.portal.site_url.rstrip("/") + "/status/maintenance/",
                "page_id": page_id,
                "incident_updates": [
                    {
                        "id": f"{m.id}-0",
                        "status": status,
                        "body": m.description,
                        "incident_id": m.id,
                        "created_at": _t(m.starts),
                        "updated_at": _t(m.starts),
                        "display_at": _t(m.starts),
                    }
                ],
                "components": [{"id": s, "name": ctx.catalog.systems[s].name} for s in m.systems],
            }
        )
    return found


def _measured_outages(ctx: SiteContext) -> list[dict[str, Any]]:
    site = ctx.catalog.portal.site_url.rstrip("/")
    return [
        {
            "component_id": o.system,
            "name": o.name,
            "status": "ongoing" if o.end is None else "ended",
            "impact": COMPONENT_STATUS[o.worst],
            "started_at": _t(o.start),
            "ended_at": _t(o.end),
            "minutes": o.minutes,
            "failed_checks": o.failed_checks,
            "detail": o.detail,
            "source": "measured by our checks",
            "shortlink": f"{site}/status/{o.system}/#{o.anchor}",
        }
        for o in ctx.all_outages()
    ]


def _affected(ctx: SiteContext) -> list[dict[str, Any]]:
    return [
        {"id": system_id, "name": ctx.catalog.systems[system_id].name, "because": list(causes)}
        for system_id, causes in ctx.affected.items()
    ]


def summary_json(ctx: SiteContext) -> str:
    page = _page(ctx)
    components, unknown = _components(ctx, page["id"])
    body = {
        "page": page,
        "status": _status(ctx),
        "components": components,
        "incidents": [
            _incident(ctx, i, page["id"]) for i in ctx.content.incidents if i.resolved is None
        ],
        "scheduled_maintenances": _maintenance(ctx, ctx.content.maintenance, page["id"]),
        "glasshouse": {
            "unknown_components": unknown,
            "stale": ctx.stale,
            "summary": ctx.headline,
            "measured_outages": _measured_outages(ctx),
            "affected_components": _affected(ctx),
        },
    }
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def status_json(ctx: SiteContext) -> str:
    """``/api/v2/status.json``: the page and its overall indicator only."""
    return json.dumps({"page": _page(ctx), "status": _status(ctx)}, indent=1, sort_keys=True) + "\n"
