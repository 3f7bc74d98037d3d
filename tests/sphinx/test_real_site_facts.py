"""The real site, built strictly, against the workshop's facts file.

``../shared/workshop-facts.yml`` (beside the repository) holds the workshop's
names, dates, links and numbers; every page of the built site must agree with
it, and the leftovers of the original site (a wrong time zone, a short name,
an old template's "Foundation Models") must appear on no page.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

FACTS = REPO.parent / "shared" / "workshop-facts.yml"


@pytest.fixture(scope="module")
def facts() -> dict:
    if not FACTS.is_file():
        pytest.fail(f"{FACTS} is missing: the shared folder must sit beside the repository",
                    pytrace=False)
    return yaml.safe_load(FACTS.read_text(encoding="utf-8"))


def soup(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def long_date(day: date) -> str:
    """11 May 2024 as the site writes it: "Saturday 11 May 2024"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_no_page_says_what_the_facts_correct(real_site: Path):
    """No "Foundation Models", no bare "Chris", no CET: on any page, in text or metadata."""
    wrong = {"Foundation Models": re.compile(r"Foundation Models", re.IGNORECASE),
             "Chris": re.compile(r"\bChris\b"), "CET": re.compile(r"\bCET\b")}
    found = []
    for page in sorted(real_site.rglob("*.html")):
        parsed = soup(real_site, str(page.relative_to(real_site)))
        shown = words(parsed) + " " + " ".join(
            m.get("content", "") for m in parsed.find_all("meta")) + " " + (
            parsed.title.get_text() if parsed.title else "")
        found += [f"{page.relative_to(real_site)}: {name}" for name, pattern in wrong.items()
                  if pattern.search(shown)]
    assert found == []


def test_the_workshop_itself(real_site: Path, facts: dict):
    workshop = facts["workshop"]
    home = soup(real_site, "index.html")
    assert workshop["title"] in words(home.find("h1"))
    hero = words(home.select_one(".proceedings-hero"))
    assert long_date(workshop["date"]) in hero and workshop["conference"] in hero
    assert workshop["location"].split(" (")[0] in hero
    assert home.select_one(f'a[href="{workshop["conference_url"]}"]') is not None
    assert home.select_one(f'a[href="mailto:{workshop["contact"]}"]') is not None


def test_the_call_for_papers(real_site: Path, facts: dict):
    cfp_facts = facts["call_for_papers"]
    cfp = soup(real_site, "call-for-papers.html")
    guide = cfp.select_one(f'a[href="{cfp_facts["author_guide_url"]}"]')
    assert guide is not None and "author guide" in guide.get_text()
    text = words(cfp.select_one("article"))
    for key in ("submission_opens", "submission_deadline", "notification"):
        day = date.fromisoformat(str(cfp_facts[key]).split()[0])  # "2024-02-10 23:59 AoE"
        assert long_date(day) in text, key
    assert "23:59 Anywhere on Earth (AoE)" in text
    assert "Four pages" in text and cfp_facts["page_limit"] == 4
    assert "Double-blind" in text and "non-archival" in text
    assert cfp.select_one(f'a[href="{facts["workshop"]["openreview_url"]}"]') is not None


def test_the_numbers(real_site: Path, facts: dict):
    stats = facts["statistics"]
    spotlights, posters = stats["accepted_spotlights"], stats["accepted_posters"]
    listing = soup(real_site, "proceedings/index.html").select_one(".proceedings-stats p")
    said = re.sub(r"\(\s+", "(", re.sub(r"\s+([,.):])", r"\1", words(listing)))
    assert said == (f"{stats['submissions']} submissions, {spotlights + posters} accepted papers: "
                    f"{spotlights} spotlights (with pages here) and {posters} posters "
                    "(on OpenReview).")
    assert listing.select_one("a")["href"] == facts["workshop"]["openreview_url"]
    committee = words(soup(real_site, "committee.html").select_one("article"))
    reviewers = facts["program_committee"]["reviewers"]
    assert f"the {len(reviewers)} reviewers" in committee
    assert f"each of the {stats['submissions']}" in committee
    assert all(name in committee for name in reviewers + facts["program_committee"]["area_chairs"])


@pytest.mark.parametrize(("group", "page"), [
    ("invited_speakers", "speakers.html"), ("panelists", "speakers.html"),
    ("organizers", "organizers.html")])
def test_people_with_their_affiliations_and_links(real_site: Path, facts: dict, group: str,
                                                  page: str):
    cards = {words(card.find("strong")): card
             for card in soup(real_site, page).select(".proceedings-person")}
    for person in facts[group]:
        card = cards.get(person["name"])
        assert card is not None, f"{person['name']} has no card on {page}"
        assert card.select_one(f'a[href="{person["url"]}"]') is not None, person["name"]
        for place in person["affiliation"].split("; "):
            assert place in words(card), (person["name"], place)


def test_the_schedule(real_site: Path, facts: dict):
    page = soup(real_site, "schedule.html")
    assert "CEST, UTC+2" in words(page.select_one("article"))
    rows = [words(row) for row in page.select("table.proceedings-schedule tbody tr")]
    for item in facts["schedule"]:
        when = f"{item['start']} – {item['end']}" if "end" in item else f"from {item['start']}"
        row = next((r for r in rows if r.startswith(when)), None)
        assert row is not None and item["type"] in row, (item, row)
        for name in re.split(r", ", item.get("who", "")):
            if name and name not in {"Organizers", "Registered attendees"}:
                assert name in row, (name, row)
    spotlights = {p["openreview_id"]: p["title"] for p in facts["spotlight_papers"]}
    for item in (i for i in facts["schedule"] if "paper" in i):
        row = next(r for r in rows if r.startswith(item["start"]))
        assert "Contributed talk" in row and spotlights[item["paper"]] in row, row


def test_the_spotlight_papers(real_site: Path, facts: dict):
    listed = soup(real_site, "proceedings/index.html")
    for paper in facts["spotlight_papers"]:
        forum = f"https://openreview.net/forum?id={paper['openreview_id']}"
        card = listed.find("a", href=forum).find_parent(class_="proceedings-card")
        assert words(card.select_one(".proceedings-card-title")) == paper["title"]
        page = soup(real_site, "proceedings/" + card.select_one(
            ".proceedings-card-title a")["href"])
        assert words(page.find("h1")).rstrip("#").strip() == paper["title"]
        assert [words(a) for a in page.select(".proceedings-authors a")] == paper["authors"]
        assert page.find("a", href=f"https://openreview.net/pdf?id={paper['openreview_id']}")
