"""A contributor adds a question in minutes: `make new` scaffolds it from the catalogue, filled and executed
it builds, the authoring path leaves no stray metadata, and the errors on the way name the file and the fix.

The end-to-end tests work in a copy of the project that holds no other question, so they check the
scaffold and the tools, not the pages other work has in flight.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import nbformat
import new_question
import notebook_standard
import pytest
import stamps
import tidy_notebooks
import yaml
from conftest import ROOT, WRITTEN, mkdocs_build
from content_lint import PLACEHOLDER, lint
from questions import SECTIONS

import catalogue

QUESTIONS = catalogue.load()
UNWRITTEN = next(q for q in QUESTIONS if q not in WRITTEN)   # `make new` refuses a written one
KEY = f"{UNWRITTEN.difficulty}/{UNWRITTEN.n}"
PROJECT = ["mkdocs.yml", "Makefile", "hooks", "overrides", "catalogue", "scripts", "requirements.txt",
           "requirements-notebooks.txt", "requirements-authoring.txt", "tests/search_queries.yml"]

SENTENCE = ("The window slides along each axis and the layer writes one output for every position where the "
            "whole kernel fits inside the padded input. ")
FILLED = {
    "Short answer": SENTENCE * 2 + "A 3x3 kernel with stride 2 and padding 1 maps 32 pixels to {{ example_out }}, "
                    "so the width halves and nothing at the border is lost.",
    "Worked answer": "| Input | Output |\n| --- | --- |\n| 32 | {{ example_out }} |\n\n" + SENTENCE * 20,
    "Run it yourself": "The notebook runs the layer in PyTorch and checks the formula against it.",
    "Common mistakes": "- **Forgetting the floor.** The last partial window is dropped.\n"
                       "- **Padding once instead of on each side.** The formula adds it twice.",
    "Follow-up questions": "- **What does dilation change?** The kernel's footprint; see "
                           "[dilated convolutions](q:dilated-convolutions).\n"
                           "- **And pooling?** The same formula with the pooling window.",
    "References": "- Vincent Dumoulin and Francesco Visin (2016). *A guide to convolution arithmetic for deep "
                  "learning*. arXiv.",
}
MORE_ASSERTS = ('\nassert layer.weight.shape == (8, 3, K, K), "one K x K filter per output channel"\n'
                'assert out == -(-W // S), "odd K with P = (K - 1) / 2 gives ceil(W / S)"\n')


def make(project, *args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=project, capture_output=True, text=True,
                          timeout=timeout)


def copy_project(dest):
    """The project without its questions; it shares this checkout's .venv (requirements keep their dates,
    so make installs nothing)."""
    for name in PROJECT:
        src, out = ROOT / name, dest / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, out, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, out)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("questions"))
    (dest / "notebooks").mkdir()
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def fill_page(text: str) -> str:
    for title, content in FILLED.items():
        text, n = re.subn(rf"(^## {title}\n\n){PLACEHOLDER}:[^\n]*", lambda m, c=content: m.group(1) + c, text,
                          flags=re.M)
        assert n == 1, f"the scaffold has no hint under ## {title}"
    return text


def fill_notebook(nb: dict) -> dict:
    title, setup, example, try_next = nb["cells"]
    title["source"] = f"# {UNWRITTEN.text}\n\nChecks the output-size formula against PyTorch's layer."
    code = "".join(example["source"])
    example["source"] = "\n".join(line for line in code.splitlines() if PLACEHOLDER not in line) + MORE_ASSERTS
    try_next["source"] = "## Try next\n\n- Set `P = 0` and watch the border go.\n- Try an even kernel."
    return nb


def fill(project) -> None:
    page, notebook = project / "docs" / UNWRITTEN.page, project / UNWRITTEN.notebook
    page.write_text(fill_page(page.read_text()))
    notebook.write_text(json.dumps(fill_notebook(json.loads(notebook.read_text())), indent=1))
    key = f"{UNWRITTEN.difficulty}/{UNWRITTEN.stem}"
    with (project / "tests" / "search_queries.yml").open("a") as queries:
        queries.writelines(f"- {{query: {q}, page: {key}}}\n" for q in ("window positions", "kernel fits",
                                                                         "padded input"))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """`make new`, every hint filled with minimal valid content, `make notebooks NB=...`: a written question."""
    project = copy_project(tmp_path_factory.mktemp("written"))
    res = make(project, "new", f"Q={KEY}")
    assert res.returncode == 0, res.stdout + res.stderr
    fill(project)
    res = make(project, "notebooks", f"NB={UNWRITTEN.notebook}")
    assert res.returncode == 0, res.stdout + res.stderr
    return project


@pytest.fixture
def scaffolded(tmp_path):
    project = copy_project(tmp_path / "project")
    res = make(project, "new", f"Q={KEY}")
    assert res.returncode == 0, res.stdout + res.stderr
    return project


@pytest.fixture
def written_copy(written, tmp_path):
    """A copy of the written question's project to break."""
    return shutil.copytree(written, tmp_path / "project", symlinks=True)


# ---- make new ---------------------------------------------------------------------------------------

def test_make_new_scaffolds_the_page_from_the_catalogue(scaffolded):
    text = (scaffolded / "docs" / UNWRITTEN.page).read_text()
    front, body = re.match(r"^---\n(.*?)\n---\n(.*)$", text, flags=re.S).groups()
    meta = yaml.safe_load(front)
    assert meta["difficulty"] == UNWRITTEN.difficulty and tuple(meta["tags"]) == UNWRITTEN.tags
    assert 2 <= len(meta["related"]) <= 4 and all(s in catalogue.by_slug(QUESTIONS) for s in meta["related"])
    assert re.findall(r"^# (.+)$", body, flags=re.M) == [UNWRITTEN.text]
    assert re.findall(r"^## (.+)$", body, flags=re.M) == SECTIONS
    assert len(re.findall(rf"^{PLACEHOLDER}: \S", body, flags=re.M)) == len(SECTIONS), "one hint per section"


def test_make_new_scaffolds_a_notebook_that_meets_the_notebook_standard(scaffolded):
    nb = json.loads((scaffolded / UNWRITTEN.notebook).read_text())
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds == ["markdown", "code", "code", "markdown"]
    assert "".join(nb["cells"][1]["source"]) == notebook_standard.SETUP_CELL
    example = "".join(nb["cells"][2]["source"])
    assert 'record("example_out"' in example and re.search(r"^assert ", example, flags=re.M)
    assert not notebook_standard.structure_problems(nb, UNWRITTEN.text)
    assert not notebook_standard.authoring_problems(nb)


def test_a_scaffold_left_unfilled_fails_the_lint_naming_every_hint(scaffolded):
    problems = lint(UNWRITTEN, scaffolded).problems
    page, notebook = f"docs/{UNWRITTEN.page}", UNWRITTEN.notebook
    assert f"{page}: line(s) [11, 15, 19, 23, 27, 31] still hold a `make new` hint (TODO); replace each with " \
           "the content it asks for" in problems
    assert f"{notebook}: cell(s) [1, 3, 4] still hold a `make new` hint (TODO); replace each with the content " \
           "it asks for" in problems
    assert any(p.startswith(f"{page}: ## Short answer has ") and "want 40-120" in p for p in problems)
    assert all(p.startswith((page, notebook, "tests/search_queries.yml")) for p in problems)


def test_a_scaffold_not_yet_executed_fails_the_build_saying_run_make_notebooks(scaffolded, tmp_path):
    res = mkdocs_build(scaffolded, tmp_path / "site")
    assert res.returncode != 0
    assert f"docs/{UNWRITTEN.page}: '{{{{ example_out }}}}': the notebook records no value named 'example_out' " \
           "(it records: none); add record('example_out', value) where it is computed and run `make notebooks`" \
           in res.stderr, res.stderr[-2000:]


def test_make_new_refuses_a_question_that_has_a_page(scaffolded):
    page = scaffolded / "docs" / UNWRITTEN.page
    page.write_text("written by hand\n")
    res = make(scaffolded, "new", f"Q={KEY}")
    assert res.returncode != 0
    assert f"docs/{UNWRITTEN.page} already exists: edit it (`make lab`)" in res.stderr
    assert page.read_text() == "written by hand\n"


@pytest.mark.parametrize("spec, message", [
    ("medium/44", "catalogue/questions.yml has no medium/44: medium runs 1-19; `make coverage` lists"),
    ("focal-los", "catalogue/questions.yml has no question 'focal-los' (did you mean hard/16, 'focal-loss'?)"),
    ("", "usage: make new Q=<difficulty>/<n>, for example make new Q=medium/14"),
])
def test_make_new_names_the_fix_for_a_question_it_cannot_find(tmp_path, spec, message):
    res = make(copy_project(tmp_path), "new", f"Q={spec}")
    assert res.returncode != 0 and message in res.stderr, res.stderr
    assert not list((tmp_path / "notebooks").rglob("*.ipynb"))


# ---- the done criterion: filled and executed, the scaffold builds and passes the lint ---------------

def test_a_filled_scaffold_builds_and_passes_the_content_lint(written, tmp_path):
    res = mkdocs_build(written, tmp_path / "site")
    assert res.returncode == 0, res.stderr[-3000:]
    html = (tmp_path / "site" / UNWRITTEN.html).read_text()
    assert 'data-value="example_out"' in html, "the page's tied number is filled in from the notebook"
    report = lint(UNWRITTEN, written)
    assert not report.problems and not report.notes, report.message()


def test_make_notebooks_stamps_the_new_notebook_on_both_seeds(written):
    stamp = stamps.check_fresh(stamps.load(written / UNWRITTEN.notebook), UNWRITTEN.notebook)
    assert stamp["seeds_passed"] == [0, 1]


def test_make_audit_runs_the_projects_own_lint_with_nothing_beside_the_project(written):
    assert not (written.parent / "shared").exists()
    res = make(written, "audit")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "content lint: 1 page(s), 1 pass, 0 fail" in res.stdout


def test_make_audit_fails_naming_the_page_and_the_fix(written_copy):
    page = written_copy / "docs" / UNWRITTEN.page
    page.write_text(page.read_text().replace(FILLED["Short answer"], "Too short."))
    res = make(written_copy, "audit")
    assert res.returncode != 0
    assert f"docs/{UNWRITTEN.page}: ## Short answer has 2 words, want 40-120: write 40-120 words" in res.stdout


# ---- errors a contributor can act on ----------------------------------------------------------------

def test_make_check_names_the_fix_for_a_question_without_a_page(capsys):
    import check_question

    assert check_question.main([KEY]) == 1
    assert f"docs/{UNWRITTEN.page}: no page yet; `make new Q={KEY}` writes one" in capsys.readouterr().err


def edit_page(project, old, new):
    page = project / "docs" / UNWRITTEN.page
    text = page.read_text()
    assert old in text, f"fixture out of date: {old!r}"
    page.write_text(text.replace(old, new, 1))


def test_tags_in_another_order_are_named_as_such(written_copy, tmp_path):
    tags = list(UNWRITTEN.tags)
    edit_page(written_copy, f"tags: [{', '.join(tags)}]", f"tags: [{', '.join(reversed(tags))}]")
    res = mkdocs_build(written_copy, tmp_path / "site")
    assert res.returncode != 0
    assert (f"docs/{UNWRITTEN.page}: tags are {list(reversed(tags))!r}: the catalogue's tags in another order; "
            f"write them in the catalogue's order, tags: [{', '.join(tags)}]") in res.stderr, res.stderr[-2000:]


def test_a_wrong_tag_names_what_to_add_and_remove(written_copy, tmp_path):
    tags = list(UNWRITTEN.tags)
    edit_page(written_copy, f"tags: [{', '.join(tags)}]", f"tags: [{', '.join(tags[:-1] + ['Poolling'])}]")
    res = mkdocs_build(written_copy, tmp_path / "site")
    assert res.returncode != 0
    assert f"(add {tags[-1]!r}, remove 'Poolling'); copy them from catalogue/questions.yml" in res.stderr


def test_an_unknown_question_link_suggests_the_nearest_slug(written_copy, tmp_path):
    edit_page(written_copy, "(q:dilated-convolutions)", "(q:dilated-convolution)")
    res = mkdocs_build(written_copy, tmp_path / "site")
    assert res.returncode != 0
    assert (f"docs/{UNWRITTEN.page}: link '(q:dilated-convolution)' names no question (did you mean "
            "'dilated-convolutions'?); use a slug from catalogue/questions.yml") in res.stderr, res.stderr[-2000:]


def test_an_unknown_related_slug_suggests_the_nearest(written_copy, tmp_path):
    edit_page(written_copy, "related: [", "related: [ouput-size, ")
    res = mkdocs_build(written_copy, tmp_path / "site")
    assert res.returncode != 0
    assert ("related: 'ouput-size' is not a slug in catalogue/questions.yml (did you mean 'output-size'?)"
            in res.stderr), res.stderr[-2000:]


def test_a_failed_make_build_leaves_the_last_good_site(written_copy):
    res = make(written_copy, "build")
    assert res.returncode == 0, res.stderr[-2000:]
    index = written_copy / "site" / "index.html"
    good = index.read_bytes()
    edit_page(written_copy, f"# {UNWRITTEN.text}", "# Another title")
    res = make(written_copy, "build")
    assert res.returncode != 0 and f"docs/{UNWRITTEN.page}: the H1 must be" in res.stderr
    assert index.read_bytes() == good and (written_copy / "site" / UNWRITTEN.html).is_file()


# ---- the authoring path: JupyterLab, tidied by `make notebooks` --------------------------------------

@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*/*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_keeps_only_standard_metadata_a_kernelspec_and_cells_in_order(path):
    problems = notebook_standard.authoring_problems(stamps.load(path))
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def lab_saved_notebook() -> dict:
    """What JupyterLab (and a jupytext pairing) leave in a notebook: view state and a renamed kernel."""
    nb = new_question.notebook(UNWRITTEN)
    nb.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    nb.cells[1].metadata.update(scrolled=True, jupyter={"outputs_hidden": True})
    nb.cells[3].metadata["tags"] = []
    return json.loads(nbformat.writes(nb))


def test_stray_metadata_a_missing_kernelspec_and_cells_run_out_of_order_are_named():
    nb = lab_saved_notebook()
    del nb["metadata"]["kernelspec"]
    nb["cells"][1]["execution_count"], nb["cells"][2]["execution_count"] = 2, 1
    assert notebook_standard.authoring_problems(nb) == [
        "stray notebook metadata ['jupytext']: `make notebooks` removes it (keep only ['cnn_iq_stamp', "
        "'kernelspec', 'language_info'])",
        "no kernelspec naming the 'python3' kernel: `make notebooks` sets it",
        "cell 2 (code) has stray metadata ['jupyter', 'scrolled']: `make notebooks` removes it",
        "cell 4 (markdown) has stray metadata ['tags']: `make notebooks` removes it",
        "code cells ran out of order (execution counts [2, 1]): run the notebook top to bottom with "
        "`make notebooks`"]


def test_cells_in_the_wrong_order_are_named():
    nb = lab_saved_notebook()
    title, setup, example, try_next = nb["cells"]
    nb["cells"] = [example, setup, try_next, title]
    problems = notebook_standard.structure_problems(nb, UNWRITTEN.text)
    assert [p.split(" must ")[0] for p in problems] == ["the first cell", "the first code cell", "the last cell"]


def test_make_notebooks_tidies_what_the_editor_left_and_keeps_the_stamp_fresh(tmp_path):
    path = tmp_path / "lab.ipynb"
    nb = lab_saved_notebook()
    nb["metadata"][stamps.STAMP_KEY] = {"code_sha256": stamps.code_hash(nb)}
    path.write_text(json.dumps(nb))
    assert tidy_notebooks.main([str(path)]) == 0
    tidied = stamps.load(path)
    assert not notebook_standard.authoring_problems(tidied)
    assert tidied["metadata"]["kernelspec"] == notebook_standard.KERNELSPEC
    assert tidied["metadata"][stamps.STAMP_KEY]["code_sha256"] == stamps.code_hash(tidied)
    assert not tidy_notebooks.tidy_file(path), "a tidy notebook is not written again"


def test_authoring_tools_are_pinned_apart_from_the_notebook_stack():
    authoring = [line for line in (ROOT / "requirements-authoring.txt").read_text().splitlines()
                 if line and not line.startswith("#")]
    assert authoring and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", line) for line in authoring)
    notebooks = (ROOT / "requirements-notebooks.txt").read_text()
    assert not any(line.split("==")[0] in notebooks for line in authoring), \
        "requirements-notebooks.txt is hashed into every stamp: authoring tools stay out of it"
