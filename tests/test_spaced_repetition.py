"""Practice schedules itself with FSRS (the vendored ts-fsrs): due dates over days of reviews, the interval on
each grade button, the home page's "due today", and progress exported to and imported from a file. In
Chromium from file:// with the network cut and the page's clock in the test's hands."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from conftest import WRITTEN

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)   # a Monday morning, far from midnight in any zone
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
# One card's first weeks: the grades of its reviews, each made a minute after the card came due.
GRADES = [GOOD, GOOD, GOOD, AGAIN, GOOD, HARD, EASY]

# The library's own schedule for a sequence of (ISO time, grade), started from a new card.
LIBRARY_SCHEDULE = """(reviews) => {
  const f = FSRS.fsrs();
  let card = FSRS.createEmptyCard(new Date(reviews[0][0]));
  return reviews.map(([at, grade]) => {
    card = f.next(card, new Date(at), grade).card;
    return card.due.toISOString();
  });
}"""


def open_practice(offline_page, site, at: datetime, page=None):
    """Practice at time `at`, frozen there (a fresh offline page unless one is given, to keep its storage)."""
    if page is None:
        p = offline_page("light")
        page = p.page
        page.clock.install(time=at)
    page.clock.set_fixed_time(at)
    page.goto((site / "practice.html").as_uri())
    page.wait_for_selector(".practice__card")
    return page


def stored(page) -> dict:
    return page.evaluate("() => JSON.parse(localStorage.getItem('cnn-iq-practice'))")


def test_due_dates_over_weeks_of_reviews_are_the_librarys_own(site, offline_page):
    page = open_practice(offline_page, site, START)
    slug = page.locator(".practice__card").get_attribute("data-slug")
    reviews, at = [], START
    for grade in GRADES:
        open_practice(offline_page, site, at, page)
        shown = page.locator(".practice__card").get_attribute("data-slug")
        assert shown == slug, f"at {at} the card that is due is shown first, not {shown}"
        page.keyboard.press("Space")
        page.keyboard.press(str(grade))
        reviews.append([at.isoformat(), grade])
        want = page.evaluate(LIBRARY_SCHEDULE, reviews)[-1]
        got = stored(page)["cards"][slug]["due"]
        assert got == want, f"after the review at {at} graded {grade}: due {got}, the library says {want}"
        at = datetime.fromisoformat(got.replace("Z", "+00:00")) + timedelta(minutes=1)
    assert at - START > timedelta(days=14), "the schedule reached weeks, not just the learning steps"
    assert stored(page)["cards"][slug]["lapses"] == 1, "the Again after graduating counts as a lapse"


def test_each_grade_button_shows_the_interval_the_library_would_give(site, offline_page):
    page = open_practice(offline_page, site, START)
    page.keyboard.press("Space")
    buttons = page.locator(".practice__grade button").all()
    shown = {b.get_attribute("data-action"): b.get_attribute("data-next") for b in buttons}
    minutes = page.evaluate("""(at) => {
      const now = new Date(at), r = FSRS.fsrs().repeat(FSRS.createEmptyCard(now), now);
      return [1, 2, 3, 4].map((g) => Math.round((r[g].card.due - now) / 60000)); }""", START.isoformat())
    assert minutes[0] < minutes[1] <= minutes[2] < minutes[3], minutes
    assert shown == {"again": f"{minutes[0]}m", "hard": f"{minutes[1]}m", "good": f"{minutes[2]}m",
                     "easy": f"{round(minutes[3] / 1440)}d"}, shown
    assert page.get_by_role("button", name=f"Easy, next review in {shown['easy']} (key 4)").count() == 1


def test_the_home_page_and_practice_count_the_cards_due_today(site, offline_page):
    page = open_practice(offline_page, site, START)
    page.goto((site / "index.html").as_uri())
    assert page.locator("#practice-due").is_hidden(), "nothing to say before the first review"
    open_practice(offline_page, site, START, page)
    for grade in (AGAIN, GOOD, GOOD):           # due in minutes, minutes and minutes: all today
        page.keyboard.press("Space")
        page.keyboard.press(str(grade))
    page.keyboard.press("Space")
    page.keyboard.press("4")                    # Easy: due in days
    assert page.locator(".practice__progress").inner_text() == \
        f"{len(WRITTEN)} cards: 3 due today, {len(WRITTEN) - 4} new, 1 scheduled later"
    page.goto((site / "index.html").as_uri())
    assert page.locator("#practice-due").inner_text() == "Practice: 3 cards are due today."
    assert page.locator("#practice-due a").get_attribute("href") == "practice.html"


def test_progress_exports_to_a_file_and_imports_back_and_a_wrong_file_is_refused(site, offline_page, tmp_path):
    page = open_practice(offline_page, site, START)
    for grade in (GOOD, AGAIN):
        page.keyboard.press("Space")
        page.keyboard.press(str(grade))
    before = stored(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == f"cnn-interview-practice-{START.date()}.json"
    assert json.loads(exported.read_text()) == before

    page.get_by_role("button", name="Reset progress").click()
    assert stored(page)["cards"] == {}
    page.set_input_files("#practice-import", str(exported))
    page.wait_for_function("() => document.querySelector('.practice__message').textContent.startsWith('Imported')")
    assert stored(page)["cards"] == before["cards"]
    assert page.locator(".practice__message").inner_text() == \
        f"Imported the progress of 2 cards from {exported.name}."

    wrong = tmp_path / "notes.json"
    wrong.write_text(json.dumps({"hello": "world"}))
    page.set_input_files("#practice-import", str(wrong))
    page.wait_for_function("() => document.querySelector('.practice__message').textContent.startsWith('Nothing')")
    assert "notes.json is not practice progress" in page.locator("#practice-status").inner_text()
    assert stored(page)["cards"] == before["cards"], "a wrong file changes nothing"


def test_practice_with_grades_shown_has_no_serious_accessibility_violation(site, offline_page):
    for scheme in ("light", "dark"):
        p = offline_page(scheme)
        p.page.goto((site / "practice.html").as_uri())
        p.page.wait_for_selector(".practice__card")
        p.page.keyboard.press("Space")
        assert not p.serious_accessibility_violations(), scheme
        assert not p.external and not p.errors
