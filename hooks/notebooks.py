"""MkDocs hook: embed each question's executed notebook in its page, under `## Run it yourself`.

mkdocs-jupyter's plugin renders a notebook as a page of its own; its converter (`nb2html`) is called
here instead and its output trimmed to what a page needs:
- no inline stylesheet (about 580 KB per notebook): the site ships one small notebook stylesheet;
- no hidden copy-to-clipboard text (it put every code cell into the search index twice) and no
  per-notebook clipboard script: code cells are plain `pre > code`, so Material's own copy button
  and syntax colours (light and dark) apply, with plain-coloured tokens left unwrapped;
- no MathJax tag: KaTeX renders the `$...$` in notebook Markdown cells like the rest of the page;
- the notebook's H1 is dropped (the page has the same one) and its heading ids are prefixed `nb-`,
  so no id on the page repeats;
- everything passes an HTML sanitizer first (hooks/sanitize.py): notebooks are contributed input;
- figures become separate, lazily loaded PNG files named by their content hash;
- code cells and their outputs are left out of the search index (its prose cells stay in).

The notebook is never executed here: a notebook without a fresh stamp fails the build (see
hooks/stamps.py); a fresh one puts a "Verified" line under the page title, from its stamp.
Conversions are cached in .cache/notebooks, keyed on the notebook's bytes, the converter's version
and options, and the source of the code that converts (this file and the modules it uses).
"""
from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
import struct
import tempfile
from importlib.metadata import version
from pathlib import Path

import output_limits
import sanitize
import stamps
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from notebook_standard import RECORD_MIME, code_cells

import catalogue

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
FIGURES = "assets/notebook-figures"
MARKER = "<!-- notebook-embed -->"
# Pygments tokens that Material draws in (nearly) the plain code colour: names, whitespace,
# punctuation, operators. Unwrapped, they cost nothing; as spans they were two thirds of a page.
PLAIN_TOKENS = "span.n, span.w, span.p, span.o, span.sa"
# Token classes Material draws in one colour: adjacent spans of a group merge into one.
SAME_COLOUR = {"s": {"s", "s1", "s2", "sb", "sc", "si", "ss"}, "m": {"m", "mb", "mf", "mh", "mi", "mo"}}
KEPT_CLASSES = {"jupyter-wrapper", "jp-Cell", "jp-CodeCell", "jp-MarkdownCell", "jp-OutputArea",
                "jp-OutputArea-output", "jp-MarkdownOutput", "highlight"}
AFTER_TITLE = re.compile(r'^(# .+\n(?:\n<p class="question-meta".*</p>\n)?)', flags=re.M)  # H1 + meta line
CONVERTER_OPTIONS = {"execute": False, "allow_errors": False, "theme": "light", "custom_mathjax_url": ""}
CONVERSION_CODE = [Path(__file__), ROOT / "hooks" / "sanitize.py", ROOT / "hooks" / "notebook_standard.py"]
CACHE_KEY_PARTS = json.dumps([*(version(d) for d in ("mkdocs-jupyter", "nbconvert", "beautifulsoup4", "nh3")),
                              CONVERTER_OPTIONS, *(hashlib.sha256(f.read_bytes()).hexdigest()
                                                   for f in CONVERSION_CODE)])

_by_page: dict[str, catalogue.Question] = {}
_figures: dict[str, bytes] = {}          # file name -> PNG bytes, written into site/ after the build


def on_config(config):
    _by_page.clear()
    _by_page.update(catalogue.by_page(catalogue.load()))
    _figures.clear()


def on_files(files, config):
    """Ship each notebook beside the site so the download link works hosted and from file://."""
    for q in _by_page.values():
        path = ROOT / q.notebook
        if path.is_file() and files.get_file_from_path(q.page):
            files.append(File.generated(config, q.notebook, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, config, files):
    q = _by_page.get(page.file.src_uri)
    if q is None:
        return markdown
    badge = verified_badge(fresh_notebook(ROOT / q.notebook), markdown.count('<a class="tied" '))
    markdown = AFTER_TITLE.sub(lambda m: f"{m.group(1)}\n{badge}\n", markdown, count=1)
    # The embed goes at the end of the "Run it yourself" section, after its one-line introduction.
    head, sep, tail = markdown.partition("\n## Run it yourself")
    if not sep:
        raise PluginError(f"docs/{page.file.src_uri}: no '## Run it yourself' section for the notebook")
    intro, nxt, rest = tail.partition("\n## ")
    return f"{head}{sep}{intro.rstrip()}\n\n{MARKER}\n\n{nxt}{rest}"


def fresh_notebook(path: Path) -> dict:
    """The notebook, if its stamp matches its code; the build fails otherwise, naming the file."""
    try:
        nb = json.loads(path.read_bytes())
        stamps.check_fresh(nb, path.relative_to(ROOT))
    except (ValueError, KeyError) as e:
        raise PluginError(f"{path.relative_to(ROOT)}: not a readable notebook: {e}") from e
    except stamps.StaleNotebook as e:
        raise PluginError(str(e)) from e
    too_big = output_limits.problems(nb, str(path.relative_to(ROOT)))
    if too_big:
        raise PluginError("\n".join(too_big))
    return nb


def verified_badge(nb: dict, tied: int) -> str:
    """The line under the title: how many of the page's numbers come from the notebook below, on which
    seeds its asserts held, and its runtime and versions (from the stamp)."""
    stamp = stamps.read_stamp(nb)
    seeds = stamp.get("seeds_passed", [0])
    held = (f"its checks pass on seeds {' and '.join(map(str, seeds))}" if len(seeds) > 1
            else f"its checks pass on seed {seeds[0]} (not yet on the alternate seed)")
    numbers = (f"{tied} number{'s' if tied != 1 else ''} on this page {'are' if tied != 1 else 'is'} computed by "
               "the notebook below" if tied else "the notebook below checks this page (its numbers are not tied "
               "to it yet)")
    return (f'<p class="verified-badge" data-tied="{tied}" data-seeds="{" ".join(map(str, seeds))}" '
            f'data-runtime="{stamp["runtime_s"]}"><span class="verified-badge__mark">Verified</span> '
            f'{numbers[0].upper() + numbers[1:]}; {held}; it ran in {stamp["runtime_s"]:.1f} s with '
            f'PyTorch {stamp["torch"]} and Python {stamp["python"]}.</p>')


def on_page_content(html, page, config, files):
    q = _by_page.get(page.file.src_uri)
    if q is None:
        return html
    body, figures = render(ROOT / q.notebook)
    _figures.update(figures)
    to_root = posixpath.relpath(".", posixpath.dirname(page.url) or ".")
    body = body.replace("{{figures}}", posixpath.join(to_root, FIGURES))
    note = reproducibility_note(stamps.read_stamp(json.loads((ROOT / q.notebook).read_bytes())))
    return html.replace(MARKER, links(q, page, files, config) + body + note, 1)


def reproducibility_note(stamp: dict) -> str:
    """What a reader who runs the notebook can expect, under the embedded notebook."""
    seeds = ("They pass on other seeds too: set the environment variable <code>NOTEBOOK_SEED</code>."
             if len(stamp.get("seeds_passed", [])) > 1 else
             "Some of them do not hold on other seeds yet: this page is due for a rewrite.")
    return (f'<p class="notebook-note">Run top to bottom on a CPU with PyTorch {stamp["torch"]}, this notebook '
            "prints exactly these numbers: its first cell fixes the seeds, the thread count and deterministic "
            "algorithms. Another library version or a GPU can move trained numbers slightly; the assertions, "
            f"which are the page's claims, are written to hold either way. {seeds}</p>\n")


def on_post_build(config):
    out = Path(config.site_dir) / FIGURES
    out.mkdir(parents=True, exist_ok=True)
    for name, data in _figures.items():
        (out / name).write_bytes(data)


def links(q: catalogue.Question, page, files, config) -> str:
    download = files.get_file_from_path(q.notebook).url_relative_to(page.file)
    parts = [f'<a class="md-button" href="{download}" download>Download notebook (.ipynb)</a>']
    repo = config.extra.get("notebook_repository")
    if repo:
        branch = config.extra.get("notebook_branch") or "main"
        parts.append(f'<a class="md-button" href="https://colab.research.google.com/github/{repo}/blob/'
                     f'{branch}/{q.notebook}">Open in Colab</a>')
    return f'<p class="notebook-links">{" ".join(parts)}</p>\n'


def render(path: Path) -> tuple[str, dict[str, bytes]]:
    """The page-ready HTML of a notebook and its figures, from the cache when the inputs are unchanged."""
    raw = path.read_bytes()
    key = hashlib.sha256(raw + CACHE_KEY_PARTS.encode()).hexdigest()
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        entry = json.loads(cached.read_text(encoding="utf-8"))
        return entry["html"], {k: base64.b64decode(v) for k, v in entry["figures"].items()}
    html, figures = convert(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"html": html, "figures": {k: base64.b64encode(v).decode()
                                                            for k, v in figures.items()}}), encoding="utf-8")
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
    for el in soup.select(".jp-CodeCell"):
        el["data-search-exclude"] = ""
    outermost = [el for el in soup.select(".jp-CodeCell") if not el.find_parent(class_="jp-CodeCell")]
    for el, cell in zip(outermost, code_cells(nb), strict=True):
        el["id"] = f"nb-cell-{cell.get('execution_count')}"   # where a tied number on the page links
        el["data-cell"] = str(cell.get("execution_count"))
    figures = {}
    for n, img in enumerate(soup.select('img[src^="data:image/png;base64,"]'), start=1):
        data = base64.b64decode(img["src"].split(",", 1)[1])
        name = hashlib.sha256(data).hexdigest()[:20] + ".png"
        figures[name] = data
        width, height = struct.unpack(">II", data[16:24])  # the PNG IHDR chunk
        img.attrs = {"src": "{{figures}}/" + name, "alt": f"Figure {n} of the notebook",
                     "width": str(width), "height": str(height), "loading": "lazy"}
    wrapper = soup.select_one(".jupyter-wrapper") or soup
    wrapper["class"] = ["jupyter-wrapper", "notebook-embed"]
    return str(soup).strip(), figures
