"""MkDocs hook: typeset every formula at build time with KaTeX, so no page ships math JavaScript.

Where math comes from:
- page Markdown: pymdownx.arithmatex (generic mode) writes `\\(...\\)` in `span.arithmatex` and
  `\\[...\\]` in `div.arithmatex`;
- notebook Markdown cells: hooks/notebooks.py turns their `$...$` and `$$...$$` into the same markup
  when it converts a notebook.

Each `.arithmatex` element keeps its wrapper and gets KaTeX's HTML (and MathML, for screen readers)
inside. KaTeX runs in QuickJS (the `quickjs-ng` package from PyPI: one small wheel, no Node, no threads,
so it is safe in the forked notebook converters too); the library is hooks/vendor/katex/katex.min.js,
which the site never serves. Pages are typeset after the search plugin has read them, so the index holds
the TeX source and the words around it, as before; pages left out of search (the interviewer's kit, whose
HTML becomes the practice deck, and the cheat sheet) are typeset earlier. The KaTeX stylesheet and fonts
are linked only from pages that show math.

An expression KaTeX cannot parse fails the build, naming the page (and the notebook) and the expression.
Rendered expressions are cached in .cache/math, one file each, keyed on the KaTeX version, the options,
the display mode and the expression, so a warm build never starts the engine.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
KATEX_JS = Path(__file__).resolve().parent / "vendor" / "katex" / "katex.min.js"
KATEX_CSS = "assets/vendor/katex/katex.min.css"
CACHE = ROOT / ".cache" / "math"
OPTIONS = {"throwOnError": True, "strict": "ignore", "trust": False, "output": "htmlAndMathml"}
# What each cached expression went through after KaTeX: bump when the post-processing changes.
POSTPROCESS = "no-xmlns-1"
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', flags=re.S)
# A page that shows no formula in its HTML but gets rendered math from a script: the practice deck.
MATH_FROM_SCRIPT = ("practice-data.js",)
SITE_CSS = re.compile(r'<link rel="stylesheet" href="[^"]*assets/stylesheets/site\.css">')
CLASS_ATTR = re.compile(r'class="([^"]*)"')
# The KaTeX font file each kind of element is drawn in (from katex.min.css: `.katex .mathnormal` is
# KaTeX_Math italic, ...). A page preloads the fonts its formulas use: a font that arrived after the
# first paint would move the text beside each formula (a layout shift of up to 0.1 on a page of math).
# tests/test_performance.py checks that every font a page loads as it opens was preloaded.
#
# Chrome holds the first paint for a font preloaded from the page's <head>. The preload must be fetched
# the way the stylesheet will ask for the font: with CORS when the page is served, without it from
# file:// (where a CORS request for a local file fails). No static <link> fits both, hence these few
# lines of script (admitted by hash in the page's Content-Security-Policy); they typeset nothing.
PRELOAD = ("FONTS.forEach(function (href) { var l = document.createElement('link'); l.rel = 'preload'; "
           "l.as = 'font'; l.type = 'font/woff2'; l.href = href; "
           "if (location.protocol !== 'file:') l.crossOrigin = 'anonymous'; document.head.appendChild(l); });")
FONTS_BY_CLASSES = [
    ({"katex"}, "Main-Regular"), ({"mathnormal"}, "Math-Italic"), ({"boldsymbol"}, "Math-BoldItalic"),
    ({"mathit"}, "Main-Italic"), ({"textit"}, "Main-Italic"), ({"mathbf"}, "Main-Bold"), ({"textbf"}, "Main-Bold"),
    ({"amsrm"}, "AMS-Regular"), ({"mathbb"}, "AMS-Regular"), ({"textbb"}, "AMS-Regular"),
    ({"mathcal"}, "Caligraphic-Regular"), ({"mathfrak"}, "Fraktur-Regular"), ({"textfrak"}, "Fraktur-Regular"),
    ({"mathtt"}, "Typewriter-Regular"), ({"texttt"}, "Typewriter-Regular"), ({"mathscr"}, "Script-Regular"),
    ({"textscr"}, "Script-Regular"), ({"mathsf"}, "SansSerif-Regular"), ({"textsf"}, "SansSerif-Regular"),
    ({"delimsizing", "size1"}, "Size1-Regular"), ({"delimsizing", "size2"}, "Size2-Regular"),
    ({"delimsizing", "size3"}, "Size3-Regular"), ({"delimsizing", "size4"}, "Size4-Regular"),
    ({"delim-size1"}, "Size1-Regular"), ({"delim-size4"}, "Size4-Regular"),
    ({"small-op"}, "Size1-Regular"), ({"large-op"}, "Size2-Regular"),
]
# KaTeX's renderToString returns a string QuickJS keeps as a rope, which the Python binding cannot read:
# JSON.stringify hands back a flat string (and carries the error message the same way).
GLUE = """
var console = globalThis.console || {log: function () {}, warn: function () {}, error: function () {}};
function __typeset(tex, display, options) {
  var opts = JSON.parse(options);
  opts.displayMode = display;
  try {
    return JSON.stringify({html: katex.renderToString(tex, opts)});
  } catch (e) {
    if (e instanceof katex.ParseError) return JSON.stringify({error: e.message});
    throw e;
  }
}
"""


def katex_version() -> str:
    m = re.search(r'version:"([0-9][^"]*)"', KATEX_JS.read_text(encoding="utf-8"))
    if not m:
        raise PluginError(f"{KATEX_JS.relative_to(ROOT)}: no KaTeX version found; run `make vendor`")
    return m.group(1)


KATEX_VERSION = katex_version()
KEY_PARTS = json.dumps([KATEX_VERSION, OPTIONS, POSTPROCESS])


class MathError(ValueError):
    """An expression KaTeX cannot typeset."""


class _Engine:
    """KaTeX in a QuickJS context, started on the first expression the cache does not hold."""

    def __init__(self):
        import quickjs  # from the quickjs-ng package

        self.context = quickjs.Context()
        self.context.eval(KATEX_JS.read_text(encoding="utf-8") + GLUE)
        self.typeset = self.context.get("__typeset")
        self.options = json.dumps(OPTIONS)
        self.pid = os.getpid()

    def render(self, tex: str, display: bool) -> str:
        out = json.loads(self.typeset(tex, display, self.options))
        if "error" in out:
            raise MathError(out["error"])
        return out["html"].replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "")  # implied in HTML


_engine: _Engine | None = None
_memory: dict[str, str] = {}


def typeset(tex: str, display: bool) -> str:
    """KaTeX's HTML for one expression, from the cache when it was typeset before."""
    global _engine
    key = hashlib.sha256(f"{KEY_PARTS}\0{int(display)}\0{tex}".encode()).hexdigest()
    if key in _memory:
        return _memory[key]
    path = CACHE / f"{key}.html"
    try:
        out = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if _engine is None or _engine.pid != os.getpid():   # a forked process starts its own
            _engine = _Engine()
        out = _engine.render(tex, display)
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{key}.{os.getpid()}.tmp")     # atomic: converters may write at once
        tmp.write_text(out, encoding="utf-8")
        os.replace(tmp, path)
    _memory[key] = out
    return out


def typeset_html(content: str, where: str, notebook: str | None = None) -> str:
    """Every `.arithmatex` element of a page's HTML with its formula typeset."""
    embed_at = content.find('class="jupyter-wrapper notebook-embed"') if notebook else -1

    def replace(m: re.Match) -> str:
        source = html.unescape(m.group(2)).strip()
        if source.startswith("\\(") and source.endswith("\\)"):
            tex, display = source[2:-2], False
        elif source.startswith("\\[") and source.endswith("\\]"):
            tex, display = source[2:-2], True
        else:
            return m.group(0)
        try:
            rendered = typeset(tex.strip(), display)
        except MathError as e:
            origin = f"{where} (in its notebook {notebook})" if 0 <= embed_at < m.start() else where
            raise PluginError(f"{origin}: invalid math `{source}`: {e}") from None
        return f'<{m.group(1)} class="arithmatex">{rendered}</{m.group(1)}>'

    return MATH.sub(replace, content)


def _outside_search(page) -> bool:
    search = page.meta.get("search")
    return isinstance(search, dict) and bool(search.get("exclude"))


def _notebook_of(page) -> str | None:
    if not page.file.src_uri.startswith("questions/"):
        return None
    return "notebooks/" + page.file.src_uri.removeprefix("questions/").removesuffix(".md") + ".ipynb"


@event_priority(50)  # before hooks/questions.py reads the kit's short answers into the practice deck
def on_page_content(content, page, config, files):
    if _outside_search(page):
        return typeset_html(content, f"docs/{page.file.src_uri}")
    return content


@event_priority(-50)  # after the search plugin has indexed the page's text (the TeX source, not KaTeX's spans)
def on_page_context(context, page, config, nav):
    if not _outside_search(page):
        page.content = typeset_html(page.content, f"docs/{page.file.src_uri}", _notebook_of(page))
    return context


def fonts_used(output: str) -> list[str]:
    """The KaTeX font files the formulas of a page are drawn in."""
    classes = {frozenset(m.group(1).split()) for m in CLASS_ATTR.finditer(output)}
    return sorted({font for need, font in FONTS_BY_CLASSES if any(need <= c for c in classes)})


def on_post_page(output, page, config):
    """The KaTeX stylesheet, only on pages that show math, and a preload of the fonts their formulas use."""
    if 'class="katex' not in output and not any(s in output for s in MATH_FROM_SCRIPT):
        return output
    href = posixpath.relpath(KATEX_CSS, posixpath.dirname(page.url) or ".")
    fonts = [posixpath.join(posixpath.dirname(href), "fonts", f"KaTeX_{font}.woff2") for font in fonts_used(output)]
    tags = (f"<script>{PRELOAD.replace('FONTS', json.dumps(fonts))}</script>\n    " if fonts else "") + \
        f'<link rel="stylesheet" href="{href}">'
    if SITE_CSS.search(output):   # before the site's stylesheet, which may refine KaTeX's
        return SITE_CSS.sub(lambda m: tags + "\n    " + m.group(0), output, count=1)
    return output.replace("</head>", f"  {tags}\n  </head>", 1)
