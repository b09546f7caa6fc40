"""Pages that hold still and never wait on a script: every page, opened from file:// in Chromium, shifts
its layout by less than 0.02 while it loads (on a desktop and on a phone viewport); a page with math
preloads exactly the KaTeX fonts its formulas use (a font that arrives after the first paint moves the
text beside each formula); no script in a page's <head> blocks the parser; the home page's topic-map
links are big enough to tap (axe target-size). Lighthouse itself runs in `make bench`, not here."""
from __future__ import annotations

import re
import statistics

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

CLS_BUDGET = 0.02
VIEWPORTS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
             "phone": {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True}}
# Installed before any of the page's own scripts: every layout shift not caused by input, with what moved.
OBSERVER = """(() => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__shifts.push({value: e.value, moved: (e.sources || []).map((s) => {
        const el = s.node && (s.node.nodeType === 3 ? s.node.parentElement : s.node);
        return el ? el.nodeName.toLowerCase() + (el.id ? "#" + el.id : "") +
                    (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "")
                  : "?";
      })});
    }
  }).observe({type: "layout-shift", buffered: true});
})();"""
# Until the fonts are in and the theme's deferred script has run and settled.
SETTLED = "() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 500))))"
LOADED_FONTS = """() => [...document.fonts].filter((f) => f.status === "loaded" && f.family.startsWith("KaTeX_"))
  .map((f) => f.family.replace("KaTeX_", "") + "-" + ((f.weight === "700" || f.weight === "bold" ? "Bold" : "") +
       (f.style === "italic" ? "Italic" : "") || "Regular"))"""
PRELOADED_FONTS = """() => [...document.querySelectorAll('link[rel="preload"][as="font"]')]
  .map((l) => l.href.split("/").pop().replace("KaTeX_", "").replace(".woff2", ""))"""


def pages(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "assets" not in p.parts)


def load(browser, site, name: str, viewport: str) -> dict:
    """One cold load of a page from file://: its layout shifts, and the KaTeX fonts it loaded and preloaded."""
    context = browser.new_context(**VIEWPORTS[viewport])
    try:
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                      else route.abort())
        context.add_init_script(OBSERVER)
        page = context.new_page()
        page.goto((site / name).as_uri())
        page.wait_for_load_state("load")
        page.evaluate(SETTLED)
        return {"shifts": page.evaluate("() => window.__shifts"), "loaded": sorted(set(page.evaluate(LOADED_FONTS))),
                "preloaded": sorted(page.evaluate(PRELOADED_FONTS))}
    finally:
        context.close()


def layout_shift(browser, site, name: str, viewport: str) -> tuple[float, list[str]]:
    """The page's summed layout shift; over the budget, the median of three loads (a stall of a loaded
    machine can delay one font past the first paint; a real shift happens on every load)."""
    runs = []
    for _ in range(3):
        shifts = load(browser, site, name, viewport)["shifts"]
        runs.append((sum(s["value"] for s in shifts), sorted({m for s in shifts for m in s["moved"]})))
        if runs[-1][0] <= CLS_BUDGET:
            return runs[-1]
    value = statistics.median(r[0] for r in runs)
    return value, max(runs, key=lambda r: r[0])[1]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_shifts_its_layout_while_it_loads(site, browser, viewport):
    over = []
    for name in pages(site):
        value, moved = layout_shift(browser, site, name, viewport)
        if value > CLS_BUDGET:
            over.append(f"{name}: layout shift {value:.3f} (budget {CLS_BUDGET}); what moved: {moved[:6]}")
    assert not over, "\n".join(over)


def test_a_page_with_math_preloads_every_font_it_loads(site, browser):
    """Every KaTeX font a page loads as it opens was preloaded: else it lands after the first paint and moves
    the text beside each formula. (A font used only further down, in a block not laid out yet, may load
    later: its preload is still worth having.)"""
    wrong, checked = [], 0
    for name in pages(site):
        if 'class="katex"' not in (site / name).read_text(encoding="utf-8"):
            continue
        checked += 1
        fonts = load(browser, site, name, "desktop")
        if not set(fonts["loaded"]) <= set(fonts["preloaded"]):
            wrong.append(f"{name}: loads {fonts['loaded']} but preloads only {fonts['preloaded']}; "
                         "update FONTS_BY_CLASSES in hooks/math_render.py")
    assert checked, "no page with math was checked"
    assert not wrong, "\n".join(wrong)


def test_no_script_blocks_the_parser_from_a_page_s_head(site):
    """The site's scripts are deferred: the iframe-worker shim in <head> and the theme's bundle at the end."""
    blocking = []
    for name in pages(site):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        for script in soup.head.find_all("script", src=True):
            if not script.has_attr("defer") and not script.has_attr("async"):
                blocking.append(f"{name}: <script src={script['src']!r}> in <head> is neither defer nor async")
        bundle = soup.find("script", src=re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js$"))
        if bundle is not None and not bundle.has_attr("defer"):
            blocking.append(f"{name}: the theme's bundle is not deferred")
    assert not blocking, "\n".join(blocking[:10])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_topic_map_links_are_big_enough_to_tap(site, browser, viewport):
    """axe's target-size rule (WCAG 2.5.8), which Lighthouse's accessibility score includes, on the home page."""
    context = browser.new_context(**VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.locator("#topic-map ~ * a").count(), "the home page has no topic map links"
        result = Axe().run(page, options={"runOnly": ["target-size"], "resultTypes": ["violations"]}).response
        small = [n["target"] for v in result["violations"] for n in v["nodes"]]
        assert not small, f"touch targets under 24x24 px: {small[:8]}"
    finally:
        context.close()
