"""The dependency graph, the map's layout and SVG, and its text alternative."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

from checks.results import ProbeResult
from portal.content import load_content
from portal.context import SiteContext, build_context
from portal.dependencies import affected_by, dependency_depths, dependency_order, dependents
from portal.depmap import NODE_H, NODE_W, layout_map, map_svg
from portal.models.catalog import System
from portal.pages import systems as systems_pages

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def tiny(**deps: list[str]) -> dict[str, System]:
    """Systems named by keyword, each depending on the listed ids."""
    return {
        sid: System(
            id=sid,
            name=sid.title(),
            purpose="A test system.",
            team="t",
            lifecycle="beta",
            function="organising",
            users=["member"],
            depends_on=dep,
            last_reviewed=date(2026, 11, 28),
        )
        for sid, dep in deps.items()
    }


# a <- b <- c, b <- d, and e alone (arrows point at what is depended on).
CHAIN = tiny(a=[], b=["a"], c=["b"], d=["b"], e=[])


def test_dependents_and_what_a_failure_affects() -> None:
    assert dependents(CHAIN) == {"a": ["b"], "b": ["c", "d"], "c": [], "d": [], "e": []}
    assert affected_by(CHAIN, ["a"]) == {"b", "c", "d"}
    assert affected_by(CHAIN, ["b"]) == {"c", "d"}
    assert affected_by(CHAIN, ["c", "e"]) == set()


def test_depths_and_dependency_order() -> None:
    assert dependency_depths(CHAIN) == {"a": 0, "b": 1, "c": 2, "d": 2, "e": 0}
    assert dependency_order(CHAIN) == ["a", "e", "b", "c", "d"]


def test_a_cycle_is_refused_rather_than_looping() -> None:
    with pytest.raises(ValueError, match="dependency cycle"):
        dependency_depths(tiny(x=["y"], y=["x"]))


def test_layout_marks_down_and_affected_and_keeps_boxes_apart() -> None:
    dmap = layout_map(CHAIN, {"a": "up", "b": "down", "c": "up", "d": "degraded"})
    assert [n.id for n in dmap.down] == ["b"]
    assert [n.id for n in dmap.affected] == ["c", "d"]
    assert dmap.node("e").state == "unknown" and dmap.node("e").caption == "No data"
    assert dmap.node("d").caption == "AFFECTED (Degraded)"
    assert dmap.node("b").caption == "DOWN"
    for node in dmap.nodes:
        assert node.column == dependency_depths(CHAIN)[node.id]
        assert node.x >= 0 and node.x + NODE_W <= dmap.width
        assert node.y >= 0 and node.y + NODE_H <= dmap.height
    boxes = [(n.x, n.y) for n in dmap.nodes]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1 :]:
            assert abs(x1 - x2) >= NODE_W or abs(y1 - y2) >= NODE_H
    assert {(e.source, e.target, e.impact) for e in dmap.edges} == {
        ("b", "a", False),
        ("c", "b", True),
        ("d", "b", True),
    }


def test_layout_is_deterministic() -> None:
    states: dict[str, str | None] = {"b": "down"}
    first = map_svg(layout_map(CHAIN, states), title="t", desc="d")
    again = map_svg(layout_map(dict(reversed(CHAIN.items())), states), title="t", desc="d")
    assert first == again


def catalogue_edges() -> set[tuple[str, str]]:
    """(dependent, dependency) read straight from the YAML, not through the loader."""
    found = set()
    for path in (REPO / "catalog").glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict) and "depends_on" in data:
            found |= {(data["id"], dep) for dep in data["depends_on"]}
    return found


def catalogue_ids() -> set[str]:
    return {p.stem for p in (REPO / "catalog").glob("*.yml")} - {"portal", "teams", "roles"}


@pytest.fixture(scope="module")
def login_down() -> SiteContext:
    """The shipped catalogue, with Login failing its latest check and every other tool up."""
    content = load_content(REPO)
    when = NOW - timedelta(minutes=2)
    history = {
        sid: [
            ProbeResult(
                when,
                sid,
                "test",
                "down" if sid == "login" else "up",
                detail="connection refused" if sid == "login" else "",
            )
        ]
        for sid in content.catalog.systems
    }
    return build_context(content, history, now=NOW)


@pytest.fixture(scope="module")
def map_page(login_down: SiteContext) -> str:
    page = systems_pages.pages(login_down)["systems/map.md"]
    assert isinstance(page, str)
    return page


def parse_svg(page: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", page, re.DOTALL)
    assert match is not None
    return ET.fromstring(match.group(0))


def test_svg_nodes_and_edges_match_the_catalogue(map_page: str) -> None:
    svg = parse_svg(map_page)
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text == f"Dependency map of {len(catalogue_ids())} tools"
    assert desc is not None and "Down now: Login." in (desc.text or "")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    nodes = {g.get("data-system") for g in svg.iter(f"{SVG}g") if g.get("data-system")}
    assert nodes == catalogue_ids()
    edges = {(p.get("data-from"), p.get("data-to")) for p in svg.iter(f"{SVG}path")}
    edges.discard((None, None))  # the arrowhead's own path
    assert edges == catalogue_edges()


def test_svg_marks_the_down_system_and_everything_depending_on_it(map_page: str) -> None:
    svg = parse_svg(map_page)
    # Hand-computed: every tool but Glasshouse depends on Login, directly or not.
    affected = catalogue_ids() - {"login", "glasshouse"}
    for g in svg.iter(f"{SVG}g"):
        system = g.get("data-system")
        if not system:
            continue
        classes = (g.get("class") or "").split()
        captions = [t.text for t in g.iter(f"{SVG}text")]
        if system == "login":
            assert "gh-map__node--is-down" in classes
            assert captions[1] == "DOWN"
        elif system in affected:
            assert "gh-map__node--affected" in classes
            assert captions[1] == "AFFECTED (Operational)"
        else:
            assert not {"gh-map__node--affected", "gh-map__node--is-down"} & set(classes)
            assert captions[1] == "Operational"
        # A marked tool also gets a patterned band: never colour alone.
        bands = [r for r in g.iter(f"{SVG}rect") if r.get("class") == "gh-map__band"]
        assert len(bands) == (1 if system in affected | {"login"} else 0)


def section(page: str, heading: str) -> str:
    return page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_text_alternative_lists_every_edge(map_page: str) -> None:
    listed = set()
    for line in section(map_page, "Every dependency, in words").splitlines():
        links = re.findall(r"\[[^\]]+\]\(([a-z-]+)/index\.md\)", line)
        if links:
            listed |= {(links[0], dep) for dep in links[1:]}
    assert listed == catalogue_edges()


def test_text_alternative_says_what_is_affected_when_a_tool_is_down(map_page: str) -> None:
    text = section(map_page, "If a tool is down, what is affected")
    login = next(ln for ln in text.splitlines() if ln.startswith("- If [Login]"))
    assert "**it is down now**" in login
    named = set(re.findall(r"\(([a-z-]+)/index\.md\)", login)) - {"login"}
    assert named == catalogue_ids() - {"login", "glasshouse"}
    # Dialogue and Insight use Contact Creator; Turnout too (hand-read from the catalogue).
    cc = next(ln for ln in text.splitlines() if ln.startswith("- If [Contact Creator]"))
    assert set(re.findall(r"\(([a-z-]+)/index\.md\)", cc)) - {"contact-creator"} == {
        "dialogue",
        "insight",
        "turnout",
    }
    assert "<strong>Down now: Login.</strong>" in map_page


def test_system_page_shows_health_dependents_data_access_and_docs(
    login_down: SiteContext,
) -> None:
    page = systems_pages.pages(login_down)["systems/login/index.md"]
    assert isinstance(page, str)
    assert '<span class="gh-state gh-state--down">Down</span>' in page
    assert ": connection refused." in page
    assert "[the status of every tool](../../status/index.md)" in page
    dependents_section = section(page, "Tools that depend on it")
    assert set(re.findall(r"\(\.\./([a-z-]+)/index\.md\)", dependents_section)) == (
        catalogue_ids() - {"login", "glasshouse"}
    )
    data = section(page, "Personal data")
    # Not confirmed by Digital Organising yet, so shown as proposed.
    proposed = "(proposed, to be confirmed by Digital Organising):"
    assert f"**Lawful basis** {proposed} Contract (UK GDPR Article 6(1)(b))" in data
    assert f"**How long it is kept** {proposed} Sign-in history is kept for one year" in data
    assert "[How to get access to Login](../../access/login.md)" in page
    assert "[Login's status page](../../status/login.md)" in page
    # Roadmap items naming Login, read straight from the roadmap files.
    on_roadmap = {
        p.stem
        for p in (REPO / "roadmap").glob("*.yml")
        if "login" in (yaml.safe_load(p.read_text()).get("systems") or [])
    }
    items = re.findall(
        r"^- \[[^\]]+\]\(\.\./\.\./roadmap/([a-z0-9-]+)\.md\)",
        section(page, "On the roadmap"),
        re.MULTILINE,
    )
    listed = set(items)
    assert listed == on_roadmap
    assert "- [Login runbook](runbook.md)." in page
    assert "**Incomplete:**" in page
    assert "may be out of date" not in page


def test_system_page_says_when_it_may_be_out_of_date(login_down: SiteContext) -> None:
    login = login_down.catalog.systems["login"]
    day_after = datetime.combine(login.review_due() + timedelta(days=1), time(12), UTC)
    late = build_context(login_down.content, {}, now=day_after)
    page = systems_pages.pages(late)["systems/login/index.md"]
    assert isinstance(page, str)
    assert '<div class="gh-review-note" role="note">' in page
    assert "<strong>This page may be out of date.</strong>" in page
    assert f"a review was due on {login.review_due().day} {login.review_due():%B %Y}" in page
    on_time = build_context(login_down.content, {}, now=NOW)
    assert "gh-review-note" not in systems_pages.pages(on_time)["systems/login/index.md"]


def test_onboarding_lists_accounts_systems_in_dependency_order_and_docs(
    login_down: SiteContext,
) -> None:
    page = systems_pages.pages(login_down)["systems/onboarding.md"]
    assert isinstance(page, str)
    order = re.findall(r"^1\. \*\*\[[^\]]+\]\(([a-z-]+)/index\.md\)", page, re.MULTILINE)
    assert sorted(order) == sorted(catalogue_ids())
    position = {sid: i for i, sid in enumerate(order)}
    for dependent, dependency in catalogue_edges():
        assert position[dependency] < position[dependent]
    accounts = section(page, "Day one: accounts to request")
    # The shipped policies give engineers Glasshouse (admin) and Login (admin).
    assert "### If you are a digital team engineer" in accounts
    assert "- **Glasshouse**, admin:" in accounts and "- **Login**, admin:" in accounts
    assert "[How to get access to Glasshouse](../access/glasshouse.md)" in accounts
    # Training first, each module linked to its page.
    assert (
        "[Find your way around Glasshouse]"
        "(../training/volunteer-developer/volunteer-glasshouse-start.md)"
    ) in accounts
    docs = section(page, "Docs to read")
    assert "[Run Glasshouse on your own computer](glasshouse/run-locally.md)" in docs
    assert "[Dialogue runbook](dialogue/runbook.md), owned by Digital Organising" in docs
    assert "[contributing guide](../contributing.md)" in page
