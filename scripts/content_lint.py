"""The content standard's mechanical rules (CONTRIBUTING.md), checked on each question page, its notebook
and its search queries (`make audit`).

    python scripts/content_lint.py                 # every written question
    python scripts/content_lint.py easy/15 relu    # just these (<difficulty>/<n>, or a slug)

Every problem names the file and says what to do; the exit status is 1 when any page breaks a rule.
Values a notebook records that its page never uses are reported, not failed: a notebook may record a
value for the reader. The build checks the rest of the standard (front matter, H1, tied numbers, a
fresh stamp); a reviewer checks what no rule can (see CONTRIBUTING.md, "What checks what").
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import notebook_standard  # noqa: E402
import questions  # noqa: E402
import tied_numbers  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

import catalogue  # noqa: E402

PLACEHOLDER = "TODO"          # what `make new` starts every hint with; none may be left
SHORT_ANSWER_WORDS = (40, 120)
WORKED_ANSWER_WORDS = (400, 1500)
MIN_LIST_ITEMS = 2            # common mistakes, follow-up questions
MIN_ASSERTS = 3
MIN_QUERIES = 3
QUERIES = Path("tests") / "search_queries.yml"

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
NOT_PROSE = re.compile(r"^(```|~~~).*?^\1|\$\$.*?\$\$|<!--.*?-->|\{\{.*?\}\}", flags=re.S | re.M)
ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s+\S", flags=re.M)            # a top-level list item
BLOCK_ITEM = re.compile(r"^(?:\?\?\?|!!!|###)", flags=re.M)         # or an admonition or ### block each
TABLE_OR_FIGURE = re.compile(r"!\[|^\|.*\|\s*$|<img|<figure|<svg", flags=re.M)
YEAR = re.compile(r"\b(19|20)\d\d\b")
ASSERT = re.compile(r"^\s*assert\b", flags=re.M)


def page_key(q: catalogue.Question) -> str:
    """How tests/search_queries.yml names a question's page: <difficulty>/<NN>-<slug>."""
    return f"{q.difficulty}/{q.stem}"


class UnknownQuestion(Exception):
    """A question named on the command line that the catalogue does not have."""


@dataclass
class Report:
    """One question's problems (each naming its file and the fix) and its unused recorded values."""

    q: catalogue.Question
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return page_key(self.q)

    def message(self) -> str:
        head = f"{self.key}: {len(self.problems)} content rule(s) broken" if self.problems else f"{self.key}: ok"
        return "\n".join([head] + [f"  - {p}" for p in self.problems] + [f"  note: {n}" for n in self.notes])


def find_question(spec: str, qs: list[catalogue.Question]) -> catalogue.Question:
    """The question `spec` names: `medium/14`, `medium/14-<slug>` or a slug."""
    m = re.fullmatch(rf"({'|'.join(catalogue.DIFFICULTIES)})/(\d+)(?:-[a-z0-9-]+)?", spec.strip().strip("/"))
    if m:
        found = [q for q in qs if q.difficulty == m.group(1) and q.n == int(m.group(2))]
        if found:
            return found[0]
        count = sum(q.difficulty == m.group(1) for q in qs)
        raise UnknownQuestion(f"catalogue/questions.yml has no {spec}: {m.group(1)} runs 1-{count}; "
                              "`make coverage` lists the questions without a page")
    by_slug = catalogue.by_slug(qs)
    if spec in by_slug:
        return by_slug[spec]
    near = difflib.get_close_matches(spec, by_slug, n=1)
    hint = f" (did you mean {by_slug[near[0]].difficulty}/{by_slug[near[0]].n}, '{near[0]}'?)" if near else ""
    raise UnknownQuestion(f"catalogue/questions.yml has no question {spec!r}{hint}; name one as "
                          "<difficulty>/<n>, for example medium/14, or by its slug")


# ---- the page -------------------------------------------------------------------------------------

def body_of(page_text: str) -> str:
    return re.sub(r"\A---\n.*?\n---\n", "", page_text, count=1, flags=re.S)


def sections(body: str) -> dict[str, str]:
    """`## ` section title -> its text, ignoring headings inside code fences."""
    fenced = re.sub(r"^(```|~~~).*?^\1", lambda m: re.sub(r"[^\n]", " ", m.group(0)), body, flags=re.S | re.M)
    heads = list(re.finditer(r"^## (.+?)\s*$", fenced, flags=re.M))
    return {h.group(1): body[h.end():(heads[i + 1].start() if i + 1 < len(heads) else len(body))]
            for i, h in enumerate(heads)}


def words(markdown: str) -> int:
    """Words of prose: code blocks, display math, comments and tied numbers do not count."""
    return len(WORD.findall(NOT_PROSE.sub(" ", markdown)))


def list_items(markdown: str) -> int:
    return len(ITEM.findall(markdown)) or len(BLOCK_ITEM.findall(markdown))


def placeholder_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if PLACEHOLDER in line]


def page_problems(text: str, q: catalogue.Question) -> list[str]:
    where = f"docs/{q.page}"
    problems = [f"{where}: line(s) {lines} still hold a `make new` hint ({PLACEHOLDER}); replace each with "
                "the content it asks for"] if (lines := placeholder_lines(text)) else []
    body = body_of(text)
    try:
        questions.check_headings(body, q, where)
    except PluginError as e:
        return problems + [str(e)]
    parts = sections(body)
    problems += word_range(where, "## Short answer", parts["Short answer"], SHORT_ANSWER_WORDS,
                           "what a strong candidate says in 30 seconds")
    problems += word_range(where, "## Worked answer", parts["Worked answer"], WORKED_ANSWER_WORDS,
                           "intuition, mechanism, math and a worked example")
    if not TABLE_OR_FIGURE.search(parts["Worked answer"]):
        problems.append(f"{where}: ## Worked answer has no table or figure; add a table of the worked numbers "
                        "or a figure")
    for title, what in (("Common mistakes", "a wrong answer candidates give and why it is wrong"),
                        ("Follow-up questions", "a question an interviewer asks next, with a short answer")):
        n = list_items(parts[title])
        if n < MIN_LIST_ITEMS:
            problems.append(f"{where}: ## {title} has {n} list item(s), want at least {MIN_LIST_ITEMS}: "
                            f"add `- ` items, each {what}")
    problems += spelling_problems(where, "\n".join(t for title, t in parts.items() if title != "References"))
    if not YEAR.search(parts["References"]):
        problems.append(f"{where}: ## References lists no source with a year; add `- Authors (year). *Title*. "
                        "Venue.` for at least one primary source")
    return problems


def word_range(where: str, title: str, text: str, bounds: tuple[int, int], what: str) -> list[str]:
    n, (low, high) = words(text), bounds
    if low <= n <= high:
        return []
    fix = "cut it to" if n > high else "write"
    return [f"{where}: {title} has {n} words, want {low}-{high}: {fix} {low}-{high} words of {what}"]


# ---- spelling: the site writes American English --------------------------------------------------

_IZE_STEMS = ("normalis|standardis|optimis|initialis|generalis|regularis|summaris|visualis|minimis|maximis|"
              "recognis|organis|realis|characteris|emphasis|utilis|parameteris|vectoris|randomis|quantis|"
              "tokenis|serialis|customis|prioritis|specialis|stabilis|penalis|memoris|categoris|localis|"
              "equalis|digitis|synthesis|sanitis|materialis|discretis|binaris|linearis|whiten?is")
BRITISH = re.compile(
    rf"\b(?:(?:{_IZE_STEMS})(?:e|ed|es|er|ers|ing|ation|ations)|analys(?:e|ed|ing)|colou?r(?<=colour)\w*|"
    r"behaviour\w*|centre[sd]?|favour\w*|neighbour\w*|(?:label|model|travel|cancel|signal)l(?:ed|ing|er|ers)|"
    r"grey\w*|catalogue[sd]?|licence[sd]?|defence|programmes?|whilst|amongst|learnt|fibres?|metres?|"
    r"artefacts?|judgement)\b", flags=re.I)
_AMERICAN = ((r"is(e|ed|es|er|ers|ing)$", r"iz\1"), (r"isations?$", lambda m: m.group(0).replace("s", "z", 1)),
             (r"analys", "analyz"), (r"our", "or"), (r"centred", "centered"), (r"centre", "center"), (r"grey", "gray"),
             (r"(label|model|travel|cancel|signal)l", r"\1"), (r"catalogue", "catalog"), (r"licence", "license"),
             (r"defence", "defense"), (r"programme", "program"), (r"whilst", "while"), (r"amongst", "among"),
             (r"learnt", "learned"), (r"fibre", "fiber"), (r"metre", "meter"), (r"artefact", "artifact"),
             (r"judgement", "judgment"))
NOT_CHECKED = re.compile(r"`[^`\n]*`|\]\([^)]*\)|\$[^$\n]*\$|https?://\S+")   # inline code, link targets, math


def american(word: str) -> str:
    for british, us in _AMERICAN:
        if re.search(british, word, flags=re.I):
            us_word = re.sub(british, us, word.lower(), count=1)
            return us_word.capitalize() if word[0].isupper() else us_word
    return word


def british_words(text: str) -> list[str]:
    """British spellings in prose; code, math, link targets and references are other people's words."""
    prose = NOT_CHECKED.sub(" ", NOT_PROSE.sub(" ", text))
    return sorted({m.group(0) for m in BRITISH.finditer(prose)}, key=str.lower)


def spelling_problems(where: str, text: str) -> list[str]:
    found = british_words(text)
    return [f"{where}: British spelling {', '.join(found)}: write "
            f"{', '.join(american(w) for w in found)} (the site is in American English)"] if found else []


def notebook_prose(nb: dict) -> str:
    """Markdown cells and code comments: what a reader of the notebook reads as English."""
    parts = []
    for c in nb.get("cells") or []:
        text = notebook_standard.source(c)
        if c.get("cell_type") == "markdown":
            parts.append(text)
        elif c.get("cell_type") == "code":
            parts += [line.split("# ", 1)[1] for line in text.splitlines() if "# " in line]
    return "\n".join(parts)


# ---- the notebook ---------------------------------------------------------------------------------

def notebook_problems(nb: dict, q: catalogue.Question) -> list[str]:
    where = q.notebook
    problems = [f"{where}: {p}" for p in notebook_standard.structure_problems(nb, q.text)
                + notebook_standard.authoring_problems(nb)]
    cells = nb.get("cells") or []
    hinted = [n for n, c in enumerate(cells, start=1) if PLACEHOLDER in notebook_standard.source(c)]
    if hinted:
        problems.append(f"{where}: cell(s) {hinted} still hold a `make new` hint ({PLACEHOLDER}); replace each "
                        "with the content it asks for")
    problems += spelling_problems(where, notebook_prose(nb))
    code = notebook_standard.code_cells(nb)
    asserts = sum(len(ASSERT.findall(notebook_standard.source(c))) for c in code)
    if asserts < MIN_ASSERTS:
        problems.append(f"{where}: {asserts} assert(s), want at least {MIN_ASSERTS}: assert each claim the "
                        "page makes against an independent implementation")
    if not any(k.startswith("image/") for c in code for o in c.get("outputs", []) for k in o.get("data", {})):
        problems.append(f"{where}: no figure in its outputs; draw at least one (plt.show()) and run "
                        "`make notebooks`")
    return problems


def unused_records(page_text: str, nb: dict, q: catalogue.Question) -> list[str]:
    unused = sorted(set(tied_numbers.recorded_values(nb)) - tied_numbers.references(page_text))
    if not unused:
        return []
    return [f"{q.notebook} records {', '.join(unused)}, which docs/{q.page} never shows: tie it on the page "
            f"({{{{ {unused[0]} }}}}) or drop the record() if the reader does not need it"]


# ---- search queries -------------------------------------------------------------------------------

def load_queries(root: Path = ROOT) -> list[dict]:
    return yaml.safe_load((root / QUERIES).read_text(encoding="utf-8")) or []


def query_problems(q: catalogue.Question, queries: list[dict]) -> list[str]:
    key = page_key(q)
    n = sum(entry.get("page") == key for entry in queries)
    if n >= MIN_QUERIES:
        return []
    return [f"{QUERIES.as_posix()}: {n} search queries for {key}, want at least {MIN_QUERIES}: add lines "
            f"`- {{query: <a term the page explains>, page: {key}}}` (see CONTRIBUTING.md, Search)"]


def unknown_query_pages(queries: list[dict], qs: list[catalogue.Question]) -> list[str]:
    """Queries whose page is no catalogue question: a typo there would silently never be tested."""
    keys = {page_key(q) for q in qs}
    return [f"{QUERIES.as_posix()}: query {e.get('query')!r} names page {e.get('page')!r}, which is not "
            f"<difficulty>/<NN>-<slug> of a catalogue question" for e in queries if e.get("page") not in keys]


# ---- one question, all questions ------------------------------------------------------------------

def lint(q: catalogue.Question, root: Path = ROOT, queries: list[dict] | None = None) -> Report:
    report = Report(q)
    page = root / "docs" / q.page
    if not page.is_file():
        report.problems.append(f"docs/{q.page}: no page; `make new Q={q.difficulty}/{q.n}` writes one")
        return report
    text = page.read_text(encoding="utf-8")
    report.problems += page_problems(text, q)
    try:
        nb = json.loads((root / q.notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        report.problems.append(f"{q.notebook}: cannot read the notebook ({e}); `make new` writes one beside the "
                               "page")
    else:
        report.problems += notebook_problems(nb, q)
        report.notes += unused_records(text, nb, q)
    report.problems += query_problems(q, load_queries(root) if queries is None else queries)
    return report


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", nargs="*", help="<difficulty>/<n> or a slug; default: every written question")
    a = ap.parse_args(argv)
    qs = catalogue.load()
    try:
        chosen = [find_question(s, qs) for s in a.questions] or catalogue.written(qs, root / "docs")
    except UnknownQuestion as e:
        print(e, file=sys.stderr)
        return 2
    queries = load_queries(root)
    reports = [lint(q, root, queries) for q in chosen]
    stray = unknown_query_pages(queries, qs)
    for line in [r.message() for r in reports if r.problems or r.notes] + stray:
        print(line)
    failed = sum(bool(r.problems) for r in reports)
    print(f"content lint: {len(reports)} page(s), {len(reports) - failed} pass, {failed} fail"
          + (f"; {len(stray)} stray search queries" if stray else ""))
    return 1 if failed or stray else 0


if __name__ == "__main__":
    sys.exit(main())
