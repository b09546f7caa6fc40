"""Acronyms: one glossary (catalogue/abbreviations.md) that covers every acronym a page uses, its
definitions on hover and keyboard focus in page and notebook text, a Glossary page, and a search that
finds the same pages for an acronym and for its expansion."""
from __future__ import annotations

import re

import glossary
import pytest
import yaml
from conftest import ROOT, WRITTEN, OfflinePage, mkdocs_build, search_results

TERMS = glossary.load()
HEADWORDS = glossary.headwords(TERMS)
KNOWN = {t.term for t in TERMS}
# Capitalized words that are not the field's terms: units, publishers, companies, dataset owners.
NOT_TERMS = {"KB", "MB", "GB", "NVIDIA", "PASCAL", "IEEE", "MIT", "ACM", "PDF", "API", "MATLAB", "JAX"}
TOKEN = re.compile(r"(?<![\w-])([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![\w-])")


def prose(markdown: str) -> str:
    """A page's Markdown without front matter, code, math, link targets, tied numbers and References."""
    text = markdown.split("\n## References")[0]
    for pattern in (r"^---\n.*?\n---\n", r"```.*?```", r"`[^`]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"\]\([^)]*\)",
                    r"\{\{.*?\}\}"):
        text = re.sub(pattern, " ", text, flags=re.S)
    return text


def is_acronym(word: str) -> bool:
    """Two or more capitals making up at least half the letters: BN, ReLU, IoU, mAP, PR-AUC, not ResNet."""
    letters = [c for c in word if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and 2 * capitals >= len(letters)


def covered(word: str) -> bool:
    if word in KNOWN or word in NOT_TERMS or (word.endswith("s") and word[:-1] in KNOWN):
        return True
    if re.sub(r"\d+$", "", word) in KNOWN:   # VGG16: a numbered member of a known family
        return True
    parts = word.split("-")   # VGG-16, conv-BN-ReLU: each acronym part is a term
    return len(parts) > 1 and all(covered(p) for p in parts if is_acronym(p))


def acronyms_missing(markdown: str) -> set[str]:
    return {w for w in TOKEN.findall(prose(markdown)) if is_acronym(w) and not covered(w)}


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_every_acronym_a_page_uses_is_in_the_glossary(q):
    missing = acronyms_missing((ROOT / "docs" / q.page).read_text(encoding="utf-8"))
    assert not missing, (f"docs/{q.page} uses {sorted(missing)}, which catalogue/abbreviations.md lacks: add a line "
                         "`*[TERM]: Expansion — one-line definition.` for each")


def test_the_acronym_finder_sees_prose_and_skips_code_math_and_names():
    md = ("---\ntags: [X]\n---\nA ZQX layer, `QQX` code, $WWX$ math, ResNet, VGG-16, CNNs, conv-BN-ReLU.\n"
          "## References\nYYX")
    assert acronyms_missing(md) == {"ZQX"}


def test_a_malformed_glossary_line_fails_the_build_naming_the_file_and_line(project_copy, tmp_path):
    path = project_copy / "catalogue" / "abbreviations.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "*[TTA]: Test-time augmentation, no dash before the definition")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = mkdocs_build(project_copy, tmp_path / "site")
    out = res.stdout + res.stderr
    assert res.returncode != 0 and "catalogue/abbreviations.md:3" in out and "em dash" in out, out[-1500:]
    assert "Traceback" not in out


def test_the_glossary_page_lists_every_term_with_the_questions_that_use_it(site):
    html = (site / "glossary.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td><strong>(?:<abbr[^>]*>)?([^<]+)", html)
    assert rows == [t.term for t in HEADWORDS]
    tta = re.search(r"<strong><abbr[^>]*>TTA</abbr></strong>.*?</tr>", html, flags=re.S).group(0)
    assert "questions/easy/07-image-augmentation.html" in tta, "TTA links the augmentation question"
    assert "<abbr tabindex" not in html, "on the Glossary page the definitions are in the table, not behind focus"


def test_definitions_show_on_hover_and_on_keyboard_focus_in_page_and_notebook_text(site, offline_page):
    q = next(q for q in WRITTEN if q.stem == "07-image-augmentation")
    p = offline_page("light")
    p.page.goto((site / q.html).as_uri())
    p.page.wait_for_load_state("load")
    first = p.page.locator("article abbr[tabindex='0']").first
    title = first.get_attribute("title")
    term = next(t for t in TERMS if t.term == first.inner_text())
    assert title == f"{term.expansion} — {term.definition}"
    first.focus()
    shown = p.page.evaluate("el => getComputedStyle(el, '::after').content", first.element_handle())
    assert term.expansion in shown, f"focus shows {shown[:80]!r}"
    # One tab stop per term, not per use.
    focusable = p.page.locator("article abbr[tabindex='0']").all_text_contents()
    assert len(focusable) == len(set(focusable))
    assert p.page.locator(".notebook-embed .jp-MarkdownOutput abbr[title]").count(), "notebook Markdown too"
    # Reachable with Tab from the start of the page.
    p.page.locator("h1").first.focus()
    for _ in range(80):
        p.page.keyboard.press("Tab")
        if p.page.evaluate("() => document.activeElement.tagName") == "ABBR":
            break
    else:
        pytest.fail("no acronym reached with Tab within 80 presses")
    assert not p.errors, p.errors


@pytest.fixture(scope="module")
def search(site, browser):
    p = OfflinePage(browser)
    p.page.goto((site / "index.html").as_uri())
    yield lambda query: search_results(p.page, query)
    assert not p.external and not p.errors
    p.close()


ACRONYM_QUERIES = [q for q in yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
                   if q.get("acronym") and (ROOT / "docs" / "questions" / f"{q['page']}.md").is_file()]


def expansion(acronym: str) -> str:
    return next(t for t in TERMS if t.term == acronym).plain


def test_an_acronym_and_its_expansion_find_the_same_page(search):
    """Each acronym query of tests/search_queries.yml, and the same query spelled out, put the page in the top
    three (for at least 90% of the queries)."""
    assert len(ACRONYM_QUERIES) >= 20
    misses = []
    for case in ACRONYM_QUERIES:
        for query in (case["query"], expansion(case["query"])):
            ranked = search(query)
            if case["page"] not in ranked[:3]:
                misses.append(f"{query!r} -> {ranked[:3]} (want {case['page']})")
    assert len(misses) <= 0.1 * 2 * len(ACRONYM_QUERIES), "\n".join(misses)
    assert "easy/07-image-augmentation" in search("TTA")[:3], "the acronym the issue found nothing for"


def test_the_glossary_page_is_found_by_search(search):
    ranked = search("glossary acronyms")
    assert ranked and ranked[0].endswith("glossary"), ranked[:3]


def test_search_synonyms_fill_only_the_form_a_page_never_writes():
    docs = [{"text": "We use ReLU here"}, {"text": "ReLU again, and test-time augmentation"},
            {"text": "Batch normalization (BN) and BN"}]
    assert glossary.synonyms(docs, HEADWORDS) == {0: ["Rectified linear unit"], 1: ["TTA"]}
