"""MkDocs hook: numbers on a page are tied to the notebook that computes them.

In the notebook, `record("alexnet_out", out)` (defined in the standard setup cell) emits an output of
MIME type `application/vnd.cnn-iq.record+json`. On the page, `{{ alexnet_out }}` or
`{{ top1:.1% }}` (a Python format spec) is replaced by that value, formatted, as an element carrying
`data-value="alexnet_out"` that links to the notebook cell which computed it. In math (`$...$`) the
plain number is inserted. `{{ cited 76.1% }}` marks a number quoted from the literature (next to its
citation); it carries `data-cite`. In code the braces are left alone.

A name the notebook did not record, a malformed reference, a bad format spec, or a number format on a
value that is not a number fails the build, naming the page and what to do.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from notebook_standard import RECORD_MIME, code_cells

import catalogue

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[a-z][a-z0-9_]*"
REFERENCE = re.compile(r"\{\{(.*?)\}\}", flags=re.S)
TIED = re.compile(rf"^\s*({NAME})\s*(?::(.*?))?\s*$", flags=re.S)
CITED = re.compile(r"^\s*cited\s+(\S(?:.*\S)?)\s*$", flags=re.S)
# Regions of Markdown where references are not prose: fenced code, inline code, display and inline math.
PROTECTED = re.compile(r"(?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)"
                       r"|(?P<math>\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$)", flags=re.S | re.M)


class TiedNumberError(Exception):
    """A reference on a page that the notebook cannot satisfy."""


class Recorded:
    """One recorded value and the code cell (its execution count) that recorded it."""

    def __init__(self, value, cell: int):
        self.value, self.cell = value, cell


def recorded_values(nb: dict) -> dict[str, Recorded]:
    """Every value the executed notebook recorded, by name (a later record of a name wins)."""
    values = {}
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get(RECORD_MIME)
            if isinstance(data, str):
                data = json.loads(data)
            if isinstance(data, dict) and "name" in data:
                values[data["name"]] = Recorded(data.get("value"), cell.get("execution_count") or 0)
    return values


def load_values(q: catalogue.Question, root: Path = ROOT) -> dict[str, Recorded]:
    path = root / q.notebook
    try:
        return recorded_values(json.loads(path.read_bytes()))
    except (OSError, ValueError) as e:
        raise TiedNumberError(f"{q.notebook}: cannot read the notebook's recorded values: {e}") from e


def format_value(value, spec: str | None, name: str) -> str:
    """The value as the page shows it; raises TiedNumberError saying what is wrong and what to write."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if spec:
        if not is_number:
            raise TiedNumberError(f"'{{{{ {name}:{spec} }}}}' formats a number, but the notebook recorded "
                                  f"{value!r}; drop the format or record a number")
        try:
            return format(value, spec)
        except ValueError as e:
            raise TiedNumberError(f"'{{{{ {name}:{spec} }}}}' has a malformed format ({e}); use a Python "
                                  "format spec such as .3f, .1%, , or ,.0f") from e
    if isinstance(value, float):
        raise TiedNumberError(f"'{{{{ {name} }}}}' is the float {value!r}: give it a format, for example "
                              f"{{{{ {name}:.3f }}}} or {{{{ {name}:.1% }}}}")
    if is_number or isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return "(" + ", ".join(str(v) for v in value) + ")"
    raise TiedNumberError(f"'{{{{ {name} }}}}': the notebook recorded {value!r}, which the page cannot show; "
                          "record a number, a string or a list")


def tied_element(name: str, text: str, cell: int, page_href: str = "") -> str:
    where = f"notebook cell [{cell}]" if cell else "the notebook"
    return (f'<a class="tied" href="{page_href}#nb-cell-{cell}" data-value="{name}" '
            f'title="Computed in {where} of its page: record(&quot;{name}&quot;)">{html.escape(text)}</a>')


def resolve(markdown: str, values: dict[str, Recorded], page_href: str = "") -> tuple[str, int]:
    """Replace every reference in `markdown`; return the new text and how many tied numbers it holds.
    `page_href` is the question page's URL when the text is shown elsewhere (the cheat sheet)."""
    count = 0

    def one(m: re.Match, in_math: bool) -> str:
        nonlocal count
        body = m.group(1)
        cited = CITED.match(body)
        if cited:
            if in_math:
                return cited.group(1)
            return f'<span class="cited" data-cite="">{html.escape(cited.group(1))}</span>'
        tied = TIED.match(body)
        if not tied:
            raise TiedNumberError(f"'{{{{{body}}}}}' is not a tied number; write {{{{ name }}}}, "
                                  "{{ name:.2f }} or {{ cited 76.1% }}")
        name, spec = tied.group(1), (tied.group(2) or "").strip() or None
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise TiedNumberError(f"'{{{{ {name} }}}}': the notebook records no value named {name!r} "
                                  f"(it records: {known}); add record({name!r}, value) where it is computed "
                                  "and run `make notebooks`")
        text = format_value(values[name].value, spec, name)
        count += 1
        return text if in_math else tied_element(name, text, values[name].cell, page_href)

    out, last = [], 0
    for region in PROTECTED.finditer(markdown):
        out.append(REFERENCE.sub(lambda m: one(m, False), markdown[last:region.start()]))
        piece = region.group(0)
        out.append(piece if region.group("code") else REFERENCE.sub(lambda m: one(m, True), piece))
        last = region.end()
    out.append(REFERENCE.sub(lambda m: one(m, False), markdown[last:]))
    return "".join(out), count


def references(markdown: str) -> set[str]:
    """The names a page refers to (outside code), for the unused-record report."""
    names = set()
    plain = PROTECTED.sub(lambda r: "" if r.group("code") else r.group(0), markdown)
    for m in REFERENCE.finditer(plain):
        tied = TIED.match(m.group(1))
        if tied and not CITED.match(m.group(1)):
            names.add(tied.group(1))
    return names


# ---- the MkDocs hook -------------------------------------------------------------------------------

_by_page: dict[str, catalogue.Question] = {}


def on_config(config):
    _by_page.clear()
    _by_page.update(catalogue.by_page(catalogue.load()))


def on_page_markdown(markdown, page, config, files):
    q = _by_page.get(page.file.src_uri)
    if q is None:
        return markdown
    try:
        text, _ = resolve(markdown, load_values(q))
    except TiedNumberError as e:
        raise PluginError(f"docs/{q.page}: {e}") from e
    return text
