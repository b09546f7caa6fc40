"""Math is typeset at build time (hooks/math_render.py, KaTeX in QuickJS): pages ship no math JavaScript;
the KaTeX stylesheet loads only where there is math; page Markdown and notebook Markdown cells are both
typeset; an invalid expression fails the build naming the page and the expression; the search index
keeps the words around the math; rendered expressions are cached."""
from __future__ import annotations

import json
import re

import math_render
import notebook_convert
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, WRITTEN, mkdocs_build, open_page

KATEX_CSS = "assets/vendor/katex/katex.min.css"
PAGE = "questions/easy/15-output-size"      # math in its page's short answer and worked answer
MATH_SCRIPT = re.compile(r"katex|auto-render|assets/javascripts/math\.js", flags=re.I)


def html_pages(site):
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def test_no_page_ships_math_javascript(site):
    loads = [f"{p.relative_to(site)}: {s['src']}" for p in html_pages(site)
             for s in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").find_all("script", src=True)
             if MATH_SCRIPT.search(s["src"])]
    assert not loads, f"pages load math scripts: {loads[:5]}"
    # No script the site serves carries KaTeX (its parser's error class and entry point).
    scripts = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
               for p in site.rglob("*.js")}
    shipped = [name for name, text in scripts.items() if "renderToString" in text and "ParseError" in text]
    assert not shipped, f"KaTeX's code is in the built site: {shipped}"


def test_formulas_arrive_typeset_and_no_script_typesets_them(site, offline_page):
    built = (site / f"{PAGE}.html").read_text(encoding="utf-8")
    p = open_page(offline_page, site, f"{PAGE}.html")
    assert p.page.evaluate("() => typeof window.katex === 'undefined' && typeof window.renderMathInElement === "
                           "'undefined'"), "a math library was loaded"
    in_dom = p.page.locator(".katex").count()
    assert in_dom and in_dom == built.count('<span class="katex">'), "every formula is in the HTML as built"


def test_the_katex_stylesheet_loads_only_on_pages_with_math(site):
    wrong = []
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        has_math = 'class="katex' in html or "practice-data.js" in html   # the deck's answers carry math
        if (KATEX_CSS in html) != has_math:
            wrong.append(f"{path.relative_to(site)}: math {has_math}, KaTeX stylesheet {KATEX_CSS in html}")
    assert not wrong, "\n".join(wrong)
    for plain in ("index.html", "topics.html"):
        assert KATEX_CSS not in (site / plain).read_text(encoding="utf-8"), plain
    assert "katex" in (site / "assets" / "practice-data.js").read_text(encoding="utf-8"), "the deck's answers have math"


def test_page_and_notebook_math_are_both_typeset(site):
    untypeset = []
    for q in WRITTEN:
        soup = BeautifulSoup((site / q.html).read_text(encoding="utf-8"), "html.parser")
        for el in soup.select(".arithmatex"):
            if not el.select_one(":scope > .katex, :scope > .katex-display"):
                untypeset.append(f"{q.html}: {el.get_text()[:60]!r}")
        for cell in soup.select(".notebook-embed .jp-MarkdownOutput"):
            for text in cell.find_all(string=True):
                if not text.find_parent(["code", "pre"]) and not text.find_parent(class_="katex") and \
                        re.search(r"\$[^$\s][^$]*\$", text):
                    untypeset.append(f"{q.html} (notebook): {text.strip()[:60]!r}")
    assert not untypeset, "\n".join(untypeset[:10])
    with_notebook_math = [q for q in WRITTEN if re.search(r"\$[^$\s][^$]*\$", "".join(
        "".join(c["source"]) for c in json.loads((ROOT / q.notebook).read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "markdown"))]
    assert with_notebook_math, "no notebook has math in its Markdown cells to check"
    for q in with_notebook_math:
        soup = BeautifulSoup((site / q.html).read_text(encoding="utf-8"), "html.parser")
        assert soup.select(".notebook-embed .jp-MarkdownOutput .arithmatex .katex"), f"{q.html}: notebook math"
    soup = BeautifulSoup((site / f"{PAGE}.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select("#short-answer ~ p .arithmatex .katex"), "page Markdown math typeset"


@pytest.mark.parametrize("where", ["page", "notebook"])
def test_an_invalid_expression_fails_the_build_naming_page_and_expression(project_copy, tmp_path, where):
    bad = r"\notacommand{x}"   # KaTeX: undefined control sequence
    if where == "page":
        page = project_copy / "docs" / f"{PAGE}.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("## Worked answer\n", f"## Worked answer\n\nA broken formula ${bad}$ here.\n", 1),
                        encoding="utf-8")
    else:
        path = project_copy / "notebooks" / f"{PAGE.removeprefix('questions/')}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"][1:] if c["cell_type"] == "markdown")
        cell["source"] = "".join(cell["source"]) + f"\n\nA broken formula ${bad}$ here.\n"
        path.write_text(json.dumps(nb), encoding="utf-8")
    res = mkdocs_build(project_copy, tmp_path / "site")
    out = res.stdout + res.stderr
    assert res.returncode != 0, "the build should fail"
    assert f"docs/{PAGE}.md" in out and f"\\({bad}\\)" in out, out[-2000:]
    if where == "notebook":
        assert f"notebooks/{PAGE.removeprefix('questions/')}.ipynb" in out, out[-2000:]
    assert "Traceback" not in out, "a message, not a traceback"


def test_search_finds_the_words_around_the_math(site):
    """The index holds each page's text with the formulas' TeX source, not KaTeX's markup; the words on
    either side of a formula are in it."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith(f"{PAGE}.html"))
    assert "katex" not in text and "<math" not in text, "KaTeX's markup leaked into the search index"
    soup = BeautifulSoup((site / f"{PAGE}.html").read_text(encoding="utf-8"), "html.parser")
    checked = 0
    for math in soup.select("#short-answer ~ p > .arithmatex")[:10]:
        before, after = math.previous_sibling, math.next_sibling
        words = [*(re.findall(r"[A-Za-z]{4,}", before)[-1:] if isinstance(before, str) else []),
                 *(re.findall(r"[A-Za-z]{4,}", after)[:1] if isinstance(after, str) else [])]
        for word in words:
            assert word in text, f"{word!r}, next to a formula on {PAGE}, is not in the search index"
            checked += 1
    assert checked >= 3


def test_a_typeset_expression_is_cached_by_katex_version_expression_and_display(tmp_path, monkeypatch):
    monkeypatch.setattr(math_render, "CACHE", tmp_path)
    monkeypatch.setattr(math_render, "_memory", {})
    inline = math_render.typeset("x^2 + 1", False)
    display = math_render.typeset("x^2 + 1", True)
    assert 'class="katex"' in inline and "katex-display" in display and inline != display
    assert len(list(tmp_path.glob("*.html"))) == 2

    class NoEngine:
        def __init__(self):
            raise AssertionError("a cached expression started the engine")

    monkeypatch.setattr(math_render, "_memory", {})
    monkeypatch.setattr(math_render, "_engine", None)
    monkeypatch.setattr(math_render, "_Engine", NoEngine)
    assert math_render.typeset("x^2 + 1", False) == inline      # from .cache/math, no engine
    monkeypatch.setattr(math_render, "KEY_PARTS", math_render.KEY_PARTS.replace(math_render.KATEX_VERSION, "0.0.0"))
    with pytest.raises(AssertionError, match="started the engine"):
        math_render.typeset("x^2 + 1", False)                       # another KaTeX version: typeset anew


def test_an_invalid_expression_raises_naming_it():
    with pytest.raises(math_render.MathError):
        math_render.typeset(r"\frac{1}{", False)


@pytest.mark.parametrize("text, pieces", [
    ("size $W$ and $$O = 1$$.", [(False, "size ", False), (True, "W", False), (False, " and ", False),
                                 (True, "O = 1", True), (False, ".", False)]),
    ("no math here", [(False, "no math here", False)]),
    ("an unclosed $x", [(False, "an unclosed ", False), (False, "$x", False)]),
    ("braces ${a$b}$.", [(False, "braces ", False), (True, "{a$b}", False), (False, ".", False)]),
    (r"escaped $\$5$", [(False, "escaped ", False), (True, r"\$5", False)]),
])
def test_notebook_dollar_math_is_found_as_katex_auto_render_found_it(text, pieces):
    assert notebook_convert.split_dollar_math(text) == pieces
