"""The catalogue is the one list of questions, and the pages and notebooks follow it by name."""
from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT, WRITTEN

import catalogue

SEED = ROOT.parent / "shared" / "seeds" / "000_88b9a46f4617a36d.txt"
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


def test_catalogue_has_59_questions_numbered_in_order():
    for difficulty, count in catalogue.EXPECTED_COUNTS.items():
        assert [q.n for q in QUESTIONS if q.difficulty == difficulty] == list(range(1, count + 1))


@pytest.mark.skipif(not SEED.is_file(), reason=f"the source list {SEED} is not beside this checkout")
def test_catalogue_text_is_the_source_list_verbatim():
    seeds, level = [], None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^#+\s*(Easy|Medium|Hard)", line):
            level = m.group(1).lower()
        elif (m := re.match(r"^\d+\.\s+(.*\S)", line)) and level:
            seeds.append((level, m.group(1)))
    assert [(q.difficulty, q.text) for q in QUESTIONS] == seeds


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
