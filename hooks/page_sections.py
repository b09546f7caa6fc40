"""A question page's sections, read from its Markdown with the tied numbers filled in from its notebook.

The cheat sheet (hooks/questions.py) and the interviewer's kit (hooks/interviewer_kit.py) show sections
of the question pages on pages of their own; both read them here, so they show what the page says.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import tied_numbers
from mkdocs.exceptions import PluginError

import catalogue


def page_link(page, target: catalogue.Question) -> str:
    """The relative link from `page` to the question's page (a .md path: MkDocs rewrites it)."""
    return posixpath.relpath(target.page, posixpath.dirname(page.file.src_uri))


def section(q: catalogue.Question, docs_dir: str, heading: str) -> str:
    """The Markdown under `## heading` on the question's page, up to the next `## ` heading."""
    text = (Path(docs_dir) / q.page).read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return m.group(1).strip() if m else ""


def tied_section(q: catalogue.Question, docs_dir: str, heading: str, page) -> str:
    """The section with its tied numbers filled in from the question's own notebook; they link to the
    cell on the question's page."""
    href = posixpath.splitext(page_link(page, q))[0] + ".html"
    try:
        return tied_numbers.resolve(section(q, docs_dir, heading), tied_numbers.load_values(q), href)[0]
    except tied_numbers.TiedNumberError as e:
        raise PluginError(f"docs/{q.page}: {e}") from e
