"""`mkdocs build --strict` succeeds, every internal link and anchor resolves, and bad input fails
the build with a message that names the file and says what to do."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT, mkdocs_build

REFERENCE = "questions/easy/15-output-size"      # a page the broken fixtures start from


def test_strict_build_produces_every_written_page(site):
    import catalogue

    for q in catalogue.load():
        built = site / q.html
        assert built.is_file() == (ROOT / "docs" / q.page).is_file(), q.page
    assert (site / "index.html").is_file() and (site / "topics.html").is_file()


# No intro or outro: LinkChecker writes those as '#' comment lines, and filtering them out by that '#'
# also dropped every row whose URL is a same-page anchor ('#no-such-anchor'), most of the links checked.
# Its AnchorCheck plugin is left off: it re-reads and re-parses the whole target page for every link to
# an anchor (linkchecker issue #781), which made it 90% of the check's time (510 s at 31 pages).
# missing_anchors() checks every anchor, same-page and cross-page, parsing each page once.
LINKCHECKER_CONFIG = """[filtering]
ignore=
  ^https?:
  ^mailto:
[csv]
parts=urlname,parentname,result,warningstring,valid
"""
# LinkChecker drops root privileges to 'nobody', who may not read a CI checkout: keep them.
LINKCHECKER = ("import sys, linkcheck.command.linkchecker as lc; lc.drop_privileges = lambda: None; "
               "sys.argv = ['linkchecker'] + sys.argv[1:]; lc.linkchecker()")


def linkchecker(start: Path, scratch: Path, *options: str) -> list[dict]:
    """LinkChecker (a maintained checker) from `start` over file://: one row per link it checked."""
    config = scratch / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG)
    res = subprocess.run([sys.executable, "-c", LINKCHECKER, "-f", str(config), "--no-status", "--verbose",
                          "-o", "csv", *options, str(start)], capture_output=True, text=True, timeout=1200)
    rows = list(csv.DictReader(io.StringIO(res.stdout), delimiter=";"))
    assert rows, f"LinkChecker checked nothing:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    return rows


def broken_links(rows: list[dict]) -> list[str]:
    return [f"{r['parentname']} -> {r['urlname']}: {r['result']} {r['warningstring']}" for r in rows
            if r["valid"] != "True" or "Anchor" in r["warningstring"]]


@pytest.mark.timeout(1500)   # LinkChecker walks ~1,200 links over file://: minutes on a loaded 2-core machine
def test_every_internal_link_resolves(site, tmp_path):
    """LinkChecker crawls the site from the home page over file://: every page, asset and figure linked exists."""
    rows = linkchecker(site / "index.html", tmp_path)
    assert len(rows) > 50, f"LinkChecker checked too little: {len(rows)} links"
    broken = broken_links(rows)
    assert not broken, "\n".join(broken)


class _AnchorsAndLinks(HTMLParser):
    """A page's ids (and <a name>s) and its links' hrefs with their text, in one pass."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self._open = set(), [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.ids.update(v for v in (a.get("id"), a.get("name") if tag == "a" else None) if v)
        if tag == "a" and a.get("href") and "#" in a["href"]:
            self._open = [a["href"], ""]
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None and len(self._open[1]) < 40:
            self._open[1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def missing_anchors(site: Path) -> list[str]:
    """Every internal link with a fragment, same-page (`#x`) or to another built page (`../a.html#x`),
    whose target page has no element with id (or name) x. Each page is parsed once."""
    pages = {}
    for page in site.rglob("*.html"):
        pages[page.resolve()] = parsed = _AnchorsAndLinks()
        parsed.feed(page.read_text(encoding="utf-8"))
    missing = []
    for page, parsed in sorted(pages.items()):
        for href, text in parsed.links:
            path, _, anchor = href.partition("#")
            if not anchor or urlparse(path).scheme:
                continue
            target = pages.get((page.parent / unquote(path)).resolve() if path else page)
            if target is not None and unquote(anchor) not in target.ids:
                missing.append(f"{page.relative_to(site.resolve())}: {href} ({text[:40]!r})")
    return missing


def test_every_anchor_has_its_target(site):
    """A broken anchor anywhere: a heading link, a footnote, a `#x` in a notebook Markdown cell, a link to
    another page's section."""
    missing = missing_anchors(site)
    assert not missing, "links to no anchor:\n" + "\n".join(missing)


def test_no_link_lost_its_target(site):
    """A link without href is one the notebook sanitizer dropped (medium 7's three `q:` links once were):
    every `q:` link in a notebook Markdown cell leads to its page, like a page's own."""
    lost = [f"{page.relative_to(site)}: {m}" for page in sorted(site.rglob("*.html"))
            for m in re.findall(r"<a (?![^>]*\b(?:href|id|name)=)[^>]*>[^<]{0,40}", page.read_text(encoding="utf-8"))]
    assert not lost, "links with no target:\n" + "\n".join(lost)
    medium_7 = (site / "questions/medium/07-large-vs-small-filters.html").read_text(encoding="utf-8")
    assert 'href="../hard/17-parameter-count.html"' in medium_7


def test_a_related_question_not_yet_written_is_plain_text(project_copy, tmp_path):
    page = project_copy / "docs" / f"{REFERENCE}.md"
    text = page.read_text()
    page.write_text(re.sub(r"^related: .*$", "related: [parameter-sharing, focal-loss]", text, count=1, flags=re.M)
                    + "\nSee [focal loss](q:focal-loss) and [sharing](q:parameter-sharing).\n")
    for unwritten in ("docs/questions/hard/16-focal-loss.md", "notebooks/hard/16-focal-loss.ipynb"):
        (project_copy / unwritten).unlink(missing_ok=True)
    res = mkdocs_build(project_copy, tmp_path / "site")
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "site" / f"{REFERENCE}.html").read_text()
    assert 'href="../medium/03-parameter-sharing.html"' in html
    assert "16-focal-loss" not in html
    assert "Explain the concept of focal loss and its application in class-imbalanced scenarios. (hard) " \
           "<em>(not written yet)</em>" in html


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"fixture out of date: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def break_front_matter_tags(p):
    edit(p / "docs" / f"{REFERENCE}.md", "tags: [Convolution arithmetic, Fundamentals]",
         "tags: [Convolution arithmetics, Fundamentals]")


def set_notebook(p, change):
    path = p / "notebooks" / f"{REFERENCE.replace('questions/', '')}.ipynb"
    nb = json.loads(path.read_text())
    change(nb)
    path.write_text(json.dumps(nb))


def add_error_output(nb):
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"].append({"output_type": "error", "ename": "ValueError", "evalue": "boom", "traceback": []})


def add_markdown_link(target):
    def change(nb):
        cell = nb["cells"][-1]
        cell["source"] = "".join(cell["source"]) + f"\n\nSee [this]({target}).\n"
    return change


def change_code(nb):
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["source"] = "".join(cell["source"]) + "\nprint('edited')"


PAGE = f"docs/{REFERENCE}.md"
BEFORE_MISTAKES = "## Common mistakes"


def insert_before_mistakes(p, text):
    edit(p / PAGE, BEFORE_MISTAKES, f"{text}\n\n{BEFORE_MISTAKES}")


BROKEN = {
    "page without its notebook": (
        lambda p: (p / "notebooks/easy/15-output-size.ipynb").unlink(),
        ["docs/questions/easy/15-output-size.md: page has no notebook; add notebooks/easy/15-output-size.ipynb"]),
    "notebook without its page": (
        lambda p: (p / PAGE).unlink(),
        ["notebooks/easy/15-output-size.ipynb: notebook has no page; add docs/questions/easy/15-output-size.md"]),
    "page outside the catalogue": (
        lambda p: (p / "docs/questions/easy/21-extra.md").write_text("# Extra\n"),
        ["docs/questions/easy/21-extra.md: not a catalogue question"]),
    "notebook that raised": (
        lambda p: set_notebook(p, add_error_output),
        ["notebooks/easy/15-output-size.ipynb: cells", "are errors; run `make notebooks`"]),
    "stale notebook": (
        lambda p: set_notebook(p, change_code),
        ["notebooks/easy/15-output-size.ipynb: notebook is stale", "run `make notebooks`"]),
    "tag that differs from the catalogue": (
        break_front_matter_tags,
        ["docs/questions/easy/15-output-size.md: tags are ['Convolution arithmetics', 'Fundamentals'], "
         "want the catalogue's ['Convolution arithmetic', 'Fundamentals']"]),
    "tag outside the allow-list": (
        lambda p: edit(p / "docs/topics.md", "search:\n", "tags: [Poolling]\nsearch:\n"),
        ["topics.md", "Poolling"]),
    "title that differs from the catalogue": (
        lambda p: edit(p / PAGE, "# How can you calculate", "# How do you calculate"),
        ["docs/questions/easy/15-output-size.md: the H1 must be the catalogue's question verbatim: "
         "'# How can you calculate the output size of a convolutional layer?'"]),
    "malformed front matter": (
        lambda p: edit(p / PAGE, "tags: [Convolution arithmetic, Fundamentals]",
                       "tags: [Convolution arithmetic, Fundamentals"),
        ["docs/questions/easy/15-output-size.md: front matter is not valid YAML"]),
    "related entry outside the catalogue": (
        lambda p: edit(p / PAGE, "related: [stride-and-padding", "related: [no-such-question"),
        ["docs/questions/easy/15-output-size.md: related: 'no-such-question' is not a slug in "
         "catalogue/questions.yml"]),
    "question link to an unknown slug": (
        lambda p: insert_before_mistakes(p, "[x](q:no-such-question)"),
        ["docs/questions/easy/15-output-size.md: link '(q:no-such-question)' names no question"]),
    "notebook link to a relative path": (
        lambda p: set_notebook(p, add_markdown_link("../hard/03-residual-networks.html")),
        ["notebooks/easy/15-output-size.ipynb: Markdown cell", "'../hard/03-residual-networks.html'",
         "link a question as (q:slug)"]),
    "notebook question link to an unknown slug": (
        lambda p: set_notebook(p, add_markdown_link("q:no-such-question")),
        ["notebooks/easy/15-output-size.ipynb: link '(q:no-such-question)' names no question"]),
    "sections out of order": (
        lambda p: edit(p / PAGE, "## Common mistakes", "## Common pitfalls"),
        ["docs/questions/easy/15-output-size.md: sections are", "want exactly"]),
    "broken internal link": (
        lambda p: insert_before_mistakes(p, "[x](../hard/99-nothing.md)"),
        ["questions/easy/15-output-size.md", "99-nothing.md"]),
    "broken anchor": (
        lambda p: insert_before_mistakes(p, "[x](#no-such-anchor)"),
        ["questions/easy/15-output-size.md", "no-such-anchor"]),
}


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.replace(" ", "-"))
def test_bad_input_fails_the_build_naming_the_file(case, project_copy, tmp_path):
    breaker, messages = BROKEN[case]
    breaker(project_copy)
    res = mkdocs_build(project_copy, tmp_path / "site")
    output = res.stdout + res.stderr
    assert res.returncode != 0, f"the build accepted a {case}:\n{output[-3000:]}"
    for message in messages:
        assert message in output, f"the error for a {case} should say {message!r}:\n{output[-3000:]}"
