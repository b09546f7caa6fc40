"""Practice mode, cheat sheet, verified badge, offline bundle, dark-mode figures and hosting, each
checked in Chromium from file:// with the network off."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import stamps
import yaml
from conftest import ROOT, WRITTEN, mkdocs_build, open_page, search_results
from PIL import Image

BUNDLE = "downloads/cnn-interview-questions-offline.zip"


def test_practice_mode_reveals_grades_filters_and_remembers(site, offline_page):
    p = open_page(offline_page, site, "practice.html")
    page = p.page
    card = page.locator(".practice__card")
    assert page.locator(".practice__progress").inner_text().startswith(f"{len(WRITTEN)} cards: 0 known")
    first = card.get_attribute("data-slug")
    assert page.locator(".practice__answer").count() == 0
    page.keyboard.press("Space")
    answer = page.locator(".practice__answer")
    assert answer.count() == 1 and len(answer.inner_text()) > 100, "Space reveals the short answer"
    assert answer.locator(".arithmatex").count() == answer.locator(".arithmatex .katex").count()
    page.keyboard.press("k")
    assert card.get_attribute("data-slug") != first, "grading moves on to the next card"
    page.get_by_role("button", name="Show answer (Space)").click()
    page.get_by_role("button", name="Review again (R)").click()
    progress = page.locator(".practice__progress")
    assert (progress.get_attribute("data-known"), progress.get_attribute("data-review")) == ("1", "1")

    page.reload()
    progress = page.locator(".practice__progress")
    assert (progress.get_attribute("data-known"), progress.get_attribute("data-review")) == ("1", "1"), \
        "progress survives a reload (localStorage)"

    page.select_option("#practice-difficulty", "easy")
    easy = sum(q.difficulty == "easy" for q in WRITTEN)
    assert page.locator(".practice__progress").inner_text().startswith(f"{easy} cards")
    tag = WRITTEN[0].tags[0]
    page.select_option("#practice-tag", tag)
    both = sum(q.difficulty == "easy" and tag in q.tags for q in WRITTEN)
    assert page.locator(".practice__progress").inner_text().startswith(f"{both} cards")
    page.get_by_role("button", name="Shuffle").click()
    assert page.locator(".practice__progress").inner_text().startswith(f"{both} cards")

    href = page.locator(".practice__card a", has_text="Open the full page").get_attribute("href")
    assert (site / href).is_file()
    assert not p.external and not p.errors


def test_practice_cards_come_from_the_pages_short_answers(site):
    data = (site / "assets" / "practice-data.js").read_text()
    assert data.count('"slug":') == len(WRITTEN)
    for q in WRITTEN:
        assert f'"slug": "{q.slug}"' in data and q.text.replace('"', '\\"') in data


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
    badge = re.search(r'<p class="verified-badge" data-asserts="(\d+)" data-runtime="([\d.]+)">(.*?)</p>', html, re.S)
    assert badge, "every question page has a badge under its title"
    assert int(badge.group(1)) == stamps.count_asserts(nb)
    assert float(badge.group(2)) == stamp["runtime_s"]
    assert f"PyTorch {stamp['torch']}" in badge.group(3) and f"Python {stamp['python']}" in badge.group(3)


def test_home_page_links_the_offline_bundle_and_the_topic_map(site, offline_page):
    p = open_page(offline_page, site, "index.html")
    assert p.page.locator(f"a[href='{BUNDLE}']").count() == 1
    table = p.page.locator("xpath=//h2[@id='topic-map']/following::table[1]")
    tags = {t for q in WRITTEN for t in q.tags}
    assert table.locator("tbody tr").count() == len(tags)


def test_offline_bundle_unzips_to_a_site_that_works_offline(site, tmp_path, offline_page):
    with zipfile.ZipFile(site / BUNDLE) as bundle:
        assert bundle.testzip() is None
        bundle.extractall(tmp_path)
    root = tmp_path / "cnn-interview-questions"
    assert BUNDLE not in (root / "index.html").read_text(), "the bundle does not link to itself"
    for name in ["index.html", "practice.html", WRITTEN[0].html]:
        p = open_page(offline_page, root, name)
        assert p.page.locator("article").count() == 1
        assert not p.external and not p.errors, (name, p.external, p.errors)
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


def test_hosted_build_links_colab_and_keeps_file_reading_working(site, tmp_path, offline_page):
    out = tmp_path / "hosted"
    res = mkdocs_build(ROOT, out, SITE_URL="https://example.org/cnn-interview-questions/",
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
