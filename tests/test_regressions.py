"""The suite catches the regressions it promises to (issue 17): each breakage that once passed the suite
is applied to a temporary copy of the project, and the check meant to catch it must fire there.

The checks are the very helpers the real tests call on the real site (where they must find nothing), so
a check weakened until it cannot fail shows up here. The breakages that need a build are independent, so
one copy carries all of them and is built once; each test below looks for its own breakage's message
only. The others (catalogue, search queries, figures on re-execution) need no build and break a copy of
just the file they concern.
"""
from __future__ import annotations

import base64
import io
import json
import zipfile

import nbformat
import pytest
import yaml
from conftest import ROOT, WRITTEN, copy_project, mkdocs_build, open_and_settle
from PIL import Image
from test_build import broken_links, linkchecker, missing_anchors
from test_catalogue import catalogue_differences
from test_notebooks import rich_outputs
from test_offline import site_leaks, zip_leaks
from test_reader_features import (
    BUNDLE,
    TOP_FOLDER,
    bundle_differences,
    practice_answer_mismatches,
    revealed_answer_problems,
    shuffle_and_navigation_problems,
    walk_the_deck,
)
from test_search import pages_outside_the_catalogue

import catalogue

PAGE = "questions/easy/15-output-size"          # the page the broken copy's notebook breakage lands on
BEACON = "stats.example.com"                     # the outside host of the late request
SYNC = "https://sync.example.com/progress"       # the outside URL of the load no page fires


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture out of date: {old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def apply_breakages(p) -> None:
    """The breakages of issue 17's table that need a build, as a maintainer could make them. (The badge's
    assert count is left out: the badge no longer counts asserts. The catalogue change has its own test.)"""
    # A same-page anchor broken in a notebook Markdown cell (Markdown cells are outside the stamp's hash).
    nb_path = p / "notebooks" / f"{PAGE.removeprefix('questions/')}.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    last = nb["cells"][-1]
    last["source"] = "".join(last["source"]) + "\n\nSee [the setup](#no-such-anchor).\n"
    # A link to another page's missing section and a link to a missing file, as raw HTML on a hub page
    # (MkDocs validates Markdown links only; the cheat sheet's links to notebook cells are such HTML).
    with (p / "docs" / "topics.md").open("a", encoding="utf-8") as md:
        md.write('\n<a href="questions/medium/03-parameter-sharing.html#no-such-section">a cell</a>\n'
                 '<a href="no-such-figure.png">a figure</a>\n')
    nb_path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    # Practice answers attached to the wrong card, shifted by one.
    edit(p / "hooks" / "questions.py", "    return cards\n",
         "    answers = [c['answer'] for c in cards]\n"
         "    for card, answer in zip(cards, answers[1:] + answers[:1]):\n"
         "        card['answer'] = answer\n"
         "    return cards\n")
    practice = p / "overrides" / "assets" / "javascripts" / "practice.js"
    # Practice stops rendering math in revealed answers: the deck is read before its math is typeset.
    edit(p / "hooks" / "math_render.py", "@event_priority(50)  # before hooks/questions.py",
         "@event_priority(-50)  # before hooks/questions.py")
    # Shuffle does nothing: it shuffles, then keeps the old order.
    edit(practice, "    state.order = order;\n", "    state.order = state.order;\n")
    # A load from another host that no page fires while tested: a sync feature nobody calls yet.
    edit(practice, "  buildDeck();\n",
         f'  function syncProgress() {{ return fetch("{SYNC}", {{ method: "POST" }}); }}\n'
         "  window.syncPracticeProgress = syncProgress;\n  buildDeck();\n")
    # The offline zip leaves out the notebook figures: the bundle written before they are.
    edit(p / "hooks" / "bundle.py", "@event_priority(-200)", "@event_priority(50)")
    # A request to an outside host 3 s after load, on question pages, its URL built at run time.
    with (p / "overrides" / "assets" / "javascripts" / "iframe-worker" / "shim.js").open("a", encoding="utf-8") as js:
        js.write('setTimeout(function () { if (document.querySelector(".notebook-embed")) '
                 f'new Image().src = ["https:", "", "{BEACON}", "p.gif"].join("/"); }}, 3000);\n')


@pytest.fixture(scope="module")
def broken(site, project, tmp_path_factory):
    """The project with every breakage applied, and its strict build (none of them fails the build)."""
    copy = copy_project(tmp_path_factory.mktemp("broken") / "project", cache_from=project)
    apply_breakages(copy)
    out = copy.parent / "site"
    res = mkdocs_build(copy, out)
    assert res.returncode == 0, f"the broken copy should still build:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    return copy, out


def test_broken_anchors_and_links_are_caught(broken, tmp_path):
    """test_build: test_every_anchor_has_its_target (same-page and cross-page), test_every_internal_link_resolves."""
    _, site = broken
    missing = missing_anchors(site)
    assert any(f"{PAGE}.html: #no-such-anchor" in m for m in missing), missing
    assert any("topics.html: questions/medium/03-parameter-sharing.html#no-such-section" in m for m in missing), \
        missing
    rows = linkchecker(site / "topics.html", tmp_path, "--recursion-level=1")
    assert any("no-such-figure.png" in b for b in broken_links(rows)), "LinkChecker reports a missing file"


def test_practice_answers_on_the_wrong_card_are_caught(broken):
    """test_reader_features: test_each_practice_card_answers_with_its_pages_short_answer."""
    _, site = broken
    wrong = practice_answer_mismatches(site)
    assert len([w for w in wrong if ": answer " in w]) == len(WRITTEN), wrong


def test_practice_answers_on_the_wrong_card_and_unrendered_math_are_caught_in_the_browser(broken, offline_page):
    """test_reader_features: test_practice_shows_each_cards_own_answer_with_its_math_rendered."""
    _, site = broken
    problems = revealed_answer_problems(site, walk_the_deck(site, offline_page))
    assert any("its page's short answer differs" in p for p in problems), problems
    assert any("formulas rendered" in p for p in problems), problems


def test_a_shuffle_that_does_nothing_is_caught(broken, offline_page):
    """test_reader_features: test_practice_shuffle_arrows_previous_next_and_reset_work."""
    _, site = broken
    assert "Shuffle left the deck in catalogue order" in shuffle_and_navigation_problems(site, offline_page)


def test_an_offline_zip_without_the_figures_is_caught(broken, tmp_path, offline_page):
    """test_reader_features: test_offline_bundle_holds_exactly_the_built_site and
    test_offline_bundle_unzips_to_a_site_that_works_offline."""
    _, site = broken
    assert any(d.startswith("missing from the zip: assets/notebook-figures/") for d in bundle_differences(site))
    with zipfile.ZipFile(site / BUNDLE) as bundle:
        bundle.extractall(tmp_path)
    _, broken_images = open_and_settle(offline_page, tmp_path / TOP_FOLDER, f"{PAGE}.html")
    assert broken_images, "the unzipped page shows broken figures"


def test_a_late_request_to_another_host_is_caught_in_the_browser(broken, offline_page):
    """test_offline: test_page_works_offline (a minute of page time, then network idle). The request is
    seen going out, or, where the page's Content-Security-Policy stops it first, as the console error
    the browser logs for it: either fails that test."""
    _, site = broken
    p, _ = open_and_settle(offline_page, site, f"{PAGE}.html")
    assert any(BEACON in line for line in p.external + p.errors), (p.external, p.errors)
    p, _ = open_and_settle(offline_page, site, "index.html")
    assert not [line for line in p.external + p.errors if BEACON in line], "it fires on question pages only"


def test_a_load_from_another_host_that_no_page_fires_is_caught_statically(broken):
    """test_offline: test_no_built_file_loads_anything_from_another_host and
    test_the_offline_zip_loads_nothing_from_another_host."""
    _, site = broken
    assert any(leak.startswith("assets/javascripts/practice.js: ") and SYNC in leak for leak in site_leaks(site))
    assert any("practice.js" in leak for leak in zip_leaks(site / BUNDLE))


def test_an_unwritten_questions_text_changed_in_the_catalogue_is_caught(tmp_path):
    """test_catalogue: test_catalogue_text_is_the_source_list_verbatim (no skip: the list is vendored).
    No build needed: a copy of the catalogue is enough."""
    q = next(q for q in catalogue.load() if q not in WRITTEN)
    copy = tmp_path / "questions.yml"
    copy.write_text(catalogue.CATALOGUE.read_text(encoding="utf-8"), encoding="utf-8")
    edit(copy, q.text, q.text.rstrip("?") + " in practice?")
    differences = catalogue_differences(catalogue.load(copy))
    assert differences == [f"{q.difficulty} #{q.n} ({q.slug}): {q.text.rstrip('?') + ' in practice?'!r}, "
                           f"the source says {q.text!r}"]


def test_a_search_query_for_a_page_outside_the_catalogue_is_caught(tmp_path):
    """test_search: test_every_query_names_a_catalogue_question."""
    queries = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text())
    queries[0] = dict(queries[0], page=queries[0]["page"].replace("-", "_", 1))
    assert pages_outside_the_catalogue(queries) == [f"{queries[0]['query']!r} -> {queries[0]['page']}"]


def png(width: int, height: int) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_a_figure_that_changes_on_reexecution_is_caught():
    """test_notebooks: test_reexecution_draws_the_same_figures_at_the_same_size (the figure a text
    comparison cannot see: gone, added, or another size)."""
    def notebook(*figures):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("plot()")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": f, "text/plain": "<Figure>"})
                        for f in figures]
        nb.cells = [cell]
        return json.loads(nbformat.writes(nb))

    committed = rich_outputs(notebook(png(600, 300)))
    assert rich_outputs(notebook(png(600, 300))) == committed
    assert rich_outputs(notebook()) != committed
    assert rich_outputs(notebook(png(600, 300), png(600, 300))) != committed
    assert rich_outputs(notebook(png(480, 300))) != committed
