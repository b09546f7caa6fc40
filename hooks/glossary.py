"""MkDocs hook: the field's acronyms, from one file, wherever a reader meets them.

catalogue/abbreviations.md is the glossary, in the Markdown `abbr` syntax Material documents:
`*[BN]: Batch normalization — what it is, in one line.` pymdownx.snippets appends it to every page,
so each BN on a page becomes an <abbr> whose title is the expansion and definition. This hook adds what
that convention lacks:
- the same <abbr> in the notebooks' Markdown cells (nbconvert's Markdown has no abbr extension);
- keyboard access: the first <abbr> of each term on a page is focusable and shows its definition on
  focus (site.css), without making every repeat a tab stop;
- the Glossary page (docs/glossary.md), a table of every term with the questions that use it;
- search that understands both forms: when a page writes a term in one form only, its search-index
  entries get the other form in a `synonyms` field, so "TTA" finds the sections that say "test-time
  augmentation", and "rectified linear unit" the page that only says ReLU. Nothing visible is added.
tests/test_glossary.py fails when a page uses an acronym the glossary lacks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import catalogue

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "catalogue" / "abbreviations.md"
GLOSSARY_PAGE = "glossary.md"
PLACEHOLDER = "<!-- glossary table -->"
LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]: (?P<expansion>\S.*?) — (?P<definition>\S.*)$")
SKIP_PARENTS = {"code", "pre", "a", "abbr", "script", "style"}
ABBR = re.compile(r'<abbr (?P<title>title="[^"]*")>(?P<term>[^<]*)</abbr>')


@dataclass(frozen=True)
class Term:
    term: str
    expansion: str
    definition: str

    @cached_property
    def plain(self) -> str:
        """The expansion as prose writes it, without a parenthesized aside: "Kaiming (He) initialization"
        is written "Kaiming initialization"."""
        return re.sub(r"\s*\([^)]*\)", "", self.expansion)

    @cached_property
    def acronym(self) -> re.Pattern:
        return re.compile(rf"(?<![\w-]){re.escape(self.term)}s?(?![\w-])")   # CNN and CNNs

    @cached_property
    def spelled_out(self) -> re.Pattern:
        return re.compile(rf"(?<![\w-]){re.escape(self.plain)}(?![\w-])", flags=re.I)


def load(path: Path = GLOSSARY) -> list[Term]:
    """Every glossary line, in file order; a line that is not `*[TERM]: Expansion — definition.` fails."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PluginError(f"{where}: cannot read the glossary ({e}); it must be a UTF-8 text file") from None
    terms, seen = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            raise PluginError(f"{where}:{n}: write each entry as `*[TERM]: Expansion — one-line definition.` "
                              f"(an em dash between expansion and definition); got {line[:60]!r}")
        if m["term"] in seen:
            raise PluginError(f"{where}:{n}: {m['term']} is defined twice; keep one line")
        seen.add(m["term"])
        terms.append(Term(m["term"], m["expansion"], m["definition"]))
    return terms


def headwords(terms: list[Term]) -> list[Term]:
    """The terms the Glossary page lists: a plural such as CNNs is there only for the hover."""
    names = {t.term for t in terms}
    return sorted((t for t in terms if not (t.term.endswith("s") and t.term[:-1] in names)),
                  key=lambda t: t.term.lower())


def pages_using(term: Term, pages: dict[str, str], lowered: dict[str, str]) -> list[str]:
    """The question pages that use a term (acronym or spelled out), most uses first."""
    counts = {src: len(term.acronym.findall(text)) + len(term.spelled_out.findall(text))
              for src, text in pages.items() if any(uses(term, text, lowered[src]))}
    return sorted((src for src, n in counts.items() if n), key=lambda src: (-counts[src], src))


def glossary_table(terms: list[Term], pages: dict[str, str], titles: dict[str, tuple[str, str]]) -> str:
    rows = ["| Term | Stands for | Meaning | Questions that use it |", "| --- | --- | --- | --- |"]
    lowered = {src: text.lower() for src, text in pages.items()}
    for t in headwords(terms):
        used = pages_using(t, pages, lowered)
        links = ", ".join(f'[{titles[src][0]}]({src} "{titles[src][1]}")' for src in used[:4])
        links += f" and {len(used) - 4} more" if len(used) > 4 else ""
        meaning = t.definition[:1].upper() + t.definition[1:]
        rows.append(f"| **{t.term}** | {t.expansion} | {meaning} | {links or '—'} |")
    return "\n".join(rows)


_terms: list[Term] = []


def on_config(config):
    _terms[:] = load()
    return config


@cache
def any_term(path: Path = GLOSSARY) -> tuple[dict[str, Term], re.Pattern]:
    """Each term by name, and one pattern matching any of them (longest first: CNNs before CNN)."""
    by_term = {t.term: t for t in load(path)}
    return by_term, re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(t) for t in sorted(by_term, key=len, reverse=True)) + r")(?![\w-])")


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != GLOSSARY_PAGE:
        return markdown
    if PLACEHOLDER not in markdown:
        raise PluginError(f"docs/{GLOSSARY_PAGE}: keep the line {PLACEHOLDER}; the table of terms replaces it")
    written = {q.page: q for q in catalogue.load() if (ROOT / "docs" / q.page).is_file()}
    pages = {src.removeprefix("docs/"): (ROOT / src).read_text(encoding="utf-8") for src in
             (f"docs/{p}" for p in written)}
    titles = {src: (f"{q.difficulty} {q.n}", q.text.replace('"', "'")) for src, q in written.items()}
    return markdown.replace(PLACEHOLDER, glossary_table(_terms, pages, titles))


def abbreviate_notebook_markdown(soup: BeautifulSoup) -> None:
    """The <abbr> the page's Markdown gets, in the notebook's Markdown cells too (not in code or math).
    hooks/notebook_convert.py calls it once per conversion, so a cached notebook costs nothing here."""
    by_term, pattern = any_term()
    for cell in soup.select(".jp-MarkdownOutput"):
        for text in list(cell.find_all(string=pattern)):
            if text.find_parent(SKIP_PARENTS) or text.find_parent(class_="arithmatex"):
                continue
            pieces = pattern.split(str(text))
            new = []
            for i, piece in enumerate(pieces):
                if i % 2:
                    t = by_term[piece]
                    abbr = soup.new_tag("abbr", title=f"{t.expansion} — {t.definition}")
                    abbr.string = piece
                    new.append(abbr)
                elif piece:
                    new.append(NavigableString(piece))
            text.replace_with(*new)


def focus_first_of_each_term(html_: str) -> str:
    """One tab stop per term and page, not one per use. Every <abbr> here is written by Python-Markdown's
    abbr extension or by abbreviate_notebook_markdown, both as `<abbr title="...">TERM</abbr>`."""
    seen = set()

    def first_only(m: re.Match) -> str:
        if m["term"] in seen:
            return m[0]
        seen.add(m["term"])
        return f'<abbr {m["title"]} tabindex="0">{m["term"]}</abbr>'

    return ABBR.sub(first_only, html_)


def on_page_content(html_, page, config, files):
    if page.file.src_uri == GLOSSARY_PAGE:   # there the definitions are on the page already
        return html_
    return focus_first_of_each_term(html_)


def synonyms(docs: list[dict], terms: list[Term]) -> dict[int, list[str]]:
    """The other form of each term a page writes in one form only, by index-entry number (the entries of
    one page, in order). "TTA" goes to every section that says "test-time augmentation" on a page that
    never says TTA: an acronym matches nothing else. An expansion goes to the first section that uses the
    acronym only: in every such section, "rectified linear unit" outweighed a page's own text for
    queries such as "unit variance"."""
    page = " ".join(d["text"] for d in docs)
    lower = page.lower()
    extra: dict[int, list[str]] = {}
    for t in terms:
        if t.plain == t.term:   # a name that is its own expansion (ImageNet) needs no synonym
            continue
        has_acronym, spells_out = uses(t, page, lower)
        if has_acronym and not spells_out:
            first = next((i for i, d in enumerate(docs) if t.acronym.search(d["text"])), None)
            if first is not None:
                extra.setdefault(first, []).append(t.plain)
        if spells_out and not has_acronym:
            for i, d in enumerate(docs):
                if t.spelled_out.search(d["text"]):
                    extra.setdefault(i, []).append(t.term)
    return extra


def uses(term: Term, text: str, lower: str) -> tuple[bool, bool]:
    """Whether a text writes the acronym, and the expansion; a substring test first, as most terms are absent
    from most pages and the patterns' look-arounds make a failed search slow."""
    return (term.term in text and bool(term.acronym.search(text)),
            term.plain.lower() in lower and bool(term.spelled_out.search(text)))


@event_priority(-60)  # after the search plugin wrote the index (and questions.py's boosts), before offline (-100)
def on_post_build(config):
    """Synonyms go in a field of their own (`synonyms` in mkdocs.yml's search fields, weighted below the text):
    searched, never shown in a result's preview, and the text field's scores are unchanged."""
    index = Path(config.site_dir) / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    pages: dict[str, list[dict]] = {}
    for doc in data["docs"]:
        pages.setdefault(doc["location"].partition("#")[0], []).append(doc)
    terms = headwords(_terms)
    for docs in pages.values():
        for i, words in synonyms(docs, terms).items():
            docs[i]["synonyms"] = " ".join(words)
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
