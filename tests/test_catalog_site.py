"""The built site (real mkdocs --strict builds): catalogue, access register, GDPR guide."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from portal.load import load_catalog
from tests.conftest import BuiltSite, build_site
from tests.html_tree import Node, parse_html


class _Page(HTMLParser):
    """Links, and the article's h2 sections with the links found in each."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._heading: str | None = None
        self._in_h2 = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._in_h2, self._text = True, []
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)
            if self._heading is not None and not self._in_h2:
                self.sections[self._heading].append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            self._heading = "".join(self._text).replace("¶", "").strip()
            self.sections[self._heading] = []

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self._text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_one_page_per_system_access_page_and_role(demo_site: BuiltSite) -> None:
    catalog, _ = load_catalog(demo_site.root)
    site = demo_site.site
    for sid in catalog.systems:
        assert (site / "systems" / sid / "index.html").is_file(), sid
        assert (site / "access" / sid / "index.html").is_file(), sid
    for rid in catalog.roles:
        assert (site / "access" / "roles" / rid / "index.html").is_file(), rid
    for page in ("systems", "systems/map", "systems/onboarding", "access", "contributing"):
        assert (site / page / "index.html").is_file(), page
    built = {p.parent.name for p in (site / "systems").glob("*/index.html")}
    generated_lists = {"map", "onboarding"}
    assert built - generated_lists == set(catalog.systems)


def _target(site: Path, page: Path, href: str) -> Path | None:
    """The file a relative link from ``page`` opens, or None for links off the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    base = page.parent.relative_to(site).as_posix()
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    target = site / path
    return target / "index.html" if href.split("#")[0].endswith("/") else target


def test_every_link_in_the_catalogue_and_access_pages_resolves(demo_site: BuiltSite) -> None:
    """Covers raw-HTML links too (the matrix), which mkdocs --strict does not check."""
    site = demo_site.site
    pages = [*(site / "systems").rglob("index.html"), *(site / "access").rglob("index.html")]
    pages += [site / "contributing" / "index.html", site / "guides" / "gdpr" / "index.html"]
    checked = 0
    for page in pages:
        for href in parse(page).links:
            target = _target(site, page, href)
            if target is None:
                continue
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"
            checked += 1
    assert checked > 500


# The topics, and the heading of the guide's section for each.
GDPR_TOPICS = {
    "what personal data is": "What personal data is",
    "lawful bases used in organising": "Lawful bases used in organising",
    "what you may and may not do with contact data": (
        "What you may and may not do with contact data"
    ),
    "phonebanking and who may call whom": "Phonebanking: who may call whom",
    "data subject requests": "When someone asks for their data, or asks you to stop",
    "what to do after a data breach": "After a data breach",
    "retention": "How long to keep data",
}
PRIMARY = ("legislation.gov.uk", "ico.org.uk", "electoralcommission.org.uk")


@pytest.mark.parametrize("topic", sorted(GDPR_TOPICS))
def test_gdpr_guide_has_a_sourced_section_for_each_topic(demo_site: BuiltSite, topic: str) -> None:
    page = parse(demo_site.site / "guides" / "gdpr" / "index.html")
    links = page.sections[GDPR_TOPICS[topic]]
    hosts = {urlsplit(h).hostname or "" for h in links if urlsplit(h).scheme == "https"}
    primary = {h for h in hosts if h.endswith(PRIMARY)}
    assert primary, f"{topic}: no source from legislation or the regulator, found {hosts}"


def test_gdpr_guide_says_it_is_not_legal_advice_and_whom_to_ask(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "guides" / "gdpr" / "index.html").read_text()
    assert "Guidance, not legal advice" in html
    page = parse(demo_site.site / "guides" / "gdpr" / "index.html")
    assert "Who to ask" in page.sections
    assert "../../access/roles/data-protection-officer/" in page.links


def test_skeleton_docs_say_they_are_incomplete(demo_site: BuiltSite) -> None:
    site = demo_site.site
    note = "<strong>This page is incomplete.</strong>"
    for doc in (demo_site.root / "site_src" / "systems").glob("*/*.md"):
        if doc.name == "index.md":
            continue
        html = (site / "systems" / doc.parent.name / doc.stem / "index.html").read_text()
        assert (note in html) == ("\nstatus: incomplete\n" in doc.read_text()), doc


def test_overdue_docs_and_systems_say_they_may_be_out_of_date(content_copy: Path) -> None:
    """A real build: the doc's note comes from the theme, the system page's from the generator."""
    arch = content_copy / "site_src" / "systems" / "glasshouse" / "architecture.md"
    arch.write_text(
        arch.read_text().replace("last_reviewed: 2026-11-28", "last_reviewed: 2020-01-01")
    )
    events = content_copy / "catalog" / "events.yml"
    events.write_text(
        events.read_text().replace("last_reviewed: 2026-11-28", "last_reviewed: 2020-01-01")
    )
    history = content_copy / "no-history"
    history.mkdir()
    site = build_site(content_copy, history, content_copy / "site", now=datetime.now(UTC))
    note = "<strong>This page may be out of date.</strong>"
    assert note in (site / "systems" / "glasshouse" / "architecture" / "index.html").read_text()
    assert note not in (site / "systems" / "glasshouse" / "runbook" / "index.html").read_text()
    assert note in (site / "systems" / "events" / "index.html").read_text()
    assert note not in (site / "systems" / "dialogue" / "index.html").read_text()
    # The catalogue page lists which docs are out of date, in words.
    system_page = (site / "systems" / "glasshouse" / "index.html").read_text()
    assert "<strong>May be out of date:</strong>" in system_page


def _after(page: Node, element_id: str, wanted: Callable[[Node], bool]) -> Node:
    """The first sibling after the element with this id that ``wanted`` accepts."""
    for parent in page.iter():
        kids = [c for c in parent.children if isinstance(c, Node)]
        at = next((i for i, c in enumerate(kids) if c.attrs.get("id") == element_id), None)
        if at is not None:
            return next(c for c in kids[at + 1 :] if wanted(c))
    raise AssertionError(f"no element with id {element_id!r}")


def _a_list(node: Node) -> bool:
    return node.tag == "ul"


def _hrefs(node: Node) -> set[str]:
    return {a.attrs["href"] for a in node.find_all("a")}


def test_each_levels_training_links_to_its_modules(demo_site: BuiltSite) -> None:
    """On the tool's access page, the matrix and the role's page, each level lists the modules
    it asks for (the catalogue's per-level lists), each a link to the module's page."""
    from portal.content import load_content
    from portal.learning import module_path

    content = load_content(demo_site.root)
    site = demo_site.site
    matrix = parse_html((site / "access" / "index.html").read_text())
    checked = 0
    for system in content.catalog.systems.values():
        if system.access is None:
            continue
        tool = parse_html((site / "access" / system.id / "index.html").read_text())
        for level in system.access.levels:
            role = content.catalog.roles[level.role]
            modules = [module_path(content.training, m).removesuffix(".md") for m in level.training]
            item = next(
                li
                for li in _after(tool, "training", _a_list).find_all("li")
                if li.text().startswith(f"{role.name}, {level.level}:")
            )
            assert {f"../../{m}/" for m in modules} <= _hrefs(item), (system.id, role.id)
            role_page = parse_html((site / "access" / "roles" / role.id / "index.html").read_text())
            first = _after(
                role_page,
                f"tool-{system.id}",
                lambda n: n.tag == "p" and n.text().startswith(("Training first", "No training")),
            )
            assert {f"../../../{m}/" for m in modules} <= _hrefs(first), (system.id, role.id)
            if level.training:
                item = next(
                    li
                    for li in _after(matrix, f"training-{system.id}", _a_list).find_all("li")
                    if li.text().startswith(f"{role.name}, {level.level}:")
                )
                assert {f"../{m}/" for m in modules} <= _hrefs(item), (system.id, role.id)
            else:
                assert first.text() == "No training needed first."
            checked += len(modules)
    assert checked > 0


def test_proposed_lawful_bases_and_retention_say_who_must_confirm_them(
    demo_site: BuiltSite,
) -> None:
    from portal.content import load_content

    content = load_content(demo_site.root)
    site = demo_site.site
    unconfirmed = 0
    for system in content.catalog.systems.values():
        team = content.catalog.teams[system.team].name
        marker = f"(proposed, to be confirmed by {team})"
        for page in (site / "access" / system.id, site / "systems" / system.id):
            text = " ".join((page / "index.html").read_text().split())
            proposed = text.count(f"<strong>Lawful basis</strong> {marker}")
            assert proposed == sum(not d.confirmed for d in system.personal_data), page
            assert text.count(f"<strong>How long it is kept</strong> {marker}") == proposed
        unconfirmed += sum(not d.confirmed for d in system.personal_data)
    assert unconfirmed > 0
