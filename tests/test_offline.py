"""site/ opened from file:// with the network off works in a real browser (Debian's Chromium):
no request leaves file:, no console error, math rendered, figures shown, both colour schemes."""
from __future__ import annotations

import pytest
from conftest import ROOT, WRITTEN, open_page

import catalogue

# 404.html is left out: only a web server shows it, and it addresses assets from the server's root.
PAGES = ["index.html", "topics.html", "practice.html", "cheat-sheet.html"] + [q.html
                                                                               for q in WRITTEN]

# Text nodes outside rendered math, code and scripts that still look like TeX: math KaTeX missed.
RAW_MATH = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("article") || document.body,
                                           NodeFilter.SHOW_TEXT);
  const skip = (n) => n.parentElement.closest(".katex, pre, code, script, style, .highlight, .jp-OutputArea");
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (skip(n)) continue;
    if (/\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$]*\\$|\\\\(frac|sum|mathbb|times|cdot)\\b/.test(n.textContent))
      found.push(n.textContent.trim().slice(0, 80));
  }
  return found;
}"""

BROKEN_IMAGES = """async () => {
  const imgs = [...document.images];
  imgs.forEach((img) => { img.loading = "eager"; });
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  return imgs.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src);
}"""


@pytest.mark.parametrize("name", PAGES)
def test_page_works_offline(name, site, offline_page):
    p = open_page(offline_page, site, name)
    broken = p.page.evaluate(BROKEN_IMAGES)
    p.page.wait_for_timeout(200)
    assert not p.external, f"{name} requested the network: {p.external}"
    assert not p.errors, f"{name} logged console errors: {p.errors}"
    assert not broken, f"{name} has broken images: {broken}"
    assert not p.page.evaluate(RAW_MATH), f"{name} shows unrendered math"
    assert p.page.locator(".arithmatex").count() == p.page.locator(".arithmatex .katex").count()
    ids = p.page.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids)), f"{name} repeats an id: {sorted(i for i in ids if ids.count(i) > 1)[:5]}"


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_question_page_embeds_its_executed_notebook(q, site, offline_page):
    p = open_page(offline_page, site, q.html)
    page = p.page
    embed = page.locator("#run-it-yourself ~ .notebook-embed")
    assert embed.count() == 1, "the notebook sits in the 'Run it yourself' section"
    assert embed.locator(".jp-CodeCell").count() >= 3
    assert embed.locator("img").count() >= 1, "the notebook's figures are shown"
    assert embed.locator(".jp-OutputArea-output pre").count() >= 1, "the notebook's printed outputs are shown"
    assert page.locator("h1").count() == 1
    download = page.locator("a", has_text="Download notebook (.ipynb)")
    assert (site / q.page).parent.joinpath(download.get_attribute("href")).resolve() == \
        (site / q.notebook).resolve()
    assert (site / q.notebook).read_bytes() == (ROOT / q.notebook).read_bytes()
    assert page.locator(".question-meta").inner_text().startswith(q.difficulty.capitalize())


def test_dark_scheme_and_toggle(site, offline_page):
    q = WRITTEN[0]
    p = open_page(offline_page, site, q.html, scheme="dark")
    body = p.page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "slate"
    dark_bg = p.page.evaluate("getComputedStyle(document.body).backgroundColor")
    p.page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert body.get_attribute("data-md-color-scheme") == "default"
    assert p.page.evaluate("getComputedStyle(document.body).backgroundColor") != dark_bg
    assert not p.external and not p.errors


def test_topics_page_lists_every_written_question_under_its_tags(site, offline_page):
    p = open_page(offline_page, site, "topics.html")
    for q in WRITTEN:
        for tag in q.tags:
            section = p.page.locator(f"h2:has-text('{tag}') + ul")
            assert section.locator(f"a[href$='{q.stem}.html']").count() == 1, (tag, q.stem)


def test_tags_on_a_question_page_link_to_the_topics_page(site, offline_page):
    q = WRITTEN[0]
    p = open_page(offline_page, site, q.html)
    tags = p.page.locator(".md-tag")
    assert sorted(tags.all_inner_texts()) == sorted(q.tags)
    assert all("topics.html#" in (h or "") for h in tags.evaluate_all("els => els.map(e => e.getAttribute('href'))"))


def test_home_and_nav_list_the_written_questions_by_difficulty(site, offline_page):
    p = open_page(offline_page, site, "index.html")
    article = p.page.locator("article")
    for q in WRITTEN:
        assert article.locator(f"a[href$='{q.stem}.html']").count() >= 1
    headings = [h for h in article.locator("h2").all_inner_texts() if "written" in h]
    assert [h.split()[0] for h in headings] == ["Easy", "Medium", "Hard"]
    # The nav is pruned to the open section: a question page lists its own difficulty's questions.
    for difficulty in catalogue.DIFFICULTIES:
        same = [q for q in WRITTEN if q.difficulty == difficulty]
        if same:
            p = open_page(offline_page, site, same[-1].html)
            nav = p.page.locator("nav.md-nav--primary")
            assert [nav.locator(f"a[href$='{q.stem}.html']").count() >= 1 for q in same] == [True] * len(same)
