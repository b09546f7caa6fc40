"""Search by topic: queries a candidate would type, run in the real search box from file://."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, OfflinePage, search_results

import catalogue

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text())
CATALOGUE_PAGES = {f"{q.difficulty}/{q.stem}" for q in catalogue.load()}
# Queries for catalogue questions not written yet wait for their page; any other page name is a mistake.
WRITTEN = [q for q in QUERIES if (ROOT / "docs" / "questions" / f"{q['page']}.md").is_file()]


@pytest.fixture(scope="module")
def search(site, browser):
    """Type a query into the search box of the home page; get the result pages, best first."""
    p = OfflinePage(browser)
    p.page.goto((site / "index.html").as_uri())
    yield lambda query: search_results(p.page, query)
    assert not p.external, f"search requested the network: {p.external}"
    assert not p.errors, p.errors
    p.close()


def pages_outside_the_catalogue(queries) -> list[str]:
    return [f"{q['query']!r} -> {q['page']}" for q in queries if q["page"] not in CATALOGUE_PAGES]


def test_every_query_names_a_catalogue_question():
    """A misspelt or renamed page would otherwise make its queries vanish from the test without a word."""
    wrong = pages_outside_the_catalogue(QUERIES)
    assert not wrong, "queries whose page is not <difficulty>/<NN>-<slug> of a catalogue question:\n" + "\n".join(wrong)


def test_there_are_enough_queries():
    assert len(WRITTEN) >= 10
    pages = {q["page"] for q in WRITTEN}
    for page in pages:
        assert sum(q["page"] == page for q in WRITTEN) >= 3, f"want 3 queries for {page}"


@pytest.mark.parametrize("case", [q for q in WRITTEN if q.get("first")], ids=lambda q: q["query"])
def test_topic_query_ranks_the_expected_page_first(case, search):
    ranked = search(case["query"])
    assert ranked and ranked[0] == case["page"], f"{case['query']!r}: got {ranked[:5]}"


def test_topic_queries_find_the_expected_page_in_the_top_three(search):
    misses = []
    for case in WRITTEN:
        ranked = search(case["query"])
        if case["page"] not in ranked[:3]:
            misses.append(f"{case['query']!r} -> {ranked[:3]} (want {case['page']})")
    assert len(misses) <= 0.1 * len(WRITTEN), "\n".join(misses)


def test_a_query_after_one_with_no_result_gets_its_own_results(search):
    """The wait for results must not be satisfied by the previous query's 'No matching documents'."""
    case = next(q for q in WRITTEN if q.get("first"))
    assert search("qqxzzv") == []
    ranked = search(case["query"])
    assert ranked and ranked[0] == case["page"], f"{case['query']!r} after an empty result: got {ranked[:5]}"
