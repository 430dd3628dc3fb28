"""Every generated page's front matter is YAML that parses to what the page meant."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from portal.content import load_content
from portal.context import build_context
from portal.pages import build_pages
from portal.render import front_matter
from portal.write import MANIFEST
from portal.yamlio import split_front_matter
from tests.conftest import REPO, BuiltSite
from tests.html_tree import parse_html

AWKWARD = [
    "Glasshouse: the party's tools, in the open",
    'He said "vote" & left',
    "# not a comment",
    "- not a list",
    "two\nlines",
    "yes",
    "2026-12-05",
    "{braces} [brackets] *star &amp",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_front_matter_round_trips_awkward_text(text: str) -> None:
    block = str(front_matter({"title": text, "description": text}))
    split = split_front_matter(block + "\nbody\n")
    assert split is not None
    assert yaml.safe_load(split[0]) == {"title": text, "description": text}


def test_awkward_titles_and_descriptions_reach_the_html_exactly(tmp_path: Path) -> None:
    """Through mkdocs and the theme override: the <title> and meta description say exactly
    what the front matter does, whatever characters it holds."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for number, text in enumerate(AWKWARD):
        page = f"{front_matter({'title': text, 'description': text})}\n# Page {number}\n"
        (docs / f"page-{number}.md").write_text(page, encoding="utf-8")
    config = {
        "site_name": "Site",
        "docs_dir": "docs",
        "theme": {"name": "material", "custom_dir": str(REPO / "overrides"), "font": False},
        "plugins": [],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", "site"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    for number, text in enumerate(AWKWARD):
        html = (tmp_path / "site" / f"page-{number}" / "index.html").read_text(encoding="utf-8")
        tree = parse_html(html)
        assert tree.find("title").text() == " ".join(f"{text} - Site".split())
        described = [m for m in tree.find_all("meta") if m.attrs.get("name") == "description"]
        assert [m.attrs.get("content") for m in described] == [text]


def test_no_page_template_writes_front_matter_by_hand() -> None:
    """Each page template's first output is front_matter(...), the YAML dumper."""
    templates = sorted((REPO / "portal" / "templates").rglob("*.md.j2"))
    assert templates
    for template in templates:
        lines = template.read_text(encoding="utf-8").splitlines()
        output = [line for line in lines if not line.lstrip().startswith(("{%", "{#"))]
        assert output[0].startswith("{{ front_matter("), template.relative_to(REPO)


def test_every_generated_page_has_front_matter_that_parses() -> None:
    content = load_content(REPO)
    pages = build_pages(build_context(content, {}, now=datetime.now(UTC)))
    markdown = {path: text for path, text in pages.items() if path.endswith(".md")}
    assert len(markdown) > 50
    for path, text in markdown.items():
        assert isinstance(text, str)
        split = split_front_matter(text)
        assert split is not None, f"{path}: no front matter"
        meta = yaml.safe_load(split[0])
        assert isinstance(meta, dict), path
        assert isinstance(meta.get("title"), str) and meta["title"].strip(), path
        assert isinstance(meta.get("description"), str) and meta["description"].strip(), path


def _generated_markdown(site: BuiltSite) -> dict[str, str]:
    """Every Markdown page the generator wrote into the built site's docs folder."""
    docs = site.root / "site_src"
    listed = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    return {
        path: (docs / path).read_text(encoding="utf-8") for path in listed if path.endswith(".md")
    }


def _html_for(site: BuiltSite, page: str) -> Path:
    """The built HTML of a Markdown page (directory URLs: a/b.md -> a/b/index.html)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site.site / f"{stem}.html"
    return site.site / stem / "index.html"


def test_every_generated_page_in_the_built_site_has_parsing_front_matter(
    demo_site: BuiltSite,
) -> None:
    pages = _generated_markdown(demo_site)
    assert len(pages) > 50
    for path, text in pages.items():
        assert text.startswith("---\n"), f"{path}: does not start with front matter"
        split = split_front_matter(text)
        assert split is not None, f"{path}: front matter is not closed"
        meta = yaml.safe_load(split[0])
        assert isinstance(meta, dict), path
        assert isinstance(meta.get("title"), str) and meta["title"].strip(), path
        if "description" in meta:
            assert isinstance(meta["description"], str) and meta["description"].strip(), path


def test_built_pages_carry_their_front_matter_exactly(demo_site: BuiltSite) -> None:
    """mkdocs used the front matter: the HTML title and meta description are exactly what it
    says (a quote in a description once ended the attribute early)."""
    site_name = load_content(REPO).catalog.portal.name
    for path, text in _generated_markdown(demo_site).items():
        split = split_front_matter(text)
        assert split is not None, path
        meta = yaml.safe_load(split[0])
        tree = parse_html(_html_for(demo_site, path).read_text(encoding="utf-8"))
        assert tree.find("title").text() == " ".join(f"{meta['title']} - {site_name}".split())
        described = [m for m in tree.find_all("meta") if m.attrs.get("name") == "description"]
        assert [m.attrs.get("content") for m in described] == [meta["description"]], path


def test_no_built_page_shows_front_matter_as_text(demo_site: BuiltSite) -> None:
    pages = sorted(demo_site.site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        tree = parse_html(page.read_text(encoding="utf-8"))
        articles = tree.find_all("article")
        if not articles:  # redirects and the 404 page have no article
            continue
        text = articles[0].text()
        assert not text.startswith(("title:", "---", "description:")), page
