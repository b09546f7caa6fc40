"""Scaffold a catalogue question's page and notebook (`make new Q=medium/14`).

Writes docs/questions/<difficulty>/<NN>-<slug>.md (front matter with the catalogue's tags and suggested
related questions, the verbatim H1, every section with a one-line hint) and
notebooks/<difficulty>/<NN>-<slug>.ipynb (title, the standard setup cell, an example cell that records
and asserts a value and draws a figure, "Try next"). Every hint starts with TODO: the content lint
fails until each is replaced. Refuses a question that already has a page or a notebook.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import content_lint as lint  # noqa: E402
import nbformat  # noqa: E402
from notebook_standard import KERNELSPEC, SETUP_CELL  # noqa: E402
from questions import SECTIONS  # noqa: E402

import catalogue  # noqa: E402

SHORT, WORKED = ("{}-{}".format(*bounds) for bounds in (lint.SHORT_ANSWER_WORDS, lint.WORKED_ANSWER_WORDS))
ITEMS = lint.MIN_LIST_ITEMS
HINTS = {
    "Short answer": f"what a strong candidate says in 30 seconds, {SHORT} words, precise, no filler.",
    "Worked answer": f"{WORKED} words: intuition, mechanism, math ($...$), a worked numeric example and at least "
                     "one table or figure; name the trade-offs. Write each number the notebook computes as "
                     "{{ example_out }}.",
    "Run it yourself": "one sentence on what the notebook shows (the build puts the notebook under it).",
    "Common mistakes": f"at least {ITEMS} list items: a wrong answer candidates give, and why it is wrong.",
    "Follow-up questions": f"at least {ITEMS} list items: what an interviewer asks next, a short answer, and a "
                           "link to the question that covers it (by its catalogue slug, see CONTRIBUTING.md).",
    "References": "at least one primary source as a list item: authors (year). *Title*. Venue. A link where public.",
}
EXAMPLE_CELL = f'''\
# {lint.PLACEHOLDER}: replace this example with the page's own computation. Record each number the page states
# where it is computed (the page writes {{{{ example_out }}}}) and assert each claim against an independent
# implementation: here the output-size formula against PyTorch's own layer.
W, K, S, P = 32, 3, 2, 1
layer = torch.nn.Conv2d(3, 8, kernel_size=K, stride=S, padding=P).to(device)
out = record("example_out", layer(torch.randn(1, 3, W, W, device=device)).shape[-1])
assert out == (W + 2 * P - K) // S + 1, "the output-size formula disagrees with PyTorch"

widths = np.arange(8, 65)
fig, ax = plt.subplots()
ax.plot(widths, (widths + 2 * P - K) // S + 1)
ax.set(xlabel="input width W", ylabel="output width O", title=f"{{K}}x{{K}} convolution, stride {{S}}, padding {{P}}")
plt.show()
'''
RELATED = 3   # suggested; the page keeps 2-4


def related_suggestions(q: catalogue.Question, qs: list[catalogue.Question]) -> list[str]:
    """Questions sharing the most tags with `q` (written ones first), then its neighbours by number."""
    written = set(catalogue.written(qs))
    others = [o for o in qs if o != q]
    ranked = sorted(others, key=lambda o: (-len(set(o.tags) & set(q.tags)), o not in written,
                                           o.difficulty != q.difficulty, abs(o.n - q.n)))
    return [o.slug for o in ranked[:RELATED]]


def page_text(q: catalogue.Question, qs: list[catalogue.Question]) -> str:
    assert list(HINTS) == SECTIONS, "a hint for every section the build requires, in its order"
    front = (f"---\ndifficulty: {q.difficulty}\ntags: [{', '.join(q.tags)}]\n"
             f"related: [{', '.join(related_suggestions(q, qs))}]\n---\n")
    body = "".join(f"\n## {title}\n\n{lint.PLACEHOLDER}: {hint}\n" for title, hint in HINTS.items())
    return f"{front}\n# {q.text}\n{body}"


def notebook(q: catalogue.Question) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {q.text}\n\n{lint.PLACEHOLDER}: one line on what this notebook shows."),
        nbformat.v4.new_code_cell(SETUP_CELL),
        nbformat.v4.new_code_cell(EXAMPLE_CELL),
        nbformat.v4.new_markdown_cell(f"## Try next\n\n{lint.PLACEHOLDER}: 2-3 changes the reader can make, as a list; "
                                      "if one is the control that isolates the mechanism, run it above."),
    ]
    return nb


def scaffold(q: catalogue.Question, qs: list[catalogue.Question], root: Path = ROOT) -> list[Path]:
    """Write the page and the notebook; refuse (FileExistsError) if either is there already."""
    page, nb_path = root / "docs" / q.page, root / q.notebook
    for path in (page, nb_path):
        if path.exists():
            raise FileExistsError(f"{path.relative_to(root)} already exists: edit it (`make lab`), or pick a "
                                  "question without a page (`make coverage`)")
    page.parent.mkdir(parents=True, exist_ok=True)
    nb_path.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(page_text(q, qs), encoding="utf-8")
    nbformat.write(notebook(q), nb_path)
    return [page, nb_path]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not args[0].strip():
        print("usage: make new Q=<difficulty>/<n>, for example make new Q=medium/14 (`make coverage` lists "
              "the questions without a page)", file=sys.stderr)
        return 2
    qs = catalogue.load()
    try:
        q = lint.find_question(args[0], qs)
        written = scaffold(q, qs)
    except (lint.UnknownQuestion, FileExistsError) as e:
        print(e, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    key = f"{q.difficulty}/{q.n}"
    print(f"""
next (CONTRIBUTING.md, "Add a question, step by step"):
  1. make lab        write the notebook, then the page: replace every {lint.PLACEHOLDER}
  2. make notebooks NB={q.notebook}
  3. add 3 search queries for {lint.page_key(q)} to tests/search_queries.yml
  4. make check Q={key}
  5. make test""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
