"""The catalogue is the one list of questions, and the pages and notebooks follow it by name."""
from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT, WRITTEN

import catalogue

# The list the catalogue was made from, vendored verbatim (its numbering is the source's own: hard runs
# 1, 21, 22, ...). The catalogue's text must stay equal to it, written page or not.
SOURCE = ROOT / "catalogue" / "source-questions.md"
COUNTS = {"easy": 20, "medium": 19, "hard": 20}   # literal: the catalogue's own constant could drift with it
# Difficulties whose every catalogue question must have a page. A difficulty joins this list when
# its content issue is done; once all three are here, no catalogue question can lack a page.
COMPLETE = ("easy",)


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: None)


def allowed_tags() -> set[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    tags = next(p["tags"] for p in config["plugins"] if isinstance(p, dict) and "tags" in p)
    return set(tags["tags_allowed"])


QUESTIONS = catalogue.load(allowed_tags=allowed_tags())


def source_questions(path=SOURCE) -> list[tuple[str, str]]:
    """(difficulty, text) for every numbered question of the source list, in its order."""
    found, level = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^#+\s*(Easy|Medium|Hard)", line):
            level = m.group(1).lower()
        elif (m := re.match(r"^\d+\.\s+(.*\S)", line)) and level:
            found.append((level, m.group(1)))
    return found


def catalogue_differences(questions: list[catalogue.Question]) -> list[str]:
    """Where the catalogue's questions differ from the source list, one line each."""
    source = source_questions()
    problems = [f"{q.difficulty} #{q.n} ({q.slug}): {q.text!r}, the source says {want!r}"
                for q, (level, want) in zip(questions, source, strict=False) if (q.difficulty, q.text) != (level, want)]
    if len(questions) != len(source):
        problems.append(f"{len(questions)} questions in the catalogue, {len(source)} in the source list")
    return problems


def test_catalogue_has_59_questions_numbered_in_order():
    assert len(QUESTIONS) == 59
    for difficulty, count in COUNTS.items():
        assert [q.n for q in QUESTIONS if q.difficulty == difficulty] == list(range(1, count + 1))


def test_the_vendored_source_list_has_20_easy_19_medium_20_hard():
    source = source_questions()
    assert {level: sum(d == level for d, _ in source) for level in COUNTS} == COUNTS


def test_catalogue_text_is_the_source_list_verbatim():
    """Every question, written or not: a changed wording of an unwritten question fails here."""
    assert not catalogue_differences(QUESTIONS), "\n".join(catalogue_differences(QUESTIONS))


def test_a_malformed_catalogue_is_refused_naming_the_file_and_entry(tmp_path):
    bad = tmp_path / "questions.yml"
    text = catalogue.CATALOGUE.read_text().replace("slug: relu,", "slug: what-is-a-cnn,")
    bad.write_text(text.replace("n: 3, slug: cnn-components", "n: 4, slug: cnn-components"))
    with pytest.raises(catalogue.CatalogueError) as e:
        catalogue.load(bad, allowed_tags=allowed_tags())
    assert str(bad) in str(e.value)
    assert "easy #3: n is 4, want 3" in str(e.value)
    assert "slug 'what-is-a-cnn' is already used by easy #1" in str(e.value)


def test_a_catalogue_tag_outside_the_allow_list_is_refused(tmp_path):
    bad = tmp_path / "questions.yml"
    bad.write_text(catalogue.CATALOGUE.read_text().replace("[Pooling, Fundamentals]", "[Poolling, Fundamentals]"))
    with pytest.raises(catalogue.CatalogueError, match="tag 'Poolling' is not in tags_allowed"):
        catalogue.load(bad, allowed_tags=allowed_tags())


def test_pages_and_notebooks_mirror_each_other_by_name():
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "questions").glob("**/*.md")}
    notebooks = {p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("**/*.ipynb")}
    assert pages == {q.page for q in WRITTEN}, "every page under docs/questions is a catalogue question"
    assert notebooks == {q.notebook for q in WRITTEN}, "every page has its notebook and no notebook is orphaned"


@pytest.mark.parametrize("q", WRITTEN, ids=lambda q: q.stem)
def test_page_title_and_tags_are_the_catalogues(q):
    text = (ROOT / "docs" / q.page).read_text(encoding="utf-8")
    front, body = re.match(r"^---\n(.*?)\n---\n(.*)$", text, flags=re.S).groups()
    assert re.search(r"^# (.+)$", body, flags=re.M).group(1).strip() == q.text
    assert tuple(yaml.safe_load(front)["tags"]) == q.tags


@pytest.mark.parametrize("difficulty", COMPLETE)
def test_every_question_of_a_complete_difficulty_has_a_page(difficulty):
    missing = [q.page for q in QUESTIONS if q.difficulty == difficulty and q not in WRITTEN]
    assert not missing, f"catalogue questions without a page: {missing}"


def test_coverage_report_lists_what_is_missing(capsys):
    import coverage_report

    coverage_report.main()
    out = capsys.readouterr().out
    assert f"{len(WRITTEN)} of {len(QUESTIONS)} questions have a page" in out
    for q in QUESTIONS:
        assert (q.page in out) == (q not in WRITTEN)
