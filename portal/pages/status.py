"""The status section: overview, a page per system, incidents, maintenance, method, and the
machine-readable outputs (Statuspage-shaped JSON, badges, open data, Atom feeds)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.badges import badge_json, badge_svg
from portal.charts import BAR_LEGEND, latency_chart, uptime_bars
from portal.context import SiteContext
from portal.feeds import FeedEntry, atom_feed
from portal.health import day_summaries, windows_for
from portal.models.incidents import Incident, Maintenance
from portal.opendata import datapackage_json, days_csv
from portal.outages import OUTAGE_DAYS, MeasuredOutage
from portal.render import format_minutes, render
from portal.roadmap import items_for_system
from portal.statusapi import status_json, summary_json
from portal.uptime import DaySummary

__all__ = ["RESERVED_IDS", "Measured", "pages"]

# Pages under status/ that a system id must not shadow.
RESERVED_IDS = frozenset({"index", "method", "maintenance", "incidents"})
_BADGE_MESSAGE = {
    "up": "operational",
    "degraded": "degraded",
    "down": "down",
    "maintenance": "maintenance",
    None: "no data",
}


@dataclass(frozen=True)
class Month:
    key: str  # YYYY-MM
    label: str  # November 2026
    incidents: tuple[Incident, ...]  # written reports, newest first
    outages: tuple[MeasuredOutage, ...] = ()  # measured by the checks, newest first


def _started(incident: Incident) -> datetime:
    return incident.started


def _months(incidents: Sequence[Incident], outages: Sequence[MeasuredOutage]) -> list[Month]:
    """Months with a written report or a measured outage, newest first."""
    written: dict[str, list[Incident]] = defaultdict(list)
    measured: dict[str, list[MeasuredOutage]] = defaultdict(list)
    for incident in incidents:
        written[f"{incident.started:%Y-%m}"].append(incident)
    for outage in outages:
        measured[f"{outage.start:%Y-%m}"].append(outage)
    return [
        Month(
            key,
            f"{datetime.strptime(key, '%Y-%m'):%B %Y}",
            tuple(sorted(written[key], key=_started, reverse=True)),
            tuple(sorted(measured[key], key=lambda o: (o.start, o.system), reverse=True)),
        )
        for key in sorted(written.keys() | measured.keys(), reverse=True)
    ]


def _full_days(ctx: SiteContext, system_id: str) -> list[DaySummary]:
    """Every day from the first recorded probe to today: the open-data series."""
    history = ctx.histories.get(system_id)
    if history is None or history.first is None:
        return []
    first = history.first.date()
    count = (ctx.now.date() - first).days + 1
    return day_summaries(
        history,
        days=[first + timedelta(days=i) for i in range(count)],
        now=ctx.now,
        interval=timedelta(minutes=ctx.catalog.portal.probes.interval_minutes),
        windows=windows_for(system_id, ctx.content.maintenance),
    )


@dataclass(frozen=True)
class Measured:
    """What the checks saw of one system during a written incident."""

    system: str
    name: str
    checks: int  # rounds that ran in the incident's period
    failing: int  # of which degraded or down
    minutes_failing: int  # failing rounds x the interval: the measured length


def _measured(ctx: SiteContext, incident: Incident) -> list[Measured]:
    interval = ctx.catalog.portal.probes.interval_minutes
    end = incident.resolved or ctx.now
    found = []
    for system in incident.systems:
        history = ctx.histories.get(system)
        rounds = history.rounds_between(incident.started, end) if history else []
        failing = sum(1 for r in rounds if r.outcome != "up")
        found.append(
            Measured(system, ctx.system_names([system]), len(rounds), failing, failing * interval)
        )
    return found


def _url(ctx: SiteContext, path: str) -> str:
    return ctx.catalog.portal.site_url.rstrip("/") + "/" + path


def _incident_entries(ctx: SiteContext, incidents: Sequence[Incident]) -> list[FeedEntry]:
    entries = []
    for incident in incidents:
        names = ", ".join(ctx.catalog.systems[s].name for s in incident.systems)
        for i, update in enumerate(incident.updates):
            entries.append(
                FeedEntry(
                    id=_url(ctx, f"status/incidents/{incident.id}/#update-{i}"),
                    title=f"{update.state.capitalize()}: {incident.title}",
                    updated=update.at,
                    link=_url(ctx, f"status/incidents/{incident.id}/"),
                    summary=f"{names}. {update.text}",
                    categories=("incident", incident.severity, *incident.systems),
                )
            )
    return entries


def _outage_entries(ctx: SiteContext, outages: Sequence[MeasuredOutage]) -> list[FeedEntry]:
    """One entry per measured outage, marked as measured: nobody wrote it. Its id is its start,
    so the entry is updated in place (not repeated) when the outage ends."""
    entries = []
    for o in outages:
        page = _url(ctx, f"status/{o.system}/")
        if o.end is None:
            title = f"Measured outage: {o.name} {o.what}, ongoing"
        else:
            title = f"Measured outage: {o.name} was {o.what} for {format_minutes(o.minutes)}"
        entries.append(
            FeedEntry(
                id=f"{page}#{o.anchor}",
                title=title,
                updated=o.end or o.start,
                link=f"{page}#{o.anchor}",
                summary=o.sentence(),
                categories=("measured", o.worst, o.system),
            )
        )
    return entries


def _maintenance_entries(ctx: SiteContext, windows: Sequence[Maintenance]) -> list[FeedEntry]:
    return [
        FeedEntry(
            id=_url(ctx, f"status/maintenance/#{m.id}"),
            title=f"Planned maintenance: {m.title}",
            # Announced as soon as it is in the repository; dated by its start for ordering.
            updated=m.starts,
            link=_url(ctx, "status/maintenance/"),
            summary=(
                f"{', '.join(ctx.catalog.systems[s].name for s in m.systems)}, "
                f"{m.starts:%d %b %Y %H:%M} to {m.ends:%d %b %Y %H:%M} UTC. {m.description}"
            ),
            categories=("maintenance", *m.systems),
        )
        for m in windows
    ]


def _feed(ctx: SiteContext, path: str, title: str, entries: list[FeedEntry]) -> str:
    portal = ctx.catalog.portal
    return atom_feed(
        feed_id=_url(ctx, path),
        title=f"{portal.name}: {title}",
        self_url=_url(ctx, path),
        site_url=_url(ctx, "status/"),
        author=portal.organisation,
        entries=entries,
        updated=None if entries else ctx.now,
    )


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    clash = RESERVED_IDS & set(ctx.catalog.systems)
    if clash:
        raise ValueError(f"system ids {sorted(clash)} are reserved for status pages")
    charts = {
        system_id: uptime_bars(
            f"bars-{system_id}",
            health.days,
            title=f"{ctx.system_names([system_id])}: daily status, last {len(health.days)} days",
        )
        for system_id, health in ctx.statuses.items()
    }
    now = ctx.now
    upcoming = [m for m in ctx.content.maintenance if m.ends > now]
    past = [m for m in ctx.content.maintenance if m.ends <= now]
    outages = ctx.all_outages()
    months = _months(ctx.content.incidents, outages)
    common = {"ctx": ctx, "charts": charts, "legend": BAR_LEGEND, "upcoming": upcoming}
    out: dict[str, str | bytes] = {
        "status/index.md": render("status/overview.md.j2", **common),
        "status/method.md": render("status/method.md.j2", ctx=ctx),
        "status/maintenance.md": render(
            "status/maintenance.md.j2", ctx=ctx, upcoming=upcoming, past=list(reversed(past))
        ),
        "status/incidents/index.md": render(
            "status/incidents.md.j2", ctx=ctx, months=months, outages=outages
        ),
        "api/v2/summary.json": summary_json(ctx),
        "api/v2/status.json": status_json(ctx),
        "feeds/incidents.xml": _feed(
            ctx,
            "feeds/incidents.xml",
            "incidents",
            _incident_entries(ctx, ctx.content.incidents) + _outage_entries(ctx, outages),
        ),
        "feeds/maintenance.xml": _feed(
            ctx,
            "feeds/maintenance.xml",
            "planned maintenance",
            _maintenance_entries(ctx, ctx.content.maintenance),
        ),
        "data/uptime/datapackage.json": datapackage_json(
            title=f"{ctx.catalog.portal.name}: daily uptime of each tool",
            homepage=_url(ctx, "status/method/"),
            systems={s.id: s.name for s in ctx.catalog.systems.values()},
        ),
    }
    for i, month in enumerate(months):
        newer = months[i - 1] if i > 0 else None
        older = months[i + 1] if i + 1 < len(months) else None
        out[f"status/incidents/{month.key}.md"] = render(
            "status/month.md.j2", ctx=ctx, month=month, newer=newer, older=older
        )
    for incident in ctx.content.incidents:
        out[f"status/incidents/{incident.id}.md"] = render(
            "status/incident.md.j2",
            ctx=ctx,
            incident=incident,
            body=ctx.content.sources[f"incidents/{incident.id}"].body,
            measured=_measured(ctx, incident),
        )
    for system in ctx.catalog.systems.values():
        health = ctx.statuses[system.id]
        incidents = [i for i in ctx.content.incidents if system.id in i.systems]
        windows = [m for m in ctx.content.maintenance if system.id in m.systems]
        out[f"status/{system.id}.md"] = render(
            "status/system.md.j2",
            ctx=ctx,
            system=system,
            health=health,
            bars=charts[system.id],
            legend=BAR_LEGEND,
            latency=latency_chart(
                f"lat-{system.id}",
                health.days,
                title=f"{system.name}: response time per day, last {len(health.days)} days",
            ),
            incidents=incidents,
            windows=windows,
            roadmap_items=items_for_system(ctx.content, system.id),
            outages=ctx.outages[system.id],
            outage_days=OUTAGE_DAYS,
            interval=ctx.catalog.portal.probes.interval_minutes,
        )
        message = _BADGE_MESSAGE[health.state]
        out[f"badges/{system.id}.json"] = badge_json(system.name, message)
        out[f"badges/{system.id}.svg"] = badge_svg(system.name, message)
        out[f"data/uptime/{system.id}.csv"] = days_csv(_full_days(ctx, system.id))
        out[f"feeds/{system.id}.xml"] = _feed(
            ctx,
            f"feeds/{system.id}.xml",
            f"{system.name} incidents and maintenance",
            _incident_entries(ctx, incidents)
            + _outage_entries(ctx, ctx.outages[system.id])
            + _maintenance_entries(ctx, windows),
        )
    return out
