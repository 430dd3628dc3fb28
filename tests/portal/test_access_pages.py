"""The access register's pages, against a small fixture catalogue written out by hand."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.access import TrainingLink, access_matrix, approvals_for_role, grants_for_role
from portal.content import load_content
from portal.context import SiteContext, build_context
from portal.pages import access, systems
from portal.render import render

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "access_matrix"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

# tests/data/access_matrix/catalog, read by eye: role -> {tool name: level shown}.
EXPECTED_MATRIX = {
    "Member": {"Events": "View", "Phones": "No access", "Wiki": "No access"},
    "Organiser": {"Events": "Edit", "Phones": "Edit", "Wiki": "No access"},
    "Staff": {"Events": "No access", "Phones": "Admin", "Wiki": "No access"},
    "Engineer": {"Events": "No access", "Phones": "No access", "Wiki": "No access"},
}
# The same catalogue: (role, tool) -> the training link its cell shows, for levels that ask
# for training (the count of modules, and where on the page they are listed).
EXPECTED_TRAINING_CELLS = {
    ("Organiser", "Events"): ("1 module of training for Events", "#training-events"),
    ("Organiser", "Phones"): ("2 modules of training for Phones", "#training-phones"),
    ("Staff", "Phones"): ("1 module of training for Phones", "#training-phones"),
}
GDPR_BASICS = "[Fixture module gdpr-basics](../training/basics/gdpr-basics.md)"
PHONEBANK_CALL = "[Fixture module phonebank-call](../training/basics/phonebank-call.md)"


@pytest.fixture(scope="module")
def ctx() -> SiteContext:
    return build_context(load_content(FIXTURE), {}, now=NOW)


@pytest.fixture(scope="module")
def pages(ctx: SiteContext) -> dict[str, str]:
    return {k: v for k, v in access.pages(ctx).items() if isinstance(v, str)}


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def matrix_cells(markdown: str) -> dict[tuple[str, str], ET.Element]:
    """The matrix's cells: (role, tool) -> the <td>."""
    match = re.search(r'<table class="gh-matrix__table">.*?</table>', markdown, re.DOTALL)
    assert match is not None
    table = ET.fromstring(match.group(0))
    head = table.find("thead/tr")
    assert head is not None
    columns = [_text(th) for th in head][1:]
    found = {}
    for row in table.iterfind("tbody/tr"):
        cells = list(row)
        assert cells[0].tag == "th" and cells[0].get("scope") == "row"
        for tool, cell in zip(columns, cells[1:], strict=True):
            found[(_text(cells[0]), tool)] = cell
    return found


def matrix_table(markdown: str) -> dict[str, dict[str, str]]:
    """The matrix as read from the generated table: role -> {tool: level shown}."""
    found: dict[str, dict[str, str]] = {}
    for (role, tool), cell in matrix_cells(markdown).items():
        link = cell.find("a")
        # A dash is shown and "No access" is read aloud: the cell's text holds both.
        level = _text(cell).removesuffix(_text(link) if link is not None else "")
        found.setdefault(role, {})[tool] = level.strip().removeprefix("–")
    return found


def test_matrix_table_matches_the_fixture(pages: dict[str, str]) -> None:
    assert matrix_table(pages["access/index.md"]) == EXPECTED_MATRIX


def test_matrix_cells_link_to_the_training_each_level_needs(pages: dict[str, str]) -> None:
    page = pages["access/index.md"]
    links = {
        key: (_text(link), link.get("href"))
        for key, cell in matrix_cells(page).items()
        if (link := cell.find("a")) is not None
    }
    assert links == EXPECTED_TRAINING_CELLS
    # Each tool's training is listed level by level below the matrix, linked to the modules.
    assert (
        "### [Phones](phones.md) {#training-phones}\n\n"
        f"- [Organiser](roles/organiser.md), edit: {GDPR_BASICS}, {PHONEBANK_CALL}.\n"
        f"- [Staff](roles/staff.md), admin: {GDPR_BASICS}.\n"
    ) in page
    assert (
        "### [Events](events.md) {#training-events}\n\n"
        "- [Member](roles/member.md), view: no training needed.\n"
        f"- [Organiser](roles/organiser.md), edit: {GDPR_BASICS}.\n"
    ) in page
    assert "No level of Wiki asks for training" in page
    # The lists shown on phones link to the same place.
    assert "- [Phones](phones.md): edit, [2 training modules](#training-phones)\n" in page
    assert "- [Events](events.md): view\n" in page


def test_matrix_lists_for_phones_match_the_fixture(pages: dict[str, str]) -> None:
    """Below the breakpoint each role gets a list of the tools it can use."""
    lists = pages["access/index.md"].split('<div class="gh-matrix gh-matrix--lists" markdown>')[1]
    lists = lists.split("</div>")[0]
    found: dict[str, dict[str, str]] = {}
    role = ""
    for line in lists.splitlines():
        if heading := re.match(r"### \[(.+?)\]\(roles/([a-z-]+)\.md\)", line):
            role = heading.group(1)
            found[role] = {}
        elif item := re.match(r"- \[(.+?)\]\([a-z-]+\.md\): (\w+)", line):
            found[role][item.group(1)] = item.group(2).capitalize()
    expected = {
        role: {tool: level for tool, level in row.items() if level != "No access"}
        for role, row in EXPECTED_MATRIX.items()
    }
    assert found == expected


def test_matrix_model_has_one_row_per_role_and_a_column_per_system(ctx: SiteContext) -> None:
    columns, rows = access_matrix(ctx.catalog)
    assert [s.name for s in columns] == ["Events", "Phones", "Wiki"]
    assert [r.role.id for r in rows] == ["member", "organiser", "staff", "engineer"]


def test_grants_and_approvals_for_a_role(ctx: SiteContext) -> None:
    grants = grants_for_role(ctx.catalog, "organiser")
    assert [(g.system.id, g.level.level) for g in grants] == [
        ("events", "edit"),
        ("phones", "edit"),
    ]
    assert [(a.system.id, a.as_deputy) for a in approvals_for_role(ctx.catalog, "staff")] == [
        ("events", True),
        ("phones", False),
    ]


def test_one_access_page_per_system_and_per_role(pages: dict[str, str]) -> None:
    assert set(pages) == {
        "access/index.md",
        "access/events.md",
        "access/phones.md",
        "access/wiki.md",
        "access/roles/member.md",
        "access/roles/organiser.md",
        "access/roles/staff.md",
        "access/roles/engineer.md",
    }


def test_how_to_get_access_page_has_steps_approvers_turnaround_training_and_data(
    pages: dict[str, str],
) -> None:
    page = pages["access/phones.md"]
    assert "# How to get access to Phones" in page
    assert (
        "1. Complete the training below.\n1. Email the phones team, naming your campaign." in page
    )
    assert "[phones-access@example.org](mailto:phones-access@example.org)" in page
    assert "- **Approver:** [Staff](roles/staff.md)" in page
    assert "approve when the approver cannot: [Engineer](roles/engineer.md)" in page
    assert "within 2 working days" in page
    # Each level's training links to its module pages (the fixture's training/basics course).
    assert (
        "## Before you ask: training {#training}\n\n"
        "Each level asks only for the training it needs. Do the modules listed for the level "
        "you are asking for, in this order:\n\n"
        f"- **Organiser**, edit: {GDPR_BASICS}, {PHONEBANK_CALL}.\n"
        f"- **Staff**, admin: {GDPR_BASICS}.\n"
    ) in page
    assert (
        "- **[Organiser](roles/organiser.md)**, edit: Run call sessions for your campaign.\n"
        in page
    )
    assert "reviewed every 6 months. Access ends with the campaign." in page
    assert "The list of people who hold access is private" in page


def test_a_system_without_a_policy_says_whom_to_ask(pages: dict[str, str]) -> None:
    page = pages["access/wiki.md"]
    assert "No access policy is published for Wiki yet" in page
    assert "[digital@example.org](mailto:digital@example.org)" in page


def test_role_page_lists_tools_training_and_approvals(pages: dict[str, str]) -> None:
    page = pages["access/roles/organiser.md"]
    up = "../../training/basics"
    assert (
        "### Events: edit {#tool-events}\n\nPublish events.\n\n"
        f"Training first: [Fixture module gdpr-basics]({up}/gdpr-basics.md).\n"
    ) in page
    assert (
        "### Phones: edit {#tool-phones}\n\nRun call sessions for your campaign.\n\n"
        f"Training first: [Fixture module gdpr-basics]({up}/gdpr-basics.md), "
        f"[Fixture module phonebank-call]({up}/phonebank-call.md).\n"
    ) in page
    # Together, in study order, each module once.
    assert (
        "The tools above ask for these 2 modules, about 20 minutes in all:\n\n"
        f"1. [Fixture module gdpr-basics]({up}/gdpr-basics.md)\n"
        f"1. [Fixture module phonebank-call]({up}/phonebank-call.md)\n"
    ) in page
    member = pages["access/roles/member.md"]
    assert (
        "### Events: view {#tool-events}\n\nSign up to events.\n\nNo training needed first.\n"
        in member
    )
    assert "None of the tools above asks for training first." in member
    assert "- [Events](../events.md), as the approver" in page
    staff = pages["access/roles/staff.md"]
    assert "- [Events](../events.md), as a deputy when the approver cannot" in staff
    engineer = pages["access/roles/engineer.md"]
    assert "The catalogue gives this role no tool access." in engineer


def test_public_pages_never_hold_contact_details_of_people(pages: dict[str, str]) -> None:
    """Only the policy's own request address and the owner team's contact appear."""
    allowed = {"phones-access@example.org", "digital@example.org"}
    for path, page in pages.items():
        found = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", page))
        assert found <= allowed, path


def test_training_prerequisites_become_links_once_modules_are_known(ctx: SiteContext) -> None:
    """The hook the integrator fills in when the training section is merged."""
    system = ctx.catalog.systems["phones"]
    page = render(
        "access/system.md.j2",
        ctx=ctx,
        system=system,
        team=ctx.catalog.teams[system.team],
        here="access/phones.md",
        levels={"view": "View", "edit": "Edit", "admin": "Admin"},
        bases={"public-task": "Public task"},
        training={
            "gdpr-basics": TrainingLink(
                "What personal data is", "training/gdpr-for-organisers/gdpr-basics.md"
            )
        },
        needs=access.level_needs(ctx),
    )
    linked = "[What personal data is](../training/gdpr-for-organisers/gdpr-basics.md)"
    assert f"- **Organiser**, edit: {linked}, `phonebank-call`." in page  # not known: text


def test_proposed_lawful_basis_and_retention_are_marked_confirmed_ones_are_not(
    ctx: SiteContext, pages: dict[str, str]
) -> None:
    """Phones' entry is not confirmed by its owner team (Digital); Events' is."""
    built = {**pages, **{k: v for k, v in systems.pages(ctx).items() if isinstance(v, str)}}
    for page in (built["access/phones.md"], built["systems/phones/index.md"]):
        assert (
            "- **Lawful basis** (proposed, to be confirmed by Digital): "
            "Public task (UK GDPR Article 6(1)(e))\n"
        ) in page
        assert (
            "- **How long it is kept** (proposed, to be confirmed by Digital): "
            "Kept while the campaign runs.\n"
        ) in page
        assert "Digital, which owns Phones, has still to confirm them" in page
    for page in (built["access/events.md"], built["systems/events/index.md"]):
        assert "- **Lawful basis:** Legitimate interests (UK GDPR Article 6(1)(f))\n" in page
        assert "- **How long it is kept:** Deleted a month after the event.\n" in page
        assert "proposed" not in page.lower()
