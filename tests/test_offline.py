"""site/ opened from file:// with the network off works in a real browser (Debian's Chromium):
no request leaves file:, no console error, math rendered, figures shown, both colour schemes.

Two nets for requests to another host: in the browser, each page runs a minute of its own clock (a
request a script fires 3 s after load goes out inside it) and then waits for the network to go idle;
statically, every built HTML, CSS and JS file, and the offline zip, is scanned for an outside URL in
anything that loads (src, url(), @import, fetch, XMLHttpRequest, importScripts, a script's URL
strings), which also finds a request no page happened to fire. Only plain `<a href>` may point out."""
from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, WRITTEN, assert_works_offline, open_and_settle, open_page

import catalogue

# 404.html is left out: only a web server shows it, and it addresses assets from the server's root.
PAGES = ["index.html", "topics.html", "practice.html", "mock-interview.html", "drills.html", "cheat-sheet.html",
         "interviewer-kit.html"] + \
    [q.html for q in WRITTEN]

@pytest.mark.parametrize("name", PAGES)
def test_page_works_offline(name, site, offline_page):
    p, broken = open_and_settle(offline_page, site, name)
    assert_works_offline(p, broken, name)


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


# ---- static: nothing in the built files loads from another host -------------------------------------

OUTSIDE = r"""['"`]?\s*(?:https?:)?//"""   # an absolute or protocol-relative URL
LOADS = re.compile(rf"""(?ix)
    \b(?:src|srcset|href)\s*[=:]\s*{OUTSIDE}               # element.src = ..., {{src: ...}}, src="..."
  | \burl\(\s*{OUTSIDE}                                    # CSS url(), also in CSS written by scripts
  | @import\s+(?:url\()?\s*{OUTSIDE}
  | \bfetch\(\s*{OUTSIDE}
  | \bimportScripts\(\s*{OUTSIDE}
  | \bnew\s+(?:Shared)?Worker\(\s*{OUTSIDE}
  | \.open\(\s*['"`]\w+['"`]\s*,\s*{OUTSIDE}               # XMLHttpRequest.open("GET", ...)
""")
# A script's string that starts with an outside URL is a load waiting for its caller (Material's CDN
# loader takes it as a plain argument). XML namespaces are names, not requests. The rest are listed
# with the reason they cannot fire here; test_material_s_dormant_loaders_stay_dormant checks each reason.
URL_STRING = re.compile(r"""['"`](https?://[^'"`\s]*)""")
NAMESPACES = ("http://www.w3.org/",)
DORMANT = {
    "https://unpkg.com/resize-observer-polyfill": "Material loads it only where ResizeObserver is missing",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "Material loads it only for a Mermaid diagram",
    "https://api.github.com/repos/": "repository facts: only with repo_url, which mkdocs.yml leaves unset",
    "https://api.github.com/users/": "the same, for a user rather than a repository",
    "https://${e}/api/v4/projects/": "the same, for a GitLab repo_url",
}
SEARCH_INDEX = re.compile(r"search/search_index\.(js|json)$")   # page text as data: links in it are <a href>
URL_ATTRIBUTES = {"src", "srcset", "href", "poster", "data", "action", "formaction", "background", "ping",
                  "manifest", "icon", "xlink:href", "codebase", "archive", "longdesc", "lowsrc", "dynsrc"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.inline, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" and value:
                self.inline.append(("css", value))
            elif name in URL_ATTRIBUTES and value and re.match(OUTSIDE, value.lstrip("'\"`")) \
                    and not (tag == "a" and name in ("href", "xlink:href")):
                self.found.append(f"<{tag} {name}={value[:80]!r}>")
        self._in = {"script": "js", "style": "css"}.get(tag)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.inline.append((self._in, data))


def script_leaks(text: str) -> list[str]:
    found = [m.group(0)[:80] for m in LOADS.finditer(text)]
    for m in URL_STRING.finditer(text):
        url = m.group(1)
        if not url.startswith(NAMESPACES) and not any(url.startswith(known) for known in DORMANT):
            found.append(f"the URL string {url[:80]!r}")
    return found


def outside_loads(name: str, text: str) -> list[str]:
    """What in one built file would load something from another host, by the file's kind."""
    if name.endswith(".html"):
        parser = _Elements()
        parser.feed(text)
        found = parser.found
        for kind, code in parser.inline:
            found += script_leaks(code) if kind == "js" else [m.group(0)[:80] for m in LOADS.finditer(code)]
        return found
    if name.endswith(".css"):
        return [m.group(0)[:80] for m in LOADS.finditer(text)]
    if SEARCH_INDEX.search(name):
        return [m.group(0)[:80] for m in LOADS.finditer(text.replace('\\"', '"')) if "href" not in m.group(0)]
    if name.endswith(".js"):
        return script_leaks(text)
    return []


def site_leaks(site: Path) -> list[str]:
    return [f"{path.relative_to(site).as_posix()}: {leak}" for path in sorted(site.rglob("*"))
            if path.suffix in (".html", ".css", ".js") and path.is_file()
            for leak in outside_loads(path.relative_to(site).as_posix(),
                                      path.read_text(encoding="utf-8", errors="replace"))]


def zip_leaks(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as z:
        return [f"{bundle.name}!{name}: {leak}" for name in z.namelist() if name.endswith((".html", ".css", ".js"))
                for leak in outside_loads(name, z.read(name).decode("utf-8", errors="replace"))]


def test_no_built_file_loads_anything_from_another_host(site):
    leaks = site_leaks(site)
    assert not leaks, "outside URLs in what the site loads (only <a href> may point outside):\n" + "\n".join(leaks)


def test_the_offline_zip_loads_nothing_from_another_host(site):
    bundles = sorted(site.rglob("*.zip"))
    assert bundles, "the build writes the offline zip"
    leaks = [leak for bundle in bundles for leak in zip_leaks(bundle)]
    assert not leaks, "outside URLs in the offline zip:\n" + "\n".join(leaks)


def test_material_s_dormant_loaders_stay_dormant(site):
    """The reasons given in DORMANT hold: no Mermaid diagram, no repository widget, ResizeObserver present."""
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html, f"{page.relative_to(site)} has a Mermaid diagram: it loads unpkg.com"
        assert 'data-md-component="source"' not in html, f"{page.relative_to(site)} shows repository facts"
    assert "repo_url" not in (ROOT / "mkdocs.yml").read_text().split("#")[0]


@pytest.mark.parametrize("name, text", [
    ("a.html", '<img src="https://x.org/a.png">'),
    ("a.html", '<link rel="stylesheet" href="//x.org/a.css">'),
    ("a.html", '<script>fetch("https://x.org/t")</script>'),
    ("a.html", '<div style="background: url(https://x.org/b.png)"></div>'),
    ("a.css", '@import "https://x.org/f.css";'),
    ("a.css", ".a { background: url(//x.org/b.png) }"),
    ("a.js", 'var r = new XMLHttpRequest(); r.open("GET", "https://x.org/t");'),
    ("a.js", 'img.src = "https://x.org/p.gif"'),
    ("a.js", "importScripts('https://x.org/w.js')"),
    ("a.js", 'loadScript("https://cdn.x.org/lib.js")'),
    ("search/search_index.js", 'var __index = {"text": "<img src=\\"https://x.org/a.png\\">"}'),
])
def test_the_static_scan_finds_each_kind_of_outside_load(name, text):
    assert outside_loads(name, text), f"missed in {name}: {text}"


@pytest.mark.parametrize("name, text", [
    ("b.html", '<a href="https://arxiv.org/abs/1512.03385">paper</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ("b.js", 'document.createElementNS("http://www.w3.org/2000/svg", "svg"); var a = "https:" + x;'),
    ("search/search_index.js", 'var __index = {"text": "<a href=\\"https://arxiv.org/abs/1\\">paper</a>"}'),
])
def test_the_static_scan_lets_links_and_namespaces_be(name, text):
    assert not outside_loads(name, text)
