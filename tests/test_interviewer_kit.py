"""The interviewer's kit: built from the question pages, filtered and printed in Chromium from file://."""
from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import WRITTEN, open_page, section_html

KIT = "interviewer-kit.html"
PARTS = {"A strong answer includes": "short-answer", "Red flags": "common-mistakes",
         "Follow-ups": "follow-up-questions"}


def words(html: str) -> str:
    return "".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_each_card_says_what_its_page_says(site):
    """Each part of each card against the built page's own section, so a kit that drifted from a page,
    or put one question's red flags under another, fails."""
    soup = BeautifulSoup((site / KIT).read_text(encoding="utf-8"), "html.parser")
    cards = soup.select(".kit-card")
    assert [c["data-slug"] for c in cards] == [q.slug for q in WRITTEN]
    wrong = []
    for card, q in zip(cards, WRITTEN, strict=True):
        link = card.select_one("h3 a[href]")
        if link.get_text() != q.text or (site / link["href"]).resolve() != (site / q.html).resolve():
            wrong.append(f"{q.slug}: heading {link.get_text()!r} -> {link['href']}")
        parts = card.select(".kit-card__part")
        labels = [p.find("strong").get_text() for p in parts]
        if labels != list(PARTS):
            wrong.append(f"{q.slug}: parts {labels}")
            continue
        for part, (label, anchor) in zip(parts, PARTS.items(), strict=True):
            part.find("p").decompose()   # the label
            if words(str(part)) != words(section_html(site, q, anchor)):
                wrong.append(f"{q.slug}: {label!r} differs from the page's #{anchor}")
    assert not wrong, "\n".join(wrong)


def test_filters_choose_the_questions_and_print_gives_only_the_selected(site, offline_page):
    p = open_page(offline_page, site, KIT)
    page = p.page
    cards = page.locator(".kit-card")
    status = page.locator("#kit-status")
    n = len(WRITTEN)
    assert status.inner_text() == f"{n} questions shown, 0 selected: printing gives all {n} shown."

    topic = WRITTEN[0].tags[0]
    page.select_option("#kit-topic", topic)
    want = [q.slug for q in WRITTEN if topic in q.tags]
    assert page.locator(".kit-card:visible").evaluate_all("cs => cs.map(c => c.dataset.slug)") == want
    page.select_option("#kit-difficulty", "easy")
    want = [q.slug for q in WRITTEN if topic in q.tags and q.difficulty == "easy"]
    assert page.locator(".kit-card:visible").evaluate_all("cs => cs.map(c => c.dataset.slug)") == want

    page.select_option("#kit-topic", "all")
    page.select_option("#kit-difficulty", "all")
    picked = [WRITTEN[1], WRITTEN[-1]]
    for q in picked:
        name = f"Include in the printout: {q.difficulty.capitalize()} {q.n}. {q.text}"
        page.get_by_role("checkbox", name=name).check()
    assert status.inner_text().endswith("2 selected: printing gives the 2 selected.")
    page.emulate_media(media="print")
    printed = page.locator(".kit-card:visible").evaluate_all("cs => cs.map(c => c.dataset.slug)")
    assert printed == [q.slug for q in picked]
    for chrome in (".md-header", ".md-sidebar--primary", ".kit-controls", ".kit-card__include"):
        assert page.locator(chrome).first.evaluate("e => getComputedStyle(e).display") == "none", chrome
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Clear selection").click()
    page.emulate_media(media="print")
    assert cards.locator("visible=true").count() == len(WRITTEN), "no selection prints every card shown"
    assert not p.errors and not p.external
