"""A hostile or careless notebook cannot hurt the built page: its HTML is sanitized (proved in Chromium),
and an output too large for a page is refused by `make notebooks` and by the build, naming the cell."""
from __future__ import annotations

import json

import nbformat
import pytest
import run_notebooks
from bs4 import BeautifulSoup
from conftest import WRITTEN, mkdocs_build, open_page

NOTEBOOK = "notebooks/easy/15-output-size.ipynb"
PAGE = "questions/easy/15-output-size.html"
WRITTEN_SLUGS = [q.slug for q in WRITTEN]
# Each payload sets window.__pwned or loads something from outside if it survives.
PAYLOADS = """
<p id="hostile">hostile content</p>
<img src="x" onerror="window.__pwned = 'img onerror'">
<script>window.__pwned = 'script'</script>
<a id="js-link" href="javascript:window.__pwned = 'javascript link'">click</a>
<a id="data-link" href="data:text/html,<script>parent.__pwned = 'data link'</script>">data</a>
<iframe src="https://example.com/frame"></iframe>
<object data="https://example.com/plugin.swf"></object>
<embed src="https://example.com/embed.swf">
<form action="https://example.com/post"><input name="q"><button>send</button></form>
<img src="https://example.com/track.png">
<div style="background: url(https://example.com/bg.png)">styled</div>
<svg onload="window.__pwned = 'svg onload'"><circle r="4"/></svg>
<details open ontoggle="window.__pwned = 'ontoggle'"><summary>s</summary>d</details>
"""


def add_hostile_cells(project):
    path = project / NOTEBOOK
    nb = json.loads(path.read_text())
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": "## Hostile markdown\n" + PAYLOADS})
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {
        "text/html": PAYLOADS, "text/plain": "",
        "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload=\"window.__pwned='svg output'\">"
                         "<script>window.__pwned = 'svg script'</script></svg>"}})
    path.write_text(json.dumps(nb))


def test_hostile_notebook_html_does_not_execute_or_load_anything(project_copy, tmp_path, offline_page):
    add_hostile_cells(project_copy)
    site = tmp_path / "site"
    res = mkdocs_build(project_copy, site)
    assert res.returncode == 0, res.stderr[-2000:]
    p = open_page(offline_page, site, PAGE)
    embed = p.page.locator(".notebook-embed")
    assert embed.locator("#nb-hostile, [id$='hostile']").count() >= 1, "the harmless text survives"
    for link in ("js-link", "data-link"):
        for a in embed.locator(f"[id$='{link}']").all():
            a.click(no_wait_after=True)
    p.page.wait_for_timeout(500)
    assert p.page.evaluate("() => window.__pwned") is None
    assert not p.external, f"the page requested {p.external}"
    for tag in ("script", "iframe", "object", "embed", "form", "input", "svg"):
        assert embed.locator(tag).count() == 0, f"a <{tag}> survived sanitizing"
    built = BeautifulSoup((site / PAGE).read_text(), "html.parser").select_one(".notebook-embed")
    attrs = {a for el in built.find_all(True) for a in el.attrs}   # as built, before KaTeX styles the math
    assert not [a for a in attrs if a.startswith("on") or a == "style"], attrs


def test_an_oversized_output_fails_make_notebooks_naming_the_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('x' * 200_000)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "big.ipynb"
    nbformat.write(nb, path)
    res = run_notebooks.execute(path, tmp_path / "out.ipynb")
    assert res.returncode != 0
    assert f"{path}: cell [1] prints 200,001 characters, over the limit of 100,000; print a compact table" in res.stderr


def test_an_oversized_output_fails_the_build_naming_notebook_and_cell(project_copy, tmp_path):
    path = project_copy / NOTEBOOK
    nb = json.loads(path.read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"].append({"output_type": "stream", "name": "stdout", "text": "y" * 150_000})
    path.write_text(json.dumps(nb))
    res = mkdocs_build(project_copy, tmp_path / "site")
    assert res.returncode != 0
    assert f"{NOTEBOOK}: cell [{code['execution_count']}] prints 150,000 characters" in res.stderr


def latin1(path):
    text = path.read_text().replace("## Short answer", "## Short answer\n\nCafé", 1)
    path.write_bytes(text.encode("latin-1", errors="replace"))   # é becomes one byte that is not UTF-8


@pytest.mark.parametrize("target, breakage, message", [
    ("docs/questions/easy/15-output-size.md", latin1, "not valid UTF-8 (byte"),
    ("docs/questions/easy/15-output-size.md", lambda p: p.write_text(""), "the file is empty"),
    ("notebooks/easy/15-output-size.ipynb", lambda p: p.write_text(p.read_text()[:5000]), "not a valid notebook"),
    ("notebooks/easy/15-output-size.ipynb", lambda p: p.write_text("\n"), "the file is empty"),
    ("notebooks/easy/15-output-size.ipynb", lambda p: p.write_text("[1, 2]"), "not a notebook (no list of cells)"),
    ("catalogue/questions.yml", lambda p: p.write_bytes(b"easy: [\xff]\n"), "not valid UTF-8"),
    ("catalogue/questions.yml", lambda p: p.write_text("easy: [unclosed\n"), "cannot read the question catalogue"),
    ("mkdocs.yml", lambda p: p.write_text(p.read_text() + "\nnav: [unclosed\n"), "mkdocs.yml"),
], ids=["page-latin1", "page-empty", "notebook-truncated", "notebook-empty", "notebook-not-a-notebook",
        "catalogue-latin1", "catalogue-bad-yaml", "config-bad-yaml"])
def test_a_bad_input_file_fails_the_build_naming_that_file(project_copy, tmp_path, target, breakage, message):
    breakage(project_copy / target)
    res = mkdocs_build(project_copy, tmp_path / "site")
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert message in out and target in out, out[-2000:]
    assert "Traceback" not in out, "a message, not a traceback"


# ---- the Content-Security-Policy ---------------------------------------------------------------------

def policy_of(html: str) -> str:
    head = BeautifulSoup(html, "html.parser").head
    meta = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy meta tag"
    assert not meta.find_all_previous("script") and not meta.find_all_previous("link"), "the policy must come first"
    return meta["content"]


def test_every_page_has_a_strict_policy_admitting_exactly_its_inline_scripts(site):
    import base64
    import hashlib

    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text()
        policy = dict(d.strip().split(" ", 1) for d in policy_of(html).split(";"))
        soup = BeautifulSoup(html, "html.parser")
        inline = [s.string or "" for s in soup.find_all("script") if not s.get("src")
                  and s.get("type", "text/javascript") in ("text/javascript", "module")]
        want = {"'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'" for code in inline}
        script_src = set(policy["script-src"].split())
        assert script_src == {"'self'"} | want, f"{path.relative_to(site)}: script-src {script_src}"
        assert policy["default-src"] == "'none'" and policy["object-src"] == "'none'", path
        assert "http" not in " ".join(policy.values()) and "unsafe-eval" not in str(policy), path


def test_an_inline_script_the_build_did_not_hash_is_refused_in_the_browser(site, tmp_path, offline_page):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / PAGE
    page.write_text(page.read_text().replace("</body>", "<script>window.__pwned = 'injected'</script></body>", 1))
    p = open_page(offline_page, copy, PAGE)
    p.page.wait_for_timeout(300)
    assert p.page.evaluate("() => window.__pwned") is None
    assert any("Content Security Policy" in e for e in p.errors), p.errors


def test_search_math_and_practice_work_under_the_policy_from_a_web_server(site, browser):
    """The same policy served over HTTP (loopback), as a static host would: no violation anywhere."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context()
    errors = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/{PAGE}")
        page.wait_for_function("() => document.querySelectorAll('.katex').length > 0", timeout=10_000)
        page.goto(f"{base}/practice.html")
        page.wait_for_selector(".practice__card, [data-practice]", timeout=10_000)
        page.goto(f"{base}/index.html")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("pooling")
        box.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
    finally:
        context.close()
        server.shutdown()
    assert not errors, errors


# ---- practice progress survives releases and bad data --------------------------------------------------

def practice_with_storage(offline_page, site, stored: dict):
    """Open practice mode with `stored` (key -> raw string) in localStorage, as a returning reader would."""
    p = open_page(offline_page, site, "practice.html")
    p.page.evaluate("s => { localStorage.clear(); "
                    "for (const [k, v] of Object.entries(s)) localStorage.setItem(k, v); }", stored)
    p.page.reload()
    p.page.wait_for_selector(".practice__card")
    return p


# "Knew it" becomes one FSRS review graded Good, "review again" one graded Again, at migration time.
MIGRATED_AS = {"known": 3, "review": 1}


@pytest.mark.parametrize("key, schema", [("cnn-iq-practice-v1", None), ("cnn-iq-practice", 2)], ids=["v1", "v2"])
def test_progress_saved_by_earlier_releases_is_migrated_not_wiped(site, offline_page, key, schema):
    first, second = WRITTEN_SLUGS[:2]
    old = {"marks": {first: "known", second: "review"}, "difficulty": "all", "tag": "all", "order": None,
           "current": None}
    if schema:
        old["schema"] = schema
    p = practice_with_storage(offline_page, site, {key: json.dumps(old)})
    saved = p.page.evaluate("() => JSON.parse(localStorage.getItem('cnn-iq-practice'))")
    assert saved["schema"] == 3 and sorted(saved["cards"]) == sorted([first, second]), saved
    for slug, mark in old["marks"].items():
        # The library's own card for one review with that grade at the migration's last_review time.
        want = p.page.evaluate("([at, grade]) => JSON.parse(JSON.stringify("
                               "FSRS.fsrs().next(FSRS.createEmptyCard(new Date(at)), new Date(at), grade).card))",
                               [saved["cards"][slug]["last_review"], MIGRATED_AS[mark]])
        assert saved["cards"][slug] == want, (slug, mark)
    assert p.page.evaluate("() => localStorage.getItem('cnn-iq-practice-v1')") is None
    assert not p.errors


@pytest.mark.parametrize("raw", ["{not json", "[1, 2, 3]", "null",
                                 json.dumps({"schema": 2, "marks": [1, 2], "difficulty": "expert", "tag": 7,
                                             "order": "shuffled", "current": {"x": 1}}),
                                 json.dumps({"schema": 3, "cards": {"easy/01-what-is-a-cnn": {"due": "never",
                                                                                          "stability": "x"}}}),
                                 json.dumps({"schema": 99, "marks": {"a": "b"}})],
                         ids=["not-json", "a-list", "null", "wrong-types", "bad-card", "future-schema"])
def test_corrupt_or_foreign_progress_is_ignored_and_practice_still_works(site, offline_page, raw):
    p = practice_with_storage(offline_page, site, {"cnn-iq-practice": raw})
    assert p.page.locator(".practice__card").count() == 1
    p.page.keyboard.press("Space")
    p.page.keyboard.press("3")
    saved = p.page.evaluate("() => JSON.parse(localStorage.getItem('cnn-iq-practice'))")
    assert saved["schema"] == 3 and len(saved["cards"]) == 1, saved
    assert not p.errors, p.errors
