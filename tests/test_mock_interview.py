"""The mock interview, in Chromium from file:// with the network cut and the page's clock in the test's hands."""
from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import WRITTEN, practice_cards, section_html

MOCK = "mock-interview.html"
LEVELS = ["easy", "medium", "hard"]


def words(html: str) -> str:
    return "".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_each_question_reveals_its_pages_short_answer_and_follow_ups(site):
    by_slug = {q.slug: q for q in WRITTEN}
    cards = practice_cards(site)
    assert [c["slug"] for c in cards] == [q.slug for q in WRITTEN]
    wrong = [c["slug"] for c in cards
             if words(c["answer"]) != words(section_html(site, by_slug[c["slug"]], "short-answer"))
             or words(c["followups"]) != words(section_html(site, by_slug[c["slug"]], "follow-up-questions"))]
    assert not wrong, f"cards whose answer or follow-ups differ from their page: {wrong}"


def open_mock(offline_page, site, scheme="light"):
    p = offline_page(scheme)
    p.page.clock.install()
    p.page.goto((site / MOCK).as_uri())
    p.page.wait_for_load_state("load")
    p.page.clock.pause_at(p.page.evaluate("Date.now()") + 1000)   # time moves only when the test says
    return p


def test_a_timed_interview_escalates_announces_sparingly_and_ends_in_a_summary_by_topic(site, offline_page):
    p = open_mock(offline_page, site)
    page, status = p.page, p.page.locator("#mock-status")
    page.select_option("#mock-count", "3")
    page.select_option("#mock-mix", "mixed")
    page.select_option("#mock-tag", "all")
    page.fill("#mock-minutes", "2")
    page.press("#mock-minutes", "Tab")
    assert page.locator("#mock-available").inner_text() == "3 questions, 2 minutes each."
    page.press("#mock-minutes", "Enter")   # the settings are a form: Enter starts

    by_text = {q.text: q for q in WRITTEN}
    asked = []

    def question():
        q = by_text[page.locator(".practice__question").inner_text()]
        asked.append(q)
        assert status.inner_text() == f"Question {len(asked)} of 3: {q.text} You have 2 minutes."
        assert page.evaluate("document.activeElement.dataset.action") == "reveal"
        return q

    # 1: answered with a minute gone, by keyboard; the clock is announced once, at one minute left
    question()
    assert page.locator(".mock__timer").inner_text() == "2:00 left"
    page.clock.run_for(59_000)
    assert page.locator(".mock__timer").inner_text() == "1:01 left" and status.inner_text().startswith("Question 1")
    page.clock.run_for(2_000)
    assert page.locator(".mock__timer").inner_text() == "0:59 left" and status.inner_text() == "One minute left."
    page.keyboard.press("Space")
    assert status.inner_text() == "Answer and follow-ups shown: grade yourself."
    assert page.evaluate("document.activeElement.dataset.action") == "nailed"
    card = {c["slug"]: c for c in practice_cards(site)}[asked[0].slug]
    assert words(page.locator(".practice__answer").inner_html()) == words(card["answer"])
    assert words(page.locator(".mock__followups").inner_html()) == words(card["followups"])
    assert not p.serious_accessibility_violations(paused_clock=True)
    page.keyboard.press("1")

    # 2: the time runs out: the answer shows by itself
    question()
    page.clock.run_for(121_000)
    assert status.inner_text() == "Time is up. Answer and follow-ups shown: grade yourself."
    assert page.locator(".mock__timer").inner_text() == "Time used 2:00"
    page.keyboard.press("2")

    # 3: answered at once with the button
    question()
    page.get_by_role("button", name="I have answered: show the answer (Space)").click()
    page.keyboard.press("3")

    assert [q.difficulty for q in asked] == LEVELS, "three mixed questions: one of each level, easy to hard"
    assert len({q.slug for q in asked}) == 3
    heading = page.locator(".mock__summary h2")
    assert heading.inner_text() == "Summary: 1 of 3 nailed in 3:01"
    assert page.evaluate("document.activeElement.id") == "mock-summary-title"
    grades = dict(zip([q.slug for q in asked], ["1", "2", "3"], strict=True))
    want = {}
    for q in asked:
        for tag in q.tags:
            row = want.setdefault(tag, ["0", "0", "0"])
            row[int(grades[q.slug]) - 1] = str(int(row[int(grades[q.slug]) - 1]) + 1)
    rows = page.locator(".mock__summary tbody tr").evaluate_all(
        "rs => rs.map(r => [...r.children].map(c => c.textContent))")
    assert rows == [[tag, *want[tag]] for tag in sorted(want)]
    links = page.locator(".mock__reread a")
    assert links.evaluate_all("as => as.map(a => a.textContent)") == [asked[1].text, asked[2].text]
    assert [(site / h).is_file() for h in links.evaluate_all("as => as.map(a => a.getAttribute('href'))")] == [True] * 2
    assert not p.serious_accessibility_violations(paused_clock=True)
    assert not p.errors and not p.external


def test_choices_that_match_too_few_questions_say_so(site, offline_page):
    p = open_mock(offline_page, site, "dark")
    page = p.page
    tag = min({t for q in WRITTEN for t in q.tags}, key=lambda t: (sum(t in q.tags for q in WRITTEN), t))
    matching = [q for q in WRITTEN if tag in q.tags]
    page.select_option("#mock-count", "10")
    page.select_option("#mock-mix", "mixed")
    page.select_option("#mock-tag", tag)
    n = len(matching)
    if n < 10:
        assert page.locator("#mock-available").inner_text() == \
            f"Only {n} question{'' if n == 1 else 's'} match these choices."
    page.get_by_role("button", name="Start the interview").click()
    for k in range(1, min(n, 10) + 1):
        title = page.locator(".practice__question").inner_text()
        assert title in {q.text for q in matching}
        assert page.locator(".practice__meta").inner_text().startswith(f"Question {k} of {min(n, 10)} · ")
        page.keyboard.press("Space")
        page.keyboard.press("2")
    assert page.locator(".mock__summary h2").inner_text().startswith(f"Summary: 0 of {min(n, 10)} nailed")
    page.get_by_role("button", name="Start another interview").click()
    assert page.locator("#mock-tag").input_value() == tag, "the settings are kept"
    assert not p.errors and not p.external
