"""The project's own content lint (scripts/content_lint.py, `make audit`): every written page, its notebook
and its search queries meet the mechanical rules of CONTRIBUTING.md, with one message per page that
names each file and the fix; and a broken fixture proves each rule fires."""
from __future__ import annotations

import json
import re

import content_lint
import nbformat
import new_question
import pytest
from conftest import ROOT, WRITTEN
from notebook_standard import RECORD_MIME
from test_scaffold import FILLED, MORE_ASSERTS, QUESTIONS, SENTENCE, UNWRITTEN, fill_notebook, fill_page

# Pages that break a rule today, each being rewritten by its content issue. A listed page that passes fails
# its test below, so the list can only shrink.
KNOWN_FAILURES: set[str] = set()
Q = UNWRITTEN
PAGE, NOTEBOOK, QUERIES = f"docs/{Q.page}", Q.notebook, "tests/search_queries.yml"
PNG = "iVBORw0KGgo="   # the lint only asks whether a figure is there


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: f"{q.difficulty}/{q.stem}")
def test_every_written_page_meets_the_content_standard(q):
    report = content_lint.lint(q)
    if report.key in KNOWN_FAILURES:
        assert report.problems, f"{report.key} meets the content standard now: remove it from KNOWN_FAILURES"
        pytest.xfail(report.message())
    assert not report.problems, report.message()


# ---- a page that meets every rule, and each rule broken once ---------------------------------------

def executed(nb: dict) -> dict:
    """The outputs `make notebooks` would leave: execution counts, the recorded value and the figure."""
    for n, cell in enumerate((c for c in nb["cells"] if c["cell_type"] == "code"), start=1):
        cell["execution_count"] = n
    example = nb["cells"][2]
    example["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {RECORD_MIME: {"name": "example_out", "value": 16},
                                                                 "text/plain": ""}},
        {"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG, "text/plain": "<Figure>"}}]
    return nb


@pytest.fixture
def good(tmp_path):
    """A project root holding one question that meets every rule: the filled scaffold, as executed."""
    page = tmp_path / "docs" / Q.page
    page.parent.mkdir(parents=True)
    page.write_text(fill_page(new_question.page_text(Q, QUESTIONS)))
    notebook = tmp_path / Q.notebook
    notebook.parent.mkdir(parents=True)
    notebook.write_text(json.dumps(executed(fill_notebook(json.loads(nbformat.writes(new_question.notebook(Q)))))))
    (tmp_path / "tests").mkdir()
    key = f"{Q.difficulty}/{Q.stem}"
    (tmp_path / QUERIES).write_text("".join(f"- {{query: term {i}, page: {key}}}\n" for i in range(3)))
    return tmp_path


def test_the_filled_scaffold_meets_every_rule(good):
    report = content_lint.lint(Q, good)
    assert not report.problems and not report.notes, report.message()


def edit_page(root, old, new):
    page = root / PAGE
    text = page.read_text()
    assert old in text, f"fixture out of date: {old!r}"
    page.write_text(text.replace(old, new, 1))


def edit_notebook(root, change):
    path = root / NOTEBOOK
    nb = json.loads(path.read_text())
    change(nb)
    path.write_text(json.dumps(nb))


def drop_figure(nb):
    nb["cells"][2]["outputs"] = nb["cells"][2]["outputs"][:1]


def one_assert_less(nb):
    nb["cells"][2]["source"] = nb["cells"][2]["source"].replace(MORE_ASSERTS.splitlines()[1], "")


BROKEN = {
    "short answer too short": (
        lambda r: edit_page(r, FILLED["Short answer"], "Five words are not enough."),
        f"{PAGE}: ## Short answer has 5 words, want 40-120: write 40-120 words of what a strong candidate says "
        "in 30 seconds"),
    "worked answer too long": (
        lambda r: edit_page(r, SENTENCE * 20, SENTENCE * 70),
        f"{PAGE}: ## Worked answer has 1682 words, want 400-1500: cut it to 400-1500 words of intuition, "
        "mechanism, math and a worked example"),
    "worked answer without a table or figure": (
        lambda r: edit_page(r, "| Input | Output |\n| --- | --- |\n| 32 | {{ example_out }} |\n", "{{ example_out }}"),
        f"{PAGE}: ## Worked answer has no table or figure; add a table of the worked numbers or a figure"),
    "one common mistake": (
        lambda r: edit_page(r, FILLED["Common mistakes"], FILLED["Common mistakes"].splitlines()[0]),
        f"{PAGE}: ## Common mistakes has 1 list item(s), want at least 2: add `- ` items, each a wrong answer "
        "candidates give and why it is wrong"),
    "one follow-up question": (
        lambda r: edit_page(r, FILLED["Follow-up questions"], "- **And pooling?** The same formula."),
        f"{PAGE}: ## Follow-up questions has 1 list item(s), want at least 2: add `- ` items, each a question an "
        "interviewer asks next, with a short answer"),
    "reference without a year": (
        lambda r: edit_page(r, "(2016)", ""),
        f"{PAGE}: ## References lists no source with a year; add `- Authors (year). *Title*. Venue.` for at least "
        "one primary source"),
    "hint left on the page": (
        lambda r: edit_page(r, "## Run it yourself\n\n", "## Run it yourself\n\nTODO: say what it shows.\n"),
        f"{PAGE}: line(s) [23] still hold a `make new` hint (TODO); replace each with the content it asks for"),
    "section renamed": (
        lambda r: edit_page(r, "## Common mistakes", "## Common pitfalls"),
        f"{PAGE}: sections are ['Short answer', 'Worked answer', 'Run it yourself', 'Common pitfalls', "
        "'Follow-up questions', 'References'], want exactly"),
    "hint left in the notebook": (
        lambda r: edit_notebook(r, lambda nb: nb["cells"][3].update(source="## Try next\n\nTODO: ideas")),
        f"{NOTEBOOK}: cell(s) [4] still hold a `make new` hint (TODO); replace each with the content it asks for"),
    "two asserts": (
        lambda r: edit_notebook(r, one_assert_less),
        f"{NOTEBOOK}: 2 assert(s), want at least 3: assert each claim the page makes against an independent "
        "implementation"),
    "no figure": (
        lambda r: edit_notebook(r, drop_figure),
        f"{NOTEBOOK}: no figure in its outputs; draw at least one (plt.show()) and run `make notebooks`"),
    "stray editor metadata": (
        lambda r: edit_notebook(r, lambda nb: nb["cells"][1]["metadata"].update(scrolled=True)),
        f"{NOTEBOOK}: cell 2 (code) has stray metadata ['scrolled']: `make notebooks` removes it"),
    "setup cell edited": (
        lambda r: edit_notebook(r, lambda nb: nb["cells"][1].update(source="import torch\n")),
        f"{NOTEBOOK}: the first code cell must start with the standard setup cell verbatim"),
    "two search queries": (
        lambda r: (r / QUERIES).write_text("\n".join((r / QUERIES).read_text().splitlines()[:2])),
        f"{QUERIES}: 2 search queries for {Q.difficulty}/{Q.stem}, want at least 3: add lines `- {{query: <a term "
        f"the page explains>, page: {Q.difficulty}/{Q.stem}}}`"),
    "British spelling on the page": (
        lambda r: edit_page(r, "## Run it yourself\n\n", "## Run it yourself\n\nThe colour of a normalised map.\n"),
        f"{PAGE}: British spelling colour, normalised: write color, normalized"),
    "British spelling in the notebook": (
        lambda r: edit_notebook(r, lambda nb: nb["cells"][3].update(source="## Try next\n\nA grey canvas.")),
        f"{NOTEBOOK}: British spelling grey: write gray"),
    "no notebook": (
        lambda r: (r / NOTEBOOK).unlink(),
        f"{NOTEBOOK}: cannot read the notebook"),
}


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.replace(" ", "-"))
def test_each_rule_fires_alone_naming_the_file_and_the_fix(good, case):
    breaker, message = BROKEN[case]
    breaker(good)
    problems = content_lint.lint(Q, good).problems
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_a_value_recorded_but_never_shown_is_reported_not_failed(good):
    spare = {"output_type": "display_data", "metadata": {}, "data": {RECORD_MIME: {"name": "spare", "value": 1}}}
    edit_notebook(good, lambda nb: nb["cells"][2]["outputs"].append(spare))
    report = content_lint.lint(Q, good)
    assert not report.problems
    assert report.notes == [f"{NOTEBOOK} records spare, which {PAGE} never shows: tie it on the page "
                            "({{ spare }}) or drop the record() if the reader does not need it"]


def test_a_query_for_a_page_outside_the_catalogue_is_named():
    stray = content_lint.unknown_query_pages([{"query": "stride", "page": "easy/15-output-sise"}], QUESTIONS)
    assert stray == [f"{QUERIES}: query 'stride' names page 'easy/15-output-sise', which is not "
                     "<difficulty>/<NN>-<slug> of a catalogue question"]


def test_the_cli_prints_one_block_per_failing_page_and_exits_1(good, capsys):
    edit_page(good, "(2016)", "")
    assert content_lint.main([f"{Q.difficulty}/{Q.n}"], root=good) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{Q.difficulty}/{Q.stem}: 1 content rule(s) broken\n  - {PAGE}: ## References")
    assert out.rstrip().endswith("content lint: 1 page(s), 0 pass, 1 fail")


@pytest.mark.parametrize("spec", [f"{Q.difficulty}/{Q.n}", f"{Q.difficulty}/{Q.stem}", Q.slug])
def test_a_question_is_named_by_difficulty_and_number_or_by_slug(spec):
    assert content_lint.find_question(spec, QUESTIONS) == Q


def test_words_count_prose_only():
    text = "One two\n\n```python\nnot counted here\n```\n\n$$\\frac{a}{b}$$ <!-- nor this --> {{ value:.2f }} three"
    assert content_lint.words(text) == 3


def test_the_lint_needs_nothing_outside_the_project():
    source = (ROOT / "scripts" / "content_lint.py").read_text() + (ROOT / "Makefile").read_text()
    assert not re.search(r"\.\./shared|shared/tools", source)


def test_spelling_leaves_code_math_links_and_references_alone(good):
    edit_page(good, "## Run it yourself\n\n", "## Run it yourself\n\n`normalise()` and $colour$ in "
              "[a link](https://example.org/colour).\n")
    edit_page(good, "## References\n", "## References\n\n- A. Author (2018). *Generalisation in humans*.\n")
    assert not content_lint.lint(Q, good).problems


@pytest.mark.parametrize("path", [*sorted((ROOT / "docs").glob("*.md")), ROOT / "catalogue" / "abbreviations.md"],
                         ids=lambda p: p.name)
def test_hub_pages_and_the_glossary_are_in_american_english(path):
    found = content_lint.british_words(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(ROOT)}: British spelling {found}: "
                       f"write {[content_lint.american(w) for w in found]}")
