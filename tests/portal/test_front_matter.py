"""Every generated page's front matter is YAML that parses to what the page meant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from portal.content import load_content
from portal.context import build_context
from portal.pages import build_pages
from portal.render import front_matter
from portal.yamlio import split_front_matter
from tests.conftest import REPO, BuiltSite

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


def test_built_home_page_shows_no_front_matter_as_text(demo_site: BuiltSite) -> None:
    html = (demo_site.site / "index.html").read_text(encoding="utf-8")
    portal = load_content(REPO).catalog.portal
    assert "title: " not in html
    assert f"<title>{portal.name}" in html
