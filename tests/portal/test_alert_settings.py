"""Alert settings: validation with file:line messages (never echoing a secret), the rules each
system ends up with, and the operators' and members' pages kept honest against the models."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import yaml

from checks.alerts import rules_for
from portal.load import load_catalog
from portal.models.alerts import AnnounceSettings, PortalAlerts, SystemAlerts
from tests.conftest import REPO

DOCS = REPO / "site_src"


def write_settings(root: Path, portal_block: str, dialogue_block: str) -> None:
    portal = root / "catalog" / "portal.yml"
    text = portal.read_text()
    portal.write_text(text[: text.index("alerts:")] + portal_block)
    dialogue = root / "catalog" / "dialogue.yml"
    dialogue.write_text(dialogue.read_text() + dialogue_block)


def test_bad_alert_settings_are_reported_where_they_are_without_the_secret(
    content_copy: Path,
) -> None:
    secret = "T0001/B0002/SeCrEtToKeN"
    write_settings(
        content_copy,
        "alerts:\n"
        f"  channels: [slack://{secret}]\n"
        "  failure_threshold: 0\n"
        "  announce:\n"
        "    channels: [glasshouse-announce]\n",
        "alerts:\n  reminder_minute: 5\n",
    )
    portal_lines = (content_copy / "catalog" / "portal.yml").read_text().splitlines()
    first = portal_lines.index("alerts:") + 1  # 1-based line of "alerts:", then each below
    dialogue_line = len((content_copy / "catalog" / "dialogue.yml").read_text().splitlines())
    done = subprocess.run(
        [sys.executable, "-m", "portal", "--root", str(content_copy), "validate"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert secret not in done.stdout + done.stderr
    assert done.stderr.splitlines()[1:] == [
        f'catalog/dialogue.yml:{dialogue_line}: alerts.reminder_minute: "reminder_minute" is not'
        " a known field (a typo?); allowed here: certificate_reminder_hours, channels, degraded,"
        " failure_threshold, quiet_during_maintenance, reminder_minutes, success_threshold",
        f"catalog/portal.yml:{first + 1}: alerts.channels[0]: looks like an address, which may"
        " hold a secret token; put the address in an environment variable (a CI secret) and"
        " write that variable's name here, like GLASSHOUSE_ALERTS",
        f"catalog/portal.yml:{first + 2}: alerts.failure_threshold: input should be greater"
        " than or equal to 1, got 0",
        f"catalog/portal.yml:{first + 4}: alerts.announce.channels[0]: must be the name of an"
        " environment variable: capital letters, digits and underscores, starting with a"
        ' letter, like GLASSHOUSE_ALERTS, got "glasshouse-announce"',
    ]


def test_a_system_overrides_only_what_it_names() -> None:
    portal = PortalAlerts(channels=["OPS"], failure_threshold=3, reminder_minutes=30)
    own = SystemAlerts(channels=["TEAM", "TEAM"], reminder_minutes=0, degraded=False)
    rules = rules_for(portal, own)
    assert rules.channels == ("TEAM",)
    assert rules.failure_threshold == 3  # the portal's
    assert rules.reminder is None  # 0: never
    assert rules.degraded is False
    assert rules_for(portal, SystemAlerts()).reminder == timedelta(minutes=30)
    assert rules_for(portal, SystemAlerts(channels=[])).channels == ()


def yaml_blocks(page: Path) -> list[dict[str, object]]:
    text = page.read_text(encoding="utf-8")
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)]


def test_the_operators_page_shows_every_setting_in_a_valid_example() -> None:
    portal_example, system_example = yaml_blocks(DOCS / "alerts.md")
    portal = PortalAlerts.model_validate(portal_example["alerts"])
    system = SystemAlerts.model_validate(system_example["alerts"])
    assert set(portal.model_fields_set) == set(PortalAlerts.model_fields)
    assert set(portal.announce.model_fields_set) == set(AnnounceSettings.model_fields)
    assert set(system.model_fields_set) == set(SystemAlerts.model_fields)
    table = (DOCS / "alerts.md").read_text(encoding="utf-8")
    names = set(PortalAlerts.model_fields) | {
        f"announce.{n}" for n in AnnounceSettings.model_fields
    }
    for name in names - {"announce"}:
        assert re.search(rf"^`{re.escape(name)}` \(.+\)\n:   \S", table, flags=re.M), (
            f"{name} is not described in the list of settings"
        )


def test_the_shipped_settings_load_and_name_variables_only() -> None:
    catalog, _ = load_catalog(REPO)
    alerts = catalog.portal.alerts
    assert alerts.channels and alerts.announce.channels
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", c) for c in alerts.channels)


def test_the_members_page_links_every_tools_feed() -> None:
    catalog, _ = load_catalog(REPO)
    page = (DOCS / "subscribe.md").read_text(encoding="utf-8")
    for system in catalog.systems.values():
        assert f"[{system.name} feed](feeds/{system.id}.xml)" in page
    linked = set(re.findall(r"\(feeds/([a-z0-9-]+)\.xml\)", page))
    assert linked == set(catalog.systems) | {"incidents", "maintenance"}
