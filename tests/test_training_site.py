"""The training pages as built by mkdocs --strict: structure read from the HTML itself.

Expected values come from the content files (objectives, exercises, order, durations), so each
assertion checks the rendering, not a copy of the generator's logic.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from portal.content import load_content
from portal.learning import iso_duration, learning_path
from portal.models.training import Module
from portal.render import format_minutes
from tests.conftest import REPO, BuiltSite
from tests.html_tree import Node, parse_html

CONTENT = load_content(REPO)
TRAINING = CONTENT.training


def plain(markdown_text: str) -> str:
    """What a short Markdown text reads as once rendered: no emphasis or code marks."""
    return " ".join(re.sub(r"[*`]", "", markdown_text).split())


def parse_file(path: Path) -> Node:
    return parse_html(path.read_text(encoding="utf-8"))


def page(site: BuiltSite, *parts: str) -> Node:
    path = site.site.joinpath(*parts, "index.html")
    assert path.exists(), path
    return parse_file(path).find("article")


def json_ld(article: Node) -> dict[str, object]:
    (script,) = [
        s for s in article.find_all("script") if s.attrs.get("type") == "application/ld+json"
    ]
    data: dict[str, object] = json.loads(script.text())
    return data


def modules() -> list[Module]:
    return [m for c in TRAINING.courses.values() for m in TRAINING.modules_of(c)]


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.id)
def test_module_page_structure(demo_site: BuiltSite, module: Module) -> None:
    course = TRAINING.course_of(module.id)
    article = page(demo_site, "training", course.id, module.id)
    elements = list(article.iter())

    # Objectives first, in a box above the teaching.
    (objectives,) = article.find_all("div", cls="abstract")
    assert [li.text() for li in objectives.find_all("li")] == [
        plain(o.text) for o in module.objectives
    ]
    first_heading = next(e for e in elements if e.tag == "h2")
    assert elements.index(objectives) < elements.index(first_heading)

    # Each exercise is an admonition with its solution collapsed inside it.
    exercises = article.find_all("div", cls="example")
    assert len(exercises) == len(module.exercises)
    for box, exercise in zip(exercises, module.exercises, strict=True):
        title = box.find("p", cls="admonition-title").text()
        assert title.endswith(format_minutes(exercise.minutes))
        (solution,) = box.find_all("details")
        assert "open" not in solution.attrs
        assert solution.find("summary").text() == "Solution"

    # Each self-check shows its question; the answer is in a closed <details>.
    checks = article.find_all("div", cls="question")
    assert len(checks) == len(module.self_checks)
    for box in checks:
        (answer,) = box.find_all("details")
        assert "open" not in answer.attrs and answer.find("summary").text() == "Answer"

    # Key points after the exercises; trainer notes collapsed and set apart.
    headings = [e.text().rstrip("¶").strip() for e in elements if e.tag == "h2"]
    assert headings[-4:] == ["Exercises", "Check your understanding", "Key points", "For trainers"]
    (trainers,) = article.find_all("details", cls="gh-trainers")
    assert "open" not in trainers.attrs

    # No progress control in the HTML: the script adds them, so JS-off pages have none.
    assert article.find_all("input") == [] and article.find_all("button") == []
    assert article.find("div", cls="gh-progress-toggle").children == []

    # Previous and next module, or the course overview at either end.
    order = course.modules
    at = order.index(module.id)
    links = [a.attrs["href"] for a in article.find("nav", cls="gh-module-nav").find_all("a")]
    before = f"../{order[at - 1]}/" if at > 0 else "../"
    after = f"../{order[at + 1]}/" if at + 1 < len(order) else "../"
    assert links == [before, after]

    # Prerequisites are linked.
    hrefs = {a.attrs.get("href") for a in article.find("div", cls="gh-module-meta").find_all("a")}
    for prerequisite in module.prerequisites:
        other = TRAINING.course_of(prerequisite).id
        expected = f"../{prerequisite}/" if other == course.id else f"../../{other}/{prerequisite}/"
        assert expected in hrefs

    data = json_ld(article)
    assert data["@type"] == "LearningResource"
    assert data["name"] == module.title
    hours, minutes = divmod(module.duration_minutes, 60)
    assert data["timeRequired"] == "PT" + (f"{hours}H" if hours else "") + (
        f"{minutes}M" if minutes else ""
    )
    assert data["teaches"] == [o.text for o in module.objectives]


@pytest.mark.parametrize("course_id", sorted(TRAINING.courses))
def test_course_page_lists_modules_in_order_with_time_and_objectives(
    demo_site: BuiltSite, course_id: str
) -> None:
    course = TRAINING.courses[course_id]
    article = page(demo_site, "training", course_id)
    items = article.find_all("section", cls="gh-module-item")
    assert [s.attrs["data-gh-progress-item"] for s in items] == course.modules
    for number, (item, module) in enumerate(
        zip(items, TRAINING.modules_of(course), strict=True), 1
    ):
        link = item.find("h3").find("a")
        assert link.text() == module.title and link.attrs["href"] == f"{module.id}/"
        assert item.find("h3").text().startswith(f"{number}.")
        assert len(item.find_all("li")) == len(module.objectives)
    total = sum(m.duration_minutes for m in TRAINING.modules_of(course))
    assert f"about {format_minutes(total)} in" in article.text()
    assert f"in {len(course.modules)} modules" in article.text()
    hrefs = {a.attrs.get("href") for a in article.find_all("a")}
    assert {"print/", "handout/"} <= hrefs

    data = json_ld(article)
    assert data["@type"] == "Course"
    assert data["name"] == course.title and data["description"] == course.summary
    assert data["timeRequired"] == iso_duration(total)
    assert data["provider"] == {
        "@type": "Organization",
        "name": CONTENT.catalog.portal.organisation,
        "url": CONTENT.catalog.portal.site_url,
    }
    assert data["audience"] == [
        {"@type": "Audience", "audienceType": CONTENT.catalog.roles[r].name}
        for r in course.audience
    ]
    assert len(data["teaches"]) == sum(len(m.objectives) for m in TRAINING.modules_of(course))  # type: ignore[arg-type]
    assert data["coursePrerequisites"]


def test_volunteer_course_names_its_prerequisite_from_another_course(demo_site: BuiltSite) -> None:
    article = page(demo_site, "training", "volunteer-developer")
    basics = TRAINING.modules["gdpr-basics"]
    assert json_ld(article)["coursePrerequisites"] == [f"{basics.title} (GDPR for organisers)"]
    hrefs = {a.attrs.get("href") for a in article.find_all("a")}
    assert "../gdpr-for-organisers/gdpr-basics/" in hrefs


@pytest.mark.parametrize("course_id", sorted(TRAINING.courses))
def test_printable_course_and_handout(demo_site: BuiltSite, course_id: str) -> None:
    course = TRAINING.courses[course_id]
    mods = TRAINING.modules_of(course)
    printable = page(demo_site, "training", course_id, "print")
    titles = [h.text().rstrip("¶").strip() for h in printable.find_all("h2", cls="gh-print-module")]
    assert titles == [f"Module {i}: {m.title}" for i, m in enumerate(mods, 1)]
    details = printable.find_all("details")
    # Every solution, answer and trainer note, all open on the page made for paper.
    assert len(details) == sum(len(m.exercises) + len(m.self_checks) + 1 for m in mods)
    assert all("open" in d.attrs for d in details)
    # Module bodies sit one level down, under their module's heading.
    assert printable.find_all("h1")[0].text().startswith(course.title)
    assert len(printable.find_all("h1")) == 1

    handout = page(demo_site, "training", course_id, "handout")
    assert [h.text().rstrip("¶").strip() for h in handout.find_all("h3")] == [
        f"Exercise {i}: {e.title}" for m in mods for i, e in enumerate(m.exercises, 1)
    ]
    assert handout.find_all("details") == []


def test_catalogue_and_filter_pages(demo_site: BuiltSite) -> None:
    article = page(demo_site, "training")
    cards = article.find_all("article", cls="gh-course")
    assert [c.attrs["data-gh-course"] for c in cards] == list(TRAINING.courses)
    for card in cards:
        course = TRAINING.courses[card.attrs["data-gh-course"] or ""]
        assert card.attrs["data-gh-progress-summary"] == " ".join(course.modules)
    roles = {r for c in TRAINING.courses.values() for r in c.audience}
    for role in CONTENT.catalog.roles:
        path = demo_site.site / "training" / "audience" / role / "index.html"
        assert path.exists() == (role in roles), role
        if role in roles:
            shown = [
                c.attrs["data-gh-course"]
                for c in page(demo_site, "training", "audience", role).find_all(
                    "article", cls="gh-course"
                )
            ]
            assert shown == [c.id for c in TRAINING.courses.values() if role in c.audience]
    # Each course sits in exactly one length page, and each length page exists for a reason.
    lengths = sorted((demo_site.site / "training" / "length").glob("*/index.html"))
    listed = [
        str(c.attrs["data-gh-course"])
        for p in lengths
        for c in parse_file(p).find_all("article", cls="gh-course")
    ]
    assert sorted(listed) == sorted(TRAINING.courses)


def test_a_learning_path_page_per_role(demo_site: BuiltSite) -> None:
    for role in CONTENT.catalog.roles:
        article = page(demo_site, "training", "paths", role)
        path = learning_path(role, CONTENT.catalog, TRAINING)
        steps = article.find_all("ol")
        if path.steps:
            (ordered,) = steps
            items = [c for c in ordered.children if isinstance(c, Node) and c.tag == "li"]
            links = [li.find("a").attrs["href"] for li in items]
            assert links == [f"../../{TRAINING.course_of(m).id}/{m}/" for m in path.module_ids]
        else:
            assert steps == []
            assert "there is nothing you have to do first" in article.text()
        # Courses written for the role are offered beside the path, not inside it.
        courses = {a.attrs["href"] for a in article.find_all("a")}
        assert {f"../../{c.id}/" for c in path.courses} <= courses


def test_home_page_links_to_the_training(demo_site: BuiltSite) -> None:
    home = parse_file(demo_site.site / "index.html").find("article")
    hrefs = {a.attrs.get("href") for a in home.find_all("a")}
    assert {"training/", "training/paths/"} <= hrefs
    assert f"{len(TRAINING.courses)} free courses" in home.text()
