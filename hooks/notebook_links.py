"""Links in a notebook's Markdown cells, which the reader meets both on the page and on Colab.

- `[label](q:slug)` becomes a link to that question's page once it is written, plain text before, as on
  pages (hooks/questions.py); an unknown slug fails the build, naming the notebook.
- A relative path (`../hard/03-x.html`, `figure.png`) breaks on Colab and used to vanish silently in the
  sanitizer (hooks/sanitize.py keeps only web, mail, anchor and `q:` links): the build fails instead,
  naming the notebook, the cell and the link. Other schemes (`javascript:`, `data:`) are hostile input,
  which the sanitizer removes without a word, as it removes scripts.
"""
from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError
from sanitize import LINK_SCHEMES  # the links the sanitizer keeps

import catalogue

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")   # javascript:, data:, ... are removed by the sanitizer
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
HTML_LINK = re.compile(r"""href\s*=\s*["']([^"']*)["']""")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)   # code spans are not links: `net[1](h)`
RESOLVED_LINK = re.compile(r'<a href="q:([^"]*)"([^>]*)>(.*?)</a>', re.S)


def problems(nb: dict, where: str) -> list[str]:
    """Each link in a Markdown cell the site cannot keep, with the cell's number."""
    found = []
    for n, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        text = CODE.sub("", "".join(cell.get("source", [])))
        for target in MARKDOWN_LINK.findall(text) + HTML_LINK.findall(text):
            if not target.startswith(LINK_SCHEMES) and not SCHEME.match(target):   # active URLs: hooks/sanitize.py
                found.append(f"{where}: Markdown cell {n} links to '{target}', which breaks on Colab and is "
                             "dropped from the page; link a question as (q:slug), anything else by its full "
                             "https:// address")
    return found


def resolve(html: str, page, files, questions: list[catalogue.Question], where: str) -> str:
    """The notebook's `q:slug` links as relative links to written pages, plain text for unwritten ones."""
    slugs = catalogue.by_slug(questions)

    def replace(m):
        slug, attributes, label = m.groups()
        if slug not in slugs:
            raise PluginError(f"{where}: link '(q:{slug})' names no question; use a slug from "
                              "catalogue/questions.yml")
        target = slugs[slug]
        if files.get_file_from_path(target.page) is None:
            return label
        url = posixpath.relpath(target.page.removesuffix(".md") + ".html", posixpath.dirname(page.url) or ".")
        return f'<a href="{url}"{attributes}>{label}</a>'

    return RESOLVED_LINK.sub(replace, html)
