"""Every number on a page comes from its notebook: tied numbers resolve to the recorded values and
link to the cell that computed them, untied numbers in prose are listed (and must disappear), and each
kind of bad reference fails the build naming the page and what to do."""
from __future__ import annotations

import json
import re

import nbformat
import pytest
import tied_numbers
from bs4 import BeautifulSoup
from conftest import ROOT, WRITTEN, mkdocs_build

REFERENCE = "questions/easy/15-output-size"
# A decimal, a percentage, or a number of four or more digits (with or without thousands separators).
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+\.\d+%?|\d+%|\d{4,})(?![\w])")
YEAR = re.compile(r"^(19|20)\d\d$")


def recorded(q) -> dict:
    """The values a notebook recorded, read here independently of the hook: name -> (value, cell)."""
    nb = nbformat.read(ROOT / q.notebook, as_version=4)
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {}).get("application/vnd.cnn-iq.record+json")
            if data:
                values[data["name"]] = (data["value"], cell.execution_count)
    return values


def untied_numbers(html: str) -> list[str]:
    """Numbers in a built question page's prose and tables that are neither tied nor cited."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    for el in article.select(".notebook-embed, .notebook-links, .notebook-note, pre, code, .arithmatex, .katex, "
                             "a.tied, [data-cite], .verified-badge, .question-meta, a.headerlink"):
        el.decompose()
    for heading in article.select("h2#references, h2#next-questions"):
        for el in list(heading.find_next_siblings()):
            if el.name == "h2":
                break
            el.decompose()
    text = article.get_text(" ")
    return [n for n in NUMBER.findall(text) if not YEAR.match(n)]


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_every_tied_number_shows_its_recorded_value_and_links_its_cell(q, site):
    soup = BeautifulSoup((site / q.html).read_text(), "html.parser")
    values = recorded(q)
    cells = {el["id"] for el in soup.select(".notebook-embed .jp-CodeCell[id]")}
    for a in soup.select("a.tied"):
        name = a["data-value"]
        assert name in values, f"{q.page}: {name} is on the page but not recorded"
        value, cell = values[name]
        assert a["href"] == f"#nb-cell-{cell}" and a["href"][1:] in cells, f"{q.page}: {name} links {a['href']}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert shows(a.get_text(), value), f"{q.page}: {name} shows {a.get_text()} for {value}"
        assert f"cell [{cell}]" in a["title"], "hover names the cell"


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def shows(text: str, value: float) -> bool:
    """Whether `text` (as formatted: 1,234 / 0.913 / 91.3% / 1.1e-03) is `value` rounded as it is printed."""
    scale = 100 if text.endswith("%") else 1
    number = text.replace(",", "").rstrip("%").lower()
    mantissa, _, exponent = number.partition("e")
    tolerance = 0.51 * 10 ** (int(exponent or 0) - _decimals(mantissa))
    return abs(float(number) - value * scale) <= tolerance + 1e-12


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_no_untied_number_in_prose_and_tables(q, site):
    found = untied_numbers((site / q.html).read_text())
    assert not found, (f"{q.page}: numbers not tied to the notebook: {found}; write {{{{ name:fmt }}}} with "
                       "record(name, value) in the notebook, or {{ cited ... }} for a paper's number")


def test_the_untied_number_finder_sees_prose_tables_and_skips_the_rest():
    html = ("<article><p>Accuracy 0.913 and 12% of 1,797 digits since 2016; a 3x3 kernel.</p>"
            "<table><tr><td>4096</td></tr></table><p><code>0.5</code> <span class='arithmatex'>0.25</span> "
            "<a class='tied'>0.75</a> <span data-cite=''>76.1%</span></p>"
            "<h2 id='references'>References</h2><p>arXiv:1512.03385</p></article>")
    assert untied_numbers(html) == ["0.913", "12%", "1,797", "4096"]


def test_the_badge_counts_the_tied_numbers_on_the_page(site):
    for q in WRITTEN:
        soup = BeautifulSoup((site / q.html).read_text(), "html.parser")
        badge = soup.select_one("p.verified-badge")
        tied = len(soup.select("article a.tied"))
        assert int(badge["data-tied"]) == tied, q.page
        assert (f"{tied} number" if tied else "not tied to it yet") in badge.get_text(), q.page


def test_the_cheat_sheet_shows_the_same_values_as_the_page(site):
    sheet = BeautifulSoup((site / "cheat-sheet.html").read_text(), "html.parser")
    for q in WRITTEN:
        page = BeautifulSoup((site / q.html).read_text(), "html.parser")
        short = page.select_one("h2#short-answer").find_next_sibling()
        on_page = [(a["data-value"], a.get_text()) for a in short.select("a.tied")] if short else []
        card = sheet.select_one(f'div.cheat-card[data-slug="{q.slug}"]')
        in_card = [(a["data-value"], a.get_text()) for a in card.select("a.tied")]
        assert set(on_page) <= set(in_card), q.page


@pytest.mark.parametrize("text, values, want", [
    ("{{ n }} of {{ acc:.1% }}", {"n": 12, "acc": 0.25}, ["12", "25.0%"]),
    ("{{ big:, }}", {"big": 138357544}, ["138,357,544"]),
    ("{{ shape }}", {"shape": [2, 8, 19, 16]}, ["(2, 8, 19, 16)"]),
])
def test_references_format_their_values(text, values, want):
    out, count = tied_numbers.resolve(text, {k: tied_numbers.Recorded(v, 3) for k, v in values.items()})
    assert re.findall(r'href="#nb-cell-3"[^>]*>([^<]*)</a>', out) == want and count == len(want)


def test_math_gets_the_plain_number_and_code_is_left_alone():
    values = {"o": tied_numbers.Recorded(112, 2)}
    out, count = tied_numbers.resolve("$O = {{ o }}$ and `{{ o }}`\n\n```\n{{ o }}\n```\n", values)
    assert out == "$O = 112$ and `{{ o }}`\n\n```\n{{ o }}\n```\n" and count == 1


@pytest.mark.parametrize("reference, value, message", [
    ("{{ nope }}", None, "the notebook records no value named 'nope'"),
    ("{{ x:.2q }}", 1.5, "malformed format"),
    ("{{ x:.2f }}", "a string", "formats a number, but the notebook recorded 'a string'"),
    ("{{ x }}", 0.1234, "give it a format"),
    ("{{ 3x }}", 1, "is not a tied number"),
])
def test_each_bad_reference_fails_the_build_naming_the_page(project_copy, tmp_path, reference, value, message):
    page = project_copy / "docs" / f"{REFERENCE}.md"
    page.write_text(page.read_text().replace("## Common mistakes\n", f"## Common mistakes\n\nSee {reference}.\n", 1))
    if value is not None:
        path = project_copy / "notebooks" / "easy" / "15-output-size.ipynb"
        nb = json.loads(path.read_text())
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {
            "application/vnd.cnn-iq.record+json": {"name": "x", "value": value}, "text/plain": ""}})
        path.write_text(json.dumps(nb))
    res = mkdocs_build(project_copy, tmp_path / "site")
    assert res.returncode != 0
    assert f"docs/{REFERENCE}.md" in res.stderr and message in res.stderr, res.stderr[-2000:]


def test_a_tied_number_names_its_cell_on_focus_and_jumps_to_it(site, offline_page):
    """In Chromium from file://: focus shows which cell computed the number; following it lands on the cell."""
    from conftest import open_page

    q = next((q for q in WRITTEN if recorded(q) and "a class=\"tied\"" in (site / q.html).read_text()), None)
    assert q, "at least one page ties its numbers (easy 15 is the demonstration)"
    p = open_page(offline_page, site, q.html)
    tied = p.page.locator("article a.tied").first
    tied.focus()
    tip = tied.evaluate("e => getComputedStyle(e, '::after').content")
    cell = tied.get_attribute("href")
    assert "cell [" in tip and cell.startswith("#nb-cell-"), tip
    tied.press("Enter")
    p.page.wait_for_function(f"() => location.hash === '{cell}'")
    box = p.page.locator(f"{cell}").bounding_box()
    assert box and 0 <= box["y"] < 900, "the cell is scrolled into view"
    assert not p.external and not p.errors
