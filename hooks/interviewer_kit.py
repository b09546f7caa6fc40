"""MkDocs hook: the interviewer's kit, one printable page built from the question pages.

Per written question: the question, what a strong answer includes (its short answer), the red flags
(its common mistakes) and the follow-ups, read from the page at build time with the tied numbers
filled in, so the kit never drifts from the pages. overrides/assets/javascripts/interviewer-kit.js lets
the interviewer choose questions by topic and difficulty and print only those. Listed before
hooks/questions.py in mkdocs.yml, which then resolves the kit's `q:` links like any page's.
"""
from __future__ import annotations

import html
from pathlib import Path

import page_sections
from mkdocs.exceptions import PluginError

import catalogue

KIT_PAGE = "interviewer-kit.md"
KIT_MARKER = "<!-- interviewer-kit -->"
PARTS = [("Short answer", "A strong answer includes"), ("Common mistakes", "Red flags"),
         ("Follow-up questions", "Follow-ups")]

_written: list[catalogue.Question] = []


def on_config(config):
    try:
        _written[:] = catalogue.written(catalogue.load(), config.docs_dir)
    except catalogue.CatalogueError as e:
        raise PluginError(str(e)) from e
    return config


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != KIT_PAGE:
        return markdown
    return markdown.replace(KIT_MARKER, kit(page, str(Path(page.file.abs_src_path).parent)))


def kit(page, docs_dir: str) -> str:
    cards = []
    for difficulty in catalogue.DIFFICULTIES:
        for q in (q for q in _written if q.difficulty == difficulty):
            parts = [f'<div class="kit-card__part" markdown>\n\n**{label}**\n\n'
                     f"{page_sections.tied_section(q, docs_dir, heading, page)}\n\n</div>" for heading, label in PARTS]
            tags = html.escape("|".join(q.tags))
            cards.append(f'<div class="kit-card" markdown data-slug="{q.slug}" data-difficulty="{difficulty}" '
                         f'data-n="{q.n}" data-tags="{tags}">\n\n'
                         f'### {difficulty.capitalize()} {q.n}. [{q.text}]({page_sections.page_link(page, q)}) '
                         f'{{ #kit-{q.slug} }}\n\n<p class="kit-card__tags">{html.escape(", ".join(q.tags))}</p>\n\n'
                         + "\n\n".join(parts) + "\n\n</div>\n")
    return "\n".join(cards)
