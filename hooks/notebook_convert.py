"""A question's executed notebook as page-ready HTML (hooks/notebooks.py puts it in the page).

mkdocs-jupyter's plugin renders a notebook as a page of its own; its converter (`nb2html`) is called
here instead and its output trimmed to what a page needs:
- no inline stylesheet (about 580 KB per notebook): the site ships one small notebook stylesheet;
- no hidden copy-to-clipboard text (it put every code cell into the search index twice) and no
  per-notebook clipboard script: code cells are plain `pre > code`, so Material's own copy button
  and syntax colours (light and dark) apply, with plain-coloured tokens left unwrapped;
- no MathJax tag: the `$...$` and `$$...$$` in Markdown cells become the same `.arithmatex` markup as
  the page's own math, which hooks/math_render.py typesets at build time;
- the notebook's H1 is dropped (the page has the same one) and its heading ids are prefixed `nb-`,
  so no id on the page repeats;
- everything passes an HTML sanitizer first (hooks/sanitize.py): notebooks are contributed input;
- figures become separate, lazily loaded PNG files named by their content hash;
- code cells and their outputs are left out of the search index (its prose cells stay in).

Conversions are cached in .cache/notebooks, keyed on the notebook's bytes, the converter's version
and options, and the source of the code that converts (this file and the modules it uses). On a build,
`start` sends the notebooks the cache lacks to worker processes, one per core, as soon as the files are
listed; `render` then hands each page its notebook's HTML, from the cache or from its worker.
"""
from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import struct
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

import glossary
import sanitize
from bs4 import BeautifulSoup, NavigableString
from notebook_standard import RECORD_MIME, code_cells

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
FIGURES = "assets/notebook-figures"
# Pygments tokens that Material draws in (nearly) the plain code colour: names, whitespace,
# punctuation, operators. Unwrapped, they cost nothing; as spans they were two thirds of a page.
PLAIN_TOKENS = "span.n, span.w, span.p, span.o, span.sa"
# Token classes Material draws in one colour: adjacent spans of a group merge into one.
SAME_COLOUR = {"s": {"s", "s1", "s2", "sb", "sc", "si", "ss"}, "m": {"m", "mb", "mf", "mh", "mi", "mo"}}
KEPT_CLASSES = {"jupyter-wrapper", "jp-Cell", "jp-CodeCell", "jp-MarkdownCell", "jp-OutputArea",
                "jp-OutputArea-output", "jp-MarkdownOutput", "highlight"}
CONVERTER_OPTIONS = {"execute": False, "allow_errors": False, "theme": "light", "custom_mathjax_url": ""}
CONVERSION_CODE = [Path(__file__), ROOT / "hooks" / "sanitize.py", ROOT / "hooks" / "notebook_standard.py",
                   ROOT / "hooks" / "glossary.py", glossary.GLOSSARY]   # the glossary's terms are in the HTML
CACHE_KEY_PARTS = json.dumps([*(version(d) for d in ("mkdocs-jupyter", "nbconvert", "beautifulsoup4", "nh3")),
                              CONVERTER_OPTIONS, *(hashlib.sha256(f.read_bytes()).hexdigest()
                                                   for f in CONVERSION_CODE)])
# Where notebook Markdown keeps its own math (as in KaTeX's auto-render, which the site used before).
MATH_IN = ".jp-MarkdownOutput"
NOT_MATH = {"pre", "code", "script", "noscript", "style", "textarea", "option"}

_pool: ProcessPoolExecutor | None = None
_converting: dict[Path, Future] = {}     # notebook -> its conversion, running in a worker process


def start(paths: list[Path]) -> None:
    """Convert the notebooks the cache lacks in worker processes; render() collects each result."""
    global _pool
    stop()
    todo = [p for p in paths if not cache_file(p.read_bytes()).is_file()]
    if not todo:
        return
    # fork: a worker starts at once with this module and its imports loaded (a fresh interpreter could not
    # import them: the hooks folder is on sys.path only while MkDocs loads the hooks).
    _pool = ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1),
                                mp_context=multiprocessing.get_context("fork"))
    for path in todo:
        _converting[path] = _pool.submit(convert_to_cache, path)


def stop(wait: bool = True) -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
    _pool = None
    _converting.clear()


def cache_file(raw: bytes) -> Path:
    return CACHE / f"{hashlib.sha256(raw + CACHE_KEY_PARTS.encode()).hexdigest()}.json"


def render(path: Path) -> tuple[str, dict[str, bytes]]:
    """The page-ready HTML of a notebook and its figures, from the cache when the inputs are unchanged."""
    future = _converting.pop(path, None)
    if future is not None:
        return future.result()   # a conversion error raised in the worker is raised here
    cached = cache_file(path.read_bytes())
    if cached.is_file():
        entry = json.loads(cached.read_text(encoding="utf-8"))
        return entry["html"], {k: base64.b64decode(v) for k, v in entry["figures"].items()}
    return convert_to_cache(path)


def convert_to_cache(path: Path) -> tuple[str, dict[str, bytes]]:
    """Convert a notebook and store the result (run in a worker process on a cold build)."""
    raw = path.read_bytes()
    html, figures = convert(path)
    cached = cache_file(raw)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f"{cached.stem}.{os.getpid()}.tmp")   # atomic: another build may read it
    tmp.write_text(json.dumps({"html": html, "figures": {k: base64.b64encode(v).decode()
                                                         for k, v in figures.items()}}), encoding="utf-8")
    os.replace(tmp, cached)
    return html, figures


def merge_same_colour_tokens(code) -> None:
    """`f"{x}"` is five string spans in a row; drawn in one colour, one span does."""
    group_of = {cls: group for group, classes in SAME_COLOUR.items() for cls in classes}
    previous = None
    for node in list(code.children):
        group = group_of.get((node.get("class") or [None])[0]) if node.name == "span" else None
        if group and previous is not None and group_of.get(previous["class"][0]) == group:
            previous.append(node.get_text())
            node.decompose()
            continue
        if group:
            node["class"] = [group]
        previous = node if group else None


def simplify(soup: BeautifulSoup) -> None:
    """Keep the cells, their code, outputs and prose; drop JupyterLab's editor scaffolding."""
    for el in soup.select(".jp-Collapser, .zeroclipboard-container, .jp-InputPrompt, .jp-OutputPrompt"):
        el.decompose()
    for el in soup.select(".jp-Notebook, .jp-Cell-inputWrapper, .jp-InputArea, .jp-CodeMirrorEditor, "
                          ".CodeMirror, .jp-OutputArea-child"):
        el.unwrap()
    for el in soup.find_all("div"):
        for attr in ("tabindex", "data-mime-type", "data-type", "data-jp-theme-light", "data-jp-theme-name"):
            el.attrs.pop(attr, None)
        if "jp-Cell" in el.get("class", []):
            el.attrs.pop("id", None)
        if el.get("class"):
            el["class"] = [c for c in el["class"] if c in KEPT_CLASSES] or el["class"][:1]


def convert(path: Path) -> tuple[str, dict[str, bytes]]:
    from mkdocs_jupyter.convert import nb2html  # imported lazily: it patches nbconvert on import

    nb = json.loads(path.read_bytes())
    for cell in code_cells(nb):   # tied-number records are data for the page, not output for the reader
        cell["outputs"] = [o for o in cell.get("outputs", []) if RECORD_MIME not in o.get("data", {})]
    with tempfile.TemporaryDirectory() as tmp:
        stripped = Path(tmp) / path.name
        stripped.write_text(json.dumps(nb), encoding="utf-8")
        soup = BeautifulSoup(sanitize.notebook_html(nb2html(str(stripped), **CONVERTER_OPTIONS)), "html.parser")
    for el in soup.select("style, script, clipboard-copy, .clipboard-copy-txt"):
        el.decompose()
    first_h1 = soup.find("h1")
    if first_h1:
        first_h1.decompose()
    for el in soup.select("[id]"):
        el["id"] = "nb-" + el["id"]
    for a in soup.select('a.anchor-link[href^="#"]'):
        a["href"] = "#nb-" + a["href"][1:]
    for block in soup.select("div.highlight-ipynb"):
        block["class"] = ["highlight"]
        pre = block.find("pre")
        code = soup.new_tag("code")
        code.extend(list(pre.contents))
        pre.append(code)
        for token in code.select(PLAIN_TOKENS):
            token.unwrap()
        code.smooth()
        merge_same_colour_tokens(code)
    soup.smooth()
    simplify(soup)
    mark_math(soup)
    glossary.abbreviate_notebook_markdown(soup)
    for el in soup.select(".jp-CodeCell"):
        el["data-search-exclude"] = ""
    outermost = [el for el in soup.select(".jp-CodeCell") if not el.find_parent(class_="jp-CodeCell")]
    for el, cell in zip(outermost, code_cells(nb), strict=True):
        el["id"] = f"nb-cell-{cell.get('execution_count')}"   # where a tied number on the page links
        el["data-cell"] = str(cell.get("execution_count"))
    figures = {}
    images = soup.select('img[src^="data:image/png;base64,"]')
    captions = figure_captions(nb)
    if len(captions) != len(images):   # an image that is not a figure output: captions would not line up
        captions = [None] * len(images)
    for n, (img, caption) in enumerate(zip(images, captions, strict=True), start=1):
        data = base64.b64decode(img["src"].split(",", 1)[1])
        name = hashlib.sha256(data).hexdigest()[:20] + ".png"
        figures[name] = data
        width, height = struct.unpack(">II", data[16:24])  # the PNG IHDR chunk
        img.attrs = {"src": "{{figures}}/" + name, "alt": caption or f"Figure {n} of the notebook",
                     "width": str(width), "height": str(height), "loading": "lazy"}
        if caption:
            add_caption(soup, img, f"Figure {n}. {caption}")
    wrapper = soup.select_one(".jupyter-wrapper") or soup
    wrapper["class"] = ["jupyter-wrapper", "notebook-embed"]
    return str(soup).strip(), figures


def figure_captions(nb: dict) -> list[str | None]:
    """Each PNG output's caption, in order: the figure's titles, recorded when the notebook ran
    (scripts/offline_kernel/figure_captions.py)."""
    return [out.get("metadata", {}).get("caption") for cell in code_cells(nb) for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})]


def add_caption(soup: BeautifulSoup, img, text: str) -> None:
    """Wrap the figure in <figure> with a visible caption. The alt already says it, so screen readers
    skip the caption instead of hearing it twice."""
    figure = soup.new_tag("figure", attrs={"class": "nb-figure"})
    img.wrap(figure)
    caption = soup.new_tag("figcaption", attrs={"aria-hidden": "true"})
    caption.string = text
    figure.append(caption)


def mark_math(soup: BeautifulSoup) -> None:
    """`$...$` and `$$...$$` in Markdown cells become `.arithmatex` elements holding `\\(...\\)` and
    `\\[...\\]`, the markup of the page's own math, which hooks/math_render.py typesets."""
    for cell in soup.select(MATH_IN):
        for text in list(cell.find_all(string=True)):
            if type(text) is not NavigableString or any(p.name in NOT_MATH for p in text.parents):
                continue
            parts = split_dollar_math(str(text))
            if len(parts) == 1 and not parts[0][0]:
                continue
            nodes = []
            for is_math, value, display in parts:
                if not is_math:
                    nodes.append(NavigableString(value))
                    continue
                el = soup.new_tag("span", attrs={"class": "arithmatex"})
                el.string = f"\\[{value}\\]" if display else f"\\({value}\\)"
                nodes.append(el)
            text.replace_with(*nodes)


def split_dollar_math(text: str) -> list[tuple[bool, str, bool]]:
    """(is math, text or TeX, display) pieces, found the way KaTeX's auto-render finds `$$` and `$`."""
    parts = []
    while (start := text.find("$")) >= 0:
        if start:
            parts.append((False, text[:start], False))
            text = text[start:]
        delimiter = "$$" if text.startswith("$$") else "$"
        end = end_of_math(text, delimiter)
        if end < 0:
            break
        parts.append((True, text[len(delimiter):end], delimiter == "$$"))
        text = text[end + len(delimiter):]
    if text:
        parts.append((False, text, False))
    return parts


def end_of_math(text: str, delimiter: str) -> int:
    """Where the closing delimiter is: outside braces, and not escaped by a backslash."""
    i, depth = len(delimiter), 0
    while i < len(text):
        if depth <= 0 and text.startswith(delimiter, i):
            return i
        if text[i] == "\\":
            i += 1
        elif text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        i += 1
    return -1
