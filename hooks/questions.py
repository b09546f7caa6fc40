"""MkDocs hook: question pages follow the catalogue, and the pages built from all of them.

- The nav and the home page (with its topic map) list the questions that have pages, by difficulty.
- Pages and notebooks mirror each other by name; a page or notebook outside the catalogue, a page
  without its notebook and a notebook without its page each fail the build, naming the file.
- A page's front matter, H1 and section headings are checked against the catalogue and the content
  standard (CONTRIBUTING.md).
- `[label](q:slug)` links (on any page) and `related:` entries ("Next questions") become links to written
  pages and plain text for questions not written yet; an unknown slug fails the build, suggesting the nearest.
- The cheat sheet gathers every page's short answer (tied numbers filled in). The deck of practice mode
  and the mock interview (each question's short answer and follow-ups) is read off the interviewer's kit
  (hooks/interviewer_kit.py), which gathers the same sections.
- In the search index, each question's title section and short answer weigh more.
"""
from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import page_sections
import yaml
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import catalogue

SECTIONS = ["Short answer", "Worked answer", "Run it yourself", "Common mistakes",
            "Follow-up questions", "References"]
FRONT_MATTER_KEYS = {"difficulty", "tags", "related"}
QUESTION_LINK = re.compile(r"\[([^\]]+)\]\(q:([^)\s]*)\)")
HOME_MARKER = "<!-- question-index -->"
CHEAT_SHEET = "cheat-sheet.md"
CHEAT_MARKER = "<!-- cheat-sheet -->"
PRACTICE_DATA = "assets/practice-data.js"
KIT_PAGE = "interviewer-kit.md"   # its cards (hooks/interviewer_kit.py) become the practice deck
# Section anchor -> document boost in the search index. At 37 pages a boost of 4 let every title with
# "convolution" bury the specific term of a query ("Winograd convolution"): 22 of 218 topic queries missed
# the top three; at 2, under 10% miss (tests/test_search.py).
SEARCH_BOOST = {"": 2.0, "short-answer": 2.0}

_questions: list[catalogue.Question] = []
_written: dict[str, catalogue.Question] = {}   # page path (docs-relative) -> question, pages on disk
_cards: list[dict] = []                         # practice and mock-interview cards, read off the built kit


def on_config(config):
    global _questions
    allowed = {tag.name for tag in config.plugins["material/tags"].config.tags_allowed or ()}
    try:
        _questions = catalogue.load(allowed_tags=allowed)
    except catalogue.CatalogueError as e:
        raise PluginError(str(e)) from e
    _written.clear()
    _written.update(catalogue.by_page(catalogue.written(_questions, config.docs_dir)))
    nav = [{"Home": "index.md"}, {"Topics": "topics.md"}, {"Practice": "practice.md"},
           {"Mock interview": "mock-interview.md"}, {"Arithmetic drills": "drills.md"}, {"Cheat sheet": CHEAT_SHEET},
           {"Interviewer's kit": "interviewer-kit.md"}, {"Glossary": "glossary.md"}]
    for difficulty in catalogue.DIFFICULTIES:
        pages = [{q.text: q.page} for q in _questions if q.difficulty == difficulty and q.page in _written]
        if pages:
            nav.append({difficulty.capitalize(): pages})
    config.nav = nav
    return config


def on_files(files, config):
    known_pages = catalogue.by_page(_questions)
    root = Path(config.config_file_path).parent
    problems = []
    for f in files.documentation_pages():
        if f.src_uri.startswith("questions/") and f.src_uri not in known_pages:
            problems.append(f"docs/{f.src_uri}: not a catalogue question; name a page "
                            "questions/<difficulty>/<NN>-<slug>.md after an entry of catalogue/questions.yml")
    for q in _written.values():
        if not (root / q.notebook).is_file():
            problems.append(f"docs/{q.page}: page has no notebook; add {q.notebook} (same name as the page)")
    # Checked before any page is built: the kit and the cheat sheet copy sections of these pages, and a broken
    # link there must name the page it was written in.
    slugs = catalogue.by_slug(_questions)
    for q in _written.values():
        text = (Path(config.docs_dir) / q.page).read_text(encoding="utf-8")
        problems += [unknown_question_link(slug, slugs, f"docs/{q.page}")
                     for _, slug in QUESTION_LINK.findall(text) if slug not in slugs]
    by_notebook = {q.notebook: q for q in _questions}
    for nb in sorted((root / "notebooks").glob("*/*.ipynb")):
        rel = nb.relative_to(root).as_posix()
        q = by_notebook.get(rel)
        if q is None:
            problems.append(f"{rel}: not a catalogue question; name it after an entry of catalogue/questions.yml")
        elif q.page not in _written:
            problems.append(f"{rel}: notebook has no page; add docs/{q.page} (same name as the notebook)")
    if problems:
        raise PluginError("\n".join(problems))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "index.md":
        return markdown.replace(HOME_MARKER, home_index(page) + "\n" + topic_map(page))
    if page.file.src_uri == CHEAT_SHEET:
        return resolve_question_links(markdown.replace(CHEAT_MARKER, cheat_sheet(page)), page)
    q = _written.get(page.file.src_uri)
    if q is None:   # a page other than a question's (the arithmetic drills link the pages that own each formula)
        return resolve_question_links(markdown, page)
    where = f"docs/{q.page}"
    check_front_matter(Path(page.file.abs_src_path), q, where)
    check_headings(markdown, q, where)
    markdown = resolve_question_links(markdown, page)
    markdown = add_question_meta(markdown, q)
    return markdown + "\n\n" + next_questions(page, q)


def on_page_content(html, page, config, files):
    if page.file.src_uri == KIT_PAGE:
        _cards[:] = practice_cards(html)
    return html


@event_priority(-50)  # after the search plugin writes its index, before the offline plugin inlines it (-100)
def on_post_build(config):
    """The deck of practice mode and the mock interview, as a script (a page opened from file:// may not
    fetch JSON); search boosts."""
    out = Path(config.site_dir) / PRACTICE_DATA
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("window.PRACTICE_CARDS = " + json.dumps(_cards, ensure_ascii=False) + ";\n", encoding="utf-8")
    boost_search_index(Path(config.site_dir) / "search" / "search_index.json")


def boost_search_index(index: Path) -> None:
    """Weight each question's title and short answer above the rest of its page: the 30-second answer
    names the page's topic; worked answers mention every neighbouring topic in passing."""
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    pages = {q.html for q in _written.values()}
    for entry in data["docs"]:
        page, _, anchor = entry["location"].partition("#")
        if page in pages and anchor in SEARCH_BOOST:
            entry["boost"] = SEARCH_BOOST[anchor]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def check_front_matter(path: Path, q: catalogue.Question, where: str) -> None:
    """MkDocs silently ignores front matter it cannot parse, so read it here and say what is wrong."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", text, flags=re.S)
    if not m:
        raise PluginError(f"{where}: no front matter; start the page with a '---' block holding "
                          "difficulty, tags and related (see CONTRIBUTING.md)")
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as e:
        raise PluginError(f"{where}: front matter is not valid YAML: {e}") from e
    if not isinstance(meta, dict):
        raise PluginError(f"{where}: front matter must be a mapping of difficulty, tags and related")
    problems = []
    if set(meta) != FRONT_MATTER_KEYS:
        problems.append(f"front matter keys are {sorted(meta)}, want exactly {sorted(FRONT_MATTER_KEYS)}")
    if meta.get("difficulty") != q.difficulty:
        problems.append(f"difficulty is {meta.get('difficulty')!r}, want {q.difficulty!r} (its folder)")
    problems += tag_problems(meta.get("tags"), q)
    related = meta.get("related")
    slugs = catalogue.by_slug(_questions)
    if not isinstance(related, list) or not 2 <= len(related) <= 4:
        problems.append(f"related must list 2-4 question slugs, got {related!r}")
    else:
        problems += [f"related: {r!r} is not a slug in catalogue/questions.yml{did_you_mean(r, slugs)}"
                     for r in related if r not in slugs]
        if q.slug in related:
            problems.append("related: a question cannot be related to itself")
    if problems:
        raise PluginError(f"{where}: " + "; ".join(problems))


def tag_problems(tags, q: catalogue.Question) -> list[str]:
    """The page's tags must be the catalogue's, in its order (the order the page shows them in)."""
    have, want = (tags if isinstance(tags, list) else []), list(q.tags)
    if have == want:
        return []
    if sorted(map(str, have)) == sorted(want):
        return [f"tags are {tags!r}: the catalogue's tags in another order; write them in the catalogue's "
                f"order, tags: [{', '.join(want)}]"]
    fixes = [f"add {t!r}" for t in want if t not in have] + [f"remove {t!r}" for t in have if t not in want]
    return [f"tags are {tags!r}, want the catalogue's {want!r} ({', '.join(fixes)}); copy them from "
            "catalogue/questions.yml"]


def did_you_mean(slug: str, slugs) -> str:
    near = difflib.get_close_matches(slug, list(slugs), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def check_headings(markdown: str, q: catalogue.Question, where: str) -> None:
    body = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    h1 = re.findall(r"^# (.+?)\s*$", body, flags=re.M)
    if len(h1) != 1 or normalise(h1[0]) != normalise(q.text):
        raise PluginError(f"{where}: the H1 must be the catalogue's question verbatim: '# {q.text}' "
                          f"(found {h1!r})")
    found = [s for s in re.findall(r"^## (.+?)\s*$", body, flags=re.M)]
    if found != SECTIONS:
        raise PluginError(f"{where}: sections are {found}, want exactly {SECTIONS} in this order")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def unknown_question_link(slug: str, slugs, where: str) -> str:
    return (f"{where}: link '(q:{slug})' names no question{did_you_mean(slug, slugs)}; "
            "use a slug from catalogue/questions.yml")


def resolve_question_links(markdown: str, page) -> str:
    slugs = catalogue.by_slug(_questions)

    def replace(m):
        label, slug = m.groups()
        if slug not in slugs:
            raise PluginError(unknown_question_link(slug, slugs, f"docs/{page.file.src_uri}"))
        target = slugs[slug]
        return f"[{label}]({page_sections.page_link(page, target)})" if target.page in _written else label

    return QUESTION_LINK.sub(replace, markdown)


def add_question_meta(markdown: str, q: catalogue.Question) -> str:
    """Difficulty and position under the H1, on every question page."""
    total = sum(1 for other in _questions if other.difficulty == q.difficulty)
    line = (f'<p class="question-meta"><span class="question-meta__level question-meta__level--{q.difficulty}">'
            f"{q.difficulty.capitalize()}</span> question {q.n} of {total}</p>")
    return re.sub(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + line, markdown, count=1, flags=re.M)


def next_questions(page, q: catalogue.Question) -> str:
    meta_related = page.meta.get("related") or []
    slugs = catalogue.by_slug(_questions)
    lines = ["## Next questions { data-search-exclude }", ""]  # other pages' titles: noise in search
    for slug in meta_related:
        target = slugs[slug]
        label = f"{target.text} ({target.difficulty})"
        if target.page in _written:
            lines.append(f"- [{label}]({page_sections.page_link(page, target)})")
        else:
            lines.append(f"- {label} *(not written yet)*")
    return "\n".join(lines) + "\n"


def home_index(page) -> str:
    parts = []
    for difficulty in catalogue.DIFFICULTIES:
        qs = [q for q in _questions if q.difficulty == difficulty]
        written = [q for q in qs if q.page in _written]
        parts.append(f"## {difficulty.capitalize()} ({len(written)} of {len(qs)} written)\n")
        if not written:
            parts.append("Coming soon.\n")
        for q in written:
            parts.append(f"- **{q.n}.** [{q.text}]({page_sections.page_link(page, q)})")
        parts.append("")
    return "\n".join(parts)


def topic_map(page) -> str:
    """Each topic with its written questions by difficulty, as a table linking to the pages."""
    tags = sorted({t for q in _written.values() for t in q.tags})
    rows = ["## Topic map", "", "| Topic | Easy | Medium | Hard |", "| --- | --- | --- | --- |"]
    for tag in tags:
        cells = []
        for difficulty in catalogue.DIFFICULTIES:
            qs = [q for q in _questions if q.difficulty == difficulty and tag in q.tags and q.page in _written]
            cells.append(" ".join(f'[{q.n}]({page_sections.page_link(page, q)} "{q.text}")' for q in qs))
        rows.append(f"| {tag} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def cheat_sheet(page) -> str:
    """Every written question's short answer, grouped by difficulty; the pages stay the source."""
    docs_dir = str(Path(page.file.abs_src_path).parent)
    parts = []
    for difficulty in catalogue.DIFFICULTIES:
        written = [q for q in _questions if q.difficulty == difficulty and q.page in _written]
        if not written:
            continue
        parts.append(f"## {difficulty.capitalize()}\n")
        for q in written:
            parts.append(f'<div class="cheat-card" markdown data-slug="{q.slug}" data-difficulty="{difficulty}" '
                         f'data-n="{q.n}" data-tags="{"|".join(q.tags)}">\n\n'
                         f'### {q.n}. [{q.text}]({page_sections.page_link(page, q)}) {{ #{q.slug} }}\n\n'
                         f"{page_sections.tied_section(q, docs_dir, 'Short answer', page)}\n\n</div>\n")
    return "\n".join(parts)


def practice_cards(html: str) -> list[dict]:
    """Each kit card's question, short answer and follow-ups (its first and last parts, without their labels)."""
    cards = []
    for card in BeautifulSoup(html, "html.parser").select("div.kit-card"):
        link = card.find("h3").find("a", href=True)
        parts = card.select("div.kit-card__part")
        for part in parts:
            part.find("p").decompose()   # the part's label
        cards.append({"slug": card["data-slug"], "difficulty": card["data-difficulty"], "n": int(card["data-n"]),
                      "tags": card["data-tags"].split("|"), "question": link.get_text(), "url": link["href"],
                      "answer": parts[0].decode_contents().strip(), "followups": parts[-1].decode_contents().strip()})
    return cards
