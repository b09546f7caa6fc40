"""Practice mode, cheat sheet, verified badge, offline bundle, dark-mode figures and hosting, each
checked in Chromium from file:// with the network off."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import stamps
import yaml
from bs4 import BeautifulSoup
from conftest import (
    ROOT,
    WRITTEN,
    assert_works_offline,
    mkdocs_build,
    open_and_settle,
    open_page,
    practice_cards,
    search_results,
    section_html,
)
from PIL import Image

BUNDLE = "downloads/cnn-interview-questions-offline.zip"
TOP_FOLDER = "cnn-interview-questions"


def practice_counts(page) -> tuple[int, int, int]:
    """(due today, new, scheduled later) as the progress line reports them."""
    progress = page.locator(".practice__progress")
    return tuple(int(progress.get_attribute(f"data-{k}")) for k in ("due", "new", "later"))


def test_practice_mode_reveals_grades_filters_and_remembers(site, offline_page):
    p = open_page(offline_page, site, "practice.html")
    page = p.page
    card = page.locator(".practice__card")
    assert page.locator(".practice__progress").inner_text().startswith(
        f"{len(WRITTEN)} cards: 0 due today, {len(WRITTEN)} new")
    first = card.get_attribute("data-slug")
    assert page.locator(".practice__answer").count() == 0
    page.keyboard.press("Space")
    answer = page.locator(".practice__answer")
    assert answer.count() == 1 and len(answer.inner_text()) > 100, "Space reveals the short answer"
    assert page.locator(".practice__grade button").all_inner_texts()[0].startswith("Again")
    page.keyboard.press("3")
    assert card.get_attribute("data-slug") != first, "grading moves on to the next card"
    page.get_by_role("button", name="Show answer (Space)").click()
    page.get_by_role("button", name="Again").click()
    due, new, later = practice_counts(page)
    assert (new, due + later) == (len(WRITTEN) - 2, 2), "two cards graded, the rest still new"

    page.reload()
    assert practice_counts(page) == (due, new, later), "progress survives a reload (localStorage)"

    page.select_option("#practice-difficulty", "easy")
    easy = sum(q.difficulty == "easy" for q in WRITTEN)
    assert page.locator(".practice__progress").inner_text().startswith(f"{easy} cards")
    tag = WRITTEN[0].tags[0]
    page.select_option("#practice-tag", tag)
    both = sum(q.difficulty == "easy" and tag in q.tags for q in WRITTEN)
    assert page.locator(".practice__progress").inner_text().startswith(f"{both} cards")

    href = page.locator(".practice__card a", has_text="Open the full page").get_attribute("href")
    assert (site / href).is_file()
    assert not p.external and not p.errors


def words(html: str, drop: str = "") -> str:
    """The text of an HTML fragment as a browser's textContent has it, without the elements matching
    `drop`, whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for el in soup.select(drop) if drop else []:
        el.decompose()
    return " ".join(soup.get_text().split())


def same_text(a: str, b: str) -> bool:
    """Equal but for whitespace (the page and the cheat sheet lay out the same Markdown differently)."""
    return "".join(a.split()) == "".join(b.split())


def short_answer_html(site, q) -> str:
    """The built page's own short answer: what follows its 'Short answer' heading up to the next one."""
    return section_html(site, q, "short-answer")


def practice_answer_mismatches(site) -> list[str]:
    """Each practice card's answer against its page's short answer (not against the cheat sheet it is
    read from): an answer attached to the wrong card, or none, is listed."""
    by_slug = {q.slug: q for q in WRITTEN}
    cards = practice_cards(site)
    wrong = [] if [c["slug"] for c in cards] == [q.slug for q in WRITTEN] else \
        [f"cards {[c['slug'] for c in cards]}, want the written questions {[q.slug for q in WRITTEN]}"]
    for card in cards:
        q = by_slug.get(card["slug"])
        if q is None:
            continue
        if card["question"] != q.text:
            wrong.append(f"{card['slug']}: question {card['question']!r}, want {q.text!r}")
        want = words(short_answer_html(site, q))
        if not same_text(words(card["answer"]), want):
            wrong.append(f"{card['slug']}: answer {words(card['answer'])[:70]!r}..., its page says {want[:70]!r}...")
    return wrong


def test_practice_announces_only_the_change_and_keeps_keyboard_focus(site, offline_page):
    """A screen reader hears the new card or "Answer shown." from one status line, not the whole app
    re-read on every key; a button that re-renders the card hands focus to the next control."""
    page = open_page(offline_page, site, "practice.html").page
    status = page.locator("#practice-status")
    assert status.get_attribute("role") == "status" and status.inner_text() == ""
    assert page.locator("[aria-live]:has(.practice__card), .practice[aria-live]").count() == 0, \
        "the app itself is not a live region"
    page.get_by_role("button", name="Show answer (Space)").click()
    assert status.inner_text() == "Answer shown."
    first = page.locator(".practice__question").inner_text()
    assert page.evaluate("document.activeElement.dataset.action") == "good", "focus moves to the Good grade"
    page.keyboard.press("Enter")
    question = page.locator(".practice__question").inner_text()
    assert question != first and status.inner_text() == f"Card 1 of {len(WRITTEN)}: {question}", \
        "the graded card goes to the back of the queue; the most urgent card is announced"
    assert page.evaluate("document.activeElement.dataset.action") == "reveal"
    page.get_by_role("button", name="Next").click()
    assert page.evaluate("document.activeElement.dataset.action") == "next", "Next keeps focus for the next press"
    assert status.inner_text().startswith(f"Card 2 of {len(WRITTEN)}: "), "the graded card left the front"


def test_each_practice_card_answers_with_its_pages_short_answer(site):
    wrong = practice_answer_mismatches(site)
    assert not wrong, "\n".join(wrong)


# The deck as a reader walks it with Next: each card's slug, question, answer text (math left out) and
# how much math the revealed answer has and how much of it KaTeX rendered.
WALK = """() => {
  const cards = [];
  const n = parseInt(document.querySelector(".practice__progress").textContent, 10);
  for (let i = 0; i < n; i++) {
    document.querySelector(".practice__reveal").click();
    const answer = document.querySelector(".practice__answer");
    const text = answer.cloneNode(true);
    text.querySelectorAll(".arithmatex").forEach((m) => m.remove());
    cards.push({slug: document.querySelector(".practice__card").dataset.slug,
                question: document.querySelector(".practice__question").textContent,
                answer: text.textContent.replace(/\\s+/g, " ").trim(),
                math: answer.querySelectorAll(".arithmatex").length,
                rendered: answer.querySelectorAll(".arithmatex .katex").length});
    [...document.querySelectorAll(".practice__nav button")].find((b) => b.textContent === "Next").click();
  }
  return cards;
}"""


def walk_the_deck(site, offline_page) -> list[dict]:
    p = open_page(offline_page, site, "practice.html")
    cards = p.page.evaluate(WALK)
    assert not p.external and not p.errors, (p.external, p.errors)
    return cards


def revealed_answer_problems(site, cards: list[dict]) -> list[str]:
    by_slug = {q.slug: q for q in WRITTEN}
    problems = [f"{c['slug']}: the card shows {c['answer'][:60]!r}..., its page's short answer differs"
                for c in cards if not same_text(c["answer"], words(short_answer_html(site, by_slug[c["slug"]]),
                                                                  ".arithmatex"))]
    problems += [f"{c['slug']}: {c['rendered']} of {c['math']} formulas rendered" for c in cards
                 if c["rendered"] != c["math"]]
    if not sum(c["math"] for c in cards):
        problems.append("no revealed answer has math, so its rendering went unchecked")
    return problems


def test_practice_shows_each_cards_own_answer_with_its_math_rendered(site, offline_page):
    """In the browser, every card of the deck: the revealed answer is its page's, and KaTeX rendered it."""
    cards = walk_the_deck(site, offline_page)
    assert [c["slug"] for c in cards] == [q.slug for q in WRITTEN]
    problems = revealed_answer_problems(site, cards)
    assert not problems, "\n".join(problems)


def deck_order(page, key: str = "ArrowRight") -> list[str]:
    """The slugs met stepping through the whole deck once with `key` (or a button's name)."""
    n = int(page.locator(".practice__progress").inner_text().split()[0])
    order = []
    for _ in range(n):
        order.append(page.locator(".practice__card").get_attribute("data-slug"))
        if key.startswith("Arrow"):
            page.keyboard.press(key)
        else:
            page.get_by_role("button", name=key, exact=True).click()
    return order


def shuffle_and_navigation_problems(site, offline_page) -> list[str]:
    p = open_page(offline_page, site, "practice.html")
    page, problems = p.page, []
    catalogue_order = [q.slug for q in WRITTEN]
    if deck_order(page) != catalogue_order:
        problems.append("ArrowRight does not step through the deck in catalogue order and back to the start")
    if deck_order(page, "ArrowLeft") != catalogue_order[:1] + catalogue_order[:0:-1]:
        problems.append("ArrowLeft does not step backwards, wrapping from the first card to the last")
    if deck_order(page, "Previous") != catalogue_order[:1] + catalogue_order[:0:-1]:
        problems.append("Previous does not step backwards")
    page.get_by_role("button", name="Shuffle").click()
    shuffled = deck_order(page, "Next")
    if sorted(shuffled) != sorted(catalogue_order):
        problems.append(f"Shuffle lost or repeated cards: {shuffled}")
    elif shuffled == catalogue_order:   # a shuffle of 20+ cards that leaves every card in place: 1 in 20!
        problems.append("Shuffle left the deck in catalogue order")
    page.reload()
    if deck_order(page, "Next") != shuffled:
        problems.append("the shuffled order does not survive a reload")
    page.keyboard.press("Space")
    page.keyboard.press("3")
    page.get_by_role("button", name="Reset progress").click()
    if practice_counts(page) != (0, len(catalogue_order), 0):
        problems.append("Reset progress keeps the grades")
    if deck_order(page, "Next") != catalogue_order:
        problems.append("Reset progress keeps the shuffled order")
    problems += [f"network: {u}" for u in p.external] + [f"console: {e}" for e in p.errors]
    return problems


def test_practice_shuffle_arrows_previous_next_and_reset_work(site, offline_page):
    problems = shuffle_and_navigation_problems(site, offline_page)
    assert not problems, "\n".join(problems)


def test_cheat_sheet_lists_every_written_question_and_prints_cleanly(site, offline_page):
    p = open_page(offline_page, site, "cheat-sheet.html")
    page = p.page
    cards = page.locator(".cheat-card")
    assert cards.count() == len(WRITTEN)
    for q in WRITTEN:
        link = page.locator(f".cheat-card[data-slug='{q.slug}'] h3 a").first
        assert link.inner_text() == q.text
        assert (site / link.get_attribute("href")).is_file()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert page.locator(chrome).first.evaluate("e => getComputedStyle(e).display") == "none", chrome
    assert not p.external and not p.errors


def test_question_page_prints_with_its_notebook_and_without_the_chrome(site, offline_page):
    p = open_page(offline_page, site, WRITTEN[0].html)
    p.page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".notebook-links"):
        assert p.page.locator(chrome).first.evaluate("e => getComputedStyle(e).display") == "none", chrome
    embed = p.page.locator(".notebook-embed")
    assert embed.locator(".highlight").first.is_visible() and embed.locator("img").first.is_visible()
    pdf = p.page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_verified_badge_matches_the_notebook_stamp(q, site):
    html = (site / q.html).read_text()
    nb = stamps.load(ROOT / q.notebook)
    stamp = stamps.read_stamp(nb)
    badge = re.search(r'<p class="verified-badge" data-tied="(\d+)" data-seeds="([\d ]+)" data-runtime="([\d.]+)">'
                      r'(.*?)</p>', html, re.S)
    assert badge, "every question page has a badge under its title"
    assert badge.group(2).split() == [str(s) for s in stamp["seeds_passed"]]
    assert float(badge.group(3)) == stamp["runtime_s"]
    text = badge.group(4)
    assert f"PyTorch {stamp['torch']}" in text and f"Python {stamp['python']}" in text
    assert ("pass on seeds 0 and 1" in text) == (stamp["seeds_passed"] == [0, 1])
    assert "assertions" not in text, "a raw assert count says nothing a reader can use"


def test_home_page_links_the_offline_bundle_and_the_topic_map(site, offline_page):
    p = open_page(offline_page, site, "index.html")
    assert p.page.locator(f"a[href='{BUNDLE}']").count() == 1
    table = p.page.locator("xpath=//h2[@id='topic-map']/following::table[1]")
    tags = {t for q in WRITTEN for t in q.tags}
    assert table.locator("tbody tr").count() == len(tags)


def bundle_differences(site) -> list[str]:
    """The zip against site/ itself: the same files (figures, scripts and the search index included), each
    with the same bytes, but the home page, which leaves out the paragraph linking the zip."""
    with zipfile.ZipFile(site / BUNDLE) as bundle:
        assert bundle.testzip() is None
        names = [n for n in bundle.namelist() if not n.endswith("/")]
        outside = [n for n in names if not n.startswith(f"{TOP_FOLDER}/")]
        zipped = {n.removeprefix(f"{TOP_FOLDER}/"): bundle.read(n) for n in names}
    built = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()} - {BUNDLE}
    problems = [f"outside the {TOP_FOLDER}/ folder: {n}" for n in outside]
    problems += [f"missing from the zip: {n}" for n in sorted(built - set(zipped))]
    problems += [f"in the zip but not in site/: {n}" for n in sorted(set(zipped) - built)]
    problems += [f"differs from site/: {n}" for n in sorted(built & set(zipped) - {"index.html"})
                 if zipped[n] != (site / n).read_bytes()]
    home = zipped.get("index.html", b"").decode("utf-8")
    if BUNDLE in home or home == (site / "index.html").read_text(encoding="utf-8"):
        problems.append("the zip's home page should leave out the paragraph that links the zip")
    return problems


def test_offline_bundle_holds_exactly_the_built_site(site):
    problems = bundle_differences(site)
    assert not problems, "\n".join(problems[:30])


def test_offline_bundle_unzips_to_a_site_that_works_offline(site, tmp_path, offline_page):
    with zipfile.ZipFile(site / BUNDLE) as bundle:
        bundle.extractall(tmp_path)
    root = tmp_path / TOP_FOLDER
    first_of_each = {}
    for q in WRITTEN:
        first_of_each.setdefault(q.difficulty, q.html)
    for name in ["index.html", "practice.html", "drills.html", "cheat-sheet.html", *first_of_each.values()]:
        p, broken = open_and_settle(offline_page, root, name)
        assert_works_offline(p, broken, f"{TOP_FOLDER}/{name}")
        assert p.page.locator("article").count() == 1
    p = open_page(offline_page, root, "index.html")
    assert search_results(p.page, WRITTEN[0].text.split()[-1].strip("?")), "search works in the bundle"


def test_notebook_figures_stay_readable_in_both_schemes(site, offline_page):
    q = WRITTEN[0]
    for scheme in ("light", "dark"):
        p = open_page(offline_page, site, q.html, scheme)
        img = p.page.locator(".notebook-embed img").first
        img.scroll_into_view_if_needed()
        img.evaluate("e => e.decode()")
        shot = Image.open(io.BytesIO(img.screenshot())).convert("L")
        pixels = list(shot.get_flattened_data())
        light = sum(v > 200 for v in pixels) / len(pixels)
        dark = sum(v < 100 for v in pixels) / len(pixels)
        assert light > 0.4, f"{scheme}: the figure keeps its light background ({light:.0%} light pixels)"
        assert dark > 0.005, f"{scheme}: the figure's lines and text are dark on it ({dark:.1%} dark pixels)"
        page_bg = p.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (page_bg == "rgb(255, 255, 255)") == (scheme == "light")


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_every_notebook_figure_has_its_titles_as_alt_text_and_a_visible_caption(q, site):
    """The caption is what the figure's titles said when the notebook ran (recorded in the output's
    metadata), so it cannot drift from the image; the alt says it once to a screen reader."""
    nb = stamps.load(ROOT / q.notebook)
    recorded = [o["metadata"]["caption"] for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
                if "image/png" in o.get("data", {})]
    soup = BeautifulSoup((site / q.html).read_text(encoding="utf-8"), "html.parser")
    figures = soup.select(".notebook-embed figure.nb-figure")
    assert [f.img["alt"] for f in figures] == recorded, f"{q.html}: figure alt texts differ from the captions"
    assert [f.figcaption.get_text() for f in figures] == [f"Figure {n}. {c}" for n, c in enumerate(recorded, 1)]
    assert all(f.figcaption.get("aria-hidden") == "true" for f in figures)
    assert not soup.select(".notebook-embed img:not(figure.nb-figure img)"), f"{q.html}: a figure without a caption"


def test_figure_captions_are_visible_in_chromium(site, offline_page):
    p = open_page(offline_page, site, WRITTEN[0].html)
    caption = p.page.locator(".notebook-embed figure.nb-figure figcaption").first
    caption.scroll_into_view_if_needed()   # the embed's blocks render only near the viewport (content-visibility)
    p.page.wait_for_function("e => e.innerText.startsWith('Figure 1. ')", arg=caption.element_handle(), timeout=5000)
    assert caption.is_visible()
    img = p.page.locator(".notebook-embed figure.nb-figure img").first
    assert p.page.get_by_role("img", name=img.get_attribute("alt")).count() >= 1, "alt is the image's accessible name"


def test_hosted_build_links_colab_and_keeps_file_reading_working(site, project, tmp_path, offline_page):
    out = tmp_path / "hosted"
    res = mkdocs_build(project, out, SITE_URL="https://example.org/cnn-interview-questions/",
                       GITHUB_REPOSITORY="example/cnn-interview-questions", GITHUB_REF_NAME="main")
    assert res.returncode == 0, res.stderr[-3000:]
    q = WRITTEN[0]
    html = (out / q.html).read_text()
    assert 'rel="canonical" href="https://example.org/cnn-interview-questions/' in html
    assert f'href="../../{q.notebook}" download' in html, "download links stay relative"
    assert (f'href="https://colab.research.google.com/github/example/cnn-interview-questions/blob/main/'
            f'{q.notebook}">Open in Colab</a>') in html
    assert "Open in Colab" not in (site / q.html).read_text(), "no repository set: no Colab link"
    p = open_page(offline_page, out, "index.html")
    assert search_results(p.page, WRITTEN[0].text.split()[-1].strip("?"))
    assert not p.external and not p.errors


def test_pages_workflow_builds_without_executing_notebooks():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job.get("steps", [])]
    script = "\n".join(steps)
    assert "pip install -r requirements.txt" in script
    assert "mkdocs build --strict" in script
    assert "requirements-notebooks" not in script and "run_notebooks" not in script
    assert "deploy: $(VENV)/.site" in (ROOT / "Makefile").read_text()
